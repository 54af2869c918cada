// SPDX-License-Identifier: GPL-2.0
/*
 * ECDSA P-256 / SHA-256 against OpenSSL, same key and hash, same run.
 * OpenSSL's P-256 is its x86-64 assembly (ecp_nistz256) with random nonces;
 * ours is portable C with RFC 6979 nonces, so the sign row includes the
 * HMAC-DRBG and the keygen row its eight HMAC candidates.
 */
#define OPENSSL_SUPPRESS_DEPRECATED
#include <string.h>
#include <openssl/ec.h>
#include <openssl/ecdsa.h>
#include <openssl/obj_mac.h>
#include "lib/ecdsa.h"
#include "selftests/bench/bench.h"

static u8 seed[32], priv[32], pub[65], hash[32], sig[64];
static EC_KEY *okey;
static ECDSA_SIG *osig_obj;

static void ours_keygen(void *a)
{
	(void)a;
	if (p256_keygen(seed, priv, pub))
		abort();
}

static void ossl_keygen(void *a)
{
	EC_KEY *k = EC_KEY_new_by_curve_name(NID_X9_62_prime256v1);

	(void)a;
	if (!EC_KEY_generate_key(k))
		abort();
	EC_KEY_free(k);
}

static void ours_sign(void *a)
{
	(void)a;
	hash[0]++;
	if (ecdsa_p256_sign(priv, hash, sig))
		abort();
}

static void ossl_sign(void *a)
{
	ECDSA_SIG *s;

	(void)a;
	hash[0]++;
	s = ECDSA_do_sign(hash, 32, okey);
	if (!s)
		abort();
	ECDSA_SIG_free(s);
}

static void ours_verify(void *a)
{
	(void)a;
	if (ecdsa_p256_verify(pub, hash, sig))
		abort();
}

static void ossl_verify(void *a)
{
	(void)a;
	if (ECDSA_do_verify(hash, 32, osig_obj, okey) != 1)
		abort();
}

int main(void)
{
	const EC_GROUP *grp;
	EC_POINT *pt;
	BIGNUM *d;
	double ours, theirs;
	int i;

	for (i = 0; i < 32; i++) {
		seed[i] = (u8)(i * 29 + 3);
		hash[i] = (u8)(i * 17 + 11);
	}
	if (p256_keygen(seed, priv, pub))
		return 1;

	/* The same key pair for OpenSSL. */
	okey = EC_KEY_new_by_curve_name(NID_X9_62_prime256v1);
	grp = EC_KEY_get0_group(okey);
	d = BN_bin2bn(priv, 32, NULL);
	pt = EC_POINT_new(grp);
	if (!EC_POINT_oct2point(grp, pt, pub, sizeof(pub), NULL) ||
	    !EC_KEY_set_private_key(okey, d) || !EC_KEY_set_public_key(okey, pt))
		return 1;

	ours = bench_time(ours_keygen, NULL);
	theirs = bench_time(ossl_keygen, NULL);
	bench_row_us("P-256 keygen", ours, theirs);

	ours = bench_time(ours_sign, NULL);
	theirs = bench_time(ossl_sign, NULL);
	bench_row_us("ECDSA P-256 sign", ours, theirs);

	/* Verify one fixed signature from each side, with its own verifier. */
	if (ecdsa_p256_sign(priv, hash, sig))
		return 1;
	osig_obj = ECDSA_do_sign(hash, 32, okey);
	if (!osig_obj || ECDSA_do_verify(hash, 32, osig_obj, okey) != 1 ||
	    ecdsa_p256_verify(pub, hash, sig))
		return 1;
	ours = bench_time(ours_verify, NULL);
	theirs = bench_time(ossl_verify, NULL);
	bench_row_us("ECDSA P-256 verify", ours, theirs);

	ECDSA_SIG_free(osig_obj);
	EC_POINT_free(pt);
	BN_free(d);
	EC_KEY_free(okey);
	return 0;
}
