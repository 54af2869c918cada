// SPDX-License-Identifier: GPL-2.0
/*
 * A PAL that uses every µTPM service, for tv_pal's services tests.
 *   cmd 1: the battery: each service with good and bad arguments; the
 *          output is struct battery (the return codes and what came back),
 *          judged by tv_pal, which knows what each must be.
 *   cmd 2: seal the input (policy: the input's first bytes if in_len is
 *          exactly sizeof(struct tv_seal_policy) + data, see below); out:
 *          the blob.  Input: u32 use_policy, struct tv_seal_policy, data.
 *   cmd 3: unseal the input; returns tv_unseal's code, out: the data.
 *   cmd 4: increment counter `in[0]`; out: the new value; returns the code.
 *   cmd 5: read counter `in[0]`; out: the value; returns the code.
 *   cmd 6: extend PCR 1 with the input's first 32 bytes.
 * services_twin.c is the same code with another measurement.
 */
#include <trustvisor/pal.h>
#include "services.h"

#ifndef SERVICES_TWIN
#define SERVICES_TWIN 0
#endif

static uint8_t blob[TV_PAL_BLOB_MAX], blob2[TV_PAL_BLOB_MAX];
static uint8_t data[TV_PAL_SEAL_MAX + 1];
static const uint32_t twin = SERVICES_TWIN;

static void battery(struct battery *b, const void *in)
{
	static const uint8_t d1[32] = { 1, 2, 3 };
	struct tv_seal_policy pol;
	uint64_t stack_probe;
	size_t n, m;

	memset(b, 0, sizeof(*b));
	b->ret[R_RANDOM] = tv_random(b->random_a, 32);
	tv_random(b->random_b, 32);
	b->ret[R_RANDOM_TOO_LONG] = tv_random(data, TV_PAL_RANDOM_MAX + 1);
	b->ret[R_RANDOM_UNMAPPED] = tv_random((void *)0x1000, 16);
	b->ret[R_RANDOM_INPUT] = tv_random((void *)in, 16);
	b->ret[R_RANDOM_CODE] = tv_random((void *)battery, 16);
	/* From a stack slot up past the stack's top, which is unmapped. */
	b->ret[R_RANDOM_PAST_STACK] = tv_random(&stack_probe, TV_PAL_STACK_MAX);

	b->ret[R_PCR_READ] = tv_pcr_read(0, b->pcr0);
	b->ret[R_PCR_READ_24] = tv_pcr_read(TV_PAL_NR_PCRS, b->pcr1);
	b->ret[R_PCR_EXTEND_0] = tv_pcr_extend(0, d1);
	b->ret[R_PCR_EXTEND_1] = tv_pcr_extend(1, d1);
	tv_pcr_read(1, b->pcr1);
	b->ret[R_PCR_EXTEND_24] = tv_pcr_extend(24, d1);
	b->ret[R_PCR_EXTEND_UNMAPPED] = tv_pcr_extend(2, (const uint8_t *)0x1000);
	/* A uint32_t index: what lies above bit 31 in the register is not the PAL's. */
	{
		uint8_t v[32];
		register uint64_t rdi asm("rdi") = (1ULL << 32) | 1;
		register uint64_t rsi asm("rsi") = (uint64_t)v;
		int32_t r;

		asm volatile("vmcall" : "=a"(r) : "a"(TV_PAL_HC_PCR_READ), "r"(rdi), "r"(rsi)
			     : "memory");
		b->ret[R_PCR_INDEX_HIGH_BITS] = r ?: memcmp(v, b->pcr1, 32);
	}

	for (size_t i = 0; i < 100; i++)
		data[i] = (uint8_t)(i * 7);
	n = sizeof(blob);
	b->ret[R_SEAL] = tv_seal(data, 100, NULL, blob, &n);
	b->seal_len = n;
	m = sizeof(blob2);
	b->ret[R_UNSEAL] = tv_unseal(blob, n, blob2, &m);
	b->unseal_len = m;
	b->unsealed_ok = m == 100 && !memcmp(blob2, data, 100);
	m = 10;
	b->ret[R_SEAL_SMALL] = tv_seal(data, 100, NULL, blob2, &m);
	b->small_len = m;
	m = 99;
	b->ret[R_UNSEAL_SMALL] = tv_unseal(blob, n, blob2, &m);
	b->unseal_small_len = m;
	blob[n - 1] ^= 1;
	m = sizeof(blob2);
	b->ret[R_UNSEAL_TAMPERED] = tv_unseal(blob, n, blob2, &m);
	blob[n - 1] ^= 1;
	m = sizeof(blob2);
	b->ret[R_UNSEAL_TRUNCATED] = tv_unseal(blob, n - 1, blob2, &m);
	b->ret[R_UNSEAL_BAD_LEN_PTR] = tv_unseal(blob, n, blob2, (size_t *)0x1000);

	memset(&pol, 0, sizeof(pol));
	pol.pcr_mask = 1U << 1;
	n = sizeof(blob);
	b->ret[R_SEAL_PCR] = tv_seal(data, 100, &pol, blob, &n);
	tv_pcr_extend(1, d1);
	m = sizeof(blob2);
	b->ret[R_UNSEAL_PCR_MOVED] = tv_unseal(blob, n, blob2, &m);
	memset(&pol, 0, sizeof(pol));
	pol.flags = TV_SEAL_F_RELEASE_TO;
	memset(pol.release_to, 0x5a, 32);
	n = sizeof(blob);
	b->ret[R_SEAL_RELEASE] = tv_seal(data, 100, &pol, blob, &n);
	m = sizeof(blob2);
	b->ret[R_UNSEAL_RELEASED_AWAY] = tv_unseal(blob, n, blob2, &m);
	pol.flags = 1U << 7;
	n = sizeof(blob);
	b->ret[R_SEAL_BAD_FLAG] = tv_seal(data, 100, &pol, blob, &n);
	n = sizeof(blob);
	b->ret[R_SEAL_TOO_LONG] = tv_seal(data, TV_PAL_SEAL_MAX + 1, NULL, blob, &n);
	memset(&pol, 0, sizeof(pol));
	pol.pcr_mask = 1U << 24;
	n = sizeof(blob);
	b->ret[R_SEAL_BAD_MASK] = tv_seal(data, 100, &pol, blob, &n);

	for (size_t i = 0; i < sizeof(b->nonce); i++)
		b->nonce[i] = (uint8_t)(0xc0 + i);
	n = sizeof(b->quote);
	b->ret[R_QUOTE] = tv_quote(b->nonce, sizeof(b->nonce), 0x3, b->quote, &n);
	b->quote_len = n;
	n = sizeof(blob);
	b->ret[R_QUOTE_NO_PCR0] = tv_quote(b->nonce, sizeof(b->nonce), 0x2, blob, &n);
	n = sizeof(blob);
	b->ret[R_QUOTE_LONG_NONCE] = tv_quote(data, TV_PAL_NONCE_MAX + 1, 0x1, blob, &n);
	n = 100;
	b->ret[R_QUOTE_SMALL] = tv_quote(b->nonce, sizeof(b->nonce), 0x1, blob, &n);

	b->ret[R_COUNTER_READ] = tv_counter_read(3, &b->counter_before);
	b->ret[R_COUNTER_INC] = tv_counter_increment(3, &b->counter_after);
	b->ret[R_COUNTER_READ_8] = tv_counter_read(TV_PAL_NR_COUNTERS, &b->counter_after_fault);
	b->ret[R_COUNTER_INC_CODE] = tv_counter_increment(3, (uint64_t *)battery);
	tv_counter_read(3, &b->counter_after_fault);
}

int32_t pal_main(uint32_t cmd, const void *in, size_t in_len, void *out, size_t *out_len)
{
	const uint8_t *inb = in;
	uint64_t v = 0;
	size_t n;
	int r;

	switch (cmd) {
	case 1:
		if (*out_len < sizeof(struct battery))
			return -1;
		battery(out, in);
		*out_len = sizeof(struct battery);
		return (int32_t)twin;
	case 2: {
		const size_t hdr = 4 + sizeof(struct tv_seal_policy);
		uint32_t use;

		if (in_len < hdr)
			return -1;
		memcpy(&use, inb, 4);
		n = *out_len;
		r = tv_seal(inb + hdr, in_len - hdr, use ? (const void *)(inb + 4) : NULL, out, &n);
		*out_len = r ? 0 : n;
		return r;
	}
	case 3:
		n = *out_len;
		r = tv_unseal(in, in_len, out, &n);
		*out_len = r ? 0 : n;
		return r;
	case 4:
	case 5:
		r = cmd == 4 ? tv_counter_increment(inb[0], &v) : tv_counter_read(inb[0], &v);
		memcpy(out, &v, 8);
		*out_len = 8;
		return r;
	case 6:
		*out_len = 0;
		return in_len < 32 ? -1 : tv_pcr_extend(1, inb);
	case 7:
		/* Increments counter inb[0], then makes it durable: the new value out. */
		r = tv_counter_increment(inb[0], &v);
		if (!r)
			r = tv_counter_commit();
		memcpy(out, &v, 8);
		*out_len = 8;
		return r;
	default:
		tv_exit(-22);
	}
}
