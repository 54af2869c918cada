// SPDX-License-Identifier: GPL-2.0
/*
 * A PAL that never returns: the PAL lane powers the machine off while it
 * runs, and the monitor must still wipe it and give every CPU back.
 */
#include <trustvisor/pal.h>

int32_t pal_main(uint32_t cmd, const void *in, size_t in_len, void *out, size_t *out_len)
{
	(void)cmd;
	(void)in;
	(void)in_len;
	(void)out;
	(void)out_len;
	for (;;)
		asm volatile("" ::: "memory");
}
