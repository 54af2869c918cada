// SPDX-License-Identifier: GPL-2.0
/*
 * Linux's part in the monitor's NV counter: carrying bytes.  The monitor
 * builds each TPM command of its job in its own salted session
 * (vmxroot/tpm.c); the module sends it with tpm_send() and hands the
 * response back, until the monitor says done or failed.  Nothing here is
 * trusted: a module that changed a byte would only make the job fail.
 */
#define pr_fmt(fmt) "trustvisor: " fmt

#include <linux/slab.h>
#include <linux/tpm.h>
#include <asm/unaligned.h>
#include "tv.h"

/* A job takes 8 exchanges at most (lib/tpm2_counter.c); more is a broken monitor. */
#define TV_TPM_MAX_STEPS	16

/* Test build: flip one byte of the n-th response (1-based), to show the monitor notices. */
#ifdef TV_SELFTEST
static unsigned int test_nv_tamper;
module_param(test_nv_tamper, uint, 0644);
MODULE_PARM_DESC(test_nv_tamper, "test build: flip a byte of this NV counter response");
#endif

/* Sends len bytes of req->buf; the response, or nothing, back into it. */
static void tv_tpm_relay(struct tpm_chip *chip, struct tv_hc_tpm *req, u8 *page,
			 unsigned int step)
{
	u32 rlen;
	int ret;

	memcpy(page, req->buf, req->len);
	ret = tpm_send(chip, page, PAGE_SIZE);
	rlen = ret < 0 ? 0 : get_unaligned_be32(page + 2);
	if (rlen < 10 || rlen > sizeof(req->buf))
		rlen = 0;	/* the monitor takes an empty answer as a failed one */
	memcpy(req->buf, page, rlen);
	req->len = rlen;
#ifdef TV_SELFTEST
	if (test_nv_tamper == step && rlen)
		req->buf[rlen - 1] ^= 0x01;
#endif
}

/*
 * Every CPU is inside: the monitor opens its counter (defining it the first
 * time).  Its failure does not fail the load; IDENTITY and dmesg say so.
 */
void tv_nv_open(struct tpm_chip *chip)
{
	struct tv_hc_tpm *req;
	unsigned int step;
	u8 *page;
	int ret;

	req = (void *)get_zeroed_page(GFP_KERNEL);	/* one page: never split for the monitor */
	page = (void *)get_zeroed_page(GFP_KERNEL);	/* tpm_send wants a page */
	if (!req || !page) {
		pr_err("NV counter: no memory to relay its commands\n");
		goto out;
	}
	req->op = TV_TPM_OP_OPEN;
	for (step = 1; step <= TV_TPM_MAX_STEPS; step++) {
		ret = (int)tv_hypercall(TV_HC_TPM, virt_to_phys(req), 0, 0, NULL);
		tv_log_drain(&tv_mon);
		if (ret) {
			pr_err("NV counter: the monitor refused the relay: %s\n", tv_strerror(ret));
			goto out;
		}
		if (req->status != TV_TPM_SEND)
			break;
		tv_tpm_relay(chip, req, page, step);
		req->op = TV_TPM_OP_STEP;
	}
	if (req->status == TV_TPM_DONE)
		pr_info("NV counter: opened by the monitor, value %llu\n", req->value);
	else if (req->status == TV_TPM_SEND)
		pr_err("NV counter: the monitor's job did not end in %u exchanges\n",
		       TV_TPM_MAX_STEPS);
	else
		pr_err("NV counter: the monitor could not open it (%d): no rollback counter survives this boot\n",
		       req->status);
out:
	free_page((unsigned long)page);
	free_page((unsigned long)req);
}
