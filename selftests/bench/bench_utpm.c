// SPDX-License-Identifier: GPL-2.0
/*
 * µTPM operations against the same work done with OpenSSL, same run:
 *   extend  - SHA-256 of old || digest
 *   seal    - HKDF-SHA256 blob key from the master secret and header, the AEAD's
 *             HKDF key split, AES-256-CTR, HMAC-SHA256 over header || ct, and
 *             a 12-byte random nonce (what utpm_seal does through lib/)
 *   unseal  - the same without the nonce
 *   quote   - SHA-256 of the selected PCRs and of the attest, ECDSA P-256 sign
 * OpenSSL has no µTPM, so its column is the sum of those primitives; the µTPM
 * column also includes marshalling, checks and copies.
 */
#define OPENSSL_SUPPRESS_DEPRECATED
#include <string.h>
#include <openssl/ec.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/kdf.h>
#include <openssl/obj_mac.h>
#include <openssl/rand.h>
#include "utpm/utpm.h"
#include "selftests/bench/bench.h"

static struct utpm_root root;
static struct utpm pal;
static struct utpm_pcr_sel sel = { 0x000c03 };
static u8 data[4096], blob[UTPM_SEAL_BLOB_MAX], out[4096], attest[UTPM_ATTEST_MAX];
static u8 sig[UTPM_SIG_SIZE], digest[32], nonce[20], master[32], hdr[124];
static size_t len, blob_len;
static EC_KEY *okey;
static EVP_CIPHER_CTX *ctr;

static void ours_extend(void *a)
{
	(void)a;
	if (utpm_pcr_extend(&pal, 5, digest))
		abort();
}

static void ossl_extend(void *a)
{
	static u8 pcr[64];

	(void)a;
	EVP_Digest(pcr, 64, pcr, NULL, EVP_sha256(), NULL);
}

static void ours_seal(void *a)
{
	(void)a;
	if (utpm_seal(&root, &pal, NULL, data, len, blob, sizeof(blob), &blob_len))
		abort();
}

static void ours_unseal(void *a)
{
	size_t n;

	(void)a;
	if (utpm_unseal(&root, &pal, blob, blob_len, out, sizeof(out), &n, NULL))
		abort();
}

static void ossl_hkdf(const u8 *ikm, const u8 *info, size_t info_len, u8 *o, size_t olen)
{
	EVP_PKEY_CTX *p = EVP_PKEY_CTX_new_id(EVP_PKEY_HKDF, NULL);

	if (!p || EVP_PKEY_derive_init(p) <= 0 || EVP_PKEY_CTX_set_hkdf_md(p, EVP_sha256()) <= 0 ||
	    EVP_PKEY_CTX_set1_hkdf_salt(p, (const u8 *)"salt", 4) <= 0 ||
	    EVP_PKEY_CTX_set1_hkdf_key(p, ikm, 32) <= 0 ||
	    EVP_PKEY_CTX_add1_hkdf_info(p, info, (int)info_len) <= 0 ||
	    EVP_PKEY_derive(p, o, &olen) <= 0)
		abort();
	EVP_PKEY_CTX_free(p);
}

static void ossl_seal_work(bool with_nonce)
{
	u8 key[32], keys[64], mac[32], iv[16] = { 0 };
	HMAC_CTX *h;
	int n;

	if (with_nonce && RAND_bytes(iv, 12) != 1)
		abort();
	ossl_hkdf(master, hdr, sizeof(hdr), key, 32);
	ossl_hkdf(key, (const u8 *)"aead", 4, keys, 64);
	if (!EVP_EncryptInit_ex(ctr, NULL, NULL, keys, iv) ||
	    !EVP_EncryptUpdate(ctr, out, &n, data, (int)len))
		abort();
	h = HMAC_CTX_new();
	if (!h || !HMAC_Init_ex(h, keys + 32, 32, EVP_sha256(), NULL) ||
	    !HMAC_Update(h, hdr, sizeof(hdr)) || !HMAC_Update(h, out, len) ||
	    !HMAC_Final(h, mac, NULL))
		abort();
	HMAC_CTX_free(h);
}

static void ossl_seal(void *a)
{
	(void)a;
	ossl_seal_work(true);
}

static void ossl_unseal(void *a)
{
	(void)a;
	ossl_seal_work(false);
}

static void ours_quote(void *a)
{
	size_t al, sl;

	(void)a;
	nonce[0]++;
	if (utpm_quote(&root, &pal, &sel, nonce, sizeof(nonce), attest, sizeof(attest), &al,
		       sig, sizeof(sig), &sl))
		abort();
}

static void ossl_quote(void *a)
{
	u8 h[32];
	ECDSA_SIG *s;

	(void)a;
	EVP_Digest(pal.pcr, 4 * 32, h, NULL, EVP_sha256(), NULL);
	attest[0]++;
	EVP_Digest(attest, 121, h, NULL, EVP_sha256(), NULL);
	s = ECDSA_do_sign(h, 32, okey);
	if (!s)
		abort();
	ECDSA_SIG_free(s);
}

int main(void)
{
	u8 ent[UTPM_MIN_ENTROPY], m[32];
	char name[64];
	size_t sizes[] = { 32, 4096 }, i;
	double ours, theirs;

	memset(ent, 7, sizeof(ent));
	memset(m, 'P', sizeof(m));
	memset(master, 0x11, sizeof(master));
	if (utpm_root_init(&root, master, ent, sizeof(ent)) || utpm_init(&pal, m))
		return 1;
	okey = EC_KEY_new_by_curve_name(NID_X9_62_prime256v1);
	ctr = EVP_CIPHER_CTX_new();
	if (!okey || !EC_KEY_generate_key(okey) || !ctr ||
	    !EVP_EncryptInit_ex(ctr, EVP_aes_256_ctr(), NULL, master, NULL))
		return 1;

	ours = bench_time(ours_extend, NULL);
	theirs = bench_time(ossl_extend, NULL);
	bench_row_us("utpm PCR extend (SHA-256 64 B)", ours, theirs);

	for (i = 0; i < TV_ARRAY_SIZE(sizes); i++) {
		len = sizes[i];
		snprintf(name, sizeof(name), "utpm seal %zu B", len);
		ours = bench_time(ours_seal, NULL);
		theirs = bench_time(ossl_seal, NULL);
		bench_row_us(name, ours, theirs);
		snprintf(name, sizeof(name), "utpm unseal %zu B", len);
		ours = bench_time(ours_unseal, NULL);
		theirs = bench_time(ossl_unseal, NULL);
		bench_row_us(name, ours, theirs);
	}

	ours = bench_time(ours_quote, NULL);
	theirs = bench_time(ossl_quote, NULL);
	bench_row_us("utpm quote (4 PCRs, ECDSA P-256)", ours, theirs);

	EVP_CIPHER_CTX_free(ctr);
	EC_KEY_free(okey);
	utpm_root_wipe(&root);
	return 0;
}
