/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The string functions a freestanding image links from string.c: the
 * monitor and PALs.  In the host tests, libc provides the same functions
 * under the same prototypes.
 */
#ifndef TV_LIB_FREESTANDING_STRING_H
#define TV_LIB_FREESTANDING_STRING_H

#include "lib/base.h"

void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);

#endif
