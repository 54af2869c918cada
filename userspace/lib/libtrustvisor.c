// SPDX-License-Identifier: GPL-2.0
/*
 * libtrustvisor: the /dev/trustvisor PAL ioctls (include/uapi/trustvisor.h)
 * behind a handle.  Each PAL gets its own open file, so handles share no
 * state and need no locks; the module refuses a second concurrent call on
 * one PAL with EBUSY.  libtrustvisor.map lists what the shared library
 * exports; lib/pal_image.c is linked in for the local image check.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>
#include "lib/pal_image.h"
#include "uapi/trustvisor.h"
#include "libtrustvisor.h"
#include "counters.h"

/* The public header restates these; they must not drift. */
_Static_assert(TV_FAULT_BAD_HYPERCALL == TV_PAL_FAULT_BAD_HYPERCALL, "fault codes");
_Static_assert(TV_FAULT_MEMORY == TV_PAL_FAULT_MEMORY, "fault codes");
_Static_assert(TV_FAULT_INSTRUCTION == TV_PAL_FAULT_INSTRUCTION, "fault codes");
_Static_assert(TV_ERR_BASE > 4095, "own codes above every errno value");
_Static_assert(TV_ID_LAUNCH_KERNEL == TV_LAUNCH_KERNEL, "launch kinds");
_Static_assert(TV_ID_F_EPHEMERAL == TV_IDENTITY_F_EPHEMERAL, "identity flags");
_Static_assert(TV_ID_F_TPM == TV_IDENTITY_F_TPM, "identity flags");
_Static_assert(TV_ID_F_FIRST_LAUNCH == TV_IDENTITY_F_FIRST_LAUNCH, "identity flags");
_Static_assert(sizeof(((struct tv_identity_info *)0)->pubkey) ==
	       sizeof(((struct tv_identity *)0)->pubkey), "identity key");
_Static_assert(sizeof(((struct tv_identity_info *)0)->public_area) ==
	       sizeof(((struct tv_identity *)0)->public_area), "public area");
_Static_assert(sizeof(((struct tv_identity_info *)0)->name) ==
	       sizeof(((struct tv_identity *)0)->name), "key name");
_Static_assert(sizeof(((struct tv_identity_info *)0)->launch_desc) ==
	       sizeof(((struct tv_identity *)0)->launch_desc), "launch description");
_Static_assert(TV_QUOTE_ATTEST_MAX == sizeof(((struct tv_pal_quote *)0)->attest), "attest");
_Static_assert(TV_QUOTE_SIG_MAX == sizeof(((struct tv_pal_quote *)0)->sig), "signature");
_Static_assert(sizeof(((struct tv_pal_quote *)0)->pcrs) ==
	       sizeof(((struct tv_pal_quote_info *)0)->pcrs), "PCR values");
_Static_assert(TV_PAL_NONCE_MAX == sizeof(((struct tv_pal_quote *)0)->nonce), "nonce");

/* Header, a full section table and 1 MiB of section bytes. */
#define TV_IMAGE_MAX (sizeof(struct tv_pal_header) + \
		      TV_PAL_MAX_SECTIONS * sizeof(struct tv_pal_section) + TV_PAL_MAX_MEM)

struct tv_pal {
	int fd;
	uint32_t handle;
	uint8_t measurement[32];
	/* Set by the call that saw the PAL end; read by later calls. */
	int gone;
	bool faulted;
	struct tv_pal_fault_info fault;
};

/*
 * The image may sit at any alignment in the caller's memory: the header and
 * table are copied out before anything reads them.
 */
int tv_pal_image_reason(const void *image, size_t len)
{
	struct tv_pal_section sec[TV_PAL_MAX_SECTIONS];
	struct tv_pal_header h;
	int err;

	if (!image || len < sizeof(h))
		return TV_PAL_IMG_SHORT;
	memcpy(&h, image, sizeof(h));
	err = tv_pal_header_check(&h, len);
	if (err)
		return err;
	/* The header check bounded nr_sections and the table by len. */
	memcpy(sec, (const unsigned char *)image + sizeof(h), h.nr_sections * sizeof(sec[0]));
	return tv_pal_image_check(&h, sec, len);
}

int tv_pal_load(const void *image, size_t len, struct tv_pal **pal)
{
	struct tv_pal_load arg = { .size = sizeof(arg) };
	struct tv_pal *p;
	int err;

	if (!pal)
		return -EINVAL;
	*pal = NULL;
	if (!image && len)
		return -EINVAL;
	if (tv_pal_image_reason(image, len))
		return -ENOEXEC;
	p = calloc(1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	p->fd = open(TV_DEVICE, O_RDWR | O_CLOEXEC);
	if (p->fd < 0) {
		err = -errno;
		free(p);
		return err;
	}
	arg.image = (uintptr_t)image;
	arg.image_len = len;
	if (ioctl(p->fd, TV_IOC_PAL_LOAD, &arg)) {
		err = -errno;
		close(p->fd);
		free(p);
		return err;
	}
	p->handle = arg.handle;
	memcpy(p->measurement, arg.measurement, sizeof(p->measurement));
	tv_counters_prepare(p->fd);	/* before its first call can count */
	*pal = p;
	return 0;
}

int tv_pal_load_file(const char *path, struct tv_pal **pal)
{
	struct stat sb;
	unsigned char *buf;
	size_t got = 0;
	int fd, err;

	if (!pal)
		return -EINVAL;
	*pal = NULL;
	if (!path)
		return -EINVAL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &sb)) {
		err = -errno;
		close(fd);
		return err;
	}
	/* Larger than any image can be: refuse it without reading it all. */
	if (S_ISREG(sb.st_mode) && (unsigned long long)sb.st_size > TV_IMAGE_MAX) {
		close(fd);
		return -ENOEXEC;
	}
	buf = malloc(TV_IMAGE_MAX + 1);
	if (!buf) {
		close(fd);
		return -ENOMEM;
	}
	/* One byte more than the maximum tells a too long non-regular file. */
	while (got <= TV_IMAGE_MAX) {
		ssize_t n = read(fd, buf + got, TV_IMAGE_MAX + 1 - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err = -errno;
			goto out;
		}
		if (!n)
			break;
		got += n;
	}
	err = got > TV_IMAGE_MAX ? -ENOEXEC : tv_pal_load(buf, got, pal);
out:
	free(buf);
	close(fd);
	return err;
}

int tv_pal_call(struct tv_pal *pal, uint32_t cmd, const void *in, size_t in_len,
			  void *out, size_t *out_len, int32_t *pal_status)
{
	struct tv_pal_call arg = { .size = sizeof(arg) };
	size_t cap = out_len ? *out_len : 0;

	if (!pal || (!in && in_len) || (!out && cap))
		return -EINVAL;
	if (__atomic_load_n(&pal->gone, __ATOMIC_ACQUIRE))
		return TV_ERR_PAL_GONE;
	if (in_len > TV_PAL_IO_MAX || cap > TV_PAL_IO_MAX)
		return -E2BIG;
	arg.handle = pal->handle;
	arg.cmd = cmd;
	arg.in = (uintptr_t)in;
	arg.in_len = in_len;
	arg.out = (uintptr_t)out;
	arg.out_len = cap;
	if (ioctl(pal->fd, TV_IOC_PAL_CALL, &arg))
		return -errno;
	/*
	 * The PAL commits its counters: the table into the file first, then the
	 * same call goes on and the TPM counts it.  If the file cannot be
	 * written, the call goes on without the flag: the PAL learns it failed.
	 */
	while (arg.result == TV_PAL_RESULT_COMMIT) {
		arg.flags = tv_counters_store_staged(pal->fd) ? 0 : TV_PAL_CALL_F_STORED;
		arg.out_len = cap;
		if (ioctl(pal->fd, TV_IOC_PAL_CALL, &arg))
			return -errno;
		arg.flags = 0;
	}
	switch (arg.result) {
	case TV_PAL_RESULT_RETURNED:
		if (arg.out_len > cap)
			return -EPROTO;	/* the module broke its promise: trust nothing */
		if (out_len)
			*out_len = arg.out_len;
		if (pal_status)
			*pal_status = arg.status;
		return 0;
	case TV_PAL_RESULT_FAULT:
		pal->fault = (struct tv_pal_fault_info){
			.vector = arg.fault_vector,
			.error_code = arg.fault_error,
			.rip = arg.fault_rip,
			.addr = arg.fault_addr,
		};
		pal->faulted = true;
		__atomic_store_n(&pal->gone, 1, __ATOMIC_RELEASE);
		return TV_ERR_PAL_FAULT;
	case TV_PAL_RESULT_KILLED:
		__atomic_store_n(&pal->gone, 1, __ATOMIC_RELEASE);
		return TV_ERR_PAL_KILLED;
	}
	return -EPROTO;
}

int tv_pal_fault(const struct tv_pal *pal, struct tv_pal_fault_info *f)
{
	if (!pal || !f)
		return -EINVAL;
	if (!__atomic_load_n(&pal->gone, __ATOMIC_ACQUIRE) || !pal->faulted)
		return -ENODATA;
	*f = pal->fault;
	return 0;
}

int tv_pal_measurement(const struct tv_pal *pal, uint8_t digest[32])
{
	if (!pal || !digest)
		return -EINVAL;
	memcpy(digest, pal->measurement, sizeof(pal->measurement));
	return 0;
}

void tv_pal_unload(struct tv_pal *pal)
{
	struct tv_pal_unload arg = { .size = sizeof(arg) };

	if (!pal)
		return;
	/*
	 * A PAL that faulted or was killed is unloaded already.  Otherwise
	 * the explicit unload reports nothing a caller could act on, and
	 * closing the file unloads the PAL all the same.
	 */
	if (!__atomic_load_n(&pal->gone, __ATOMIC_ACQUIRE)) {
		arg.handle = pal->handle;
		(void)ioctl(pal->fd, TV_IOC_PAL_UNLOAD, &arg);
	}
	close(pal->fd);
	free(pal);
}

/* True if the module wrote `field` back (it sets size to the size it knows). */
#define TV_FILLED(arg, field) \
	((arg).size >= offsetof(typeof(arg), field) + sizeof((arg).field))

/* IDENTITY, through a file of /dev/trustvisor opened and closed. */
static int identity_ioctl(struct tv_identity *arg)
{
	int fd, err = 0;

	*arg = (struct tv_identity){ .size = sizeof(*arg) };
	fd = open(TV_DEVICE, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (ioctl(fd, TV_IOC_IDENTITY, arg))
		err = -errno;
	close(fd);
	return err;
}

int tv_identity(struct tv_identity_info *id)
{
	struct tv_identity arg;
	int err;

	if (!id)
		return -EINVAL;
	err = identity_ioctl(&arg);
	if (err)
		return err;
	/*
	 * Everything here is for a verifier to check quotes with: an answer
	 * cut short or malformed is refused rather than half used.
	 */
	if (!TV_FILLED(arg, launch_desc) || arg.pubkey[0] != 0x04 ||
	    !arg.public_area_len || arg.public_area_len > sizeof(arg.public_area))
		return -EPROTO;
	*id = (struct tv_identity_info){
		.launch = arg.launch,
		.flags = arg.flags,
		.public_area_len = arg.public_area_len,
	};
	/* A module from before the launch evidence: no TPM flags, no PCR. */
	if (TV_FILLED(arg, evidence_pcr)) {
		id->evidence_pcr = arg.evidence_pcr;
		id->secret = arg.secret <= TV_ID_SECRET_EPHEMERAL ? arg.secret : 0;
	} else
		id->flags &= ~(TV_ID_F_TPM | TV_ID_F_FIRST_LAUNCH);
	memcpy(id->pubkey, arg.pubkey, sizeof(id->pubkey));
	memcpy(id->public_area, arg.public_area, arg.public_area_len);
	memcpy(id->name, arg.name, sizeof(id->name));
	memcpy(id->measurement, arg.measurement, sizeof(id->measurement));
	/* For people only: cut at the end rather than refuse it. */
	memcpy(id->launch_desc, arg.launch_desc, sizeof(id->launch_desc) - 1);
	return 0;
}

_Static_assert(TV_NV_STATE_NONE == TV_IDENTITY_NV_NONE && TV_NV_STATE_PENDING == TV_IDENTITY_NV_PENDING &&
	       TV_NV_STATE_OPEN == TV_IDENTITY_NV_OPEN && TV_NV_STATE_FAILED == TV_IDENTITY_NV_FAILED,
	       "the NV states are the ABI's");

int tv_nv_counter(struct tv_nv_counter_info *nv)
{
	struct tv_identity arg;
	int err;

	if (!nv)
		return -EINVAL;
	err = identity_ioctl(&arg);
	if (err)
		return err;
	if (!TV_FILLED(arg, nv_counter) || arg.nv_counter_state > TV_IDENTITY_NV_FAILED)
		return -EPROTO;
	*nv = (struct tv_nv_counter_info){
		.state = arg.nv_counter_state,
		.error = arg.nv_counter_state == TV_IDENTITY_NV_FAILED ? arg.nv_counter_error : 0,
		.value = arg.nv_counter_state == TV_IDENTITY_NV_OPEN ? arg.nv_counter : 0,
		.counters = TV_FILLED(arg, counters) && arg.counters <= TV_IDENTITY_COUNTERS_KNOWN ?
			    arg.counters : TV_NV_COUNTERS_MEMORY,
	};
	return 0;
}

int tv_pal_quote(struct tv_pal *pal, const void *nonce, size_t nonce_len, uint32_t pcr_mask,
		 struct tv_pal_quote_info *q)
{
	struct tv_pal_quote arg = { .size = sizeof(arg) };

	/* Refused here, so a caller learns of its own mistake without the device. */
	if (!pal || !q || (!nonce && nonce_len) || nonce_len > TV_PAL_NONCE_MAX ||
	    !(pcr_mask & 1) || (pcr_mask >> TV_PAL_NR_PCRS))
		return -EINVAL;
	if (__atomic_load_n(&pal->gone, __ATOMIC_ACQUIRE))
		return TV_ERR_PAL_GONE;
	arg.handle = pal->handle;
	arg.pcr_mask = pcr_mask;
	arg.nonce_len = nonce_len;
	if (nonce_len)
		memcpy(arg.nonce, nonce, nonce_len);
	if (ioctl(pal->fd, TV_IOC_PAL_QUOTE, &arg))
		return -errno;
	if (!TV_FILLED(arg, pcrs) || !arg.attest_len || arg.attest_len > sizeof(arg.attest) ||
	    !arg.sig_len || arg.sig_len > sizeof(arg.sig))
		return -EPROTO;	/* the module broke its promise: trust nothing */
	memset(q, 0, sizeof(*q));
	memcpy(q->attest, arg.attest, arg.attest_len);
	q->attest_len = arg.attest_len;
	memcpy(q->sig, arg.sig, arg.sig_len);
	q->sig_len = arg.sig_len;
	q->pcr_mask = pcr_mask;
	/* Only what was quoted: the rest stays zero whatever the module left. */
	for (unsigned int i = 0; i < TV_PAL_NR_PCRS; i++)
		if (pcr_mask & (1u << i))
			memcpy(q->pcrs[i], arg.pcrs[i], sizeof(q->pcrs[i]));
	return 0;
}

const char *tv_strerror(int err)
{
	switch (err) {
	case 0:
		return "success";
	case TV_ERR_PAL_FAULT:
		return "the PAL was terminated by a fault";
	case TV_ERR_PAL_KILLED:
		return "the PAL was killed";
	case TV_ERR_PAL_GONE:
		return "the PAL is no longer loaded (it faulted or was killed)";
	}
	if (err < 0 && err > -TV_ERR_BASE)
		return strerrordesc_np(-err) ? strerrordesc_np(-err) : "unknown error";
	return "unknown error";
}

const char *tv_fault_name(uint32_t vector)
{
	static const char *const names[32] = {
		[0] = "#DE (divide error)", [1] = "#DB (debug)", [2] = "NMI",
		[3] = "#BP (breakpoint)", [4] = "#OF (overflow)", [5] = "#BR (bound range)",
		[6] = "#UD (invalid opcode)", [7] = "#NM (device not available)",
		[8] = "#DF (double fault)", [10] = "#TS (invalid TSS)",
		[11] = "#NP (segment not present)", [12] = "#SS (stack fault)",
		[13] = "#GP (general protection)", [14] = "#PF (page fault)",
		[16] = "#MF (x87 floating point)", [17] = "#AC (alignment check)",
		[18] = "#MC (machine check)", [19] = "#XM (SIMD floating point)",
		[20] = "#VE (virtualization)", [21] = "#CP (control protection)",
	};

	switch (vector) {
	case TV_FAULT_BAD_HYPERCALL:
		return "bad hypercall";
	case TV_FAULT_MEMORY:
		return "memory not its own";
	case TV_FAULT_INSTRUCTION:
		return "instruction not allowed";
	}
	if (vector < 32 && names[vector])
		return names[vector];
	return "unknown fault";
}
