// SPDX-License-Identifier: GPL-2.0
/*
 * The CPUs: every CPU online (and present) at load is put under the monitor
 * and stays there for the monitor's whole life.  A CPU going offline is
 * parked by Linux inside the monitor; its INIT-SIPI on the way back is the
 * monitor's to handle.  A CPU that was not there at load is never brought up
 * (it would start outside the monitor).  Leaving is one operation of the
 * whole machine (vmxroot/leave.c): the module asks once, on one CPU, and
 * waits until the monitor says every CPU is out.
 */
#define pr_fmt(fmt) "trustvisor: " fmt

#include <linux/cpu.h>
#include <linux/cpuhotplug.h>
#include <linux/delay.h>
#include <linux/irqflags.h>
#include <linux/smp.h>
#include <asm/asm.h>
#include <asm/tlbflush.h>
#include "tv.h"

static int tv_prepare_state = -1, tv_online_state = -1;

/*
 * VMCALL with an exception fixup: on a CPU that is not (or no longer) under
 * the monitor it raises #UD, and RAX keeps the hypercall number, which is
 * never a status.
 */
/* VMCALL; RBX and RCX as the monitor left them in out[0], out[1] (if out). */
long tv_hypercall_out(unsigned long nr, unsigned long a1, unsigned long a2,
		      unsigned long a3, unsigned long out[2])
{
	unsigned long rax = nr, rbx = a1;

	asm volatile("1: vmcall\n"
		     "2:\n"
		     _ASM_EXTABLE(1b, 2b)
		     : "+a"(rax), "+b"(rbx), "+c"(a2), "+d"(a3) : : "memory");
	if (rax == nr)
		return TV_E_NOT_INSIDE;
	if (out) {
		out[0] = rbx;
		out[1] = a2;
	}
	return (long)rax;
}

long tv_hypercall(unsigned long nr, unsigned long a1, unsigned long a2,
		  unsigned long a3, unsigned long *out_rbx)
{
	unsigned long out[2];
	long ret = tv_hypercall_out(nr, a1, a2, a3, out);

	if (ret != TV_E_NOT_INSIDE && out_rbx)
		*out_rbx = out[0];
	return ret;
}

static void tv_launch_one(void *info)
{
	int *ret = info;

	cr4_set_bits_irqsoff(X86_CR4_VMXE);
	*ret = tv_mon.cpu_launch(smp_processor_id());
	if (*ret)
		cr4_clear_bits_irqsoff(X86_CR4_VMXE);
}

static void tv_clear_vmxe(void *unused)
{
	cr4_clear_bits(X86_CR4_VMXE);
}

u32 tv_cpus_inside(void)
{
	return READ_ONCE(tv_mon.shared->cpus_inside);
}

/*
 * The machine leaves the monitor: secrets destroyed first, then every CPU
 * out (vmxroot/leave.c).  Returns 0 once no CPU is inside, -ETIMEDOUT if one
 * still is: then the monitor's memory must never be freed.
 */
int tv_machine_leave(const char *why)
{
	unsigned long deadline;
	long ret;

	if (!tv_mon.shared)
		return 0;
	preempt_disable();
	ret = tv_cpus_inside() ? tv_hypercall(TV_HC_LEAVE, 0, 0, 0, NULL) : 0;
	preempt_enable();
	if (ret && ret != TV_E_NOT_INSIDE)
		pr_err("leave request refused: %s\n", tv_strerror((int)ret));
	/* The other CPUs leave as soon as they run on a kernel page table. */
	deadline = jiffies + 10 * HZ;
	while (tv_cpus_inside() && time_before(jiffies, deadline))
		msleep(1);
	tv_log_drain(&tv_mon);
	if (tv_cpus_inside()) {
		pr_err("%u CPUs still inside the monitor 10 s after the leave (%s)\n",
		       tv_cpus_inside(), why);
		return -ETIMEDOUT;
	}
	/*
	 * The last instructions of devirt_finish run on monitor memory after
	 * the count drops: an IPI to every online CPU returns only once each
	 * runs Linux again; parked CPUs get a moment to finish.  The IPI also
	 * clears CR4.VMXE in Linux's cached copy (the monitor cleared the
	 * register), also when the machine left without us (a raw leave, a
	 * crash path), or the next load's cr4_set_bits() would not write it.
	 */
	on_each_cpu(tv_clear_vmxe, NULL, 1);
	msleep(20);
	cpumask_clear(&tv_mon.virtualized);
	pr_info("every CPU has left the monitor (%s)\n", why);
	return 0;
}

/* A CPU Linux wants to bring up that the monitor does not own: refused. */
static int tv_cpu_prepare(unsigned int cpu)
{
	if (cpumask_test_cpu(cpu, &tv_mon.owned) || !tv_cpus_inside())
		return 0;
	pr_err("refusing to bring up CPU %u: it was not online when the monitor loaded and would run outside it\n",
	       cpu);
	return -EPERM;
}

static int tv_cpu_online(unsigned int cpu)
{
	if (tv_cpus_inside())
		pr_info("CPU %u is back online, under the monitor\n", cpu);
	tv_log_drain(&tv_mon);
	return 0;
}

static int tv_cpu_offline(unsigned int cpu)
{
	if (tv_cpus_inside())
		pr_info("CPU %u goes offline: parked inside the monitor\n", cpu);
	return 0;
}

/*
 * Called with the CPU hotplug lock held for reading: the set of online CPUs
 * cannot change until every one of them is inside and the hotplug
 * callbacks that keep it so are in place.
 */
int tv_cpus_launch(void)
{
	unsigned int cpu;
	int ret = 0, err;

	for_each_online_cpu(cpu) {
		err = smp_call_function_single(cpu, tv_launch_one, &ret, 1);
		tv_log_drain(&tv_mon);
		if (err || ret) {
			pr_err("CPU %u: launch failed: %s\n", cpu,
			       err ? "could not run on it" : tv_strerror(ret));
			ret = err ?: tv_errno(ret);
			goto fail;
		}
		cpumask_set_cpu(cpu, &tv_mon.virtualized);
	}
	preempt_disable();
	ret = (int)tv_hypercall(TV_HC_ACTIVATE, 0, 0, 0, NULL);
	preempt_enable();
	tv_log_drain(&tv_mon);
	if (ret) {
		pr_err("monitor activation failed: %s\n", tv_strerror(ret));
		ret = tv_errno(ret);
		goto fail;
	}
	ret = cpuhp_setup_state_nocalls_cpuslocked(CPUHP_BP_PREPARE_DYN, "trustvisor:prepare",
						   tv_cpu_prepare, NULL);
	if (ret < 0)
		goto fail;
	tv_prepare_state = ret;
	ret = cpuhp_setup_state_nocalls_cpuslocked(CPUHP_AP_ONLINE_DYN, "trustvisor:online",
						   tv_cpu_online, tv_cpu_offline);
	if (ret < 0)
		goto fail;
	tv_online_state = ret;
	return 0;

fail:
	tv_cpus_teardown();
	return ret;
}

/* The hotplug callbacks go; the CPUs leave with the machine (tv_machine_leave). */
void tv_cpus_teardown(void)
{
	if (tv_online_state >= 0)
		cpuhp_remove_state_nocalls_cpuslocked(tv_online_state);
	if (tv_prepare_state >= 0)
		cpuhp_remove_state_nocalls_cpuslocked(tv_prepare_state);
	tv_online_state = tv_prepare_state = -1;
}
