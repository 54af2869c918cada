/* SPDX-License-Identifier: GPL-2.0 */
/* Helpers shared by the utpm/ sources; not part of the µTPM interface. */
#ifndef TV_UTPM_INTERNAL_H
#define TV_UTPM_INTERNAL_H

#include "utpm/utpm.h"

/* TPM structures are big-endian on the wire. */
static inline void put_be16(u8 *p, u16 v)
{
	p[0] = v >> 8;
	p[1] = v;
}

static inline void put_be32(u8 *p, u32 v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

static inline void put_be64(u8 *p, u64 v)
{
	put_be32(p, v >> 32);
	put_be32(p + 4, (u32)v);
}

static inline u32 get_be32(const u8 *p);

static inline u64 get_be64(const u8 *p)
{
	return (u64)get_be32(p) << 32 | get_be32(p + 4);
}

static inline u16 get_be16(const u8 *p)
{
	return (u16)(p[0] << 8 | p[1]);
}

static inline u32 get_be32(const u8 *p)
{
	return (u32)p[0] << 24 | (u32)p[1] << 16 | (u32)p[2] << 8 | p[3];
}

#define UTPM_ALL_PCRS_MASK ((u32)((1ull << UTPM_NUM_PCRS) - 1))

#endif
