// SPDX-License-Identifier: GPL-2.0
/*
 * Symmetric primitives against OpenSSL, same inputs, same run.  OpenSSL uses
 * SHA-NI and AES-NI where the CPU has them; the program then re-runs itself
 * with OPENSSL_ia32cap masking both, to also show software against software.
 */
#include <string.h>
#include <unistd.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/params.h>
#include "lib/aead.h"
#include "lib/aes.h"
#include "lib/drbg.h"
#include "lib/hmac.h"
#include "selftests/bench/bench.h"

#define BIG 16384
#define SMALL 64
#define AEAD_INFO "TrustVisor AEAD v1 AES-256-CTR HMAC-SHA256"

static unsigned char msg[BIG], out[BIG], key[32], nonce[12], tag[32];
static size_t len;
static struct aes256_ctx aes;
static EVP_CIPHER_CTX *evp_ctr;
static EVP_MAC *hmac_alg;
static struct hmac_drbg drbg;
static EVP_RAND_CTX *ossl_parent, *ossl_drbg;

static void ours_sha(void *a) { (void)a; sha256(msg, len, out); }
static void ossl_sha(void *a)
{
	(void)a;
	EVP_Digest(msg, len, out, NULL, EVP_sha256(), NULL);
}

static void ours_hmac(void *a) { (void)a; hmac_sha256(key, 32, msg, len, out); }
static void ossl_hmac_buf(const unsigned char *k, const unsigned char *m, size_t n,
			  unsigned char *o)
{
	EVP_MAC_CTX *c = EVP_MAC_CTX_new(hmac_alg);
	OSSL_PARAM p[2] = { OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, "SHA256", 0),
			    OSSL_PARAM_construct_end() };
	size_t ol;

	if (!c || !EVP_MAC_init(c, k, 32, p) || !EVP_MAC_update(c, m, n) ||
	    !EVP_MAC_final(c, o, &ol, 32))
		abort();
	EVP_MAC_CTX_free(c);
}
static void ossl_hmac(void *a) { (void)a; ossl_hmac_buf(key, msg, len, out); }

static void ours_ctr(void *a)
{
	unsigned char ctr[16] = { 0 };

	(void)a;
	aes256_ctr(&aes, ctr, msg, out, len);
}
static void ossl_ctr(void *a)
{
	static const unsigned char iv[16];
	int n;

	(void)a;
	if (!EVP_EncryptInit_ex(evp_ctr, NULL, NULL, NULL, iv) ||
	    !EVP_EncryptUpdate(evp_ctr, out, &n, msg, (int)len))
		abort();
}

static void ours_aes_init(void *a) { (void)a; aes256_init(&aes, key); }
static void ossl_aes_init(void *a)
{
	(void)a;
	if (!EVP_EncryptInit_ex(evp_ctr, EVP_aes_256_ctr(), NULL, key, NULL))
		abort();
}

static void ours_seal(void *a)
{
	(void)a;
	aead_seal(key, nonce, NULL, 0, msg, len, out, tag);
}

/* The same construction assembled from OpenSSL parts (as in test_aead.c). */
static void ossl_seal(void *a)
{
	static const unsigned char zero_salt[32];
	unsigned char keys[64], iv[16], lens[16] = { 0 };
	EVP_PKEY_CTX *pctx = EVP_PKEY_CTX_new_id(EVP_PKEY_HKDF, NULL);
	EVP_MAC_CTX *m = EVP_MAC_CTX_new(hmac_alg);
	OSSL_PARAM p[2] = { OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, "SHA256", 0),
			    OSSL_PARAM_construct_end() };
	size_t kl = 64, ol;
	int n, i;

	(void)a;
	if (!pctx || EVP_PKEY_derive_init(pctx) <= 0 ||
	    EVP_PKEY_CTX_set_hkdf_md(pctx, EVP_sha256()) <= 0 ||
	    EVP_PKEY_CTX_set1_hkdf_salt(pctx, zero_salt, 32) <= 0 ||
	    EVP_PKEY_CTX_set1_hkdf_key(pctx, key, 32) <= 0 ||
	    EVP_PKEY_CTX_add1_hkdf_info(pctx, (const unsigned char *)AEAD_INFO,
					strlen(AEAD_INFO)) <= 0 ||
	    EVP_PKEY_derive(pctx, keys, &kl) <= 0)
		abort();
	EVP_PKEY_CTX_free(pctx);
	memcpy(iv, nonce, 12);
	memset(iv + 12, 0, 4);
	if (!EVP_EncryptInit_ex(evp_ctr, EVP_aes_256_ctr(), NULL, keys, iv) ||
	    !EVP_EncryptUpdate(evp_ctr, out, &n, msg, (int)len))
		abort();
	for (i = 0; i < 8; i++)
		lens[8 + i] = (unsigned long long)len >> (56 - 8 * i);
	if (!m || !EVP_MAC_init(m, keys + 32, 32, p) || !EVP_MAC_update(m, nonce, 12) ||
	    !EVP_MAC_update(m, out, len) || !EVP_MAC_update(m, lens, 16) ||
	    !EVP_MAC_final(m, tag, &ol, 32))
		abort();
	EVP_MAC_CTX_free(m);
}

static void ours_drbg(void *a)
{
	(void)a;
	if (hmac_drbg_generate(&drbg, out, len, NULL, 0))
		abort();
}
static void ossl_drbg_gen(void *a)
{
	(void)a;
	if (!EVP_RAND_generate(ossl_drbg, out, len, 256, 0, NULL, 0))
		abort();
}

static void setup_drbgs(void)
{
	unsigned int strength = 256;
	OSSL_PARAM p[4];
	EVP_RAND *r;

	hmac_drbg_instantiate(&drbg, key, 32, nonce, 12, NULL, 0);

	r = EVP_RAND_fetch(NULL, "TEST-RAND", NULL);
	ossl_parent = EVP_RAND_CTX_new(r, NULL);
	EVP_RAND_free(r);
	p[0] = OSSL_PARAM_construct_uint(OSSL_RAND_PARAM_STRENGTH, &strength);
	p[1] = OSSL_PARAM_construct_octet_string(OSSL_RAND_PARAM_TEST_ENTROPY, key, 32);
	p[2] = OSSL_PARAM_construct_octet_string(OSSL_RAND_PARAM_TEST_NONCE, msg, 16);
	p[3] = OSSL_PARAM_construct_end();
	if (!ossl_parent || !EVP_RAND_CTX_set_params(ossl_parent, p) ||
	    !EVP_RAND_instantiate(ossl_parent, strength, 0, NULL, 0, NULL))
		abort();
	r = EVP_RAND_fetch(NULL, "HMAC-DRBG", NULL);
	ossl_drbg = EVP_RAND_CTX_new(r, ossl_parent);
	EVP_RAND_free(r);
	p[0] = OSSL_PARAM_construct_utf8_string(OSSL_DRBG_PARAM_MAC, "HMAC", 0);
	p[1] = OSSL_PARAM_construct_utf8_string(OSSL_DRBG_PARAM_DIGEST, "SHA256", 0);
	p[2] = OSSL_PARAM_construct_end();
	if (!ossl_drbg || !EVP_RAND_CTX_set_params(ossl_drbg, p) ||
	    !EVP_RAND_instantiate(ossl_drbg, strength, 0, NULL, 0, NULL))
		abort();
}

static void row(const char *name, size_t n, void (*ours)(void *), void (*ossl)(void *),
		int latency)
{
	char label[80];
	double a, b;

	len = n;
	a = bench_time(ours, NULL);
	b = bench_time(ossl, NULL);
	snprintf(label, sizeof(label), "%s%s", name,
		 getenv("BENCH_NOHW") ? " [OpenSSL no-NI]" : "");
	if (latency)
		bench_row_us(label, a, b);
	else
		bench_row_mbps(label, n, a, b);
}

int main(int argc, char **argv)
{
	int nohw = getenv("BENCH_NOHW") != NULL;

	(void)argc;
	memset(msg, 0x61, sizeof(msg));
	memset(key, 0x4b, sizeof(key));
	memset(nonce, 0x4e, sizeof(nonce));
	aes256_init(&aes, key);
	evp_ctr = EVP_CIPHER_CTX_new();
	hmac_alg = EVP_MAC_fetch(NULL, "HMAC", NULL);
	if (!evp_ctr || !hmac_alg ||
	    !EVP_EncryptInit_ex(evp_ctr, EVP_aes_256_ctr(), NULL, key, NULL))
		abort();

	row("SHA-256, 16 KiB message", BIG, ours_sha, ossl_sha, 0);
	row("AES-256-CTR, 16 KiB", BIG, ours_ctr, ossl_ctr, 0);
	row("HMAC-SHA256, 16 KiB message", BIG, ours_hmac, ossl_hmac, 0);
	row("HMAC-SHA256, 64 B message", SMALL, ours_hmac, ossl_hmac, 1);
	row("AES-256 key schedule", 0, ours_aes_init, ossl_aes_init, 1);
	row("AEAD seal (CTR+HMAC), 16 KiB", BIG, ours_seal, ossl_seal, 0);
	row("AEAD seal (CTR+HMAC), 64 B", SMALL, ours_seal, ossl_seal, 1);
	setup_drbgs();
	row("HMAC-DRBG generate, 4 KiB", 4096, ours_drbg, ossl_drbg_gen, 0);
	row("HMAC-DRBG generate, 32 B", 32, ours_drbg, ossl_drbg_gen, 1);
	EVP_RAND_CTX_free(ossl_drbg);
	EVP_RAND_CTX_free(ossl_parent);
	EVP_MAC_free(hmac_alg);
	EVP_CIPHER_CTX_free(evp_ctr);

	if (!nohw) {
		/* Again with OpenSSL's AES-NI (cpuid 1 ecx.25) and SHA-NI (cpuid 7 ebx.29) off. */
		setenv("OPENSSL_ia32cap", "~0x200000000000000:~0x20000000", 1);
		setenv("BENCH_NOHW", "1", 1);
		execv("/proc/self/exe", argv);
		perror("execv");
		return 1;
	}
	return 0;
}
