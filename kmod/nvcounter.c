// SPDX-License-Identifier: GPL-2.0
/*
 * Linux's part in the monitor's NV counter: carrying bytes.  The monitor
 * builds each TPM command of its job in its own salted session
 * (vmxroot/tpm.c); the module sends it with tpm_send() and hands the
 * response back, until the monitor says done or failed.  Nothing here is
 * trusted: a module that changed a byte would only make the job fail.
 */
#define pr_fmt(fmt) "trustvisor: " fmt

#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/tpm.h>
#include <asm/unaligned.h>
#include "uapi/trustvisor.h"
#include "tv.h"

/* A job takes 8 exchanges at most (lib/tpm2_counter.c); more is a broken monitor. */
#define TV_TPM_MAX_STEPS	16

/*
 * Test build: flip one byte of the n-th response (1-based) of the load's
 * OPEN job, or of the next commit's INCREMENT job (once), to show the
 * monitor notices.
 */
#ifdef TV_SELFTEST
static unsigned int test_nv_tamper;
module_param(test_nv_tamper, uint, 0644);
MODULE_PARM_DESC(test_nv_tamper, "test build: flip a byte of this response of the OPEN job");
static unsigned int test_commit_tamper;
module_param(test_commit_tamper, uint, 0644);
MODULE_PARM_DESC(test_commit_tamper,
		 "test build: flip a byte of this response of the next commit's job, once");
#endif

/* Sends len bytes of req->buf; the response, or nothing, back into it. */
static void tv_tpm_relay(struct tpm_chip *chip, struct tv_hc_tpm *req, u8 *page,
			 unsigned int step, u32 op)
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
	if (rlen && op == TV_TPM_OP_OPEN && test_nv_tamper == step)
		req->buf[rlen - 1] ^= 0x01;
	if (rlen && op == TV_TPM_OP_COMMIT && test_commit_tamper == step) {
		req->buf[rlen - 1] ^= 0x01;
		test_commit_tamper = 0;
	}
#endif
}

/* The chip of the launch, and one relay at a time (the monitor has one job). */
static struct tpm_chip *tv_nv_chip;
static DEFINE_MUTEX(tv_nv_lock);

/*
 * Relays the monitor's job that op starts until it ends; the monitor's
 * verdict (TV_TPM_DONE with *value, or its error) or -errno.
 */
static int tv_nv_relay(u32 op, u64 *value)
{
	struct tv_hc_tpm *req;
	unsigned int step;
	u8 *page;
	int ret;

	if (!tv_nv_chip)
		return -ENODEV;
	req = (void *)get_zeroed_page(GFP_KERNEL);	/* one page: never split for the monitor */
	page = (void *)get_zeroed_page(GFP_KERNEL);	/* tpm_send wants a page */
	if (!req || !page) {
		ret = -ENOMEM;
		goto out;
	}
	req->op = op;
	for (step = 1; step <= TV_TPM_MAX_STEPS; step++) {
		ret = (int)tv_hypercall(TV_HC_TPM, virt_to_phys(req), 0, 0, NULL);
		tv_log_drain(&tv_mon);
		if (ret) {
			pr_err("NV counter: the monitor refused the relay: %s\n", tv_strerror(ret));
			ret = tv_errno(ret);
			break;
		}
		ret = req->status;
		if (req->status != TV_TPM_SEND)
			break;
		tv_tpm_relay(tv_nv_chip, req, page, step, op);
		req->op = TV_TPM_OP_STEP;
	}
	if (ret == TV_TPM_SEND) {
		pr_err("NV counter: the monitor's job did not end in %u exchanges\n",
		       TV_TPM_MAX_STEPS);
		ret = -EPROTO;
	}
	*value = req->value;
out:
	free_page((unsigned long)page);
	free_page((unsigned long)req);
	return ret;
}

/* The OPEN job, tv_nv_lock held; what it says in the log. */
static int tv_nv_open_locked(const char *when)
{
	u64 value = 0;
	int ret = tv_nv_relay(TV_TPM_OP_OPEN, &value);

	if (ret == TV_TPM_DONE)
		pr_info("NV counter: %s by the monitor, value %llu\n", when, value);
	else
		pr_err("NV counter: the monitor could not open it (%d): no rollback counter survives this boot\n",
		       ret);
	return ret;
}

/*
 * Every CPU is inside: the monitor opens its counter (defining it the first
 * time).  Its failure does not fail the load; IDENTITY and dmesg say so.
 */
void tv_nv_open(struct tpm_chip *chip)
{
	mutex_lock(&tv_nv_lock);
	tv_nv_chip = chip;
	tv_nv_open_locked("opened");
	mutex_unlock(&tv_nv_lock);
}

/*
 * A PAL's commit, its table stored: the increment.  0 once the TPM counted
 * it.  After a failed one the monitor no longer knows the counter's value
 * (the TPM may have counted): it reads it again, so later commits work.
 */
int tv_nv_commit(void)
{
	u64 value = 0;
	int ret;

	mutex_lock(&tv_nv_lock);
	ret = tv_nv_relay(TV_TPM_OP_COMMIT, &value);
	if (ret != TV_TPM_DONE) {
		pr_err("NV counter: a commit failed (%d)\n", ret);
		tv_nv_open_locked("opened again after the failed commit");
	}
	mutex_unlock(&tv_nv_lock);
	if (ret == TV_TPM_DONE)
		return 0;
	return ret < 0 ? ret : -EIO;
}

/* At unload: no chip to relay to. */
void tv_nv_close(void)
{
	mutex_lock(&tv_nv_lock);
	tv_nv_chip = NULL;
	mutex_unlock(&tv_nv_lock);
}

/* TV_IOC_COUNTERS: the table between the monitor and the caller. */
long tv_ioc_counters(void __user *uarg)
{
	struct tv_hc_counters *hc;
	struct tv_counters *arg;
	u32 usize;
	long ret;

	BUILD_BUG_ON(TV_COUNTERS_MAX != TV_COUNTERS_BLOB_MAX ||
		     TV_COUNTERS_EXPORT != TV_COUNTERS_OP_EXPORT ||
		     TV_COUNTERS_STAGED != TV_COUNTERS_OP_STAGED ||
		     TV_COUNTERS_RESTORE != TV_COUNTERS_OP_RESTORE);
	BUILD_BUG_ON(sizeof(*hc) > PAGE_SIZE);
	ret = tv_get_usize(uarg, &usize);
	if (ret)
		return ret;
	arg = kzalloc(sizeof(*arg), GFP_KERNEL);
	hc = (void *)get_zeroed_page(GFP_KERNEL);
	if (!arg || !hc) {
		ret = -ENOMEM;
		goto out;
	}
	ret = copy_struct_from_user(arg, sizeof(*arg), uarg, usize);
	if (ret)
		goto out;
	if (arg->op < TV_COUNTERS_EXPORT || arg->op > TV_COUNTERS_RESTORE ||
	    (arg->op == TV_COUNTERS_RESTORE && arg->len > TV_COUNTERS_MAX)) {
		ret = -EINVAL;
		goto out;
	}
	hc->op = arg->op;
	if (arg->op == TV_COUNTERS_RESTORE) {
		hc->len = arg->len;
		memcpy(hc->blob, arg->table, arg->len);
	}
	ret = tv_errno((int)tv_hypercall(TV_HC_COUNTERS, virt_to_phys(hc), 0, 0, NULL));
	tv_log_drain(&tv_mon);
	if (ret)
		goto out;
	switch (hc->status) {
	case 0:
		break;
	case TV_COUNTERS_E_VALUE:
		ret = -EKEYREJECTED;	/* sealed at another NV value */
		goto out;
	case TV_COUNTERS_E_BADMSG:
		ret = -EBADMSG;
		goto out;
	case TV_COUNTERS_E_NODATA:
		ret = -ENODATA;
		goto out;
	case TV_COUNTERS_E_NOSPC:
		ret = -ENOSPC;
		goto out;
	default:
		ret = -EPERM;		/* not in this state */
		goto out;
	}
	arg->len = min_t(u32, hc->len, TV_COUNTERS_MAX);
	arg->value = hc->value;
	memset(arg->table, 0, sizeof(arg->table));
	if (arg->op != TV_COUNTERS_RESTORE)
		memcpy(arg->table, hc->blob, arg->len);
	else
		arg->len = 0;
	arg->size = sizeof(*arg);
	if (copy_to_user(uarg, arg, min_t(u32, usize, sizeof(*arg))))
		ret = -EFAULT;
out:
	free_page((unsigned long)hc);
	kfree(arg);
	return ret;
}
