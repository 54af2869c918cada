// SPDX-License-Identifier: GPL-2.0
/*
 * AEAD: AES-256-CTR + HMAC-SHA256, encrypt-then-MAC (docs/crypto.md).
 *
 *   enc_key || mac_key = HKDF-SHA256(salt = none, ikm = key, info = AEAD_INFO, 64)
 *   ctr0 = nonce || 0x00000000		(SP 800-38A CTR, 128-bit increment)
 *   ct   = pt XOR AES-256-CTR(enc_key, ctr0)
 *   tag  = HMAC-SHA256(mac_key, nonce || aad || ct || be64(aad_len) || be64(len))[0..15]
 *
 * The nonce is MACed because it selects the keystream: otherwise a changed
 * nonce would verify and decrypt to garbage.  The trailing lengths make the
 * aad/ct split unambiguous.  len is capped at
 * 2^32 blocks so the counter never carries into the nonce.  Chosen over GCM
 * because its only new primitive is the AES block function: constant-time
 * GHASH without carry-less multiply instructions would be a second bitsliced
 * component to get right, and HMAC-SHA256 is already in the TCB.
 */
#include "lib/aead.h"
#include "lib/aes.h"
#include "lib/hmac.h"
#include "lib/ct.h"

static const char aead_info[] = "TrustVisor AEAD v1 AES-256-CTR HMAC-SHA256";

#define AEAD_MAX_LEN ((u64)1 << 36)

struct aead_keys {
	u8 enc[AES256_KEY_SIZE];
	u8 mac[32];
};

static bool aead_args_ok(const u8 *key, const u8 *nonce, const void *aad, size_t aad_len,
			 const void *in, size_t len, const void *out, const u8 *tag)
{
	return key && nonce && tag && (aad || !aad_len) && ((in && out) || !len) &&
	       (u64)len <= AEAD_MAX_LEN;
}

static void aead_tag(const struct aead_keys *k, const u8 nonce[AEAD_NONCE_SIZE],
		     const void *aad, size_t aad_len, const void *ct, size_t len,
		     u8 tag[SHA256_DIGEST_SIZE])
{
	struct hmac_sha256_ctx h;
	u8 lens[16];
	int i;

	for (i = 0; i < 8; i++) {
		lens[i] = (u64)aad_len >> (56 - 8 * i);
		lens[8 + i] = (u64)len >> (56 - 8 * i);
	}
	hmac_sha256_init(&h, k->mac, sizeof(k->mac));
	hmac_sha256_update(&h, nonce, AEAD_NONCE_SIZE);
	hmac_sha256_update(&h, aad, aad_len);
	hmac_sha256_update(&h, ct, len);
	hmac_sha256_update(&h, lens, sizeof(lens));
	hmac_sha256_final(&h, tag);
}

static void aead_crypt(const struct aead_keys *k, const u8 nonce[AEAD_NONCE_SIZE],
		       const void *in, size_t len, void *out)
{
	struct aes256_ctx aes;
	u8 ctr[AES_BLOCK_SIZE];

	memcpy(ctr, nonce, AEAD_NONCE_SIZE);
	memset(ctr + AEAD_NONCE_SIZE, 0, AES_BLOCK_SIZE - AEAD_NONCE_SIZE);
	aes256_init(&aes, k->enc);
	aes256_ctr(&aes, ctr, in, out, len);
	aes256_wipe(&aes);
}

static void aead_derive(const u8 key[AEAD_KEY_SIZE], struct aead_keys *k)
{
	/* Cannot fail: 64 bytes is well under HKDF's 255 * 32 limit. */
	hkdf_sha256(NULL, 0, key, AEAD_KEY_SIZE, aead_info, sizeof(aead_info) - 1,
		    k, sizeof(*k));
}

int aead_seal(const u8 key[AEAD_KEY_SIZE], const u8 nonce[AEAD_NONCE_SIZE],
	      const void *aad, size_t aad_len, const void *pt, size_t len,
	      void *ct, u8 tag[AEAD_TAG_SIZE])
{
	struct aead_keys k;
	u8 full[SHA256_DIGEST_SIZE];

	if (!aead_args_ok(key, nonce, aad, aad_len, pt, len, ct, tag))
		return (u64)len > AEAD_MAX_LEN ? TV_ERANGE : TV_EINVAL;

	aead_derive(key, &k);
	aead_crypt(&k, nonce, pt, len, ct);
	aead_tag(&k, nonce, aad, aad_len, ct, len, full);
	memcpy(tag, full, AEAD_TAG_SIZE);
	secure_wipe(&k, sizeof(k));
	secure_wipe(full, sizeof(full));
	return TV_OK;
}

int aead_open(const u8 key[AEAD_KEY_SIZE], const u8 nonce[AEAD_NONCE_SIZE],
	      const void *aad, size_t aad_len, const void *ct, size_t len,
	      const u8 tag[AEAD_TAG_SIZE], void *pt)
{
	struct aead_keys k;
	u8 full[SHA256_DIGEST_SIZE];
	int ok;

	if (!aead_args_ok(key, nonce, aad, aad_len, ct, len, pt, tag))
		return (u64)len > AEAD_MAX_LEN ? TV_ERANGE : TV_EINVAL;

	aead_derive(key, &k);
	aead_tag(&k, nonce, aad, aad_len, ct, len, full);
	ok = ct_memeq(full, tag, AEAD_TAG_SIZE);
	/* The verdict is public; only how close a forgery came must not be. */
	ct_declassify(&ok, sizeof(ok));
	if (ok)
		aead_crypt(&k, nonce, ct, len, pt);
	secure_wipe(&k, sizeof(k));
	secure_wipe(full, sizeof(full));
	return ok ? TV_OK : TV_EAUTH;
}
