// SPDX-License-Identifier: GPL-2.0
/*
 * The monitor's own page tables and the EPT that confines Linux.
 *
 * Both come from a fixed pool of pages the module handed over.  Both map
 * only what Linux's resource tree describes (tv_init_params.ranges), with
 * the largest pages the CPU allows there:
 *   host tables: Linux's RAM, identity-mapped, no execute, for reaching its
 *     buffers (the monitor's own block left out: no writable alias of its
 *     text), and the monitor itself at the address Linux mapped it: headers
 *     and rodata R, text RX, the rest RW, never W and X together;
 *   EPT: every described range, identity-mapped with its MTRR memory type,
 *     the monitor's block left out; anything else is not mapped at all.
 */
#include "vmxroot/vmxroot.h"
#include "vmxroot/processor.h"
#include "vmxroot/vmx.h"

#define PTE_P		(1ULL << 0)
#define PTE_W		(1ULL << 1)
#define PTE_PWT		(1ULL << 3)
#define PTE_PCD		(1ULL << 4)
#define PTE_PS		(1ULL << 7)
#define PTE_NX		(1ULL << 63)
#define EPT_RWX		(EPT_R | EPT_W | EPT_X)
#define EPT_LEAF	(1ULL << 7)
#define ADDR_MASK	PTE_ADDR_MASK

#define SZ_4K		(1ULL << 12)
#define SZ_2M		(1ULL << 21)
#define SZ_1G		(1ULL << 30)
#define SZ_512G		(1ULL << 39)

#define MT_UC		0
#define MT_WT		4
#define MT_WB		6
#define MT_MIXED	0xff

/* The page-table pool: mutable, unlike the monitor's configuration. */
static struct {
	u64 next, end;
} pool;

void pool_init(u64 start, u64 pages)
{
	pool.next = start;
	pool.end = start + pages * PAGE_SIZE;
}

u64 pool_used(void)
{
	return TV_POOL_PAGES - (pool.end - pool.next) / PAGE_SIZE;
}

void *pool_alloc_page(void)
{
	u64 p = pool.next;

	if (p >= pool.end)
		return NULL;
	pool.next += PAGE_SIZE;
	memset((void *)p, 0, PAGE_SIZE);
	return (void *)p;
}

u64 *pool_table_virt(u64 entry)
{
	return (u64 *)(monitor.virt + ((entry & ADDR_MASK) - monitor.phys));
}

/*
 * The table an entry points to, created if absent; NULL if the pool is
 * empty or the entry is a large-page leaf (never walked through as a table).
 */
static u64 *next_table(u64 *entry, u64 flags, u64 leaf_bit)
{
	u64 *t;

	if (*entry & (PTE_P | EPT_RWX)) {
		if (*entry & leaf_bit)
			return NULL;
		return pool_table_virt(*entry);
	}
	t = pool_alloc_page();
	if (t)
		*entry = virt_to_phys(t) | flags;
	return t;
}

/*
 * One identity mapping of [start, end) (page aligned) into a 4-level table,
 * with the largest leaves that fit, never over the monitor's block.  Used
 * for the host tables and the EPT alike.
 */
struct mapper {
	u64 table_flags;	/* of an entry pointing to a table */
	u64 leaf_bit;		/* PS / EPT_LEAF: a leaf above 4 KiB */
	u64 max_leaf;		/* largest leaf the CPU supports here */
	/* The leaf mapping [pa, pa + size), or 0 if it cannot be one leaf. */
	u64 (*leaf)(u64 pa, u64 size);
};

static int map_level(const struct mapper *m, u64 *table, int level, u64 base, u64 start,
		     u64 end)
{
	u64 size = 1ULL << (12 + 9 * level);

	for (u64 pa = start & ~(size - 1); pa < end; pa += size) {
		u64 *e = &table[(pa >> (12 + 9 * level)) & 511];
		u64 lo = pa > start ? pa : start, hi = pa + size < end ? pa + size : end;
		u64 leaf, *sub;
		int ret;

		if (*e & (PTE_P | EPT_RWX) && (level == 0 || (*e & m->leaf_bit)))
			continue;	/* mapped already, by an overlapping range */
		if (lo == pa && hi == pa + size && size <= m->max_leaf &&
		    !in_monitor(pa, size) && !(*e & (PTE_P | EPT_RWX))) {
			leaf = m->leaf(pa, size);
			if (leaf) {
				*e = leaf | (level ? m->leaf_bit : 0);
				continue;
			}
		}
		if (level == 0)
			continue;	/* a monitor page: left out */
		sub = next_table(e, m->table_flags, m->leaf_bit);
		if (!sub)
			return TV_E_NOMEM;
		ret = map_level(m, sub, level - 1, pa, lo, hi);
		if (ret)
			return ret;
	}
	(void)base;
	return 0;
}

static int map_range(const struct mapper *m, u64 *pml4, u64 start, u64 end)
{
	if (start >= end)
		return 0;
	if (end > (1ULL << monitor.caps.maxphyaddr))
		return TV_E_PARAM;
	return map_level(m, pml4, 3, 0, start, end);
}

static u64 page_down(u64 a)
{
	return a & ~(PAGE_SIZE - 1);
}

static u64 page_up(u64 a)
{
	return (a + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
}

/*
 * Guest RAM the monitor may read or write for a caller, through its identity
 * map: whole pages of one RAM range Linux described, and not the monitor's.
 */
bool guest_ram(u64 pa, u64 len)
{
	const struct tv_mem_range *r = monitor.params.ranges;

	if (!len || pa + len < pa || in_monitor(pa, len))
		return false;
	for (u32 i = 0; i < monitor.params.nr_ranges; i++)
		if (r[i].kind == TV_RANGE_RAM && pa >= page_up(r[i].start) &&
		    len <= page_down(r[i].end) - pa && pa < page_down(r[i].end))
			return true;
	return false;
}

/* ---- host page tables ---- */

static u64 host_leaf(u64 pa, u64 size)
{
	(void)size;
	return pa | PTE_P | PTE_W | PTE_NX;
}

static int host_map_4k(u64 *pml4, u64 va, u64 pa, u64 flags)
{
	u64 *pdpt, *pd, *pt;

	pdpt = next_table(&pml4[(va >> 39) & 511], PTE_P | PTE_W, PTE_PS);
	pd = pdpt ? next_table(&pdpt[(va >> 30) & 511], PTE_P | PTE_W, PTE_PS) : NULL;
	pt = pd ? next_table(&pd[(va >> 21) & 511], PTE_P | PTE_W, PTE_PS) : NULL;
	if (!pt)
		return TV_E_NOMEM;
	pt[(va >> 12) & 511] = pa | flags;
	return 0;
}

/* The host-table flags of one page of the monitor's block: W^X by section. */
u64 monitor_page_flags(u64 off)
{
	if (off < PAGE_SIZE)
		return PTE_P | PTE_NX;			/* headers */
	if (off < monitor.text_end)
		return PTE_P;				/* text: RX */
	if (off < monitor.rodata_end)
		return PTE_P | PTE_NX;			/* rodata, configuration: R */
	return PTE_P | PTE_W | PTE_NX;			/* data, bss, per-CPU, pool */
}

int host_paging_init(void)
{
	const struct mapper m = {
		.table_flags = PTE_P | PTE_W,
		.leaf_bit = PTE_PS,
		.max_leaf = monitor.caps.host_1g_pages ? SZ_1G : SZ_2M,
		.leaf = host_leaf,
	};
	const struct tv_mem_range *r = monitor.params.ranges;
	u64 *pml4 = pool_alloc_page();
	int ret = 0;

	if (!pml4)
		return TV_E_NOMEM;
	/* The identity map (low half) never meets the monitor's own (kernel-half) address. */
	if ((monitor.virt >> 47) != 0x1ffff)
		return TV_E_PARAM;
	for (u32 i = 0; !ret && i < monitor.params.nr_ranges; i++)
		if (r[i].kind == TV_RANGE_RAM)
			ret = map_range(&m, pml4, page_up(r[i].start), page_down(r[i].end));
	for (u64 off = 0; !ret && off < monitor.mem_size; off += PAGE_SIZE)
		ret = host_map_4k(pml4, monitor.virt + off, monitor.phys + off,
				  monitor_page_flags(off));
	if (!ret && monitor.params.log_virt)
		ret = host_map_4k(pml4, monitor.params.log_virt, monitor.params.log_phys,
				  PTE_P | PTE_W | PTE_NX);
	/* The xAPIC page, uncached (not RAM, so not in the identity map). */
	if (!ret && monitor.apic_mmio)
		ret = host_map_4k(pml4, monitor.apic_mmio, monitor.apic_mmio,
				  PTE_P | PTE_W | PTE_PWT | PTE_PCD | PTE_NX);
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

/*
 * The leaf entry that maps gpa in the EPT rooted at eptp (one of the
 * monitor's own, in its pool), and the size it maps; 0 if gpa is not mapped.
 */
u64 ept_leaf(u64 eptp, u64 gpa, u64 *size)
{
	u64 pa = eptp & ADDR_MASK;

	for (int level = 3; level >= 0; level--) {
		u64 e;

		if (!in_monitor(pa, PAGE_SIZE))
			return 0;
		e = ((u64 *)(monitor.virt + (pa - monitor.phys)))[(gpa >> (12 + 9 * level)) & 511];
		if (!(e & EPT_RWX))
			return 0;
		if (level == 0 || (e & EPT_LEAF)) {
			*size = 1ULL << (12 + 9 * level);
			return e;
		}
		pa = e & ADDR_MASK;
	}
	return 0;
}

/*
 * The entry for gpa at `level` (3: PML4 .. 0: PT) of the EPT at eptp, one of
 * the monitor's own, or NULL if the walk meets a leaf or a hole above it.
 */
u64 *ept_entry(u64 eptp, u64 gpa, int level)
{
	u64 pa = eptp & ADDR_MASK;

	for (int l = 3; l >= level; l--) {
		u64 *e;

		if (!in_monitor(pa, PAGE_SIZE))
			return NULL;
		e = &((u64 *)(monitor.virt + (pa - monitor.phys)))[(gpa >> (12 + 9 * l)) & 511];
		if (l == level)
			return e;
		if (!(*e & EPT_RWX) || (*e & EPT_LEAF))
			return NULL;
		pa = *e & ADDR_MASK;
	}
	return NULL;
}

/* Does the EPT at eptp give every permission in perm (EPT_R, EPT_W) at gpa? */
bool ept_permits(u64 eptp, u64 gpa, u64 perm)
{
	u64 size;

	return (ept_leaf(eptp, gpa, &size) & perm) == perm;
}

/* Linux's EPT leaf for [pa, pa + size): identity, RWX, its MTRR type; 0 if mixed. */
u64 ept_leaf_for(u64 pa, u64 size)
{
	u8 t = mtrr_type(pa, size);

	return t == MT_MIXED ? 0 : pa | EPT_RWX | ((u64)t << 3);
}

/* Largest EPT leaf the capability MSR allows: 1 GiB, 2 MiB, or only 4 KiB. */
static u64 ept_max_leaf(void)
{
	if (monitor.caps.ept_vpid & EPT_CAP_1G)
		return SZ_1G;
	if (monitor.caps.ept_vpid & EPT_CAP_2M)
		return SZ_2M;
	return SZ_4K;
}

int ept_init(void)
{
	const struct mapper m = {
		.table_flags = EPT_RWX,
		.leaf_bit = EPT_LEAF,
		.max_leaf = ept_max_leaf(),
		.leaf = ept_leaf_for,
	};
	const struct tv_mem_range *r = monitor.params.ranges;
	u64 *pml4 = pool_alloc_page();
	int ret = 0;

	if (!pml4)
		return TV_E_NOMEM;
	for (u32 i = 0; !ret && i < monitor.params.nr_ranges; i++)
		ret = map_range(&m, pml4, page_down(r[i].start), page_up(r[i].end));
	if (ret)
		return ret;
	/* Write-back paging structures, 4-level walk. */
	monitor.eptp = virt_to_phys(pml4) | (3 << 3) | MT_WB;
	return 0;
}
