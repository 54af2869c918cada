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
#include "selftests/tap.h"
#include "vmxroot/paging.c"
#include "vmxroot/exit.c"

struct monitor monitor;
volatile u64 monitor_canary;

void tv_log(const char *fmt, ...) { (void)fmt; }
void tv_fatal(const char *fmt, ...) { (void)fmt; }
void unblock_nmis(void) { }
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

/* Returns the leaf entry for gpa and its size, or 0 if not present. */
static u64 ept_lookup(u64 gpa, u64 *size)
{
	u64 *t = (u64 *)(monitor.virt + ((monitor.eptp & ADDR_MASK) - monitor.phys));

	for (int level = 3; level >= 0; level--) {
		u64 e = t[(gpa >> (12 + 9 * level)) & 511];

		if (!(e & EPT_RWX))
			return 0;
		if (level == 0 || (e & EPT_LEAF)) {
			*size = 1ULL << (12 + 9 * level);
			return e;
		}
		t = (u64 *)(monitor.virt + ((e & ADDR_MASK) - monitor.phys));
	}
	return 0;
}

static void ept_setup(bool huge)
{
	memset(region, 0, REGION_PAGES * PAGE_SIZE);
	monitor.virt = (u64)region;
	monitor.phys = FAKE_PHYS;
	monitor.mem_size = REGION_PAGES * PAGE_SIZE;
	monitor.pool_next = monitor.virt + 64 * PAGE_SIZE;
	monitor.pool_end = monitor.pool_next + TV_POOL_PAGES * PAGE_SIZE;
	monitor.params.ram_top = 512 * MB;
	monitor.caps.ept_vpid = huge ? EPT_CAP_1G : 0;
	setup_mtrrs();
}

static void test_ept(void)
{
	u64 size, e, bad = 0;

	ept_setup(true);
	int ret = ept_init();

	tap_ok(ret == 0, "EPT: built from the pool (ret %d, %lu pages used)", ret,
	       (unsigned long)((monitor.pool_next - monitor.virt) / PAGE_SIZE - 64));
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
	tap_ok(e && size == SZ_4K && ((e >> 3) & 7) == MT_UC, "EPT: legacy VGA hole is 4K UC");
	e = ept_lookup(GB + 4 * MB, &size);
	tap_ok(e && size == SZ_2M && ((e >> 3) & 7) == MT_WT, "EPT: 1G+4M is a 2M WT page");
	e = ept_lookup(3 * GB + 5, &size);
	tap_ok(e && size == SZ_1G && ((e >> 3) & 7) == MT_UC && (e & ADDR_MASK) == 3 * GB,
	       "EPT: 3G is a 1G UC identity page");
	tap_ok(ept_lookup((512 * GB) - 1, &size) && !ept_lookup(512 * GB, &size),
	       "EPT: covers exactly 512 GiB with MAXPHYADDR 39");
	bad = 0;
	for (u64 pa = 0; pa < 4 * GB; pa += 4093 * PAGE_SIZE + 17) {
		e = ept_lookup(pa, &size);
		if (in_monitor(pa, 1) ? e != 0 : (!e || (e & ADDR_MASK) != (pa & ~(size - 1))))
			bad++;
	}
	tap_ok(!bad, "EPT: identity everywhere below 4G except the monitor (%llu wrong)",
	       (unsigned long long)bad);

	ept_setup(false);
	tap_ok(ept_init() == 0 && monitor.ept_top == 4 * GB, "EPT without 1G pages: covers 4G");
	e = ept_lookup(3 * GB, &size);
	tap_ok(e && size == SZ_2M, "EPT without 1G pages: 2M leaves");
	monitor.pool_end = monitor.pool_next + 2 * PAGE_SIZE;
	monitor.pool_next = monitor.pool_end - 2 * PAGE_SIZE;
	tap_ok(ept_init() == TV_E_NOMEM, "EPT: an exhausted pool is an error, not a crash");
}

/* ---- XCR0 ---- */

static void test_xcr0(void)
{
	static const struct { u64 v; bool ok; const char *what; } c[] = {
		{ 0x1, true, "x87 only" },
		{ 0x3, true, "x87+SSE" },
		{ 0x7, true, "x87+SSE+AVX" },
		{ 0xe7, true, "with AVX-512" },
		{ 0x0, false, "without x87" },
		{ 0x5, false, "AVX without SSE" },
		{ 0x67, false, "part of AVX-512" },
		{ 0xe3, false, "AVX-512 without AVX" },
		{ 0x8, false, "an unsupported bit (MPX)" },
		{ 0x8000000000000003ULL, false, "bit 63" },
	};

	for (size_t i = 0; i < TV_ARRAY_SIZE(c); i++)
		tap_ok(xcr0_valid(c[i].v) == c[i].ok, "XSETBV %#llx (%s) %s",
		       (unsigned long long)c[i].v, c[i].what, c[i].ok ? "accepted" : "refused");
}

/* ---- hypercall buffers ---- */

static void test_copy_to_guest(void)
{
	static u8 page[2 * PAGE_SIZE] __attribute__((aligned(4096)));
	u64 src[4] = { 1, 2, 3, 4 };
	u64 gpa = (u64)page;

	monitor.params.ram_top = 1ULL << 47;	/* our own pages stand in for guest RAM */
	monitor.phys = FAKE_PHYS;
	monitor.mem_size = REGION_PAGES * PAGE_SIZE;
	tap_ok(copy_to_guest(gpa, src, sizeof(src)) == 0 && !memcmp(page, src, sizeof(src)),
	       "hypercall buffer: a valid one is written");
	memset(page, 0, sizeof(page));
	tap_ok(copy_to_guest(gpa + PAGE_SIZE - 8, src, 16) == TV_E_PARAM &&
	       copy_to_guest(gpa, src, 0) == TV_E_PARAM &&
	       copy_to_guest(gpa, src, PAGE_SIZE + 1) == TV_E_PARAM,
	       "hypercall buffer: crossing a page, empty, or too long: refused");
	tap_ok(copy_to_guest(-(u64)sizeof(src), src, sizeof(src)) == TV_E_PARAM &&
	       copy_to_guest(~0ULL - 7, src, 16) == TV_E_PARAM &&
	       copy_to_guest(-4096ULL, src, 16) == TV_E_PARAM &&
	       copy_to_guest(monitor.params.ram_top - 8, src, 16) == TV_E_PARAM,
	       "hypercall buffer: past RAM or wrapping around 2^64: refused");
	tap_ok(copy_to_guest(FAKE_PHYS, src, 16) == TV_E_PARAM &&
	       copy_to_guest(FAKE_PHYS - 8, src, 16) == TV_E_PARAM,
	       "hypercall buffer: inside or overlapping monitor memory: refused");
	tap_ok(!memcmp(page, (u8[sizeof(page)]){ 0 }, sizeof(page)), "nothing written on refusal");
}

int main(void)
{
	region = aligned_alloc(PAGE_SIZE, REGION_PAGES * PAGE_SIZE);
	tap_plan(10 + 13 + 10 + 5);
	test_mtrr();
	test_ept();
	test_xcr0();
	test_copy_to_guest();
	free(region);
	return tap_finish();
}
