/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * libtrustvisor: load PAL images into the TrustVisor monitor and call them
 * (docs/pal-sdk.md).  Link with `pkg-config --libs libtrustvisor`.
 *
 * Every function returns 0 or a negative code: -errno for the usual causes
 * (-ENOENT: no /dev/trustvisor, or no such file; -ENOEXEC: a malformed
 * image; -E2BIG: input or output beyond TV_PAL_IO_MAX; -EINVAL: bad
 * arguments; -EBUSY: the PAL is in a call already; -ENOMEM; -EINTR ...), or
 * one of the TV_ERR_* codes below, which no errno value equals.
 * tv_strerror() describes both kinds.
 *
 * Each loaded PAL has its own open file of /dev/trustvisor, so handles are
 * independent: distinct handles may be used from distinct threads at once.
 * Concurrent calls on one handle are refused by the module with -EBUSY.
 * The file is close-on-exec and the PAL is unloaded when it is closed:
 * a child process does not inherit PALs.
 */
#ifndef LIBTRUSTVISOR_H
#define LIBTRUSTVISOR_H

#include <stddef.h>
#include <stdint.h>
#include <trustvisor/pal_abi.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The library's own codes, above every errno value. */
#define TV_ERR_BASE		0x10000
#define TV_ERR_PAL_FAULT	(-(TV_ERR_BASE + 1))	/* the PAL was terminated by a fault */
#define TV_ERR_PAL_KILLED	(-(TV_ERR_BASE + 2))	/* the PAL was killed */
#define TV_ERR_PAL_GONE		(-(TV_ERR_BASE + 3))	/* it faulted or was killed earlier */

/* Why an image is refused: enum tv_pal_img_err, TV_PAL_IMG_*, in <trustvisor/pal_abi.h>. */

/* tv_pal_fault_info.vector values that are not exception vectors. */
#define TV_FAULT_BAD_HYPERCALL	256	/* an unknown VMCALL, or bad arguments */
#define TV_FAULT_MEMORY		257	/* touched memory not its own */
#define TV_FAULT_INSTRUCTION	258	/* an instruction the monitor does not allow */

/* Why and where the PAL was terminated (after TV_ERR_PAL_FAULT). */
struct tv_pal_fault_info {
	uint32_t vector;	/* exception vector 0..31, or TV_FAULT_* */
	uint64_t error_code;	/* the exception's error code, if it has one */
	uint64_t rip;		/* the PAL's RIP, a PAL virtual address */
	uint64_t addr;		/* #PF: the address; TV_FAULT_MEMORY: the address touched */
};

struct tv_pal;

/*
 * Checks the image locally (the reason is then tv_pal_image_reason()'s),
 * then has the monitor check, isolate and measure it.  On success *pal is
 * a new handle.
 */
int tv_pal_load(const void *image, size_t len, struct tv_pal **pal);
int tv_pal_load_file(const char *path, struct tv_pal **pal);

/*
 * One call: the PAL runs pal_main(cmd, in, in_len, out, out_len).  On entry
 * *out_len is the capacity of out (both may be NULL/0 for no output); on
 * return 0 it is the bytes written and *pal_status pal_main's value.
 * TV_ERR_PAL_FAULT and TV_ERR_PAL_KILLED end the PAL: further calls return
 * TV_ERR_PAL_GONE, and only tv_pal_unload() remains to do.
 */
int tv_pal_call(struct tv_pal *pal, uint32_t cmd, const void *in, size_t in_len,
		void *out, size_t *out_len, int32_t *pal_status);

/* The fault that ended the PAL; -ENODATA if it did not fault. */
int tv_pal_fault(const struct tv_pal *pal, struct tv_pal_fault_info *f);

/* SHA-256 of the image, as the monitor measured it at load. */
int tv_pal_measurement(const struct tv_pal *pal, uint8_t digest[32]);

/* Unloads the PAL (wiped, memory given back to Linux) and frees the handle. */
void tv_pal_unload(struct tv_pal *pal);

/* TV_PAL_IMG_* for an image, computed locally, without the device. */
int tv_pal_image_reason(const void *image, size_t len);
const char *tv_pal_img_strerror(int reason);

/* Describes a return value of this library (negative errno or TV_ERR_*). */
const char *tv_strerror(int err);

/* "#PF", "#GP", ..., or a description of a TV_FAULT_* vector. */
const char *tv_fault_name(uint32_t vector);

#ifdef __cplusplus
}
#endif

#endif
