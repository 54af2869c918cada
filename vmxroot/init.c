// SPDX-License-Identifier: GPL-2.0
/*
 * tv_init: called once by the module, on Linux's page tables, before any CPU
 * is launched.  Validates what the module handed over and builds everything
 * shared by all CPUs: page tables, EPT, IDT, MSR bitmap.
 */
#include "vmxroot/vmxroot.h"
#include "vmxroot/processor.h"

struct monitor monitor;
volatile u64 monitor_canary = 0x54564d4f4e43414eULL;	/* "TVMONCAN" */

extern char tv_image_start[], __text_end[], __rodata_end[], __core_end[];

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
	if (!p->ram_top || p->log_size > PAGE_SIZE || p->log_phys + p->log_size > p->ram_top ||
	    (p->log_virt & (PAGE_SIZE - 1)) || (p->log_virt >> 47) != 0x1ffff ||
	    (p->log_virt >= p->virt && p->log_virt < p->virt + p->mem_size))
		return TV_E_PARAM;
	return 0;
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
	monitor.pool_next = p->virt + p->pool_offset;
	monitor.pool_end = monitor.pool_next + TV_POOL_PAGES * PAGE_SIZE;

	ret = vmx_caps_init();
	if (ret)
		return ret;
	idt_init();
	msr_bitmap_init();
	ret = host_paging_init();
	ret = ret ?: ept_init();
	if (ret)
		return ret;
	monitor.initialized = true;
	pr_mon("monitor ready: EPT covers %lu GiB, %lu of %u pool pages used, %u CPU slots",
	       monitor.ept_top >> 30,
	       (monitor.pool_next - p->virt - p->pool_offset) / PAGE_SIZE, TV_POOL_PAGES,
	       p->nr_cpus);
	return 0;
}
