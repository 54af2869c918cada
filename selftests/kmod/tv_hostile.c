// SPDX-License-Identifier: GPL-2.0
/*
 * tv_hostile.ko: built only for the in-VM lanes.  From inside the guest it
 * does what a hostile or confused kernel would, each operation under an
 * exception fixup, and checks the architectural answer and that every CPU is
 * still under the monitor afterwards.  Results are TAP, read from debugfs:
 *
 *   /sys/kernel/debug/tv_hostile/traps         the trapped operations
 *   /sys/kernel/debug/tv_hostile/leave         a raw leave (VMCALL) on one CPU,
 *   /sys/kernel/debug/tv_hostile/leave-vmxoff  or VMXOFF: that CPU, now
 *       outside the EPT, reads the monitor's memory and must find the master
 *       secret and identity key already wiped, and every CPU must be out.
 *   /sys/kernel/debug/tv_hostile/triple-fault  Linux triple-faults (null IDT,
 *       then an exception): the monitor must wipe, then reset the machine.
 *
 * It needs the test build of the monitor (trustvisor-test.ko) for the
 * selftest hypercalls.
 */
#define pr_fmt(fmt) "tv_hostile: " fmt

#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/fs.h>
#include <linux/io.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/uaccess.h>
#include <asm/asm.h>
#include <asm/msr-index.h>
#include <asm/processor.h>
#include <asm/special_insns.h>
#include <asm/fpu/xcr.h>
#include "trustvisor/monitor.h"

#define OUT_SIZE	(32 * 1024)
#define NO_FAULT	(-1L)
#define X86_TRAP_UD_NR	6
#define X86_TRAP_GP_NR	13

struct tap_out {
	char *buf;
	size_t len;
	int n, failed;
};

static __printf(3, 4) void tap(struct tap_out *t, bool ok, const char *fmt, ...)
{
	va_list ap;

	t->len += scnprintf(t->buf + t->len, OUT_SIZE - t->len, "%sok %d ", ok ? "" : "not ",
			    ++t->n);
	va_start(ap, fmt);
	t->len += vscnprintf(t->buf + t->len, OUT_SIZE - t->len, fmt, ap);
	va_end(ap);
	t->len += scnprintf(t->buf + t->len, OUT_SIZE - t->len, "\n");
	if (!ok)
		t->failed = 1;
}

static __printf(2, 3) void diag(struct tap_out *t, const char *fmt, ...)
{
	va_list ap;

	t->len += scnprintf(t->buf + t->len, OUT_SIZE - t->len, "# ");
	va_start(ap, fmt);
	t->len += vscnprintf(t->buf + t->len, OUT_SIZE - t->len, fmt, ap);
	va_end(ap);
	t->len += scnprintf(t->buf + t->len, OUT_SIZE - t->len, "\n");
}

/* ---- one instruction each, under a fixup: the vector it raised, or NO_FAULT ---- */

static long hc(unsigned long nr, unsigned long *rbx, unsigned long *rcx, unsigned long *rdx)
{
	unsigned long a = nr, b = rbx ? *rbx : 0, c = rcx ? *rcx : 0, d = rdx ? *rdx : 0;

	asm volatile("1: vmcall\n"
		     "2:\n"
		     _ASM_EXTABLE(1b, 2b)
		     : "+a"(a), "+b"(b), "+c"(c), "+d"(d) : : "memory");
	if (a == nr)
		return -1000;	/* #UD: not under the monitor */
	if (rbx)
		*rbx = b;
	if (rcx)
		*rcx = c;
	if (rdx)
		*rdx = d;
	return (long)a;
}

static long try_wrmsr(u32 msr, u64 val)
{
	long rax = (u32)val;

	asm volatile("1: wrmsr\n"
		     "   mov $-1, %%rax\n"
		     "2:\n"
		     _ASM_EXTABLE_FAULT(1b, 2b)
		     : "+a"(rax) : "c"(msr), "d"((u32)(val >> 32)) : "memory");
	return rax;
}

static long try_rdmsr(u32 msr, u64 *val)
{
	long rax = 0;
	u32 lo = 0, hi = 0;

	asm volatile("1: rdmsr\n"
		     "   mov %%eax, %k[lo]\n"
		     "   mov $-1, %%rax\n"
		     "2:\n"
		     _ASM_EXTABLE_FAULT(1b, 2b)
		     : "+a"(rax), "=d"(hi), [lo] "=r"(lo) : "c"(msr));
	*val = ((u64)hi << 32) | lo;
	return rax;
}

static long try_xsetbv(u32 xcr, u64 val)
{
	long rax = (u32)val;

	asm volatile("1: xsetbv\n"
		     "   mov $-1, %%rax\n"
		     "2:\n"
		     _ASM_EXTABLE_FAULT(1b, 2b)
		     : "+a"(rax) : "c"(xcr), "d"((u32)(val >> 32)) : "memory");
	return rax;
}

static long try_write_cr0(unsigned long v)
{
	long rax = 0;

	asm volatile("1: mov %[v], %%cr0\n"
		     "   mov $-1, %%rax\n"
		     "2:\n"
		     _ASM_EXTABLE_FAULT(1b, 2b)
		     : "+a"(rax) : [v] "r"(v) : "memory");
	return rax;
}

static long try_write_cr4(unsigned long v)
{
	long rax = 0;

	asm volatile("1: mov %[v], %%cr4\n"
		     "   mov $-1, %%rax\n"
		     "2:\n"
		     _ASM_EXTABLE_FAULT(1b, 2b)
		     : "+a"(rax) : [v] "r"(v) : "memory");
	return rax;
}

static long try_vmxon(void)
{
	static u64 region_pa;
	long rax = 0;

	asm volatile("1: vmxon %[m]\n"
		     "   mov $-1, %%rax\n"
		     "2:\n"
		     _ASM_EXTABLE_FAULT(1b, 2b)
		     : "+a"(rax) : [m] "m"(region_pa) : "memory", "cc");
	return rax;
}

static long try_invept(void)
{
	struct { u64 eptp, rsvd; } desc = { 0, 0 };
	long rax = 0;

	asm volatile("1: invept %[d], %[t]\n"
		     "   mov $-1, %%rax\n"
		     "2:\n"
		     _ASM_EXTABLE_FAULT(1b, 2b)
		     : "+a"(rax) : [d] "m"(desc), [t] "r"(2UL) : "memory", "cc");
	return rax;
}

static long try_getsec(void)
{
	long rax = 0;	/* GETSEC[CAPABILITIES] */

	asm volatile("1: .byte 0x0f, 0x37\n"
		     "   mov $-1, %%rax\n"
		     "2:\n"
		     _ASM_EXTABLE_FAULT(1b, 2b)
		     : "+a"(rax) : : "rbx", "rcx", "rdx", "memory");
	return rax;
}

static long try_invd(void)
{
	long rax = 0;

	asm volatile("1: invd\n"
		     "   mov $-1, %%rax\n"
		     "2:\n"
		     _ASM_EXTABLE_FAULT(1b, 2b)
		     : "+a"(rax) : : "memory");
	return rax;
}

static long try_vmxoff(void)
{
	long rax = 0;

	asm volatile("1: vmxoff\n"
		     "   mov $-1, %%rax\n"
		     "2:\n"
		     _ASM_EXTABLE_FAULT(1b, 2b)
		     : "+a"(rax) : : "memory", "cc");
	return rax;
}

static const char *fault_name(long v)
{
	switch (v) {
	case NO_FAULT: return "no fault";
	case X86_TRAP_UD_NR: return "#UD";
	case X86_TRAP_GP_NR: return "#GP";
	default: return "another fault";
	}
}

/* ---- is every CPU still under the monitor? ---- */

static bool signature_here(void)
{
	unsigned int a, b, c, d;

	cpuid(0x40000000, &a, &b, &c, &d);
	return b == 0x73757254 && c == 0x69567473 && d == 0x56547273;
}

static void signature_one(void *info)
{
	atomic_t *n = info;

	if (signature_here())
		atomic_inc(n);
}

static int cpus_with_signature(void)
{
	atomic_t n = ATOMIC_INIT(0);

	on_each_cpu(signature_one, &n, 1);
	return atomic_read(&n);
}

/* Exit counter of this CPU for one basic reason, through the monitor. */
static u64 exits_here(unsigned int reason)
{
	u64 *page = (u64 *)__get_free_page(GFP_ATOMIC | __GFP_ZERO);
	unsigned long cpu = smp_processor_id(), buf, size = TV_EXIT_REASONS * sizeof(u64);
	u64 v = ~0ULL;

	if (!page)
		return v;
	buf = virt_to_phys(page);
	if (!hc(TV_HC_GET_CPU_STATS, &cpu, &buf, &size))
		v = page[reason];
	free_page((unsigned long)page);
	return v;
}

/* ---- the traps ---- */

struct trap_case {
	const char *what;
	long (*op)(void);
	long want;		/* NO_FAULT, #UD or #GP */
	int exit_reason;	/* this reason's counter must move (-1: not checked) */
};

static u64 xcr0_now(void)
{
	return xgetbv(0);
}

static long op_xsetbv_same(void) { return try_xsetbv(0, xcr0_now()); }
static long op_xsetbv_avx_no_sse(void) { return try_xsetbv(0, 0x5); }
static long op_xsetbv_xcr1(void) { return try_xsetbv(1, 1); }
static long op_xsetbv_mpx_half(void) { return try_xsetbv(0, xcr0_now() | 0x8); }
static long op_cr0_bit32(void) { return try_write_cr0(read_cr0() | (1UL << 32)); }
static long op_cr0_nw_no_cd(void)
{
	return try_write_cr0((read_cr0() | X86_CR0_NW) & ~X86_CR0_CD);
}
static long op_cr4_reserved(void) { return try_write_cr4(__read_cr4() | (1UL << 31)); }
static long op_cr4_smxe(void) { return try_write_cr4(__read_cr4() | X86_CR4_SMXE); }
static long op_feature_control(void)
{
	u64 v;

	try_rdmsr(MSR_IA32_FEAT_CTL, &v);
	return try_wrmsr(MSR_IA32_FEAT_CTL, v);
}
static long op_apic_base_move(void)
{
	u64 v;

	try_rdmsr(MSR_IA32_APICBASE, &v);
	return try_wrmsr(MSR_IA32_APICBASE, v + 0x100000);
}
static long op_rtit_ctl_write(void) { return try_wrmsr(MSR_IA32_RTIT_CTL, RTIT_CTL_TRACEEN); }
static long op_rtit_out_base(void) { return try_wrmsr(MSR_IA32_RTIT_OUTPUT_BASE, 0x100000); }
static long op_rtit_ctl_read(void)
{
	u64 v;

	return try_rdmsr(MSR_IA32_RTIT_CTL, &v);
}
static long op_ds_area(void) { return try_wrmsr(MSR_IA32_DS_AREA, 0xffff888000100000ULL); }
static long op_pebs_enable(void) { return try_wrmsr(MSR_IA32_PEBS_ENABLE, 1); }
static long op_debugctl_bts(void) { return try_wrmsr(MSR_IA32_DEBUGCTLMSR, DEBUGCTLMSR_BTS); }
static long op_tsc_write(void) { return try_wrmsr(MSR_IA32_TSC, 0); }
static long op_rdmsr_outside(void)
{
	u64 v;

	return try_rdmsr(0x40000100, &v);
}
static long op_rdmsr_vmx_basic(void)
{
	u64 v;

	return try_rdmsr(MSR_IA32_VMX_BASIC, &v);
}

static const struct trap_case traps[] = {
	{ "XSETBV of the current XCR0", op_xsetbv_same, NO_FAULT, 55 },
	{ "XSETBV AVX without SSE", op_xsetbv_avx_no_sse, X86_TRAP_GP_NR, 55 },
	{ "XSETBV of XCR1", op_xsetbv_xcr1, X86_TRAP_GP_NR, 55 },
	{ "XSETBV with half of MPX", op_xsetbv_mpx_half, X86_TRAP_GP_NR, 55 },
	{ "MOV CR0 with bit 32", op_cr0_bit32, X86_TRAP_GP_NR, -1 },
	{ "MOV CR0 with NW but not CD", op_cr0_nw_no_cd, X86_TRAP_GP_NR, -1 },
	{ "MOV CR4 with reserved bit 31", op_cr4_reserved, X86_TRAP_GP_NR, 28 },
	{ "MOV CR4 setting SMXE (SMX is hidden)", op_cr4_smxe, X86_TRAP_GP_NR, 28 },
	{ "WRMSR IA32_FEATURE_CONTROL", op_feature_control, X86_TRAP_GP_NR, 32 },
	{ "WRMSR IA32_APIC_BASE to another base", op_apic_base_move, X86_TRAP_GP_NR, 32 },
	{ "WRMSR IA32_RTIT_CTL (start Intel PT)", op_rtit_ctl_write, X86_TRAP_GP_NR, 32 },
	{ "WRMSR IA32_RTIT_OUTPUT_BASE", op_rtit_out_base, X86_TRAP_GP_NR, 32 },
	{ "RDMSR IA32_RTIT_CTL", op_rtit_ctl_read, X86_TRAP_GP_NR, 31 },
	{ "WRMSR IA32_DS_AREA (BTS/PEBS buffer)", op_ds_area, X86_TRAP_GP_NR, 32 },
	{ "WRMSR IA32_PEBS_ENABLE", op_pebs_enable, X86_TRAP_GP_NR, 32 },
	{ "WRMSR IA32_DEBUGCTL with BTS", op_debugctl_bts, X86_TRAP_GP_NR, 32 },
	{ "WRMSR IA32_TSC", op_tsc_write, X86_TRAP_GP_NR, 32 },
	{ "RDMSR 0x40000100 (outside the MSR bitmap)", op_rdmsr_outside, X86_TRAP_GP_NR, 31 },
	{ "RDMSR IA32_VMX_BASIC", op_rdmsr_vmx_basic, X86_TRAP_GP_NR, 31 },
	{ "VMXON", try_vmxon, X86_TRAP_UD_NR, 27 },
	{ "INVEPT", try_invept, X86_TRAP_UD_NR, 50 },
	/* #UD (CR4.SMXE clear) comes before the exit: no counter to check. */
	{ "GETSEC[CAPABILITIES]", try_getsec, X86_TRAP_UD_NR, -1 },
	{ "INVD (done as WBINVD)", try_invd, NO_FAULT, 13 },
};

static void run_traps(struct tap_out *t)
{
	int ncpu = num_online_cpus();
	u64 apic_before, apic_after;

	t->len += scnprintf(t->buf + t->len, OUT_SIZE - t->len, "TAP version 13\n1..%zu\n",
			    2 * ARRAY_SIZE(traps) + 1);
	try_rdmsr(MSR_IA32_APICBASE, &apic_before);
	for (size_t i = 0; i < ARRAY_SIZE(traps); i++) {
		const struct trap_case *c = &traps[i];
		u64 before = 0, after = 0;
		long got;
		int inside;

		preempt_disable();
		if (c->exit_reason >= 0)
			before = exits_here(c->exit_reason);
		got = c->op();
		if (c->exit_reason >= 0)
			after = exits_here(c->exit_reason);
		preempt_enable();
		if (c->exit_reason >= 0)
			tap(t, got == c->want && after > before,
			    "%s: %s (want %s), exit %d counted %llu -> %llu", c->what,
			    fault_name(got), fault_name(c->want), c->exit_reason, before, after);
		else
			tap(t, got == c->want, "%s: %s (want %s)", c->what, fault_name(got),
			    fault_name(c->want));
		inside = cpus_with_signature();
		tap(t, inside == ncpu, "after it: the kernel runs, %d of %d CPUs under the monitor",
		    inside, ncpu);
	}
	try_rdmsr(MSR_IA32_APICBASE, &apic_after);
	tap(t, apic_after == apic_before, "IA32_APIC_BASE unchanged (%llx)", apic_after);
}

/* ---- the raw leave ---- */

static bool all_zero(u64 pa, size_t len, struct tap_out *t, const char *what)
{
	u8 buf[64];
	u8 acc = 0;

	if (copy_from_kernel_nofault(buf, phys_to_virt(pa), len)) {
		diag(t, "%s at %llx: could not be read through the direct map", what, pa);
		return false;
	}
	for (size_t i = 0; i < len; i++)
		acc |= buf[i];
	return !acc;
}

static void run_leave(struct tap_out *t, bool by_vmxoff)
{
	unsigned long master = 0, idkey = 0, present = 0;
	int cpu, inside, i;
	long ret;

	t->len += scnprintf(t->buf + t->len, OUT_SIZE - t->len, "TAP version 13\n1..6\n");
	preempt_disable();
	cpu = smp_processor_id();
	ret = hc(TV_HC_TEST_SECRETS, &master, &idkey, &present);
	tap(t, !ret && present, "before: the monitor holds a master secret and an identity key (%ld)",
	    ret);
	if (by_vmxoff) {
		long got = try_vmxoff();

		tap(t, got == NO_FAULT, "CPU %d: VMXOFF from the kernel: %s (a leave request)", cpu,
		    fault_name(got));
	} else {
		ret = hc(TV_HC_LEAVE, NULL, NULL, NULL);
		tap(t, ret == 0, "CPU %d: raw LEAVE hypercall returned %ld", cpu, ret);
	}
	tap(t, !signature_here(), "CPU %d is now outside the monitor (no CPUID signature)", cpu);
	/* Outside the EPT: this CPU can read the monitor's memory. */
	tap(t, master && all_zero(master, 32, t, "master secret"),
	    "CPU %d reads the master secret in monitor memory: already wiped", cpu);
	tap(t, idkey && all_zero(idkey, 32, t, "identity key"),
	    "CPU %d reads the identity key in monitor memory: already wiped", cpu);
	preempt_enable();
	for (i = 0; i < 200 && (inside = cpus_with_signature()); i++)
		msleep(10);
	tap(t, !inside, "every CPU left with it (%d still inside after %d ms)", inside, i * 10);
}

/* A null IDT, then an exception: #GP, #DF, shutdown.  Never returns. */
static void triple_fault(void)
{
	struct desc_ptr none = { .size = 0, .address = 0 };

	local_irq_disable();
	pr_emerg("triple-faulting CPU %d on purpose (the reset lane)\n", smp_processor_id());
	asm volatile("lidt %0\n\tint3" : : "m"(none));
	for (;;)
		cpu_relax();
}

/* ---- debugfs ---- */

static int hostile_open(struct inode *inode, struct file *f)
{
	struct tap_out *t = kzalloc(sizeof(*t), GFP_KERNEL);
	const char *name = f->f_path.dentry->d_name.name;

	if (!t)
		return -ENOMEM;
	t->buf = kvzalloc(OUT_SIZE, GFP_KERNEL);
	if (!t->buf) {
		kfree(t);
		return -ENOMEM;
	}
	if (!strcmp(name, "triple-fault"))
		triple_fault();
	if (!strcmp(name, "traps"))
		run_traps(t);
	else
		run_leave(t, !strcmp(name, "leave-vmxoff"));
	f->private_data = t;
	return 0;
}

static ssize_t hostile_read(struct file *f, char __user *ubuf, size_t n, loff_t *pos)
{
	struct tap_out *t = f->private_data;

	return simple_read_from_buffer(ubuf, n, pos, t->buf, t->len);
}

static int hostile_release(struct inode *inode, struct file *f)
{
	struct tap_out *t = f->private_data;

	kvfree(t->buf);
	kfree(t);
	return 0;
}

static const struct file_operations hostile_fops = {
	.owner = THIS_MODULE,
	.open = hostile_open,
	.read = hostile_read,
	.release = hostile_release,
	.llseek = default_llseek,
};

static struct dentry *dir;

static int __init hostile_init(void)
{
	dir = debugfs_create_dir("tv_hostile", NULL);
	debugfs_create_file("traps", 0400, dir, NULL, &hostile_fops);
	debugfs_create_file("leave", 0400, dir, NULL, &hostile_fops);
	debugfs_create_file("leave-vmxoff", 0400, dir, NULL, &hostile_fops);
	debugfs_create_file("triple-fault", 0400, dir, NULL, &hostile_fops);
	return 0;
}

static void __exit hostile_exit(void)
{
	debugfs_remove_recursive(dir);
}

module_init(hostile_init);
module_exit(hostile_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("TrustVisor selftest: hostile kernel operations under the monitor");
