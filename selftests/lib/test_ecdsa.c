// SPDX-License-Identifier: GPL-2.0
/*
 * ECDSA P-256 / SHA-256: RFC 6979 A.2.5 known answers, group-law sanity,
 * differential tests against OpenSSL on random keys and hashes, and
 * rejection of malformed signatures and keys.  Random inputs come from a
 * fixed-seed generator so a failure reproduces; TV_TEST_SEED overrides it.
 */
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/obj_mac.h>
#include <openssl/sha.h>
#include <string.h>

#include "lib/ecdsa.h"
#include "lib/p256.h"
#include "selftests/tap.h"

#define N_SCALAR 10000	/* scalar-field operations vs BN */
#define N_POINT 600	/* scalar multiplications vs EC_POINT_mul */
#define N_SIGN 1000	/* sign/verify round trips both ways */

static u64 rng_state;

/* splitmix64: reproducible, and good enough to pick test inputs. */
static u64 rng64(void)
{
	u64 z = (rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static void rng_bytes(u8 *p, size_t n)
{
	while (n--)
		*p++ = (u8)rng64();
}

static void unhex(u8 *out, const char *hex, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned int v;

		sscanf(hex + 2 * i, "%2x", &v);
		out[i] = (u8)v;
	}
}

static void diag_hex(const char *what, const u8 *p, size_t n)
{
	char buf[2 * 128 + 1];
	size_t i;

	for (i = 0; i < n && i < 128; i++)
		sprintf(buf + 2 * i, "%02x", p[i]);
	tap_diag("%s %s", what, buf);
}

static EC_GROUP *grp;
static BN_CTX *bnctx;
static BIGNUM *order;

static const char n_hex[] =
	"ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551";
static const char p_hex[] =
	"ffffffff00000001000000000000000000000000ffffffffffffffffffffffff";
static const char gx_hex[] =
	"6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296";
static const char gy_hex[] =
	"4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5";

/* OpenSSL's public key for scalar d (32 bytes big-endian). */
static void ossl_pub(u8 pub[65], const u8 d[32])
{
	BIGNUM *bd = BN_bin2bn(d, 32, NULL);
	EC_POINT *pt = EC_POINT_new(grp);

	EC_POINT_mul(grp, pt, bd, NULL, NULL, bnctx);
	EC_POINT_point2oct(grp, pt, POINT_CONVERSION_UNCOMPRESSED, pub, 65, bnctx);
	EC_POINT_free(pt);
	BN_free(bd);
}

static EC_KEY *ossl_key(const u8 d[32], const u8 pub[65])
{
	EC_KEY *k = EC_KEY_new_by_curve_name(NID_X9_62_prime256v1);
	EC_POINT *pt = EC_POINT_new(grp);

	EC_POINT_oct2point(grp, pt, pub, 65, bnctx);
	EC_KEY_set_public_key(k, pt);
	if (d) {
		BIGNUM *bd = BN_bin2bn(d, 32, NULL);

		EC_KEY_set_private_key(k, bd);
		BN_free(bd);
	}
	EC_POINT_free(pt);
	return k;
}

static int ossl_verify(const u8 pub[65], const u8 hash[32], const u8 sig[64])
{
	EC_KEY *k = ossl_key(NULL, pub);
	ECDSA_SIG *s = ECDSA_SIG_new();
	int ok;

	ECDSA_SIG_set0(s, BN_bin2bn(sig, 32, NULL), BN_bin2bn(sig + 32, 32, NULL));
	ok = ECDSA_do_verify(hash, 32, s, k);
	ECDSA_SIG_free(s);
	EC_KEY_free(k);
	return ok == 1;
}

static void ossl_sign(u8 sig[64], const u8 d[32], const u8 pub[65],
		      const u8 hash[32])
{
	EC_KEY *k = ossl_key(d, pub);
	ECDSA_SIG *s = ECDSA_do_sign(hash, 32, k);
	const BIGNUM *r, *sv;

	ECDSA_SIG_get0(s, &r, &sv);
	BN_bn2binpad(r, sig, 32);
	BN_bn2binpad(sv, sig + 32, 32);
	ECDSA_SIG_free(s);
	EC_KEY_free(k);
}

/* A uniformly random scalar in [1, n-1]. */
static void rand_scalar(u8 d[32])
{
	u64 k[4];

	do {
		rng_bytes(d, 32);
		p256_scalar_from_bytes(k, d);
	} while (!p256_scalar_valid_mask(k));
}

static void our_pub_from_scalar(u8 pub[65], const u8 d[32])
{
	struct p256_point q;
	u64 k[4];

	p256_scalar_from_bytes(k, d);
	p256_point_mul_base(&q, k);
	pub[0] = 4;
	p256_point_to_affine(pub + 1, pub + 33, &q);
}

/* RFC 6979 A.2.5: NIST P-256 key pair and the SHA-256 signatures. */
static const char rfc_x[] =
	"C9AFA9D845BA75166B5C215767B1D6934E50C3DB36E89B127B8A622B120F6721";
static const char rfc_ux[] =
	"60FED4BA255A9D31C961EB74C6356D68C049B8923B61FA6CE669622E60F29FB6";
static const char rfc_uy[] =
	"7903FE1008B8BC99A41AE9E95628BC64F2F1B20C2D7E9F5177A3C294D4462299";
static const struct {
	const char *msg, *k, *r, *s;
} rfc_sigs[] = {
	{ "sample",
	  "A6E3C57DD01ABE90086538398355DD4C3B17AA873382B0F24D6129493D8AAD60",
	  "EFD48B2AACB6A8FD1140DD9CD45E81D69D2C877B56AAF991C34D0EA84EAF3716",
	  "F7CB1C942D657C41D436C7A1B6E29F65F3E900DBB9AFF4064DC4AB2F843ACDA8" },
	{ "test",
	  "D16B6AE827F17175E040871A1C7EC3500192C4C92677336EC2537ACAEE0008E0",
	  "F1ABB023518351CD71D881567B1EA663ED3EFCF6C5132B354F28D3B0B7D38367",
	  "019F4113742A2B14BD25926B49C649155F267E60D3814B4C0CC84250E46F0083" },
};

static void test_rfc6979(void)
{
	u8 x[32], pub[65], want_pub[65], hash[32], sig[64], want[64], k[32];
	u8 kx[32], ky[32], r_mod_n[32];
	struct p256_point kg;
	u64 kk[4], xr[4];
	size_t i;

	unhex(x, rfc_x, 32);
	want_pub[0] = 4;
	unhex(want_pub + 1, rfc_ux, 32);
	unhex(want_pub + 33, rfc_uy, 32);
	our_pub_from_scalar(pub, x);
	tap_ok(!memcmp(pub, want_pub, 65), "rfc6979 A.2.5 public key U = xG");

	for (i = 0; i < TV_ARRAY_SIZE(rfc_sigs); i++) {
		const char *m = rfc_sigs[i].msg;
		int rc;

		SHA256((const u8 *)m, strlen(m), hash);
		unhex(want, rfc_sigs[i].r, 32);
		unhex(want + 32, rfc_sigs[i].s, 32);
		memset(sig, 0, sizeof(sig));
		rc = ecdsa_p256_sign(x, hash, sig);
		if (!tap_ok(rc == TV_OK && !memcmp(sig, want, 64),
			    "rfc6979 A.2.5 SHA-256 \"%s\": r and s", m))
			diag_hex("got", sig, 64);

		/* The nonce itself: r must be (kG).x mod n for the listed k. */
		unhex(k, rfc_sigs[i].k, 32);
		p256_scalar_from_bytes(kk, k);
		p256_point_mul_base(&kg, kk);
		p256_point_to_affine(kx, ky, &kg);
		p256_scalar_from_bytes(xr, kx);
		p256_scalar_reduce(xr, xr);
		p256_scalar_to_bytes(r_mod_n, xr);
		tap_ok(!memcmp(r_mod_n, want, 32), "rfc6979 A.2.5 \"%s\": r = (kG).x", m);

		tap_ok(ecdsa_p256_verify(want_pub, hash, want) == TV_OK &&
		       ossl_verify(want_pub, hash, want),
		       "rfc6979 A.2.5 \"%s\": ours and OpenSSL verify it", m);
	}
}

static int point_eq_affine(const struct p256_point *a, const u8 x[32],
			   const u8 y[32])
{
	u8 ax[32], ay[32];

	p256_point_to_affine(ax, ay, a);
	return !memcmp(ax, x, 32) && !memcmp(ay, y, 32);
}

static void test_group_law(void)
{
	u8 nb[32], gx[32], gy[32], pb[32], neg_gy[32], x[32], y[32];
	struct p256_point g, inf, a, b, c;
	u64 k[4], one[4] = { 1, 0, 0, 0 }, pl[4], yl[4];
	int i, ok;

	unhex(nb, n_hex, 32);
	unhex(gx, gx_hex, 32);
	unhex(gy, gy_hex, 32);
	unhex(pb, p_hex, 32);
	p256_point_set_generator(&g);
	p256_point_set_infinity(&inf);

	p256_scalar_from_bytes(k, nb);
	p256_point_mul_base(&a, k);
	tap_ok(p256_point_infinity_mask(&a) == ~0ULL, "n * G = infinity");

	p256_point_mul_base(&a, one);
	tap_ok(point_eq_affine(&a, gx, gy), "1 * G = G (FIPS 186-4 D.1.2.3)");

	/* (n - 1) G = -G = (Gx, p - Gy) */
	k[0] -= 1;
	p256_point_mul_base(&a, k);
	p256_scalar_from_bytes(pl, pb);
	p256_scalar_from_bytes(yl, gy);
	for (i = 0, ok = 0; i < 4; i++) {
		unsigned __int128 d = (unsigned __int128)pl[i] - yl[i] - ok;

		yl[i] = (u64)d;
		ok = (int)(d >> 64) & 1;
	}
	p256_scalar_to_bytes(neg_gy, yl);
	tap_ok(point_eq_affine(&a, gx, neg_gy), "(n - 1) * G = (Gx, p - Gy)");

	/* The complete formulas must handle every special case. */
	p256_point_add(&b, &a, &g);
	ok = p256_point_infinity_mask(&b) == ~0ULL;
	p256_point_add(&b, &g, &inf);
	ok &= point_eq_affine(&b, gx, gy);
	p256_point_add(&b, &inf, &g);
	ok &= point_eq_affine(&b, gx, gy);
	p256_point_add(&b, &inf, &inf);
	ok &= p256_point_infinity_mask(&b) == ~0ULL;
	p256_point_double(&b, &inf);
	ok &= p256_point_infinity_mask(&b) == ~0ULL;
	p256_point_add(&b, &g, &g);
	p256_point_double(&c, &g);
	p256_point_to_affine(x, y, &c);
	ok &= point_eq_affine(&b, x, y);
	tap_ok(ok, "P + (-P), P + 0, 0 + P, 0 + 0, 2 * 0, P + P = 2P");

	/* 0 * G and a k >= n wrap as integers would */
	memset(k, 0, sizeof(k));
	p256_point_mul_base(&a, k);
	ok = p256_point_infinity_mask(&a) == ~0ULL;
	p256_scalar_from_bytes(k, nb);
	k[0] += 2;
	p256_point_mul_base(&a, k);
	p256_point_double(&b, &g);
	p256_point_to_affine(x, y, &b);
	ok &= point_eq_affine(&a, x, y);
	tap_ok(ok, "0 * G = infinity, (n + 2) * G = 2G");
}

static void test_scalar_vs_bn(void)
{
	BIGNUM *ba = BN_new(), *bb = BN_new(), *br = BN_new();
	u8 a[32], b[32], got[32], want[32];
	u64 la[4], lb[4], lr[4];
	int i, bad_mul = 0, bad_add = 0, bad_inv = 0, bad_red = 0;

	for (i = 0; i < N_SCALAR; i++) {
		rng_bytes(a, 32);
		/* Bias towards the edges: values near 0, n and 2^256. */
		if (i % 7 == 1)
			memset(a, 0xff, 32 - i % 5);
		if (i % 11 == 2)
			unhex(a, n_hex, 32), a[31] -= (u8)(i % 3);
		p256_scalar_from_bytes(la, a);
		BN_bin2bn(a, 32, ba);
		p256_scalar_reduce(lr, la);
		p256_scalar_to_bytes(got, lr);
		BN_nnmod(br, ba, order, bnctx);
		BN_bn2binpad(br, want, 32);
		bad_red += !!memcmp(got, want, 32);

		/* from here on both operands are reduced */
		memcpy(la, lr, sizeof(la));
		BN_bin2bn(got, 32, ba);
		rand_scalar(b);
		p256_scalar_from_bytes(lb, b);
		BN_bin2bn(b, 32, bb);

		p256_scalar_mul(lr, la, lb);
		p256_scalar_to_bytes(got, lr);
		BN_mod_mul(br, ba, bb, order, bnctx);
		BN_bn2binpad(br, want, 32);
		bad_mul += !!memcmp(got, want, 32);

		p256_scalar_add(lr, la, lb);
		p256_scalar_to_bytes(got, lr);
		BN_mod_add(br, ba, bb, order, bnctx);
		BN_bn2binpad(br, want, 32);
		bad_add += !!memcmp(got, want, 32);

		if (i % 10 == 0) {
			p256_scalar_inv(lr, lb);
			p256_scalar_to_bytes(got, lr);
			BN_mod_inverse(br, bb, order, bnctx);
			BN_bn2binpad(br, want, 32);
			bad_inv += !!memcmp(got, want, 32);
		}
	}
	tap_ok(!bad_red, "%d reductions mod n match BN_nnmod (%d bad)", N_SCALAR, bad_red);
	tap_ok(!bad_mul, "%d products mod n match BN_mod_mul (%d bad)", N_SCALAR, bad_mul);
	tap_ok(!bad_add, "%d sums mod n match BN_mod_add (%d bad)", N_SCALAR, bad_add);
	tap_ok(!bad_inv, "%d inverses mod n match BN_mod_inverse (%d bad)",
	       N_SCALAR / 10, bad_inv);
	BN_free(ba);
	BN_free(bb);
	BN_free(br);
}

static void test_point_vs_ossl(void)
{
	u8 d[32], ours[65], theirs[65], x[32], y[32];
	struct p256_point q, r;
	u64 u1[4], u2[4];
	int i, bad = 0, bad2 = 0;

	for (i = 0; i < N_POINT; i++) {
		rng_bytes(d, 32);	/* any 256-bit value, reduced or not */
		if (i < 16)
			memset(d, 0, 31), d[31] = (u8)i;
		our_pub_from_scalar(ours, d);
		if (i == 0)	/* OpenSSL cannot encode infinity */
			continue;
		ossl_pub(theirs, d);
		if (memcmp(ours, theirs, 65) && bad++ < 3) {
			diag_hex("scalar", d, 32);
			diag_hex("ours", ours, 65);
			diag_hex("openssl", theirs, 65);
		}
	}
	tap_ok(!bad, "%d k * G match EC_POINT_mul (%d bad)", N_POINT, bad);

	/* The comb (fixed base) against the generic window, edge digits too. */
	bad = 0;
	p256_point_set_generator(&q);
	for (i = 0; i < N_POINT / 2; i++) {
		rng_bytes(d, 32);
		p256_scalar_from_bytes(u1, d);
		if (i < 256) {		/* every single bit, then all ones */
			memset(u1, 0, sizeof(u1));
			u1[i / 64] = 1ULL << (i % 64);
		}
		if (i == 256)
			memset(u1, 0xff, sizeof(u1));
		p256_point_mul_base(&r, u1);
		p256_point_to_affine(ours + 1, ours + 33, &r);
		p256_point_mul(&r, &q, u1);
		p256_point_to_affine(x, y, &r);
		bad += memcmp(ours + 1, x, 32) || memcmp(ours + 33, y, 32);
	}
	tap_ok(!bad, "%d comb k * G match the windowed k * G (%d bad)", N_POINT / 2, bad);

	/* u1 * G + u2 * Q against the same built from two constant-time muls */
	for (i = 0; i < N_POINT / 5; i++) {
		rand_scalar(d);
		our_pub_from_scalar(ours, d);
		p256_point_from_affine(&q, ours + 1, ours + 33);
		rng_bytes(d, 32);
		p256_scalar_from_bytes(u1, d);
		rng_bytes(d, 32);
		p256_scalar_from_bytes(u2, d);
		if (i == 1)
			memset(u1, 0, sizeof(u1));
		if (i == 2)
			memset(u2, 0, sizeof(u2));
		p256_point_mul2_vartime(&r, u1, u2, &q);
		p256_point_to_affine(ours + 1, ours + 33, &r);
		p256_point_mul_base(&r, u1);
		p256_point_mul(&q, &q, u2);
		p256_point_add(&r, &r, &q);
		p256_point_to_affine(x, y, &r);
		bad2 += memcmp(ours + 1, x, 32) || memcmp(ours + 33, y, 32);
	}
	tap_ok(!bad2, "%d u1 * G + u2 * Q (vartime) match the constant-time path (%d bad)",
	       N_POINT / 5, bad2);
}

/* The keygen derivation rebuilt with OpenSSL's HMAC, as documented. */
static void keygen_reference(u8 d[32], const u8 seed[32])
{
	static const char label[] = "TrustVisor P-256 keygen";
	u8 msg[sizeof(label)];
	unsigned int len;
	u64 k[4];
	int i;

	memcpy(msg, label, sizeof(label) - 1);
	for (i = 0; i < 8; i++) {
		msg[sizeof(label) - 1] = (u8)i;
		HMAC(EVP_sha256(), seed, 32, msg, sizeof(msg), d, &len);
		p256_scalar_from_bytes(k, d);
		if (p256_scalar_valid_mask(k))
			return;
	}
	memset(d, 0, 32);
}

/*
 * RFC 6979 3.2 for qlen = hlen = 256 written again on OpenSSL's HMAC and BN,
 * giving the exact signature sign must produce.
 */
static void rfc6979_reference_sig(u8 sig[64], const u8 d[32], const u8 hash[32])
{
	u8 v[32], k[32], h1[32], buf[32 + 1 + 64];
	BIGNUM *be = BN_bin2bn(hash, 32, NULL), *bk = BN_new(), *br = BN_new();
	BIGNUM *bd = BN_bin2bn(d, 32, NULL), *bs = BN_new();
	EC_POINT *pt = EC_POINT_new(grp);
	unsigned int len;
	int step;

	BN_nnmod(be, be, order, bnctx);
	BN_bn2binpad(be, h1, 32);
	memset(v, 1, 32);
	memset(k, 0, 32);
	for (step = 0; step < 2; step++) {
		memcpy(buf, v, 32);
		buf[32] = (u8)step;
		memcpy(buf + 33, d, 32);
		memcpy(buf + 65, h1, 32);
		HMAC(EVP_sha256(), k, 32, buf, sizeof(buf), k, &len);
		HMAC(EVP_sha256(), k, 32, v, 32, v, &len);
	}
	for (;;) {
		HMAC(EVP_sha256(), k, 32, v, 32, v, &len);
		BN_bin2bn(v, 32, bk);
		if (!BN_is_zero(bk) && BN_cmp(bk, order) < 0) {
			EC_POINT_mul(grp, pt, bk, NULL, NULL, bnctx);
			EC_POINT_get_affine_coordinates(grp, pt, br, NULL, bnctx);
			BN_nnmod(br, br, order, bnctx);
			BN_mod_mul(bs, br, bd, order, bnctx);
			BN_mod_add(bs, bs, be, order, bnctx);
			BN_mod_inverse(bk, bk, order, bnctx);
			BN_mod_mul(bs, bs, bk, order, bnctx);
			if (!BN_is_zero(br) && !BN_is_zero(bs))
				break;
		}
		memcpy(buf, v, 32);
		buf[32] = 0;
		HMAC(EVP_sha256(), k, 32, buf, 33, k, &len);
		HMAC(EVP_sha256(), k, 32, v, 32, v, &len);
	}
	BN_bn2binpad(br, sig, 32);
	BN_bn2binpad(bs, sig + 32, 32);
	EC_POINT_free(pt);
	BN_free(be);
	BN_free(bk);
	BN_free(br);
	BN_free(bd);
	BN_free(bs);
}

static void test_sign_verify_vs_ossl(void)
{
	u8 seed[32], d[32], want_d[32], pub[65], want_pub[65], hash[32];
	u8 sig[64], sig2[64], osig[64], bad_sig[64], bad_hash[32], bad_pub[65];
	int i, bad_keygen = 0, bad_det = 0, ours_by_ossl = 0, ossl_by_ours = 0;
	int ours_by_ours = 0, flips = 0, highs = 0;

	for (i = 0; i < N_SIGN; i++) {
		int bit, rc;

		rng_bytes(seed, 32);
		rng_bytes(hash, 32);
		if (i % 16 == 3)	/* hashes >= n must be reduced */
			memset(hash, 0xff, 32);
		if (p256_keygen(seed, d, pub) != TV_OK) {
			bad_keygen++;
			continue;
		}
		keygen_reference(want_d, seed);
		ossl_pub(want_pub, d);
		bad_keygen += memcmp(d, want_d, 32) || memcmp(pub, want_pub, 65);

		rc = ecdsa_p256_sign(d, hash, sig);
		rfc6979_reference_sig(sig2, d, hash);
		bad_det += rc != TV_OK || memcmp(sig, sig2, 64);
		if (!ossl_verify(pub, hash, sig) && ours_by_ossl++ < 3) {
			diag_hex("priv", d, 32);
			diag_hex("hash", hash, 32);
			diag_hex("sig", sig, 64);
		}
		ours_by_ours += ecdsa_p256_verify(pub, hash, sig) != TV_OK;

		ossl_sign(osig, d, pub, hash);
		ossl_by_ours += ecdsa_p256_verify(pub, hash, osig) != TV_OK;

		/* One flipped bit somewhere in (r, s, hash, key) must fail. */
		memcpy(bad_sig, osig, 64);
		memcpy(bad_hash, hash, 32);
		memcpy(bad_pub, pub, 65);
		switch (i % 4) {
		case 0:
		case 1:
			bit = (int)(rng64() % 512);
			bad_sig[bit / 8] ^= (u8)(1 << (bit % 8));
			break;
		case 2:
			bit = (int)(rng64() % 256);
			bad_hash[bit / 8] ^= (u8)(1 << (bit % 8));
			break;
		default:
			bit = (int)(rng64() % 512);
			bad_pub[1 + bit / 8] ^= (u8)(1 << (bit % 8));
			break;
		}
		rc = ecdsa_p256_verify(bad_pub, bad_hash, bad_sig);
		flips += rc == TV_OK;

		/* (r, n - s) is as valid as (r, s): no low-s policy in verify. */
		if (i % 10 == 0) {
			BIGNUM *s = BN_bin2bn(osig + 32, 32, NULL);

			BN_sub(s, order, s);
			BN_bn2binpad(s, osig + 32, 32);
			highs += ecdsa_p256_verify(pub, hash, osig) != TV_OK;
			BN_free(s);
		}
	}
	tap_ok(!bad_keygen, "%d keygens: priv as documented, pub matches OpenSSL (%d bad)",
	       N_SIGN, bad_keygen);
	tap_ok(!bad_det, "%d signatures equal an OpenSSL-built RFC 6979 signature (%d bad)",
	       N_SIGN, bad_det);
	tap_ok(!ours_by_ossl, "%d of our signatures verified by OpenSSL (%d bad)",
	       N_SIGN, ours_by_ossl);
	tap_ok(!ours_by_ours, "%d of our signatures verified by us (%d bad)",
	       N_SIGN, ours_by_ours);
	tap_ok(!ossl_by_ours, "%d OpenSSL signatures verified by us (%d bad)",
	       N_SIGN, ossl_by_ours);
	tap_ok(!flips, "%d one-bit flips in r, s, hash or key rejected (%d accepted)",
	       N_SIGN, flips);
	tap_ok(!highs, "%d (r, n - s) accepted (%d bad)", N_SIGN / 10, highs);
}

static void test_rejects(void)
{
	u8 x[32], pub[65], hash[32], sig[64], bad[64], bad_pub[65], nb[32];
	u8 priv[32], out[65], pb[32];
	int ok;

	unhex(x, rfc_x, 32);
	unhex(nb, n_hex, 32);
	unhex(pb, p_hex, 32);
	pub[0] = 4;
	unhex(pub + 1, rfc_ux, 32);
	unhex(pub + 33, rfc_uy, 32);
	SHA256((const u8 *)"sample", 6, hash);
	ecdsa_p256_sign(x, hash, sig);
	ok = ecdsa_p256_verify(pub, hash, sig) == TV_OK;

	memcpy(bad, sig, 64);
	memset(bad, 0, 32);
	ok &= ecdsa_p256_verify(pub, hash, bad) == TV_EAUTH;
	memcpy(bad, sig, 64);
	memset(bad + 32, 0, 32);
	ok &= ecdsa_p256_verify(pub, hash, bad) == TV_EAUTH;
	memset(bad, 0, 64);
	ok &= ecdsa_p256_verify(pub, hash, bad) == TV_EAUTH;
	tap_ok(ok, "r = 0, s = 0 and (0, 0) rejected");

	/* r + n and s + n do not fit, but r = n, s = n and all-ones must fail */
	memcpy(bad, sig, 64);
	memcpy(bad, nb, 32);
	ok = ecdsa_p256_verify(pub, hash, bad) == TV_EAUTH;
	memcpy(bad, sig, 64);
	memcpy(bad + 32, nb, 32);
	ok &= ecdsa_p256_verify(pub, hash, bad) == TV_EAUTH;
	memcpy(bad, sig, 64);
	memset(bad, 0xff, 32);
	ok &= ecdsa_p256_verify(pub, hash, bad) == TV_EAUTH;
	memcpy(bad, sig, 64);
	memset(bad + 32, 0xff, 32);
	ok &= ecdsa_p256_verify(pub, hash, bad) == TV_EAUTH;
	tap_ok(ok, "r = n, s = n, r = 2^256 - 1, s = 2^256 - 1 rejected");

	/*
	 * s + n must not pass for s: forge a valid signature with s = 1 by
	 * solving for the hash (e = k - r d), which OpenSSL also accepts, and
	 * check (r, 1 + n) is refused although it is the same residue.
	 */
	{
		BIGNUM *bd, *bk = BN_new(), *br = BN_new(), *be = BN_new();
		EC_POINT *pt = EC_POINT_new(grp);
		u8 d[32], k[32], fpub[65], fhash[32], fsig[64];

		rand_scalar(d);
		rand_scalar(k);
		our_pub_from_scalar(fpub, d);
		bd = BN_bin2bn(d, 32, NULL);
		BN_bin2bn(k, 32, bk);
		EC_POINT_mul(grp, pt, bk, NULL, NULL, bnctx);
		EC_POINT_get_affine_coordinates(grp, pt, br, NULL, bnctx);
		BN_nnmod(br, br, order, bnctx);
		BN_mod_mul(be, br, bd, order, bnctx);
		BN_mod_sub(be, bk, be, order, bnctx);
		BN_bn2binpad(be, fhash, 32);
		BN_bn2binpad(br, fsig, 32);
		memset(fsig + 32, 0, 32);
		fsig[63] = 1;
		ok = ecdsa_p256_verify(fpub, fhash, fsig) == TV_OK &&
		     ossl_verify(fpub, fhash, fsig);
		memcpy(fsig + 32, nb, 32);
		fsig[63] += 1;		/* n ends in 0x51: no carry */
		ok &= ecdsa_p256_verify(fpub, fhash, fsig) == TV_EAUTH;
		tap_ok(ok, "(r, 1) built for a solved hash verifies, (r, 1 + n) does not");
		BN_free(bd);
		BN_free(bk);
		BN_free(br);
		BN_free(be);
		EC_POINT_free(pt);
	}

	/* Off-curve: y + 1; out of range: x = p (reduced it would be 0). */
	memcpy(bad_pub, pub, 65);
	bad_pub[64] ^= 1;
	ok = ecdsa_p256_verify(bad_pub, hash, sig) == TV_EINVAL;
	memcpy(bad_pub, pub, 65);
	memcpy(bad_pub + 1, pb, 32);
	ok &= ecdsa_p256_verify(bad_pub, hash, sig) == TV_EINVAL;
	/*
	 * x' = x + p names the same point but is not a valid encoding: take
	 * the curve point with the smallest x, which OpenSSL finds for us.
	 */
	{
		EC_POINT *pt = EC_POINT_new(grp);
		BIGNUM *bx = BN_new(), *by = BN_new(), *bp = BN_bin2bn(pb, 32, NULL);

		BN_zero(bx);
		while (!EC_POINT_set_compressed_coordinates(grp, pt, bx, 0, bnctx))
			BN_add_word(bx, 1);
		EC_POINT_get_affine_coordinates(grp, pt, NULL, by, bnctx);
		bad_pub[0] = 4;
		BN_bn2binpad(bx, bad_pub + 1, 32);
		BN_bn2binpad(by, bad_pub + 33, 32);
		/* on the curve: a wrong key, not a malformed one */
		ok &= ecdsa_p256_verify(bad_pub, hash, sig) == TV_EAUTH;
		BN_add(bx, bx, bp);
		BN_bn2binpad(bx, bad_pub + 1, 32);
		ok &= ecdsa_p256_verify(bad_pub, hash, sig) == TV_EINVAL;
		BN_free(bx);
		BN_free(by);
		BN_free(bp);
		EC_POINT_free(pt);
	}
	memcpy(bad_pub, pub, 65);
	bad_pub[0] = 0x02;
	ok &= ecdsa_p256_verify(bad_pub, hash, sig) == TV_EINVAL;
	memset(bad_pub, 0, 65);
	bad_pub[0] = 4;
	ok &= ecdsa_p256_verify(bad_pub, hash, sig) == TV_EINVAL;
	tap_ok(ok, "off-curve, x = p, x + p, 0x02 prefix and (0, 0) keys give TV_EINVAL");

	/* Private keys outside [1, n - 1]: error and output untouched. */
	memset(bad, 0xa5, 64);
	memset(priv, 0, 32);
	ok = ecdsa_p256_sign(priv, hash, bad) == TV_EINVAL;
	ok &= ecdsa_p256_sign(nb, hash, bad) == TV_EINVAL;
	memset(priv, 0xff, 32);
	ok &= ecdsa_p256_sign(priv, hash, bad) == TV_EINVAL;
	memset(out, 0xa5, 64);
	ok &= !memcmp(bad, out, 64);
	tap_ok(ok, "sign with d = 0, n, 2^256 - 1: TV_EINVAL, signature untouched");

	ok = ecdsa_p256_sign(NULL, hash, bad) == TV_EINVAL;
	ok &= ecdsa_p256_sign(x, NULL, bad) == TV_EINVAL;
	ok &= ecdsa_p256_sign(x, hash, NULL) == TV_EINVAL;
	ok &= ecdsa_p256_verify(NULL, hash, sig) == TV_EINVAL;
	ok &= ecdsa_p256_verify(pub, NULL, sig) == TV_EINVAL;
	ok &= ecdsa_p256_verify(pub, hash, NULL) == TV_EINVAL;
	ok &= p256_keygen(NULL, priv, out) == TV_EINVAL;
	ok &= p256_keygen(x, NULL, out) == TV_EINVAL;
	ok &= p256_keygen(x, priv, NULL) == TV_EINVAL;
	tap_ok(ok, "NULL arguments give TV_EINVAL");
}

int main(void)
{
	const char *env = getenv("TV_TEST_SEED");

	rng_state = env ? strtoull(env, NULL, 0) : 0x7472757374766973ULL;
	grp = EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1);
	bnctx = BN_CTX_new();
	order = BN_new();
	EC_GROUP_get_order(grp, order, bnctx);

	tap_plan(1 + 3 * 2 + 5 + 4 + 3 + 7 + 6);
	tap_diag("seed 0x%llx", (unsigned long long)rng_state);
	test_rfc6979();
	test_group_law();
	test_scalar_vs_bn();
	test_point_vs_ossl();
	test_sign_verify_vs_ossl();
	test_rejects();

	BN_free(order);
	BN_CTX_free(bnctx);
	EC_GROUP_free(grp);
	return tap_finish();
}
