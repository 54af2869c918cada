// SPDX-License-Identifier: GPL-2.0
/* PAL instances, PCRs and TPML_PCR_SELECTION parsing. */
#include "utpm/internal.h"
#include "lib/ct.h"

int utpm_init(struct utpm *u, const u8 measurement[UTPM_MEAS_SIZE])
{
	struct sha256_ctx c;

	if (!u || !measurement)
		return TV_EINVAL;
	memset(u, 0, sizeof(*u));
	memcpy(u->identity, measurement, UTPM_MEAS_SIZE);
	/*
	 * An extend into the zeroed PCR rather than a plain copy: a real TPM
	 * that had the same measurement extended shows the same PCR 0, so a
	 * verifier needs no µTPM-specific rule to predict it.
	 */
	sha256_init(&c);
	sha256_update(&c, u->pcr[0], UTPM_PCR_SIZE);
	sha256_update(&c, measurement, UTPM_MEAS_SIZE);
	sha256_final(&c, u->pcr[0]);
	u->ready = true;
	return TV_OK;
}

void utpm_wipe(struct utpm *u)
{
	if (u)
		secure_wipe(u, sizeof(*u));
}

int utpm_pcr_read(const struct utpm *u, unsigned int idx, u8 out[UTPM_PCR_SIZE])
{
	if (!u || !u->ready || !out)
		return TV_EINVAL;
	if (idx >= UTPM_NUM_PCRS)
		return TV_ERANGE;
	memcpy(out, u->pcr[idx], UTPM_PCR_SIZE);
	return TV_OK;
}

int utpm_pcr_extend(struct utpm *u, unsigned int idx, const u8 digest[UTPM_PCR_SIZE])
{
	struct sha256_ctx c;

	if (!u || !u->ready || !digest)
		return TV_EINVAL;
	if (idx >= UTPM_NUM_PCRS)
		return TV_ERANGE;
	/* PCR 0 is the PAL's identity: letting the PAL move it would let it pose as another. */
	if (idx == 0)
		return TV_EPERM;
	sha256_init(&c);
	sha256_update(&c, u->pcr[idx], UTPM_PCR_SIZE);
	sha256_update(&c, digest, UTPM_PCR_SIZE);
	sha256_final(&c, u->pcr[idx]);
	return TV_OK;
}

int utpm_pcr_composite(const struct utpm *u, const struct utpm_pcr_sel *sel,
		       u8 out[SHA256_DIGEST_SIZE])
{
	struct sha256_ctx c;
	unsigned int i;

	if (!u || !u->ready || !sel || !out)
		return TV_EINVAL;
	if (sel->mask & ~UTPM_ALL_PCRS_MASK)
		return TV_ERANGE;
	sha256_init(&c);
	for (i = 0; i < UTPM_NUM_PCRS; i++)
		if (sel->mask & (1u << i))
			sha256_update(&c, u->pcr[i], UTPM_PCR_SIZE);
	sha256_final(&c, out);
	return TV_OK;
}

/*
 * TPML_PCR_SELECTION: count (u32), then count times { hash (u16),
 * sizeofSelect (u8), pcrSelect[sizeofSelect] }.  Only the sha256 bank exists
 * here, so any other hash is refused as a real TPM refuses a bank it lacks,
 * and it may appear at most once so that no selection has two readings.
 */
int utpm_pcr_sel_parse(const u8 *buf, size_t len, struct utpm_pcr_sel *sel,
		       size_t *used)
{
	bool seen_sha256 = false;
	size_t off = 4;
	u32 count, i, mask = 0;

	if (!buf || !sel)
		return TV_EINVAL;
	if (len < 4)
		return TV_EINVAL;
	count = get_be32(buf);
	if (count > TPM2_NUM_PCR_BANKS)
		return TV_ERANGE;
	for (i = 0; i < count; i++) {
		unsigned int size, j;

		if (len - off < 3)
			return TV_EINVAL;
		if (get_be16(buf + off) != TPM_ALG_SHA256)
			return TV_EINVAL;
		if (seen_sha256)
			return TV_EINVAL;
		seen_sha256 = true;
		size = buf[off + 2];
		off += 3;
		if (size < 1 || size > TPM2_PCR_SELECT_MAX)
			return TV_ERANGE;
		if (len - off < size)
			return TV_EINVAL;
		for (j = 0; j < size; j++)
			mask |= (u32)buf[off + j] << (8 * j);
		off += size;
	}
	if (mask & ~UTPM_ALL_PCRS_MASK)
		return TV_ERANGE;
	if (!used && off != len)
		return TV_EINVAL;
	sel->mask = mask;
	if (used)
		*used = off;
	return TV_OK;
}

int utpm_pcr_sel_marshal(const struct utpm_pcr_sel *sel, u8 *out, size_t cap,
			 size_t *len)
{
	if (!sel || !out || !len)
		return TV_EINVAL;
	if (sel->mask & ~UTPM_ALL_PCRS_MASK)
		return TV_ERANGE;
	if (cap < UTPM_PCR_SEL_WIRE_SIZE)
		return TV_ERANGE;
	put_be32(out, 1);
	put_be16(out + 4, TPM_ALG_SHA256);
	out[6] = 3;
	out[7] = sel->mask;
	out[8] = sel->mask >> 8;
	out[9] = sel->mask >> 16;
	*len = UTPM_PCR_SEL_WIRE_SIZE;
	return TV_OK;
}
