/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The monitor's assembly entries: CPU launch (called by the module), the
 * VM-exit entry, the host IDT stubs and the last steps of giving a CPU back.
 */
#include "trustvisor/monitor.h"

#define GUEST_REGS_SIZE	(16 * 8)

.macro PUSH_GUEST_REGS
	push %r15
	push %r14
	push %r13
	push %r12
	push %r11
	push %r10
	push %r9
	push %r8
	push %rdi
	push %rsi
	push %rbp
	sub $8, %rsp		/* guest RSP lives in the VMCS */
	push %rbx
	push %rdx
	push %rcx
	push %rax
.endm

.macro PUSH_CALLEE_SAVED
	push %rbp
	push %rbx
	push %r12
	push %r13
	push %r14
	push %r15
.endm

.macro POP_CALLEE_SAVED
	pop %r15
	pop %r14
	pop %r13
	pop %r12
	pop %rbx
	pop %rbp
.endm

.macro POP_GUEST_REGS
	pop %rax
	pop %rcx
	pop %rdx
	pop %rbx
	add $8, %rsp
	pop %rbp
	pop %rsi
	pop %rdi
	pop %r8
	pop %r9
	pop %r10
	pop %r11
	pop %r12
	pop %r13
	pop %r14
	pop %r15
.endm

	.text

/*
 * int tv_cpu_launch(u32 cpu)
 *
 * Called on `cpu` with interrupts off, on Linux's page tables and stack.
 * On success the CPU continues as a guest at our caller's return address
 * with our caller's stack and callee-saved registers, and RAX = 0: to Linux
 * it looks like an ordinary call that returned 0.
 */
	.globl tv_cpu_launch
tv_cpu_launch:
	endbr64
	PUSH_CALLEE_SAVED
	mov 48(%rsp), %rsi		/* guest RIP: our return address */
	lea 56(%rsp), %rdx		/* guest RSP: the stack after that return */
	push %rdi			/* the CPU, for vmx_launch_failed */
	call vmx_cpu_prepare
	pop %rdi
	test %eax, %eax
	jnz 1f
	POP_CALLEE_SAVED
	vmlaunch
	/* Only reached if VMLAUNCH failed; RDI still holds the CPU. */
	setc %sil			/* CF: VMfailInvalid, ZF: VMfailValid */
	movzbl %sil, %esi
	PUSH_CALLEE_SAVED
	call vmx_launch_failed
1:	POP_CALLEE_SAVED
	ret

/*
 * VM exits land here (HOST_RIP) on the per-CPU stack with interrupts off.
 * vmx_handle_exit() returns 0 to resume the guest, 1 to give the CPU back
 * (with the guest registers, RAX included, as the handler left them), 2 to
 * launch a PAL whose VMCS it made current.
 */
	.globl vmx_exit_entry
vmx_exit_entry:
	PUSH_GUEST_REGS
	mov %rsp, %rdi
	call vmx_handle_exit
4:	cmp $1, %eax
	je 2f
	ja 3f
	POP_GUEST_REGS
	vmresume
	PUSH_GUEST_REGS
	mov %rsp, %rdi
	call vmx_resume_failed		/* does not return */
2:	mov %rsp, %rdi
	call vmx_devirt			/* does not return */
	ud2
	/* 2: a PAL call begins; its VMCS is current and cleared. */
3:	POP_GUEST_REGS
	vmlaunch
	PUSH_GUEST_REGS
	mov %rsp, %rdi
	call pal_launch_failed		/* Linux's VMCS current again: 0 or 1 */
	jmp 4b

/*
 * void devirt_finish(struct devirt_frame *f): VMX is off, TR holds Linux's
 * TSS, CR0/CR4 and the MSRs are Linux's.  Switch tables and address space in
 * an order that keeps NMIs safe at every step: our code, stack, GDT and IDT
 * are mapped at the same address in Linux's page tables.
 */
#define F_CR3	0
#define F_GDTR	8		/* limit (2) + base (8), at 8..17 */
#define F_IDTR	24		/* limit (2) + base (8), at 24..33 */
#define F_DS	40
#define F_ES	42
#define F_FS	44
#define F_GS	46
#define F_SS	48
#define F_LDTR	50
#define F_FSB	56
#define F_GSB	64
#define F_CR4	72
#define F_REGS	80		/* struct guest_regs, then the IRET frame */
#define F_IRET	(F_REGS + GUEST_REGS_SIZE)

	.globl devirt_finish
devirt_finish:
	mov %rdi, %rbx
	mov F_CR3(%rbx), %rax
	mov %rax, %cr3
	/* Drop every TLB entry the pre-launch Linux left under VPID 0. */
	mov F_CR4(%rbx), %rax
	mov %rax, %rcx
	xor $0x80, %rcx			/* CR4.PGE toggle flushes all PCIDs and globals */
	mov %rcx, %cr4
	mov %rax, %cr4
	lgdt F_GDTR(%rbx)
	mov F_DS(%rbx), %ax
	mov %ax, %ds
	mov F_ES(%rbx), %ax
	mov %ax, %es
	mov F_SS(%rbx), %ax
	mov %ax, %ss
	mov F_FS(%rbx), %ax
	mov %ax, %fs
	mov F_GS(%rbx), %ax
	mov %ax, %gs
	lldt F_LDTR(%rbx)
	mov $0xc0000100, %ecx
	mov F_FSB(%rbx), %eax
	mov F_FSB+4(%rbx), %edx
	wrmsr
	mov $0xc0000101, %ecx
	mov F_GSB(%rbx), %eax
	mov F_GSB+4(%rbx), %edx
	wrmsr
	lidt F_IDTR(%rbx)
	/* An NMI caught by our IDT since VMXOFF belongs to Linux: hand it over. */
	call devirt_nmi_pending
	test %eax, %eax
	jz 3f
	int $2
3:	lea F_REGS(%rbx), %rsp
	POP_GUEST_REGS
	iretq

/*
 * void unblock_nmis(void): a VM exit caused by an NMI leaves NMIs blocked
 * until the next IRET, and the monitor never IRETs otherwise: IRET to
 * ourselves so the next NMI can arrive (and be handed to Linux).
 */
	.globl unblock_nmis
unblock_nmis:
	mov %rsp, %rax
	push $0x18			/* SS: SEL_KERNEL_DS */
	push %rax
	pushfq
	push $0x10			/* CS: SEL_KERNEL_CS */
	lea 1f(%rip), %rax
	push %rax
	iretq
1:	ret

/*
 * Host IDT: one 16-byte stub per vector, all jumping to a common handler.
 * Vector 2 (NMI) is special: note it for the guest and return at once.
 */
	.balign 16
	.globl idt_stubs
idt_stubs:
	vector = 0
	.rept 32
	.balign 16
	.if vector == 2
	jmp nmi_stub
	.elseif (vector == 8 || (vector >= 10 && vector <= 14) || vector == 17 || vector == 21)
	push $vector
	jmp exception_common
	.else
	push $0
	push $vector
	jmp exception_common
	.endif
	vector = vector + 1
	.endr

nmi_stub:
	push %rax
	push %rcx
	push %rdx
	push %rsi
	push %rdi
	push %r8
	push %r9
	push %r10
	push %r11
	call host_nmi
	pop %r11
	pop %r10
	pop %r9
	pop %r8
	pop %rdi
	pop %rsi
	pop %rdx
	pop %rcx
	pop %rax
	iretq

/* Stack: [vector, error code, RIP, CS, RFLAGS, RSP, SS]. */
exception_common:
	PUSH_GUEST_REGS
	mov %rsp, %rdi
	call host_exception		/* returns only if an extable fixup applies */
	POP_GUEST_REGS
	add $16, %rsp			/* vector, error code */
	iretq
