/* SPDX-License-Identifier: GPL-2.0 */
/* ECDSA over NIST P-256 with SHA-256, deterministic nonces per RFC 6979. */
#ifndef TV_LIB_ECDSA_H
#define TV_LIB_ECDSA_H

#include "lib/base.h"

#define P256_SCALAR_SIZE 32
#define P256_PUBKEY_SIZE 65	/* 0x04 || X || Y, big-endian */
#define P256_SIG_SIZE 64	/* r || s, big-endian */

/*
 * Derives a private key from seed (rejection-sampled into [1, n-1]) and
 * computes its public key.  TV_EINVAL if seed never yields a valid scalar.
 */
int p256_keygen(const u8 seed[32], u8 priv[P256_SCALAR_SIZE],
		u8 pub[P256_PUBKEY_SIZE]);
int ecdsa_p256_sign(const u8 priv[P256_SCALAR_SIZE], const u8 hash[32],
		    u8 sig[P256_SIG_SIZE]);
/* TV_OK or TV_EAUTH; TV_EINVAL for a public key not on the curve. */
int ecdsa_p256_verify(const u8 pub[P256_PUBKEY_SIZE], const u8 hash[32],
		      const u8 sig[P256_SIG_SIZE]);

#endif
