// SPDX-License-Identifier: GPL-2.0
/*
 * The evidence log's bytes (kmod/evlog.h).  The layouts are those of the
 * TCG PC Client Platform Firmware Profile: TCG_PCClientPCREvent holding a
 * TCG_EfiSpecIDEvent first, then TCG_PCR_EVENT2 for every event, all
 * little-endian.
 */
#ifdef __KERNEL__
#include <linux/errno.h>
#include <linux/string.h>
#else
#include <errno.h>
#include <string.h>
#endif
#include "evlog.h"

static void put_le16(u8 *p, u16 v)
{
	p[0] = (u8)v;
	p[1] = (u8)(v >> 8);
}

static void put_le32(u8 *p, u32 v)
{
	put_le16(p, (u16)v);
	put_le16(p + 2, (u16)(v >> 16));
}

int tv_evlog_init(struct tv_evlog *l, u8 *buf, size_t cap, const struct tv_evlog_bank *banks,
		  u32 nr_banks)
{
	static const u8 sig[16] = "Spec ID Event03";
	/* pcrIndex, eventType, SHA-1 digest, eventSize; then the Spec ID event. */
	size_t spec = 16 + 4 + 4 + 4 + 4 * nr_banks + 1, n = 4 + 4 + 20 + 4 + spec;
	u8 *p = buf;

	if (!nr_banks || nr_banks > TV_EVLOG_MAX_BANKS)
		return -EINVAL;
	for (u32 i = 0; i < nr_banks; i++)
		if (!banks[i].size || banks[i].size > TV_EVLOG_MAX_DIGEST)
			return -EINVAL;
	if (cap < n)
		return -ENOSPC;
	memset(buf, 0, n);
	put_le32(p + 4, 0x3);			/* EV_NO_ACTION, PCR 0, digest zero */
	put_le32(p + 28, (u32)spec);
	p += 32;
	memcpy(p, sig, 16);
	/* platformClass 0 (client), spec version 2.0, errata 0, uintnSize 2 (UINT64) */
	p[21] = 2;
	p[23] = 2;
	put_le32(p + 24, nr_banks);
	for (u32 i = 0; i < nr_banks; i++) {
		put_le16(p + 28 + 4 * i, banks[i].alg_id);
		put_le16(p + 30 + 4 * i, banks[i].size);
	}
	/* vendorInfoSize 0: already zero */
	l->buf = buf;
	l->cap = cap;
	l->len = n;
	l->nr_banks = nr_banks;
	memcpy(l->banks, banks, nr_banks * sizeof(*banks));
	return 0;
}

int tv_evlog_append(struct tv_evlog *l, u32 pcr, u32 type, const u8 *digests, const void *data,
		    u32 len)
{
	size_t dsum = 0, n;
	u8 *p;

	for (u32 i = 0; i < l->nr_banks; i++)
		dsum += 2 + l->banks[i].size;
	n = 4 + 4 + 4 + dsum + 4 + len;
	if (len > l->cap || n > l->cap - l->len)
		return -ENOSPC;
	p = l->buf + l->len;
	put_le32(p, pcr);
	put_le32(p + 4, type);
	put_le32(p + 8, l->nr_banks);
	p += 12;
	for (u32 i = 0; i < l->nr_banks; i++) {
		put_le16(p, l->banks[i].alg_id);
		memcpy(p + 2, digests, l->banks[i].size);
		digests += l->banks[i].size;
		p += 2 + l->banks[i].size;
	}
	put_le32(p, len);
	memcpy(p + 4, data, len);
	l->len += n;
	return 0;
}

size_t tv_evlog_tagged(u8 *out, size_t cap, u32 id, const void *payload, u32 len)
{
	if (cap < 8 || len > cap - 8)
		return 0;
	put_le32(out, id);
	put_le32(out + 4, len);
	memcpy(out + 8, payload, len);
	return 8 + len;
}
