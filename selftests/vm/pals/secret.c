// SPDX-License-Identifier: GPL-2.0
/*
 * A PAL with a secret of its own: command 0 computes it into its bss (it is
 * in no image and never leaves the PAL), command 1 answers 1 if it is still
 * intact, command 2 adds up a float vector (SSE/AVX code from the compiler)
 * and returns the sum.  tv_pal's isolation test scans and overwrites the
 * PAL's memory from Linux's kernel between the two.
 */
#include <trustvisor/pal.h>

#define SECRET_LEN 4096

/* Aligned: the kernel probe looks for it at 8-byte aligned offsets. */
static uint8_t secret[SECRET_LEN] __attribute__((aligned(64)));
static float vec[1024];

static uint8_t secret_byte(size_t i)
{
	return (uint8_t)((i * 37 + 11) ^ 0xa5);
}

int32_t pal_main(uint32_t cmd, const void *in, size_t in_len, void *out, size_t *out_len)
{
	(void)in;
	(void)in_len;
	(void)out;
	*out_len = 0;
	switch (cmd) {
	case 0:
		for (size_t i = 0; i < SECRET_LEN; i++)
			secret[i] = secret_byte(i);
		return 0;
	case 1:
		for (size_t i = 0; i < SECRET_LEN; i++)
			if (secret[i] != secret_byte(i))
				return 0;
		return 1;
	case 2: {
		float sum = 0;

		for (size_t i = 0; i < 1024; i++)
			vec[i] = (float)i * 0.5f;
		for (size_t i = 0; i < 1024; i++)
			sum += vec[i];
		return (int32_t)sum;	/* 0.5 * 1023 * 1024 / 2 = 261888 */
	}
	default:
		tv_exit(-22);
	}
}
