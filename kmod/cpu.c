// SPDX-License-Identifier: GPL-2.0
/*
 * Putting CPUs under the monitor and taking them back, through CPU hotplug
 * callbacks: the same path serves the CPUs online at load, CPUs plugged in
 * later, CPUs going offline and module unload.
 */
#define pr_fmt(fmt) "trustvisor: " fmt

#include <linux/cpuhotplug.h>
#include <linux/irqflags.h>
#include <linux/smp.h>
#include <asm/tlbflush.h>
#include "tv.h"

static enum cpuhp_state tv_cpuhp_state;

unsigned long tv_hypercall(unsigned long nr, unsigned long a1, unsigned long a2,
			   unsigned long a3, unsigned long *out_rbx)
{
	unsigned long rbx = a1;

	asm volatile("vmcall" : "+a"(nr), "+b"(rbx), "+c"(a2), "+d"(a3) : : "memory");
	if (out_rbx)
		*out_rbx = rbx;
	return nr;
}

/* Runs on `cpu` itself (CPUHP_AP_ONLINE_DYN callbacks do). */
static int tv_cpu_online(unsigned int cpu)
{
	unsigned long flags;
	int ret;

	local_irq_save(flags);
	cr4_set_bits_irqsoff(X86_CR4_VMXE);
	ret = tv_mon.cpu_launch(cpu);
	if (ret)
		cr4_clear_bits_irqsoff(X86_CR4_VMXE);
	else
		cpumask_set_cpu(cpu, &tv_mon.virtualized);
	local_irq_restore(flags);
	tv_log_drain(&tv_mon);
	if (ret) {
		pr_err("CPU %u: launch failed: %s\n", cpu, tv_strerror(ret));
		return tv_errno(ret);
	}
	pr_info("CPU %u: running under the monitor\n", cpu);
	return 0;
}

static int tv_cpu_offline(unsigned int cpu)
{
	unsigned long flags;
	long ret;

	if (!cpumask_test_cpu(cpu, &tv_mon.virtualized))
		return 0;
	local_irq_save(flags);
	ret = (long)tv_hypercall(TV_HC_DEVIRT, 0, 0, 0, NULL);
	if (!ret) {
		cr4_clear_bits_irqsoff(X86_CR4_VMXE);
		cpumask_clear_cpu(cpu, &tv_mon.virtualized);
	}
	local_irq_restore(flags);
	if (ret) {
		pr_err("CPU %u: devirtualization refused: %s\n", cpu, tv_strerror((int)ret));
		return tv_errno((int)ret);
	}
	pr_info("CPU %u: given back to Linux\n", cpu);
	return 0;
}

int tv_cpus_launch(void)
{
	int ret;

	ret = cpuhp_setup_state(CPUHP_AP_ONLINE_DYN, "trustvisor:online",
				tv_cpu_online, tv_cpu_offline);
	if (ret < 0)
		return ret;
	tv_cpuhp_state = ret;
	return 0;
}

void tv_cpus_teardown(void)
{
	cpuhp_remove_state(tv_cpuhp_state);
}
