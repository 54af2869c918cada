// SPDX-License-Identifier: GPL-2.0
/*
 * Constant-time check for the symmetric primitives, run under memcheck by
 * ct-check.sh.  Secrets (keys, plaintexts, DRBG entropy, compared buffers)
 * are marked undefined; memcheck then reports any conditional jump or
 * memory address computed from them.  Outputs are never branched on here.
 * Built against lib/ compiled with -DTV_CT_VALGRIND so that ct_declassify()
 * can mark the one intentionally public result (the AEAD verdict).
 */
#include <stdio.h>
#include <string.h>
#include "lib/aead.h"
#include "lib/aes.h"
#include "lib/ct.h"
#include "lib/drbg.h"
#include "lib/hmac.h"
#include "selftests/lib/ctcheck.h"

static unsigned int sink;

/* Folds an output into a public checksum so no call is optimized away. */
static void consume(const void *p, size_t n)
{
	unsigned char tmp[512];
	size_t i;

	if (n > sizeof(tmp))
		n = sizeof(tmp);
	memcpy(tmp, p, n);
	PUBLIC(tmp, n);
	for (i = 0; i < n; i++)
		sink = sink * 31 + tmp[i];
}

int main(void)
{
	static unsigned char pt[1000], ct[1000], buf[1000];
	unsigned char key[32], nonce[12], tag[16], mac[32], okm[100], a[64], b[64];
	struct aes256_ctx aes;
	struct hmac_sha256_ctx h;
	struct hmac_drbg d;
	int i, r;

	for (i = 0; i < 32; i++)
		key[i] = i * 7 + 1;
	for (i = 0; i < (int)sizeof(pt); i++)
		pt[i] = i * 13;
	memset(nonce, 0x24, sizeof(nonce));

	/* AES-256 block and CTR: secret key and data. */
	SECRET(key, sizeof(key));
	SECRET(pt, sizeof(pt));
	aes256_init(&aes, key);
	aes256_encrypt_blocks(&aes, pt, ct, 7);
	consume(ct, 7 * 16);
	{
		unsigned char ctr[16] = { 0 };

		aes256_ctr(&aes, ctr, pt, ct, 333);
		consume(ct, 333);
	}
	aes256_wipe(&aes);

	/* AES-128 and CFB128 both ways (lib/tpm2.c's parameter encryption). */
	{
		struct aes128_ctx a128;
		unsigned char iv[16] = { 0 };

		SECRET(iv, sizeof(iv));
		aes128_init(&a128, key);
		aes128_encrypt_blocks(&a128, pt, ct, 5);
		consume(ct, 5 * 16);
		aes128_cfb_encrypt(&a128, iv, pt, ct, 77);
		consume(ct, 77);
		aes128_cfb_decrypt(&a128, iv, ct, buf, 77);
		consume(buf, 77);
		aes128_wipe(&a128);
	}

	/* AEAD seal, then open of the genuine and a forged message. */
	r = aead_seal(key, nonce, pt, 17, pt + 17, 500, ct, tag);
	consume(ct, 500);
	consume(tag, 16);
	r |= aead_open(key, nonce, pt, 17, ct, 500, tag, buf);
	consume(buf, 500);
	tag[3] ^= 1;
	r |= aead_open(key, nonce, pt, 17, ct, 500, tag, buf) != TV_EAUTH;

	/* SHA-256, HMAC, HKDF with secret inputs, incl. a long (hashed) key. */
	sha256(pt, 999, mac);
	consume(mac, 32);
	hmac_sha256(key, 32, pt, 300, mac);
	consume(mac, 32);
	hmac_sha256(pt, 200, pt + 200, 77, mac);
	consume(mac, 32);
	hmac_sha256_init(&h, key, 32);
	hmac_sha256_update(&h, pt, 65);
	hmac_sha256_update(&h, pt + 65, 3);
	hmac_sha256_final(&h, mac);
	consume(mac, 32);
	r |= hkdf_sha256(pt, 20, key, 32, "info", 4, okm, sizeof(okm));
	consume(okm, sizeof(okm));

	/* ct_memeq on secret buffers: equal, and differing at the first byte. */
	memset(a, 0x11, sizeof(a));
	memset(b, 0x11, sizeof(b));
	SECRET(a, sizeof(a));
	SECRET(b, sizeof(b));
	i = ct_memeq(a, b, sizeof(a));
	PUBLIC(&i, sizeof(i));
	r |= i != 1;
	b[0] = 0x12;
	SECRET(b, sizeof(b));
	i = ct_memeq(a, b, sizeof(a));
	PUBLIC(&i, sizeof(i));
	r |= i != 0;

	/* DRBG seeded from secret entropy, with secret additional input. */
	r |= hmac_drbg_instantiate(&d, key, 32, nonce, 12, NULL, 0);
	r |= hmac_drbg_generate(&d, buf, 1000, NULL, 0);
	consume(buf, 1000);
	r |= hmac_drbg_reseed(&d, pt, 48, pt + 48, 16);
	r |= hmac_drbg_generate(&d, buf, 100, pt + 100, 40);
	consume(buf, 100);
	hmac_drbg_wipe(&d);

	printf("ct_sym: %s (checksum %08x)\n", r ? "FUNCTIONAL FAILURE" : "done", sink);
	return r ? 1 : 0;
}
