// SPDX-License-Identifier: GPL-2.0
/*
 * The monitor's own page tables and the EPT that confines Linux.
 *
 * Both come from a fixed pool of pages the module handed over: nothing is
 * allocated after init.  Host tables: an identity map of RAM (no execute) for
 * reaching Linux's buffers, and the monitor itself at the address Linux
 * mapped it, text RX, rodata R, the rest RW.  EPT: an identity map of the
 * guest-physical space with the largest pages whose MTRR memory type is
 * uniform, minus every page of monitor memory.
 */
#include "vmxroot/vmxroot.h"
#include "vmxroot/processor.h"
#include "vmxroot/vmx.h"

#define PTE_P		(1ULL << 0)
#define PTE_W		(1ULL << 1)
#define PTE_PS		(1ULL << 7)
#define PTE_NX		(1ULL << 63)
#define EPT_RWX		7ULL
#define EPT_LEAF	(1ULL << 7)
#define ADDR_MASK	0x000ffffffffff000ULL

#define SZ_4K		(1ULL << 12)
#define SZ_2M		(1ULL << 21)
#define SZ_1G		(1ULL << 30)
#define SZ_512G		(1ULL << 39)

#define MT_UC		0
#define MT_WT		4
#define MT_WB		6
#define MT_MIXED	0xff

void *pool_alloc_page(void)
{
	u64 p = monitor.pool_next;

	if (p >= monitor.pool_end)
		return NULL;
	monitor.pool_next += PAGE_SIZE;
	memset((void *)p, 0, PAGE_SIZE);
	return (void *)p;
}

/* Returns the table an entry points to, creating it if absent. */
static u64 *next_table(u64 *entry, u64 flags)
{
	u64 *t;

	if (*entry & (PTE_P | EPT_RWX))
		return (u64 *)(monitor.virt + ((*entry & ADDR_MASK) - monitor.phys));
	t = pool_alloc_page();
	if (t)
		*entry = virt_to_phys(t) | flags;
	return t;
}

/* ---- host page tables ---- */

static int host_map_4k(u64 *pml4, u64 va, u64 pa, u64 flags)
{
	u64 *pdpt, *pd, *pt;

	pdpt = next_table(&pml4[(va >> 39) & 511], PTE_P | PTE_W);
	pd = pdpt ? next_table(&pdpt[(va >> 30) & 511], PTE_P | PTE_W) : NULL;
	pt = pd ? next_table(&pd[(va >> 21) & 511], PTE_P | PTE_W) : NULL;
	if (!pt)
		return TV_E_NOMEM;
	pt[(va >> 12) & 511] = pa | flags;
	return 0;
}

static int host_map_identity(u64 *pml4, u64 top)
{
	u64 step = monitor.caps.host_1g_pages ? SZ_1G : SZ_2M;

	for (u64 pa = 0; pa < top; pa += step) {
		u64 *pdpt = next_table(&pml4[pa >> 39], PTE_P | PTE_W);
		u64 *pd;

		if (!pdpt)
			return TV_E_NOMEM;
		if (step == SZ_1G) {
			pdpt[(pa >> 30) & 511] = pa | PTE_P | PTE_W | PTE_PS | PTE_NX;
			continue;
		}
		pd = next_table(&pdpt[(pa >> 30) & 511], PTE_P | PTE_W);
		if (!pd)
			return TV_E_NOMEM;
		pd[(pa >> 21) & 511] = pa | PTE_P | PTE_W | PTE_PS | PTE_NX;
	}
	return 0;
}

int host_paging_init(void)
{
	u64 *pml4 = pool_alloc_page();
	u64 top = (monitor.params.ram_top + SZ_1G - 1) & ~(SZ_1G - 1);
	int ret;

	if (!pml4)
		return TV_E_NOMEM;
	/* The identity map must stay below the monitor's own (kernel-half) address. */
	if (top > SZ_512G * 128 || (monitor.virt >> 47) != 0x1ffff)
		return TV_E_PARAM;
	ret = host_map_identity(pml4, top);
	for (u64 off = 0; !ret && off < monitor.mem_size; off += PAGE_SIZE) {
		u64 flags = PTE_P;

		if (off >= monitor.text_end)
			flags |= PTE_NX;
		if (off >= monitor.rodata_end)
			flags |= PTE_W;
		if (off < PAGE_SIZE)
			flags |= PTE_NX;	/* the headers page: read only */
		ret = host_map_4k(pml4, monitor.virt + off, monitor.phys + off, flags);
	}
	if (!ret && monitor.params.log_virt)
		ret = host_map_4k(pml4, monitor.params.log_virt, monitor.params.log_phys,
				  PTE_P | PTE_W | PTE_NX);
	monitor.host_cr3 = virt_to_phys(pml4);
	return ret;
}

/* ---- MTRR-derived memory types ---- */

static u8 mtrr_fixed_type(u64 pa)
{
	u32 msr;
	u64 base, unit;

	if (pa < 0x80000) {
		msr = MSR_IA32_MTRR_FIX64K_00000;
		base = 0;
		unit = 0x10000;
	} else if (pa < 0xc0000) {
		msr = pa < 0xa0000 ? MSR_IA32_MTRR_FIX16K_80000 : MSR_IA32_MTRR_FIX16K_A0000;
		base = pa < 0xa0000 ? 0x80000 : 0xa0000;
		unit = 0x4000;
	} else {
		msr = MSR_IA32_MTRR_FIX4K_C0000 + (u32)((pa - 0xc0000) >> 15);
		base = 0xc0000 + ((pa - 0xc0000) & ~0x7fffULL);
		unit = 0x1000;
	}
	return (u8)(rdmsr(msr) >> (8 * ((pa - base) / unit)));
}

/* Type of an aligned power-of-two block, or MT_MIXED if it is not uniform. */
static u8 mtrr_type(u64 pa, u64 size)
{
	u64 def = rdmsr(MSR_IA32_MTRR_DEF_TYPE);
	u32 nvar = (u32)rdmsr(MSR_IA32_MTRRCAP) & 0xff;
	u64 physmask = (1ULL << monitor.caps.maxphyaddr) - 1;
	u8 type = MT_MIXED;

	if (!(def & (1 << 11)))
		return MT_UC;			/* MTRRs disabled */
	if ((def & (1 << 10)) && pa < 0x100000) {
		if (size != SZ_4K)
			return MT_MIXED;
		return mtrr_fixed_type(pa);
	}
	for (u32 i = 0; i < nvar; i++) {
		u64 base = rdmsr(MSR_IA32_MTRR_PHYSBASE0 + 2 * i);
		u64 mask = rdmsr(MSR_IA32_MTRR_PHYSBASE0 + 2 * i + 1);
		u64 m = mask & physmask & PAGE_MASK;
		u8 t = base & 0xff;

		if (!(mask & (1 << 11)))
			continue;
		/* Compare above the block size first: does the range touch the block at all? */
		if ((pa & m & ~(size - 1)) != (base & m & ~(size - 1)))
			continue;
		/* Mask bits inside the block: the range covers only part of it. */
		if (m & (size - 1))
			return MT_MIXED;
		if (type == MT_MIXED || type == t)
			type = t;
		else if ((type == MT_WT && t == MT_WB) || (type == MT_WB && t == MT_WT))
			type = MT_WT;
		else
			type = MT_UC;
	}
	return type == MT_MIXED ? (u8)(def & 0xff) : type;
}

/* ---- EPT ---- */

static int ept_fill_pt(u64 *pt, u64 base)
{
	for (int i = 0; i < 512; i++) {
		u64 pa = base + i * SZ_4K;

		pt[i] = in_monitor(pa, SZ_4K) ? 0 :
			pa | EPT_RWX | ((u64)mtrr_type(pa, SZ_4K) << 3);
	}
	return 0;
}

static int ept_fill_pd(u64 *pd, u64 base)
{
	for (int i = 0; i < 512; i++) {
		u64 pa = base + i * SZ_2M;
		u8 t = mtrr_type(pa, SZ_2M);
		u64 *pt;

		if (t != MT_MIXED && !in_monitor(pa, SZ_2M)) {
			pd[i] = pa | EPT_RWX | EPT_LEAF | ((u64)t << 3);
			continue;
		}
		pt = next_table(&pd[i], EPT_RWX);
		if (!pt)
			return TV_E_NOMEM;
		ept_fill_pt(pt, pa);
	}
	return 0;
}

int ept_init(void)
{
	u64 *pml4 = pool_alloc_page();
	bool huge = monitor.caps.ept_vpid & EPT_CAP_1G;
	u64 top = 1ULL << (monitor.caps.maxphyaddr < 39 ? monitor.caps.maxphyaddr : 39);

	if (!pml4)
		return TV_E_NOMEM;
	/* Without 1 GiB pages cover RAM and the 32-bit MMIO hole only (docs/architecture.md). */
	if (!huge) {
		u64 ram = (monitor.params.ram_top + SZ_1G - 1) & ~(SZ_1G - 1);

		top = ram > (4 * SZ_1G) ? ram : 4 * SZ_1G;
	}
	monitor.ept_top = top;
	for (u64 pa = 0; pa < top; pa += SZ_1G) {
		u64 *pdpt = next_table(&pml4[pa >> 39], EPT_RWX);
		u8 t = mtrr_type(pa, SZ_1G);
		u64 *pd;

		if (!pdpt)
			return TV_E_NOMEM;
		if (huge && t != MT_MIXED && !in_monitor(pa, SZ_1G)) {
			pdpt[(pa >> 30) & 511] = pa | EPT_RWX | EPT_LEAF | ((u64)t << 3);
			continue;
		}
		pd = next_table(&pdpt[(pa >> 30) & 511], EPT_RWX);
		if (!pd || ept_fill_pd(pd, pa))
			return TV_E_NOMEM;
	}
	/* Write-back paging structures, 4-level walk. */
	monitor.eptp = virt_to_phys(pml4) | (3 << 3) | MT_WB;
	return 0;
}
