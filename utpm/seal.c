// SPDX-License-Identifier: GPL-2.0
/*
 * Sealed storage.  The blob header is bound twice: it is the HKDF info the
 * blob key is derived from and the AEAD's associated data.  A header edited
 * to name another PAL or policy therefore yields another key and fails
 * authentication, so the plain-text checks below cannot be talked into
 * releasing anything; they exist to give distinct errors for authentic blobs.
 */
#include "utpm/internal.h"
#include "lib/aead.h"
#include "lib/ct.h"
#include "lib/hmac.h"

#define OFF_MAGIC 0
#define OFF_VERSION 4
#define OFF_FLAGS 6
#define OFF_MASK 8
#define OFF_POLICY 12
#define OFF_SEALER 44
#define OFF_RECIPIENT 76
#define OFF_NONCE 108
#define OFF_LEN 120

_Static_assert(OFF_LEN + 4 == UTPM_SEAL_HDR_SIZE, "seal header layout");
_Static_assert(UTPM_SEAL_OVERHEAD == UTPM_SEAL_HDR_SIZE + AEAD_TAG_SIZE, "seal overhead");

static const u8 seal_salt[] = "TrustVisor uTPM seal v1";

static int blob_key(const struct utpm_root *r, const u8 hdr[UTPM_SEAL_HDR_SIZE],
		    u8 key[AEAD_KEY_SIZE])
{
	return hkdf_sha256(seal_salt, sizeof(seal_salt) - 1, r->master,
			   UTPM_MASTER_SIZE, hdr, UTPM_SEAL_HDR_SIZE, key,
			   AEAD_KEY_SIZE);
}

int utpm_seal(struct utpm_root *r, const struct utpm *u,
	      const struct utpm_seal_opts *opts, const void *data, size_t len,
	      u8 *blob, size_t blob_cap, size_t *blob_len)
{
	u8 hdr[UTPM_SEAL_HDR_SIZE], key[AEAD_KEY_SIZE];
	const u8 *recipient;
	u16 flags = 0;
	u32 mask = 0;
	int ret;

	if (!r || !r->ready || !u || !u->ready || (!data && len) || !blob || !blob_len)
		return TV_EINVAL;
	if (len > UTPM_SEAL_MAX_DATA || blob_cap < len + UTPM_SEAL_OVERHEAD)
		return TV_ERANGE;
	if (opts && opts->pcr_sel)
		mask = opts->pcr_sel->mask;
	if (mask & ~UTPM_ALL_PCRS_MASK)
		return TV_ERANGE;
	if (opts && opts->pcr_digest && !mask)
		return TV_EINVAL;
	recipient = opts && opts->release_to ? opts->release_to : u->identity;
	/*
	 * The policy is checked against the recipient's PCRs; the sealer's own
	 * values say nothing about another PAL's, so that case needs a digest.
	 */
	if (mask && !opts->pcr_digest && memcmp(recipient, u->identity, UTPM_MEAS_SIZE))
		return TV_EINVAL;

	memset(hdr, 0, sizeof(hdr));
	put_be32(hdr + OFF_MAGIC, UTPM_SEAL_MAGIC);
	put_be16(hdr + OFF_VERSION, UTPM_SEAL_VERSION);
	if (mask) {
		flags |= UTPM_SEAL_F_PCR;
		put_be32(hdr + OFF_MASK, mask);
		if (opts->pcr_digest)
			memcpy(hdr + OFF_POLICY, opts->pcr_digest, SHA256_DIGEST_SIZE);
		else if ((ret = utpm_pcr_composite(u, opts->pcr_sel, hdr + OFF_POLICY)))
			return ret;
	}
	/* Releasing to oneself is the default, encoded one way only. */
	if (memcmp(recipient, u->identity, UTPM_MEAS_SIZE))
		flags |= UTPM_SEAL_F_RELEASE;
	put_be16(hdr + OFF_FLAGS, flags);
	memcpy(hdr + OFF_SEALER, u->identity, UTPM_MEAS_SIZE);
	memcpy(hdr + OFF_RECIPIENT, recipient, UTPM_MEAS_SIZE);
	put_be32(hdr + OFF_LEN, (u32)len);
	/* Random nonces: the key already differs per header, this keeps equal headers apart. */
	ret = utpm_root_random(r, hdr + OFF_NONCE, AEAD_NONCE_SIZE);
	if (ret)
		return ret;

	ret = blob_key(r, hdr, key);
	if (!ret)
		ret = aead_seal(key, hdr + OFF_NONCE, hdr, sizeof(hdr), data, len,
				blob + UTPM_SEAL_HDR_SIZE,
				blob + UTPM_SEAL_HDR_SIZE + len);
	secure_wipe(key, sizeof(key));
	if (ret) {
		/* Cannot happen with the arguments checked above; leave no half blob. */
		secure_wipe(blob, len + UTPM_SEAL_OVERHEAD);
		return ret;
	}
	memcpy(blob, hdr, sizeof(hdr));
	*blob_len = len + UTPM_SEAL_OVERHEAD;
	return TV_OK;
}

static bool all_zero(const u8 *p, size_t n)
{
	u8 acc = 0;

	while (n--)
		acc |= *p++;
	return !acc;
}

/* Structural checks of a blob's header: anything here is a malformed blob. */
static int check_header(const u8 *blob, size_t blob_len, u32 *data_len)
{
	u16 flags;
	u32 mask, n;
	bool same;

	if (blob_len > UTPM_SEAL_BLOB_MAX)
		return TV_ERANGE;
	if (blob_len < UTPM_SEAL_OVERHEAD)
		return TV_EINVAL;
	if (get_be32(blob + OFF_MAGIC) != UTPM_SEAL_MAGIC)
		return TV_EINVAL;
	if (get_be16(blob + OFF_VERSION) != UTPM_SEAL_VERSION)
		return TV_EVERSION;
	flags = get_be16(blob + OFF_FLAGS);
	if (flags & ~(UTPM_SEAL_F_PCR | UTPM_SEAL_F_RELEASE))
		return TV_EINVAL;
	mask = get_be32(blob + OFF_MASK);
	if (flags & UTPM_SEAL_F_PCR) {
		if (!mask || (mask & ~UTPM_ALL_PCRS_MASK))
			return TV_EINVAL;
	} else if (mask || !all_zero(blob + OFF_POLICY, SHA256_DIGEST_SIZE)) {
		return TV_EINVAL;
	}
	same = !memcmp(blob + OFF_SEALER, blob + OFF_RECIPIENT, UTPM_MEAS_SIZE);
	if (same != !(flags & UTPM_SEAL_F_RELEASE))
		return TV_EINVAL;
	n = get_be32(blob + OFF_LEN);
	if (n > UTPM_SEAL_MAX_DATA)
		return TV_ERANGE;
	if (blob_len != n + UTPM_SEAL_OVERHEAD)
		return TV_EINVAL;
	*data_len = n;
	return TV_OK;
}

int utpm_unseal(const struct utpm_root *r, const struct utpm *u, const u8 *blob,
		size_t blob_len, void *out, size_t out_cap, size_t *out_len,
		u8 *sealer)
{
	u8 key[AEAD_KEY_SIZE], digest[SHA256_DIGEST_SIZE], hdr[UTPM_SEAL_HDR_SIZE];
	u32 n = 0;
	int ret;

	if (!r || !r->ready || !u || !u->ready || !blob || (!out && out_cap) || !out_len)
		return TV_EINVAL;
	ret = check_header(blob, blob_len, &n);
	if (ret)
		return ret;
	if (!ct_memeq(blob + OFF_RECIPIENT, u->identity, UTPM_MEAS_SIZE))
		return TV_EIDENTITY;
	if (get_be16(blob + OFF_FLAGS) & UTPM_SEAL_F_PCR) {
		struct utpm_pcr_sel sel = { .mask = get_be32(blob + OFF_MASK) };

		ret = utpm_pcr_composite(u, &sel, digest);
		if (ret)
			return ret;
		if (!ct_memeq(digest, blob + OFF_POLICY, sizeof(digest)))
			return TV_EPOLICY;
	}
	if (out_cap < n)
		return TV_ERANGE;
	/*
	 * Derive the key from what the caller is, not from what the blob says:
	 * equal after the checks above, but should those checks ever be wrong
	 * another PAL or other PCRs still get another key.
	 */
	memcpy(hdr, blob, sizeof(hdr));
	memcpy(hdr + OFF_RECIPIENT, u->identity, UTPM_MEAS_SIZE);
	if (get_be16(blob + OFF_FLAGS) & UTPM_SEAL_F_PCR)
		memcpy(hdr + OFF_POLICY, digest, sizeof(digest));
	/* aead_open writes nothing to out unless the tag is good. */
	ret = blob_key(r, hdr, key);
	if (!ret)
		ret = aead_open(key, hdr + OFF_NONCE, hdr, sizeof(hdr),
				blob + UTPM_SEAL_HDR_SIZE, n,
				blob + UTPM_SEAL_HDR_SIZE + n, out);
	secure_wipe(key, sizeof(key));
	if (ret)
		return ret;
	*out_len = n;
	if (sealer)
		memcpy(sealer, hdr + OFF_SEALER, UTPM_MEAS_SIZE);
	return TV_OK;
}
