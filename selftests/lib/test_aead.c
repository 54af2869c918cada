// SPDX-License-Identifier: GPL-2.0
/*
 * AEAD (AES-256-CTR + HMAC-SHA256 encrypt-then-MAC, see lib/aead.c):
 * differential against the same construction assembled from OpenSSL's HKDF,
 * AES-256-CTR and HMAC; round trips; every single-bit corruption rejected
 * with the output untouched; argument checks.
 */
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/kdf.h>
#include "lib/aead.h"
#include "selftests/lib/testutil.h"

#define INFO "TrustVisor AEAD v1 AES-256-CTR HMAC-SHA256"

static void ref_seal(const unsigned char key[32], const unsigned char nonce[12],
		     const unsigned char *aad, size_t aad_len, const unsigned char *pt,
		     size_t len, unsigned char *ct, unsigned char tag[16])
{
	/* RFC 5869: no salt is HashLen zero bytes. */
	static const unsigned char zero_salt[32];
	unsigned char keys[64], iv[16], mac[32], lens[16];
	EVP_PKEY_CTX *pctx = EVP_PKEY_CTX_new_id(EVP_PKEY_HKDF, NULL);
	EVP_CIPHER_CTX *cctx = EVP_CIPHER_CTX_new();
	size_t klen = sizeof(keys);
	int n = 0, i;
	unsigned char *buf;
	unsigned int mlen;

	if (!pctx || EVP_PKEY_derive_init(pctx) <= 0 ||
	    EVP_PKEY_CTX_set_hkdf_md(pctx, EVP_sha256()) <= 0 ||
	    EVP_PKEY_CTX_set1_hkdf_salt(pctx, zero_salt, 32) <= 0 ||
	    EVP_PKEY_CTX_set1_hkdf_key(pctx, key, 32) <= 0 ||
	    EVP_PKEY_CTX_add1_hkdf_info(pctx, (const unsigned char *)INFO,
					strlen(INFO)) <= 0 ||
	    EVP_PKEY_derive(pctx, keys, &klen) <= 0)
		abort();
	EVP_PKEY_CTX_free(pctx);

	memcpy(iv, nonce, 12);
	memset(iv + 12, 0, 4);
	if (!cctx || !EVP_EncryptInit_ex(cctx, EVP_aes_256_ctr(), NULL, keys, iv) ||
	    (len && !EVP_EncryptUpdate(cctx, ct, &n, pt, (int)len)) || (size_t)n != len)
		abort();
	EVP_CIPHER_CTX_free(cctx);

	for (i = 0; i < 8; i++) {
		lens[i] = (unsigned long long)aad_len >> (56 - 8 * i);
		lens[8 + i] = (unsigned long long)len >> (56 - 8 * i);
	}
	buf = malloc(12 + aad_len + len + 16);
	if (!buf)
		abort();
	memcpy(buf, nonce, 12);
	if (aad_len)
		memcpy(buf + 12, aad, aad_len);
	if (len)
		memcpy(buf + 12 + aad_len, ct, len);
	memcpy(buf + 12 + aad_len + len, lens, 16);
	if (!HMAC(EVP_sha256(), keys + 32, 32, buf, 12 + aad_len + len + 16, mac, &mlen))
		abort();
	free(buf);
	memcpy(tag, mac, 16);
}

/* Corrupts one bit at a time of ct, tag, aad, nonce and key; all must fail. */
static int flip_all(const unsigned char *key, const unsigned char *nonce, unsigned char *aad,
		    size_t aad_len, unsigned char *ct, size_t len, unsigned char *tag,
		    int *untouched)
{
	static unsigned char pt[512];
	unsigned char k[32], n[12];
	int bad = 0;
	size_t bit;

	memcpy(k, key, 32);
	memcpy(n, nonce, 12);
	*untouched = 1;
#define FLIP_CHECK(buf, nbytes)						\
	for (bit = 0; bit < 8 * (nbytes); bit++) {			\
		(buf)[bit / 8] ^= 1 << (bit % 8);			\
		memset(pt, 0xee, sizeof(pt));				\
		bad += aead_open(k, n, aad, aad_len, ct, len, tag, pt) != TV_EAUTH; \
		*untouched &= tu_all(pt, 0xee, sizeof(pt));		\
		(buf)[bit / 8] ^= 1 << (bit % 8);			\
	}
	FLIP_CHECK(ct, len);
	FLIP_CHECK(tag, 16);
	FLIP_CHECK(aad, aad_len);
	FLIP_CHECK(n, 12);
	FLIP_CHECK(k, 32);
#undef FLIP_CHECK
	/* Sanity: unflipped still opens, so the rejections above mean something. */
	bad += aead_open(k, n, aad, aad_len, ct, len, tag, pt) != TV_OK;
	return bad;
}

int main(void)
{
	static unsigned char pt[5000], ct[5000], rct[5000], dec[5000], aad[300];
	unsigned char key[32], nonce[12], tag[16], rtag[16], sentinel[16];
	int i, bad, bad_rt, untouched, all_untouched;

	tap_plan(11);
	tu_seed();

	bad = bad_rt = 0;
	for (i = 0; i < 2000; i++) {
		size_t len = tu_rand_below(i < 1800 ? 200 : sizeof(pt));
		size_t aad_len = tu_rand_below(i % 8 ? sizeof(aad) : 1);

		tu_rand_bytes(key, 32);
		tu_rand_bytes(nonce, 12);
		tu_rand_bytes(pt, len);
		tu_rand_bytes(aad, aad_len);
		bad += aead_seal(key, nonce, aad, aad_len, pt, len, ct, tag) != TV_OK;
		ref_seal(key, nonce, aad, aad_len, pt, len, rct, rtag);
		bad += memcmp(ct, rct, len) || memcmp(tag, rtag, 16);
		memset(dec, 0, len);
		bad_rt += aead_open(key, nonce, aad, aad_len, ct, len, tag, dec) != TV_OK;
		bad_rt += !!memcmp(dec, pt, len);
	}
	tap_ok(!bad, "seal: 2000 random key/nonce/aad/pt match the OpenSSL-assembled reference "
		     "(%d bad)",
	       bad);
	tap_ok(!bad_rt, "open: 2000 round trips recover the plaintext (%d bad)", bad_rt);

	/* Single-bit corruption of every input, a few shapes. */
	bad = 0;
	all_untouched = 1;
	{
		static const size_t shapes[][2] = { { 0, 0 }, { 1, 0 }, { 0, 5 }, { 37, 13 },
						   { 64, 64 }, { 200, 3 } };
		size_t s;

		for (s = 0; s < TV_ARRAY_SIZE(shapes); s++) {
			size_t len = shapes[s][0], aad_len = shapes[s][1];

			tu_rand_bytes(key, 32);
			tu_rand_bytes(nonce, 12);
			tu_rand_bytes(pt, len);
			tu_rand_bytes(aad, aad_len);
			aead_seal(key, nonce, aad, aad_len, pt, len, ct, tag);
			bad += flip_all(key, nonce, aad, aad_len, ct, len, tag, &untouched);
			all_untouched &= untouched;
		}
	}
	tap_ok(!bad, "every single-bit flip of ct/tag/aad/nonce/key is rejected (%d accepted)",
	       bad);
	tap_ok(all_untouched, "rejected opens leave the output buffer untouched");

	/* Moving bytes between aad and ct must not verify (the length block). */
	tu_rand_bytes(key, 32);
	tu_rand_bytes(nonce, 12);
	tu_rand_bytes(pt, 32);
	aead_seal(key, nonce, pt, 16, pt + 16, 16, ct, tag);
	memcpy(rct, pt, 16);
	memcpy(rct + 16, ct, 16);
	tap_ok(aead_open(key, nonce, rct, 20, rct + 20, 12, tag, dec) == TV_EAUTH &&
	       aead_open(key, nonce, rct, 12, rct + 12, 20, tag, dec) == TV_EAUTH &&
	       aead_open(key, nonce, rct, 16, rct + 16, 16, tag, dec) == TV_OK,
	       "aad/ct boundary is authenticated");

	/* Truncation of ct is rejected. */
	aead_seal(key, nonce, NULL, 0, pt, 32, ct, tag);
	tap_ok(aead_open(key, nonce, NULL, 0, ct, 31, tag, dec) == TV_EAUTH,
	       "truncated ciphertext rejected");

	/* In place, both directions. */
	memcpy(dec, pt, 100);
	aead_seal(key, nonce, aad, 7, dec, 100, dec, tag);
	aead_seal(key, nonce, aad, 7, pt, 100, ct, rtag);
	bad = memcmp(dec, ct, 100) || memcmp(tag, rtag, 16);
	bad |= aead_open(key, nonce, aad, 7, dec, 100, tag, dec) != TV_OK || memcmp(dec, pt, 100);
	tap_ok(!bad, "in-place seal and open");

	/* Encryption really happens and depends on the nonce. */
	memset(pt, 0, 64);
	aead_seal(key, nonce, NULL, 0, pt, 64, ct, tag);
	nonce[11] ^= 1;
	aead_seal(key, nonce, NULL, 0, pt, 64, rct, rtag);
	tap_ok(!tu_all(ct, 0, 64) && memcmp(ct, rct, 64) && memcmp(tag, rtag, 16),
	       "ciphertext and tag depend on the nonce");

	/* Argument checks return an error and write nothing. */
	memset(sentinel, 0x77, 16);
	memcpy(tag, sentinel, 16);
	memset(ct, 0x77, 64);
	bad = aead_seal(NULL, nonce, NULL, 0, pt, 16, ct, tag) != TV_EINVAL;
	bad += aead_seal(key, NULL, NULL, 0, pt, 16, ct, tag) != TV_EINVAL;
	bad += aead_seal(key, nonce, NULL, 5, pt, 16, ct, tag) != TV_EINVAL;
	bad += aead_seal(key, nonce, NULL, 0, NULL, 16, ct, tag) != TV_EINVAL;
	bad += aead_seal(key, nonce, NULL, 0, pt, 16, NULL, tag) != TV_EINVAL;
	bad += aead_open(key, nonce, NULL, 0, ct, 16, NULL, dec) != TV_EINVAL;
	tap_ok(!bad && !memcmp(tag, sentinel, 16) && tu_all(ct, 0x77, 64),
	       "NULL arguments: TV_EINVAL, nothing written");

	/* Over 2^32 blocks the 32-bit counter field would wrap into the nonce. */
	bad = aead_seal(key, nonce, NULL, 0, pt, ((size_t)1 << 36) + 1, ct, tag) != TV_ERANGE;
	bad += aead_open(key, nonce, NULL, 0, ct, ((size_t)1 << 36) + 1, sentinel, dec) !=
	       TV_ERANGE;
	tap_ok(!bad && !memcmp(tag, sentinel, 16) && tu_all(ct, 0x77, 64),
	       "length over 2^36 bytes: TV_ERANGE, nothing touched");

	/* Empty everything still authenticates the (key, nonce) pair. */
	tap_ok(aead_seal(key, nonce, NULL, 0, NULL, 0, NULL, tag) == TV_OK &&
	       aead_open(key, nonce, NULL, 0, NULL, 0, tag, NULL) == TV_OK &&
	       (tag[0] ^= 1, aead_open(key, nonce, NULL, 0, NULL, 0, tag, NULL) == TV_EAUTH),
	       "empty message and aad: tag only");
	return tap_finish();
}
