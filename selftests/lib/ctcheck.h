/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared by every program ct-check.sh runs under memcheck: the one place
 * that says how a secret is marked.  The negative controls (ctneg_*.c) use
 * these same macros, so a SECRET() that stops marking anything (compiled
 * out, wrong header, not running under valgrind) turns the controls into
 * failures instead of letting every real check pass vacuously.
 */
#ifndef TV_SELFTESTS_LIB_CTCHECK_H
#define TV_SELFTESTS_LIB_CTCHECK_H

#include <valgrind/memcheck.h>

/* From here on memcheck reports any branch or address computed from p[0..n). */
#define SECRET(p, n) VALGRIND_MAKE_MEM_UNDEFINED(p, n)
/* An output the program is about to inspect; it is public by contract. */
#define PUBLIC(p, n) VALGRIND_MAKE_MEM_DEFINED(p, n)

#endif
