/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * The /dev/trustvisor ioctl ABI, shared by the module and userspace.
 *
 * Structures are extensible: userspace sets `size` to the size it knows; the
 * module fills min(size, its own size) and writes its own size back, so old
 * binaries keep working when fields are appended.
 */
#ifndef _UAPI_TRUSTVISOR_H
#define _UAPI_TRUSTVISOR_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define TV_ABI_VERSION		1
#define TV_DEVICE		"/dev/trustvisor"
#define TV_EXIT_REASON_MAX	80	/* counters per basic VM-exit reason */
#define TV_MAX_CPUS		1024

/* TV_IOC_STATUS: the monitor as a whole. */
struct tv_status {
	__u32 size;		/* in: sizeof as known by caller; out: filled */
	__u32 abi_version;	/* TV_ABI_VERSION */
	__u32 monitor_version;	/* major << 16 | minor << 8 | patch */
	__u32 nr_cpus_online;	/* Linux CPUs online */
	__u32 nr_cpus_virtualized;
	__u32 flags;		/* TV_STATUS_F_* */
	__u8 measurement[32];	/* SHA-256 of the monitor image */
	__u64 image_size;	/* bytes measured */
	__u64 monitor_memory;	/* bytes reserved for the monitor */
	__u64 exits[TV_EXIT_REASON_MAX];	/* summed over CPUs */
	/* Appended in ABI 1 with the PALs (a caller that knows less gets less). */
	__u32 nr_pals;		/* PALs loaded, all callers */
	__u32 max_pals;		/* the monitor's limit */
	__u64 denied_accesses;	/* Linux accesses to monitor or PAL memory refused */
};

/* tv_status.flags */
#define TV_STATUS_F_SELFTEST	(1U << 0)	/* a test build: selftest ioctls exist */

/* TV_IOC_CPU_STATUS: one CPU, selected by `cpu`. */
struct tv_cpu_status {
	__u32 size;
	__u32 cpu;		/* in */
	__u32 online;		/* out: Linux has the CPU online */
	__u32 virtualized;	/* out: the CPU runs as a guest of the monitor */
	__u64 exits[TV_EXIT_REASON_MAX];
};

/*
 * TV_IOC_PROBE_MONITOR: only in a test build (make test-module), for root.
 * The module, in kernel mode, tries to read and to write the monitor's
 * memory; the monitor must refuse both.
 */
struct tv_probe_result {
	__u32 size;
	__u32 read_faulted;	/* 1: the read faulted */
	__u32 read_matched;	/* 1: the read returned the image bytes */
	__u32 write_faulted;	/* 1: the write faulted */
	__u64 canary_before;	/* monitor canary, read via hypercall */
	__u64 canary_after;
};

/*
 * TV_IOC_TEST_NMI: only in a test build, for root.  Sends `per_cpu` NMIs, one at
 * a time, to every online CPU and counts how many reached Linux's NMI
 * handler: the monitor must hand every one back.
 */
struct tv_nmi_test {
	__u32 size;
	__u32 per_cpu;		/* in: NMIs per CPU (1..1000) */
	__u32 sent;		/* out */
	__u32 received;		/* out */
};

/*
 * PALs (docs/pal-abi.md).  Input structures are read with
 * copy_struct_from_user: a caller may pass a larger structure whose tail is
 * zero; a non-zero byte the module does not know gets E2BIG.
 *
 * TV_IOC_PAL_LOAD: copies the image in, has the monitor check, isolate and
 * measure it.  The PAL belongs to this open file: closing it unloads it.
 */
struct tv_pal_load {
	__u32 size;		/* in: sizeof as known by caller */
	__u32 flags;		/* in: 0 */
	__u64 image;		/* in: pointer to the image */
	__u64 image_len;	/* in */
	__u32 handle;		/* out: for PAL_CALL and PAL_UNLOAD */
	__u32 reason;		/* out, on ENOEXEC: TV_PAL_IMG_* (why the image is refused) */
	__u8 measurement[32];	/* out: SHA-256 of the image, as the monitor measured it */
};

/* TV_IOC_PAL_CALL: one call; the PAL's output is copied out only if it returned. */
struct tv_pal_call {
	__u32 size;		/* in */
	__u32 handle;		/* in */
	__u32 cmd;		/* in: handed to pal_main */
	__u32 flags;		/* in: 0, or TV_PAL_CALL_F_STORED (see TV_PAL_RESULT_COMMIT) */
	__u64 in;		/* in: pointer to the input */
	__u64 in_len;		/* in: <= TV_PAL_IO_MAX (more: E2BIG) */
	__u64 out;		/* in: pointer to the output buffer */
	__u64 out_len;		/* in: its capacity, <= TV_PAL_IO_MAX; out: bytes written */
	__s32 status;		/* out: pal_main's return value */
	__u32 result;		/* out: TV_PAL_RESULT_* */
	__u32 fault_vector;	/* out, TV_PAL_RESULT_FAULT: exception vector or TV_PAL_FAULT_* */
	__u32 fault_pad;
	__u64 fault_error;	/* out: the exception's error code */
	__u64 fault_rip;	/* out: the PAL's RIP (a PAL virtual address) */
	__u64 fault_addr;	/* out: #PF: the address; EPT: the PAL address touched */
};

#define TV_PAL_RESULT_RETURNED	0	/* the PAL returned: status and output are valid */
#define TV_PAL_RESULT_FAULT	1	/* terminated by a fault: the PAL is gone */
#define TV_PAL_RESULT_KILLED	2	/* killed (fatal signal, INIT, leave): the PAL is gone */
/*
 * Not the end: the PAL waits in tv_counter_commit().  Store the table
 * TV_IOC_COUNTERS (op STAGED) gives, durably, then call again (same
 * thread, same handle) with TV_PAL_CALL_F_STORED and the call goes on once
 * the TPM has counted the commit; without the flag the PAL is told it failed.
 */
#define TV_PAL_RESULT_COMMIT	3
#define TV_PAL_CALL_F_STORED	(1U << 0)

/* fault_vector values that are not exception vectors. */
#define TV_PAL_FAULT_BAD_HYPERCALL	256	/* unknown VMCALL, or bad arguments */
#define TV_PAL_FAULT_MEMORY		257	/* touched memory not its own (EPT) */
#define TV_PAL_FAULT_INSTRUCTION	258	/* an instruction the monitor does not allow */

/* TV_IOC_PAL_UNLOAD: wipe the PAL and give its memory back to Linux. */
struct tv_pal_unload {
	__u32 size;		/* in */
	__u32 handle;		/* in */
};

/*
 * TV_IOC_IDENTITY: who the monitor is (docs/attestation.md).  Output only,
 * sized like STATUS.  The identity key is generated inside the monitor and
 * its private half never leaves it; but Linux carries this answer, so until
 * the launch evidence anchors the key in the hardware TPM it is
 * informational: a kernel that lies about it can lie about all of it.
 */
struct tv_identity {
	__u32 size;		/* in: sizeof as known by caller; out: filled */
	__u32 launch;		/* out: TV_LAUNCH_* */
	__u32 flags;		/* out: TV_IDENTITY_F_* */
	__u32 public_area_len;	/* out: bytes of public_area */
	__u8 pubkey[65];	/* out: P-256 point, uncompressed (0x04 || X || Y) */
	__u8 pad[3];
	__u8 public_area[96];	/* out: the key as a marshalled TPM2B_PUBLIC */
	__u8 name[34];		/* out: its TPM name (sha256 nameAlg || digest) */
	__u8 pad2[6];
	__u8 measurement[32];	/* out: SHA-256 of the monitor image, as STATUS */
	char launch_desc[64];	/* out: NUL-terminated, for people */
	/* Appended with the launch evidence. */
	__u32 evidence_pcr;	/* out, TV_IDENTITY_F_TPM: the TPM PCR holding it */
	__u32 secret;		/* out: TV_IDENTITY_SECRET_*: the master secret's kind */
	/* Appended with the NV counter (docs/architecture.md, "The hardware TPM"). */
	__u32 nv_counter_state;	/* out: TV_IDENTITY_NV_* */
	__s32 nv_counter_error;	/* out, TV_IDENTITY_NV_FAILED: why (dmesg says more) */
	__u64 nv_counter;	/* out, TV_IDENTITY_NV_OPEN: its value, as the monitor read it */
	__u32 counters;		/* out: TV_IDENTITY_COUNTERS_*: the µTPM's counters */
	__u32 pad3;
};
#define TV_LAUNCH_KERNEL	1	/* loaded by the running kernel, no DRTM */
#define TV_IDENTITY_F_EPHEMERAL	(1U << 0)	/* master secret new at this load, not kept */
#define TV_IDENTITY_F_TPM	(1U << 1)	/* launch evidence is in the hardware TPM */
#define TV_IDENTITY_F_FIRST_LAUNCH (1U << 2)	/* ... of the first launch in this boot */
#define TV_IDENTITY_F_KEPT	(1U << 3)	/* master secret kept by the hardware TPM */
/* tv_identity.secret: as the launch evidence's SECRET event (trustvisor/evidence.h). */
#define TV_IDENTITY_SECRET_KEPT		1	/* read from the TPM, kept at an earlier launch */
#define TV_IDENTITY_SECRET_CREATED	2	/* new at this launch, and now kept */
#define TV_IDENTITY_SECRET_MIGRATED	3	/* kept for this monitor by an earlier version */
#define TV_IDENTITY_SECRET_EPHEMERAL	4	/* new at this launch, dies with the monitor */
/* tv_identity.nv_counter_state: the TPM NV counter the monitor drives itself. */
#define TV_IDENTITY_NV_NONE	0	/* none: the secret is ephemeral, or no TPM */
#define TV_IDENTITY_NV_PENDING	1	/* not opened (yet) */
#define TV_IDENTITY_NV_OPEN	2	/* opened: nv_counter is its value */
#define TV_IDENTITY_NV_FAILED	3	/* opening it failed: no value can be trusted */
/* tv_identity.counters */
#define TV_IDENTITY_COUNTERS_MEMORY	0	/* in memory only: they die with the monitor */
#define TV_IDENTITY_COUNTERS_UNKNOWN	1	/* to be restored (TV_IOC_COUNTERS): reads fail until then */
#define TV_IDENTITY_COUNTERS_KNOWN	2	/* restored or new: a PAL's commit makes them durable */

/*
 * TV_IOC_COUNTERS: the µTPM's counter table, which Linux stores for the
 * monitor (docs/architecture.md, "Persisted counters").  EXPORT: sealed at
 * the NV counter's value now; STAGED: sealed at the next, by a PAL's
 * commit (store it, then TV_PAL_CALL_F_STORED); RESTORE: a stored table
 * (EKEYREJECTED: sealed at another value, a rollback or a commit that
 * never completed; EBADMSG: not this monitor's; EPERM: counters known).
 */
#define TV_COUNTERS_EXPORT	1
#define TV_COUNTERS_STAGED	2
#define TV_COUNTERS_RESTORE	3
#define TV_COUNTERS_MAX		4064	/* bytes of a table at most */
struct tv_counters {
	__u32 size;		/* in: sizeof as known by caller; out: filled */
	__u32 op;		/* in: TV_COUNTERS_* */
	__u32 len;		/* in (RESTORE) and out: bytes of table */
	__u32 pad;
	__u64 value;		/* out: the NV counter value the table is sealed at */
	__u8 table[TV_COUNTERS_MAX];
};
/*
 * TV_IOC_PAL_QUOTE: a quote of a loaded PAL's µTPM PCRs over the caller's
 * nonce, signed by the identity key: a TPMS_ATTEST and its TPMT_SIGNATURE,
 * as TPM2_Quote returns them, and the values of the quoted PCRs.  The PAL
 * must be idle (between calls: else EBUSY).  Read with copy_struct_from_user.
 */
struct tv_pal_quote {
	__u32 size;		/* in */
	__u32 handle;		/* in: a PAL of this open file */
	__u32 pcr_mask;		/* in: bit i quotes PCR i; must include PCR 0 */
	__u32 nonce_len;	/* in: <= TV_PAL_NONCE_MAX (64) */
	__u8 nonce[64];		/* in: the qualifying data */
	__u32 attest_len;	/* out */
	__u32 sig_len;		/* out */
	__u8 attest[192];	/* out: TPMS_ATTEST */
	__u8 sig[72];		/* out: TPMT_SIGNATURE (ECDSA P-256, SHA-256) */
	__u8 pcrs[24][32];	/* out: PCR i's value at pcrs[i] if quoted, else zero */
};
/*
 * TV_IOC_TEST_PAL_PROBE: only in a test build, for root.  The module, in
 * kernel mode, reads every page of the PAL's block through Linux's direct
 * map looking for its secret, then writes to each; with
 * TV_PAL_PROBE_ALL_RAM it then reads every page of System RAM the same way
 * and writes to each page it could not read.  The monitor must refuse all
 * of it.  The secret's bytes are given by a formula, byte i being
 * ((i * mul + add) ^ xor) & 0xff for i < 32, so that no copy of them exists
 * in RAM outside the PAL.  It is looked for at 8-byte aligned offsets.
 */
struct tv_pal_probe {
	__u32 size;
	__u32 handle;		/* in: a PAL of this open file */
	__u32 mul, add, xor;	/* in: the secret's formula */
	__u32 flags;		/* in: TV_PAL_PROBE_* */
	__u32 pages;		/* out: block pages tried */
	__u32 read_faults;	/* out: reads that faulted */
	__u32 pattern_hits;	/* out: pages that could be read and held the secret */
	__u32 write_faults;	/* out: writes that faulted */
	__u64 ram_pages;	/* out, ALL_RAM: System RAM pages tried */
	__u64 ram_read_faults;	/* out: reads that faulted */
	__u64 ram_hits;		/* out: readable pages that held the secret */
	__u64 ram_writes_landed;	/* out: writes to unreadable pages that did not fault */
};

#define TV_PAL_PROBE_ALL_RAM	1U

/*
 * TV_IOC_TEST_PAL_REGS: only in a test build, for root.  One call of the
 * PAL from the module with RCX, RDX, RSI, RDI, R8-R15 set to a pattern
 * around each VMCALL; `changed` has a bit for each register (in that
 * order, then RBX) that came back different.
 */
struct tv_pal_regs {
	__u32 size;
	__u32 handle;		/* in */
	__u32 changed;		/* out */
	__u32 turns;		/* out: VMCALLs it took (preemptions + 1) */
	__u32 result;		/* out: TV_PAL_RESULT_* */
	__s32 status;		/* out */
};

/*
 * TV_IOC_TEST_PAL_RACE: only in a test build, for root.  Loads the image
 * while a kernel thread on another CPU reads the first page of the block's
 * sections window through Linux's direct map, before, during and after the
 * load; the PAL is unloaded again before the ioctl returns.  After the load
 * returned no read may succeed, and no read may ever see the image's first
 * section bytes (`pattern`, the caller's copy of them).
 */
struct tv_pal_race {
	__u32 size;
	__u32 reader_cpu;	/* out */
	__u64 image;		/* in */
	__u64 image_len;	/* in */
	__u8 pattern[32];	/* in */
	__u32 reads_before;	/* out: reads that succeeded before the load began */
	__u32 reads_after;	/* out: reads that succeeded after it returned: must be 0 */
	__u32 pattern_seen;	/* out: reads that returned `pattern`: must be 0 */
	__u32 reads_total;	/* out */
	__s32 load_ret;		/* out: the load's errno, 0 */
	__u32 pad;
};

#define TV_IOC_MAGIC		0xb7
#define TV_IOC_STATUS		_IOWR(TV_IOC_MAGIC, 0x00, struct tv_status)
#define TV_IOC_CPU_STATUS	_IOWR(TV_IOC_MAGIC, 0x01, struct tv_cpu_status)
#define TV_IOC_PAL_LOAD		_IOWR(TV_IOC_MAGIC, 0x10, struct tv_pal_load)
#define TV_IOC_PAL_CALL		_IOWR(TV_IOC_MAGIC, 0x11, struct tv_pal_call)
#define TV_IOC_PAL_UNLOAD	_IOW(TV_IOC_MAGIC, 0x12, struct tv_pal_unload)
#define TV_IOC_IDENTITY		_IOWR(TV_IOC_MAGIC, 0x02, struct tv_identity)
#define TV_IOC_PAL_QUOTE	_IOWR(TV_IOC_MAGIC, 0x13, struct tv_pal_quote)
#define TV_IOC_COUNTERS		_IOWR(TV_IOC_MAGIC, 0x14, struct tv_counters)
#define TV_IOC_TEST_PAL_RACE	_IOWR(TV_IOC_MAGIC, 0x7b, struct tv_pal_race)
#define TV_IOC_TEST_PAL_REGS	_IOWR(TV_IOC_MAGIC, 0x7c, struct tv_pal_regs)
#define TV_IOC_TEST_PAL_PROBE	_IOWR(TV_IOC_MAGIC, 0x7d, struct tv_pal_probe)
#define TV_IOC_TEST_NMI		_IOWR(TV_IOC_MAGIC, 0x7e, struct tv_nmi_test)
#define TV_IOC_PROBE_MONITOR	_IOWR(TV_IOC_MAGIC, 0x7f, struct tv_probe_result)

#endif
