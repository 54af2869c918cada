/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The interface between the Linux module (kmod/) and the monitor image
 * (vmxroot/): the image header the module reads, the parameters it passes to
 * the monitor's init entry, the hypercall numbers and the monitor's status
 * codes.  Included by both sides, so only fixed-width types and no Linux or
 * libc headers.
 */
#ifndef TV_MONITOR_H
#define TV_MONITOR_H

#define TV_PAGE_SIZE		4096
#define TV_IMAGE_MAGIC		"TVMON01"	/* 8 bytes with the NUL */
#define TV_MONITOR_VERSION	0x00010000	/* 1.0.0: major << 16 | minor << 8 | patch */

/* Intel TXT MLE header (MLE Developer's Guide, table 1, version 2.1). */
#define TV_MLE_UUID0		0x9082ac5a
#define TV_MLE_UUID1		0x74a7476f
#define TV_MLE_UUID2		0xa2555c0f
#define TV_MLE_UUID3		0x42b651cb
#define TV_MLE_VERSION		0x00020001
/* Where struct tv_image_header starts: after the 52-byte MLE header, 8-aligned. */
#define TV_IMAGE_HEADER_OFFSET	56

/* One per-CPU area is this size and aligned to it (vmxroot/percpu.h). */
#define TV_PERCPU_SIZE		(64 * 1024)
/* Pages the monitor may use for its own page tables and EPT. */
#define TV_POOL_PAGES		160

/* Exit reasons are counted per CPU up to this (basic exit reason < 80). */
#define TV_EXIT_REASONS		80

#ifndef __ASSEMBLY__

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include <stdint.h>
typedef uint8_t __u8;
typedef uint16_t __u16;
typedef uint32_t __u32;
typedef uint64_t __u64;
typedef int32_t __s32;
#endif

struct tv_mle_header {
	__u32 uuid[4];
	__u32 header_len;
	__u32 version;
	__u32 entry_point;	/* offset from MLE start of the DRTM entry */
	__u32 first_valid_page;
	__u32 mle_start;	/* offsets of the measured bytes */
	__u32 mle_end;
	__u32 capabilities;
	__u32 cmdline_start;
	__u32 cmdline_end;
};

/*
 * Follows the MLE header at the start of the image.  Offsets are from the
 * image start; the module calls the entries at (image base + offset).
 */
struct tv_image_header {
	char magic[8];
	__u32 version;		/* TV_MONITOR_VERSION */
	__u32 header_size;
	__u64 image_size;	/* bytes in the file: what is measured */
	__u64 core_size;	/* image + bss, page aligned */
	__u64 entry_init;	/* int tv_init(struct tv_init_params *) */
	__u64 entry_cpu_launch;	/* int tv_cpu_launch(u32 cpu) */
	__u64 canary_offset;	/* a monitor word the selftests try to overwrite */
	__u64 text_offset;	/* [text_offset, text_end): the code */
	__u64 text_end;
	__u64 secret_offset;	/* struct tv_secret_handoff, in the bss (not measured) */
};

/*
 * The master secret the module read from the hardware TPM at load, written
 * into the monitor's own memory before any CPU enters (Linux cannot see it
 * once one has); taken and wiped when the secrets are created.  kind 0: none,
 * the monitor draws its own.
 */
/*
 * The monitor's TPM NV counter (vmxroot/tpm.c): its auth is derived from
 * the kept master secret, so a new master secret makes it useless and the
 * module undefines it (kmod/secret.c) for the monitor to define anew.
 */
#define TV_NV_COUNTER_INDEX	0x01805656
#define TV_HANDOFF_MASTER	(1U << 0)	/* master is the kept secret */
#define TV_HANDOFF_SALT_KEY	(1U << 1)	/* salt_* name the TPM key for the NV counter */
#define TV_HANDOFF_FRESH	(1U << 2)	/* master is new at this launch: no counters yet */
struct tv_secret_handoff {
	__u32 kind;		/* TV_HANDOFF_*: 0, the monitor draws its own */
	__u32 salt_handle;	/* a persistent ECC P-256 decryption key in the TPM */
	__u8 master[32];
	__u8 salt_x[32];	/* its public point, read while the kernel was trusted */
	__u8 salt_y[32];
};

/*
 * What Linux's resource tree describes at the top level, as byte ranges
 * [start, end): RAM, and everything else (MMIO windows, firmware, reserved).
 * The EPT maps these and nothing else; the monitor reads and writes
 * Linux's buffers only in RAM.
 */
#define TV_MAX_RANGES		128
#define TV_RANGE_RAM		1
#define TV_RANGE_OTHER		2
struct tv_mem_range {
	__u64 start, end;
	__u32 kind;
	__u32 pad;
};

/*
 * Memory the module hands over: one physically contiguous block mapped at
 * `virt` in Linux.  The monitor maps it at the same address in its own page
 * tables, so pointers into it are valid in both worlds.  Layout:
 *   [0, core_size)                         image, data, bss
 *   [percpu_offset, + nr_cpus * TV_PERCPU_SIZE)  per-CPU areas (aligned)
 *   [pool_offset, + TV_POOL_PAGES pages)     page-table pool
 */
struct tv_init_params {
	__u32 size;		/* sizeof(struct tv_init_params) */
	__u32 nr_cpus;		/* number of per-CPU areas (Linux nr_cpu_ids) */
	__u64 virt;
	__u64 phys;
	__u64 mem_size;
	__u64 percpu_offset;
	__u64 pool_offset;
	__u64 ram_top;		/* highest RAM address + 1 (host identity map) */
	__u64 log_phys;		/* one page of Linux memory shared with the monitor */
	__u64 log_virt;		/* (struct tv_shared_page), mapped at Linux's address in both worlds */
	__u32 log_size;
	__u32 flags;		/* TV_INIT_F_*: what the module probed */
	__u8 measurement[32];	/* SHA-256 of the image, computed by the module */
	__u32 nr_owned_cpus;	/* CPUs online (= present) at load: all must enter */
	__u32 tsc_khz;		/* for the monitor's timeouts */
	__u64 linux_top_entry;	/* Linux's top-level page-table entry for `virt` */
	__u16 fadt_reset_port;	/* the FADT reset register, if it is a port (else 0) */
	__u8 fadt_reset_value;
	__u8 pad[1];
	__u32 nr_ranges;
	struct tv_mem_range ranges[TV_MAX_RANGES];	/* ascending, not overlapping */
};

/* tv_init_params.flags: facts the module probed with fault-safe accessors. */
#define TV_INIT_F_PERF_GLOBAL_CTRL	(1U << 0)	/* IA32_PERF_GLOBAL_CTRL exists */
#define TV_INIT_F_PT			(1U << 1)	/* Intel PT (IA32_RTIT_CTL) exists */

/*
 * The shared page: Linux memory the monitor writes and the module reads,
 * never the reverse.  A byte ring for the log, and the monitor's life as
 * the module must see it even after every CPU has left (then it can no
 * longer ask by hypercall).
 */
#define TV_MAX_MONITOR_CPUS	1024
struct tv_shared_page {
	__u64 head;		/* log bytes ever written */
	__u32 state;		/* TV_STATE_* */
	__u32 cpus_inside;	/* CPUs running under the monitor */
	__u64 inside[TV_MAX_MONITOR_CPUS / 64];	/* bit n: CPU n is inside */
	char buf[];		/* the log ring */
};

#define TV_STATE_LOADING	0	/* CPUs entering; no secrets yet */
#define TV_STATE_ACTIVE		1	/* every owned CPU inside; secrets exist */
#define TV_STATE_LEAVING	2	/* rendezvous: secrets being destroyed */
#define TV_STATE_GONE		3	/* secrets destroyed; CPUs leaving or left */

#endif /* __ASSEMBLY__ */

/*
 * Hypercalls: VMCALL with RAX = number, args in RBX, RCX, RDX; status in
 * RAX.  A status is never a hypercall number, so a VMCALL that faulted
 * (the CPU has left the monitor) is told apart by RAX being unchanged.
 */
#define TV_HC_PING		0x7456000	/* returns TV_HC_PING_REPLY in RBX */
#define TV_HC_LEAVE		0x7456001	/* the machine leaves the monitor (every CPU);
						 * RBX = TV_LEAVE_F_* */
#define TV_LEAVE_F_CONSOLE	1		/* Linux is dying: log the leave on COM1 */
#define TV_HC_GET_CPU_STATS	0x7456002	/* RBX = cpu, RCX = guest-physical buffer, RDX = size */
#define TV_HC_ACTIVATE		0x7456004	/* every owned CPU is inside: create the secrets */
#define TV_HC_IDENTITY		0x7456005	/* RBX = guest-physical struct tv_hc_identity */
#define TV_HC_TPM		0x7456006	/* RBX = guest-physical struct tv_hc_tpm */
#define TV_HC_COUNTERS		0x7456007	/* RBX = guest-physical struct tv_hc_counters */
/* Test build only (make test-module): scaffolding for the in-VM suites. */
#define TV_HC_READ_CANARY	0x7456003	/* RBX <- canary word */
#define TV_HC_TEST_SECRETS	0x7456100	/* RBX, RCX <- physical addresses of the master
						 * secret and identity key, RDX <- 1 if set */
#define TV_HC_PING_REPLY	0x54567631	/* "TVv1" */

/*
 * PAL hypercalls from Linux's kernel (the module).  RBX = guest-physical
 * address of the request (one page of Linux RAM the monitor copies in and
 * writes the results back to).  See vmxroot/pal.c.
 */
#define TV_HC_PAL_LOAD		0x7456010	/* struct tv_hc_pal_load */
#define TV_HC_PAL_CALL		0x7456011	/* struct tv_hc_pal_call */
#define TV_HC_PAL_UNLOAD	0x7456012	/* RBX = handle: wipes it, gives the block back */
#define TV_HC_PAL_STATS		0x7456013	/* RBX <- PALs loaded, RCX <- denied accesses */
#define TV_HC_PAL_QUOTE		0x7456014	/* struct tv_hc_pal_quote */

#define TV_MAX_PALS		64
/* Each PAL lives in one 2 MiB-aligned block of RAM the module allocates. */
#define TV_PAL_BLOCK_SIZE	(2ULL << 20)

#ifndef __ASSEMBLY__
struct tv_hc_pal_load {
	__u64 block;		/* in: physical address of the PAL's block */
	__u64 image_pages;	/* in: physical address of a page of up to 512 addresses,
				 * the pages holding the image, in order */
	__u64 image_len;	/* in */
	__u32 handle;		/* out */
	__u32 reason;		/* out, TV_E_IMAGE: TV_PAL_IMG_* */
	__u8 measurement[32];	/* out */
};

struct tv_hc_identity {
	__u8 pubkey[65];	/* out: 0x04 || X || Y */
	__u8 name[34];		/* out */
	__u8 pad;
	__u32 public_area_len;	/* out */
	__u8 public_area[96];	/* out: TPM2B_PUBLIC */
	__u32 nv_state;		/* out: TV_NV_* */
	__s32 nv_error;		/* out, TV_NV_FAILED: the job's error (see struct tv_hc_tpm) */
	__u64 nv_value;		/* out, TV_NV_OPEN: the NV counter's value */
	__u32 counters;		/* out: TV_COUNTERS_* */
	__u32 pad2;
};
#define TV_COUNTERS_MEMORY	0	/* in memory only: they die with the monitor */
#define TV_COUNTERS_UNKNOWN	1	/* to be restored from storage: reads fail until then */
#define TV_COUNTERS_KNOWN	2	/* restored, or fresh with a new secret: durable by commit */
#define TV_NV_NONE	0	/* no NV counter: no kept secret or no TPM */
#define TV_NV_PENDING	1	/* there is one, not opened yet (or being opened) */
#define TV_NV_OPEN	2	/* opened: nv_value read through the monitor's session */
#define TV_NV_FAILED	3	/* the job failed (nv_error): no value can be trusted */

/*
 * TV_HC_TPM: the monitor's own TPM commands, which Linux only carries
 * (vmxroot/tpm.c).  op OPEN starts the job that opens the NV counter and
 * returns its first command; op STEP takes the TPM's response to the last
 * one (len bytes of buf; 0 if it could not be sent) and returns the next.
 * status: TV_TPM_SEND (send len bytes of buf, then STEP), TV_TPM_DONE
 * (value is the counter's), or the job's error: negative, lib/base.h's
 * enum tv_err; positive, the response code of a TPM that refused.
 */
#define TV_TPM_OP_OPEN	1
#define TV_TPM_OP_STEP	2
#define TV_TPM_OP_COMMIT 3	/* the staged commit is stored: increment the counter */
#define TV_TPM_SEND	1000000
#define TV_TPM_DONE	1000001
#define TV_TPM_BUF	1024
/*
 * TV_HC_COUNTERS: the µTPM's counter table, which Linux stores for the
 * monitor (vmxroot/tpm.c).  EXPORT: the table sealed at the NV counter's
 * value now (no NV write); STAGED: the table a PAL's commit sealed at the
 * next value, to store before TV_TPM_OP_COMMIT; RESTORE: a stored table,
 * taken only if sealed at the value now and only while the counters are
 * unknown.  status: 0 or TV_COUNTERS_E_*.
 */
#define TV_COUNTERS_E_VALUE	1	/* sealed at another NV value */
#define TV_COUNTERS_E_BADMSG	2	/* not a table of this monitor, or changed */
#define TV_COUNTERS_E_NODATA	3	/* the counters are unknown: nothing to seal */
#define TV_COUNTERS_E_NOSPC	4	/* more sets than a table holds */
#define TV_COUNTERS_E_STATE	5	/* not now: no NV counter, known already, a commit staged */
#define TV_COUNTERS_OP_EXPORT	1
#define TV_COUNTERS_OP_STAGED	2
#define TV_COUNTERS_OP_RESTORE	3
#define TV_COUNTERS_BLOB_MAX	4064
struct tv_hc_counters {
	__u32 op;		/* in */
	__u32 len;		/* in (RESTORE), out: bytes of blob */
	__s32 status;		/* out */
	__u32 pad;
	__u64 value;		/* out: the NV value the blob is sealed at */
	__u8 blob[TV_COUNTERS_BLOB_MAX];
};

struct tv_hc_tpm {
	__u32 op;		/* in: TV_TPM_OP_* */
	__u32 len;		/* in: response bytes in buf; out: command bytes */
	__s32 status;		/* out */
	__u32 pad;
	__u64 value;		/* out, TV_TPM_DONE */
	__u8 buf[TV_TPM_BUF];
};

/* Every field but handle, pcr_mask, nonce_len and nonce is written by the monitor. */
struct tv_hc_pal_quote {
	__u32 handle;		/* in */
	__u32 pcr_mask;		/* in */
	__u32 nonce_len;	/* in: <= TV_PAL_NONCE_MAX */
	__u32 attest_len;	/* out */
	__u8 nonce[64];		/* in */
	__u8 attest[192];	/* out */
	__u32 sig_len;		/* out */
	__u8 sig[72];		/* out */
	__u8 pcrs[24][32];	/* out */
};

struct tv_hc_pal_call {
	__u32 handle;		/* in */
	__u32 cmd;		/* in */
	__u32 flags;		/* in: TV_HC_CALL_F_* */
	__u32 in_len;		/* in: <= TV_PAL_IO_MAX */
	__u64 in;		/* in: physical address, contiguous */
	__u64 out;		/* in: physical address, contiguous */
	__u32 out_cap;		/* in: <= TV_PAL_IO_MAX */
	__u32 out_len;		/* out */
	__s32 status;		/* out */
	__u32 result;		/* out: TV_PAL_RESULT_* (uapi) */
	__u32 fault_vector;	/* out */
	__u32 pad;
	__u64 fault_error, fault_rip, fault_addr;	/* out */
};
#endif

/* Resume the call that returned TV_E_PREEMPTED instead of starting a new one. */
#define TV_HC_CALL_F_RESUME	1U
/* The call's result values (tv_hc_pal_call.result) */
#define TV_HC_RESULT_RETURNED	0
#define TV_HC_RESULT_FAULT	1
#define TV_HC_RESULT_KILLED	2
#define TV_HC_FAULT_BAD_HYPERCALL	256
#define TV_HC_FAULT_MEMORY		257
#define TV_HC_FAULT_INSTRUCTION		258

/* Monitor status codes (returned by entries and hypercalls), all negative. */
#define TV_E_OK			0
#define TV_E_PARAM		-1	/* bad parameter from the caller */
#define TV_E_NOVMX		-2	/* no VMX, or VMX disabled by firmware */
#define TV_E_NOFEAT		-3	/* a required VMX feature is missing */
#define TV_E_NOMEM		-4	/* page-table pool exhausted */
#define TV_E_VMXON		-5	/* VMXON failed (another hypervisor?) */
#define TV_E_VMCS		-6	/* VMCLEAR/VMPTRLD/VMWRITE failed */
#define TV_E_LAUNCH		-7	/* VMLAUNCH failed */
#define TV_E_STATE		-8	/* CPU already (or not) virtualized */
#define TV_E_NOSYS		-9	/* unknown hypercall */
#define TV_E_PERM		-10	/* caller not allowed */
#define TV_E_FIXED		-11	/* CR0/CR4 cannot satisfy VMX fixed bits */
#define TV_E_ENTROPY		-12	/* no hardware entropy for the secrets */
#define TV_E_BUSY		-13	/* the PAL (or the PAL table) is in use */
#define TV_E_LIMIT		-14	/* no free PAL slot */
#define TV_E_IMAGE		-15	/* the PAL image is malformed (reason in the request) */
#define TV_E_NOENT		-16	/* no such PAL */
#define TV_E_TIMEOUT		-17	/* a CPU did not answer a TLB shootdown */
#define TV_E_PREEMPTED		1	/* not an error: the PAL was interrupted, resume it */
#define TV_E_COMMIT		2	/* not an error: the PAL commits its counters; store the
					 * staged table, TV_TPM_OP_COMMIT, then resume it */

#endif
