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
#define TV_EV_SECRET		0x54560005	/* payload: struct tv_ev_secret */

/*
 * The events of one launch, in this order: MONITOR (before any CPU runs it),
 * SECRET (right after the kept master secret was read, or was not: it caps
 * the evidence PCR, so nothing later in this boot can read it again),
 * IDENTITY and LAUNCH (once every CPU is inside); LEFT at unload.
 */

/* The payloads (packed, little-endian). */
/*
 * The measurement alone, so that the evidence PCR's value after this event
 * is a function of the measurement: the kept secret's policy for another
 * monitor version (upgrade_to) is computed from what tvctl measure prints.
 */
struct tv_ev_monitor {
	__u8 measurement[32];	/* SHA-256 of the monitor image, as STATUS */
} __attribute__((packed));

/* Which master secret the µTPM has at this launch (docs/attestation.md). */
struct tv_ev_secret {
	__u32 kind;		/* TV_SECRET_* */
	__u32 reason;		/* TV_SECRET_WHY_*: why not kept (kind EPHEMERAL), else 0 */
} __attribute__((packed));

#define TV_SECRET_KEPT		1	/* read from the TPM, as kept at an earlier launch */
#define TV_SECRET_CREATED	2	/* new at this launch, and now kept in the TPM */
#define TV_SECRET_MIGRATED	3	/* kept for this monitor by an earlier version (upgrade) */
#define TV_SECRET_EPHEMERAL	4	/* new at this launch, dies with the monitor */

#define TV_SECRET_WHY_LATER	1	/* not the first launch in this boot */
#define TV_SECRET_WHY_POLICY	2	/* the kept secret is for another monitor or boot chain */
#define TV_SECRET_WHY_ASKED	3	/* the module option secret=ephemeral */
#define TV_SECRET_WHY_TPM	4	/* the TPM refused or failed a command (dmesg says) */
#define TV_SECRET_WHY_NOT_OURS	5	/* the NV index there is not one TrustVisor wrote */

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
