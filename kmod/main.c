// SPDX-License-Identifier: GPL-2.0
/*
 * trustvisor.ko: load the monitor, virtualize every CPU, expose
 * /dev/trustvisor; on unload, give every CPU back and wipe the monitor.
 */
#define pr_fmt(fmt) "trustvisor: " fmt

#include <linux/module.h>
#include <linux/namei.h>
#include <linux/suspend.h>
#include <asm/cpufeature.h>
#include <asm/msr.h>
#include <asm/processor.h>
#include <asm/special_insns.h>
#include "tv.h"

struct tv_monitor tv_mon;

bool tv_selftest_probes;
module_param_named(selftest_probes, tv_selftest_probes, bool, 0444);
MODULE_PARM_DESC(selftest_probes, "allow TV_IOC_PROBE_MONITOR (kernel-mode attack on the monitor, for tests)");

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
	return 0;
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

static int __init tv_init(void)
{
	int ret;

	ret = tv_precheck();
	if (ret)
		return ret;
	ret = tv_monitor_load(&tv_mon);
	if (ret)
		return ret;
	ret = register_pm_notifier(&tv_pm_nb);
	if (ret)
		goto err_free;
	ret = tv_cpus_launch();
	if (ret) {
		pr_err("refusing to load: could not virtualize every online CPU (%d)\n", ret);
		goto err_pm;
	}
	ret = tv_dev_register();
	if (ret)
		goto err_cpus;
	pr_info("monitor %u.%u.%u running on %u CPUs, measurement %32phN\n",
		tv_mon.hdr.version >> 16, (tv_mon.hdr.version >> 8) & 0xff,
		tv_mon.hdr.version & 0xff, cpumask_weight(&tv_mon.virtualized),
		tv_mon.measurement);
	return 0;

err_cpus:
	tv_cpus_teardown();
err_pm:
	unregister_pm_notifier(&tv_pm_nb);
err_free:
	tv_monitor_free(&tv_mon);
	return ret;
}

static void __exit tv_exit(void)
{
	tv_dev_unregister();
	tv_cpus_teardown();
	unregister_pm_notifier(&tv_pm_nb);
	tv_log_drain(&tv_mon);
	if (!cpumask_empty(&tv_mon.virtualized)) {
		/* Freeing memory a CPU still runs on would be worse than leaking it. */
		pr_err("CPUs %*pbl still virtualized: monitor memory leaked\n",
		       cpumask_pr_args(&tv_mon.virtualized));
		return;
	}
	tv_monitor_free(&tv_mon);
	pr_info("unloaded: every CPU given back, monitor memory wiped\n");
}

module_init(tv_init);
module_exit(tv_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("TrustVisor: isolated execution under a measured VMX monitor");
MODULE_VERSION("1.0.0");
