/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Minimal TAP 13 helpers in the kselftest style, shared by the userspace
 * unit tests (the in-VM suites use the kernel's own kselftest.h, see
 * selftests/selftests.mk).  Exit codes follow kselftest: 0 pass, 1 fail,
 * 4 skip.
 */
#ifndef TV_SELFTESTS_TAP_H
#define TV_SELFTESTS_TAP_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#define KSFT_PASS 0
#define KSFT_FAIL 1
#define KSFT_SKIP 4

static int tap_n, tap_fail, tap_skip;

static inline void tap_plan(int n)
{
	printf("TAP version 13\n1..%d\n", n);
	fflush(stdout);
}

static inline void tap_vresult(int ok, const char *fmt, va_list ap)
{
	printf("%sok %d ", ok ? "" : "not ", ++tap_n);
	vprintf(fmt, ap);
	printf("\n");
	fflush(stdout);
	if (!ok)
		tap_fail++;
}

/* Records one test point; returns ok so callers can chain diagnostics. */
static inline int tap_ok(int ok, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	tap_vresult(ok, fmt, ap);
	va_end(ap);
	return ok;
}

static inline void tap_skip_point(const char *why, const char *fmt, ...)
{
	va_list ap;

	printf("ok %d ", ++tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf(" # SKIP %s\n", why);
	fflush(stdout);
	tap_skip++;
}

static inline void tap_diag(const char *fmt, ...)
{
	va_list ap;

	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

/* Prints the kselftest totals line and returns the exit code. */
static inline int tap_finish(void)
{
	printf("# Totals: pass:%d fail:%d xfail:0 xpass:0 skip:%d error:0\n",
	       tap_n - tap_fail - tap_skip, tap_fail, tap_skip);
	fflush(stdout);
	if (tap_fail)
		return KSFT_FAIL;
	if (tap_skip && tap_skip == tap_n)
		return KSFT_SKIP;
	return KSFT_PASS;
}

#endif
