// SPDX-License-Identifier: GPL-2.0
/*
 * HMAC-SHA256 (RFC 4231 vectors) and HKDF-SHA256 (RFC 5869 vectors), then
 * differential against OpenSSL's HMAC() and HKDF on random inputs.
 */
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/kdf.h>
#include "lib/hmac.h"
#include "selftests/lib/testutil.h"

struct hmac_kat {
	const char *key;	/* hex */
	const char *data;	/* hex */
	const char *mac;	/* hex, possibly truncated */
};

static const struct hmac_kat rfc4231[] = {
	{ "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "4869205468657265",
	  "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7" },
	{ "4a656665", "7768617420646f2079612077616e7420666f72206e6f7468696e673f",
	  "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843" },
	{ "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	  "dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd"
	  "dddddddddddddddddddddddddddddddddddd",	/* 50 bytes */
	  "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe" },
	{ "0102030405060708090a0b0c0d0e0f10111213141516171819",
	  "cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd"
	  "cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd",	/* 50 bytes */
	  "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b" },
	{ "0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c",
	  "546573742057697468205472756e636174696f6e",
	  "a3b6167473100ee06e0c796c2955552b" },
	{ NULL,	/* 131 x 0xaa */
	  "54657374205573696e67204c6172676572205468616e20426c6f636b2d53697a"
	  "65204b6579202d2048617368204b6579204669727374",
	  "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54" },
	{ NULL,
	  "5468697320697320612074657374207573696e672061206c6172676572207468"
	  "616e20626c6f636b2d73697a65206b657920616e642061206c61726765722074"
	  "68616e20626c6f636b2d73697a6520646174612e20546865206b6579206e6565"
	  "647320746f20626520686173686564206265666f7265206265696e6720757365"
	  "642062792074686520484d414320616c676f726974686d2e",
	  "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2" },
};

struct hkdf_kat {
	const char *ikm, *salt, *info, *prk, *okm;
};

static const struct hkdf_kat rfc5869[] = {
	{ "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b",
	  "000102030405060708090a0b0c", "f0f1f2f3f4f5f6f7f8f9",
	  "077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5",
	  "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf"
	  "34007208d5b887185865" },
	{ NULL, NULL, NULL,	/* A.2: 0x00..0x4f, 0x60..0xaf, 0xb0..0xff */
	  "06a6b88c5853361a06104c9ceb35b45cef760014904671014a193f40c15fc244",
	  "b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c"
	  "59045a99cac7827271cb41c65e590e09da3275600c2f09b8367793a9aca3db71"
	  "cc30c58179ec3e87c14c01d5c1f3434f1d87" },
	{ "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "", "",
	  "19ef24a32c717b167f33a91d6f648bdf96596776afdb6377ac434c1c293ccb04",
	  "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d"
	  "9d201395faa4b61a96c8" },
};

static void ossl_hkdf(const void *salt, size_t salt_len, const void *ikm, size_t ikm_len,
		      const void *info, size_t info_len, void *out, size_t out_len)
{
	EVP_PKEY_CTX *pctx = EVP_PKEY_CTX_new_id(EVP_PKEY_HKDF, NULL);
	size_t n = out_len;

	if (!pctx || EVP_PKEY_derive_init(pctx) <= 0 ||
	    EVP_PKEY_CTX_set_hkdf_md(pctx, EVP_sha256()) <= 0 ||
	    EVP_PKEY_CTX_set1_hkdf_salt(pctx, salt, salt_len) <= 0 ||
	    EVP_PKEY_CTX_set1_hkdf_key(pctx, ikm, ikm_len) <= 0 ||
	    EVP_PKEY_CTX_add1_hkdf_info(pctx, info, info_len) <= 0 ||
	    EVP_PKEY_derive(pctx, out, &n) <= 0 || n != out_len)
		abort();
	EVP_PKEY_CTX_free(pctx);
}

static void test_hmac_kats(void)
{
	unsigned char key[200], data[300], mac[32];
	size_t i;

	for (i = 0; i < TV_ARRAY_SIZE(rfc4231); i++) {
		const struct hmac_kat *t = &rfc4231[i];
		size_t kl, dl = tu_unhex(data, sizeof(data), t->data);

		if (t->key) {
			kl = tu_unhex(key, sizeof(key), t->key);
		} else {
			kl = 131;
			memset(key, 0xaa, kl);
		}
		hmac_sha256(key, kl, data, dl, mac);
		tap_ok(tu_eq_hex(mac, strlen(t->mac) / 2, t->mac), "RFC 4231 test case %zu", i + 1);
	}
}

static void test_hkdf_kats(void)
{
	unsigned char ikm[80], salt[80], info[80], prk[32], okm[82];
	size_t i, j;

	for (i = 0; i < TV_ARRAY_SIZE(rfc5869); i++) {
		const struct hkdf_kat *t = &rfc5869[i];
		size_t il, sl, nl, ol = strlen(t->okm) / 2;
		int ok;

		if (t->ikm) {
			il = tu_unhex(ikm, sizeof(ikm), t->ikm);
			sl = tu_unhex(salt, sizeof(salt), t->salt);
			nl = tu_unhex(info, sizeof(info), t->info);
		} else {
			for (j = 0; j < 80; j++) {
				ikm[j] = j;
				salt[j] = 0x60 + j;
				info[j] = 0xb0 + j;
			}
			il = sl = nl = 80;
		}
		hkdf_sha256_extract(salt, sl, ikm, il, prk);
		ok = tu_eq_hex(prk, 32, t->prk);
		ok &= hkdf_sha256_expand(prk, info, nl, okm, ol) == TV_OK;
		ok &= tu_eq_hex(okm, ol, t->okm);
		memset(okm, 0, sizeof(okm));
		ok &= hkdf_sha256(salt, sl, ikm, il, info, nl, okm, ol) == TV_OK;
		ok &= tu_eq_hex(okm, ol, t->okm);
		tap_ok(ok, "RFC 5869 A.%zu (extract, expand, one-shot)", i + 1);
	}
	/* A.3's empty salt is the same as an absent (NULL) one. */
	tu_unhex(ikm, sizeof(ikm), rfc5869[2].ikm);
	hkdf_sha256_extract(NULL, 0, ikm, 22, prk);
	tap_ok(tu_eq_hex(prk, 32, rfc5869[2].prk), "RFC 5869 A.3 with NULL salt");
}

int main(void)
{
	static unsigned char key[300], data[5000], okm[255 * 32 + 1];
	unsigned char a[32], b[32], prk[32];
	unsigned int blen;
	int i, bad;

	tap_plan(7 + 4 + 7);
	tu_seed();
	test_hmac_kats();
	test_hkdf_kats();

	bad = 0;
	for (i = 0; i < 3000; i++) {
		size_t kl = tu_rand_below(200), dl = tu_rand_below(i < 2000 ? 300 : sizeof(data));
		struct hmac_sha256_ctx ctx;
		size_t off = 0;

		tu_rand_bytes(key, kl);
		tu_rand_bytes(data, dl);
		hmac_sha256_init(&ctx, key, kl);
		while (off < dl) {
			size_t k = tu_rand_below(dl - off + 1);

			hmac_sha256_update(&ctx, data + off, k);
			off += k;
		}
		hmac_sha256_final(&ctx, a);
		if (!HMAC(EVP_sha256(), key, (int)kl, data, dl, b, &blen) || blen != 32)
			abort();
		bad += !!memcmp(a, b, 32);
		if (i == 0)
			bad += !tu_all(&ctx, 0, sizeof(ctx));
	}
	tap_ok(!bad, "HMAC: 3000 random keys (0..199 B) and split messages match OpenSSL (%d bad)",
	       bad);

	bad = 0;
	for (i = 0; i < 2000; i++) {
		size_t sl = tu_rand_below(100), il = tu_rand_below(100), nl = tu_rand_below(100);
		size_t ol = 1 + tu_rand_below(i < 1900 ? 200 : 255 * 32);
		static unsigned char ours[255 * 32], ref[255 * 32];

		tu_rand_bytes(key, sl + il);
		tu_rand_bytes(data, nl);
		if (hkdf_sha256(key, sl, key + sl, il, data, nl, ours, ol) != TV_OK)
			bad++;
		ossl_hkdf(key, sl, key + sl, il, data, nl, ref, ol);
		bad += !!memcmp(ours, ref, ol);
	}
	tap_ok(!bad, "HKDF: 2000 random salt/ikm/info/lengths match OpenSSL (%d bad)", bad);

	/* 255 blocks is the limit; one byte more is refused and nothing written. */
	tu_rand_bytes(prk, sizeof(prk));
	tap_ok(hkdf_sha256_expand(prk, "x", 1, okm, 255 * 32) == TV_OK, "expand 8160 bytes ok");
	memset(okm, 0x5a, sizeof(okm));
	tap_ok(hkdf_sha256_expand(prk, "x", 1, okm, 255 * 32 + 1) == TV_ERANGE &&
	       hkdf_sha256(NULL, 0, prk, 32, NULL, 0, okm, 255 * 32 + 1) == TV_ERANGE &&
	       tu_all(okm, 0x5a, sizeof(okm)), "expand 8161 bytes: TV_ERANGE, output untouched");

	/* NULL with a non-zero length is refused before anything is written. */
	memset(okm, 0x5a, 64);
	tap_ok(hkdf_sha256(NULL, 5, prk, 32, NULL, 0, okm, 64) == TV_EINVAL &&
	       hkdf_sha256(NULL, 0, NULL, 32, NULL, 0, okm, 64) == TV_EINVAL &&
	       hkdf_sha256(NULL, 0, prk, 32, NULL, 3, okm, 64) == TV_EINVAL &&
	       hkdf_sha256(NULL, 0, prk, 32, NULL, 0, NULL, 64) == TV_EINVAL &&
	       hkdf_sha256_expand(NULL, NULL, 0, okm, 64) == TV_EINVAL &&
	       hkdf_sha256_expand(prk, NULL, 1, okm, 64) == TV_EINVAL &&
	       tu_all(okm, 0x5a, 64), "HKDF NULL arguments: TV_EINVAL, output untouched");

	/* Zero-length output is a no-op, not an error. */
	tap_ok(hkdf_sha256_expand(prk, NULL, 0, NULL, 0) == TV_OK, "expand 0 bytes");

	/* Key longer than a block is hashed first (RFC 2104): H(k) as key gives the same MAC. */
	tu_rand_bytes(key, 100);
	tu_rand_bytes(data, 50);
	sha256(key, 100, prk);
	hmac_sha256(key, 100, data, 50, a);
	hmac_sha256(prk, 32, data, 50, b);
	tap_ok(!memcmp(a, b, 32), "long key equals its hash as key");

	return tap_finish();
}
