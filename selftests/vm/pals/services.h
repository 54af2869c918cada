// SPDX-License-Identifier: GPL-2.0
/* What services.pal's battery (cmd 1) reports: shared with tv_pal, which judges it. */
#ifndef TV_PALS_SERVICES_H
#define TV_PALS_SERVICES_H

#include <stdint.h>
#include <trustvisor/pal_abi.h>

enum {
	R_RANDOM, R_RANDOM_TOO_LONG, R_RANDOM_UNMAPPED, R_RANDOM_INPUT, R_RANDOM_CODE,
	R_RANDOM_PAST_STACK, R_PCR_READ, R_PCR_READ_24, R_PCR_EXTEND_0, R_PCR_EXTEND_1,
	R_PCR_EXTEND_24, R_PCR_EXTEND_UNMAPPED, R_PCR_INDEX_HIGH_BITS, R_SEAL, R_UNSEAL,
	R_SEAL_SMALL, R_UNSEAL_TAMPERED, R_UNSEAL_TRUNCATED, R_UNSEAL_SMALL, R_SEAL_PCR,
	R_UNSEAL_PCR_MOVED, R_SEAL_RELEASE, R_UNSEAL_RELEASED_AWAY, R_SEAL_BAD_FLAG,
	R_SEAL_TOO_LONG, R_SEAL_BAD_MASK, R_QUOTE, R_QUOTE_NO_PCR0, R_QUOTE_LONG_NONCE,
	R_QUOTE_SMALL, R_COUNTER_READ, R_COUNTER_INC, R_COUNTER_READ_8, R_COUNTER_INC_CODE,
	R_UNSEAL_BAD_LEN_PTR, R_NR
};

struct battery {
	int32_t ret[R_NR];
	uint8_t random_a[32], random_b[32];
	uint8_t pcr0[32], pcr1[32];
	uint64_t seal_len, small_len, unseal_small_len, unseal_len;
	uint8_t unsealed_ok;
	uint8_t pad[7];
	uint64_t counter_before, counter_after, counter_after_fault;
	uint64_t quote_len;
	uint8_t quote[TV_PAL_QUOTE_MAX];
	uint8_t nonce[20];
};

#endif
