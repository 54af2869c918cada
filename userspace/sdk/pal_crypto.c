// SPDX-License-Identifier: GPL-2.0
/*
 * <trustvisor/pal_crypto.h> over lib/: the monitor's own crypto, built with
 * the PAL flags into libtvpal.a (userspace/sdk/sdk.mk).  Only these tv_*
 * names are left global there, so lib/'s names (sha256, secure_wipe, ...)
 * never clash with a PAL's own.  What is done here is the translation of
 * lib/'s status codes into the TV_PAL_E* values the rest of a PAL's API
 * uses; the crypto itself is lib/'s, unchanged.
 */
#include <trustvisor/pal_crypto.h>
#include "lib/ct.h"
#include "lib/ecdsa.h"
#include "lib/hmac.h"
#include "lib/sha256.h"

_Static_assert(TV_SHA256_SIZE == SHA256_DIGEST_SIZE, "digest size");
_Static_assert(TV_P256_PRIV_SIZE == P256_SCALAR_SIZE, "private key size");
_Static_assert(TV_P256_PUB_SIZE == P256_PUBKEY_SIZE, "public key size");
_Static_assert(TV_P256_SIG_SIZE == P256_SIG_SIZE, "signature size");

void tv_sha256(const void *data, size_t len, uint8_t out[TV_SHA256_SIZE])
{
	sha256(data, len, out);
}

void tv_hmac_sha256(const void *key, size_t key_len, const void *data, size_t len,
		    uint8_t out[TV_SHA256_SIZE])
{
	hmac_sha256(key, key_len, data, len, out);
}

int tv_p256_keygen(const uint8_t seed[32], uint8_t priv[TV_P256_PRIV_SIZE],
		   uint8_t pub[TV_P256_PUB_SIZE])
{
	return p256_keygen(seed, priv, pub) ? TV_PAL_EINVAL : 0;
}

int tv_ecdsa_p256_sign(const uint8_t priv[TV_P256_PRIV_SIZE], const uint8_t hash[32],
		       uint8_t sig[TV_P256_SIG_SIZE])
{
	return ecdsa_p256_sign(priv, hash, sig) ? TV_PAL_EINVAL : 0;
}

int tv_ecdsa_p256_verify(const uint8_t pub[TV_P256_PUB_SIZE], const uint8_t hash[32],
			 const uint8_t sig[TV_P256_SIG_SIZE])
{
	switch (ecdsa_p256_verify(pub, hash, sig)) {
	case TV_OK:
		return 0;
	case TV_EAUTH:
		return TV_PAL_EBADMSG;
	default:
		return TV_PAL_EINVAL;
	}
}

int tv_memeq_ct(const void *a, const void *b, size_t n)
{
	return ct_memeq(a, b, n);
}

void tv_wipe(void *p, size_t n)
{
	secure_wipe(p, n);
}
