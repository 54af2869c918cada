// SPDX-License-Identifier: GPL-2.0
/*
 * tv_init: called once by the module, on Linux's page tables, before any CPU
 * is launched.  Validates what the module handed over and builds everything
 * shared by all CPUs: page tables, EPT, IDT, MSR bitmap.
 */
#include "vmxroot/vmxroot.h"
#include "vmxroot/processor.h"
#include "vmxroot/pal.h"

struct monitor monitor __ro_after_init;

extern char tv_image_start[], __text_end[], __rodata_end[], __core_end[];

/* The resource tree's top level: ascending, not overlapping, not empty. */
static int check_ranges(const struct tv_init_params *p)
{
	u64 prev_end = 0;

	if (!p->nr_ranges || p->nr_ranges > TV_MAX_RANGES)
		return TV_E_PARAM;
	for (u32 i = 0; i < p->nr_ranges; i++) {
		const struct tv_mem_range *r = &p->ranges[i];

		if (r->start >= r->end || r->start < prev_end ||
		    (r->kind != TV_RANGE_RAM && r->kind != TV_RANGE_OTHER))
			return TV_E_PARAM;
		prev_end = r->end;
	}
	return 0;
}

static int check_params(const struct tv_init_params *p)
{
	u64 percpu_end = p->percpu_offset + (u64)p->nr_cpus * TV_PERCPU_SIZE;
	u64 core = (u64)__core_end - (u64)tv_image_start;

	if (p->size != sizeof(*p) || p->virt != (u64)tv_image_start)
		return TV_E_PARAM;
	if ((p->phys | p->virt | p->mem_size | p->log_phys) & (PAGE_SIZE - 1))
		return TV_E_PARAM;
	if (!p->nr_cpus || p->percpu_offset < core ||
	    (p->virt + p->percpu_offset) % TV_PERCPU_SIZE || p->pool_offset < percpu_end ||
	    p->pool_offset + TV_POOL_PAGES * PAGE_SIZE > p->mem_size)
		return TV_E_PARAM;
	if (p->nr_cpus > TV_MAX_MONITOR_CPUS || !p->nr_owned_cpus || p->nr_owned_cpus > p->nr_cpus)
		return TV_E_PARAM;
	if (!p->ram_top || p->log_size > PAGE_SIZE || p->log_size <= sizeof(struct tv_shared_page) ||
	    p->log_phys + p->log_size > p->ram_top ||
	    (p->log_virt & (PAGE_SIZE - 1)) || (p->log_virt >> 47) != 0x1ffff ||
	    (p->log_virt >= p->virt && p->log_virt < p->virt + p->mem_size))
		return TV_E_PARAM;
	return check_ranges(p);
}

int tv_init(const struct tv_init_params *p)
{
	int ret;

	if (monitor.initialized)
		return TV_E_STATE;
	ret = check_params(p);
	if (ret)
		return ret;
	monitor.params = *p;
	monitor.virt = p->virt;
	monitor.phys = p->phys;
	monitor.mem_size = p->mem_size;
	monitor.text_end = (u64)__text_end - (u64)tv_image_start;
	monitor.rodata_end = (u64)__rodata_end - (u64)tv_image_start;
	pool_init(p->virt + p->pool_offset, TV_POOL_PAGES);

	ret = vmx_caps_init();
	ret = ret ?: pal_vmcs_caps_init();
	if (ret)
		return ret;
	/* In x2APIC mode the ICR is an MSR; otherwise map the xAPIC page. */
	if (!(rdmsr(MSR_IA32_APIC_BASE) & APIC_BASE_X2APIC))
		monitor.apic_mmio = rdmsr(MSR_IA32_APIC_BASE) & PTE_ADDR_MASK &
				    ((1ULL << monitor.caps.maxphyaddr) - 1);
	idt_init();
	msr_bitmap_init();
	io_bitmap_init();
	ret = host_paging_init();
	ret = ret ?: ept_init();
	if (ret)
		return ret;
	monitor.initialized = true;
	pr_mon("monitor ready: EPT maps %u described ranges, %lu of %u pool pages used, %u CPU slots",
	       p->nr_ranges, pool_used(), TV_POOL_PAGES, p->nr_cpus);
	return 0;
}
