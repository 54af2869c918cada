// SPDX-License-Identifier: GPL-2.0
/*
 * A PAL's VMCS, and the switch between Linux and a PAL on one CPU.
 *
 * The PAL runs in VMX non-root, 64-bit, CPL 3, on its own page tables, EPT
 * and VPID.  Everything it could do to reach beyond itself exits: every
 * exception (exception bitmap all ones), NMIs and external interrupts
 * (which end its turn: Linux handles them at once), CPUID, VMCALL.  It has
 * no IDT, GDT or TSS to use: with every exception and interrupt exiting,
 * the CPU never delivers an event through them, and a segment load faults.
 *
 * VM entry and exit switch neither XCR0 nor the x87/SSE/AVX registers: the
 * monitor saves Linux's (with Linux's XCR0, minus XFD-armed components),
 * gives the PAL its own, and restores Linux's before Linux runs again, so
 * none of the PAL's state reaches Linux and Linux's (its user FPU state
 * included) is intact.  The PAL's VMCS is cleared after every turn, so the
 * next may run on any CPU.
 */
#include "vmxroot/pal.h"
#include "vmxroot/processor.h"
#include "vmxroot/vmx.h"

#define PIN_EXTINT_EXITING		(1U << 0)
#define CPU_HLT_EXITING			(1U << 7)
#define CPU_MWAIT_EXITING		(1U << 10)
#define CPU_RDPMC_EXITING		(1U << 11)
#define CPU_UNCOND_IO_EXITING		(1U << 24)
#define CPU_MONITOR_EXITING		(1U << 29)
#define X86_CR4_OSFXSR			(1UL << 9)
#define X86_CR4_OSXMMEXCPT		(1UL << 10)
#define MSR_IA32_PRED_CMD		0x49
#define MSR_IA32_FLUSH_CMD		0x10b
#define MSR_IA32_XFD			0x1c4
#define XFEATURE_X87			(1ULL << 0)
#define XFEATURE_SSE			(1ULL << 1)
#define XFEATURE_AVX			(1ULL << 2)

/* What the PAL VMCS may use, and why PALs cannot run here if they cannot. */
static struct {
	u32 pin, proc, proc2, exit, entry;
	bool usable;
	const char *why;
	bool xfd, ibpb, l1d_flush, md_clear;
	u64 xcr0_supported;
} pcaps;

/* PERF_GLOBAL_CTRL zero while a PAL runs, when the MSR-load lists must do it. */
static struct msr_entry perf_zero __aligned(16) = { .index = MSR_IA32_PERF_GLOBAL_CTRL };

static bool smt_present(void)
{
	struct cpuid_regs r;

	cpuid_count(0, 0, &r);
	if (r.eax < 0xb)
		return false;
	cpuid_count(0xb, 0, &r);
	/* Level 0 of leaf 0xB is the SMT level: logical processors per core. */
	return ((r.ecx >> 8) & 0xff) == 1 && (r.ebx & 0xffff) > 1;
}

int pal_vmcs_caps_init(void)
{
	struct vmx_caps *c = &monitor.caps;
	bool tru = rdmsr(MSR_IA32_VMX_BASIC) & (1ULL << 55);
	struct cpuid_regs r;
	int ret;

	ret = adjust_ctls(tru ? MSR_IA32_VMX_TRUE_PINBASED_CTLS : MSR_IA32_VMX_PINBASED_CTLS,
			  PIN_EXTINT_EXITING | PIN_NMI_EXITING | PIN_VIRTUAL_NMIS,
			  PIN_EXTINT_EXITING | PIN_NMI_EXITING | PIN_VIRTUAL_NMIS, &pcaps.pin);
	ret = ret ?: adjust_ctls(tru ? MSR_IA32_VMX_TRUE_PROCBASED_CTLS :
				 MSR_IA32_VMX_PROCBASED_CTLS,
				 CPU_ACTIVATE_SECONDARY | CPU_HLT_EXITING | CPU_MWAIT_EXITING |
				 CPU_RDPMC_EXITING | CPU_UNCOND_IO_EXITING | CPU_MONITOR_EXITING,
				 CPU_ACTIVATE_SECONDARY, &pcaps.proc);
	ret = ret ?: adjust_ctls(MSR_IA32_VMX_PROCBASED_CTLS2, SEC_ENABLE_EPT | SEC_ENABLE_VPID,
				 SEC_ENABLE_EPT | SEC_ENABLE_VPID, &pcaps.proc2);
	if (ret)
		return ret;
	/* Linux's exit and entry controls: the same host state, PAT, EFER, perf and PT rules. */
	pcaps.exit = c->exit;
	pcaps.entry = c->entry;

	cpuid_count(1, 0, &r);
	pcaps.usable = false;
	if (!(r.ecx & (1U << 26))) {
		pcaps.why = "the CPU has no XSAVE";
		return 0;
	}
	cpuid_count(0xd, 0, &r);
	pcaps.xcr0_supported = ((u64)r.edx << 32) | r.eax;
	if (r.ecx > sizeof(this_cpu()->xsave_linux) || r.ecx > PB_XSAVE_PAGES * PAGE_SIZE) {
		pcaps.why = "the CPU's XSAVE area is larger than 8 KiB";
		return 0;
	}
	cpuid_count(0xd, 1, &r);
	pcaps.xfd = r.eax & (1U << 4);
	cpuid_count(7, 0, &r);
	pcaps.ibpb = r.edx & (1U << 26);
	pcaps.l1d_flush = r.edx & (1U << 28);
	pcaps.md_clear = r.edx & (1U << 10);
	if (smt_present()) {
		pcaps.why = "SMT is present: a sibling thread running Linux could observe a PAL";
		return 0;
	}
	pcaps.usable = true;
	return 0;
}

bool pal_vmcs_usable(const char **why)
{
	*why = pcaps.why;
	return pcaps.usable;
}

/* The XCR0 a PAL of this ISA level runs with, or 0 if this CPU lacks it. */
u64 pal_xcr0_for(u32 isa)
{
	struct cpuid_regs r1, r7, r81;
	u64 want = XFEATURE_X87 | XFEATURE_SSE;
	bool ok = true;

	cpuid_count(1, 0, &r1);
	cpuid_count(7, 0, &r7);
	cpuid_count(0x80000001, 0, &r81);
	if (isa >= TV_PAL_ISA_V2)	/* CX16, SSE3, SSSE3, SSE4.1, SSE4.2, POPCNT, LAHF */
		ok = ok && (r1.ecx & 0x00980201) == 0x00980201 && (r1.ecx & (1U << 13)) &&
		     (r81.ecx & 1);
	if (isa >= TV_PAL_ISA_V3) {	/* AVX, AVX2, BMI1, BMI2, F16C, FMA, LZCNT, MOVBE */
		ok = ok && (r1.ecx & (1U << 28)) && (r1.ecx & (1U << 29)) &&
		     (r1.ecx & (1U << 12)) && (r1.ecx & (1U << 22)) &&
		     (r7.ebx & (1U << 5)) && (r7.ebx & (1U << 3)) && (r7.ebx & (1U << 8)) &&
		     (r81.ecx & (1U << 5));
		want |= XFEATURE_AVX;
	}
	if (!ok || (want & pcaps.xcr0_supported) != want)
		return 0;
	return want;
}

static inline u64 xgetbv0(void)
{
	u32 lo, hi;

	asm volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	return ((u64)hi << 32) | lo;
}

static inline void xsetbv0(u64 v)
{
	asm volatile("xsetbv" : : "a"((u32)v), "d"((u32)(v >> 32)), "c"(0));
}

static inline void xsave(void *area, u64 mask)
{
	asm volatile("xsave64 (%0)" : : "r"(area), "a"((u32)mask), "d"((u32)(mask >> 32))
		     : "memory");
}

static inline void xrstor(const void *area, u64 mask)
{
	asm volatile("xrstor64 (%0)" : : "r"(area), "a"((u32)mask), "d"((u32)(mask >> 32))
		     : "memory");
}

/* x87 and SSE in their reset state: what a fresh call starts from. */
static void xsave_area_init(u8 *a)
{
	memset(a, 0, 576);		/* legacy area and XSAVE header: XSTATE_BV = 0 */
	*(u16 *)a = 0x37f;		/* FCW */
	*(u32 *)(a + 24) = 0x1f80;	/* MXCSR: XRSTOR loads it whatever XSTATE_BV says */
}

/* The guest state every PAL call starts from (registers aside). */
static void write_pal_guest_state(const struct pal *p)
{
	struct vmx_caps *c = &monitor.caps;
	u64 cr0 = (X86_CR0_PE | X86_CR0_MP | X86_CR0_ET | X86_CR0_NE | X86_CR0_WP | X86_CR0_PG |
		   c->cr0_fixed0) & c->cr0_fixed1;
	u64 cr4 = (X86_CR4_PAE | X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT | X86_CR4_OSXSAVE |
		   c->cr4_fixed0) & c->cr4_fixed1;

	vmcs_write(GUEST_CR0, cr0);
	vmcs_write(CR0_READ_SHADOW, cr0);
	vmcs_write(GUEST_CR4, cr4);
	vmcs_write(CR4_READ_SHADOW, cr4);
	vmcs_write(GUEST_CR3, p->cr3);
	vmcs_write(GUEST_DR7, 0x400);
	vmcs_write(GUEST_IA32_DEBUGCTL, 0);
	vmcs_write(GUEST_IA32_EFER, EFER_LME | EFER_LMA | EFER_NX);
	vmcs_write(GUEST_IA32_PAT, 0x0007040600070406ULL);
	/* 64-bit user code and data; no usable data segments, LDT, GDT or IDT. */
	vmcs_write(GUEST_CS_SELECTOR, 0x33);
	vmcs_write(GUEST_CS_BASE, 0);
	vmcs_write(GUEST_CS_LIMIT, 0xffffffff);
	vmcs_write(GUEST_CS_AR_BYTES, 0xa0fb);
	vmcs_write(GUEST_SS_SELECTOR, 0x2b);
	vmcs_write(GUEST_SS_BASE, 0);
	vmcs_write(GUEST_SS_LIMIT, 0xffffffff);
	vmcs_write(GUEST_SS_AR_BYTES, 0xc0f3);
	vmcs_write(GUEST_DS_SELECTOR, 0);
	vmcs_write(GUEST_DS_AR_BYTES, AR_UNUSABLE);
	vmcs_write(GUEST_ES_SELECTOR, 0);
	vmcs_write(GUEST_ES_AR_BYTES, AR_UNUSABLE);
	vmcs_write(GUEST_FS_SELECTOR, 0);
	vmcs_write(GUEST_FS_BASE, 0);
	vmcs_write(GUEST_FS_AR_BYTES, AR_UNUSABLE);
	vmcs_write(GUEST_GS_SELECTOR, 0);
	vmcs_write(GUEST_GS_BASE, 0);
	vmcs_write(GUEST_GS_AR_BYTES, AR_UNUSABLE);
	vmcs_write(GUEST_LDTR_SELECTOR, 0);
	vmcs_write(GUEST_LDTR_AR_BYTES, AR_UNUSABLE);
	vmcs_write(GUEST_TR_SELECTOR, 0x40);
	vmcs_write(GUEST_TR_BASE, 0);
	vmcs_write(GUEST_TR_LIMIT, 0x67);
	vmcs_write(GUEST_TR_AR_BYTES, 0x8b);
	vmcs_write(GUEST_GDTR_BASE, 0);
	vmcs_write(GUEST_GDTR_LIMIT, 0);
	vmcs_write(GUEST_IDTR_BASE, 0);
	vmcs_write(GUEST_IDTR_LIMIT, 0);
	vmcs_write(GUEST_SYSENTER_CS, 0);
	vmcs_write(GUEST_SYSENTER_ESP, 0);
	vmcs_write(GUEST_SYSENTER_EIP, 0);
	vmcs_write(GUEST_ACTIVITY_STATE, GUEST_ACTIVITY_ACTIVE);
	vmcs_write(GUEST_INTERRUPTIBILITY_INFO, 0);
	vmcs_write(GUEST_PENDING_DBG_EXCEPTIONS, 0);
	vmcs_write(VMCS_LINK_POINTER, ~0ULL);
}

static void write_pal_controls(const struct pal *p)
{
	vmcs_write(PIN_BASED_VM_EXEC_CONTROL, pcaps.pin);
	vmcs_write(CPU_BASED_VM_EXEC_CONTROL, pcaps.proc);
	vmcs_write(SECONDARY_VM_EXEC_CONTROL, pcaps.proc2);
	vmcs_write(VM_EXIT_CONTROLS, pcaps.exit);
	vmcs_write(VM_ENTRY_CONTROLS, pcaps.entry);
	vmcs_write(EXCEPTION_BITMAP, 0xffffffff);
	vmcs_write(PAGE_FAULT_ERROR_CODE_MASK, 0);
	vmcs_write(PAGE_FAULT_ERROR_CODE_MATCH, 0);
	vmcs_write(CR3_TARGET_COUNT, 0);
	vmcs_write(CR0_GUEST_HOST_MASK, ~0ULL);
	vmcs_write(CR4_GUEST_HOST_MASK, ~0ULL);
	vmcs_write(VM_EXIT_MSR_STORE_COUNT, 0);
	vmcs_write(VM_EXIT_MSR_LOAD_COUNT, 0);
	vmcs_write(VM_ENTRY_MSR_LOAD_COUNT, 0);
	vmcs_write(VM_ENTRY_INTR_INFO_FIELD, 0);
	vmcs_write(EPT_POINTER, p->eptp);
	vmcs_write(VIRTUAL_PROCESSOR_ID, p->vpid);
	/* No counting and no tracing of a PAL: both would be side channels to Linux. */
	if (monitor.caps.perf_vmcs_switch) {
		vmcs_write(GUEST_IA32_PERF_GLOBAL_CTRL, 0);
		vmcs_write(HOST_IA32_PERF_GLOBAL_CTRL, 0);
	} else if (monitor.caps.perf_global_ctrl) {
		vmcs_write(VM_EXIT_MSR_LOAD_ADDR, virt_to_phys(&perf_zero));
		vmcs_write(VM_EXIT_MSR_LOAD_COUNT, 1);
		vmcs_write(VM_ENTRY_MSR_LOAD_ADDR, virt_to_phys(&perf_zero));
		vmcs_write(VM_ENTRY_MSR_LOAD_COUNT, 1);
	}
	if (pcaps.entry & ENTRY_LOAD_RTIT_CTL)
		vmcs_write(GUEST_IA32_RTIT_CTL, 0);
}

/*
 * Back to Linux's VMCS on this CPU.  Failing that, Linux cannot run here.
 * While pal_vmcs_pa is set an NMI only counts itself (host_nmi): its
 * window is asked for here, in Linux's VMCS.
 */
static void load_linux_vmcs(struct per_cpu *pc)
{
	if (!vmcs_load(virt_to_phys(pc->vmcs)))
		guest_stop(pc, "cannot make Linux's VMCS current again", 0);
	WRITE_ONCE(pc->pal_vmcs_pa, 0);
	if (READ_ONCE(pc->nmi_pending))
		request_nmi_window(pc);
}

/* Called at load, from a Linux exit: the VMCS is written once, then cleared. */
int pal_vmcs_init(struct per_cpu *pc, struct pal *p)
{
	u64 pa = p->block + PB_VMCS * PAGE_SIZE;
	u32 errors = pc->vmx_errors;

	*(u32 *)pal_page(p, PB_VMCS) = monitor.caps.revision;
	WRITE_ONCE(pc->pal_vmcs_pa, pa);
	if (!vmcs_clear(pa) || !vmcs_load(pa)) {
		load_linux_vmcs(pc);
		return TV_E_VMCS;
	}
	write_pal_controls(p);
	write_pal_guest_state(p);
	vmcs_clear(pa);
	load_linux_vmcs(pc);
	if (pc->vmx_errors != errors) {
		pc->vmx_errors = errors;	/* logged with the field; the load fails, Linux goes on */
		return TV_E_VMCS;
	}
	return 0;
}

static u64 xfd_mask(void)
{
	return pcaps.xfd ? rdmsr(MSR_IA32_XFD) : 0;
}

static void barrier_ibpb(void)
{
	if (pcaps.ibpb)
		wrmsr(MSR_IA32_PRED_CMD, 1);
}

/* Before Linux runs again after a PAL: nothing of it left in L1D or CPU buffers. */
void pal_flush_for_linux(void)
{
	static const u16 ds = 0x18;	/* SEL_KERNEL_DS: VERW needs a valid selector */

	if (pcaps.l1d_flush)
		wrmsr(MSR_IA32_FLUSH_CMD, 1);
	if (pcaps.md_clear)
		asm volatile("verw %0" : : "m"(ds) : "cc");
}

/*
 * From Linux's VMCALL exit: save Linux, load the PAL's VMCS and state, and
 * put the PAL's registers in `regs` for VMLAUNCH.  A fresh call starts at
 * the entry with clean registers; a resumed one where it was stopped.
 */
int pal_enter(struct per_cpu *pc, struct pal *p, struct guest_regs *regs, bool fresh, u32 cmd)
{
	u64 pa = p->block + PB_VMCS * PAGE_SIZE;
	u8 *xa = pal_page(p, PB_XSAVE);
	u32 errors = pc->vmx_errors;

	pc->linux_xcr0 = xgetbv0();
	if ((pc->linux_xcr0 & p->xcr0) != p->xcr0)
		return TV_E_NOFEAT;	/* Linux turned off state the PAL uses */
	pc->linux_rfbm = pc->linux_xcr0 & ~xfd_mask();
	xsave(pc->xsave_linux, pc->linux_rfbm);
	pc->linux_regs = *regs;
	xsetbv0(p->xcr0);
	if (fresh)
		xsave_area_init(xa);
	xrstor(xa, p->xcr0);
	WRITE_ONCE(pc->pal_vmcs_pa, pa);
	if (!vmcs_load(pa)) {
		pal_leave(pc, p, regs, false);
		return TV_E_VMCS;
	}
	pc->pal = p;
	vmx_write_host_state(pc);
	/* Translations of an earlier PAL with the same EPT root or VPID: gone. */
	invept(monitor.caps.ept_vpid & EPT_CAP_INVEPT_SINGLE ? INVEPT_SINGLE : INVEPT_ALL,
	       p->eptp);
	invvpid(INVVPID_SINGLE, p->vpid);
	if (fresh) {
		memset(regs, 0, sizeof(*regs));
		regs->rdi = cmd;
		regs->rsi = TV_PAL_IN_VA;
		regs->rdx = p->in_len;
		regs->rcx = TV_PAL_OUT_VA;
		regs->r8 = p->out_cap;
		vmcs_write(GUEST_RIP, p->entry);
		vmcs_write(GUEST_RSP, TV_PAL_STACK_TOP);
		/*
		 * IF set: with external-interrupt exiting an interrupt exits
		 * whatever IF says (SDM 26.2), but with IF clear Bochs 2.7 never
		 * exited (the loop test hung).  The PAL cannot change IF: CPL 3,
		 * IOPL 0.
		 */
		vmcs_write(GUEST_RFLAGS, 0x202);
		vmcs_write(GUEST_INTERRUPTIBILITY_INFO, 0);
		vmcs_write(VM_ENTRY_INTR_INFO_FIELD, 0);
	} else {
		*regs = pal_ctx(p)->regs;
	}
	if (pc->vmx_errors != errors) {
		pc->vmx_errors = errors;
		pal_leave(pc, p, regs, false);
		return TV_E_VMCS;
	}
	barrier_ibpb();
	return 0;
}

/*
 * From a PAL exit (or a failed entry): Linux's VMCS, state and registers
 * back.  `save`: the call was interrupted; keep the PAL's registers and
 * extended state for the resume.  Otherwise nothing of them survives here.
 */
void pal_leave(struct per_cpu *pc, struct pal *p, struct guest_regs *regs, bool save)
{
	if (save) {
		pal_ctx(p)->regs = *regs;
		xsave(pal_page(p, PB_XSAVE), p->xcr0);
	}
	xsetbv0(pc->linux_xcr0);
	xrstor(pc->xsave_linux, pc->linux_rfbm);
	if (pc->pal_vmcs_pa)
		vmcs_clear(pc->pal_vmcs_pa);
	pc->pal = NULL;
	load_linux_vmcs(pc);
	*regs = pc->linux_regs;
	barrier_ibpb();
	pal_flush_for_linux();
}
