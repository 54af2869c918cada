// SPDX-License-Identifier: GPL-2.0
/*
 * Negative controls for the constant-time check: the two leaks it exists to
 * find, written on purpose.  ct-check.sh requires memcheck to report each of
 * them at these functions; if it does not, the check itself is broken and
 * its passes on lib/ and utpm/ mean nothing.
 *
 * Compiled like lib/ and utpm/ (MONITOR_CFLAGS, see lib/lib.mk), so the
 * controls also show that memcheck still sees such leaks in code generated
 * with the monitor's flags.  Freestanding for the same reason.
 */
#include "lib/base.h"

/*
 * Two different volatile objects: each arm must do its own store, so the
 * compiler cannot turn the branch into a conditional move or arithmetic.
 */
volatile u32 ctneg_odd, ctneg_even;

/* Written by the driver, so the compiler can assume nothing about it. */
u8 ctneg_table[256];
volatile u8 ctneg_out;

/* Branches on bit 0 of a secret byte. */
__attribute__((noinline)) void ctneg_branch(const u8 *secret)
{
	if (*secret & 1)
		ctneg_odd = ctneg_odd + 1;
	else
		ctneg_even = ctneg_even + 1;
}

/* Loads from an address computed from a secret byte (an S-box lookup). */
__attribute__((noinline)) void ctneg_index(const u8 *secret)
{
	ctneg_out = ctneg_table[*secret];
}
