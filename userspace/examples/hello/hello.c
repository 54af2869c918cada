// SPDX-License-Identifier: GPL-2.0
/*
 * The smallest useful PAL: answers every command N with status N + 1 and a
 * greeting.  Build it with: tvpal-cc -o hello.pal hello.c
 */
#include <trustvisor/pal.h>

static const char greeting[] = "hello from the PAL";

int32_t pal_main(uint32_t cmd, const void *in, size_t in_len, void *out, size_t *out_len)
{
	size_t n = strlen(greeting);

	(void)in;
	(void)in_len;
	if (*out_len < n)
		tv_exit(-1);	/* no room for the answer: no output at all */
	memcpy(out, greeting, n);
	*out_len = n;
	return (int32_t)(cmd + 1);
}
