/* SPDX-License-Identifier: GPL-2.0 */
/* SP 800-90A HMAC_DRBG with SHA-256. */
#ifndef TV_LIB_DRBG_H
#define TV_LIB_DRBG_H

#include "lib/base.h"

#define DRBG_RESEED_INTERVAL (1ULL << 48)
#define DRBG_MAX_REQUEST 65536

struct hmac_drbg {
	u8 key[32];
	u8 v[32];
	u64 reseed_counter;
	bool instantiated;
};

int hmac_drbg_instantiate(struct hmac_drbg *d, const void *entropy, size_t entropy_len,
			  const void *nonce, size_t nonce_len,
			  const void *pers, size_t pers_len);
int hmac_drbg_reseed(struct hmac_drbg *d, const void *entropy, size_t entropy_len,
		     const void *addl, size_t addl_len);
/* Returns TV_ERESEED when the reseed interval is reached. */
int hmac_drbg_generate(struct hmac_drbg *d, void *out, size_t out_len,
		       const void *addl, size_t addl_len);
void hmac_drbg_wipe(struct hmac_drbg *d);

/* RDSEED (falling back to RDRAND) into buf; TV_EENTROPY if the CPU has neither or they fail. */
int hw_entropy(void *buf, size_t len);

#endif
