// SPDX-License-Identifier: GPL-2.0
/*
 * VM-exit handling.  Linux runs with almost nothing trapped; what does exit
 * is handled here, one small function per reason.  A guest request we refuse
 * gets the fault real hardware would give; only a state we cannot continue
 * from (triple fault, failed entry, an exit we never enabled) stops the CPU,
 * and that is logged to COM1 and the log ring first.
 */
#include "vmxroot/vmxroot.h"
#include "vmxroot/pal.h"
#include "vmxroot/policy.h"
#include "vmxroot/processor.h"
#include "vmxroot/vmx.h"

#define CPUID_SIGNATURE_EBX	0x73757254	/* "TrustVisorTV" */
#define CPUID_SIGNATURE_ECX	0x69567473
#define CPUID_SIGNATURE_EDX	0x56547273

struct exit_ctx {
	struct per_cpu *pc;
	struct guest_regs *regs;
	u32 reason;
	u64 qual;
	bool event_pending;	/* VM_ENTRY_INTR_INFO already set for this entry */
	bool enter_pal;		/* a PAL call begins: VMLAUNCH its VMCS */
};

static u64 *gpr(struct guest_regs *regs, unsigned int n)
{
	return &((u64 *)regs)[n];
}

void skip_instruction(void)
{
	u32 intr = (u32)vmcs_read(GUEST_INTERRUPTIBILITY_INFO);

	vmcs_write(GUEST_RIP, vmcs_read(GUEST_RIP) + vmcs_read(VM_EXIT_INSTRUCTION_LEN));
	/* Completing an instruction ends STI/MOV SS blocking. */
	if (intr & (GUEST_INTR_STI | GUEST_INTR_MOV_SS))
		vmcs_write(GUEST_INTERRUPTIBILITY_INFO, intr & ~(GUEST_INTR_STI | GUEST_INTR_MOV_SS));
}

static void inject_exception(struct exit_ctx *x, u32 vector, bool has_error, u32 error)
{
	u32 info = INTR_INFO_VALID | INTR_TYPE_HW_EXCEPTION | vector;

	if (has_error) {
		info |= INTR_INFO_DELIVER_CODE;
		vmcs_write(VM_ENTRY_EXCEPTION_ERROR_CODE, error);
	}
	vmcs_write(VM_ENTRY_INTR_INFO_FIELD, info);
	x->event_pending = true;
}

static bool guest_cpl0(void)
{
	return !((vmcs_read(GUEST_SS_AR_BYTES) >> 5) & 3);
}

/* EFER.LMA, as the last exit saved it into the entry controls. */
bool guest_long_mode(void)
{
	return vmcs_read(VM_ENTRY_CONTROLS) & ENTRY_IA32E_MODE;
}

/* What Linux believes CR0/CR4 hold: the read shadow for the bits we own. */
u64 guest_cr0_view(void)
{
	u64 mask = vmcs_read(CR0_GUEST_HOST_MASK);

	return (vmcs_read(GUEST_CR0) & ~mask) | (vmcs_read(CR0_READ_SHADOW) & mask);
}

u64 guest_cr4_view(void)
{
	u64 mask = vmcs_read(CR4_GUEST_HOST_MASK);

	return (vmcs_read(GUEST_CR4) & ~mask) | (vmcs_read(CR4_READ_SHADOW) & mask);
}

/* ---- NMIs: every one belongs to Linux and is delivered through the NMI window ---- */

void request_nmi_window(struct per_cpu *pc)
{
	pc->proc_ctls |= CPU_NMI_WINDOW_EXITING;
	vmcs_write(CPU_BASED_VM_EXEC_CONTROL, pc->proc_ctls);
}

/* Host IDT vector 2: an NMI while we run.  Keep it for Linux, unless it is ours. */
void host_nmi(void)
{
	struct per_cpu *pc = this_cpu();

	if (rendezvous_nmi(pc) || shootdown_nmi(pc))
		return;
	__atomic_fetch_add(&pc->nmi_pending, 1, __ATOMIC_RELAXED);
	/* With a PAL's VMCS current, the window is asked for once Linux's is back. */
	if (pc->vmcs_live && !READ_ONCE(pc->pal_vmcs_pa))
		request_nmi_window(pc);
}

static void handle_nmi_window(struct exit_ctx *x)
{
	struct per_cpu *pc = x->pc;

	pc->proc_ctls &= ~CPU_NMI_WINDOW_EXITING;
	vmcs_write(CPU_BASED_VM_EXEC_CONTROL, pc->proc_ctls);
	if (!x->event_pending && pc->nmi_pending) {
		vmcs_write(VM_ENTRY_INTR_INFO_FIELD, INTR_INFO_VALID | INTR_TYPE_NMI | VECTOR_NMI);
		x->event_pending = true;
		__atomic_fetch_sub(&pc->nmi_pending, 1, __ATOMIC_RELAXED);
		pc->nmis_reinjected++;
	}
	if (pc->nmi_pending)
		request_nmi_window(pc);
}

/* ---- the guest stops: only when it cannot go on ---- */

static void dump_guest(struct per_cpu *pc)
{
	pr_fatal("CPU %u: RIP %lx RSP %lx RFLAGS %lx CR0 %lx CR3 %lx CR4 %lx",
		 pc->cpu, vmcs_read(GUEST_RIP), vmcs_read(GUEST_RSP), vmcs_read(GUEST_RFLAGS),
		 vmcs_read(GUEST_CR0), vmcs_read(GUEST_CR3), vmcs_read(GUEST_CR4));
}

__noreturn void guest_stop(struct per_cpu *pc, const char *why, u64 reason)
{
	pc->stopped = true;
	pr_fatal("CPU %u: guest stopped: %s (exit reason %lu, qualification %lx)",
		 pc->cpu, why, reason, vmcs_read(EXIT_QUALIFICATION));
	dump_guest(pc);
	for (;;)
		asm volatile("cli; hlt");
}

void vmx_resume_failed(struct guest_regs *regs)
{
	u64 err = 0;

	(void)regs;
	vmcs_read_safe(VM_INSTRUCTION_ERROR, &err);
	pr_fatal("CPU %u: VMRESUME failed, VM-instruction error %lu", this_cpu()->cpu, err);
	guest_stop(this_cpu(), "VMRESUME failed", vmcs_read(VM_EXIT_REASON));
}

/*
 * A machine check while the monitor runs (or during VM entry): the monitor's
 * state may be corrupt and Linux's MCE handler is not running on this CPU,
 * so log it, destroy the secrets (the leave rendezvous) and reset.
 */
static __noreturn void machine_check(struct per_cpu *pc, const char *where)
{
	u64 mcg = 0;

	rdmsr_safe(MSR_IA32_MCG_STATUS, &mcg);
	pr_fatal("CPU %u: machine check %s (MCG_STATUS %lx): secrets destroyed, then reset",
		 pc->cpu, where, mcg);
	leave_request(pc, "machine check", true);
	machine_reset(pc);
}

extern const struct ex_entry __ex_table_start[], __ex_table_end[];

/* The fixup for a faulting instruction at rip, or 0. */
static u64 ex_fixup(u64 rip)
{
	for (const struct ex_entry *e = __ex_table_start; e < __ex_table_end; e++)
		if ((u64)&e->insn + e->insn == rip)
			return (u64)&e->fixup + e->fixup;
	return 0;
}

/*
 * Host exception.  #GP on an instruction with a fixup (an MSR access Linux
 * asked for) continues there; anything else is a monitor bug: say where, then
 * stop the CPU.
 */
void host_exception(struct guest_regs *regs)
{
	u64 *frame = (u64 *)(regs + 1);	/* vector, error, RIP, CS, RFLAGS, RSP, SS */
	struct per_cpu *pc = this_cpu();
	u64 fixup = frame[0] == VECTOR_GP ? ex_fixup(frame[2]) : 0;

	if (fixup) {
		frame[2] = fixup;
		return;
	}
	if (frame[0] == VECTOR_MC)
		machine_check(pc, "in the monitor");

	pr_fatal("CPU %u: monitor exception %lu error %lx at RIP %lx (image +%lx) CR2 %lx",
		 pc->cpu, frame[0], frame[1], frame[2], frame[2] - monitor.virt, read_cr2());
	guest_stop(pc, "monitor exception", frame[0]);
}

/* ---- exits ---- */

/* CPUID as the current guest (Linux or a PAL) may see it. */
void cpuid_emulate(struct per_cpu *pc, struct guest_regs *r)
{
	u32 leaf = (u32)r->rax, sub = (u32)r->rcx;
	struct cpuid_regs c = { 0 };

	if ((leaf & 0xffffff00) == 0x40000000) {
		if (leaf == 0x40000000) {
			c.eax = 0x40000001;
			c.ebx = CPUID_SIGNATURE_EBX;
			c.ecx = CPUID_SIGNATURE_ECX;
			c.edx = CPUID_SIGNATURE_EDX;
		} else if (leaf == 0x40000001) {
			c.eax = TV_MONITOR_VERSION;
			c.ebx = pc->cpu;
		}
	} else {
		cpuid_count(leaf, sub, &c);
		cpuid_filter(leaf, sub, guest_cr4_view(), &c);
	}
	r->rax = c.eax;
	r->rbx = c.ebx;
	r->rcx = c.ecx;
	r->rdx = c.edx;
}

static void handle_cpuid(struct exit_ctx *x)
{
	cpuid_emulate(x->pc, x->regs);
	skip_instruction();
}


/* XCR0 as the SDM allows it, and only what this CPU supports (CPUID.0xD.0). */
static bool guest_xcr0_ok(u64 v)
{
	struct cpuid_regs c;

	cpuid_count(0xd, 0, &c);
	return xcr0_valid(v, ((u64)c.edx << 32) | c.eax);
}

static void handle_xsetbv(struct exit_ctx *x)
{
	u64 v = ((x->regs->rdx & 0xffffffff) << 32) | (x->regs->rax & 0xffffffff);

	if (!(guest_cr4_view() & X86_CR4_OSXSAVE)) {
		inject_exception(x, VECTOR_UD, false, 0);
		return;
	}
	if (!guest_cpl0() || (u32)x->regs->rcx != 0 || !guest_xcr0_ok(v)) {
		inject_exception(x, VECTOR_GP, true, 0);
		return;
	}
	asm volatile("xsetbv" : : "a"((u32)v), "d"((u32)(v >> 32)), "c"(0));
	skip_instruction();
}

/*
 * MOV to/from CR3: only while a leaving CPU waits for a kernel page table
 * (CR3-load exiting), or on a CPU that forces these exits on.  Emulated as
 * the CPU would: PCID's no-flush bit, the flush otherwise, PDPTEs in PAE
 * paging outside long mode.
 */
static void handle_cr3(struct exit_ctx *x, unsigned int type, unsigned int reg)
{
	u64 *r = gpr(x->regs, reg);
	u64 v;

	if (type == 1) {	/* MOV from CR3 */
		if (reg == 4)
			vmcs_write(GUEST_RSP, vmcs_read(GUEST_CR3));
		else
			*r = vmcs_read(GUEST_CR3);
		skip_instruction();
		return;
	}
	v = reg == 4 ? vmcs_read(GUEST_RSP) : *r;
	if ((vmcs_read(GUEST_CR4) & X86_CR4_PCIDE) && (v >> 63)) {
		v &= ~(1ULL << 63);
	} else {
		invvpid(INVVPID_SINGLE, x->pc->vpid);
	}
	if (v >> monitor.caps.maxphyaddr) {
		inject_exception(x, VECTOR_GP, true, 0);
		return;
	}
	if ((vmcs_read(GUEST_CR0) & X86_CR0_PG) && (vmcs_read(GUEST_CR4) & X86_CR4_PAE) &&
	    !guest_long_mode()) {
		u64 pdpt = v & ~0x1fULL;

		if (!guest_ram(pdpt, 32)) {
			inject_exception(x, VECTOR_GP, true, 0);
			return;
		}
		vmcs_write(GUEST_PDPTR0, ((u64 *)pdpt)[0]);
		vmcs_write(GUEST_PDPTR1, ((u64 *)pdpt)[1]);
		vmcs_write(GUEST_PDPTR2, ((u64 *)pdpt)[2]);
		vmcs_write(GUEST_PDPTR3, ((u64 *)pdpt)[3]);
	}
	vmcs_write(GUEST_CR3, v);
	skip_instruction();
}

static void handle_cr_access(struct exit_ctx *x)
{
	struct vmx_caps *c = &monitor.caps;
	unsigned int cr = x->qual & 0xf, type = (x->qual >> 4) & 3, reg = (x->qual >> 8) & 0xf;
	u64 v;

	if (cr == 3 && type <= 1) {
		handle_cr3(x, type, reg);
		return;
	}
	if (type != 0 || (cr != 0 && cr != 4))
		guest_stop(x->pc, "unexpected CR access", x->reason);
	v = reg == 4 ? vmcs_read(GUEST_RSP) : *gpr(x->regs, reg);
	/* The checks a native MOV to CR0/CR4 makes: #GP, and nothing changed. */
	if (cr == 0) {
		u64 force = c->cr0_fixed0 & ~(X86_CR0_PE | X86_CR0_PG);

		if (!cr0_write_valid(v, guest_cr4_view(), guest_long_mode())) {
			inject_exception(x, VECTOR_GP, true, 0);
			return;
		}
		vmcs_write(CR0_READ_SHADOW, v);
		vmcs_write(GUEST_CR0, (v | force) & c->cr0_fixed1);
	} else {
		if (!cr4_write_valid(v, guest_cr4_view(), c->cr4_fixed1 & ~(X86_CR4_VMXE | X86_CR4_SMXE),
				     guest_cr0_view(), vmcs_read(GUEST_CR3), guest_long_mode())) {
			inject_exception(x, VECTOR_GP, true, 0);
			return;
		}
		vmcs_write(CR4_READ_SHADOW, v);
		vmcs_write(GUEST_CR4, v | c->cr4_fixed0);
		/* The write did not reach the CPU: do the flush it would have done. */
		invvpid(INVVPID_SINGLE, x->pc->vpid);
	}
	skip_instruction();
}

static u64 count_virtualized(void)
{
	u64 n = 0;

	for (u32 i = 0; i < monitor.params.nr_cpus; i++)
		n += READ_ONCE(per_cpu_of(i)->virtualized);
	return n;
}

static void handle_vmcall(struct exit_ctx *x)
{
	struct guest_regs *r = x->regs;
	long ret = TV_E_OK;

	/* Linux's user mode has no hypercalls: VMCALL is #UD there. */
	if (!guest_cpl0()) {
		inject_exception(x, VECTOR_UD, false, 0);
		return;
	}
	if (r->rax >= TV_HC_PAL_LOAD && r->rax <= TV_HC_PAL_QUOTE) {
		/* Linux's RIP moves on first: a call that enters the PAL returns there later. */
		skip_instruction();
		ret = pal_hypercall(x->pc, r, &x->enter_pal);
		if (!x->enter_pal)
			r->rax = (u64)ret;
		return;
	}
	switch (r->rax) {
	case TV_HC_PING:
		r->rbx = TV_HC_PING_REPLY;
		r->rcx = count_virtualized();
		break;
	case TV_HC_LEAVE:
		/* The whole machine leaves; this CPU at the end of this exit. */
		if (r->rbx & TV_LEAVE_F_CONSOLE)
			x->pc->leave_to_console = true;
		leave_request(x->pc, r->rbx & TV_LEAVE_F_CONSOLE ? "Linux's crash or emergency path" :
			      "requested by the kernel", false);
		break;
	case TV_HC_ACTIVATE:
		ret = monitor_activate();
		break;
	case TV_HC_IDENTITY:
		ret = secrets_identity(r->rbx);
		break;
	case TV_HC_TPM:
		ret = tpm_hypercall(r->rbx);
		break;
	case TV_HC_COUNTERS:
		ret = tpm_counters_hypercall(r->rbx);
		break;
	case TV_HC_GET_CPU_STATS:
		if (r->rbx >= monitor.params.nr_cpus || r->rdx != sizeof(x->pc->exits))
			ret = TV_E_PARAM;
		else
			ret = copy_to_guest(monitor.eptp, r->rcx, per_cpu_of((u32)r->rbx)->exits, r->rdx);
		break;
	default:
		ret = selftest_hypercall(x->pc, r);
	}
	r->rax = (u64)ret;
	skip_instruction();
}

/*
 * VMXOFF from Linux's kernel: its crash and emergency paths run it on every
 * CPU when they believe VMX is on.  It is a request to leave: the machine
 * leaves (secrets first), and to Linux the VMXOFF succeeded.
 */
static void handle_vmxoff(struct exit_ctx *x)
{
	if (!guest_cpl0()) {
		inject_exception(x, VECTOR_UD, false, 0);
		return;
	}
	leave_request(x->pc, "Linux executed VMXOFF", false);
	/* VMsucceed: CF, PF, AF, ZF, SF and OF clear. */
	vmcs_write(GUEST_RFLAGS, vmcs_read(GUEST_RFLAGS) & ~0x8d5ULL);
	skip_instruction();
}

/* An instruction the monitor performed for Linux, or refused with #GP. */
static void complete_or_gp(struct exit_ctx *x, bool gp)
{
	if (gp)
		inject_exception(x, VECTOR_GP, true, 0);
	else
		skip_instruction();
}

static void handle_io_exit(struct exit_ctx *x)
{
	bool gp;

	handle_io(x->pc, x->regs, x->qual, &gp);
	complete_or_gp(x, gp);
}

/* Linux triple-faulted: as on hardware, the machine resets (secrets first). */
static void handle_triple_fault(struct exit_ctx *x)
{
	pr_mon_console("CPU %u: Linux triple-faulted at RIP %lx: resetting the machine",
		       x->pc->cpu, vmcs_read(GUEST_RIP));
	leave_request(x->pc, "Linux triple-faulted", true);
}

static void handle_msr_exit(struct exit_ctx *x, bool write)
{
	bool gp;

	handle_msr(x->pc, x->regs, write, &gp);
	complete_or_gp(x, gp);
}

/*
 * Linux touched monitor or PAL memory (or a guest-physical address beyond
 * the EPT): the access is refused, counted, and answered with the fault its
 * path can take.  User mode gets #GP (SIGSEGV).  Kernel mode at a kernel
 * address gets a page fault with the reserved-bit flag, which Linux's fault
 * path treats as a hard fault (an exception fixup, else an oops), never as
 * a spurious one to retry; at a user address that flag would make 6.1's
 * user fault path oops in pgtable_bad(), so there it gets #GP, which the
 * uaccess fixups handle.
 */
static void handle_ept_violation(struct exit_ctx *x)
{
	u64 gpa = vmcs_read(GUEST_PHYSICAL_ADDRESS), lin = vmcs_read(GUEST_LINEAR_ADDRESS);
	u64 n = pal_denied_add();
	u32 err = 1 | 8;	/* present, reserved bit */

	if (n <= 8 || !(n & 1023))
		pr_mon("CPU %u: Linux access to %s gpa %lx refused (%lu so far)", x->pc->cpu,
		       in_monitor(gpa, 1) ? "monitor memory at" : "unmapped or PAL memory at", gpa,
		       n);
	if (!guest_cpl0() || !(x->qual & (1 << 7)) || !(lin >> 63)) {
		inject_exception(x, VECTOR_GP, true, 0);
		return;
	}
	if (x->qual & 2)
		err |= 2;
	if (x->qual & 4)
		err |= 16;
	write_cr2(lin);
	inject_exception(x, VECTOR_PF, true, err);
}

static void real_mode_seg(u32 sel_f, u32 base_f, u32 limit_f, u32 ar_f, u16 sel, u32 ar)
{
	vmcs_write(sel_f, sel);
	vmcs_write(base_f, (u64)sel << 4);
	vmcs_write(limit_f, 0xffff);
	vmcs_write(ar_f, ar);
}

#define REAL_SEG(NAME, sel, ar) \
	real_mode_seg(GUEST_##NAME##_SELECTOR, GUEST_##NAME##_BASE, GUEST_##NAME##_LIMIT, \
		      GUEST_##NAME##_AR_BYTES, sel, ar)

/* The state a SIPI gives: real mode at vector << 12, as after a real INIT. */
static void sipi_start(struct exit_ctx *x, u8 vector)
{
	struct vmx_caps *c = &monitor.caps;
	u16 cs = (u16)(vector << 8);

	x->pc->wait_sipi = false;
	/* Here rather than at the INIT: the CPU is no longer waiting for a SIPI to lose. */
	apic_init_reset();
	memset(x->regs, 0, sizeof(*x->regs));
	REAL_SEG(CS, cs, 0x9b);
	REAL_SEG(DS, 0, 0x93);
	REAL_SEG(ES, 0, 0x93);
	REAL_SEG(FS, 0, 0x93);
	REAL_SEG(GS, 0, 0x93);
	REAL_SEG(SS, 0, 0x93);
	REAL_SEG(TR, 0, 0x8b);
	REAL_SEG(LDTR, 0, 0x82);
	vmcs_write(GUEST_GDTR_BASE, 0);
	vmcs_write(GUEST_GDTR_LIMIT, 0xffff);
	vmcs_write(GUEST_IDTR_BASE, 0);
	vmcs_write(GUEST_IDTR_LIMIT, 0xffff);
	vmcs_write(CR0_READ_SHADOW, 0x60000010);
	vmcs_write(GUEST_CR0, (0x60000010 | c->cr0_fixed0) & ~(X86_CR0_PE | X86_CR0_PG));
	vmcs_write(CR4_READ_SHADOW, 0);
	vmcs_write(GUEST_CR4, c->cr4_fixed0);
	vmcs_write(GUEST_CR3, 0);
	vmcs_write(GUEST_DR7, 0x400);
	vmcs_write(GUEST_RSP, 0);
	vmcs_write(GUEST_RIP, 0);
	vmcs_write(GUEST_RFLAGS, 2);
	vmcs_write(GUEST_IA32_EFER, 0);
	vmcs_write(VM_ENTRY_CONTROLS, vmcs_read(VM_ENTRY_CONTROLS) & ~ENTRY_IA32E_MODE);
	vmcs_write(GUEST_INTERRUPTIBILITY_INFO, 0);
	vmcs_write(GUEST_PENDING_DBG_EXCEPTIONS, 0);
	vmcs_write(GUEST_ACTIVITY_STATE, GUEST_ACTIVITY_ACTIVE);
	invvpid(INVVPID_SINGLE, x->pc->vpid);
}

/*
 * INIT parks the CPU in wait-for-SIPI; SIPI starts it in real mode at the
 * vector.  Both are quick and silent on purpose: Linux sends the SIPI a few
 * microseconds after the INIT, SIPIs are not latched, and one that arrives
 * while this CPU is still in the monitor handling the INIT is lost.
 */
void park_for_sipi(struct per_cpu *pc)
{
	pc->wait_sipi = true;
	/*
	 * As a real INIT: no event in delivery, no blocking, no pending debug
	 * exception (VM entry to wait-for-SIPI refuses most of them).
	 */
	vmcs_write(VM_ENTRY_INTR_INFO_FIELD, 0);
	/* NMIs owed to the CPU's old life would land in the real-mode start-up code. */
	pc->nmi_pending = 0;
	pc->proc_ctls &= ~CPU_NMI_WINDOW_EXITING;
	vmcs_write(CPU_BASED_VM_EXEC_CONTROL, pc->proc_ctls);
	vmcs_write(GUEST_INTERRUPTIBILITY_INFO, 0);
	vmcs_write(GUEST_PENDING_DBG_EXCEPTIONS, 0);
	vmcs_write(GUEST_ACTIVITY_STATE, GUEST_ACTIVITY_WAIT_SIPI);
}

static void handle_init(struct exit_ctx *x)
{
	park_for_sipi(x->pc);
	x->event_pending = false;
}

static void handle_sipi(struct exit_ctx *x)
{
	sipi_start(x, (u8)x->qual);
}

static void handle_exception_nmi(struct exit_ctx *x)
{
	u32 info = (u32)vmcs_read(VM_EXIT_INTR_INFO);

	if ((info & INTR_TYPE_MASK) != INTR_TYPE_NMI)
		guest_stop(x->pc, "unexpected exception exit", x->reason);
	unblock_nmis();
	/* The leave rendezvous's NMI only brings the CPU here: leave_check() follows. */
	if (rendezvous_nmi(x->pc) || shootdown_nmi(x->pc))
		return;
	__atomic_fetch_add(&x->pc->nmi_pending, 1, __ATOMIC_RELAXED);
	request_nmi_window(x->pc);
}

/* An event cut short by this exit must be delivered again on entry. */
static void reinject_vectoring(struct exit_ctx *x)
{
	u32 info = (u32)vmcs_read(IDT_VECTORING_INFO_FIELD);

	if (!(info & INTR_INFO_VALID))
		return;
	vmcs_write(VM_ENTRY_INTR_INFO_FIELD, info & ~(1U << 12));
	if (info & INTR_INFO_DELIVER_CODE)
		vmcs_write(VM_ENTRY_EXCEPTION_ERROR_CODE, vmcs_read(IDT_VECTORING_ERROR_CODE));
	vmcs_write(VM_ENTRY_INSTRUCTION_LEN, vmcs_read(VM_EXIT_INSTRUCTION_LEN));
	x->event_pending = true;
}

/*
 * The first VM entry of a CPU failed: give the CPU back to the module's
 * launch call with TV_E_LAUNCH, which then fails cleanly.  The guest state
 * is the state Linux had at the call, so this is an ordinary return.
 */
static int first_entry_failed(struct exit_ctx *x, u32 full_reason)
{
	pr_fatal("CPU %u: VM entry failed (exit reason %x, qualification %lx): launch refused",
		 x->pc->cpu, full_reason, x->qual);
	x->regs->rax = (u64)(long)TV_E_LAUNCH;
	return 1;
}

int vmx_handle_exit(struct guest_regs *regs)
{
	struct exit_ctx x = { .pc = this_cpu(), .regs = regs };
	u32 full = (u32)vmcs_read(VM_EXIT_REASON);

	/* Bits 16-31 are flags (27: exit from an enclave, 31: failed entry). */
	x.reason = full & EXIT_REASON_BASIC;
	x.qual = vmcs_read(EXIT_QUALIFICATION);
	if (x.reason < TV_EXIT_REASONS)
		x.pc->exits[x.reason]++;
	if (x.pc->pal)
		return pal_handle_exit(x.pc, regs, full);
	if (full & EXIT_REASON_FAILED_ENTRY) {
		if (x.reason == EXIT_MACHINE_CHECK)
			machine_check(x.pc, "during VM entry");
		if (!x.pc->launched)
			return first_entry_failed(&x, full);
		guest_stop(x.pc, "VM entry failed", full);
	}
	x.pc->launched = true;
	reinject_vectoring(&x);

	switch (x.reason) {
	case EXIT_EXCEPTION_NMI:
		handle_exception_nmi(&x);
		break;
	case EXIT_NMI_WINDOW:
		handle_nmi_window(&x);
		break;
	case EXIT_TRIPLE_FAULT:
		handle_triple_fault(&x);
		break;
	case EXIT_INIT:
		handle_init(&x);
		break;
	case EXIT_SIPI:
		handle_sipi(&x);
		break;
	case EXIT_CPUID:
		handle_cpuid(&x);
		break;
	case EXIT_INVD:
		/* INVD would drop the monitor's dirty lines too. */
		asm volatile("wbinvd" ::: "memory");
		skip_instruction();
		break;
	case EXIT_VMCALL:
		handle_vmcall(&x);
		break;
	case EXIT_VMXOFF:
		handle_vmxoff(&x);
		break;
	case EXIT_IO_INSTRUCTION:
		handle_io_exit(&x);
		break;
	case EXIT_VMCLEAR: case EXIT_VMLAUNCH: case EXIT_VMPTRLD: case EXIT_VMPTRST:
	case EXIT_VMREAD: case EXIT_VMRESUME: case EXIT_VMWRITE:
	case EXIT_VMXON: case EXIT_INVEPT: case EXIT_INVVPID: case EXIT_VMFUNC:
	case EXIT_GETSEC:
		/* No nested VMX or SMX for Linux: as on a CPU without them. */
		inject_exception(&x, VECTOR_UD, false, 0);
		break;
	case EXIT_CR_ACCESS:
		handle_cr_access(&x);
		break;
	case EXIT_RDMSR:
		handle_msr_exit(&x, false);
		break;
	case EXIT_WRMSR:
		handle_msr_exit(&x, true);
		break;
	case EXIT_XSETBV:
		handle_xsetbv(&x);
		break;
	case EXIT_EPT_VIOLATION:
		handle_ept_violation(&x);
		break;
	default:
		/* Only what we enabled can exit; anything else is a monitor bug. */
		guest_stop(x.pc, "unhandled exit", x.reason);
	}
	if (x.pc->vmx_errors)
		guest_stop(x.pc, "a VMX instruction failed while handling the exit", x.reason);
	ept_sync_local(x.pc);
	if (x.enter_pal)
		return 2;	/* VMLAUNCH the PAL's VMCS, now current */
	return leave_check(x.pc);
}

/*
 * VMLAUNCH of a PAL's VMCS failed (VMfail: its controls or host state):
 * a monitor bug, reported; the call fails and Linux goes on.
 */
int pal_launch_failed(struct guest_regs *regs)
{
	struct per_cpu *pc = this_cpu();
	struct pal_fault f = {
		.result = TV_HC_RESULT_FAULT, .vector = TV_HC_FAULT_INSTRUCTION,
	};
	u64 err = 0;

	vmcs_read_safe(VM_INSTRUCTION_ERROR, &err);
	pr_fatal("CPU %u: VMLAUNCH of a PAL failed, VM-instruction error %lu", pc->cpu, err);
	pal_finish(pc, regs, &f, 0, 0);
	regs->rax = (u64)(long)TV_E_LAUNCH;
	return leave_check(pc);
}
