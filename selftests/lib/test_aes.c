// SPDX-License-Identifier: GPL-2.0
/*
 * Bitsliced AES-256: FIPS-197 C.3 and SP 800-38A F.1.5 (ECB) / F.5.5 (CTR)
 * vectors, then differential against OpenSSL's AES-256-ECB/CTR.  AES-128:
 * FIPS-197 C.1 and SP 800-38A F.3.13/F.3.14 (CFB128), then differential
 * against OpenSSL's AES-128-ECB/CFB128.
 */
#include <openssl/evp.h>
#include "lib/aes.h"
#include "selftests/lib/testutil.h"

static const char sp38a_key[] =
	"603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4";
static const char f15_ct[] =
	"f3eed1bdb5d2a03c064b5a7e3db181f8591ccb10d410ed26dc5ba74a31362870"
	"b6ed21b99ca6f4f9f153e7b1beafed1d23304b7a39f9f3ff067d8d8f9e24ecc7";
static const char f55_ct[] =
	"601ec313775789a5b7a7f504bbf3d228f443e3ca4d62b59aca84e990cacaf5c5"
	"2b0930daa23de94ce87017ba2d84988ddfc9c58db67aada613c2dd08457941a6";
static const char sp38a_pt[] =
	"6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51"
	"30c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710";

static const char f313_key[] = "2b7e151628aed2a6abf7158809cf4f3c";
static const char f313_ct[] =
	"3b3fd92eb72dad20333449f8e83cfb4ac8a64537a0b3a93fcde3cdad9f1ce58b"
	"26751f67a3cbb140b1808cf187a4f4dfc04b05357c5d1c0eeac4c66f9ff7f2e6";

static void ossl_crypt(const EVP_CIPHER *c, const unsigned char *key, const unsigned char *iv,
		       const unsigned char *in, unsigned char *out, size_t len)
{
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	int n1 = 0, n2 = 0;

	if (!ctx || !EVP_EncryptInit_ex(ctx, c, NULL, key, iv) ||
	    !EVP_CIPHER_CTX_set_padding(ctx, 0) ||
	    (len && !EVP_EncryptUpdate(ctx, out, &n1, in, (int)len)) ||
	    !EVP_EncryptFinal_ex(ctx, out + n1, &n2) || (size_t)(n1 + n2) != len)
		abort();
	EVP_CIPHER_CTX_free(ctx);
}

static void test_aes128(void)
{
	static unsigned char in[300], ours[300], ref[300];
	unsigned char key[16], pt[64], out[64], iv[16];
	struct aes128_ctx ctx;
	int i, bad, bad_dec;

	tu_unhex(key, 16, "000102030405060708090a0b0c0d0e0f");
	tu_unhex(pt, 16, "00112233445566778899aabbccddeeff");
	aes128_init(&ctx, key);
	aes128_encrypt_blocks(&ctx, pt, out, 1);
	tap_ok(tu_eq_hex(out, 16, "69c4e0d86a7b0430d8cdb78070b4c55a"), "FIPS-197 C.1 AES-128");

	tu_unhex(key, 16, f313_key);
	tu_unhex(pt, 64, sp38a_pt);
	tu_unhex(iv, 16, "000102030405060708090a0b0c0d0e0f");
	aes128_init(&ctx, key);
	aes128_cfb_encrypt(&ctx, iv, pt, out, 64);
	tap_ok(tu_eq_hex(out, 64, f313_ct) &&
	       tu_eq_hex(iv, 16, "000102030405060708090a0b0c0d0e0f"),
	       "SP 800-38A F.3.13 CFB128-AES128 encrypt (IV left as given)");
	aes128_cfb_decrypt(&ctx, iv, out, out, 64);
	tap_ok(!memcmp(out, pt, 64), "F.3.14 CFB128-AES128 decrypts in place");

	bad = 0;
	for (i = 0; i < 1000; i++) {
		size_t nb = 1 + tu_rand_below(9);

		tu_rand_bytes(key, 16);
		tu_rand_bytes(in, nb * 16);
		aes128_init(&ctx, key);
		aes128_encrypt_blocks(&ctx, in, ours, nb);
		ossl_crypt(EVP_aes_128_ecb(), key, NULL, in, ref, nb * 16);
		bad += !!memcmp(ours, ref, nb * 16);
	}
	tap_ok(!bad, "ECB: 1000 random AES-128 keys x 1..9 blocks match OpenSSL (%d bad)", bad);

	/* Every length 0..299, partial last blocks included, both directions. */
	bad = 0;
	bad_dec = 0;
	for (i = 0; i < (int)sizeof(in); i++) {
		tu_rand_bytes(key, 16);
		tu_rand_bytes(iv, 16);
		tu_rand_bytes(in, i);
		aes128_init(&ctx, key);
		aes128_cfb_encrypt(&ctx, iv, in, ours, i);
		ossl_crypt(EVP_aes_128_cfb128(), key, iv, in, ref, i);
		bad += !!memcmp(ours, ref, i);
		aes128_cfb_decrypt(&ctx, iv, ours, ours, i);
		bad_dec += !!memcmp(ours, in, i);
	}
	tap_ok(!bad && !bad_dec,
	       "CFB128: lengths 0..299, random keys and IVs, match OpenSSL and "
	       "decrypt back (%d bad, %d bad decryptions)", bad, bad_dec);

	aes128_wipe(&ctx);
	tap_ok(tu_all(&ctx, 0, sizeof(ctx)), "aes128_wipe clears round keys");
}

int main(void)
{
	static unsigned char in[2000], ours[2000], ref[2000];
	unsigned char key[32], pt[64], out[64], ctr[16], iv[16];
	struct aes256_ctx ctx;
	int i, bad, bad_ctr;

	tap_plan(14);
	tu_seed();

	for (i = 0; i < 32; i++)
		key[i] = i;
	tu_unhex(pt, 16, "00112233445566778899aabbccddeeff");
	aes256_init(&ctx, key);
	aes256_encrypt_blocks(&ctx, pt, out, 1);
	tap_ok(tu_eq_hex(out, 16, "8ea2b7ca516745bfeafc49904b496089"), "FIPS-197 C.3 AES-256");

	tu_unhex(key, 32, sp38a_key);
	tu_unhex(pt, 64, sp38a_pt);
	aes256_init(&ctx, key);
	aes256_encrypt_blocks(&ctx, pt, out, 4);
	tap_ok(tu_eq_hex(out, 64, f15_ct), "SP 800-38A F.1.5 ECB-AES256");

	/* Also one block at a time: the other three lanes must not matter. */
	for (i = 0; i < 4; i++)
		aes256_encrypt_blocks(&ctx, pt + 16 * i, out + 16 * i, 1);
	tap_ok(tu_eq_hex(out, 64, f15_ct), "SP 800-38A F.1.5 block by block");

	tu_unhex(ctr, 16, "f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff");
	aes256_ctr(&ctx, ctr, pt, out, 64);
	tap_ok(tu_eq_hex(out, 64, f55_ct) && tu_eq_hex(ctr, 16, "f0f1f2f3f4f5f6f7f8f9fafbfcfdff03"),
	       "SP 800-38A F.5.5 CTR-AES256 (and counter advanced by 4)");

	/* CTR decryption is the same operation. */
	tu_unhex(ctr, 16, "f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff");
	aes256_ctr(&ctx, ctr, out, out, 64);
	tap_ok(!memcmp(out, pt, 64), "F.5.5 decrypts in place");

	bad = 0;
	for (i = 0; i < 1000; i++) {
		size_t nb = 1 + tu_rand_below(9);

		tu_rand_bytes(key, 32);
		tu_rand_bytes(in, nb * 16);
		aes256_init(&ctx, key);
		aes256_encrypt_blocks(&ctx, in, ours, nb);
		ossl_crypt(EVP_aes_256_ecb(), key, NULL, in, ref, nb * 16);
		bad += !!memcmp(ours, ref, nb * 16);
	}
	tap_ok(!bad, "ECB: 1000 random keys x 1..9 blocks match OpenSSL (%d bad)", bad);

	/*
	 * CTR: random lengths, counters near a 2^32 / 2^64 / 2^128 carry, and the
	 * message fed in random multiple-of-16 pieces.
	 */
	bad = 0;
	bad_ctr = 0;
	for (i = 0; i < 2000; i++) {
		size_t len = tu_rand_below(i < 1500 ? 300 : sizeof(in)), off = 0;

		tu_rand_bytes(key, 32);
		tu_rand_bytes(iv, 16);
		if (i % 4 == 1)
			memset(iv + 12, 0xff, 4);
		else if (i % 4 == 2)
			memset(iv + 8, 0xff, 8);
		else if (i % 4 == 3)
			memset(iv, 0xff, 16);
		if (i % 4)
			iv[15] -= tu_rand_below(8);
		tu_rand_bytes(in, len);
		memcpy(ctr, iv, 16);
		aes256_init(&ctx, key);
		while (off < len) {
			size_t k = 16 * tu_rand_below(8);

			if (k > len - off || tu_rand_below(4) == 0)
				k = len - off;
			aes256_ctr(&ctx, ctr, in + off, ours + off, k);
			off += k;
		}
		ossl_crypt(EVP_aes_256_ctr(), key, iv, in, ref, len);
		bad += !!memcmp(ours, ref, len);
		/* The counter advanced by exactly ceil(len / 16). */
		{
			unsigned char want[16];
			size_t blocks = (len + 15) / 16;
			int j;

			memcpy(want, iv, 16);
			for (j = 15; j >= 0 && blocks; j--) {
				unsigned int s = want[j] + (blocks & 0xff);

				want[j] = s;
				blocks = (blocks >> 8) + (s >> 8);
			}
			bad_ctr += !!memcmp(want, ctr, 16);
		}
	}
	tap_ok(!bad && !bad_ctr,
	       "CTR: 2000 random keys/counters/lengths, in pieces, match OpenSSL "
	       "(%d bad, %d bad counters)",
	       bad, bad_ctr);

	aes256_wipe(&ctx);
	tap_ok(tu_all(&ctx, 0, sizeof(ctx)), "aes256_wipe clears round keys");

	test_aes128();
	return tap_finish();
}
