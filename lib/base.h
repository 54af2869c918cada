/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Freestanding base for lib/ and utpm/: fixed-width types and the few
 * memory primitives the compiler may call on its own.  Nothing here may pull
 * in libc or Linux headers: the same sources are linked into the monitor
 * image and into the userspace tests.
 */
#ifndef TV_LIB_BASE_H
#define TV_LIB_BASE_H

#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int32_t s32;

/* Provided by libc in userspace and by lib/freestanding/string.c in the monitor. */
void *memcpy(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
void *memmove(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);

/* Status codes shared by lib/ and utpm/; 0 is success, all errors negative. */
enum tv_err {
	TV_OK = 0,
	TV_EINVAL = -1,		/* malformed argument */
	TV_ERANGE = -2,		/* output buffer too small / length out of range */
	TV_EAUTH = -3,		/* authentication (MAC, signature) failed */
	TV_EENTROPY = -4,	/* no entropy available */
	TV_ERESEED = -5,	/* DRBG needs reseeding */
	TV_EPOLICY = -6,	/* PCR policy does not match */
	TV_EIDENTITY = -7,	/* caller identity not allowed */
	TV_EVERSION = -8,	/* unknown structure version */
	TV_ENOSPC = -9,		/* fixed table full */
	TV_ENOENT = -10,	/* no such object */
	TV_EPERM = -11,		/* operation not allowed */
	TV_ENODATA = -12,	/* not known yet (the µTPM's counters before a restore) */
};

#define TV_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#endif
