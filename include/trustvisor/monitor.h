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
#define TV_PERCPU_SIZE		(32 * 1024)
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
typedef uint32_t __u32;
typedef uint64_t __u64;
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
	__u64 log_phys;		/* one page of Linux memory for the monitor's log, */
	__u64 log_virt;		/* mapped at Linux's address in both worlds */
	__u32 log_size;
	__u32 flags;
	__u8 measurement[32];	/* SHA-256 of the image, computed by the module */
};

/* Layout of the log page: a byte ring written by the monitor only. */
struct tv_log_page {
	__u64 head;		/* total bytes ever written */
	char buf[];
};

#endif /* __ASSEMBLY__ */

/* Hypercalls: VMCALL with RAX = number, args in RBX, RCX, RDX; status in RAX. */
#define TV_HC_PING		0x7456000	/* returns TV_HC_PING_REPLY in RBX */
#define TV_HC_DEVIRT		0x7456001	/* leave VMX on this CPU */
#define TV_HC_GET_CPU_STATS	0x7456002	/* RBX = cpu, RCX = guest-physical buffer, RDX = size */
#define TV_HC_READ_CANARY	0x7456003	/* RBX <- canary word */
#define TV_HC_PING_REPLY	0x54567631	/* "TVv1" */

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

#endif
