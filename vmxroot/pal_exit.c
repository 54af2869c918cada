// SPDX-License-Identifier: GPL-2.0
/*
 * Exits from a PAL's VMCS.  Only two let the PAL go on: CPUID (answered as
 * Linux's would be) and its service hypercalls (pal_svc.c); an interrupt or NMI ends
 * its turn (Linux handles it, then resumes the call); its exit hypercall
 * ends the call; anything else terminates it: the monitor wipes it and
 * tells the caller what happened and where.  Never a halt.
 */
#include "vmxroot/pal.h"
#include "vmxroot/policy.h"
#include "vmxroot/processor.h"
#include "vmxroot/vmx.h"

static void terminate(struct per_cpu *pc, struct guest_regs *regs, u32 result, u32 vector,
		      u64 error, u64 addr)
{
	struct pal_fault f = {
		.result = result, .vector = vector, .error = error, .addr = addr,
		.rip = vmcs_read(GUEST_RIP),
	};

	pal_finish(pc, regs, &f, 0, 0);
}

static void exit_hypercall(struct per_cpu *pc, struct guest_regs *regs)
{
	struct pal *p = pc->pal;
	struct pal_fault ok = { .result = TV_HC_RESULT_RETURNED };

	if (regs->rax == TV_PAL_HC_COUNTER_COMMIT) {
		/* The PAL waits while Linux stores the table and relays the increment. */
		int ret = tpm_commit_stage(p, regs);

		skip_instruction();
		if (ret)
			regs->rax = (u64)(long)ret;
		else
			pal_suspend_for(pc, regs, TV_E_COMMIT);
		return;
	}
	if (regs->rax != TV_PAL_HC_EXIT && pal_service(p, regs)) {
		skip_instruction();
		return;
	}
	if (regs->rax != TV_PAL_HC_EXIT || regs->rsi > p->out_cap) {
		terminate(pc, regs, TV_HC_RESULT_FAULT, TV_HC_FAULT_BAD_HYPERCALL, regs->rax, 0);
		return;
	}
	pal_finish(pc, regs, &ok, (s32)regs->rdi, (u32)regs->rsi);
}

static void exception(struct per_cpu *pc, struct guest_regs *regs)
{
	u32 info = (u32)vmcs_read(VM_EXIT_INTR_INFO);
	u32 vector = info & 0xff;
	u64 error = info & INTR_INFO_DELIVER_CODE ? vmcs_read(VM_EXIT_INTR_ERROR_CODE) : 0;

	if ((info & INTR_TYPE_MASK) == INTR_TYPE_NMI) {
		unblock_nmis();
		if (!rendezvous_nmi(pc) && !shootdown_nmi(pc))
			__atomic_fetch_add(&pc->nmi_pending, 1, __ATOMIC_RELAXED);
		pal_suspend(pc, regs);
		return;
	}
	terminate(pc, regs, TV_HC_RESULT_FAULT, vector, error,
		  vector == VECTOR_PF ? vmcs_read(EXIT_QUALIFICATION) : 0);
}

static void ept_violation(struct per_cpu *pc, struct guest_regs *regs)
{
	u64 qual = vmcs_read(EXIT_QUALIFICATION);

	/* The PAL's own address only: where its block lies is none of its caller's business. */
	terminate(pc, regs, TV_HC_RESULT_FAULT, TV_HC_FAULT_MEMORY, qual & 7,
		  qual & (1 << 7) ? vmcs_read(GUEST_LINEAR_ADDRESS) : 0);
}

/* The PAL may go on only while nothing else wants this CPU. */
static bool must_yield(struct per_cpu *pc)
{
	return READ_ONCE(pc->nmi_pending) || monitor_state() != TV_STATE_ACTIVE;
}

int pal_handle_exit(struct per_cpu *pc, struct guest_regs *regs, u32 full)
{
	u32 reason = full & EXIT_REASON_BASIC;

	if (full & EXIT_REASON_FAILED_ENTRY) {
		pr_mon("CPU %u: PAL entry failed (exit reason %x): PAL terminated", pc->cpu, full);
		terminate(pc, regs, TV_HC_RESULT_FAULT, TV_HC_FAULT_INSTRUCTION, full, 0);
	} else if (vmcs_read(IDT_VECTORING_INFO_FIELD) & INTR_INFO_VALID) {
		/* Nothing is ever delivered to a PAL: an event in flight is a fault. */
		terminate(pc, regs, TV_HC_RESULT_FAULT, TV_HC_FAULT_INSTRUCTION, reason, 0);
	} else {
		switch (reason) {
		case EXIT_VMCALL:
			exit_hypercall(pc, regs);
			break;
		case EXIT_EXCEPTION_NMI:
			exception(pc, regs);
			break;
		case EXIT_EXTERNAL_INTR:
			pal_suspend(pc, regs);
			break;
		case EXIT_CPUID:
			cpuid_emulate(pc, regs);
			skip_instruction();
			break;
		case EXIT_EPT_VIOLATION:
			ept_violation(pc, regs);
			break;
		case EXIT_TRIPLE_FAULT:
			terminate(pc, regs, TV_HC_RESULT_FAULT, 8, 0, 0);
			break;
		case EXIT_INIT:
			/* The CPU is being reset: the PAL dies with its call, Linux parks. */
			terminate(pc, regs, TV_HC_RESULT_KILLED, 0, 0, 0);
			park_for_sipi(pc);
			break;
		default:
			terminate(pc, regs, TV_HC_RESULT_FAULT, TV_HC_FAULT_INSTRUCTION, reason, 0);
		}
	}
	if (pc->pal && must_yield(pc))
		pal_suspend(pc, regs);
	ept_sync_local(pc);
	if (pc->pal)
		return 0;		/* VMRESUME the PAL */
	return leave_check(pc);		/* Linux's VMCS is current again */
}
