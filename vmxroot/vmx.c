// SPDX-License-Identifier: GPL-2.0
/*
 * VMX capabilities, the MSR bitmap and building a VMCS whose guest state is
 * the calling CPU's current state, so that after VMLAUNCH Linux simply goes on.
 */
#include "vmxroot/vmxroot.h"
#include "vmxroot/processor.h"
#include "vmxroot/vmx.h"

/*
 * The per-CPU area whose VMCS is current on this CPU.  Unlike this_cpu() it
 * also works on Linux's stack, where VMCS setup runs.
 */
static struct per_cpu *vmcs_owner(void)
{
	u64 cur = ~0ULL;

	asm volatile("vmptrst %0" : "=m"(cur) : : "cc");
	for (u32 i = 0; i < monitor.params.nr_cpus; i++)
		if (cur == virt_to_phys(per_cpu_of(i)->vmcs) || cur == per_cpu_of(i)->pal_vmcs_pa)
			return per_cpu_of(i);
	return NULL;
}

void vmx_insn_failed(const char *insn, u32 field, const char *caller)
{
	struct per_cpu *pc = vmcs_owner();
	u64 err = 0;

	/* VMfailValid leaves an error number; VMfailInvalid (no current VMCS) does not. */
	if (!vmcs_read_safe(VM_INSTRUCTION_ERROR, &err))
		err = ~0ULL;
	if (pc)
		pc->vmx_errors++;
	pr_fatal("CPU %d: %s of field %x failed (VM-instruction error %ld) in %s",
		 pc ? (int)pc->cpu : -1, insn, field, (long)err, caller);
}

/* Fits wanted bits into what the CPU allows; fails if a required bit is missing. */
int adjust_ctls(u32 msr, u32 wanted, u32 required, u32 *out)
{
	u64 cap = rdmsr(msr);
	u32 must = (u32)cap, may = (u32)(cap >> 32);
	u32 v = (wanted & may) | must;

	if ((v & required) != required)
		return TV_E_NOFEAT;
	*out = v;
	return 0;
}

static bool cr_fits(u64 v, u64 fixed0, u64 fixed1)
{
	return (v & fixed0) == fixed0 && !(v & ~fixed1);
}

/*
 * PERF_GLOBAL_CTRL (only if the module found the MSR): its defined bits, and
 * whether the VMCS switches it or the MSR-load lists must.  PT: clear
 * RTIT_CTL on exit only if entry can load Linux's (zero) value back.
 */
static void perf_caps_init(struct vmx_caps *c)
{
	struct cpuid_regs r;

	c->perf_global_ctrl = false;
	if (monitor.params.flags & TV_INIT_F_PERF_GLOBAL_CTRL) {
		u32 gp, fixed;

		cpuid_count(0xa, 0, &r);
		gp = (r.eax >> 8) & 0xff;
		fixed = r.edx & 0x1f;
		c->perf_global_ctrl = true;
		c->perf_global_ctrl_mask = (gp >= 64 ? ~0ULL : (1ULL << gp) - 1) |
					   (((1ULL << fixed) - 1) << 32);
	}
	c->perf_vmcs_switch = c->perf_global_ctrl && (c->exit & EXIT_LOAD_PERF_GLOBAL_CTRL) &&
			      (c->entry & ENTRY_LOAD_PERF_GLOBAL_CTRL);
	if (!c->perf_vmcs_switch) {
		c->exit &= ~EXIT_LOAD_PERF_GLOBAL_CTRL;
		c->entry &= ~ENTRY_LOAD_PERF_GLOBAL_CTRL;
	}
	if (!(monitor.params.flags & TV_INIT_F_PT) || !(c->exit & EXIT_CLEAR_RTIT_CTL) ||
	    !(c->entry & ENTRY_LOAD_RTIT_CTL)) {
		c->exit &= ~EXIT_CLEAR_RTIT_CTL;
		c->entry &= ~ENTRY_LOAD_RTIT_CTL;
	}
	cpuid_count(0xd, 1, &r);
	c->xss_supported = ((u64)r.edx << 32) | r.ecx;
}

/* Linux's PERF_GLOBAL_CTRL while it runs: in the VMCS or in the entry MSR-load list. */
u64 perf_global_ctrl_guest(void)
{
	if (monitor.caps.perf_vmcs_switch)
		return vmcs_read(GUEST_IA32_PERF_GLOBAL_CTRL);
	return this_cpu()->msr_entry_load[0].value;
}

void perf_global_ctrl_set_guest(u64 val)
{
	if (monitor.caps.perf_vmcs_switch)
		vmcs_write(GUEST_IA32_PERF_GLOBAL_CTRL, val);
	else
		this_cpu()->msr_entry_load[0].value = val;
}

static void setup_perf(struct per_cpu *pc)
{
	u64 cur;

	if (!monitor.caps.perf_global_ctrl)
		return;
	cur = rdmsr(MSR_IA32_PERF_GLOBAL_CTRL);
	if (monitor.caps.perf_vmcs_switch) {
		vmcs_write(HOST_IA32_PERF_GLOBAL_CTRL, 0);
		vmcs_write(GUEST_IA32_PERF_GLOBAL_CTRL, cur);
		return;
	}
	pc->msr_exit_load[0] = (struct msr_entry){ .index = MSR_IA32_PERF_GLOBAL_CTRL, .value = 0 };
	pc->msr_entry_load[0] = (struct msr_entry){ .index = MSR_IA32_PERF_GLOBAL_CTRL,
						    .value = cur };
	vmcs_write(VM_EXIT_MSR_LOAD_ADDR, virt_to_phys(pc->msr_exit_load));
	vmcs_write(VM_EXIT_MSR_LOAD_COUNT, 1);
	vmcs_write(VM_ENTRY_MSR_LOAD_ADDR, virt_to_phys(pc->msr_entry_load));
	vmcs_write(VM_ENTRY_MSR_LOAD_COUNT, 1);
}

/* The monitor's own CR0, CR4 and EFER: fixed values, never Linux's. */
#define MONITOR_CR0	(X86_CR0_PE | X86_CR0_MP | X86_CR0_ET | X86_CR0_NE | X86_CR0_WP | X86_CR0_PG)
#define MONITOR_EFER	(EFER_LME | EFER_LMA | EFER_NX)

static u64 host_cr4(void)
{
	struct cpuid_regs r;
	u64 cr4 = X86_CR4_PAE | X86_CR4_MCE | X86_CR4_VMXE;

	cpuid_count(1, 0, &r);
	if (r.ecx & (1U << 26))		/* XSAVE: XSETBV on Linux's behalf */
		cr4 |= X86_CR4_OSXSAVE;
	cpuid_count(7, 0, &r);
	if (r.ebx & (1U << 7))		/* SMEP: the monitor never runs user pages */
		cr4 |= X86_CR4_SMEP;
	return cr4;
}

int vmx_caps_init(void)
{
	struct vmx_caps *c = &monitor.caps;
	struct cpuid_regs r;
	u64 basic, fc;
	bool tru;
	int ret;

	cpuid_count(1, 0, &r);
	if (!(r.ecx & (1 << 5)))
		return TV_E_NOVMX;
	fc = rdmsr(MSR_IA32_FEATURE_CONTROL);
	if ((fc & FEATURE_CONTROL_LOCKED) && !(fc & FEATURE_CONTROL_VMX_OUTSIDE_SMX))
		return TV_E_NOVMX;
	cpuid_count(0x80000000, 0, &r);
	c->maxphyaddr = 36;
	if (r.eax >= 0x80000008) {
		cpuid_count(0x80000008, 0, &r);
		c->maxphyaddr = r.eax & 0xff;
	}
	cpuid_count(0x80000001, 0, &r);
	c->host_1g_pages = r.edx & (1 << 26);

	basic = rdmsr(MSR_IA32_VMX_BASIC);
	c->revision = basic & 0x7fffffff;
	/* Write-back VMCS memory type is what every VMX CPU reports; insist on it. */
	if (((basic >> 50) & 0xf) != 6)
		return TV_E_NOFEAT;
	tru = basic & (1ULL << 55);
	ret = adjust_ctls(tru ? MSR_IA32_VMX_TRUE_PINBASED_CTLS : MSR_IA32_VMX_PINBASED_CTLS,
			  PIN_NMI_EXITING | PIN_VIRTUAL_NMIS,
			  PIN_NMI_EXITING | PIN_VIRTUAL_NMIS, &c->pin);
	ret = ret ?: adjust_ctls(tru ? MSR_IA32_VMX_TRUE_PROCBASED_CTLS :
				 MSR_IA32_VMX_PROCBASED_CTLS,
				 CPU_USE_MSR_BITMAPS | CPU_USE_IO_BITMAPS | CPU_ACTIVATE_SECONDARY,
				 CPU_USE_MSR_BITMAPS | CPU_USE_IO_BITMAPS | CPU_ACTIVATE_SECONDARY,
				 &c->proc);
	/*
	 * Linux takes #UD on these instructions if the CPU has them and we do not
	 * enable them.  Where the CPU can, Intel PT is kept from tracing the monitor.
	 */
	ret = ret ?: adjust_ctls(MSR_IA32_VMX_PROCBASED_CTLS2,
				 SEC_ENABLE_EPT | SEC_ENABLE_VPID | SEC_UNRESTRICTED_GUEST |
				 SEC_ENABLE_RDTSCP | SEC_ENABLE_INVPCID | SEC_ENABLE_XSAVES |
				 SEC_ENABLE_USR_WAIT_PAUSE | SEC_CONCEAL_VMX_FROM_PT,
				 SEC_ENABLE_EPT | SEC_ENABLE_VPID | SEC_UNRESTRICTED_GUEST,
				 &c->proc2);
	/*
	 * Where the CPU can: PERF_GLOBAL_CTRL zero and Intel PT stopped while
	 * the monitor runs (counters running into root mode are a side channel,
	 * and PEBS or PT would write memory there behind the EPT's back).
	 */
	ret = ret ?: adjust_ctls(tru ? MSR_IA32_VMX_TRUE_EXIT_CTLS : MSR_IA32_VMX_EXIT_CTLS,
				 EXIT_HOST_ADDR_SPACE_SIZE | EXIT_SAVE_IA32_PAT |
				 EXIT_LOAD_IA32_PAT | EXIT_SAVE_IA32_EFER | EXIT_LOAD_IA32_EFER |
				 EXIT_SAVE_DEBUG_CONTROLS | EXIT_CONCEAL_VMX_FROM_PT |
				 EXIT_LOAD_PERF_GLOBAL_CTRL | EXIT_CLEAR_RTIT_CTL,
				 EXIT_HOST_ADDR_SPACE_SIZE | EXIT_SAVE_IA32_PAT |
				 EXIT_LOAD_IA32_PAT | EXIT_SAVE_IA32_EFER | EXIT_LOAD_IA32_EFER,
				 &c->exit);
	ret = ret ?: adjust_ctls(tru ? MSR_IA32_VMX_TRUE_ENTRY_CTLS : MSR_IA32_VMX_ENTRY_CTLS,
				 ENTRY_IA32E_MODE | ENTRY_LOAD_IA32_PAT | ENTRY_LOAD_IA32_EFER |
				 ENTRY_LOAD_DEBUG_CONTROLS | ENTRY_CONCEAL_VMX_FROM_PT |
				 ENTRY_LOAD_PERF_GLOBAL_CTRL | ENTRY_LOAD_RTIT_CTL,
				 ENTRY_IA32E_MODE | ENTRY_LOAD_IA32_PAT | ENTRY_LOAD_IA32_EFER |
				 ENTRY_LOAD_DEBUG_CONTROLS,
				 &c->entry);
	if (ret)
		return ret;
	perf_caps_init(c);
	c->ept_vpid = rdmsr(MSR_IA32_VMX_EPT_VPID_CAP);
	if (!(c->ept_vpid & EPT_CAP_WALK4) || !(c->ept_vpid & EPT_CAP_WB) ||
	    !(c->ept_vpid & EPT_CAP_INVEPT_ALL) || !(c->ept_vpid & VPID_CAP_INVVPID_SINGLE))
		return TV_E_NOFEAT;
	c->cr0_fixed0 = rdmsr(MSR_IA32_VMX_CR0_FIXED0);
	c->cr0_fixed1 = rdmsr(MSR_IA32_VMX_CR0_FIXED1);
	c->cr4_fixed0 = rdmsr(MSR_IA32_VMX_CR4_FIXED0);
	c->cr4_fixed1 = rdmsr(MSR_IA32_VMX_CR4_FIXED1);
	c->host_cr4 = host_cr4() | c->cr4_fixed0;
	if (!cr_fits(MONITOR_CR0 | c->cr0_fixed0, c->cr0_fixed0, c->cr0_fixed1) ||
	    !cr_fits(c->host_cr4, c->cr4_fixed0, c->cr4_fixed1))
		return TV_E_FIXED;
	return 0;
}

/* Segment state from a descriptor in Linux's GDT, in VMCS access-rights form. */
struct seg {
	u16 sel;
	u64 base;
	u32 limit;
	u32 ar;
};

static void seg_from_gdt(const struct desc_ptr *gdt, u16 sel, struct seg *s)
{
	const u64 *d;
	u64 lo;

	s->sel = sel;
	s->base = 0;
	s->limit = 0;
	/* Null and LDT selectors: unusable (Linux kernel threads use neither). */
	if (!(sel & ~3) || (sel & 4) || (sel | 7) > gdt->limit) {
		s->ar = AR_UNUSABLE;
		return;
	}
	d = (const u64 *)(gdt->base + (sel & ~7));
	lo = d[0];
	s->base = ((lo >> 16) & 0xffffff) | ((lo >> 32) & 0xff000000);
	s->limit = (u32)((lo & 0xffff) | ((lo >> 32) & 0xf0000));
	if (lo & (1ULL << 55))
		s->limit = (s->limit << 12) | 0xfff;
	s->ar = (u32)((lo >> 40) & 0xf0ff);
	if (!(lo & (1ULL << 44)))	/* system descriptor: 16 bytes, base high */
		s->base |= d[1] << 32;
}

static void write_seg(u32 sel_f, u32 base_f, u32 limit_f, u32 ar_f, const struct seg *s)
{
	vmcs_write(sel_f, s->sel);
	vmcs_write(base_f, s->base);
	vmcs_write(limit_f, s->limit);
	vmcs_write(ar_f, s->ar);
}

#define WRITE_SEG(NAME, s) \
	write_seg(GUEST_##NAME##_SELECTOR, GUEST_##NAME##_BASE, GUEST_##NAME##_LIMIT, \
		  GUEST_##NAME##_AR_BYTES, s)

static void setup_guest_segments(void)
{
	struct desc_ptr gdt, idt;
	struct seg s;

	store_gdt(&gdt);
	store_idt(&idt);
	seg_from_gdt(&gdt, read_cs(), &s);
	WRITE_SEG(CS, &s);
	seg_from_gdt(&gdt, read_ss(), &s);
	if (s.ar & AR_UNUSABLE)
		s.ar = AR_UNUSABLE | 0x93;	/* SS.DPL must say CPL 0 */
	WRITE_SEG(SS, &s);
	seg_from_gdt(&gdt, read_ds(), &s);
	WRITE_SEG(DS, &s);
	seg_from_gdt(&gdt, read_es(), &s);
	WRITE_SEG(ES, &s);
	seg_from_gdt(&gdt, read_fs(), &s);
	s.base = rdmsr(MSR_FS_BASE);
	WRITE_SEG(FS, &s);
	seg_from_gdt(&gdt, read_gs(), &s);
	s.base = rdmsr(MSR_GS_BASE);
	WRITE_SEG(GS, &s);
	seg_from_gdt(&gdt, read_ldtr(), &s);
	WRITE_SEG(LDTR, &s);
	seg_from_gdt(&gdt, read_tr(), &s);
	s.ar = (s.ar & ~0xfU) | 0xb;	/* VM entry wants a busy 64-bit TSS */
	WRITE_SEG(TR, &s);
	vmcs_write(GUEST_GDTR_BASE, gdt.base);
	vmcs_write(GUEST_GDTR_LIMIT, gdt.limit);
	vmcs_write(GUEST_IDTR_BASE, idt.base);
	vmcs_write(GUEST_IDTR_LIMIT, idt.limit);
}

static void setup_guest_state(u64 rip, u64 rsp)
{
	setup_guest_segments();
	vmcs_write(GUEST_CR0, read_cr0());
	vmcs_write(GUEST_CR3, read_cr3());
	vmcs_write(GUEST_CR4, read_cr4());
	vmcs_write(GUEST_DR7, read_dr7());
	vmcs_write(GUEST_RSP, rsp);
	vmcs_write(GUEST_RIP, rip);
	vmcs_write(GUEST_RFLAGS, read_rflags());
	vmcs_write(GUEST_SYSENTER_CS, rdmsr(MSR_IA32_SYSENTER_CS));
	vmcs_write(GUEST_SYSENTER_ESP, rdmsr(MSR_IA32_SYSENTER_ESP));
	vmcs_write(GUEST_SYSENTER_EIP, rdmsr(MSR_IA32_SYSENTER_EIP));
	vmcs_write(GUEST_IA32_DEBUGCTL, rdmsr(MSR_IA32_DEBUGCTL));
	vmcs_write(GUEST_IA32_PAT, rdmsr(MSR_IA32_PAT));
	vmcs_write(GUEST_IA32_EFER, rdmsr(MSR_IA32_EFER));
	vmcs_write(GUEST_ACTIVITY_STATE, GUEST_ACTIVITY_ACTIVE);
	vmcs_write(GUEST_INTERRUPTIBILITY_INFO, 0);
	vmcs_write(GUEST_PENDING_DBG_EXCEPTIONS, 0);
	vmcs_write(VMCS_LINK_POINTER, ~0ULL);
}

/* Per CPU: written into Linux's VMCS at launch, and a PAL's at each entry there. */
void vmx_write_host_state(struct per_cpu *pc)
{
	vmcs_write(HOST_CR0, MONITOR_CR0 | monitor.caps.cr0_fixed0);
	vmcs_write(HOST_CR3, monitor.host_cr3);
	vmcs_write(HOST_CR4, monitor.caps.host_cr4);
	vmcs_write(HOST_CS_SELECTOR, SEL_KERNEL_CS);
	vmcs_write(HOST_SS_SELECTOR, SEL_KERNEL_DS);
	vmcs_write(HOST_DS_SELECTOR, 0);
	vmcs_write(HOST_ES_SELECTOR, 0);
	vmcs_write(HOST_FS_SELECTOR, 0);
	vmcs_write(HOST_GS_SELECTOR, 0);
	vmcs_write(HOST_TR_SELECTOR, SEL_TSS);
	vmcs_write(HOST_FS_BASE, 0);
	vmcs_write(HOST_GS_BASE, 0);
	vmcs_write(HOST_TR_BASE, (u64)&pc->tss);
	vmcs_write(HOST_GDTR_BASE, (u64)pc->gdt);
	vmcs_write(HOST_IDTR_BASE, idt_base());
	vmcs_write(HOST_IA32_SYSENTER_CS, 0);
	vmcs_write(HOST_IA32_SYSENTER_ESP, 0);
	vmcs_write(HOST_IA32_SYSENTER_EIP, 0);
	vmcs_write(HOST_IA32_PAT, 0x0007040600070406ULL);	/* power-on default */
	vmcs_write(HOST_IA32_EFER, MONITOR_EFER);
	vmcs_write(HOST_RSP, (u64)pc + TV_PERCPU_SIZE);
	vmcs_write(HOST_RIP, (u64)vmx_exit_entry);
}

/* Bits the guest may not flip alone: those VMX pins to a fixed value. */
static u64 cr_fixed_mask(u64 fixed0, u64 fixed1)
{
	return fixed0 | ~fixed1;
}

static void setup_controls(struct per_cpu *pc)
{
	struct vmx_caps *c = &monitor.caps;
	u64 cr0_mask = cr_fixed_mask(c->cr0_fixed0, c->cr0_fixed1);

	/* Unrestricted guest lets Linux own PE and PG. */
	cr0_mask &= ~(X86_CR0_PE | X86_CR0_PG);
	pc->proc_ctls = c->proc;
	vmcs_write(PIN_BASED_VM_EXEC_CONTROL, c->pin);
	vmcs_write(CPU_BASED_VM_EXEC_CONTROL, pc->proc_ctls);
	vmcs_write(SECONDARY_VM_EXEC_CONTROL, c->proc2);
	vmcs_write(VM_EXIT_CONTROLS, c->exit);
	vmcs_write(VM_ENTRY_CONTROLS, c->entry);
	vmcs_write(EXCEPTION_BITMAP, 0);
	vmcs_write(PAGE_FAULT_ERROR_CODE_MASK, 0);
	vmcs_write(PAGE_FAULT_ERROR_CODE_MATCH, 0);
	vmcs_write(CR3_TARGET_COUNT, 0);
	vmcs_write(VM_EXIT_MSR_STORE_COUNT, 0);
	vmcs_write(VM_EXIT_MSR_LOAD_COUNT, 0);
	vmcs_write(VM_ENTRY_MSR_LOAD_COUNT, 0);
	vmcs_write(VM_ENTRY_INTR_INFO_FIELD, 0);
	vmcs_write(MSR_BITMAP, msr_bitmap_phys());
	vmcs_write(IO_BITMAP_A, io_bitmap_phys(0));
	vmcs_write(IO_BITMAP_B, io_bitmap_phys(1));
	vmcs_write(EPT_POINTER, monitor.eptp);
	vmcs_write(VIRTUAL_PROCESSOR_ID, pc->vpid);
	vmcs_write(CR0_GUEST_HOST_MASK, cr0_mask);
	vmcs_write(CR0_READ_SHADOW, read_cr0());
	/* Ours, and what Linux is not shown: VMXE, SMXE (no SMX in its CPUID). */
	vmcs_write(CR4_GUEST_HOST_MASK, cr_fixed_mask(c->cr4_fixed0, c->cr4_fixed1) |
		   X86_CR4_VMXE | X86_CR4_SMXE);
	vmcs_write(CR4_READ_SHADOW, read_cr4());
	if (c->entry & ENTRY_LOAD_RTIT_CTL)
		vmcs_write(GUEST_IA32_RTIT_CTL, 0);	/* never tracing (the module checked) */
	setup_perf(pc);
}


/*
 * Called from tv_cpu_launch() with interrupts off.  On success leaves VMX
 * on, the VMCS current and ready for VMLAUNCH.
 */
int vmx_cpu_prepare(u32 cpu, u64 guest_rip, u64 guest_rsp)
{
	struct vmx_caps *c = &monitor.caps;
	struct per_cpu *pc;

	if (!monitor.initialized || cpu >= monitor.params.nr_cpus)
		return TV_E_PARAM;
	pc = per_cpu_of(cpu);
	if (pc->virtualized)
		return TV_E_STATE;
	if (!(read_cr4() & X86_CR4_VMXE))
		return TV_E_PARAM;	/* the module sets CR4.VMXE through Linux's helpers */
	if (!cr_fits(read_cr0(), c->cr0_fixed0, c->cr0_fixed1) ||
	    !cr_fits(read_cr4(), c->cr4_fixed0, c->cr4_fixed1))
		return TV_E_FIXED;

	if (monitor_state() != TV_STATE_LOADING)
		return TV_E_STATE;	/* CPUs enter only before the secrets exist */
	memset(pc, 0, sizeof(*pc));
	pc->cpu = cpu;
	pc->vpid = (u16)(cpu + 1);
	pc->apic_id = apic_id_self();
	cpu_tables_init(pc);
	*(u32 *)pc->vmxon = c->revision;
	*(u32 *)pc->vmcs = c->revision;
	if (!vmx_on(virt_to_phys(pc->vmxon)))
		return TV_E_VMXON;
	if (!vmcs_clear(virt_to_phys(pc->vmcs)) || !vmcs_load(virt_to_phys(pc->vmcs))) {
		vmx_off();
		return TV_E_VMCS;
	}
	/* From here an NMI that hits the monitor can ask for an NMI window. */
	pc->vmcs_live = true;
	setup_controls(pc);
	vmx_write_host_state(pc);
	setup_guest_state(guest_rip, guest_rsp);
	/* Tables and VPIDs may be reused from an earlier load: no stale translations. */
	invept(INVEPT_ALL, 0);
	invvpid(INVVPID_SINGLE, pc->vpid);
	if (pc->vmx_errors) {
		/* Each failed VMWRITE was logged with its field by vmx_insn_failed(). */
		vmx_cpu_abandon(pc);
		return TV_E_VMCS;
	}
	cpu_set_inside(pc, true);
	return 0;
}

/* Undoes vmx_cpu_prepare on this CPU: its own VMCS, never another CPU's. */
void vmx_cpu_abandon(struct per_cpu *pc)
{
	pc->vmcs_live = false;
	cpu_set_inside(pc, false);
	vmcs_clear(virt_to_phys(pc->vmcs));
	vmx_off();
}

/*
 * VMLAUNCH itself failed on `cpu` (entry.S passes the CPU the launch was
 * for and whether it was VMfailInvalid).  We are on Linux's stack.
 */
int vmx_launch_failed(u32 cpu, bool fail_invalid)
{
	struct per_cpu *pc;
	u64 err = 0;

	if (cpu >= monitor.params.nr_cpus)
		return TV_E_LAUNCH;
	pc = per_cpu_of(cpu);
	if (fail_invalid)
		pr_fatal("CPU %u: VMLAUNCH failed: no current VMCS (VMfailInvalid)", cpu);
	else if (vmcs_read_safe(VM_INSTRUCTION_ERROR, &err))
		pr_fatal("CPU %u: VMLAUNCH failed, VM-instruction error %lu", cpu, err);
	vmx_cpu_abandon(pc);
	return TV_E_LAUNCH;
}
