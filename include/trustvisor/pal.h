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
