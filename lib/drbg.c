// SPDX-License-Identifier: GPL-2.0
/* SP 800-90A Rev. 1 HMAC_DRBG with SHA-256, no prediction resistance. */
#include "lib/drbg.h"
#include "lib/hmac.h"
#include "lib/ct.h"

/*
 * Security strength 256 bits: instantiate and reseed need at least that much
 * entropy (10.1 table 2).  Inputs are capped far below the standard's 2^35
 * bits: nothing in TrustVisor feeds more, and the cap keeps lengths sane.
 */
#define DRBG_MIN_ENTROPY 32
#define DRBG_MAX_INPUT 4096

/* HMAC_DRBG_Update (10.1.2.2) over the concatenation of up to three inputs. */
struct drbg_in {
	const void *p;
	size_t len;
};

static void drbg_update(struct hmac_drbg *d, const struct drbg_in *in, int n_in)
{
	struct hmac_sha256_ctx ctx;
	bool have_data = false;
	u8 round;
	int i;

	for (i = 0; i < n_in; i++)
		have_data |= in[i].len != 0;

	for (round = 0; round < 2; round++) {
		hmac_sha256_init(&ctx, d->key, sizeof(d->key));
		hmac_sha256_update(&ctx, d->v, sizeof(d->v));
		hmac_sha256_update(&ctx, &round, 1);
		for (i = 0; i < n_in; i++)
			hmac_sha256_update(&ctx, in[i].p, in[i].len);
		hmac_sha256_final(&ctx, d->key);
		hmac_sha256(d->key, sizeof(d->key), d->v, sizeof(d->v), d->v);
		if (!have_data)
			break;
	}
}

static bool drbg_input_ok(const void *p, size_t len)
{
	return len <= DRBG_MAX_INPUT && (p || !len);
}

int hmac_drbg_instantiate(struct hmac_drbg *d, const void *entropy, size_t entropy_len,
			  const void *nonce, size_t nonce_len,
			  const void *pers, size_t pers_len)
{
	struct drbg_in in[3] = {
		{ entropy, entropy_len }, { nonce, nonce_len }, { pers, pers_len },
	};

	if (!d || entropy_len < DRBG_MIN_ENTROPY || !drbg_input_ok(entropy, entropy_len) ||
	    !drbg_input_ok(nonce, nonce_len) || !drbg_input_ok(pers, pers_len))
		return TV_EINVAL;

	memset(d->key, 0x00, sizeof(d->key));
	memset(d->v, 0x01, sizeof(d->v));
	drbg_update(d, in, 3);
	d->reseed_counter = 1;
	d->instantiated = true;
	return TV_OK;
}

int hmac_drbg_reseed(struct hmac_drbg *d, const void *entropy, size_t entropy_len,
		     const void *addl, size_t addl_len)
{
	struct drbg_in in[2] = { { entropy, entropy_len }, { addl, addl_len } };

	if (!d || !d->instantiated || entropy_len < DRBG_MIN_ENTROPY ||
	    !drbg_input_ok(entropy, entropy_len) || !drbg_input_ok(addl, addl_len))
		return TV_EINVAL;

	drbg_update(d, in, 2);
	d->reseed_counter = 1;
	return TV_OK;
}

int hmac_drbg_generate(struct hmac_drbg *d, void *out, size_t out_len,
		       const void *addl, size_t addl_len)
{
	struct drbg_in in = { addl, addl_len };
	struct hmac_sha256_ctx base, ctx;
	u8 *o = out;

	if (!d || !d->instantiated || !drbg_input_ok(addl, addl_len) || (out_len && !out))
		return TV_EINVAL;
	if (out_len > DRBG_MAX_REQUEST)
		return TV_ERANGE;
	if (d->reseed_counter > DRBG_RESEED_INTERVAL)
		return TV_ERESEED;

	if (addl_len)
		drbg_update(d, &in, 1);

	/* K is fixed while V chains: reuse the keyed pads for every block. */
	hmac_sha256_init(&base, d->key, sizeof(d->key));
	while (out_len) {
		size_t n = out_len < sizeof(d->v) ? out_len : sizeof(d->v);

		ctx = base;
		hmac_sha256_update(&ctx, d->v, sizeof(d->v));
		hmac_sha256_final(&ctx, d->v);
		memcpy(o, d->v, n);
		o += n;
		out_len -= n;
	}
	secure_wipe(&base, sizeof(base));

	/* 10.1.2.5 step 6 runs Update with the same additional input (or none). */
	drbg_update(d, &in, 1);
	d->reseed_counter++;
	return TV_OK;
}

void hmac_drbg_wipe(struct hmac_drbg *d)
{
	secure_wipe(d, sizeof(*d));
}
