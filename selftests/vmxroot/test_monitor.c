// SPDX-License-Identifier: GPL-2.0
/*
 * Monitor logic that needs no VMX, run in userspace: MTRR-derived memory
 * types, the EPT the monitor builds (identity, largest uniform pages, monitor
 * memory absent), XCR0 validation, and the bounds check on hypercall buffers.
 * The monitor sources are compiled in directly, with MSRs and CPUID faked.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include "selftests/tap.h"
#include "vmxroot/paging.c"
#include "vmxroot/guest.c"
#include "vmxroot/exit.c"
#include "vmxroot/io.c"
#include "vmxroot/msr.c"
#include "vmxroot/policy.c"

struct monitor monitor;

void tv_log(const char *fmt, ...) { (void)fmt; }
void tv_fatal(const char *fmt, ...) { (void)fmt; }
void unblock_nmis(void) { }
bool rdmsr_safe(u32 msr, u64 *val) { *val = rdmsr(msr); return true; }
bool wrmsr_safe(u32 msr, u64 val) { wrmsr(msr, val); return true; }
u64 perf_global_ctrl_guest(void) { return 0; }
const struct ex_entry __ex_table_start[1], __ex_table_end[1];
void perf_global_ctrl_set_guest(u64 val) { (void)val; }
bool rendezvous_nmi(struct per_cpu *pc) { (void)pc; return false; }
int leave_check(struct per_cpu *pc) { (void)pc; return 0; }
int monitor_activate(void) { return 0; }
long secrets_identity(u64 gpa) { (void)gpa; return TV_E_STATE; }
long tpm_hypercall(u64 gpa) { (void)gpa; return TV_E_STATE; }
long tpm_counters_hypercall(u64 gpa) { (void)gpa; return TV_E_STATE; }
void apic_init_reset(void) { }
/* The PAL side is exercised in the VMX lane; here exit.c only links to it. */
long pal_hypercall(struct per_cpu *pc, struct guest_regs *r, bool *enter_pal)
{ (void)pc; (void)r; (void)enter_pal; return TV_E_NOSYS; }
int pal_handle_exit(struct per_cpu *pc, struct guest_regs *regs, u32 full)
{ (void)pc; (void)regs; (void)full; return 0; }
void pal_finish(struct per_cpu *pc, struct guest_regs *regs, const struct pal_fault *f,
		s32 status, u32 out_len)
{ (void)pc; (void)regs; (void)f; (void)status; (void)out_len; }
u64 pal_denied_add(void) { return 0; }
bool shootdown_nmi(struct per_cpu *pc) { (void)pc; return false; }
void ept_sync_local(struct per_cpu *pc) { (void)pc; }
static int leave_requests;
void leave_request(struct per_cpu *pc, const char *why, bool reset)
{
	(void)pc; (void)why; (void)reset;
	leave_requests++;
}
void vmx_insn_failed(const char *insn, u32 field, const char *caller)
{
	(void)insn; (void)field; (void)caller;
}

/* ---- fake CPU ---- */

static u64 fake_msr[0x1000];
static u64 xcr0_supported = 0xe7;

u64 rdmsr(u32 msr)
{
	return msr < 0x1000 ? fake_msr[msr] : 0;
}

void wrmsr(u32 msr, u64 val)
{
	if (msr < 0x1000)
		fake_msr[msr] = val;
}

void cpuid_count(u32 leaf, u32 sub, struct cpuid_regs *r)
{
	(void)sub;
	memset(r, 0, sizeof(*r));
	if (leaf == 0xd) {
		r->eax = (u32)xcr0_supported;
		r->edx = (u32)(xcr0_supported >> 32);
	}
}

#define GB (1ULL << 30)
#define MB (1ULL << 20)

static void set_var_mtrr(int i, u64 base, u64 size, u8 type)
{
	u64 physmask = (1ULL << monitor.caps.maxphyaddr) - 1;

	fake_msr[MSR_IA32_MTRR_PHYSBASE0 + 2 * i] = base | type;
	fake_msr[MSR_IA32_MTRR_PHYSBASE0 + 2 * i + 1] = (~(size - 1) & physmask) | (1 << 11);
}

/* A typical firmware layout, with overlaps to exercise the combination rules. */
static void setup_mtrrs(void)
{
	memset(fake_msr, 0, sizeof(fake_msr));
	monitor.caps.maxphyaddr = 39;
	fake_msr[MSR_IA32_MTRRCAP] = 8;
	fake_msr[MSR_IA32_MTRR_DEF_TYPE] = (1 << 11) | (1 << 10) | MT_UC;
	fake_msr[MSR_IA32_MTRR_FIX64K_00000] = 0x0606060606060606ULL;
	fake_msr[MSR_IA32_MTRR_FIX16K_80000] = 0x0606060606060606ULL;
	fake_msr[MSR_IA32_MTRR_FIX16K_A0000] = 0;
	for (u32 m = MSR_IA32_MTRR_FIX4K_C0000; m < MSR_IA32_MTRR_FIX4K_C0000 + 8; m++)
		fake_msr[m] = 0x0505050505050505ULL;
	set_var_mtrr(0, 0, 2 * GB, MT_WB);
	set_var_mtrr(1, 1 * GB, 1 * GB, MT_WT);
	set_var_mtrr(2, 1536 * MB, 512 * MB, MT_UC);
}

static void test_mtrr(void)
{
	setup_mtrrs();
	tap_ok(mtrr_type(0, SZ_4K) == MT_WB, "MTRR: 0 is WB (fixed 64K range)");
	tap_ok(mtrr_type(0xa0000, SZ_4K) == MT_UC, "MTRR: 0xa0000 is UC (fixed 16K range)");
	tap_ok(mtrr_type(0xc8000, SZ_4K) == 5, "MTRR: 0xc8000 is WP (fixed 4K range)");
	tap_ok(mtrr_type(0, SZ_2M) == MT_MIXED, "MTRR: the first 2M is mixed (fixed ranges inside)");
	tap_ok(mtrr_type(MB, SZ_4K) == MT_WB, "MTRR: 1M is WB (variable)");
	tap_ok(mtrr_type(GB, SZ_2M) == MT_WT, "MTRR: WB and WT overlapping give WT");
	tap_ok(mtrr_type(1536 * MB, SZ_2M) == MT_UC, "MTRR: UC overlapping WB and WT gives UC");
	tap_ok(mtrr_type(GB, SZ_1G) == MT_MIXED, "MTRR: a 1G block holding a 512M range is mixed");
	tap_ok(mtrr_type(3 * GB, SZ_1G) == MT_UC, "MTRR: above all ranges: the default type");
	fake_msr[MSR_IA32_MTRR_DEF_TYPE] = MT_WB;	/* E clear */
	tap_ok(mtrr_type(0, SZ_4K) == MT_UC && mtrr_type(4 * GB, SZ_1G) == MT_UC,
	       "MTRR: disabled MTRRs mean UC everywhere");
}

/* ---- EPT ---- */

#define REGION_PAGES	(64 + TV_POOL_PAGES)
#define FAKE_PHYS	(0x1fa00000ULL + 0x3000)	/* not 2M aligned on purpose */

static u8 *region;

static u64 ept_lookup(u64 gpa, u64 *size)
{
	return ept_leaf(monitor.eptp, gpa, size);
}

/* A pointer to the leaf entry for gpa in the monitor's EPT, to tamper with. */
static u64 *ept_leaf_entry(u64 gpa)
{
	u64 *t = (u64 *)(monitor.virt + ((monitor.eptp & ADDR_MASK) - monitor.phys));

	for (int level = 3; level >= 0; level--) {
		u64 *e = &t[(gpa >> (12 + 9 * level)) & 511];

		if (!(*e & EPT_RWX))
			return NULL;
		if (level == 0 || (*e & EPT_LEAF))
			return e;
		t = (u64 *)(monitor.virt + ((*e & ADDR_MASK) - monitor.phys));
	}
	return NULL;
}

/*
 * A machine as Linux's resource tree describes it: RAM below the 32-bit
 * hole and above 4 GiB, MMIO windows in the hole, firmware at 0xf0000, a
 * 64-bit PCI window above 512 GiB, and gaps nothing describes.
 */
static const struct tv_mem_range machine[] = {
	{ 0x1000, 0x9fc00, TV_RANGE_RAM, 0 },		/* low RAM, ending inside a page */
	{ 0xa0000, 0xc0000, TV_RANGE_OTHER, 0 },		/* legacy VGA window */
	{ 0xf0000, 0x100000, TV_RANGE_OTHER, 0 },		/* system ROM */
	{ 0x100000, 2 * GB, TV_RANGE_RAM, 0 },
	{ 3 * GB, 4 * GB, TV_RANGE_OTHER, 0 },		/* 32-bit PCI window */
	{ 4 * GB, 6 * GB, TV_RANGE_RAM, 0 },
	{ 600 * GB, 601 * GB, TV_RANGE_OTHER, 0 },		/* 64-bit BARs, above 512 GiB */
};

static void ept_setup(u64 caps)
{
	memset(region, 0, REGION_PAGES * PAGE_SIZE);
	monitor.virt = (u64)region;
	monitor.phys = FAKE_PHYS;
	monitor.mem_size = REGION_PAGES * PAGE_SIZE;
	pool_init(monitor.virt + 64 * PAGE_SIZE, TV_POOL_PAGES);
	memcpy(monitor.params.ranges, machine, sizeof(machine));
	monitor.params.nr_ranges = TV_ARRAY_SIZE(machine);
	monitor.caps.ept_vpid = caps;
	setup_mtrrs();
	monitor.caps.maxphyaddr = 46;
}

static void test_ept(void)
{
	u64 size, e, bad = 0, big = 0;

	ept_setup(EPT_CAP_1G | EPT_CAP_2M);
	int ret = ept_init();

	tap_ok(ret == 0, "EPT: built from the pool (ret %d, %lu pages used)", ret,
	       (unsigned long)pool_used());
	tap_ok((monitor.eptp & 0xfff) == 0x1e, "EPT: EPTP has a 4-level walk, WB tables");
	for (u64 pa = FAKE_PHYS; pa < FAKE_PHYS + monitor.mem_size; pa += PAGE_SIZE)
		bad += ept_lookup(pa, &size) != 0;
	tap_ok(!bad, "EPT: all %d monitor pages absent (%llu present)", REGION_PAGES,
	       (unsigned long long)bad);
	e = ept_lookup(FAKE_PHYS - PAGE_SIZE, &size);
	tap_ok(e && size == SZ_4K && (e & ADDR_MASK) == FAKE_PHYS - PAGE_SIZE &&
	       ((e >> 3) & 7) == MT_WB, "EPT: the page below the monitor is mapped 4K WB identity");
	e = ept_lookup(FAKE_PHYS + monitor.mem_size, &size);
	tap_ok(e && size == SZ_4K, "EPT: the page above the monitor is mapped");
	e = ept_lookup(0xa0000, &size);
	tap_ok(e && size == SZ_4K && ((e >> 3) & 7) == MT_UC, "EPT: legacy VGA window is 4K UC");
	tap_ok(ept_lookup(0x9f000, &size) && !ept_lookup(0xc0000, &size) && !ept_lookup(0, &size),
	       "EPT: a page RAM ends inside is mapped; 0xc0000 and page 0 (undescribed) are not");
	e = ept_lookup(GB + 4 * MB, &size);
	tap_ok(e && size == SZ_2M && ((e >> 3) & 7) == MT_WT, "EPT: 1G+4M is a 2M WT page");
	e = ept_lookup(3 * GB + 5, &size);
	tap_ok(e && size == SZ_1G && ((e >> 3) & 7) == MT_UC && (e & ADDR_MASK) == 3 * GB,
	       "EPT: the 32-bit PCI window is a 1G UC identity page");
	tap_ok(!ept_lookup(2 * GB, &size) && !ept_lookup(6 * GB, &size) &&
	       !ept_lookup(512 * GB, &size), "EPT: undescribed gaps (2-3 GiB, 6 GiB, 512 GiB) unmapped");
	e = ept_lookup(600 * GB + 4096, &size);
	tap_ok(e && (e & ADDR_MASK) == 600 * GB && !ept_lookup(601 * GB, &size),
	       "EPT: a PCI window above 512 GiB is mapped, and nothing after it");
	bad = 0;
	for (u64 pa = 0x100000; pa < 6 * GB; pa += 4093 * PAGE_SIZE + 17) {
		bool described = pa < 2 * GB || pa >= 3 * GB;

		e = ept_lookup(pa, &size);
		if (in_monitor(pa, 1) || !described ? e != 0 :
		    (!e || (e & ADDR_MASK) != (pa & ~(size - 1))))
			bad++;
	}
	tap_ok(!bad, "EPT: identity over every described range, nothing elsewhere (%llu wrong)",
	       (unsigned long long)bad);

	ept_setup(EPT_CAP_2M);
	tap_ok(ept_init() == 0 && (e = ept_lookup(3 * GB, &size)) && size == SZ_2M,
	       "EPT without 1 GiB pages: 2M leaves only");
	ept_setup(0);
	ret = ept_init();
	for (u64 pa = 0x100000; pa < 6 * GB; pa += 64 * MB + 4096)
		if (ept_lookup(pa, &size) && size != SZ_4K)
			big++;
	tap_ok(ret == TV_E_NOMEM && !big,
	       "EPT without 2 MiB pages: 4K leaves only, and a pool too small is an error (%d)", ret);
	ept_setup(EPT_CAP_1G | EPT_CAP_2M);
	pool_init(monitor.virt + 64 * PAGE_SIZE, 2);
	tap_ok(ept_init() == TV_E_NOMEM, "EPT: an exhausted pool is an error, not a crash");
}

/* ---- XCR0: each refusal breaks exactly one rule, everything else valid ---- */

#define ALL_XCR0	0x602ffULL	/* x87..AVX-512, PKRU, AMX: every user component */

static const struct { u64 v, supported; bool ok; const char *what; } xcr0_cases[] = {
	{ 0x1, ALL_XCR0, true, "x87 only" },
	{ 0x3, ALL_XCR0, true, "x87+SSE" },
	{ 0x7, ALL_XCR0, true, "x87+SSE+AVX" },
	{ 0x1f, ALL_XCR0, true, "with both MPX components" },
	{ 0xe7, ALL_XCR0, true, "with all of AVX-512" },
	{ 0x60007, ALL_XCR0, true, "with both AMX components" },
	{ 0x2, ALL_XCR0, false, "rule x87: SSE without x87" },
	{ 0x5, ALL_XCR0, false, "rule AVX needs SSE" },
	{ 0xb, ALL_XCR0, false, "rule MPX pair: BNDREGS alone" },
	{ 0x13, ALL_XCR0, false, "rule MPX pair: BNDCSR alone" },
	{ 0x67, ALL_XCR0, false, "rule AVX-512 triple: two of three" },
	{ 0xe3, ALL_XCR0, false, "rule AVX-512 needs AVX" },
	{ 0x20007, ALL_XCR0, false, "rule AMX pair: TILECFG alone" },
	{ 0x40007, ALL_XCR0, false, "rule AMX pair: TILEDATA alone" },
	{ 0x7, 0x3, false, "rule supported: AVX not supported" },
	{ 0x103, ALL_XCR0, false, "rule supported: PT (a supervisor component)" },
};

static void test_xcr0(void)
{
	for (size_t i = 0; i < TV_ARRAY_SIZE(xcr0_cases); i++)
		tap_ok(xcr0_valid(xcr0_cases[i].v, xcr0_cases[i].supported) == xcr0_cases[i].ok,
		       "XSETBV %#llx (%s) %s", (unsigned long long)xcr0_cases[i].v,
		       xcr0_cases[i].what, xcr0_cases[i].ok ? "accepted" : "refused");
}

/* ---- CR0 / CR4 writes: the #GP rules ---- */

#define LINUX_CR0	(X86_CR0_PG | X86_CR0_WP | X86_CR0_NE | X86_CR0_ET | X86_CR0_MP | X86_CR0_PE)
#define LINUX_CR4	(X86_CR4_PAE | X86_CR4_PGE | X86_CR4_OSXSAVE | X86_CR4_VMXE)
#define CR4_ALLOWED	0x3f7fffULL	/* a CPU's CR4_FIXED1, bits 0-21 but 15 */

static const struct { u64 v, cr4; bool lm, ok; const char *what; } cr0_cases[] = {
	{ LINUX_CR0, LINUX_CR4, true, true, "Linux's usual CR0" },
	{ LINUX_CR0 | (1ULL << 32), LINUX_CR4, true, false, "rule reserved: bit 32" },
	{ (LINUX_CR0 & ~X86_CR0_PE & ~X86_CR0_PG) | X86_CR0_PG, LINUX_CR4, false, false,
	  "rule PG needs PE (outside long mode)" },
	{ LINUX_CR0 | X86_CR0_NW, LINUX_CR4, true, false, "rule NW needs CD" },
	{ LINUX_CR0 & ~X86_CR0_PG & ~X86_CR0_PE, LINUX_CR4, true, false,
	  "rule long mode keeps PG" },
	{ LINUX_CR0 & ~X86_CR0_WP, LINUX_CR4 | X86_CR4_CET, true, false, "rule CET needs WP (CR0)" },
	{ LINUX_CR0 & ~X86_CR0_WP, LINUX_CR4, true, true, "WP clear without CET" },
};

static const struct { u64 v, cur, cr0, cr3; bool lm, ok; const char *what; } cr4_cases[] = {
	{ LINUX_CR4, LINUX_CR4, LINUX_CR0, 0x1000, true, true, "Linux's usual CR4" },
	{ LINUX_CR4 & ~X86_CR4_VMXE, LINUX_CR4, LINUX_CR0, 0x1000, true, true, "VMXE cleared" },
	{ LINUX_CR4 | (1ULL << 15), LINUX_CR4, LINUX_CR0, 0x1000, true, false,
	  "rule reserved: bit 15 (not in CR4_FIXED1)" },
	{ LINUX_CR4, LINUX_CR4 & ~X86_CR4_VMXE, LINUX_CR0, 0x1000, true, false,
	  "rule VMXE: set anew" },
	{ LINUX_CR4 | X86_CR4_SMXE, LINUX_CR4, LINUX_CR0, 0x1000, true, false,
	  "rule SMXE: SMX is not shown" },
	{ LINUX_CR4 & ~X86_CR4_PAE, LINUX_CR4, LINUX_CR0, 0x1000, true, false,
	  "rule long mode keeps PAE" },
	{ LINUX_CR4 | X86_CR4_LA57, LINUX_CR4, LINUX_CR0, 0x1000, true, false,
	  "rule LA57 fixed in long mode" },
	{ LINUX_CR4 | X86_CR4_PCIDE, LINUX_CR4, LINUX_CR0, 0x1005, true, false,
	  "rule PCIDE needs CR3[11:0] = 0" },
	{ LINUX_CR4 | X86_CR4_PCIDE, LINUX_CR4, LINUX_CR0, 0x1000, false, false,
	  "rule PCIDE needs long mode" },
	{ LINUX_CR4 | X86_CR4_PCIDE, LINUX_CR4, LINUX_CR0, 0x1000, true, true, "PCIDE set properly" },
	{ LINUX_CR4 | X86_CR4_CET, LINUX_CR4, LINUX_CR0 & ~X86_CR0_WP, 0x1000, true, false,
	  "rule CET needs WP (CR4)" },
};

static void test_cr(void)
{
	u64 allowed = (CR4_ALLOWED | X86_CR4_CET | X86_CR4_LA57) & ~(X86_CR4_VMXE | X86_CR4_SMXE);

	for (size_t i = 0; i < TV_ARRAY_SIZE(cr0_cases); i++)
		tap_ok(cr0_write_valid(cr0_cases[i].v, cr0_cases[i].cr4, cr0_cases[i].lm) ==
		       cr0_cases[i].ok, "MOV CR0 %#llx (%s) %s", (unsigned long long)cr0_cases[i].v,
		       cr0_cases[i].what, cr0_cases[i].ok ? "accepted" : "#GP");
	for (size_t i = 0; i < TV_ARRAY_SIZE(cr4_cases); i++)
		tap_ok(cr4_write_valid(cr4_cases[i].v, cr4_cases[i].cur, allowed, cr4_cases[i].cr0,
				       cr4_cases[i].cr3, cr4_cases[i].lm) == cr4_cases[i].ok,
		       "MOV CR4 %#llx (%s) %s", (unsigned long long)cr4_cases[i].v,
		       cr4_cases[i].what, cr4_cases[i].ok ? "accepted" : "#GP");
}

/* ---- CPUID policy ---- */

static void cpuid_all_ones(u32 leaf, u32 sub, u64 cr4, struct cpuid_regs *r)
{
	r->eax = r->ebx = r->ecx = r->edx = ~0U;
	cpuid_filter(leaf, sub, cr4, r);
}

static void test_cpuid(void)
{
	struct cpuid_regs r;

	cpuid_all_ones(1, 0, 0, &r);
	tap_ok(!(r.ecx & (1U << 5)) && !(r.ecx & (1U << 6)),
	       "CPUID.1: VMX and SMX hidden (ecx %08x)", r.ecx);
	tap_ok(!(r.ecx & (1U << 2)) && !(r.ecx & (1U << 4)) && !(r.edx & (1U << 21)),
	       "CPUID.1: DS, DTES64, DS-CPL hidden (BTS/PEBS write memory)");
	tap_ok(r.ecx & (1U << 31), "CPUID.1: hypervisor bit set");
	tap_ok(!(r.ecx & (1U << 27)), "CPUID.1: OSXSAVE clear when Linux's CR4 has it clear");
	cpuid_all_ones(1, 0, X86_CR4_OSXSAVE, &r);
	tap_ok(r.ecx & (1U << 27), "CPUID.1: OSXSAVE set when Linux's CR4 has it");
	cpuid_all_ones(7, 0, 0, &r);
	tap_ok(!(r.ebx & (1U << 25)) && !(r.ecx & (1U << 30)) && (r.ebx & (1U << 2)),
	       "CPUID.7: Intel PT and SGX launch control hidden, SGX itself shown");
	tap_ok(!(r.ecx & (1U << 4)), "CPUID.7: OSPKE mirrors Linux's CR4.PKE");
	cpuid_all_ones(0x14, 0, 0, &r);
	tap_ok(!r.eax && !r.ebx && !r.ecx && !r.edx, "CPUID.0x14 (Intel PT) reads as zeros");
	cpuid_all_ones(0xd, 1, 0, &r);
	tap_ok(!(r.ecx & (1U << 8)), "CPUID.0xD.1: the PT supervisor component hidden");
	cpuid_all_ones(0xd, 8, 0, &r);
	tap_ok(!r.eax && !r.ebx, "CPUID.0xD.8: the PT component's size hidden");
	cpuid_all_ones(0x9, 0, 0, &r);
	tap_ok(!r.eax && !r.ebx && !r.ecx && !r.edx, "CPUID.0x9 (not on the allow-list): zeros");
	cpuid_all_ones(0, 0, 0, &r);
	tap_ok(r.eax == 0x1f, "CPUID.0: the highest basic leaf is clamped to 0x1f (%#x)", r.eax);
}

/* ---- MSR policy and bitmap ---- */

static bool bitmap_bit(u32 off, u32 msr)
{
	const u8 *bm = msr_bitmap;
	u32 base = msr >= 0xc0000000 ? 1024 : 0, bit = msr & 0x1fff;

	return bm[off + base + bit / 8] & (1 << (bit % 8));
}

#define RD_EXITS(m) bitmap_bit(0, m)
#define WR_EXITS(m) bitmap_bit(2048, m)

static void test_msr(void)
{
	struct msr_ctx ctx = { .has_perf_global_ctrl = true, .perf_global_ctrl_mask = 0x70000000fULL,
			       .has_xss = true, .xss_supported = 0x1900 };
	struct msr_ctx none = { 0 };
	u64 apic = 0xfee00000ULL | APIC_BASE_ENABLE;

	msr_bitmap_init();
	tap_ok(msr_class(0x3a) == MSR_READ && !RD_EXITS(0x3a) && WR_EXITS(0x3a),
	       "MSR FEATURE_CONTROL: readable, every write exits and is refused");
	tap_ok(msr_class(0x480) == MSR_DENY && RD_EXITS(0x480) && WR_EXITS(0x480) &&
	       msr_class(0x491) == MSR_DENY, "MSR VMX capabilities: not on the allow-list (#GP)");
	tap_ok(msr_class(0x570) == MSR_DENY && msr_class(0x560) == MSR_DENY &&
	       msr_class(0x571) == MSR_DENY && msr_class(0x580) == MSR_DENY,
	       "MSR IA32_RTIT_* (Intel PT): refused");
	tap_ok(msr_class(0x600) == MSR_READ && msr_class(0x3f1) == MSR_READ && WR_EXITS(0x600) &&
	       WR_EXITS(0x3f1), "MSR DS_AREA, PEBS_ENABLE: writes refused");
	tap_ok(msr_class(0x1b) == MSR_EMULATE && RD_EXITS(0x1b) && WR_EXITS(0x1b),
	       "MSR APIC_BASE: both directions exit");
	tap_ok(!msr_write_check(0x1b, apic, apic + 0x1000, &ctx),
	       "MSR APIC_BASE: moving the base is refused");
	tap_ok(msr_write_check(0x1b, apic, apic | APIC_BASE_X2APIC, &ctx),
	       "MSR APIC_BASE: switching to x2APIC at the same base is allowed");
	tap_ok(!msr_write_check(0x1d9, 0, 1ULL << 7, &ctx) && !msr_write_check(0x1d9, 0, 1ULL << 6, &ctx),
	       "MSR DEBUGCTL: BTS and TR (trace messages) refused");
	tap_ok(msr_write_check(0x1d9, 0, 1, &ctx), "MSR DEBUGCTL: LBR allowed");
	tap_ok(!msr_write_check(0x38f, 0, 1, &none) && !msr_write_check(0x38f, 0, 1ULL << 40, &ctx) &&
	       msr_write_check(0x38f, 0, 0x700000003ULL, &ctx),
	       "MSR PERF_GLOBAL_CTRL: only its defined bits, and only where it is switched");
	tap_ok(!msr_write_check(0xda0, 0, 1ULL << 8, &ctx) && msr_write_check(0xda0, 0, 1ULL << 11, &ctx),
	       "MSR XSS: the PT component refused, others supported allowed");
	tap_ok(!msr_write_check(0x1a0, 1, 1 | (1ULL << 38), &ctx) &&
	       msr_write_check(0x1a0, 1 | (1ULL << 22), 1, &ctx),
	       "MSR MISC_ENABLE: only limit-CPUID/XD-disable may be cleared");
	tap_ok(msr_read_filter(0xce, ~0ULL) == ~(1ULL << 31),
	       "MSR PLATFORM_INFO: CPUID faulting hidden");
	tap_ok(msr_class(0x40000000) == MSR_DENY && msr_class(0xc0002000) == MSR_DENY &&
	       msr_class(0x9b) == MSR_DENY, "MSRs outside the list (hypervisor range, SMM_MONITOR_CTL): #GP");
	tap_ok(!RD_EXITS(0xc0000100) && !WR_EXITS(0xc0000100) && !RD_EXITS(0x6e0) && !WR_EXITS(0x6e0),
	       "MSR FS_BASE, TSC_DEADLINE: native both ways (no exits)");
	tap_ok(!RD_EXITS(0x10) && WR_EXITS(0x10), "MSR TSC: reads native, writes refused");
}

/* ---- reset ports ---- */

static void test_reset_ports(void)
{
	monitor.params.fadt_reset_port = 0xb2;
	monitor.params.fadt_reset_value = 0x0e;
	tap_ok(io_is_reset(0xcf9, 1, 0x06) && io_is_reset(0xcf9, 1, 0x0e) && !io_is_reset(0xcf9, 1, 0x02),
	       "port 0xCF9: RST_CPU is a reset, SYS_RST alone is not");
	tap_ok(!io_is_reset(0xcf8, 4, 0x80000600), "port 0xCF8 (PCI config address, dword) is not a reset");
	tap_ok(io_is_reset(0x64, 1, 0xfe) && io_is_reset(0x64, 1, 0xf0) && !io_is_reset(0x64, 1, 0xff) &&
	       !io_is_reset(0x64, 1, 0xd1), "port 0x64: pulse commands with bit 0 clear reset");
	tap_ok(io_is_reset(0xb2, 1, 0x0e) && !io_is_reset(0xb2, 1, 0x0f),
	       "the FADT reset port with its reset value is a reset");
	monitor.params.fadt_reset_port = 0;
	tap_ok(!io_is_reset(0xb2, 1, 0x0e), "no FADT reset port: nothing else is a reset");
}

/* ---- hypercall buffers ---- */

/*
 * Guest RAM for these tests: a page mapped at a low fixed address, so that
 * its address is both a guest-physical address inside the EPT and a pointer.
 */
#define TEST_GPA	0x40000000ULL

/* One RAM range, [TEST_GPA, end), as the module would describe it. */
static void set_ram(u64 end)
{
	monitor.params.ranges[0] = (struct tv_mem_range){ TEST_GPA, end, TV_RANGE_RAM, 0 };
	monitor.params.nr_ranges = 1;
}

static void test_copy_to_guest(void)
{
	u8 *page = mmap((void *)TEST_GPA, 2 * PAGE_SIZE, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	u64 src[4] = { 1, 2, 3, 4 }, size, *leaf;
	u64 gpa = TEST_GPA;

	if (page != (u8 *)TEST_GPA) {
		for (int i = 0; i < 7; i++)
			tap_ok(0, "hypercall buffer: cannot map the test page at %#llx", TEST_GPA);
		return;
	}
	ept_setup(EPT_CAP_2M);
	ept_init();
	set_ram(TEST_GPA + PAGE_SIZE);	/* the second page is past RAM */
	tap_ok(copy_to_guest(monitor.eptp, gpa, src, sizeof(src)) == 0 && !memcmp(page, src, sizeof(src)),
	       "hypercall buffer: a valid one is written");
	memset(page, 0, 2 * PAGE_SIZE);
	tap_ok(copy_to_guest(monitor.eptp, gpa + PAGE_SIZE - 8, src, 16) == TV_E_PARAM &&
	       copy_to_guest(monitor.eptp, gpa, src, 0) == TV_E_PARAM &&
	       copy_to_guest(monitor.eptp, gpa, src, PAGE_SIZE + 1) == TV_E_PARAM,
	       "hypercall buffer: crossing a page, empty, or too long: refused");
	tap_ok(copy_to_guest(monitor.eptp, -(u64)sizeof(src), src, sizeof(src)) == TV_E_PARAM &&
	       copy_to_guest(monitor.eptp, ~0ULL - 7, src, 16) == TV_E_PARAM &&
	       copy_to_guest(monitor.eptp, -4096ULL, src, 16) == TV_E_PARAM,
	       "hypercall buffer: wrapping around 2^64: refused");
	tap_ok(copy_to_guest(monitor.eptp, TEST_GPA + PAGE_SIZE, src, 8) == TV_E_PARAM,
	       "hypercall buffer: at the top of RAM (mapped in the EPT, but not RAM): refused");
	set_ram(TEST_GPA + PAGE_SIZE + 100);	/* RAM ending inside the second page */
	tap_ok(copy_to_guest(monitor.eptp, TEST_GPA + PAGE_SIZE + 8, src, 8) == TV_E_PARAM &&
	       !guest_ram(TEST_GPA + PAGE_SIZE - 8, 16) &&
	       copy_to_guest(monitor.eptp, TEST_GPA + PAGE_SIZE - 8, src, 8) == 0,
	       "hypercall buffer: ending past the top of RAM (in its last, partial page): refused");
	memset(page, 0, 2 * PAGE_SIZE);
	set_ram(TEST_GPA + PAGE_SIZE);
	tap_ok(copy_to_guest(monitor.eptp, FAKE_PHYS, src, 16) == TV_E_PARAM &&
	       copy_to_guest(monitor.eptp, FAKE_PHYS - 8, src, 16) == TV_E_PARAM,
	       "hypercall buffer: inside or overlapping monitor memory: refused");
	monitor.params.ranges[0] = (struct tv_mem_range){ 0, 1ULL << 40, TV_RANGE_RAM, 0 };
	tap_ok(!guest_ram(FAKE_PHYS, 8) && !guest_ram(FAKE_PHYS - 4, 8) && guest_ram(FAKE_PHYS - 8, 8),
	       "guest RAM: monitor memory is not guest RAM (for page-table reads without EPT)");
	set_ram(TEST_GPA + PAGE_SIZE);
	/* Read-only in Linux's EPT view: not an output buffer. */
	leaf = ept_leaf_entry(gpa);
	if (leaf)
		*leaf &= ~EPT_W;
	tap_ok(leaf && copy_to_guest(monitor.eptp, gpa, src, 8) == TV_E_PARAM,
	       "hypercall buffer: read-only in the caller's EPT view: refused");
	tap_ok(!memcmp(page, (u8[2 * PAGE_SIZE]){ 0 }, 2 * PAGE_SIZE), "nothing written on refusal");
	if (leaf)
		*leaf |= EPT_W;
	(void)size;
	munmap(page, 2 * PAGE_SIZE);
}

int main(void)
{
	region = aligned_alloc(PAGE_SIZE, REGION_PAGES * PAGE_SIZE);
	tap_plan(10 + 15 + TV_ARRAY_SIZE(xcr0_cases) + TV_ARRAY_SIZE(cr0_cases) +
		 TV_ARRAY_SIZE(cr4_cases) + 12 + 16 + 5 + 9);
	test_mtrr();
	test_ept();
	test_xcr0();
	test_cr();
	test_cpuid();
	test_msr();
	test_reset_ports();
	test_copy_to_guest();
	free(region);
	return tap_finish();
}
