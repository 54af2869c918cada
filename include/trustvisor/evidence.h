/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * The launch evidence (docs/attestation.md): the events the module extends
 * into the hardware TPM's evidence PCR and logs in the TCG PC Client
 * crypto-agile format, for the module, tvctl and verifiers.
 *
 * Each event is an EV_EVENT_TAG whose data is a TCG_PCClientTaggedEvent:
 * taggedEventID (one of TV_EV_*), taggedEventDataSize, then the payload
 * below, all integers little-endian as in the rest of the log.  Each bank's
 * digest is that bank's hash of the whole event data (ID, size, payload).
 */
#ifndef TV_EVIDENCE_H
#define TV_EVIDENCE_H

#include <linux/types.h>

#define TV_EVIDENCE_PCR_DEFAULT	13	/* docs/attestation.md: why this one */
#define TV_EVIDENCE_PCR_MIN	8
#define TV_EVIDENCE_PCR_MAX	15

#define TV_EV_EVENT_TAG		0x00000006	/* TCG: EV_EVENT_TAG */
#define TV_EV_NO_ACTION		0x00000003

/* taggedEventID values ("TV" and a number). */
#define TV_EV_MONITOR		0x54560001	/* payload: struct tv_ev_monitor */
#define TV_EV_IDENTITY		0x54560002	/* payload: the identity key's TPM2B_PUBLIC */
#define TV_EV_LAUNCH		0x54560003	/* payload: struct tv_ev_launch */
#define TV_EV_LEFT		0x54560004	/* payload: none: the monitor has left */

/* The payloads (packed, little-endian). */
struct tv_ev_monitor {
	__u8 measurement[32];	/* SHA-256 of the monitor image, as STATUS */
	__u32 version;		/* major << 16 | minor << 8 | patch */
	__u32 reserved;		/* zero */
	__u64 image_size;	/* bytes measured */
} __attribute__((packed));

struct tv_ev_launch {
	__u32 first_launch;	/* 1: the evidence PCR was at its reset value (zero) before */
	__u32 nr_cpus;		/* CPUs put under the monitor */
	__u32 flags;		/* TV_EV_LAUNCH_F_* */
	/*
	 * The TPM's clockInfo counts at the launch (TPM2_ReadClock): a TPM
	 * quote with the same counts was made in the same boot and with no
	 * suspend since, so its PCRs are this launch's.
	 */
	__u32 reset_count;
	__u32 restart_count;
} __attribute__((packed));

#define TV_EV_LAUNCH_F_SELFTEST	(1U << 0)	/* a test build of the module */
#define TV_EV_LAUNCH_F_DRTM	(1U << 1)	/* launched by a measured launch (never yet) */

#define TV_EVLOG_MAX		(64U << 10)	/* bytes the log holds at most */

#endif
