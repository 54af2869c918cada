// SPDX-License-Identifier: GPL-2.0
/*
 * The string functions of a freestanding image: the monitor's and every
 * PAL's (the SDK compiles this file with the PAL flags).  They are what the
 * compiler may emit calls to on its own, plus strlen for PALs.  Byte loops
 * on purpose: the monitor has no SSE and none of this is on a hot path.
 * The file sits in a folder of its own because the host tests link every
 * lib/ source with libc, whose memcpy a second one would clash with.
 */
#include "lib/freestanding/string.h"

void *memcpy(void *dst, const void *src, size_t n)
{
	u8 *d = dst;
	const u8 *s = src;

	while (n--)
		*d++ = *s++;
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
	u8 *d = dst;

	while (n--)
		*d++ = (u8)c;
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
