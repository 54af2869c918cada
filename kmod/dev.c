// SPDX-License-Identifier: GPL-2.0
/* /dev/trustvisor: the ioctl interface of include/uapi/trustvisor.h. */
#define pr_fmt(fmt) "trustvisor: " fmt

#include <linux/capability.h>
#include <linux/cpu.h>
#include <linux/delay.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/io.h>
#include <linux/uaccess.h>
#include "trustvisor/evidence.h"
#include <asm/apic.h>
#include <asm/nmi.h>
#include "uapi/trustvisor.h"
#include "tv.h"

static_assert(TV_EXIT_REASON_MAX == TV_EXIT_REASONS);

/*
 * Copies an extensible struct out: userspace said how much it knows in
 * `size`; it gets min(its size, ours) bytes with `size` set to ours.
 */
static int tv_copy_out(void __user *uarg, void *kobj, u32 ksize, u32 usize)
{
	*(u32 *)kobj = ksize;
	return copy_to_user(uarg, kobj, min(ksize, usize)) ? -EFAULT : 0;
}

int tv_get_usize(void __user *uarg, u32 *usize)
{
	if (get_user(*usize, (u32 __user *)uarg))
		return -EFAULT;
	return *usize < 2 * sizeof(u32) ? -EINVAL : 0;
}

#ifdef TV_SELFTEST
/* The selftest-only ioctls exist only in the test build, and only for root. */
static int tv_get_test_usize(void __user *uarg, u32 *usize)
{
	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	return tv_get_usize(uarg, usize);
}
#endif

/*
 * Exit counters of one CPU, asked of the monitor from whichever CPU we are
 * on; -ENXIO once the machine has left the monitor.
 */
static int tv_cpu_exits(unsigned int cpu, u64 *exits)
{
	u64 *buf;
	long ret;

	buf = kzalloc(TV_EXIT_REASONS * sizeof(u64), GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	preempt_disable();
	ret = tv_hypercall(TV_HC_GET_CPU_STATS, cpu, virt_to_phys(buf),
			   TV_EXIT_REASONS * sizeof(u64), NULL);
	preempt_enable();
	if (!ret)
		memcpy(exits, buf, TV_EXIT_REASONS * sizeof(u64));
	kfree(buf);
	return tv_errno((int)ret);
}

static bool tv_cpu_inside(unsigned int cpu)
{
	return cpu < TV_MAX_MONITOR_CPUS &&
	       (READ_ONCE(tv_mon.shared->inside[cpu / 64]) >> (cpu % 64)) & 1;
}

static long tv_ioc_status(void __user *uarg)
{
	struct tv_status *st;
	unsigned int cpu;
	u64 *exits;
	u32 usize;
	int ret;

	ret = tv_get_usize(uarg, &usize);
	if (ret)
		return ret;
	st = kzalloc(sizeof(*st), GFP_KERNEL);
	exits = kzalloc(TV_EXIT_REASONS * sizeof(u64), GFP_KERNEL);
	if (!st || !exits) {
		ret = -ENOMEM;
		goto out;
	}
	st->abi_version = TV_ABI_VERSION;
	st->monitor_version = tv_mon.hdr.version;
	st->nr_cpus_online = num_online_cpus();
	st->nr_cpus_virtualized = tv_cpus_inside();
	if (IS_ENABLED(TV_SELFTEST))
		st->flags |= TV_STATUS_F_SELFTEST;
	memcpy(st->measurement, tv_mon.measurement, sizeof(st->measurement));
	st->max_pals = TV_MAX_PALS;
	if (tv_pal_stats(&st->nr_pals, &st->denied_accesses) == -ENXIO)
		st->nr_pals = 0;	/* the monitor is gone: no PALs */
	st->image_size = tv_mon.hdr.image_size;
	st->monitor_memory = tv_mon.size;
	for_each_possible_cpu(cpu) {
		ret = tv_cpu_exits(cpu, exits);
		if (ret == -ENXIO)
			break;		/* the monitor is gone: no counters */
		if (ret)
			goto out;
		for (int i = 0; i < TV_EXIT_REASONS; i++)
			st->exits[i] += exits[i];
	}
	tv_log_drain(&tv_mon);
	ret = tv_copy_out(uarg, st, sizeof(*st), usize);
out:
	kfree(exits);
	kfree(st);
	return ret;
}

/* The monitor's identity key, as the monitor gives it, and how it was launched. */
static long tv_ioc_identity(void __user *uarg)
{
	struct tv_hc_identity *hc;
	struct tv_identity *id;
	bool first;
	u32 usize;
	int ret;

	ret = tv_get_usize(uarg, &usize);
	if (ret)
		return ret;
	id = kzalloc(sizeof(*id), GFP_KERNEL);
	hc = (void *)get_zeroed_page(GFP_KERNEL);	/* one page: never split for the monitor */
	if (!id || !hc) {
		ret = -ENOMEM;
		goto out;
	}
	ret = tv_identity_get(hc);
	if (ret)
		goto out;
	id->launch = TV_LAUNCH_KERNEL;
	memcpy(id->pubkey, hc->pubkey, sizeof(id->pubkey));
	memcpy(id->name, hc->name, sizeof(id->name));
	id->public_area_len = hc->public_area_len;
	memcpy(id->public_area, hc->public_area, hc->public_area_len);
	memcpy(id->measurement, tv_mon.measurement, sizeof(id->measurement));
	BUILD_BUG_ON(TV_IDENTITY_SECRET_KEPT != TV_SECRET_KEPT ||
		     TV_IDENTITY_SECRET_CREATED != TV_SECRET_CREATED ||
		     TV_IDENTITY_SECRET_MIGRATED != TV_SECRET_MIGRATED ||
		     TV_IDENTITY_SECRET_EPHEMERAL != TV_SECRET_EPHEMERAL);
	if (tv_evidence_info(&id->evidence_pcr, &first, &id->secret)) {
		id->flags |= TV_IDENTITY_F_TPM | (first ? TV_IDENTITY_F_FIRST_LAUNCH : 0);
		snprintf(id->launch_desc, sizeof(id->launch_desc),
			 "loaded by the running kernel, no DRTM; TPM PCR %u, %s launch",
			 id->evidence_pcr, first ? "first" : "a later");
	} else {
		id->evidence_pcr = 0;
		strscpy(id->launch_desc, "loaded by the running kernel, no DRTM; no TPM evidence",
			sizeof(id->launch_desc));
	}
	id->flags |= id->secret == TV_SECRET_EPHEMERAL ? TV_IDENTITY_F_EPHEMERAL :
		     TV_IDENTITY_F_KEPT;
	BUILD_BUG_ON(TV_IDENTITY_NV_NONE != TV_NV_NONE || TV_IDENTITY_NV_PENDING != TV_NV_PENDING ||
		     TV_IDENTITY_NV_OPEN != TV_NV_OPEN || TV_IDENTITY_NV_FAILED != TV_NV_FAILED);
	id->nv_counter_state = hc->nv_state;
	id->nv_counter_error = hc->nv_error;
	id->nv_counter = hc->nv_value;
	BUILD_BUG_ON(TV_IDENTITY_COUNTERS_MEMORY != TV_COUNTERS_MEMORY ||
		     TV_IDENTITY_COUNTERS_UNKNOWN != TV_COUNTERS_UNKNOWN ||
		     TV_IDENTITY_COUNTERS_KNOWN != TV_COUNTERS_KNOWN);
	id->counters = hc->counters;
	ret = tv_copy_out(uarg, id, sizeof(*id), usize);
out:
	free_page((unsigned long)hc);
	kfree(id);
	return ret;
}

static long tv_ioc_cpu_status(void __user *uarg)
{
	struct tv_cpu_status *cs;
	u32 usize;
	int ret;

	ret = tv_get_usize(uarg, &usize);
	if (ret)
		return ret;
	cs = kzalloc(sizeof(*cs), GFP_KERNEL);
	if (!cs)
		return -ENOMEM;
	if (copy_from_user(cs, uarg, min_t(u32, usize, sizeof(*cs)))) {
		ret = -EFAULT;
		goto out;
	}
	if (cs->cpu >= nr_cpu_ids) {
		ret = -EINVAL;
		goto out;
	}
	cs->online = cpu_online(cs->cpu);
	cs->virtualized = tv_cpu_inside(cs->cpu);
	ret = tv_cpu_exits(cs->cpu, cs->exits);
	if (ret == -ENXIO)
		ret = 0;	/* the monitor is gone: no counters */
	if (!ret)
		ret = tv_copy_out(uarg, cs, sizeof(*cs), usize);
out:
	kfree(cs);
	return ret;
}

#ifdef TV_SELFTEST
static u64 tv_read_canary(void)
{
	unsigned long canary = 0;

	get_cpu();
	tv_hypercall(TV_HC_READ_CANARY, 0, 0, 0, &canary);
	put_cpu();
	return canary;
}

/*
 * Kernel-mode attack on the monitor, for the selftests: read its first bytes
 * through both of Linux's mappings and overwrite its canary.  Both must fault.
 */
static long tv_ioc_probe(void __user *uarg)
{
	struct tv_probe_result r = { 0 };
	u8 buf[64];
	u64 *canary = tv_mon.virt + tv_mon.hdr.canary_offset;
	u64 evil = 0xbadc0ffee0ddf00dULL;
	u32 usize;
	int ret;

	ret = tv_get_test_usize(uarg, &usize);
	if (ret)
		return ret;
	r.canary_before = tv_read_canary();
	r.read_faulted = copy_from_kernel_nofault(buf, tv_mon.virt, sizeof(buf)) != 0;
	r.read_matched = !r.read_faulted && !memcmp(buf, tv_image_blob, sizeof(buf));
	if (copy_from_kernel_nofault(buf, page_address(tv_mon.pages), sizeof(buf)) == 0) {
		r.read_faulted = 0;
		r.read_matched |= !memcmp(buf, tv_image_blob, sizeof(buf));
	}
	/* The vmap alias of the canary is writable in Linux's page tables. */
	r.write_faulted = 1;
	__put_kernel_nofault(canary, &evil, u64, faulted);
	r.write_faulted = 0;
faulted:
	r.canary_after = tv_read_canary();
	tv_log_drain(&tv_mon);
	return tv_copy_out(uarg, &r, sizeof(r), usize);
}

static DEFINE_PER_CPU(atomic_t, tv_nmi_expected);
static atomic_t tv_nmi_received;

/* Claims only the NMIs the test sent, so real ones keep their handlers. */
static int tv_test_nmi_handler(unsigned int type, struct pt_regs *regs)
{
	if (atomic_dec_if_positive(this_cpu_ptr(&tv_nmi_expected)) < 0)
		return NMI_DONE;
	atomic_inc(&tv_nmi_received);
	return NMI_HANDLED;
}

/* One NMI at a time: the CPU latches only one pending NMI, even natively. */
static long tv_ioc_test_nmi(void __user *uarg)
{
	struct tv_nmi_test t;
	unsigned int cpu, i;
	u32 usize;
	int ret;

	ret = tv_get_test_usize(uarg, &usize);
	if (ret)
		return ret;
	memset(&t, 0, sizeof(t));
	if (copy_from_user(&t, uarg, min_t(u32, usize, sizeof(t))))
		return -EFAULT;
	if (!t.per_cpu || t.per_cpu > 1000)
		return -EINVAL;
	ret = register_nmi_handler(NMI_LOCAL, tv_test_nmi_handler, 0, "trustvisor_selftest");
	if (ret)
		return ret;
	t.sent = 0;
	atomic_set(&tv_nmi_received, 0);
	cpus_read_lock();
	for_each_online_cpu(cpu) {
		for (i = 0; i < t.per_cpu; i++) {
			int wait = 1000;

			atomic_inc(per_cpu_ptr(&tv_nmi_expected, cpu));
			apic->send_IPI(cpu, NMI_VECTOR);
			t.sent++;
			while (atomic_read(&tv_nmi_received) < t.sent && wait--)
				udelay(100);
		}
		atomic_set(per_cpu_ptr(&tv_nmi_expected, cpu), 0);
	}
	cpus_read_unlock();
	t.received = atomic_read(&tv_nmi_received);
	unregister_nmi_handler(NMI_LOCAL, "trustvisor_selftest");
	return tv_copy_out(uarg, &t, sizeof(t), usize);
}

#endif /* TV_SELFTEST */

static long tv_ioctl(struct file *f, unsigned int cmd, unsigned long arg)
{
	void __user *uarg = (void __user *)arg;

	switch (cmd) {
	case TV_IOC_PAL_LOAD:
		return tv_ioc_pal_load(f->private_data, uarg);
	case TV_IOC_PAL_CALL:
		return tv_ioc_pal_call(f->private_data, uarg);
	case TV_IOC_PAL_QUOTE:
		return tv_ioc_pal_quote(f->private_data, uarg);
	case TV_IOC_IDENTITY:
		return tv_ioc_identity(uarg);
	case TV_IOC_COUNTERS:
		return tv_ioc_counters(uarg);
	case TV_IOC_PAL_UNLOAD:
		return tv_ioc_pal_unload(f->private_data, uarg);
	case TV_IOC_STATUS:
		return tv_ioc_status(uarg);
	case TV_IOC_CPU_STATUS:
		return tv_ioc_cpu_status(uarg);
#ifdef TV_SELFTEST
	case TV_IOC_PROBE_MONITOR:
		return tv_ioc_probe(uarg);
	case TV_IOC_TEST_NMI:
		return tv_ioc_test_nmi(uarg);
	case TV_IOC_TEST_PAL_PROBE:
		return tv_ioc_pal_probe(f->private_data, uarg);
	case TV_IOC_TEST_PAL_RACE:
		return tv_ioc_pal_race(f->private_data, uarg);
	case TV_IOC_TEST_PAL_REGS:
		return tv_ioc_pal_regs(f->private_data, uarg);
#endif
	default:
		return -ENOTTY;
	}
}

static int tv_open(struct inode *inode, struct file *f)
{
	f->private_data = tv_file_new();
	return f->private_data ? 0 : -ENOMEM;
}

/* Closing the file unloads its PALs (wiped by the monitor first). */
static int tv_release(struct inode *inode, struct file *f)
{
	tv_file_release(f->private_data);
	return 0;
}

#ifdef TV_SELFTEST
static int tv_mmap(struct file *f, struct vm_area_struct *vma)
{
	return tv_pal_mmap(f->private_data, vma);
}
#endif

static const struct file_operations tv_fops = {
	.owner = THIS_MODULE,
	.open = tv_open,
	.release = tv_release,
#ifdef TV_SELFTEST
	.mmap = tv_mmap,
#endif
	.unlocked_ioctl = tv_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.llseek = noop_llseek,
};

static struct miscdevice tv_misc = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "trustvisor",
	.fops = &tv_fops,
	.mode = 0600,
};

int tv_dev_register(void)
{
	return misc_register(&tv_misc);
}

void tv_dev_unregister(void)
{
	misc_deregister(&tv_misc);
}
