// SPDX-License-Identifier: GPL-2.0
/*
 * p256_ecdh: the shared x-coordinate matches OpenSSL's ECDH on random key
 * pairs (both directions), and points off the curve or with a coordinate
 * not below p, and scalars 0 and n, are refused with z left untouched.
 */
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/ecdh.h>
#include <openssl/obj_mac.h>

#include "lib/ecdsa.h"
#include "lib/p256.h"
#include "selftests/lib/testutil.h"

#define N_ECDH 300

static const char p_hex[] =
	"ffffffff00000001000000000000000000000000ffffffffffffffffffffffff";
static const char n_hex[] =
	"ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551";

/* OpenSSL's Z for our private key d and the peer's uncompressed point. */
static int ossl_ecdh(const u8 d[32], const u8 peer[65], u8 z[32])
{
	EC_KEY *k = EC_KEY_new_by_curve_name(NID_X9_62_prime256v1);
	const EC_GROUP *g = EC_KEY_get0_group(k);
	EC_POINT *pt = EC_POINT_new(g);
	BIGNUM *bd = BN_bin2bn(d, 32, NULL);
	int n = -1;

	if (EC_POINT_oct2point(g, pt, peer, 65, NULL) && EC_KEY_set_private_key(k, bd))
		n = ECDH_compute_key(z, 32, pt, k, NULL);
	BN_free(bd);
	EC_POINT_free(pt);
	EC_KEY_free(k);
	return n == 32;
}

int main(void)
{
	u8 seed[32], da[32], db[32], pa[65], pb[65], z1[32], z2[32], zr[32], bad_pt[32];
	int i, bad = 0, refused = 0;

	tap_plan(5);
	tu_seed();

	for (i = 0; i < N_ECDH; i++) {
		tu_rand_bytes(seed, 32);
		p256_keygen(seed, da, pa);
		tu_rand_bytes(seed, 32);
		p256_keygen(seed, db, pb);
		if (p256_ecdh(z1, da, pb + 1, pb + 33) || p256_ecdh(z2, db, pa + 1, pa + 33) ||
		    !ossl_ecdh(da, pb, zr) || memcmp(z1, zr, 32) || memcmp(z2, zr, 32))
			bad++;
	}
	tap_ok(!bad, "%d random key pairs: both sides' z equal OpenSSL's ECDH (%d bad)",
	       N_ECDH, bad);

	/* Off the curve: y + 1, for many points. */
	for (i = 0; i < 100; i++) {
		tu_rand_bytes(seed, 32);
		p256_keygen(seed, db, pb);
		pb[64] ^= 1;
		memset(z1, 0xa5, 32);
		refused += p256_ecdh(z1, da, pb + 1, pb + 33) == TV_EINVAL &&
			   tu_all(z1, 0xa5, 32);
	}
	tap_ok(refused == 100, "100 points off the curve refused, z untouched (%d)", refused);

	/* x = p (the same point as x = 0 mod p would be, if it were reduced). */
	tu_unhex(bad_pt, 32, p_hex);
	memset(z1, 0xa5, 32);
	tap_ok(p256_ecdh(z1, da, bad_pt, pa + 33) == TV_EINVAL && tu_all(z1, 0xa5, 32),
	       "a coordinate equal to p is refused");

	memset(db, 0, 32);
	tap_ok(p256_ecdh(z1, db, pa + 1, pa + 33) == TV_EINVAL && tu_all(z1, 0xa5, 32),
	       "scalar 0 refused");
	tu_unhex(db, 32, n_hex);
	tap_ok(p256_ecdh(z1, db, pa + 1, pa + 33) == TV_EINVAL && tu_all(z1, 0xa5, 32),
	       "scalar n refused");
	return tap_finish();
}
