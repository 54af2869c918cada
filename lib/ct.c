// SPDX-License-Identifier: GPL-2.0
/* Constant-time comparison and wiping. */
#include "lib/ct.h"

#ifdef TV_CT_VALGRIND
/*
 * Only in the valgrind constant-time test build (selftests/lib/ct-check.sh):
 * the client request is a magic no-op instruction sequence, no symbol.
 */
#include <valgrind/memcheck.h>
#endif

int ct_memeq(const void *a, const void *b, size_t n)
{
	const volatile u8 *x = a, *y = b;
	u32 d = 0;
	size_t i;

	/* volatile loads keep the compiler from turning this into memcmp. */
	for (i = 0; i < n; i++)
		d |= x[i] ^ y[i];
	/* d is in [0, 255]: d - 1 borrows into bit 31 iff d == 0. */
	return (int)((d - 1) >> 31);
}

void secure_wipe(void *p, size_t n)
{
	memset(p, 0, n);
	/* The asm claims to read p's memory, so the memset is not dead. */
	__asm__ __volatile__("" : : "r"(p) : "memory");
}

void ct_declassify(const void *p, size_t n)
{
#ifdef TV_CT_VALGRIND
	VALGRIND_MAKE_MEM_DEFINED(p, n);
#else
	(void)p;
	(void)n;
#endif
}
