// SPDX-License-Identifier: GPL-2.0
/*
 * Loading the monitor image: check it, measure it, place it in memory of its
 * own, make its text executable in Linux's view for the two entries Linux
 * calls (init and per-CPU launch), and call init.
 */
#define pr_fmt(fmt) "trustvisor: " fmt

#include <linux/acpi.h>
#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/ioport.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/string.h>
#include <linux/vmalloc.h>
#include <crypto/sha2.h>
#include <asm/pgtable.h>
#include <asm/tsc.h>
#include <asm/tlbflush.h>
#include "tv.h"

static const char *const tv_errors[] = {
	[0] = "ok",
	[1] = "bad parameter",
	[2] = "VMX not available or disabled by firmware",
	[3] = "a required VMX feature (EPT, VPID, unrestricted guest) is missing",
	[4] = "monitor page-table pool exhausted",
	[5] = "VMXON failed (another hypervisor active?)",
	[6] = "VMCS setup failed",
	[7] = "VMLAUNCH failed",
	[8] = "CPU in the wrong state",
	[9] = "unknown hypercall",
	[10] = "not permitted",
	[11] = "CR0/CR4 cannot satisfy VMX fixed bits",
	[12] = "no hardware entropy (RDSEED/RDRAND) for the monitor's secrets",
	[13] = "busy",
	[14] = "no free PAL slot",
	[15] = "malformed PAL image",
	[16] = "no such PAL",
	[17] = "a CPU did not answer a TLB shootdown",
};

const char *tv_strerror(int err)
{
	if (err == TV_E_NOT_INSIDE)
		return "this CPU is not under the monitor";
	if (err > 0 || -err >= (int)ARRAY_SIZE(tv_errors))
		return "unknown monitor error";
	return tv_errors[-err];
}

int tv_errno(int err)
{
	switch (err) {
	case TV_E_OK:
		return 0;
	case TV_E_NOVMX:
		return -ENODEV;
	case TV_E_NOFEAT:
		return -EOPNOTSUPP;
	case TV_E_NOMEM:
		return -ENOMEM;
	case TV_E_VMXON:
		return -EBUSY;
	case TV_E_PARAM:
		return -EINVAL;
	case TV_E_NOSYS:
		return -ENOSYS;
	case TV_E_PERM:
		return -EPERM;
	case TV_E_ENTROPY:
		return -EAGAIN;
	case TV_E_NOT_INSIDE:
		return -ENXIO;
	case TV_E_BUSY:
		return -EBUSY;
	case TV_E_LIMIT:
		return -ENOSPC;
	case TV_E_IMAGE:
		return -ENOEXEC;
	case TV_E_NOENT:
		return -EBADF;
	case TV_E_TIMEOUT:
		return -ETIMEDOUT;
	case TV_E_STATE:
		return -ENXIO;
	default:
		return -EIO;
	}
}

static int tv_image_check(const struct tv_image_header **out)
{
	size_t blob = tv_image_blob_end - tv_image_blob;
	const struct tv_mle_header *mle = (const void *)tv_image_blob;
	const struct tv_image_header *h = (const void *)(tv_image_blob + TV_IMAGE_HEADER_OFFSET);

	if (blob < PAGE_SIZE || mle->uuid[0] != TV_MLE_UUID0 || mle->uuid[3] != TV_MLE_UUID3 ||
	    memcmp(h->magic, TV_IMAGE_MAGIC, 8) || h->version != TV_MONITOR_VERSION ||
	    h->image_size != blob || h->core_size < blob || h->entry_init >= blob ||
	    h->entry_cpu_launch >= blob || h->canary_offset + 8 > h->core_size ||
	    h->text_offset % PAGE_SIZE || h->text_end % PAGE_SIZE || h->text_end > blob ||
	    h->entry_init < h->text_offset || h->entry_init >= h->text_end ||
	    h->entry_cpu_launch < h->text_offset || h->entry_cpu_launch >= h->text_end ||
	    h->secret_offset < blob || h->secret_offset % 8 ||
	    h->secret_offset + sizeof(struct tv_secret_handoff) > h->core_size) {
		pr_err("embedded monitor image is malformed\n");
		return -ENOEXEC;
	}
	*out = h;
	return 0;
}

/*
 * vmap() maps non-executable; clear NX (and W) on the monitor's text pages so
 * Linux can call its init and launch entries.  Once launched, EPT hides these
 * pages from Linux whatever its page tables say.
 */
static pte_t *tv_lookup_kernel_pte(unsigned long addr)
{
	pgd_t *pgd = (pgd_t *)__va(read_cr3_pa()) + pgd_index(addr);
	p4d_t *p4d;
	pud_t *pud;
	pmd_t *pmd;

	if (pgd_none(*pgd))
		return NULL;
	p4d = p4d_offset(pgd, addr);
	if (p4d_none(*p4d))
		return NULL;
	pud = pud_offset(p4d, addr);
	if (pud_none(*pud) || pud_large(*pud))
		return NULL;
	pmd = pmd_offset(pud, addr);
	if (pmd_none(*pmd) || pmd_large(*pmd))
		return NULL;
	return pte_offset_kernel(pmd, addr);
}

static void tv_flush_tlb(void *unused)
{
	__flush_tlb_all();
}

static int tv_make_text_executable(struct tv_monitor *m, size_t text_start, size_t text_end)
{
	for (size_t off = text_start; off < text_end; off += PAGE_SIZE) {
		pte_t *pte = tv_lookup_kernel_pte((unsigned long)m->virt + off);

		if (!pte || !pte_present(*pte))
			return -EFAULT;
		set_pte(pte, pte_mkexec(pte_wrprotect(*pte)));
	}
	on_each_cpu(tv_flush_tlb, NULL, 1);
	return 0;
}

/*
 * The top-level entries of Linux's resource tree, for the EPT: RAM and
 * everything else it describes (PCI windows, above 4 GiB too, firmware,
 * reserved areas).  Nothing outside them is mapped.
 */
static int tv_mem_range_one(struct resource *r, void *arg)
{
	struct tv_init_params *p = arg;
	struct tv_mem_range *m;

	if (r->parent != &iomem_resource || r->end < r->start)
		return 0;	/* children lie inside their top-level parent */
	if (p->nr_ranges == TV_MAX_RANGES)
		return -E2BIG;
	m = &p->ranges[p->nr_ranges++];
	m->start = r->start;
	m->end = r->end + 1;
	m->kind = (r->flags & IORESOURCE_SYSTEM_RAM) == IORESOURCE_SYSTEM_RAM ?
		  TV_RANGE_RAM : TV_RANGE_OTHER;
	if (m->kind == TV_RANGE_RAM)
		p->ram_top = max_t(u64, p->ram_top, m->end);
	return 0;
}

static int tv_mem_ranges(struct tv_init_params *p)
{
	int ret = walk_iomem_res_desc(IORES_DESC_NONE, IORESOURCE_MEM, 0, ~0ULL, p,
				      tv_mem_range_one);

	if (ret == -E2BIG)
		pr_err("refusing to load: more than %u top-level memory resources\n", TV_MAX_RANGES);
	if (ret > 0 || ret == -EINVAL)
		ret = 0;	/* walked them all (-EINVAL: none left to find) */
	if (!ret && !p->nr_ranges) {
		pr_err("refusing to load: the resource tree describes no memory\n");
		ret = -ENODEV;
	}
	return ret;
}

/*
 * The FADT's reset register, when it is a port: the monitor traps it (a
 * reset behind its back would skip the wipe).  A memory-mapped one is not
 * trapped (docs/architecture.md).
 */
static void tv_fadt_reset(struct tv_init_params *p)
{
	struct acpi_generic_address *r = &acpi_gbl_FADT.reset_register;

	if (acpi_disabled || !(acpi_gbl_FADT.flags & ACPI_FADT_RESET_REGISTER) || !r->address)
		return;
	if (r->space_id == ACPI_ADR_SPACE_SYSTEM_IO && r->address <= 0xffff) {
		p->fadt_reset_port = (u16)r->address;
		p->fadt_reset_value = acpi_gbl_FADT.reset_value;
	} else {
		pr_info("the FADT reset register is not a port (space %u): not trapped\n",
			r->space_id);
	}
}

void tv_log_drain(struct tv_monitor *m)
{
	size_t cap = PAGE_SIZE - sizeof(*m->shared);
	u64 head;

	if (!m->shared)
		return;
	head = READ_ONCE(m->shared->head);
	char line[200];
	size_t n = 0;

	if (head - m->log_tail > cap) {
		pr_warn("monitor log overrun: %llu bytes lost\n", head - m->log_tail - cap);
		m->log_tail = head - cap;
	}
	for (; m->log_tail < head; m->log_tail++) {
		char c = m->shared->buf[m->log_tail % cap];

		if (c != '\n' && n < sizeof(line) - 1) {
			line[n++] = c;
			continue;
		}
		line[n] = 0;
		/* Fatal monitor lines must reach the console, whatever its level. */
		if (strstr(line, "trustvisor: FATAL:"))
			printk(KERN_CRIT "%s\n", line);
		else
			printk(KERN_INFO "%s\n", line);
		n = 0;
	}
}

int tv_monitor_load(struct tv_monitor *m)
{
	const struct tv_image_header *h;
	size_t percpu, pool, size;
	struct tv_init_params *p;
	struct page **pages;
	int (*init)(struct tv_init_params *);
	unsigned int i;
	u64 probe;
	int ret;

	ret = tv_image_check(&h);
	if (ret)
		return ret;
	if (nr_cpu_ids > TV_MAX_MONITOR_CPUS) {
		pr_err("refusing to load: %u possible CPUs, the monitor handles %u\n",
		       nr_cpu_ids, TV_MAX_MONITOR_CPUS);
		return -E2BIG;
	}
	percpu = (size_t)nr_cpu_ids * TV_PERCPU_SIZE;
	pool = TV_POOL_PAGES * PAGE_SIZE;
	/* Slack for aligning the per-CPU areas to their size. */
	size = h->core_size + TV_PERCPU_SIZE + percpu + pool;
	m->order = get_order(size);
	if (m->order > MAX_ORDER - 1) {
		pr_err("monitor needs %zu KiB contiguous, more than the page allocator gives\n",
		       size >> 10);
		return -ENOMEM;
	}
	m->size = PAGE_SIZE << m->order;
	m->pages = alloc_pages(GFP_KERNEL | __GFP_ZERO | __GFP_NOWARN, m->order);
	/* vmalloc'd, so a leak of it shows in /proc/vmallocinfo (the lanes check). */
	m->shared = vzalloc(PAGE_SIZE);
	pages = kcalloc(1 << m->order, sizeof(*pages), GFP_KERNEL);
	p = kzalloc(sizeof(*p), GFP_KERNEL);
	if (!m->pages || !m->shared || !pages || !p) {
		pr_err("cannot allocate %zu KiB for the monitor\n", m->size >> 10);
		ret = -ENOMEM;
		goto out;
	}
	for (i = 0; i < (1U << m->order); i++)
		pages[i] = m->pages + i;
	m->virt = vmap(pages, 1 << m->order, VM_MAP, PAGE_KERNEL);
	if (!m->virt) {
		ret = -ENOMEM;
		goto out;
	}
	m->phys = page_to_phys(m->pages);
	memcpy(m->virt, tv_image_blob, h->image_size);
	sha256(m->virt, h->image_size, m->measurement);
	m->hdr = *h;

	ret = tv_make_text_executable(m, h->text_offset, h->text_end);
	if (ret) {
		pr_err("cannot map the monitor text executable\n");
		goto out;
	}
	m->cpu_launch = m->virt + h->entry_cpu_launch;
	init = m->virt + h->entry_init;

	p->size = sizeof(*p);
	p->nr_cpus = nr_cpu_ids;
	p->virt = (u64)m->virt;
	p->phys = m->phys;
	p->mem_size = m->size;
	p->percpu_offset = ALIGN((u64)m->virt + h->core_size, TV_PERCPU_SIZE) - (u64)m->virt;
	p->pool_offset = p->percpu_offset + percpu;
	ret = tv_mem_ranges(p);
	if (ret)
		goto out;
	p->log_phys = page_to_phys(vmalloc_to_page(m->shared));
	p->log_virt = (u64)m->shared;
	p->log_size = PAGE_SIZE;
	memcpy(p->measurement, m->measurement, sizeof(p->measurement));
	/* The caller holds the hotplug lock: these are the CPUs that must enter. */
	cpumask_copy(&m->owned, cpu_online_mask);
	p->nr_owned_cpus = cpumask_weight(&m->owned);
	p->tsc_khz = tsc_khz;
	if (!rdmsrl_safe(MSR_CORE_PERF_GLOBAL_CTRL, &probe))
		p->flags |= TV_INIT_F_PERF_GLOBAL_CTRL;
	if (boot_cpu_has(X86_FEATURE_INTEL_PT) && !rdmsrl_safe(MSR_IA32_RTIT_CTL, &probe))
		p->flags |= TV_INIT_F_PT;
	p->linux_top_entry = pgd_val(*((pgd_t *)__va(read_cr3_pa()) +
				       pgd_index((unsigned long)m->virt)));
	tv_fadt_reset(p);
	ret = init(p);
	tv_log_drain(m);
	if (ret) {
		pr_err("monitor init failed: %s\n", tv_strerror(ret));
		ret = tv_errno(ret);
	}
out:
	kfree(pages);
	kfree(p);
	if (ret)
		tv_monitor_free(m);
	return ret;
}

/*
 * The master secret from the hardware TPM, into the monitor's bss (never
 * measured, hidden from Linux once a CPU runs the monitor).  Before any CPU
 * is launched: after that this memory is no longer Linux's to write.
 */
void tv_monitor_give_secret(struct tv_monitor *m, const u8 master[32],
			    const struct tv_salt_key *salt, bool fresh)
{
	struct tv_secret_handoff *h = m->virt + m->hdr.secret_offset;
	u32 kind = TV_HANDOFF_MASTER;

	BUILD_BUG_ON(sizeof(h->master) != 32);
	memcpy(h->master, master, sizeof(h->master));
	if (salt->ok) {
		h->salt_handle = salt->handle;
		memcpy(h->salt_x, salt->x, sizeof(h->salt_x));
		memcpy(h->salt_y, salt->y, sizeof(h->salt_y));
		kind |= TV_HANDOFF_SALT_KEY;
	}
	if (fresh)
		kind |= TV_HANDOFF_FRESH;
	WRITE_ONCE(h->kind, kind);
}

/* Only once no CPU runs under the monitor: wipe, then give the memory back. */
void tv_monitor_free(struct tv_monitor *m)
{
	/* Wipe through the direct map: the text is read-only in the vmap. */
	if (m->virt)
		vunmap(m->virt);
	if (m->pages) {
		memzero_explicit(page_address(m->pages), m->size);
		__free_pages(m->pages, m->order);
	}
	vfree(m->shared);
	m->virt = NULL;
	m->pages = NULL;
	m->shared = NULL;
}

/* The identity key's public half, from the monitor, into a page of ours. */
int tv_identity_get(struct tv_hc_identity *id)
{
	int ret = tv_errno((int)tv_hypercall(TV_HC_IDENTITY, virt_to_phys(id), 0, 0, NULL));

	if (!ret && id->public_area_len > sizeof(id->public_area))
		ret = -EIO;
	return ret;
}
