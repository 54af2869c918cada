// SPDX-License-Identifier: GPL-2.0
/* TPM 2.0 quotes: TPMS_ATTEST signed by the identity key (ECDSA P-256). */
#include "utpm/internal.h"
#include "lib/ct.h"

/*
 * TPMS_ATTEST for TPM_ST_ATTEST_QUOTE (TPM 2.0 Part 2, 10.12.12):
 * magic, type, qualifiedSigner (TPM2B_NAME), extraData (TPM2B_DATA),
 * clockInfo (clock u64, resetCount u32, restartCount u32, safe u8),
 * firmwareVersion (u64), then TPMS_QUOTE_INFO (TPML_PCR_SELECTION,
 * pcrDigest as TPM2B_DIGEST).
 */
static size_t marshal_attest(const struct utpm_root *r, const struct utpm *u,
			     const struct utpm_pcr_sel *sel, const u8 *nonce,
			     size_t nonce_len, u8 *a)
{
	size_t off = 0, n;

	put_be32(a + off, TPM_GENERATED_VALUE);
	put_be16(a + off + 4, TPM_ST_ATTEST_QUOTE);
	off += 6;
	put_be16(a + off, UTPM_NAME_SIZE);
	memcpy(a + off + 2, r->id_name, UTPM_NAME_SIZE);
	off += 2 + UTPM_NAME_SIZE;
	put_be16(a + off, (u16)nonce_len);
	if (nonce_len)
		memcpy(a + off + 2, nonce, nonce_len);
	off += 2 + nonce_len;
	/* No persistent state yet: resetCount and restartCount stay 0; safe = YES. */
	put_be64(a + off, r->clock_ms);
	put_be32(a + off + 8, 0);
	put_be32(a + off + 12, 0);
	a[off + 16] = 1;
	off += 17;
	put_be64(a + off, UTPM_FIRMWARE_VERSION);
	off += 8;
	utpm_pcr_sel_marshal(sel, a + off, UTPM_PCR_SEL_WIRE_SIZE, &n);
	off += n;
	put_be16(a + off, SHA256_DIGEST_SIZE);
	utpm_pcr_composite(u, sel, a + off + 2);
	off += 2 + SHA256_DIGEST_SIZE;
	return off;
}

#define ATTEST_FIXED_SIZE (6 + 2 + UTPM_NAME_SIZE + 2 + 17 + 8 + \
			   UTPM_PCR_SEL_WIRE_SIZE + 2 + SHA256_DIGEST_SIZE)
_Static_assert(ATTEST_FIXED_SIZE + UTPM_MAX_NONCE <= UTPM_ATTEST_MAX, "attest size");

int utpm_quote(const struct utpm_root *r, const struct utpm *u,
	       const struct utpm_pcr_sel *sel, const u8 *nonce, size_t nonce_len,
	       u8 *attest, size_t attest_cap, size_t *attest_len,
	       u8 *sig, size_t sig_cap, size_t *sig_len)
{
	u8 a[UTPM_ATTEST_MAX], hash[SHA256_DIGEST_SIZE], rs[P256_SIG_SIZE];
	size_t alen;
	int ret;

	if (!r || !r->ready || !u || !u->ready || !sel || (!nonce && nonce_len) ||
	    !attest || !attest_len || !sig || !sig_len)
		return TV_EINVAL;
	if (sel->mask & ~UTPM_ALL_PCRS_MASK)
		return TV_ERANGE;
	/* The key is monitor-wide: only PCR 0 says which PAL a quote speaks for. */
	if (!(sel->mask & 1))
		return TV_EINVAL;
	if (nonce_len > UTPM_MAX_NONCE)
		return TV_ERANGE;
	if (attest_cap < ATTEST_FIXED_SIZE + nonce_len || sig_cap < UTPM_SIG_SIZE)
		return TV_ERANGE;

	alen = marshal_attest(r, u, sel, nonce, nonce_len, a);
	sha256(a, alen, hash);
	ret = ecdsa_p256_sign(r->id_priv, hash, rs);
	if (ret)
		return ret;

	/* TPMT_SIGNATURE: sigAlg, hash, then r and s as TPM2B_ECC_PARAMETER. */
	put_be16(sig, TPM_ALG_ECDSA);
	put_be16(sig + 2, TPM_ALG_SHA256);
	put_be16(sig + 4, 32);
	memcpy(sig + 6, rs, 32);
	put_be16(sig + 38, 32);
	memcpy(sig + 40, rs + 32, 32);
	*sig_len = UTPM_SIG_SIZE;
	memcpy(attest, a, alen);
	*attest_len = alen;
	return TV_OK;
}
