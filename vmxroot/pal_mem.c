// SPDX-License-Identifier: GPL-2.0
/*
 * A PAL's memory: taking its block out of Linux's EPT and putting it back,
 * and the two sets of tables built inside the block (vmxroot/pal.h): the
 * PAL's own page tables (what its addresses mean) and its EPT (what it may
 * touch at all: nothing outside its block, and in it only its pages).
 */
#include "vmxroot/pal.h"
#include "vmxroot/processor.h"
#include "vmxroot/vmx.h"

#define SZ_2M		(1ULL << 21)
#define SZ_1G		(1ULL << 30)
#define EPT_RWX		(EPT_R | EPT_W | EPT_X)
#define EPT_LEAF	(1ULL << 7)
#define EPT_WB		(6ULL << 3)

#define PTE_P		(1ULL << 0)
#define PTE_W		(1ULL << 1)
#define PTE_U		(1ULL << 2)
#define PTE_A		(1ULL << 5)
#define PTE_D		(1ULL << 6)
#define PTE_PS		(1ULL << 7)
#define PTE_NX		(1ULL << 63)

/* One whole 2 MiB block of one RAM range Linux described, not the monitor's. */
bool pal_block_fits(u64 block)
{
	return !(block & (SZ_2M - 1)) && guest_ram(block, SZ_2M);
}

/*
 * A 1 GiB leaf of Linux's EPT around the block becomes a table of 2 MiB
 * leaves with the same type: the same translations, one of which can then
 * go.  The table comes from the monitor's pool and stays (one per GiB).
 */
static int split_1g(u64 *pdpte)
{
	u64 base = *pdpte & PTE_ADDR_MASK & ~(SZ_1G - 1), flags = *pdpte & 0xfff;
	u64 *pd = pool_alloc_page();

	if (!pd)
		return TV_E_NOMEM;
	for (u64 i = 0; i < 512; i++)
		pd[i] = (base + i * SZ_2M) | flags;
	WRITE_ONCE(*pdpte, virt_to_phys(pd) | EPT_RWX);
	return 0;
}

/* Every 4 KiB entry of the table maps its own page of the block, RWX: Linux's RAM. */
static bool pt_is_linux_block(const u64 *pt, u64 block)
{
	for (u64 i = 0; i < 512; i++)
		if ((pt[i] & EPT_RWX) != EPT_RWX || (pt[i] & PTE_ADDR_MASK) != block + i * PAGE_SIZE)
			return false;
	return true;
}

/*
 * Takes the block out of Linux's EPT.  It must be mapped there in full, as
 * Linux's RAM: a page already missing is the monitor's, another PAL's, or
 * given twice (XMHF's vulnerability 4), and the load is refused.  The
 * caller completes the invalidation on every CPU (ept_shootdown).
 */
int pal_linux_unmap(struct pal *p)
{
	u64 *pdpte = ept_entry(monitor.eptp, p->block, 2), *pde;
	int ret;

	if (!pdpte || !(*pdpte & EPT_RWX))
		return TV_E_PARAM;
	if (*pdpte & EPT_LEAF) {
		if ((*pdpte & EPT_RWX) != EPT_RWX)
			return TV_E_PARAM;
		ret = split_1g(pdpte);
		if (ret)
			return ret;
	}
	pde = ept_entry(monitor.eptp, p->block, 1);
	if (!pde || !(*pde & EPT_RWX))
		return TV_E_PARAM;
	if (*pde & EPT_LEAF) {
		if ((*pde & EPT_RWX) != EPT_RWX || (*pde & PTE_ADDR_MASK) != p->block)
			return TV_E_PARAM;
		p->linux_leaf = *pde;
		WRITE_ONCE(*pde, 0);
		return 0;
	}
	if (!pt_is_linux_block(pool_table_virt(*pde), p->block))
		return TV_E_PARAM;
	p->linux_leaf = 0;	/* 4 KiB entries: put back one by one */
	for (u64 i = 0; i < 512; i++)
		WRITE_ONCE(pool_table_virt(*pde)[i], 0);
	return 0;
}

/* Gives the block back to Linux's EPT (wiped by the caller first). */
void pal_linux_restore(struct pal *p)
{
	u64 *pde = ept_entry(monitor.eptp, p->block, 1), *pt;

	if (!pde)
		return;		/* cannot happen: the unmap split what it needed */
	if (p->linux_leaf) {
		WRITE_ONCE(*pde, p->linux_leaf);
		return;
	}
	pt = pool_table_virt(*pde);
	for (u64 i = 0; i < 512; i++)
		WRITE_ONCE(pt[i], ept_leaf_for(p->block + i * PAGE_SIZE, PAGE_SIZE));
}

static u64 pa_of(const struct pal *p, u64 index)
{
	return p->block + index * PAGE_SIZE;
}

static u64 *table(const struct pal *p, u64 index)
{
	return pal_page(p, index);
}

/* The PAL may reach page `index` with `ept` rights; its PTE says the same. */
static void map_pal_page(struct pal *p, u64 *pt, u64 slot, u64 index, u64 ept)
{
	u64 pte = pa_of(p, index) | PTE_P | PTE_U | PTE_A;

	if (ept & EPT_W)
		pte |= PTE_W | PTE_D;
	if (!(ept & EPT_X))
		pte |= PTE_NX;
	/* Accessed and dirty preset: the CPU never writes the tables, EPT-read-only. */
	pt[slot] = pte;
	table(p, PB_EPT + 3)[index] = pa_of(p, index) | ept | EPT_WB;
}

static u64 section_rights(u32 flags)
{
	return EPT_R | (flags & TV_PAL_SEC_W ? EPT_W : 0) | (flags & TV_PAL_SEC_X ? EPT_X : 0);
}

/* VA -> index in the PD (all PAL addresses lie in the first GiB). */
static u64 pd_slot(u64 va)
{
	return (va >> 21) & 511;
}

/*
 * Builds the PAL's EPT and page tables in its (wiped) block.  The layout
 * was checked (lib/pal_image.c): sections inside the window, disjoint.
 */
int pal_build_tables(struct pal *p)
{
	const u64 nonleaf = PTE_P | PTE_W | PTE_U | PTE_A;
	u64 *pd = table(p, PB_PT + 2);
	u64 n_stack = p->stack_size / PAGE_SIZE;

	BUILD_BUG_ON(PB_USED > 512);
	BUILD_BUG_ON(TV_PAL_STACK_TOP % (1ULL << 21) || TV_PAL_VA_BASE % (1ULL << 21));
	/* EPT: PML4 -> PDPT -> PD -> the one PT that covers the block. */
	table(p, PB_EPT)[(p->block >> 39) & 511] = pa_of(p, PB_EPT + 1) | EPT_RWX;
	table(p, PB_EPT + 1)[(p->block >> 30) & 511] = pa_of(p, PB_EPT + 2) | EPT_RWX;
	table(p, PB_EPT + 2)[(p->block >> 21) & 511] = pa_of(p, PB_EPT + 3) | EPT_RWX;
	/* The page tables are read by the CPU's walk, through the EPT. */
	for (u64 i = PB_PT; i < PB_PT + 7; i++)
		table(p, PB_EPT + 3)[i] = pa_of(p, i) | EPT_R | EPT_WB;

	table(p, PB_PT)[0] = pa_of(p, PB_PT + 1) | nonleaf;
	table(p, PB_PT + 1)[0] = pa_of(p, PB_PT + 2) | nonleaf;
	pd[pd_slot(TV_PAL_VA_BASE)] = pa_of(p, PB_PT + 3) | nonleaf;
	pd[pd_slot(TV_PAL_IN_VA)] = pa_of(p, PB_PT + 4) | nonleaf;
	pd[pd_slot(TV_PAL_OUT_VA)] = pa_of(p, PB_PT + 5) | nonleaf;
	pd[pd_slot(TV_PAL_STACK_TOP - 1)] = pa_of(p, PB_PT + 6) | nonleaf;

	for (u32 i = 0; i < p->hdr.nr_sections; i++) {
		const struct tv_pal_section *s = &p->sect[i];

		for (u64 off = 0; off < s->memsz; off += PAGE_SIZE) {
			u64 slot = (s->vaddr + off - TV_PAL_VA_BASE) / PAGE_SIZE;

			map_pal_page(p, table(p, PB_PT + 3), slot, PB_SECT + slot,
				     section_rights(s->flags));
		}
	}
	for (u64 k = 0; k < TV_PAL_IO_MAX / PAGE_SIZE; k++) {
		map_pal_page(p, table(p, PB_PT + 4), k, PB_IN + k, EPT_R);
		map_pal_page(p, table(p, PB_PT + 5), k, PB_OUT + k, EPT_R | EPT_W);
	}
	/* The stack's top pages; the slot under them stays empty: the guard. */
	for (u64 j = 0; j < n_stack; j++)
		map_pal_page(p, table(p, PB_PT + 6), 512 - n_stack + j, PB_STACK_END - n_stack + j,
			     EPT_R | EPT_W);
	p->eptp = pa_of(p, PB_EPT) | (3 << 3) | 6;	/* 4-level walk, write-back */
	p->cr3 = pa_of(p, PB_PT);
	return 0;
}

/*
 * What the PAL's own page tables make of `va`: the byte in the block, if the
 * PAL may read it (and write it, with `write`) at CPL 3, else NULL.  The
 * walk reads the tables the monitor built (the PAL cannot write them), and
 * the page found must also be one its EPT grants with the same rights, so a
 * pointer is followed only as far as the PAL itself could follow it.
 */
static u8 *pal_va(const struct pal *p, u64 va, bool write)
{
	const u64 need = PTE_P | PTE_U | (write ? PTE_W : 0);
	u64 e = p->cr3 | need, pa, ept;

	if (va >> 47)
		return NULL;		/* the PAL's addresses all lie in the low half */
	for (int level = 3; level >= 0; level--) {
		pa = e & PTE_ADDR_MASK;
		if ((e & need) != need || pa - p->block >= TV_PAL_BLOCK_SIZE)
			return NULL;
		if (level != 3 && (e & PTE_PS))
			return NULL;	/* no large pages: the monitor maps none */
		e = ((u64 *)pa)[(va >> (12 + 9 * level)) & 511];
	}
	pa = e & PTE_ADDR_MASK;
	if ((e & need) != need || pa - p->block >= TV_PAL_BLOCK_SIZE)
		return NULL;
	ept = table(p, PB_EPT + 3)[(pa - p->block) / PAGE_SIZE];
	if (!(ept & EPT_R) || (write && !(ept & EPT_W)))
		return NULL;
	return (u8 *)pa + (va & (PAGE_SIZE - 1));
}

/* Every page of [va, va + len) is the PAL's to read (or write). */
bool pal_can_access(const struct pal *p, u64 va, u64 len, bool write)
{
	if (len > TV_PAL_BLOCK_SIZE || va + len < va)
		return false;
	for (u64 a = va & PAGE_MASK; a < va + len; a += PAGE_SIZE)
		if (!pal_va(p, a < va ? va : a, write))
			return false;
	return true;
}

/* From the PAL's memory at `va`; TV_PAL_EFAULT (nothing copied) unless it could read it all. */
int pal_copy_from(const struct pal *p, void *dst, u64 va, u64 len)
{
	if (!pal_can_access(p, va, len, false))
		return TV_PAL_EFAULT;
	while (len) {
		u64 n = PAGE_SIZE - (va & (PAGE_SIZE - 1));

		if (n > len)
			n = len;
		memcpy(dst, pal_va(p, va, false), n);
		dst = (u8 *)dst + n;
		va += n;
		len -= n;
	}
	return 0;
}

/* Into the PAL's memory at `va`; TV_PAL_EFAULT (nothing written) unless it could write it all. */
int pal_copy_to(const struct pal *p, u64 va, const void *src, u64 len)
{
	if (!pal_can_access(p, va, len, true))
		return TV_PAL_EFAULT;
	while (len) {
		u64 n = PAGE_SIZE - (va & (PAGE_SIZE - 1));

		if (n > len)
			n = len;
		memcpy(pal_va(p, va, true), src, n);
		src = (const u8 *)src + n;
		va += n;
		len -= n;
	}
	return 0;
}
