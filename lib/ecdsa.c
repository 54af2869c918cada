// SPDX-License-Identifier: GPL-2.0
/*
 * ECDSA over P-256 with SHA-256 (FIPS 186-4 section 6, SEC 1 4.1) with the
 * deterministic nonces of RFC 6979 section 3.2.  Signatures are not
 * normalised to low s: sign returns the s of FIPS 186-4 (so the RFC 6979
 * vectors match) and verify accepts either s.
 *
 * Secrets (private key, nonce) only ever reach masked arithmetic.  The few
 * branches on values derived from them are on facts that are public or about
 * a discarded candidate (a nonce outside [1, n-1], r or s zero, which the
 * signature or status reveals anyway); those are passed through
 * ct_declassify first so the valgrind check sees the intent.
 */
#include "lib/ecdsa.h"
#include "lib/ct.h"
#include "lib/hmac.h"
#include "lib/p256.h"

/* Candidates tried by keygen: all 8 invalid has probability about 2^-256. */
#define KEYGEN_TRIES 8

/* RFC 6979 3.2 HMAC_DRBG state. */
struct rfc6979 {
	u8 k[32];
	u8 v[32];
};

/* K = HMAC_K(V || sep [|| x || h1]); V = HMAC_K(V) (steps d-g and h.3). */
static void rfc6979_rekey(struct rfc6979 *st, u8 sep, const u8 *x,
			  const u8 *h1)
{
	struct hmac_sha256_ctx ctx;

	hmac_sha256_init(&ctx, st->k, sizeof(st->k));
	hmac_sha256_update(&ctx, st->v, sizeof(st->v));
	hmac_sha256_update(&ctx, &sep, 1);
	if (x) {
		hmac_sha256_update(&ctx, x, 32);
		hmac_sha256_update(&ctx, h1, 32);
	}
	hmac_sha256_final(&ctx, st->k);
	hmac_sha256(st->k, sizeof(st->k), st->v, sizeof(st->v), st->v);
}

/* qlen = hlen = 256, so one V is one candidate k (step h.2). */
static void rfc6979_next(struct rfc6979 *st, u64 k[4])
{
	hmac_sha256(st->k, sizeof(st->k), st->v, sizeof(st->v), st->v);
	p256_scalar_from_bytes(k, st->v);
}

static void point_encode(u8 pub[P256_PUBKEY_SIZE], const struct p256_point *p)
{
	pub[0] = 0x04;
	p256_point_to_affine(pub + 1, pub + 33, p);
}

/*
 * The scalar is the first of HMAC-SHA256(seed, label || i), i = 0..7, that
 * lies in [1, n-1].  All eight are always computed and the choice is
 * masked, so the time does not depend on which one wins; rejection rather
 * than reduction keeps the key exactly uniform.
 */
int p256_keygen(const u8 seed[32], u8 priv[P256_SCALAR_SIZE],
		u8 pub[P256_PUBKEY_SIZE])
{
	static const char label[] = "TrustVisor P-256 keygen";
	u8 msg[sizeof(label)], cand_bytes[32];
	u64 cand[4], d[4] = { 0 };
	u64 taken = 0;
	struct p256_point q;
	int i, j;

	if (!seed || !priv || !pub)
		return TV_EINVAL;

	memcpy(msg, label, sizeof(label) - 1);
	for (i = 0; i < KEYGEN_TRIES; i++) {
		u64 take;

		msg[sizeof(label) - 1] = (u8)i;
		hmac_sha256(seed, 32, msg, sizeof(msg), cand_bytes);
		p256_scalar_from_bytes(cand, cand_bytes);
		take = p256_scalar_valid_mask(cand) & ~taken;
		for (j = 0; j < 4; j++)
			d[j] = (cand[j] & take) | (d[j] & ~take);
		taken |= take;
	}
	secure_wipe(cand, sizeof(cand));
	secure_wipe(cand_bytes, sizeof(cand_bytes));

	ct_declassify(&taken, sizeof(taken));
	if (!taken) {
		secure_wipe(d, sizeof(d));
		return TV_EINVAL;
	}

	p256_point_mul_base(&q, d);
	point_encode(pub, &q);
	p256_scalar_to_bytes(priv, d);
	secure_wipe(d, sizeof(d));
	secure_wipe(&q, sizeof(q));
	return TV_OK;
}

int ecdsa_p256_sign(const u8 priv[P256_SCALAR_SIZE], const u8 hash[32],
		    u8 sig[P256_SIG_SIZE])
{
	struct rfc6979 drbg;
	struct p256_point rp;
	u64 d[4], e[4], k[4], r[4], s[4], t[4];
	u8 h1[32], rx[32], ry[32];
	u64 ok;

	if (!priv || !hash || !sig)
		return TV_EINVAL;

	p256_scalar_from_bytes(d, priv);
	ok = p256_scalar_valid_mask(d);
	ct_declassify(&ok, sizeof(ok));
	if (!ok) {
		secure_wipe(d, sizeof(d));
		return TV_EINVAL;
	}

	/* bits2int then bits2octets: qlen = 256, so only a reduction mod n. */
	p256_scalar_from_bytes(e, hash);
	p256_scalar_reduce(e, e);
	p256_scalar_to_bytes(h1, e);

	memset(drbg.v, 0x01, sizeof(drbg.v));
	memset(drbg.k, 0x00, sizeof(drbg.k));
	rfc6979_rekey(&drbg, 0x00, priv, h1);
	rfc6979_rekey(&drbg, 0x01, priv, h1);

	for (;;) {
		u64 bad;

		rfc6979_next(&drbg, k);
		ok = p256_scalar_valid_mask(k);
		ct_declassify(&ok, sizeof(ok));
		if (ok) {
			p256_point_mul_base(&rp, k);
			p256_point_to_affine(rx, ry, &rp);
			p256_scalar_from_bytes(r, rx);
			p256_scalar_reduce(r, r);

			p256_scalar_mul(t, r, d);
			p256_scalar_add(t, t, e);
			p256_scalar_inv(k, k);
			p256_scalar_mul(s, k, t);

			bad = p256_scalar_zero_mask(r) | p256_scalar_zero_mask(s);
			ct_declassify(&bad, sizeof(bad));
			if (!bad)
				break;
		}
		rfc6979_rekey(&drbg, 0x00, NULL, NULL);
	}

	p256_scalar_to_bytes(sig, r);
	p256_scalar_to_bytes(sig + 32, s);

	secure_wipe(&drbg, sizeof(drbg));
	secure_wipe(&rp, sizeof(rp));
	secure_wipe(d, sizeof(d));
	secure_wipe(k, sizeof(k));
	secure_wipe(t, sizeof(t));
	secure_wipe(rx, sizeof(rx));
	secure_wipe(ry, sizeof(ry));
	return TV_OK;
}

int ecdsa_p256_verify(const u8 pub[P256_PUBKEY_SIZE], const u8 hash[32],
		      const u8 sig[P256_SIG_SIZE])
{
	struct p256_point q, rp;
	u64 r[4], s[4], e[4], w[4], u1[4], u2[4], x[4];
	u8 rx[32], ry[32];

	if (!pub || !hash || !sig)
		return TV_EINVAL;
	if (pub[0] != 0x04 || p256_point_from_affine(&q, pub + 1, pub + 33))
		return TV_EINVAL;

	p256_scalar_from_bytes(r, sig);
	p256_scalar_from_bytes(s, sig + 32);
	if (!p256_scalar_valid_mask(r) || !p256_scalar_valid_mask(s))
		return TV_EAUTH;

	p256_scalar_from_bytes(e, hash);
	p256_scalar_reduce(e, e);
	p256_scalar_inv(w, s);
	p256_scalar_mul(u1, e, w);
	p256_scalar_mul(u2, r, w);
	p256_point_mul2_vartime(&rp, u1, u2, &q);
	if (p256_point_infinity_mask(&rp))
		return TV_EAUTH;

	/* x < p < 2n, so x mod n is one conditional subtraction. */
	p256_point_to_affine(rx, ry, &rp);
	p256_scalar_from_bytes(x, rx);
	p256_scalar_reduce(x, x);
	return memcmp(x, r, sizeof(x)) ? TV_EAUTH : TV_OK;
}
