/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * The whole world of a PAL (docs/pal-sdk.md).  A PAL is built with tvpal-cc,
 * runs isolated under the TrustVisor monitor, and sees nothing but its own
 * image, its stack, the call's input and output buffers and what this
 * header declares: no libc, no system calls, no heap.
 */
#ifndef TV_PAL_H
#define TV_PAL_H

#include <stdint.h>
#include <stddef.h>
#include <trustvisor/pal_abi.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Defined by the PAL: one call.  `in` holds in_len (<= TV_PAL_IO_MAX) bytes
 * of read-only input; `out` has room for *out_len bytes (the caller's
 * capacity, <= TV_PAL_IO_MAX).  Set *out_len to the bytes written before
 * returning; it starts at the capacity, so a PAL that does not touch it
 * returns the whole buffer.  Reporting more than the capacity terminates
 * the PAL.  The return value reaches the caller as its status.
 */
int32_t pal_main(uint32_t cmd, const void *in, size_t in_len, void *out, size_t *out_len);

/* Ends the call at once with `status` and no output (out_len 0). */
__attribute__((noreturn)) void tv_exit(int32_t status);

/*
 * The PAL's µTPM (docs/pal-sdk.md).  Each returns 0 or a negative
 * TV_PAL_E* code (include/trustvisor/pal_abi.h), which are the negated
 * Linux errno values of the same names, also defined below as E*.  Bad
 * pointers, lengths and indexes are refused, never followed; on an error
 * nothing is written but where a length says how much was needed.
 */
/* len (<= TV_PAL_RANDOM_MAX) bytes from the monitor's DRBG. */
int tv_random(void *buf, size_t len);
/* index < TV_PAL_NR_PCRS. */
int tv_pcr_read(uint32_t index, uint8_t value[32]);
/* PCR[index] = SHA-256(PCR[index] || digest); PCR 0 cannot be extended (EPERM). */
int tv_pcr_extend(uint32_t index, const uint8_t digest[32]);
/*
 * len <= TV_PAL_SEAL_MAX bytes into a blob of at most TV_PAL_BLOB_MAX; on
 * entry *blob_len is blob's capacity, on return the blob's size (ENOSPC and
 * the size needed if it does not fit).  policy NULL: only this PAL, whatever
 * its PCRs, may unseal.
 */
int tv_seal(const void *data, size_t len, const struct tv_seal_policy *policy,
	    void *blob, size_t *blob_len);
/* *len: data's capacity on entry, the data's size on return. */
int tv_unseal(const void *blob, size_t blob_len, void *data, size_t *len);
/*
 * A quote over nonce (<= TV_PAL_NONCE_MAX bytes) of the PCRs in pcr_mask,
 * which must include PCR 0 (else EINVAL): TPM2B_ATTEST then TPMT_SIGNATURE,
 * at most TV_PAL_QUOTE_MAX bytes; *quote_len as for tv_seal.
 */
int tv_quote(const void *nonce, size_t nonce_len, uint32_t pcr_mask,
	     void *quote, size_t *quote_len);
/*
 * This PAL's monotonic counters, ids 0 .. TV_PAL_NR_COUNTERS - 1: they start
 * at 0, belong to the PAL's measurement (another PAL never sees them, the
 * same PAL loaded again finds them) and live as long as the monitor, or,
 * on a monitor whose secret the TPM keeps, as long as that secret once
 * committed (tv_counter_commit).  There, until Linux restores them after a
 * load, reading or incrementing one gives ENODATA.
 */
int tv_counter_read(uint32_t id, uint64_t *value);
/* Returns the new value in *value; EOVERFLOW, unchanged, at UINT64_MAX. */
int tv_counter_increment(uint32_t id, uint64_t *value);
/*
 * Makes every counter durable as it stands, with one TPM NV increment:
 * after 0, no reboot or replay brings a counter below its value now.  The
 * call waits for Linux to store the table and the TPM to count it.
 * ENODEV: no durable counters here (the secret is ephemeral, or no TPM);
 * ENODATA: not restored yet; EAGAIN: another commit is under way; EIO:
 * Linux or the TPM failed it (it may or may not have counted).
 */
int tv_counter_commit(void);

#ifndef EPERM
#define EPERM		(-TV_PAL_EPERM)
#endif
#ifndef ENOENT
#define ENOENT		(-TV_PAL_ENOENT)
#endif
#ifndef EIO
#define EIO		(-TV_PAL_EIO)
#endif
#ifndef EAGAIN
#define EAGAIN		(-TV_PAL_EAGAIN)
#endif
#ifndef ENODEV
#define ENODEV		(-TV_PAL_ENODEV)
#endif
#ifndef ENODATA
#define ENODATA		(-TV_PAL_ENODATA)
#endif
#ifndef EACCES
#define EACCES		(-TV_PAL_EACCES)
#endif
#ifndef EFAULT
#define EFAULT		(-TV_PAL_EFAULT)
#endif
#ifndef EINVAL
#define EINVAL		(-TV_PAL_EINVAL)
#endif
#ifndef ENOSPC
#define ENOSPC		(-TV_PAL_ENOSPC)
#endif
#ifndef ERANGE
#define ERANGE		(-TV_PAL_ERANGE)
#endif
#ifndef EBADMSG
#define EBADMSG		(-TV_PAL_EBADMSG)
#endif
#ifndef EOVERFLOW
#define EOVERFLOW	(-TV_PAL_EOVERFLOW)
#endif

/* The libc subset: the C standard's semantics. */
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);

#ifdef __cplusplus
}
#endif

#endif
