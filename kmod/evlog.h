/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The evidence log in the TCG PC Client crypto-agile format: a Spec ID
 * event naming the banks, then TCG_PCR_EVENT2 records.  Plain C with no
 * kernel calls, so the unit tests build the same file and hand its output
 * to tpm2_eventlog.
 */
#ifndef TV_KMOD_EVLOG_H
#define TV_KMOD_EVLOG_H

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include <stddef.h>
#include <stdint.h>
typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
#endif

#define TV_EVLOG_MAX_BANKS	8
#define TV_EVLOG_MAX_DIGEST	64	/* SHA-512 */

struct tv_evlog_bank {
	u16 alg_id;		/* TPM_ALG_* */
	u16 size;		/* digest bytes */
};

struct tv_evlog {
	u8 *buf;
	size_t len, cap;
	u32 nr_banks;
	struct tv_evlog_bank banks[TV_EVLOG_MAX_BANKS];
};

/* The header event; -EINVAL for bad banks, -ENOSPC if cap is too small. */
int tv_evlog_init(struct tv_evlog *l, u8 *buf, size_t cap, const struct tv_evlog_bank *banks,
		  u32 nr_banks);
/*
 * One event: `digests` holds each bank's digest, in the banks' order, each
 * banks[i].size bytes.  Nothing is appended unless all of it fits.
 */
int tv_evlog_append(struct tv_evlog *l, u32 pcr, u32 type, const u8 *digests, const void *data,
		    u32 len);
/* The TCG_PCClientTaggedEvent of an event: id, size, then the payload. */
size_t tv_evlog_tagged(u8 *out, size_t cap, u32 id, const void *payload, u32 len);

#endif
