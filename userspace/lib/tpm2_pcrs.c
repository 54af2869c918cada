// SPDX-License-Identifier: GPL-2.0
/*
 * The tpm2-tools "serialized" PCR file (tpm2_pcrs.h).  Plain C and libc,
 * no µTPM: tvctl writes it from the values the monitor returned, the µTPM
 * tool from its own.
 */
#include <string.h>
#include "userspace/lib/tpm2_pcrs.h"

#define TPM2_ALG_SHA256	0x000b
#define DIGESTS_PER_LIST 8
#define DIGEST_SLOT	(2 + 64)	/* TPM2B_DIGEST: u16 size, 64-byte buffer */

static void put_le16(uint8_t *p, unsigned int v)
{
	p[0] = v;
	p[1] = v >> 8;
}

static void put_le32(uint8_t *p, uint32_t v)
{
	put_le16(p, v & 0xffff);
	put_le16(p + 2, v >> 16);
}

size_t tv_tpm2_pcrs_serialize(uint32_t mask, const uint8_t pcrs[TV_TPM2_NR_PCRS][32],
			      uint8_t buf[TV_TPM2_PCRS_FILE_MAX])
{
	size_t off = TV_TPM2_SER_SEL_SIZE + 4;
	unsigned int i, n = 0, lists;

	mask &= (1u << TV_TPM2_NR_PCRS) - 1;
	memset(buf, 0, TV_TPM2_PCRS_FILE_MAX);
	/* One bank, sha256, the canonical three select bytes. */
	put_le32(buf, 1);
	put_le16(buf + 4, TPM2_ALG_SHA256);
	buf[6] = 3;
	buf[7] = mask;
	buf[8] = mask >> 8;
	buf[9] = mask >> 16;
	for (i = 0; i < TV_TPM2_NR_PCRS; i++)
		n += !!(mask & (1u << i));
	lists = (n + DIGESTS_PER_LIST - 1) / DIGESTS_PER_LIST;
	put_le32(buf + TV_TPM2_SER_SEL_SIZE, lists);
	n = 0;
	for (i = 0; i < TV_TPM2_NR_PCRS; i++) {
		uint8_t *list, *dig;

		if (!(mask & (1u << i)))
			continue;
		/* The values in index order, eight to a list, as tpm2_quote -o writes them. */
		list = buf + off + (n / DIGESTS_PER_LIST) * TV_TPM2_SER_LIST_SIZE;
		dig = list + 4 + (n % DIGESTS_PER_LIST) * DIGEST_SLOT;
		put_le32(list, n % DIGESTS_PER_LIST + 1);
		put_le16(dig, 32);
		memcpy(dig + 2, pcrs[i], 32);
		n++;
	}
	return off + lists * TV_TPM2_SER_LIST_SIZE;
}
