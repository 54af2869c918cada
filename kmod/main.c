// SPDX-License-Identifier: GPL-2.0
/*
 * trustvisor.ko: load the monitor, put every CPU under it, expose
 * /dev/trustvisor; on unload, reboot or crash, the machine leaves the monitor
 * (secrets destroyed first) and the monitor's memory is wiped and freed.
 */
#define pr_fmt(fmt) "trustvisor: " fmt

#include <linux/cpu.h>
#include <linux/module.h>
#include <linux/namei.h>
#include <linux/reboot.h>
#include <linux/suspend.h>
#include <asm/cpufeature.h>
#include <asm/msr.h>
#include <asm/processor.h>
#include <asm/reboot.h>
#include <asm/special_insns.h>
#include "tv.h"

struct tv_monitor tv_mon;

static bool tv_module_loaded(const char *name)
{
	char path[64];
	struct path p;

	snprintf(path, sizeof(path), "/sys/module/%s", name);
	if (kern_path(path, LOOKUP_FOLLOW, &p))
		return false;
	path_put(&p);
	return true;
}

static void tv_tracing_one(void *info)
{
	unsigned long *bad = info;
	u64 v;

	if (boot_cpu_has(X86_FEATURE_INTEL_PT) && !rdmsrl_safe(MSR_IA32_RTIT_CTL, &v) &&
	    (v & RTIT_CTL_TRACEEN))
		set_bit(0, bad);
	if (!rdmsrl_safe(MSR_IA32_PEBS_ENABLE, &v) && v)
		set_bit(1, bad);
}

/*
 * Intel PT and PEBS write memory by themselves; once the monitor runs, Linux
 * can no longer switch them on (their MSRs are refused), but one already
 * running would go on.  Hiding them in CPUID after boot does not stop a
 * kernel that already uses them, so refuse to load instead.
 */
static int tv_check_tracing(void)
{
	unsigned long bad = 0;

	on_each_cpu(tv_tracing_one, &bad, 1);
	if (test_bit(0, &bad)) {
		pr_err("refusing to load: Intel PT is tracing (IA32_RTIT_CTL.TraceEn): stop it (perf) first\n");
		return -EBUSY;
	}
	if (test_bit(1, &bad)) {
		pr_err("refusing to load: PEBS is enabled (IA32_PEBS_ENABLE): stop perf sampling first\n");
		return -EBUSY;
	}
	return 0;
}

/* What can be said before touching anything; each refusal has its own errno. */
static int tv_precheck(void)
{
	u64 fc;

	if (boot_cpu_data.x86_vendor != X86_VENDOR_INTEL) {
		pr_err("refusing to load: not an Intel CPU (vendor %.12s): the monitor needs Intel VMX (VT-x)\n",
		       boot_cpu_data.x86_vendor_id);
		return -ENODEV;
	}
	if (!(cpuid_ecx(1) & (1 << 5))) {
		pr_err("refusing to load: this Intel CPU has no VMX (VT-x) in CPUID\n");
		return -ENODEV;
	}
	if (rdmsrl_safe(MSR_IA32_FEAT_CTL, &fc) || !(fc & FEAT_CTL_LOCKED) ||
	    !(fc & FEAT_CTL_VMX_ENABLED_OUTSIDE_SMX)) {
		pr_err("refusing to load: VMX is disabled by firmware (IA32_FEATURE_CONTROL %#llx)\n", fc);
		return -EPERM;
	}
	if (__read_cr4() & X86_CR4_VMXE || tv_module_loaded("kvm_intel")) {
		pr_err("refusing to load: VMX is owned by another hypervisor (kvm_intel loaded or CR4.VMXE set)\n");
		return -EBUSY;
	}
	return tv_check_tracing();
}

/*
 * A CPU that is present but offline could be started by Linux (INIT-SIPI)
 * outside the monitor.  Called with the hotplug lock held.
 */
static int tv_check_cpus(void)
{
	static cpumask_t offline;

	if (!cpumask_andnot(&offline, cpu_present_mask, cpu_online_mask))
		return 0;
	pr_err("refusing to load: CPUs %*pbl are present but offline and could be started outside the monitor: bring them online first (see docs/architecture.md)\n",
	       cpumask_pr_args(&offline));
	return -EHOSTDOWN;
}

static int tv_pm_notify(struct notifier_block *nb, unsigned long action, void *data)
{
	if (action != PM_SUSPEND_PREPARE && action != PM_HIBERNATION_PREPARE)
		return NOTIFY_DONE;
	pr_err("refusing suspend/hibernation while the monitor runs: rmmod trustvisor first\n");
	return notifier_from_errno(-EBUSY);
}

static struct notifier_block tv_pm_nb = {
	.notifier_call = tv_pm_notify,
};

/* Reboot, halt, power-off and kexec: the machine is given back first. */
static int tv_reboot_notify(struct notifier_block *nb, unsigned long action, void *data)
{
	if (tv_machine_leave("reboot")) {
		/*
		 * No CPU may run the next kernel (kexec) inside the monitor: reset
		 * instead.  The monitor traps the reset and wipes first.
		 */
		pr_emerg("CPUs still inside the monitor at reboot: resetting instead\n");
		emergency_restart();
	}
	return NOTIFY_DONE;
}

static struct notifier_block tv_reboot_nb = {
	.notifier_call = tv_reboot_notify,
};

/*
 * Linux's crash and emergency-reboot paths call this on every CPU (in NMI
 * context, with other CPUs stopped or stopping) before booting a crash
 * kernel or resetting: the machine leaves the monitor, secrets first.  On a
 * CPU that already left, the VMCALL faults and is fixed up.
 */
static void tv_emergency_leave(void)
{
	tv_hypercall(TV_HC_LEAVE, TV_LEAVE_F_CONSOLE, 0, 0, NULL);
}

/* The one teardown path, for a failed load and for unload. */
static void tv_teardown(const char *why)
{
	cpus_read_lock();
	tv_cpus_teardown();
	cpus_read_unlock();
	if (tv_machine_leave(why)) {
		/* Freeing memory a CPU still runs on would be worse than leaking it. */
		pr_err("monitor memory (%zu KiB) leaked: CPUs are still inside\n", tv_mon.size >> 10);
		add_taint(TAINT_WARN, LOCKDEP_STILL_OK);
		return;
	}
	tv_monitor_free(&tv_mon);
}

static int __init tv_init(void)
{
	int ret;

	ret = tv_precheck();
	if (ret)
		return ret;
	cpus_read_lock();
	ret = tv_check_cpus();
	if (!ret)
		ret = tv_monitor_load(&tv_mon);
	if (!ret)
		ret = tv_evidence_begin();	/* measured before any CPU runs it */
	if (!ret) {
		ret = tv_cpus_launch();
		if (ret)
			pr_err("refusing to load: could not put every online CPU under the monitor (%d)\n",
			       ret);
	}
	cpus_read_unlock();
	if (ret)
		goto err;
	ret = tv_evidence_launched(tv_cpus_inside());
	if (ret)
		goto err;
	ret = register_pm_notifier(&tv_pm_nb);
	if (ret)
		goto err;
	ret = register_reboot_notifier(&tv_reboot_nb);
	if (ret)
		goto err_pm;
	cpu_emergency_register_virt_callback(tv_emergency_leave);
	ret = tv_dev_register();
	if (ret)
		goto err_reboot;
	pr_info("monitor %u.%u.%u running on %u CPUs, measurement %32phN\n",
		tv_mon.hdr.version >> 16, (tv_mon.hdr.version >> 8) & 0xff,
		tv_mon.hdr.version & 0xff, tv_cpus_inside(), tv_mon.measurement);
	return 0;

err_reboot:
	cpu_emergency_unregister_virt_callback(tv_emergency_leave);
	unregister_reboot_notifier(&tv_reboot_nb);
err_pm:
	unregister_pm_notifier(&tv_pm_nb);
err:
	if (tv_mon.pages)
		tv_teardown("load failed");
	tv_evidence_free();
	return ret;
}

static void __exit tv_exit(void)
{
	tv_dev_unregister();
	cpu_emergency_unregister_virt_callback(tv_emergency_leave);
	unregister_reboot_notifier(&tv_reboot_nb);
	unregister_pm_notifier(&tv_pm_nb);
	tv_teardown("unload");
	if (!tv_mon.pages) {
		tv_evidence_left();
		pr_info("unloaded: every CPU given back, monitor memory wiped\n");
	}
	tv_evidence_free();
}

module_init(tv_init);
module_exit(tv_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("TrustVisor: isolated execution under a measured VMX monitor");
MODULE_VERSION("1.0.0");
