// SPDX-License-Identifier: GPL-2.0
/*
 * HMAC_DRBG: differential against (a) a direct transcription of SP 800-90A
 * 10.1.2 written here on top of OpenSSL's HMAC, and (b) OpenSSL's own
 * HMAC-DRBG fed the same entropy through its TEST-RAND parent, as its
 * CAVP harness does; then the error paths; then hw_entropy().
 */
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/params.h>
#include "lib/drbg.h"
#include "selftests/lib/testutil.h"

/* --- (a) reference: SP 800-90A 10.1.2, one step per line --- */
struct ref_drbg {
	unsigned char k[32], v[32];
	unsigned long long ctr;
};

static void ref_hmac(const unsigned char *key, const unsigned char *msg, size_t n,
		     unsigned char out[32])
{
	unsigned int len;

	if (!HMAC(EVP_sha256(), key, 32, msg, n, out, &len))
		abort();
}

/* provided_data is already concatenated by the caller. */
static void ref_update(struct ref_drbg *d, const unsigned char *data, size_t n)
{
	unsigned char buf[32 + 1 + 8192];

	memcpy(buf, d->v, 32);
	buf[32] = 0x00;
	memcpy(buf + 33, data, n);
	ref_hmac(d->k, buf, 33 + n, d->k);		/* K = HMAC(K, V || 0x00 || data) */
	ref_hmac(d->k, d->v, 32, d->v);			/* V = HMAC(K, V) */
	if (!n)
		return;
	memcpy(buf, d->v, 32);
	buf[32] = 0x01;
	memcpy(buf + 33, data, n);
	ref_hmac(d->k, buf, 33 + n, d->k);		/* K = HMAC(K, V || 0x01 || data) */
	ref_hmac(d->k, d->v, 32, d->v);
}

static void ref_instantiate(struct ref_drbg *d, const unsigned char *seed, size_t n)
{
	memset(d->k, 0x00, 32);
	memset(d->v, 0x01, 32);
	ref_update(d, seed, n);
	d->ctr = 1;
}

static void ref_generate(struct ref_drbg *d, unsigned char *out, size_t n,
			 const unsigned char *addl, size_t an)
{
	size_t off = 0;

	if (an)
		ref_update(d, addl, an);
	while (off < n) {
		size_t k = n - off < 32 ? n - off : 32;

		ref_hmac(d->k, d->v, 32, d->v);
		memcpy(out + off, d->v, k);
		off += k;
	}
	ref_update(d, addl, an);
	d->ctr++;
}

/* --- (b) OpenSSL's HMAC-DRBG with a deterministic entropy parent --- */
struct ossl_drbg {
	EVP_RAND_CTX *parent, *drbg;
};

static int ossl_set_entropy(struct ossl_drbg *o, const unsigned char *ent, size_t en,
			    const unsigned char *nonce, size_t nn)
{
	OSSL_PARAM p[3];
	int i = 0;

	p[i++] = OSSL_PARAM_construct_octet_string(OSSL_RAND_PARAM_TEST_ENTROPY,
						   (void *)ent, en);
	if (nonce)
		p[i++] = OSSL_PARAM_construct_octet_string(OSSL_RAND_PARAM_TEST_NONCE,
							   (void *)nonce, nn);
	p[i] = OSSL_PARAM_construct_end();
	return EVP_RAND_CTX_set_params(o->parent, p);
}

static int ossl_instantiate(struct ossl_drbg *o, const unsigned char *ent, size_t en,
			    const unsigned char *nonce, size_t nn,
			    const unsigned char *pers, size_t pn)
{
	unsigned int strength = 256;
	OSSL_PARAM p[3];
	EVP_RAND *r;

	r = EVP_RAND_fetch(NULL, "TEST-RAND", NULL);
	if (!r)
		return 0;
	o->parent = EVP_RAND_CTX_new(r, NULL);
	EVP_RAND_free(r);
	p[0] = OSSL_PARAM_construct_uint(OSSL_RAND_PARAM_STRENGTH, &strength);
	p[1] = OSSL_PARAM_construct_end();
	if (!o->parent || !EVP_RAND_CTX_set_params(o->parent, p) ||
	    !ossl_set_entropy(o, ent, en, nonce, nn) ||
	    !EVP_RAND_instantiate(o->parent, strength, 0, NULL, 0, NULL))
		return 0;
	r = EVP_RAND_fetch(NULL, "HMAC-DRBG", NULL);
	if (!r)
		return 0;
	o->drbg = EVP_RAND_CTX_new(r, o->parent);
	EVP_RAND_free(r);
	p[0] = OSSL_PARAM_construct_utf8_string(OSSL_DRBG_PARAM_MAC, "HMAC", 0);
	p[1] = OSSL_PARAM_construct_utf8_string(OSSL_DRBG_PARAM_DIGEST, "SHA256", 0);
	p[2] = OSSL_PARAM_construct_end();
	return o->drbg && EVP_RAND_CTX_set_params(o->drbg, p) &&
	       EVP_RAND_instantiate(o->drbg, strength, 0, pers, pn, NULL);
}

static void ossl_free(struct ossl_drbg *o)
{
	EVP_RAND_CTX_free(o->drbg);
	EVP_RAND_CTX_free(o->parent);
}

int main(void)
{
	static unsigned char out[DRBG_MAX_REQUEST + 1], ref[DRBG_MAX_REQUEST];
	unsigned char ent[128], nonce[64], pers[128], addl[128];
	struct hmac_drbg d, saved;
	struct ref_drbg r;
	int i, bad, ossl_bad, ossl_skip = 0;

	tap_plan(12);
	tu_seed();

	bad = 0;
	ossl_bad = 0;
	for (i = 0; i < 600; i++) {
		int step, use_ossl = i < 200 && !ossl_skip;
		/* OpenSSL insists on a nonce of half the security strength. */
		size_t en = 32 + tu_rand_below(40), nn = (use_ossl ? 16 : 0) + tu_rand_below(17),
		       pn = tu_rand_below(3) ? tu_rand_below(100) : 0;
		unsigned char seed[300];
		struct ossl_drbg o = { 0 };

		tu_rand_bytes(ent, en);
		tu_rand_bytes(nonce, nn);
		tu_rand_bytes(pers, pn);
		memcpy(seed, ent, en);
		memcpy(seed + en, nonce, nn);
		memcpy(seed + en + nn, pers, pn);
		bad += hmac_drbg_instantiate(&d, ent, en, nonce, nn, pers, pn) != TV_OK;
		ref_instantiate(&r, seed, en + nn + pn);
		if (use_ossl && !ossl_instantiate(&o, ent, en, nonce, nn, pers, pn)) {
			tap_diag("OpenSSL HMAC-DRBG with TEST-RAND unavailable");
			ossl_skip = 1;
			use_ossl = 0;
		}

		for (step = 0; step < 6; step++) {
			size_t on = tu_rand_below(5) ? tu_rand_below(200) : tu_rand_below(5000);
			size_t an = tu_rand_below(2) ? tu_rand_below(100) : 0;

			if (step == 3) {
				/* Reseed with fresh entropy and optional additional input. */
				en = 32 + tu_rand_below(40);
				tu_rand_bytes(ent, en);
				tu_rand_bytes(addl, an);
				memcpy(seed, ent, en);
				memcpy(seed + en, addl, an);
				bad += hmac_drbg_reseed(&d, ent, en, addl, an) != TV_OK;
				ref_update(&r, seed, en + an);
				r.ctr = 1;
				if (use_ossl && (!ossl_set_entropy(&o, ent, en, NULL, 0) ||
						 !EVP_RAND_reseed(o.drbg, 0, NULL, 0, addl, an)))
					ossl_bad++;
				continue;
			}
			/* OpenSSL treats a 0-byte request as a no-op; SP 800-90A does not. */
			if (use_ossl && !on)
				on = 1;
			tu_rand_bytes(addl, an);
			bad += hmac_drbg_generate(&d, out, on, addl, an) != TV_OK;
			ref_generate(&r, ref, on, addl, an);
			bad += memcmp(out, ref, on) || memcmp(d.key, r.k, 32) ||
			       memcmp(d.v, r.v, 32) || d.reseed_counter != r.ctr;
			if (use_ossl) {
				if (!EVP_RAND_generate(o.drbg, ref, on, 256, 0, addl, an))
					ossl_bad++;
				else
					ossl_bad += !!memcmp(out, ref, on);
			}
		}
		if (use_ossl)
			ossl_free(&o);
	}
	tap_ok(!bad, "600 random instantiate/generate/reseed sequences match the SP 800-90A "
		     "transcription, incl. K, V and reseed_counter (%d bad)", bad);
	if (ossl_skip)
		tap_skip_point("OpenSSL TEST-RAND not available", "OpenSSL HMAC-DRBG differential");
	else
		tap_ok(!ossl_bad, "200 of them also match OpenSSL's HMAC-DRBG (%d bad)", ossl_bad);

	/* The maximum request is exactly DRBG_MAX_REQUEST bytes. */
	memset(ent, 0x42, 32);
	hmac_drbg_instantiate(&d, ent, 32, NULL, 0, NULL, 0);
	tap_ok(hmac_drbg_generate(&d, out, DRBG_MAX_REQUEST, NULL, 0) == TV_OK,
	       "generate of DRBG_MAX_REQUEST bytes ok");
	saved = d;
	memset(out, 0x99, sizeof(out));
	tap_ok(hmac_drbg_generate(&d, out, DRBG_MAX_REQUEST + 1, NULL, 0) == TV_ERANGE &&
	       !memcmp(&d, &saved, sizeof(d)) && tu_all(out, 0x99, sizeof(out)),
	       "DRBG_MAX_REQUEST + 1: TV_ERANGE, state and output untouched");

	/* Reseed interval: the counter may reach, not exceed, the interval. */
	d.reseed_counter = DRBG_RESEED_INTERVAL;
	tap_ok(hmac_drbg_generate(&d, out, 16, NULL, 0) == TV_OK,
	       "generate at reseed_counter == interval ok");
	saved = d;
	memset(out, 0x99, 16);
	tap_ok(hmac_drbg_generate(&d, out, 16, NULL, 0) == TV_ERESEED &&
	       !memcmp(&d, &saved, sizeof(d)) && tu_all(out, 0x99, 16),
	       "past the interval: TV_ERESEED, nothing changed");
	tap_ok(hmac_drbg_reseed(&d, ent, 32, NULL, 0) == TV_OK && d.reseed_counter == 1 &&
	       hmac_drbg_generate(&d, out, 16, NULL, 0) == TV_OK, "reseed clears TV_ERESEED");

	/* Too little entropy, bad pointers, uninstantiated state. */
	saved = d;
	bad = hmac_drbg_reseed(&d, ent, 31, NULL, 0) != TV_EINVAL;
	bad += hmac_drbg_reseed(&d, NULL, 32, NULL, 0) != TV_EINVAL;
	bad += hmac_drbg_generate(&d, out, 16, NULL, 1) != TV_EINVAL;
	bad += hmac_drbg_generate(&d, NULL, 16, NULL, 0) != TV_EINVAL;
	bad += hmac_drbg_instantiate(&d, ent, 31, NULL, 0, NULL, 0) != TV_EINVAL;
	tap_ok(!bad && !memcmp(&d, &saved, sizeof(d)), "invalid arguments: TV_EINVAL, state kept");

	hmac_drbg_wipe(&d);
	tap_ok(tu_all(&d, 0, sizeof(d)) && !d.instantiated &&
	       hmac_drbg_generate(&d, out, 16, NULL, 0) == TV_EINVAL,
	       "wiped DRBG is zero and refuses to generate");

	/* hw_entropy: works on this CPU (or says why not) and is not constant. */
	{
		unsigned char e1[77], e2[77];
		int r1, r2;

		memset(e1, 0, sizeof(e1));
		memset(e2, 0, sizeof(e2));
		r1 = hw_entropy(e1, sizeof(e1));
		r2 = hw_entropy(e2, sizeof(e2));
		if (r1 == TV_EENTROPY) {
			tap_skip_point("no RDSEED/RDRAND", "hw_entropy");
			tap_skip_point("no RDSEED/RDRAND", "hw_entropy differs between calls");
		} else {
			tap_ok(r1 == TV_OK && r2 == TV_OK && !tu_all(e1 + 69, 0, 8),
			       "hw_entropy fills odd lengths to the end");
			tap_ok(memcmp(e1, e2, sizeof(e1)) != 0, "hw_entropy differs between calls");
		}
		tap_ok(hw_entropy(NULL, 0) == TV_OK && hw_entropy(NULL, 8) == TV_EINVAL,
		       "hw_entropy argument checks");
	}
	return tap_finish();
}
