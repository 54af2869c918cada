/* SPDX-License-Identifier: GPL-2.0 */
/* Privileged x86-64 instructions the monitor uses, as small inline wrappers. */
#ifndef TV_VMXROOT_PROCESSOR_H
#define TV_VMXROOT_PROCESSOR_H

#include "lib/base.h"

#define X86_CR0_PE		(1UL << 0)
#define X86_CR0_MP		(1UL << 1)
#define X86_CR0_ET		(1UL << 4)
#define X86_CR0_NE		(1UL << 5)
#define X86_CR0_WP		(1UL << 16)
#define X86_CR0_NW		(1UL << 29)
#define X86_CR0_CD		(1UL << 30)
#define X86_CR0_PG		(1UL << 31)
#define X86_CR4_PAE		(1UL << 5)
#define X86_CR4_PGE		(1UL << 7)
#define X86_CR4_VMXE		(1UL << 13)
#define X86_CR4_SMXE		(1UL << 14)
#define X86_CR4_MCE		(1UL << 6)
#define X86_CR4_LA57		(1UL << 12)
#define X86_CR4_FSGSBASE	(1UL << 16)
#define X86_CR4_PCIDE		(1UL << 17)
#define X86_CR4_OSXSAVE		(1UL << 18)
#define X86_CR4_SMEP		(1UL << 20)
#define X86_CR4_CET		(1UL << 23)
#define X86_RFLAGS_IF		(1UL << 9)

#define MSR_IA32_FEATURE_CONTROL	0x3a
#define FEATURE_CONTROL_LOCKED		(1ULL << 0)
#define FEATURE_CONTROL_VMX_OUTSIDE_SMX	(1ULL << 2)
#define MSR_IA32_APIC_BASE		0x1b
#define APIC_BASE_X2APIC		(1ULL << 10)
#define APIC_BASE_ENABLE		(1ULL << 11)
#define MSR_IA32_SMM_MONITOR_CTL	0x9b
#define MSR_IA32_MTRRCAP		0xfe
#define MSR_IA32_SYSENTER_CS		0x174
#define MSR_IA32_SYSENTER_ESP		0x175
#define MSR_IA32_SYSENTER_EIP		0x176
#define MSR_IA32_DEBUGCTL		0x1d9
#define MSR_IA32_MTRR_PHYSBASE0		0x200
#define MSR_IA32_MTRR_FIX64K_00000	0x250
#define MSR_IA32_MTRR_FIX16K_80000	0x258
#define MSR_IA32_MTRR_FIX16K_A0000	0x259
#define MSR_IA32_MTRR_FIX4K_C0000	0x268
#define MSR_IA32_PAT			0x277
#define MSR_IA32_MTRR_DEF_TYPE		0x2ff
#define MSR_IA32_VMX_BASIC		0x480
#define MSR_IA32_VMX_PINBASED_CTLS	0x481
#define MSR_IA32_VMX_PROCBASED_CTLS	0x482
#define MSR_IA32_VMX_EXIT_CTLS		0x483
#define MSR_IA32_VMX_ENTRY_CTLS		0x484
#define MSR_IA32_VMX_MISC		0x485
#define MSR_IA32_VMX_CR0_FIXED0		0x486
#define MSR_IA32_VMX_CR0_FIXED1		0x487
#define MSR_IA32_VMX_CR4_FIXED0		0x488
#define MSR_IA32_VMX_CR4_FIXED1		0x489
#define MSR_IA32_VMX_PROCBASED_CTLS2	0x48b
#define MSR_IA32_VMX_EPT_VPID_CAP	0x48c
#define MSR_IA32_VMX_TRUE_PINBASED_CTLS	0x48d
#define MSR_IA32_VMX_TRUE_PROCBASED_CTLS 0x48e
#define MSR_IA32_VMX_TRUE_EXIT_CTLS	0x48f
#define MSR_IA32_VMX_TRUE_ENTRY_CTLS	0x490
#define MSR_IA32_VMX_VMFUNC		0x491
#define MSR_IA32_MCG_STATUS		0x17a
#define MSR_IA32_PERF_GLOBAL_CTRL	0x38f
#define MSR_IA32_EFER			0xc0000080
#define EFER_LME			(1ULL << 8)
#define EFER_LMA			(1ULL << 10)
#define EFER_NX				(1ULL << 11)
#define MSR_FS_BASE			0xc0000100
#define MSR_GS_BASE			0xc0000101

struct cpuid_regs {
	u32 eax, ebx, ecx, edx;
};

/*
 * Exception fixups: an instruction that may fault in root mode (an MSR Linux
 * asked for) names where to continue; host_exception() looks it up.  Offsets
 * are PC-relative, so the image needs no relocation.
 */
struct ex_entry {
	s32 insn, fixup;
};

#define EX_TABLE(from, to)						\
	".pushsection __ex_table, \"a\"\n"				\
	".balign 4\n"							\
	".long (" #from ") - .\n"					\
	".long (" #to ") - .\n"						\
	".popsection\n"

#ifdef TV_HOST_TEST
/* Userspace unit tests of monitor logic supply these (selftests/vmxroot). */
void cpuid_count(u32 leaf, u32 sub, struct cpuid_regs *r);
u64 rdmsr(u32 msr);
void wrmsr(u32 msr, u64 val);
bool rdmsr_safe(u32 msr, u64 *val);
bool wrmsr_safe(u32 msr, u64 val);
#else
static inline void cpuid_count(u32 leaf, u32 sub, struct cpuid_regs *r)
{
	asm volatile("cpuid"
		     : "=a"(r->eax), "=b"(r->ebx), "=c"(r->ecx), "=d"(r->edx)
		     : "a"(leaf), "c"(sub));
}

static inline u64 rdmsr(u32 msr)
{
	u32 lo, hi;

	asm volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((u64)hi << 32) | lo;
}

static inline void wrmsr(u32 msr, u64 val)
{
	asm volatile("wrmsr" : : "c"(msr), "a"((u32)val), "d"((u32)(val >> 32)) : "memory");
}

/* RDMSR/WRMSR that return false on #GP instead of faulting the monitor. */
static inline bool rdmsr_safe(u32 msr, u64 *val)
{
	u32 lo = 0, hi = 0;
	bool ok = true;

	asm volatile("1: rdmsr\n"
		     "2:\n"
		     ".pushsection .text.fixup, \"ax\"\n"
		     "3: movb $0, %2\n"
		     "   jmp 2b\n"
		     ".popsection\n"
		     EX_TABLE(1b, 3b)
		     : "+a"(lo), "+d"(hi), "+qm"(ok) : "c"(msr));
	*val = ((u64)hi << 32) | lo;
	return ok;
}

static inline bool wrmsr_safe(u32 msr, u64 val)
{
	bool ok = true;

	asm volatile("1: wrmsr\n"
		     "2:\n"
		     ".pushsection .text.fixup, \"ax\"\n"
		     "3: movb $0, %0\n"
		     "   jmp 2b\n"
		     ".popsection\n"
		     EX_TABLE(1b, 3b)
		     : "+qm"(ok) : "c"(msr), "a"((u32)val), "d"((u32)(val >> 32)) : "memory");
	return ok;
}
#endif

#define DEFINE_READ_CR(n)						\
static inline u64 read_cr##n(void)					\
{									\
	u64 v;								\
	asm volatile("mov %%cr" #n ", %0" : "=r"(v));			\
	return v;							\
}
DEFINE_READ_CR(0)
DEFINE_READ_CR(2)
DEFINE_READ_CR(3)
DEFINE_READ_CR(4)

static inline void write_cr2(u64 v)
{
	asm volatile("mov %0, %%cr2" : : "r"(v) : "memory");
}

static inline u64 read_dr7(void)
{
	u64 v;

	asm volatile("mov %%dr7, %0" : "=r"(v));
	return v;
}

static inline u64 read_rflags(void)
{
	u64 v;

	asm volatile("pushfq; popq %0" : "=r"(v));
	return v;
}

struct __attribute__((packed)) desc_ptr {
	u16 limit;
	u64 base;
};

static inline void store_gdt(struct desc_ptr *p)
{
	asm volatile("sgdt %0" : "=m"(*p));
}

static inline void store_idt(struct desc_ptr *p)
{
	asm volatile("sidt %0" : "=m"(*p));
}

#define DEFINE_READ_SEG(name, insn)					\
static inline u16 read_##name(void)					\
{									\
	u16 v;								\
	asm volatile(insn " %0" : "=r"(v));				\
	return v;							\
}
DEFINE_READ_SEG(cs, "mov %%cs,")
DEFINE_READ_SEG(ss, "mov %%ss,")
DEFINE_READ_SEG(ds, "mov %%ds,")
DEFINE_READ_SEG(es, "mov %%es,")
DEFINE_READ_SEG(fs, "mov %%fs,")
DEFINE_READ_SEG(gs, "mov %%gs,")
DEFINE_READ_SEG(tr, "str")
DEFINE_READ_SEG(ldtr, "sldt")

static inline void outb(u16 port, u8 v)
{
	asm volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline u8 inb(u16 port)
{
	u8 v;

	asm volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline u64 rdtsc(void)
{
	u32 lo, hi;

	asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((u64)hi << 32) | lo;
}

static inline void cpu_relax(void)
{
	asm volatile("pause" ::: "memory");
}

#endif
