// SPDX-License-Identifier: GPL-2.0
/*
 * Giving a CPU back, once the machine leaves (leave.c).  Leave VMX and rebuild,
 * from the VMCS, the exact state VM entry would have given Linux, then return
 * to the instruction after its VMCALL.  The last steps are in entry.S.
 */
#include <stddef.h>
#include "vmxroot/vmxroot.h"
#include "vmxroot/processor.h"
#include "vmxroot/vmx.h"

struct __packed devirt_frame {
	u64 cr3;
	struct desc_ptr gdtr;
	u8 pad1[6];
	struct desc_ptr idtr;
	u8 pad2[6];
	u16 ds, es, fs, gs, ss, ldtr;
	u8 pad3[4];
	u64 fs_base, gs_base;
	u64 cr4;
	struct guest_regs regs;
	u64 iret_rip, iret_cs, iret_rflags, iret_rsp, iret_ss;
};

/* Offsets entry.S relies on. */
BUILD_BUG_ON(offsetof(struct devirt_frame, gdtr) != 8);
BUILD_BUG_ON(offsetof(struct devirt_frame, idtr) != 24);
BUILD_BUG_ON(offsetof(struct devirt_frame, ds) != 40);
BUILD_BUG_ON(offsetof(struct devirt_frame, ss) != 48);
BUILD_BUG_ON(offsetof(struct devirt_frame, ldtr) != 50);
BUILD_BUG_ON(offsetof(struct devirt_frame, fs_base) != 56);
BUILD_BUG_ON(offsetof(struct devirt_frame, cr4) != 72);
BUILD_BUG_ON(offsetof(struct devirt_frame, regs) != 80);
BUILD_BUG_ON(offsetof(struct devirt_frame, iret_rip) != 80 + 16 * 8);


/* Called from devirt_finish once Linux's IDT is back. */
int devirt_nmi_pending(void)
{
	struct per_cpu *pc = this_cpu();
	u32 n = __atomic_exchange_n(&pc->nmi_pending, 0, __ATOMIC_RELAXED);

	return n != 0;
}

static void write_cr(int n, u64 v)
{
	if (n == 0)
		asm volatile("mov %0, %%cr0" : : "r"(v) : "memory");
	else
		asm volatile("mov %0, %%cr4" : : "r"(v) : "memory");
}

/*
 * Linux's TR, from the guest state: its TSS descriptor written into our GDT at
 * Linux's selector and marked available, so LTR accepts it.  Linux's own GDT
 * is read-only and already holds the busy descriptor LTR would write.
 */
static void restore_linux_tr(struct per_cpu *pc)
{
	u16 sel = (u16)vmcs_read(GUEST_TR_SELECTOR) & ~7;

	if (!sel || sel / 8 + 1 >= GDT_ENTRIES)
		sel = SEL_TSS;
	tss_desc_make(&pc->gdt[sel / 8], vmcs_read(GUEST_TR_BASE),
		      (u32)vmcs_read(GUEST_TR_LIMIT), false);
	asm volatile("ltr %w0" : : "r"(sel) : "memory");
}

/*
 * Gives this CPU back: Linux continues at the guest RIP with exactly the
 * state VM entry would have given it, RAX included (the exit handler set it).
 */
__noreturn void vmx_devirt(struct guest_regs *regs)
{
	struct per_cpu *pc = this_cpu();
	struct devirt_frame f;

	f.regs = *regs;
	f.iret_rip = vmcs_read(GUEST_RIP);
	f.iret_cs = vmcs_read(GUEST_CS_SELECTOR);
	f.iret_rflags = vmcs_read(GUEST_RFLAGS);
	f.iret_rsp = vmcs_read(GUEST_RSP);
	f.iret_ss = vmcs_read(GUEST_SS_SELECTOR);
	f.ss = (u16)f.iret_ss;
	f.ds = (u16)vmcs_read(GUEST_DS_SELECTOR);
	f.es = (u16)vmcs_read(GUEST_ES_SELECTOR);
	f.fs = (u16)vmcs_read(GUEST_FS_SELECTOR);
	f.gs = (u16)vmcs_read(GUEST_GS_SELECTOR);
	f.ldtr = (u16)vmcs_read(GUEST_LDTR_SELECTOR);
	if (vmcs_read(GUEST_LDTR_AR_BYTES) & AR_UNUSABLE)
		f.ldtr = 0;
	f.fs_base = vmcs_read(GUEST_FS_BASE);
	f.gs_base = vmcs_read(GUEST_GS_BASE);
	f.cr3 = vmcs_read(GUEST_CR3);
	f.cr4 = guest_cr4_view() & ~X86_CR4_VMXE;
	f.gdtr.base = vmcs_read(GUEST_GDTR_BASE);
	f.gdtr.limit = (u16)vmcs_read(GUEST_GDTR_LIMIT);
	f.idtr.base = vmcs_read(GUEST_IDTR_BASE);
	f.idtr.limit = (u16)vmcs_read(GUEST_IDTR_LIMIT);

	wrmsr(MSR_IA32_SYSENTER_CS, vmcs_read(GUEST_SYSENTER_CS));
	wrmsr(MSR_IA32_SYSENTER_ESP, vmcs_read(GUEST_SYSENTER_ESP));
	wrmsr(MSR_IA32_SYSENTER_EIP, vmcs_read(GUEST_SYSENTER_EIP));
	wrmsr(MSR_IA32_PAT, vmcs_read(GUEST_IA32_PAT));
	wrmsr(MSR_IA32_EFER, vmcs_read(GUEST_IA32_EFER));
	write_cr(0, guest_cr0_view());
	asm volatile("mov %0, %%dr7" : : "r"(vmcs_read(GUEST_DR7)));
	wrmsr(MSR_IA32_DEBUGCTL, vmcs_read(GUEST_IA32_DEBUGCTL));
	restore_linux_tr(pc);

	pc->vmcs_live = false;
	vmcs_clear(virt_to_phys(pc->vmcs));
	vmx_off();
	/* The module may free our memory once the count is 0: devirt_finish is short. */
	cpu_set_inside(pc, false);
	/*
	 * CR4 before CR3: our CR3 has no PCID bits, so Linux's CR4.PCIDE can go
	 * first.  CR4.VMXE goes now that VMX is off: Linux's view of it is the
	 * module's business, the hardware's is ours.
	 */
	write_cr(4, f.cr4);
	devirt_finish(&f);
}
