/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * The PAL's binary interface, shared by the SDK (tvpal-cc, the PAL runtime),
 * libtrustvisor/tvctl, the module and the monitor: the image format, the
 * address space the monitor builds for a PAL, and how a call enters and
 * leaves it.  Fixed-width types only; docs/pal-abi.md explains it.
 *
 * Image file (little-endian), exactly this and nothing else:
 *   struct tv_pal_header
 *   struct tv_pal_section [nr_sections]       sorted by vaddr, disjoint
 *   the filesz bytes of each section, in table order, back to back
 * The PAL's measurement (its identity) is SHA-256 of the whole file: the
 * file fixes contents, layout, permissions, stack size and ISA level, so
 * two images with the same measurement give the same PAL.
 */
#ifndef TV_PAL_ABI_H
#define TV_PAL_ABI_H

#define TV_PAL_MAGIC		"TVPAL01"	/* 8 bytes with the NUL */
#define TV_PAL_FORMAT		1

/* The PAL's virtual address space (64-bit, CPL 3), fixed by the monitor. */
#define TV_PAL_VA_BASE		0x10000000ULL	/* sections: [BASE, BASE + MAX_MEM) */
#define TV_PAL_MAX_MEM		(1ULL << 20)	/* code + rodata + data + bss */
#define TV_PAL_MAX_SECTIONS	16
#define TV_PAL_IN_VA		0x20000000ULL	/* the call's input, read-only */
#define TV_PAL_OUT_VA		0x20200000ULL	/* the call's output, read-write */
#define TV_PAL_IO_MAX		(64ULL << 10)	/* bytes of input, and of output */
#define TV_PAL_STACK_TOP	0x30000000ULL	/* stack [TOP - stack_size, TOP) */
#define TV_PAL_STACK_MAX	(64ULL << 10)	/* the page under the stack is a guard */
#define TV_PAL_PAGE		4096ULL

/* Section flags.  Every section is readable; W and X never together. */
#define TV_PAL_SEC_R		(1U << 0)
#define TV_PAL_SEC_W		(1U << 1)
#define TV_PAL_SEC_X		(1U << 2)

/*
 * ISA levels (the x86-64 psABI's microarchitecture levels): what the
 * compiler may use.  Load refuses on a CPU without it.  Level 3 (AVX2, FMA,
 * BMI2, ...) is what tvpal-cc builds; the monitor enables x87, SSE and AVX
 * state for levels 3, x87 and SSE for 1 and 2.
 */
#define TV_PAL_ISA_V1		1
#define TV_PAL_ISA_V2		2
#define TV_PAL_ISA_V3		3

#ifndef __ASSEMBLY__
#if defined(__KERNEL__)
#include <linux/types.h>
#else
#include <stdint.h>
#endif

struct tv_pal_header {
	char magic[8];		/* TV_PAL_MAGIC */
	uint32_t format;	/* TV_PAL_FORMAT */
	uint32_t header_size;	/* sizeof(struct tv_pal_header) */
	uint32_t nr_sections;	/* 1..TV_PAL_MAX_SECTIONS */
	uint32_t isa;		/* TV_PAL_ISA_* */
	uint64_t entry;		/* VA of the entry point, in an X section */
	uint64_t stack_size;	/* page multiple, TV_PAL_PAGE..TV_PAL_STACK_MAX */
	uint64_t reserved[2];	/* zero */
};

/*
 * Why an image is refused: tv_pal_load.reason (the monitor's verdict) and
 * libtrustvisor's tv_pal_image_reason() (the same check, done locally).
 * 0: it is well formed.
 */
enum tv_pal_img_err {
	TV_PAL_IMG_OK = 0,
	TV_PAL_IMG_SHORT,		/* shorter than its header and section table */
	TV_PAL_IMG_MAGIC,		/* not a PAL image */
	TV_PAL_IMG_FORMAT,		/* another format version or header size */
	TV_PAL_IMG_RESERVED,		/* a reserved field is not zero */
	TV_PAL_IMG_NSECTIONS,		/* no sections, or more than TV_PAL_MAX_SECTIONS */
	TV_PAL_IMG_ISA,			/* unknown ISA level */
	TV_PAL_IMG_STACK,		/* stack size not a page multiple in 4 KiB..64 KiB */
	TV_PAL_IMG_ALIGN,		/* a section's address or size is not page aligned */
	TV_PAL_IMG_RANGE,		/* a section outside the sections window */
	TV_PAL_IMG_ORDER,		/* sections overlap or are not sorted by address */
	TV_PAL_IMG_FLAGS,		/* unknown flags, not readable, or writable and executable */
	TV_PAL_IMG_FILESZ,		/* a section's file bytes exceed its memory size */
	TV_PAL_IMG_TOO_BIG,		/* code + data beyond the 1 MiB window */
	TV_PAL_IMG_LENGTH,		/* the file is not exactly header + table + section bytes */
	TV_PAL_IMG_ENTRY,		/* the entry point is not in an executable section */
	TV_PAL_IMG_NR_ERRORS
};


struct tv_pal_section {
	uint64_t vaddr;		/* page aligned, inside the sections window */
	uint64_t memsz;		/* page multiple, > 0 */
	uint64_t filesz;	/* <= memsz: bytes from the file, the rest is zero */
	uint32_t flags;		/* TV_PAL_SEC_* */
	uint32_t reserved;	/* zero */
};
#endif /* __ASSEMBLY__ */

/*
 * A call.  The PAL starts each call at `entry` with RSP = TV_PAL_STACK_TOP,
 * RFLAGS = 0x202, every other register zero, x87/SSE/AVX in their initial
 * state (MXCSR 0x1f80, FCW 0x37f) and
 *   RDI = cmd, RSI = TV_PAL_IN_VA, RDX = input length,
 *   RCX = TV_PAL_OUT_VA, R8 = output capacity.
 * It ends the call with VMCALL, RAX = TV_PAL_HC_EXIT, RDI = status (the
 * low 32 bits, the PAL's int32_t), RSI = output bytes written (<= capacity,
 * else the PAL is terminated as a bad hypercall).  Any other VMCALL, and
 * any exception, terminates the PAL.
 */
#define TV_PAL_HC_EXIT		0x7456200

/*
 * Services (docs/pal-sdk.md): the PAL's µTPM.  VMCALL with RAX = the
 * service and its arguments in RDI, RSI, RDX, RCX, R8, which is the SysV
 * order of the <trustvisor/pal.h> functions; the result comes back in RAX
 * (0 or a negative TV_PAL_E* code) and every other register is kept.  The
 * monitor checks every pointer against the PAL's own page tables (a
 * buffer the PAL could not read, or write where the service writes, gets
 * TV_PAL_EFAULT and nothing is written) and copies in and out.  An unknown
 * service number terminates the PAL as a bad hypercall.
 */
#define TV_PAL_HC_RANDOM	0x7456201	/* buf, len */
#define TV_PAL_HC_PCR_READ	0x7456202	/* index, value[32] */
#define TV_PAL_HC_PCR_EXTEND	0x7456203	/* index, digest[32] */
#define TV_PAL_HC_SEAL		0x7456204	/* data, len, policy, blob, blob_len */
#define TV_PAL_HC_UNSEAL	0x7456205	/* blob, blob_len, data, len */
#define TV_PAL_HC_QUOTE		0x7456206	/* nonce, nonce_len, pcr_mask, quote, quote_len */
#define TV_PAL_HC_COUNTER_READ	0x7456207	/* id, value */
#define TV_PAL_HC_COUNTER_INC	0x7456208	/* id, value */
/*
 * Makes every counter of this monitor durable, as they stand: the table
 * sealed at the TPM NV counter's next value, stored by Linux, then that
 * one NV increment (docs/architecture.md).  The PAL waits meanwhile (its
 * call returns to Linux and is resumed), and 0 means the TPM has counted
 * it.  No arguments.
 */
#define TV_PAL_HC_COUNTER_COMMIT 0x7456209

#define TV_PAL_NR_PCRS		24	/* sha256 bank; PCR 0 is the PAL's identity */
#define TV_PAL_NR_COUNTERS	8	/* per PAL identity, ids 0 .. 7 */
#define TV_PAL_RANDOM_MAX	(64U << 10)	/* bytes per tv_random */
#define TV_PAL_SEAL_MAX		4096U	/* bytes of data per sealed blob */
#define TV_PAL_BLOB_MAX		(TV_PAL_SEAL_MAX + 140U)	/* a blob's size at most */
#define TV_PAL_NONCE_MAX	64U
/* A quote: TPM2B_ATTEST (2-byte big-endian size, TPMS_ATTEST), then TPMT_SIGNATURE. */
#define TV_PAL_QUOTE_MAX	(2U + 192U + 72U)

/* The services' results: the negated Linux errno values of the same names. */
#define TV_PAL_EPERM		(-1)	/* not allowed: extending PCR 0 */
#define TV_PAL_ENOENT		(-2)	/* no such counter set (cannot happen to a loaded PAL) */
#define TV_PAL_EIO		(-5)	/* the commit did not happen: Linux or the TPM failed it */
#define TV_PAL_EAGAIN		(-11)	/* no entropy now, or another commit under way: try again */
#define TV_PAL_ENODEV		(-19)	/* commit: no durable counters (ephemeral secret, no TPM) */
#define TV_PAL_EACCES		(-13)	/* a blob's policy or recipient does not admit this PAL */
#define TV_PAL_EFAULT		(-14)	/* a pointer the PAL cannot access that way */
#define TV_PAL_EINVAL		(-22)	/* a bad index, length, mask or flag */
#define TV_PAL_ENOSPC		(-28)	/* the output buffer is too small (*len says how much) */
#define TV_PAL_ERANGE		(-34)	/* more than the service takes (data, nonce, random) */
#define TV_PAL_EBADMSG		(-74)	/* not a blob of this monitor, or changed */
#define TV_PAL_ENODATA		(-61)	/* the counters are not restored from storage yet */
#define TV_PAL_EOVERFLOW	(-75)	/* the counter is at its maximum */

/* tv_seal_policy.flags */
#define TV_SEAL_F_PCR_DIGEST	(1U << 0)	/* pcr_digest is the expected composite */
#define TV_SEAL_F_RELEASE_TO	(1U << 1)	/* release_to names the PAL that may unseal */

#ifndef __ASSEMBLY__
/*
 * Who may unseal.  pcr_mask (bit i: PCR i, 0 for none) selects PCRs whose
 * composite, SHA-256 over their values in ascending order, must be
 * pcr_digest (with TV_SEAL_F_PCR_DIGEST) or else what it is now.  The
 * unsealer is the PAL measured release_to (with TV_SEAL_F_RELEASE_TO), or
 * else the sealer itself.  Unknown flags are refused.
 */
struct tv_seal_policy {
	uint32_t pcr_mask;
	uint32_t flags;
	uint8_t pcr_digest[32];
	uint8_t release_to[32];
};
#endif

#endif
