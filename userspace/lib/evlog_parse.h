/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A strict reader of the launch evidence log (docs/attestation.md): the
 * TCG PC Client crypto-agile format exactly as kmod/evlog.c writes it, and
 * nothing looser.  The log reaches a verifier from a machine it does not
 * trust, and no library parses this format, so every length is checked
 * against the bytes that are there, every field the writer fixes must have
 * its value, and whatever does not parse is refused with the reason rather
 * than skipped.  Plain C and libc: the fuzzer (selftests/fuzz) and tvctl
 * verify share it.
 */
#ifndef TV_USERSPACE_EVLOG_PARSE_H
#define TV_USERSPACE_EVLOG_PARSE_H

#include <stddef.h>
#include <stdint.h>

#define TV_EVP_MAX_BANKS	8	/* as kmod/evlog.h's TV_EVLOG_MAX_BANKS */
#define TV_EVP_MAX_EVENTS	64	/* a launch writes four, its unload one; more is not ours */
#define TV_EVP_EVENT_MAX	1024	/* bytes of one event's data: ours are < 128 */
#define TV_EVP_LOG_MAX		(64U << 10)	/* TV_EVLOG_MAX */

struct tv_evp_bank {
	uint16_t alg;		/* TPM2_ALG_SHA1, _SHA256, _SHA384 or _SHA512 */
	uint16_t size;		/* its digest size, which the algorithm fixes */
};

struct tv_evp_event {
	uint32_t pcr;
	uint32_t type;
	const uint8_t *digest[TV_EVP_MAX_BANKS];	/* bank i's, into the log */
	const uint8_t *data;				/* the event data, into the log */
	uint32_t len;
};

struct tv_evp_log {
	uint32_t nr_banks;
	struct tv_evp_bank banks[TV_EVP_MAX_BANKS];
	uint32_t nr_events;
	struct tv_evp_event ev[TV_EVP_MAX_EVENTS];
};

/*
 * Parses len bytes of log.  0 and *out filled (pointing into log), or -1
 * and *why says what is wrong, for a person; *out is then undefined.
 */
int tv_evp_parse(const uint8_t *log, size_t len, struct tv_evp_log *out, const char **why);

/* The bank index of alg, or -1. */
int tv_evp_bank(const struct tv_evp_log *l, uint16_t alg);

/*
 * An EV_EVENT_TAG's data as a TCG_PCClientTaggedEvent: its ID and payload.
 * 0, or -1 when the sizes do not add up to the event's length exactly.
 */
int tv_evp_tagged(const struct tv_evp_event *e, uint32_t *id, const uint8_t **payload,
		  uint32_t *len);

#endif
