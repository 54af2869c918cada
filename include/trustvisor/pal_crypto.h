/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * Cryptography inside a PAL (docs/pal-sdk.md).  These run in the PAL itself,
 * on its own stack, with no hypercall: they are the monitor's freestanding
 * implementations (lib/sha256.c, lib/hmac.c, lib/p256.c, lib/ecdsa.c,
 * lib/ct.c), compiled for PALs into the SDK's libtvpal.a, which tvpal-cc
 * links; a PAL that calls none of them carries none of their code.  They
 * take no lock and keep no state: each call stands alone.  Secrets (keys,
 * nonces) reach only constant-time code, and the functions wipe the copies
 * they make; what the caller keeps is the caller's to wipe (tv_wipe).
 */
#ifndef TV_PAL_CRYPTO_H
#define TV_PAL_CRYPTO_H

#include <stdint.h>
#include <stddef.h>
#include <trustvisor/pal_abi.h>

#ifdef __cplusplus
extern "C" {
#endif

#define TV_SHA256_SIZE		32
#define TV_P256_PRIV_SIZE	32	/* a scalar in [1, n-1], big-endian */
#define TV_P256_PUB_SIZE	65	/* 0x04 || X || Y, big-endian (SEC 1 uncompressed) */
#define TV_P256_SIG_SIZE	64	/* r || s, big-endian, 32 bytes each */

/* SHA-256 of len bytes (FIPS 180-4). */
void tv_sha256(const void *data, size_t len, uint8_t out[TV_SHA256_SIZE]);
/* HMAC-SHA-256 (RFC 2104) of len bytes under a key of any length. */
void tv_hmac_sha256(const void *key, size_t key_len, const void *data, size_t len,
		    uint8_t out[TV_SHA256_SIZE]);

/*
 * A P-256 key pair derived from 32 secret bytes, deterministically: the
 * same seed gives the same key, so take the seed from tv_random() for a
 * new key.  0, or TV_PAL_EINVAL (a NULL pointer, or a seed that yields no
 * valid scalar: probability about 2^-256).
 */
int tv_p256_keygen(const uint8_t seed[32], uint8_t priv[TV_P256_PRIV_SIZE],
		   uint8_t pub[TV_P256_PUB_SIZE]);
/*
 * ECDSA with SHA-256 (FIPS 186-4) over a 32-byte digest the caller
 * computed, e.g. with tv_sha256(); the nonce is deterministic (RFC 6979),
 * so no randomness is needed.  s is not normalised to the low half.  0, or
 * TV_PAL_EINVAL (a NULL pointer, or priv not in [1, n-1]).
 */
int tv_ecdsa_p256_sign(const uint8_t priv[TV_P256_PRIV_SIZE], const uint8_t hash[32],
		       uint8_t sig[TV_P256_SIG_SIZE]);
/*
 * 0 if sig is a valid signature of hash by pub; TV_PAL_EBADMSG if it is
 * not; TV_PAL_EINVAL for a NULL pointer or a public key that is not a point
 * of the curve.  For public inputs: its time depends on them.
 */
int tv_ecdsa_p256_verify(const uint8_t pub[TV_P256_PUB_SIZE], const uint8_t hash[32],
			 const uint8_t sig[TV_P256_SIG_SIZE]);

/* 1 if the n bytes are equal, else 0, in a time that depends only on n. */
int tv_memeq_ct(const void *a, const void *b, size_t n);
/* Zeroes n bytes in a way the compiler may not drop as a dead store. */
void tv_wipe(void *p, size_t n);

#ifdef __cplusplus
}
#endif

#endif
