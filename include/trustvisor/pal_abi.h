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

#endif
