// SPDX-License-Identifier: GPL-2.0
/*
 * What Linux may see and touch, as allow-lists: the CPUID leaves and feature
 * bits it is shown, and the MSRs it may read or write, natively or through
 * the monitor.  Anything not listed is hidden (CPUID: zeros) or refused
 * (MSR: #GP, as for an MSR that does not exist).  Pure functions of their
 * inputs, so selftests/vmxroot tests them rule by rule.
 *
 * What must never be allowed: anything that lets Linux make the hardware
 * write memory behind the EPT's back (Intel PT output, PEBS/BTS through the
 * DS area, counters running into root mode), relocate something over the
 * monitor (the APIC base), or reconfigure VMX, SMX or SGX launch control.
 */
#include "vmxroot/vmxroot.h"
#include "vmxroot/processor.h"
#include "vmxroot/policy.h"

/* ---- CPUID ---- */

/* Leaf 1 ECX: every defined feature except DTES64 (2), DS-CPL (4), VMX (5), SMX (6). */
#define CPUID1_ECX_ALLOW	(0xffffffffU & ~((1U << 2) | (1U << 4) | (1U << 5) | (1U << 6) | \
					       (1U << 31)))
/* Leaf 1 EDX: every defined feature except DS (21: BTS/PEBS save area). */
#define CPUID1_EDX_ALLOW	(0xffffffffU & ~((1U << 10) | (1U << 20) | (1U << 21)))
/* Leaf 7.0 EBX: all but Intel PT (25). */
#define CPUID7_EBX_ALLOW	(0xffffffffU & ~(1U << 25))
/* Leaf 7.0 ECX: all but SGX launch control (30). */
#define CPUID7_ECX_ALLOW	(0xffffffffU & ~(1U << 30))
/* Leaf 0xD.1 ECX: supervisor state components, without PT (8). */
#define CPUIDD1_ECX_ALLOW	(0xffffffffU & ~(1U << 8))

#define X86_CR4_OSXSAVE_BIT	18
#define X86_CR4_PKE_BIT		22

/*
 * The basic and extended leaves Linux is shown (anything else, within range
 * or not, reads as zeros).  0x14 (PT) is not among them.
 */
static bool cpuid_leaf_allowed(u32 leaf)
{
	switch (leaf) {
	case 0x0 ... 0x7:
	case 0xa: case 0xb: case 0xd: case 0xf: case 0x10: case 0x12:
	case 0x15 ... 0x1a: case 0x1d: case 0x1e: case 0x1f:
	case 0x80000000 ... 0x80000008:
		return true;
	default:
		return false;
	}
}

/*
 * Filters a native CPUID answer for Linux.  guest_cr4 is the CR4 Linux
 * believes it has: CPUID.1:ECX.OSXSAVE and CPUID.7:ECX.OSPKE mirror it (the
 * native answer mirrors the monitor's own CR4).
 */
void cpuid_filter(u32 leaf, u32 sub, u64 guest_cr4, struct cpuid_regs *r)
{
	if (!cpuid_leaf_allowed(leaf)) {
		r->eax = r->ebx = r->ecx = r->edx = 0;
		return;
	}
	switch (leaf) {
	case 0x0:
		if (r->eax > 0x1f)
			r->eax = 0x1f;
		break;
	case 0x1:
		r->ecx &= CPUID1_ECX_ALLOW;
		r->ecx &= ~(1U << 27);
		if (guest_cr4 & (1ULL << X86_CR4_OSXSAVE_BIT))
			r->ecx |= 1U << 27;
		r->ecx |= 1U << 31;		/* a hypervisor is present */
		r->edx &= CPUID1_EDX_ALLOW;
		break;
	case 0x7:
		if (sub == 0) {
			r->ebx &= CPUID7_EBX_ALLOW;
			r->ecx &= CPUID7_ECX_ALLOW;
			r->ecx &= ~(1U << 4);
			if (guest_cr4 & (1ULL << X86_CR4_PKE_BIT))
				r->ecx |= 1U << 4;
		}
		break;
	case 0xd:
		if (sub == 1)
			r->ecx &= CPUIDD1_ECX_ALLOW;
		else if (sub == 8)	/* the PT state component */
			r->eax = r->ebx = r->ecx = r->edx = 0;
		break;
	case 0x80000000:
		if (r->eax > 0x80000008)
			r->eax = 0x80000008;
		break;
	}
}

/* ---- MSRs ---- */

struct msr_rule {
	u32 first, last;
	u8 cls;
};

/*
 * The allow-list.  MSR_PASS: neither direction exits (state the VMCS
 * switches, or Linux's alone).  MSR_READ: reads native, writes refused.
 * MSR_READ_WRITE: reads native, writes exit and are performed by the
 * monitor as given.  MSR_EMULATE: both exit; msr_write_check() decides.
 */
static const struct msr_rule msr_rules[] = {
	{ 0x10, 0x10, MSR_READ },		/* TSC: writes would move the monitor's too */
	{ 0x17, 0x17, MSR_READ },		/* PLATFORM_ID */
	{ 0x1b, 0x1b, MSR_EMULATE },		/* APIC_BASE: no relocation */
	{ 0x34, 0x34, MSR_READ },		/* SMI_COUNT */
	{ 0x3a, 0x3a, MSR_READ },		/* FEATURE_CONTROL: locked, never written */
	{ 0x3b, 0x3b, MSR_READ_WRITE },		/* TSC_ADJUST */
	{ 0x48, 0x49, MSR_PASS },		/* SPEC_CTRL, PRED_CMD */
	{ 0x8b, 0x8b, MSR_READ_WRITE },		/* microcode revision (written 0, then read) */
	{ 0xc1, 0xc8, MSR_PASS },		/* PMC0-7 */
	{ 0xce, 0xce, MSR_EMULATE },		/* PLATFORM_INFO: without CPUID faulting */
	{ 0xe1, 0xe1, MSR_PASS },		/* UMWAIT_CONTROL */
	{ 0xe7, 0xe8, MSR_READ },		/* MPERF, APERF */
	{ 0xfe, 0xfe, MSR_READ },		/* MTRRCAP */
	{ 0x10a, 0x10a, MSR_READ },		/* ARCH_CAPABILITIES */
	{ 0x10b, 0x10b, MSR_PASS },		/* FLUSH_CMD */
	{ 0x122, 0x123, MSR_READ_WRITE },	/* TSX_CTRL, MCU_OPT_CTRL */
	{ 0x174, 0x176, MSR_PASS },		/* SYSENTER_CS/ESP/EIP: in the VMCS */
	{ 0x179, 0x17a, MSR_READ },		/* MCG_CAP, MCG_STATUS */
	{ 0x186, 0x18d, MSR_PASS },		/* PERFEVTSEL0-7 */
	{ 0x198, 0x199, MSR_READ_WRITE },	/* PERF_STATUS, PERF_CTL */
	{ 0x19a, 0x19c, MSR_READ_WRITE },	/* CLOCK_MODULATION, THERM_INTERRUPT/STATUS */
	{ 0x1a0, 0x1a0, MSR_EMULATE },		/* MISC_ENABLE */
	{ 0x1a2, 0x1a2, MSR_READ },		/* TEMPERATURE_TARGET */
	{ 0x1ad, 0x1ad, MSR_READ },		/* TURBO_RATIO_LIMIT */
	{ 0x1b0, 0x1b1, MSR_READ_WRITE },	/* ENERGY_PERF_BIAS, PACKAGE_THERM_STATUS */
	{ 0x1b2, 0x1b2, MSR_READ_WRITE },	/* PACKAGE_THERM_INTERRUPT */
	{ 0x1c8, 0x1c9, MSR_PASS },		/* LBR_SELECT, LBR_TOS */
	{ 0x1d9, 0x1d9, MSR_EMULATE },		/* DEBUGCTL: in the VMCS, no BTS/trace */
	{ 0x1dd, 0x1de, MSR_PASS },		/* LER_FROM/TO */
	{ 0x200, 0x21f, MSR_READ_WRITE },	/* variable MTRRs */
	{ 0x250, 0x250, MSR_READ_WRITE },	/* fixed MTRRs */
	{ 0x258, 0x259, MSR_READ_WRITE },
	{ 0x268, 0x26f, MSR_READ_WRITE },
	{ 0x277, 0x277, MSR_PASS },		/* PAT: in the VMCS */
	{ 0x2ff, 0x2ff, MSR_READ_WRITE },	/* MTRR_DEF_TYPE */
	{ 0x309, 0x30c, MSR_PASS },		/* FIXED_CTR0-3 */
	{ 0x345, 0x345, MSR_READ },		/* PERF_CAPABILITIES */
	{ 0x38d, 0x38e, MSR_PASS },		/* FIXED_CTR_CTRL, PERF_GLOBAL_STATUS */
	{ 0x38f, 0x38f, MSR_EMULATE },		/* PERF_GLOBAL_CTRL: zero in root mode */
	{ 0x390, 0x390, MSR_PASS },		/* PERF_GLOBAL_OVF_CTRL */
	{ 0x3f1, 0x3f1, MSR_READ },		/* PEBS_ENABLE: never set (PEBS writes memory) */
	{ 0x400, 0x47f, MSR_READ_WRITE },	/* machine-check banks (MCi_CTL/STATUS/ADDR/MISC) */
	{ 0x600, 0x600, MSR_READ },		/* DS_AREA: never set (BTS/PEBS write memory) */
	{ 0x680, 0x6cf, MSR_PASS },		/* LBR_FROM/TO */
	{ 0x6e0, 0x6e0, MSR_PASS },		/* TSC_DEADLINE */
	{ 0x800, 0x8ff, MSR_PASS },		/* x2APIC: Linux's APIC, not relocatable */
	{ 0xda0, 0xda0, MSR_EMULATE },		/* XSS: without the PT component */
	{ 0xc0000080, 0xc0000080, MSR_PASS },	/* EFER: in the VMCS */
	{ 0xc0000081, 0xc0000084, MSR_PASS },	/* STAR, LSTAR, CSTAR, SFMASK */
	{ 0xc0000100, 0xc0000103, MSR_PASS },	/* FS/GS/KERNEL_GS base, TSC_AUX */
};

enum msr_class msr_class(u32 msr)
{
	for (size_t i = 0; i < TV_ARRAY_SIZE(msr_rules); i++)
		if (msr >= msr_rules[i].first && msr <= msr_rules[i].last)
			return (enum msr_class)msr_rules[i].cls;
	return MSR_DENY;
}

/* Visits every MSR of the bitmap's range with its class (for building it). */
void msr_for_each_rule(void (*fn)(u32 first, u32 last, enum msr_class cls))
{
	for (size_t i = 0; i < TV_ARRAY_SIZE(msr_rules); i++)
		fn(msr_rules[i].first, msr_rules[i].last, (enum msr_class)msr_rules[i].cls);
}

/* DEBUGCTL bits Linux may set: LBR, BTF, the freezes, RTM debug.  Not TR, BTS, BTINT. */
#define DEBUGCTL_ALLOW	((1ULL << 0) | (1ULL << 1) | (1ULL << 11) | (1ULL << 12) | \
			 (1ULL << 14) | (1ULL << 15))
/* MISC_ENABLE bits Linux may clear: limit-CPUID (22), XD disable (34). */
#define MISC_ENABLE_MAY_CLEAR	((1ULL << 22) | (1ULL << 34))
#define XSS_PT			(1ULL << 8)

/*
 * May Linux write `val` to an MSR of class MSR_EMULATE whose current value is
 * `cur`?  ctx carries what the decision needs besides the two values.
 */
bool msr_write_check(u32 msr, u64 cur, u64 val, const struct msr_ctx *ctx)
{
	switch (msr) {
	case 0x1b:	/* APIC_BASE: enable and mode may change, the base may not */
		return ((val ^ cur) & ~(APIC_BASE_X2APIC | APIC_BASE_ENABLE)) == 0;
	case 0xce:	/* PLATFORM_INFO is read-only */
		return false;
	case 0x1a0:
		return ((val ^ cur) & ~MISC_ENABLE_MAY_CLEAR) == 0 && !(val & ~cur);
	case 0x1d9:
		return !(val & ~DEBUGCTL_ALLOW);
	case 0x38f:
		return ctx->has_perf_global_ctrl && !(val & ~ctx->perf_global_ctrl_mask);
	case 0xda0:
		return ctx->has_xss && !(val & ~ctx->xss_supported) && !(val & XSS_PT);
	default:
		return false;
	}
}

/* What an emulated read returns, from the native value. */
u64 msr_read_filter(u32 msr, u64 native)
{
	if (msr == 0xce)
		return native & ~(1ULL << 31);	/* CPUID faulting is ours to hide */
	return native;
}

/* ---- XCR0 ---- */

#define XFEATURE_X87		(1ULL << 0)
#define XFEATURE_SSE		(1ULL << 1)
#define XFEATURE_AVX		(1ULL << 2)
#define XFEATURE_BNDREGS	(1ULL << 3)
#define XFEATURE_BNDCSR		(1ULL << 4)
#define XFEATURE_AVX512		(7ULL << 5)	/* opmask, ZMM_Hi256, Hi16_ZMM */
#define XFEATURE_AMX		(3ULL << 17)	/* XTILECFG, XTILEDATA */

/*
 * The SDM's rules for XCR0 (vol. 1, 13.3): x87 always; AVX needs SSE; MPX's
 * two components together; AVX-512's three together and with AVX; AMX's two
 * together; nothing the CPU does not support (which also keeps supervisor
 * components, which CPUID.0xD.0 never reports, out of XCR0).
 */
bool xcr0_valid(u64 v, u64 supported)
{
	if (!(v & XFEATURE_X87) || (v & ~supported))
		return false;
	if ((v & XFEATURE_AVX) && !(v & XFEATURE_SSE))
		return false;
	if (!(v & XFEATURE_BNDREGS) != !(v & XFEATURE_BNDCSR))
		return false;
	if ((v & XFEATURE_AVX512) && ((v & XFEATURE_AVX512) != XFEATURE_AVX512 ||
				      !(v & XFEATURE_AVX)))
		return false;
	if ((v & XFEATURE_AMX) && (v & XFEATURE_AMX) != XFEATURE_AMX)
		return false;
	return true;
}

/* ---- CR0 / CR4 ---- */

#define CR0_RESERVED_HI		0xffffffff00000000ULL

/*
 * Would a native MOV to CR0 of `v` fault?  (SDM vol. 3, MOV CR: #GP on
 * reserved high bits, PG without PE, NW without CD, clearing PG in long
 * mode, clearing WP with CET on.)  cr4 is Linux's view of CR4.
 */
bool cr0_write_valid(u64 v, u64 cr4, bool long_mode)
{
	if (v & CR0_RESERVED_HI)
		return false;
	if (long_mode && !(v & X86_CR0_PG))
		return false;
	if ((v & X86_CR0_PG) && !(v & X86_CR0_PE))
		return false;
	if ((v & X86_CR0_NW) && !(v & X86_CR0_CD))
		return false;
	if ((cr4 & X86_CR4_CET) && !(v & X86_CR0_WP))
		return false;
	return true;
}

/*
 * Would a native MOV to CR4 of `v` fault?  cur: Linux's view of CR4 now;
 * allowed: the bits this CPU supports in VMX operation, less what Linux is
 * not shown (VMXE, SMXE).  VMXE may stay as the module set it, never be set
 * anew.  cr0 and cr3 are Linux's view; long_mode is EFER.LMA.
 */
bool cr4_write_valid(u64 v, u64 cur, u64 allowed, u64 cr0, u64 cr3, bool long_mode)
{
	if (v & ~allowed & ~(cur & X86_CR4_VMXE))
		return false;
	if (long_mode && !(v & X86_CR4_PAE))
		return false;
	if (long_mode && ((v ^ cur) & X86_CR4_LA57))
		return false;
	if ((v & X86_CR4_PCIDE) && !(cur & X86_CR4_PCIDE) && (!long_mode || (cr3 & 0xfff)))
		return false;
	if ((v & X86_CR4_CET) && !(cr0 & X86_CR0_WP))
		return false;
	return true;
}
