// SPDX-License-Identifier: GPL-2.0
/* The monitor-wide root: master secret, identity key, DRBG, clock. */
#include "utpm/internal.h"
#include "lib/ct.h"
#include "lib/hmac.h"

static const u8 drbg_pers[] = "TrustVisor uTPM DRBG v1";
static const u8 idkey_info[] = "TrustVisor uTPM identity key v1";

/* restricted | sign | userWithAuth | sensitiveDataOrigin | fixedParent | fixedTPM */
#define UTPM_ID_KEY_ATTRS 0x00050072u

/*
 * TPMT_PUBLIC of the identity key, the way a TPM describes an ECDSA P-256
 * attestation key, so that verifiers can load it as one and its name is
 * computed as a TPM would.
 */
static const u8 derive_salt[] = "TrustVisor uTPM derived key v1";

static void marshal_tpmt_public(const u8 pub[P256_PUBKEY_SIZE], u8 out[88])
{
	u8 *p = out;

	put_be16(p, TPM_ALG_ECC);
	put_be16(p + 2, TPM_ALG_SHA256);
	put_be32(p + 4, UTPM_ID_KEY_ATTRS);
	put_be16(p + 8, 0);			/* authPolicy: empty */
	put_be16(p + 10, TPM_ALG_NULL);		/* symmetric */
	put_be16(p + 12, TPM_ALG_ECDSA);	/* scheme */
	put_be16(p + 14, TPM_ALG_SHA256);
	put_be16(p + 16, TPM_ECC_NIST_P256);
	put_be16(p + 18, TPM_ALG_NULL);		/* kdf */
	put_be16(p + 20, 32);
	memcpy(p + 22, pub + 1, 32);
	put_be16(p + 54, 32);
	memcpy(p + 56, pub + 33, 32);
}

int utpm_root_init(struct utpm_root *r, const u8 *master, const void *entropy,
		   size_t entropy_len)
{
	u8 seed[32], tpub[88];
	int ret;

	if (!r || !entropy)
		return TV_EINVAL;
	if (entropy_len < UTPM_MIN_ENTROPY)
		return TV_EENTROPY;
	memset(r, 0, sizeof(*r));
	/* The last 16 bytes are the instantiation nonce of SP 800-90A 8.6.7. */
	ret = hmac_drbg_instantiate(&r->drbg, entropy, entropy_len - 16,
				    (const u8 *)entropy + entropy_len - 16, 16,
				    drbg_pers, sizeof(drbg_pers) - 1);
	if (ret)
		goto fail;
	if (master)
		memcpy(r->master, master, UTPM_MASTER_SIZE);
	else if ((ret = hmac_drbg_generate(&r->drbg, r->master, UTPM_MASTER_SIZE,
					   NULL, 0)))
		goto fail;

	ret = hkdf_sha256(NULL, 0, r->master, UTPM_MASTER_SIZE, idkey_info,
			  sizeof(idkey_info) - 1, seed, sizeof(seed));
	if (!ret)
		ret = p256_keygen(seed, r->id_priv, r->id_pub);
	secure_wipe(seed, sizeof(seed));
	if (ret)
		goto fail;

	marshal_tpmt_public(r->id_pub, tpub);
	put_be16(r->id_name, TPM_ALG_SHA256);
	sha256(tpub, sizeof(tpub), r->id_name + 2);
	r->ready = true;
	return TV_OK;
fail:
	secure_wipe(r, sizeof(*r));
	return ret;
}

int utpm_root_reseed(struct utpm_root *r, const void *entropy, size_t len)
{
	if (!r || !r->ready || !entropy)
		return TV_EINVAL;
	if (len < 32)
		return TV_EENTROPY;
	return hmac_drbg_reseed(&r->drbg, entropy, len, NULL, 0);
}

void utpm_root_wipe(struct utpm_root *r)
{
	if (r)
		secure_wipe(r, sizeof(*r));
}

int utpm_root_pubkey(const struct utpm_root *r, u8 pub[P256_PUBKEY_SIZE])
{
	if (!r || !r->ready || !pub)
		return TV_EINVAL;
	memcpy(pub, r->id_pub, P256_PUBKEY_SIZE);
	return TV_OK;
}

int utpm_root_public_area(const struct utpm_root *r, u8 *out, size_t cap, size_t *len)
{
	if (!r || !r->ready || !out || !len)
		return TV_EINVAL;
	if (cap < UTPM_PUBLIC_AREA_SIZE)
		return TV_ERANGE;
	put_be16(out, UTPM_PUBLIC_AREA_SIZE - 2);
	marshal_tpmt_public(r->id_pub, out + 2);
	*len = UTPM_PUBLIC_AREA_SIZE;
	return TV_OK;
}

int utpm_root_derive(const struct utpm_root *r, const char *label, u8 *out, size_t len)
{
	size_t n = 0;

	if (!r || !r->ready || !label || !out || !len || len > 64)
		return TV_EINVAL;
	while (label[n])
		n++;
	/* A salt of its own: no label can give the identity key's or a blob key's input. */
	return hkdf_sha256(derive_salt, sizeof(derive_salt) - 1, r->master, UTPM_MASTER_SIZE,
			   label, n, out, len);
}

void utpm_root_set_clock(struct utpm_root *r, u64 ms)
{
	if (r && ms > r->clock_ms)
		r->clock_ms = ms;
}

/* Fills out from the DRBG, reseeding from the CPU once if it asks for it. */
static int drbg_fill(struct utpm_root *r, void *out, size_t len,
		     const void *addl, size_t addl_len)
{
	u8 ent[UTPM_MIN_ENTROPY];
	int ret = hmac_drbg_generate(&r->drbg, out, len, addl, addl_len);

	if (ret != TV_ERESEED)
		return ret;
	ret = hw_entropy(ent, sizeof(ent));
	if (!ret)
		ret = hmac_drbg_reseed(&r->drbg, ent, sizeof(ent), NULL, 0);
	secure_wipe(ent, sizeof(ent));
	if (!ret)
		ret = hmac_drbg_generate(&r->drbg, out, len, addl, addl_len);
	return ret;
}

int utpm_root_random(struct utpm_root *r, void *out, size_t len)
{
	return drbg_fill(r, out, len, NULL, 0);
}

int utpm_get_random(struct utpm_root *r, const struct utpm *u, void *out, size_t len)
{
	u8 *o = out;
	int ret;

	if (!r || !r->ready || !u || !u->ready || (!out && len))
		return TV_EINVAL;
	while (len) {
		size_t n = len < DRBG_MAX_REQUEST ? len : DRBG_MAX_REQUEST;

		/* The PAL identity as additional input keeps PALs' streams apart. */
		ret = drbg_fill(r, o, n, u->identity, UTPM_MEAS_SIZE);
		if (ret)
			return ret;
		o += n;
		len -= n;
	}
	return TV_OK;
}
