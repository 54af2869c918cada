/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared by the µTPM test programs: fixed roots and PALs, and OpenSSL as the
 * independent reference for SHA-256 and ECDSA verification.
 */
#ifndef TV_SELFTESTS_UTPM_COMMON_H
#define TV_SELFTESTS_UTPM_COMMON_H

#include <string.h>
#include <openssl/evp.h>
#include <openssl/ecdsa.h>
#include <openssl/bn.h>
#include <openssl/x509.h>

#include "utpm/utpm.h"

/* DER SubjectPublicKeyInfo prefix of an uncompressed P-256 point. */
static const unsigned char p256_spki_prefix[] = {
	0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02,
	0x01, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07, 0x03,
	0x42, 0x00,
};

static inline void ref_sha256(const void *a, size_t alen, const void *b, size_t blen,
			      u8 out[32])
{
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	unsigned int n = 32;

	EVP_DigestInit_ex(c, EVP_sha256(), NULL);
	EVP_DigestUpdate(c, a, alen);
	if (blen)
		EVP_DigestUpdate(c, b, blen);
	EVP_DigestFinal_ex(c, out, &n);
	EVP_MD_CTX_free(c);
}

static inline EVP_PKEY *ref_pubkey(const u8 pub[P256_PUBKEY_SIZE])
{
	unsigned char der[sizeof(p256_spki_prefix) + P256_PUBKEY_SIZE];
	const unsigned char *p = der;

	memcpy(der, p256_spki_prefix, sizeof(p256_spki_prefix));
	memcpy(der + sizeof(p256_spki_prefix), pub, P256_PUBKEY_SIZE);
	return d2i_PUBKEY(NULL, &p, sizeof(der));
}

/* r || s (32 + 32) to DER; returns the DER length or 0. */
static inline int ref_sig_der(const u8 rs[64], unsigned char *der, size_t cap)
{
	ECDSA_SIG *s = ECDSA_SIG_new();
	unsigned char *p = der;
	int n;

	ECDSA_SIG_set0(s, BN_bin2bn(rs, 32, NULL), BN_bin2bn(rs + 32, 32, NULL));
	n = i2d_ECDSA_SIG(s, NULL);
	if (n <= 0 || (size_t)n > cap)
		n = 0;
	else
		n = i2d_ECDSA_SIG(s, &p);
	ECDSA_SIG_free(s);
	return n;
}

/* 1 if OpenSSL accepts ECDSA-SHA256 signature rs over msg under pub. */
static inline int ref_verify(const u8 pub[P256_PUBKEY_SIZE], const void *msg,
			     size_t len, const u8 rs[64])
{
	unsigned char der[80];
	EVP_PKEY *k = ref_pubkey(pub);
	EVP_MD_CTX *c;
	int n = ref_sig_der(rs, der, sizeof(der)), ok = 0;

	if (!k || !n) {
		EVP_PKEY_free(k);
		return 0;
	}
	c = EVP_MD_CTX_new();
	if (EVP_DigestVerifyInit(c, NULL, EVP_sha256(), NULL, k) == 1)
		ok = EVP_DigestVerify(c, der, n, msg, len) == 1;
	EVP_MD_CTX_free(c);
	EVP_PKEY_free(k);
	return ok;
}

static inline int test_root(struct utpm_root *r, u8 master_byte)
{
	u8 ent[UTPM_MIN_ENTROPY], master[UTPM_MASTER_SIZE];

	memset(ent, 0xa5, sizeof(ent));
	memset(master, master_byte, sizeof(master));
	return utpm_root_init(r, master, ent, sizeof(ent));
}

static inline void test_meas(const char *name, u8 m[UTPM_MEAS_SIZE])
{
	ref_sha256(name, strlen(name), NULL, 0, m);
}

static inline int hex_nibble(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Exact-length hex decode; returns 0 on success. */
static inline int from_hex(const char *s, u8 *out, size_t len)
{
	size_t i;

	if (strlen(s) != 2 * len)
		return -1;
	for (i = 0; i < len; i++) {
		int hi = hex_nibble(s[2 * i]), lo = hex_nibble(s[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return -1;
		out[i] = hi << 4 | lo;
	}
	return 0;
}

#endif
