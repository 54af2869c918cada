/* SPDX-License-Identifier: GPL-2.0 */
#ifndef TV_LIB_CT_H
#define TV_LIB_CT_H

#include "lib/base.h"

/* Returns 1 if equal, 0 otherwise; time depends only on n. */
int ct_memeq(const void *a, const void *b, size_t n);
/* Zeroes memory in a way the compiler may not elide. */
void secure_wipe(void *p, size_t n);
/*
 * Marks a secret-derived value as public (a MAC verdict, say) before code
 * branches on it.  A no-op except in the valgrind constant-time check build,
 * which compiles lib/ with -DTV_CT_VALGRIND.
 */
void ct_declassify(const void *p, size_t n);

#endif
