/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * libtrustvisor: load PAL images into the TrustVisor monitor and call them
 * (docs/pal-sdk.md).  Link with `pkg-config --libs libtrustvisor`.
 *
 * Every function returns 0 or a negative code: -errno for the usual causes
 * (-ENOENT: no /dev/trustvisor, or no such file; -ENOEXEC: a malformed
 * image; -E2BIG: input or output beyond TV_PAL_IO_MAX; -EINVAL: bad
 * arguments; -EBUSY: the PAL is in a call already; -ENOMEM; -EINTR ...), or
 * one of the TV_ERR_* codes below, which no errno value equals.
 * tv_strerror() describes both kinds.
 *
 * Each loaded PAL has its own open file of /dev/trustvisor, so handles are
 * independent: distinct handles may be used from distinct threads at once.
 * Concurrent calls on one handle are refused by the module with -EBUSY.
 * The file is close-on-exec and the PAL is unloaded when it is closed:
 * a child process does not inherit PALs.
 */
#ifndef LIBTRUSTVISOR_H
#define LIBTRUSTVISOR_H

#include <stddef.h>
#include <stdint.h>
#include <trustvisor/pal_abi.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The library's own codes, above every errno value. */
#define TV_ERR_BASE		0x10000
#define TV_ERR_PAL_FAULT	(-(TV_ERR_BASE + 1))	/* the PAL was terminated by a fault */
#define TV_ERR_PAL_KILLED	(-(TV_ERR_BASE + 2))	/* the PAL was killed */
#define TV_ERR_PAL_GONE		(-(TV_ERR_BASE + 3))	/* it faulted or was killed earlier */

/* Why an image is refused: enum tv_pal_img_err, TV_PAL_IMG_*, in <trustvisor/pal_abi.h>. */

/* tv_pal_fault_info.vector values that are not exception vectors. */
#define TV_FAULT_BAD_HYPERCALL	256	/* an unknown VMCALL, or bad arguments */
#define TV_FAULT_MEMORY		257	/* touched memory not its own */
#define TV_FAULT_INSTRUCTION	258	/* an instruction the monitor does not allow */

/* Why and where the PAL was terminated (after TV_ERR_PAL_FAULT). */
struct tv_pal_fault_info {
	uint32_t vector;	/* exception vector 0..31, or TV_FAULT_* */
	uint64_t error_code;	/* the exception's error code, if it has one */
	uint64_t rip;		/* the PAL's RIP, a PAL virtual address */
	uint64_t addr;		/* #PF: the address; TV_FAULT_MEMORY: the address touched */
};

struct tv_pal;

/*
 * Checks the image locally (the reason is then tv_pal_image_reason()'s),
 * then has the monitor check, isolate and measure it.  On success *pal is
 * a new handle.
 */
int tv_pal_load(const void *image, size_t len, struct tv_pal **pal);
int tv_pal_load_file(const char *path, struct tv_pal **pal);

/*
 * One call: the PAL runs pal_main(cmd, in, in_len, out, out_len).  On entry
 * *out_len is the capacity of out (both may be NULL/0 for no output); on
 * return 0 it is the bytes written and *pal_status pal_main's value.
 * TV_ERR_PAL_FAULT and TV_ERR_PAL_KILLED end the PAL: further calls return
 * TV_ERR_PAL_GONE, and only tv_pal_unload() remains to do.
 */
int tv_pal_call(struct tv_pal *pal, uint32_t cmd, const void *in, size_t in_len,
		void *out, size_t *out_len, int32_t *pal_status);

/* The fault that ended the PAL; -ENODATA if it did not fault. */
int tv_pal_fault(const struct tv_pal *pal, struct tv_pal_fault_info *f);

/* SHA-256 of the image, as the monitor measured it at load. */
int tv_pal_measurement(const struct tv_pal *pal, uint8_t digest[32]);

/* Unloads the PAL (wiped, memory given back to Linux) and frees the handle. */
void tv_pal_unload(struct tv_pal *pal);

/* TV_PAL_IMG_* for an image, computed locally, without the device. */
int tv_pal_image_reason(const void *image, size_t len);
const char *tv_pal_img_strerror(int reason);

/* Describes a return value of this library (negative errno or TV_ERR_*). */
const char *tv_strerror(int err);

/* "#PF", "#GP", ..., or a description of a TV_FAULT_* vector. */
const char *tv_fault_name(uint32_t vector);

/*
 * Attestation (docs/attestation.md).  The monitor holds one identity key,
 * ECDSA P-256, made inside it; its private half never leaves it.  Linux
 * carries every answer below, so until the launch evidence anchors the key
 * in the hardware TPM the identity is informational: a kernel that lies
 * about it can lie about all of it.
 */

/* tv_identity_info.launch: how the monitor was started. */
#define TV_ID_LAUNCH_KERNEL	1	/* loaded by the running kernel, no DRTM */
/* tv_identity_info.flags */
#define TV_ID_F_EPHEMERAL	(1U << 0)	/* the master secret is new at this load, not kept */
#define TV_ID_F_TPM		(1U << 1)	/* launch evidence is in the hardware TPM */
#define TV_ID_F_FIRST_LAUNCH	(1U << 2)	/* ... of the first launch in this boot */
#define TV_ID_F_KEPT		(1U << 3)	/* the master secret is kept by the hardware TPM */
/* tv_identity_info.secret: which master secret the µTPM has (0: not said) */
#define TV_ID_SECRET_KEPT	1	/* kept by the TPM since an earlier launch */
#define TV_ID_SECRET_CREATED	2	/* new at this launch, and now kept */
#define TV_ID_SECRET_MIGRATED	3	/* kept for this monitor by an earlier version */
#define TV_ID_SECRET_EPHEMERAL	4	/* new at this launch, dies with the monitor */

struct tv_identity_info {
	uint32_t launch;		/* TV_ID_LAUNCH_* */
	uint32_t flags;			/* TV_ID_F_* */
	uint8_t pubkey[65];		/* the identity key: P-256 point 0x04 || X || Y */
	uint8_t public_area[96];	/* the key as a marshalled TPM2B_PUBLIC ... */
	size_t public_area_len;		/* ... of this many bytes */
	uint8_t name[34];		/* its TPM name: 0x000b || SHA-256(TPMT_PUBLIC) */
	uint8_t measurement[32];	/* SHA-256 of the monitor image, as in STATUS */
	char launch_desc[64];		/* the launch for people, NUL-terminated */
	uint32_t evidence_pcr;		/* with TV_ID_F_TPM: the TPM PCR holding it */
	uint32_t secret;		/* TV_ID_SECRET_*, or 0 from a module that does not say */
};

/* Fills *id from the monitor (a file of /dev/trustvisor opened and closed). */
int tv_identity(struct tv_identity_info *id);

/*
 * The TPM NV counter the monitor drives in its own session (rollback
 * protection that survives reboots; docs/architecture.md).  Only with a
 * secret the TPM keeps; Linux carries the answer, as for tv_identity.
 */
#define TV_NV_STATE_NONE	0	/* none: the secret is ephemeral, or no TPM */
#define TV_NV_STATE_PENDING	1	/* not opened (yet) */
#define TV_NV_STATE_OPEN	2	/* opened: value is the counter's */
#define TV_NV_STATE_FAILED	3	/* opening it failed (error): no value to trust */
#define TV_NV_COUNTERS_MEMORY	0	/* the µTPM's counters: in memory only */
#define TV_NV_COUNTERS_UNKNOWN	1	/* to be restored from the file: ENODATA until then */
#define TV_NV_COUNTERS_KNOWN	2	/* restored or new: a PAL's commit makes them durable */
struct tv_nv_counter_info {
	uint32_t state;			/* TV_NV_STATE_* */
	int32_t error;			/* with FAILED: the monitor's reason (dmesg says more) */
	uint64_t value;			/* with OPEN */
	uint32_t counters;		/* TV_NV_COUNTERS_* */
};

/* Fills *nv; -EPROTO from a module that does not report one. */
int tv_nv_counter(struct tv_nv_counter_info *nv);

/*
 * The µTPM's counter table in a file (NULL: $TV_COUNTERS_FILE, else
 * /var/lib/trustvisor/counters), for counters that survive reboots.
 * libtrustvisor does this itself: tv_pal_load restores the table when the
 * monitor needs it and writes it when the file lacks it, and a PAL's
 * tv_counter_commit stores it before the TPM counts.  These are for
 * administrators (tvctl counters).  restore: -EKEYREJECTED sealed at
 * another NV value (older: a rollback), -EBADMSG not this monitor's,
 * -EPERM the counters are known already; FILE.prev is tried after FILE.
 */
int tv_counters_save(const char *path);
int tv_counters_restore(const char *path);

#define TV_QUOTE_ATTEST_MAX	192	/* bytes of a TPMS_ATTEST at most */
#define TV_QUOTE_SIG_MAX	72	/* a TPMT_SIGNATURE (ECDSA P-256, SHA-256) */

struct tv_pal_quote_info {
	uint8_t attest[TV_QUOTE_ATTEST_MAX];	/* TPMS_ATTEST, as TPM2_Quote returns it ... */
	size_t attest_len;			/* ... of this many bytes */
	uint8_t sig[TV_QUOTE_SIG_MAX];		/* its TPMT_SIGNATURE, by the key ... */
	size_t sig_len;				/* ... of this many bytes */
	uint32_t pcr_mask;			/* the PCRs quoted, as asked */
	uint8_t pcrs[TV_PAL_NR_PCRS][32];	/* PCR i at pcrs[i] if quoted, else zero */
};

/*
 * A quote of the PAL's µTPM: the PCRs in pcr_mask (bit i: PCR i, i <
 * TV_PAL_NR_PCRS; PCR 0, the PAL's measurement, must be among them) over
 * nonce_len (<= TV_PAL_NONCE_MAX) bytes of nonce, which tpm2_checkquote
 * checks as -q.  -EINVAL for anything else, before asking the monitor.  The
 * PAL must not be in a call (-EBUSY).  *q is written only on success.  The
 * caller chooses the nonce, so a PAL binds data to its identity only by
 * extending a PCR (1 and up) with it, never through the nonce.
 */
int tv_pal_quote(struct tv_pal *pal, const void *nonce, size_t nonce_len, uint32_t pcr_mask,
		 struct tv_pal_quote_info *q);

#ifdef __cplusplus
}
#endif

#endif
