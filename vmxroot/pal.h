/* SPDX-License-Identifier: GPL-2.0 */
/*
 * PAL contexts.  A PAL lives in one 2 MiB block of RAM that Linux gave up:
 * the monitor takes it out of Linux's EPT, and builds in it everything the
 * PAL needs, so the monitor's own memory stays fixed whatever PALs exist:
 *
 *   page  0       context (monitor only: saved registers)
 *   page  1       the PAL's VMCS
 *   pages 2-3     the PAL's x87/SSE/AVX state (XSAVE area)
 *   pages 4-7     the PAL's EPT: PML4, PDPT, PD, PT (this block only)
 *   pages 8-14    the PAL's page tables: PML4, PDPT, PD, and a PT each for
 *                 the sections, the input, the output and the stack
 *   pages 16-31   input (TV_PAL_IN_VA, read-only)
 *   pages 32-47   output (TV_PAL_OUT_VA)
 *   pages 48-63   stack: its top stack_size bytes, the page under it a guard
 *   pages 64-319  the sections window [TV_PAL_VA_BASE, + 1 MiB), linearly
 *   pages 320-322 the services' scratch (monitor only): sealed data, a blob
 * The PAL's guest-physical addresses are the block's physical ones; its EPT
 * maps only the pages of input, output, stack, sections (with their
 * permissions) and, read-only, its page tables.  Pages 0-7 are never
 * reachable from the PAL, nor the scratch.  The PAL's µTPM instance lives in
 * the context page, so unload's wipe of the block takes it along.
 */
#ifndef TV_VMXROOT_PAL_H
#define TV_VMXROOT_PAL_H

#include "vmxroot/vmxroot.h"
#include "trustvisor/pal_abi.h"
#include "utpm/utpm.h"

#define PB_CTX		0
#define PB_VMCS		1
#define PB_XSAVE	2
#define PB_XSAVE_PAGES	2
#define PB_EPT		4	/* PML4, PDPT, PD, PT */
#define PB_PT		8	/* PML4, PDPT, PD, PT sections, in, out, stack */
#define PB_IN		16
#define PB_OUT		32
#define PB_STACK_END	64	/* the stack's pages end here */
#define PB_SECT		64
#define PB_SVC_DATA	(PB_SECT + (TV_PAL_MAX_MEM >> 12))	/* TV_PAL_SEAL_MAX bytes */
#define PB_SVC_BLOB	(PB_SVC_DATA + 1)			/* TV_PAL_BLOB_MAX bytes */
#define PB_USED		(PB_SVC_BLOB + 2)

enum pal_state {
	PAL_FREE = 0,
	PAL_LOADING,		/* owned by the CPU that loads it */
	PAL_IDLE,		/* loaded, between calls */
	PAL_RUNNING,		/* a call runs on exactly one CPU */
	PAL_SUSPENDED,		/* a call was interrupted; resume continues it */
	PAL_QUOTING,		/* idle, held by the CPU quoting it for Linux */
	PAL_UNLOADING,		/* owned by the CPU that wipes it */
};

/* What ended a call, for the module. */
struct pal_fault {
	u32 result;		/* TV_HC_RESULT_* */
	u32 vector;
	u64 error, rip, addr;
};

/* Saved in the block's context page: the PAL's registers across a preemption. */
struct pal_ctx {
	struct guest_regs regs;
	struct utpm utpm;	/* the PAL's PCRs; its identity is PCR 0's */
};

struct pal {
	u32 state;		/* enum pal_state, changed by compare-and-swap only */
	u32 gen;		/* bumped at every load: handles of old PALs go stale */
	u64 block;		/* physical address, 2 MiB aligned */
	u64 linux_leaf;		/* Linux's EPT entry for the block, restored at unload */
	u64 eptp;
	u64 cr3;
	u64 entry;
	u64 stack_size;
	u64 xcr0;		/* the state components the PAL runs with */
	u16 vpid;
	bool counters;		/* its identity's counter set is attached */
	u8 measurement[32];
	struct tv_pal_header hdr;		/* the monitor's copies: checked once, */
	struct tv_pal_section sect[TV_PAL_MAX_SECTIONS];	/* never refetched */
	/* The current call. */
	u32 in_len, out_cap;
	u32 in_dirty;		/* input bytes an earlier call left in the block */
	u64 req;		/* Linux's request page: results go there */
	u64 out_gpa;
};

static inline void *pal_page(const struct pal *p, u64 index)
{
	return (void *)(p->block + index * PAGE_SIZE);	/* RAM is identity-mapped */
}

static inline struct pal_ctx *pal_ctx(const struct pal *p)
{
	return pal_page(p, PB_CTX);
}

/* pal.c */
long pal_hypercall(struct per_cpu *pc, struct guest_regs *r, bool *enter_pal);
void pal_wipe_all(void);
u32 pal_count(void);
void pal_finish(struct per_cpu *pc, struct guest_regs *regs, const struct pal_fault *f,
		s32 status, u32 out_len);
void pal_suspend(struct per_cpu *pc, struct guest_regs *regs);
void pal_suspend_for(struct per_cpu *pc, struct guest_regs *regs, long code);
u64 pal_denied_add(void);

/* tpm.c: a PAL's counter commit */
int tpm_commit_stage(struct pal *p, struct guest_regs *regs);
void tpm_commit_forget(struct pal *p);

/* pal_mem.c */
bool pal_can_access(const struct pal *p, u64 va, u64 len, bool write);
int pal_copy_from(const struct pal *p, void *dst, u64 va, u64 len);
int pal_copy_to(const struct pal *p, u64 va, const void *src, u64 len);
int pal_linux_unmap(struct pal *p);
void pal_linux_restore(struct pal *p);
int pal_build_tables(struct pal *p);
bool pal_block_fits(u64 block);

/* pal_vmcs.c */
int pal_vmcs_caps_init(void);
bool pal_vmcs_usable(const char **why);
int pal_vmcs_init(struct per_cpu *pc, struct pal *p);
int pal_enter(struct per_cpu *pc, struct pal *p, struct guest_regs *regs, bool fresh,
	      u32 cmd);
void pal_leave(struct per_cpu *pc, struct pal *p, struct guest_regs *regs, bool save);
u64 pal_xcr0_for(u32 isa);
void pal_flush_for_linux(void);

/* pal_svc.c */
bool pal_service(struct pal *p, struct guest_regs *regs);
int pal_svc_attach(struct pal *p);
void pal_svc_detach(struct pal *p);
long pal_quote_for_linux(struct pal *p, u64 req_gpa);

/* secrets.c: the µTPM root, one CPU at a time */
struct utpm_root *secrets_root_lock(void);
void secrets_root_unlock(void);

/* pal_exit.c */
int pal_handle_exit(struct per_cpu *pc, struct guest_regs *regs, u32 full_reason);

/* shootdown.c */
int ept_shootdown(struct per_cpu *self);
bool shootdown_nmi(struct per_cpu *pc);
void ept_sync_local(struct per_cpu *pc);

#endif
