// SPDX-License-Identifier: GPL-2.0
/*
 * The string functions of a freestanding image: the monitor's and every
 * PAL's (the SDK compiles this file with the PAL flags).  They are what the
 * compiler may emit calls to on its own, plus strlen for PALs.  No SSE (the
 * monitor has none): memcpy and memset are REP MOVSB/STOSB, which CPUs
 * with ERMSB run at full speed and Bochs as one instruction; the monitor
 * wipes a PAL's 2 MiB block and clears its 64 KiB input at every call with
 * them.  DF is clear: VM exits clear it, and PALs start with it clear.
 * The file sits in a folder of its own because the host tests link every
 * lib/ source with libc, whose memcpy a second one would clash with.
 */
#include "lib/freestanding/string.h"

void *memcpy(void *dst, const void *src, size_t n)
{
	void *d = dst;

	asm volatile("rep movsb" : "+D"(d), "+S"(src), "+c"(n) : : "memory");
	return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
	u8 *d = dst;
	const u8 *s = src;

	if (d <= s || d >= s + n)
		return memcpy(dst, src, n);
	while (n--)
		d[n] = s[n];
	return dst;
}

void *memset(void *dst, int c, size_t n)
{
	void *d = dst;

	asm volatile("rep stosb" : "+D"(d), "+c"(n) : "a"(c) : "memory");
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const u8 *x = a, *y = b;

	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}

size_t strlen(const char *s)
{
	const char *p = s;

	while (*p)
		p++;
	return (size_t)(p - s);
}
