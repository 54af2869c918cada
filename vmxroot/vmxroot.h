/* SPDX-License-Identifier: GPL-2.0 */
/* Monitor-wide state and the per-CPU area. */
#ifndef TV_VMXROOT_H
#define TV_VMXROOT_H

#include "lib/base.h"
#include "trustvisor/monitor.h"

#define PAGE_SIZE	4096UL
#define PAGE_MASK	(~(PAGE_SIZE - 1))

#define __aligned(x)	__attribute__((aligned(x)))
#define __noreturn	__attribute__((noreturn))
#define __packed	__attribute__((packed))
/* Set up by tv_init, then mapped read-only in the monitor's page tables. */
#define __ro_after_init	__attribute__((section(".data.ro_after_init")))
#define READ_ONCE(x)	(*(volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, v) (*(volatile __typeof__(x) *)&(x) = (v))
#define BUILD_BUG_ON(c)	_Static_assert(!(c), #c)

/* Linux's own selectors (arch/x86/include/asm/segment.h), mirrored on purpose: see gdt.c. */
#define SEL_KERNEL_CS	0x10
#define SEL_KERNEL_DS	0x18
#define SEL_TSS		0x40
#define GDT_ENTRIES	16

struct __packed tss64 {
	u32 reserved0;
	u64 rsp[3];
	u64 reserved1;
	u64 ist[7];
	u64 reserved2;
	u16 reserved3;
	u16 iomap_base;
};

/* An entry of a VM-entry/VM-exit MSR-load list (SDM 25.7.2). */
struct msr_entry {
	u32 index, reserved;
	u64 value;
};

/* General-purpose registers as the exit stub pushes them (entry.S). */
struct guest_regs {
	u64 rax, rcx, rdx, rbx, rsp_unused, rbp, rsi, rdi;
	u64 r8, r9, r10, r11, r12, r13, r14, r15;
};

/*
 * One per CPU, TV_PERCPU_SIZE bytes and aligned to that size, so the monitor
 * finds it from its stack pointer alone (this_cpu()), even in an NMI that hits
 * while segment bases belong to Linux.
 */
struct per_cpu {
	u8 vmxon[PAGE_SIZE];
	u8 vmcs[PAGE_SIZE];
	u64 gdt[GDT_ENTRIES];
	struct tss64 tss;
	u32 cpu;
	u16 vpid;
	bool virtualized;
	bool stopped;
	bool vmcs_live;		/* VMXON done and our VMCS current */
	bool launched;		/* the first VM entry succeeded */
	u32 vmx_errors;		/* failed VMX instructions (vmx_insn_failed) */
	u32 nmi_pending;	/* NMIs owed to Linux */
	u32 rdv_nmis;		/* NMIs the leave rendezvous sent us: not Linux's */
	u32 apic_id;
	bool rdv_arrived;	/* in the leave rendezvous */
	bool wait_sipi;		/* parked by an INIT, runs nothing until a SIPI */
	bool reset_requester;	/* resets the machine once the secrets are gone */
	bool leave_to_console;	/* Linux may never read the log ring again */
	bool string_io_logged;
	u32 proc_ctls;		/* current primary processor-based controls */
	u32 msr_denied_logged;
	struct msr_entry msr_exit_load[1] __aligned(16);
	struct msr_entry msr_entry_load[1] __aligned(16);
	u64 exits[TV_EXIT_REASONS];
	u64 nmis_reinjected;
	/* EPT shootdown (shootdown.c): NMIs it sent us, the generation we flushed to. */
	u32 shoot_nmis;
	u64 ept_gen;
	/* The PAL whose VMCS is current here, or NULL while Linux's is (pal_vmcs.c). */
	struct pal *pal;
	u64 pal_vmcs_pa;
	struct guest_regs linux_regs;	/* Linux's registers while a PAL runs */
	u64 linux_xcr0, linux_rfbm;
	u8 xsave_linux[8192] __aligned(64);
};

#define PERCPU_STACK_OFFSET	(5 * PAGE_SIZE)
BUILD_BUG_ON(sizeof(struct per_cpu) > PERCPU_STACK_OFFSET);

static inline struct per_cpu *this_cpu(void)
{
	u64 sp;

	asm volatile("mov %%rsp, %0" : "=r"(sp));
	return (struct per_cpu *)(sp & ~((u64)TV_PERCPU_SIZE - 1));
}

struct vmx_caps {
	u32 pin, proc, proc2, exit, entry;
	u64 cr0_fixed0, cr0_fixed1, cr4_fixed0, cr4_fixed1;
	u64 host_cr4;
	bool perf_global_ctrl;		/* the MSR exists; zero while the monitor runs */
	bool perf_vmcs_switch;		/* switched by the VMCS, else by MSR-load lists */
	u64 perf_global_ctrl_mask;
	u64 xss_supported;
	u64 ept_vpid;
	u32 revision;
	u8 maxphyaddr;
	bool host_1g_pages;
};

struct monitor {
	struct tv_init_params params;
	u64 virt, phys, mem_size;
	u64 text_end, rodata_end;	/* offsets, for page protections */
	u64 host_cr3;
	u64 eptp;
	u64 apic_mmio;			/* xAPIC registers, identity-mapped UC (0: x2APIC) */
	struct vmx_caps caps;
	bool initialized;
};

extern struct monitor monitor;

static inline u64 virt_to_phys(const void *p)
{
	return monitor.phys + ((u64)p - monitor.virt);
}

static inline struct per_cpu *per_cpu_of(u32 cpu)
{
	return (struct per_cpu *)(monitor.virt + monitor.params.percpu_offset +
				  (u64)cpu * TV_PERCPU_SIZE);
}

/* Monitor memory as guest-physical range: never visible to Linux. */
static inline bool in_monitor(u64 pa, u64 len)
{
	return pa < monitor.phys + monitor.mem_size && pa + len > monitor.phys;
}

#define PTE_ADDR_MASK	0x000ffffffffff000ULL
#define EPT_R		(1ULL << 0)
#define EPT_W		(1ULL << 1)
#define EPT_X		(1ULL << 2)

/* paging.c */
u64 ept_leaf_for(u64 pa, u64 size);
u64 *ept_entry(u64 eptp, u64 gpa, int level);
u64 *pool_table_virt(u64 entry);
void pool_init(u64 start, u64 pages);
u64 pool_used(void);
u64 monitor_page_flags(u64 off);
bool guest_ram(u64 pa, u64 len);
u64 ept_leaf(u64 eptp, u64 gpa, u64 *size);
bool ept_permits(u64 eptp, u64 gpa, u64 perm);
void *pool_alloc_page(void);
int host_paging_init(void);
int ept_init(void);

/* gdt.c */
void cpu_tables_init(struct per_cpu *pc);
void idt_init(void);
u64 idt_base(void);
u16 idt_limit(void);
void tss_desc_make(u64 desc[2], u64 base, u32 limit, bool busy);

/* vmx.c */
int vmx_caps_init(void);
int adjust_ctls(u32 msr, u32 wanted, u32 required, u32 *out);
void vmx_write_host_state(struct per_cpu *pc);
int vmx_cpu_prepare(u32 cpu, u64 guest_rip, u64 guest_rsp);
int vmx_launch_failed(u32 cpu, bool fail_invalid);
u64 perf_global_ctrl_guest(void);
void perf_global_ctrl_set_guest(u64 val);
void vmx_cpu_abandon(struct per_cpu *pc);

/* guest.c */
int copy_to_guest(u64 eptp, u64 gpa, const void *src, u64 len);
int copy_from_guest(u64 eptp, void *dst, u64 gpa, u64 len);

/* exit.c */
bool guest_long_mode(void);
u64 guest_cr0_view(void);
u64 guest_cr4_view(void);
int vmx_handle_exit(struct guest_regs *regs);
void skip_instruction(void);
void request_nmi_window(struct per_cpu *pc);
void cpuid_emulate(struct per_cpu *pc, struct guest_regs *r);
void park_for_sipi(struct per_cpu *pc);
__noreturn void guest_stop(struct per_cpu *pc, const char *why, u64 reason);

/* leave.c */
u32 monitor_state(void);
void cpu_set_inside(struct per_cpu *pc, bool inside);
int monitor_activate(void);
void leave_request(struct per_cpu *pc, const char *why, bool reset);
bool rendezvous_nmi(struct per_cpu *pc);
int leave_check(struct per_cpu *pc);

/* secrets.c */
int secrets_create(void);
long secrets_identity(u64 gpa);
void secrets_wipe(void);
void secrets_locate(u64 *master_pa, u64 *idkey_pa, bool *present);

/* tpm.c */
void tpm_take_salt_key(u32 handle, const u8 x[32], const u8 y[32]);
void tpm_nv_report(u32 *state, s32 *error, u64 *value, u32 *counters);
long tpm_hypercall(u64 gpa);
long tpm_counters_hypercall(u64 gpa);
void tpm_wipe(void);

/* apic.c */
void apic_send_nmi(u32 apic_id);
u32 apic_id_self(void);
void apic_init_reset(void);

/* msr.c */
void msr_bitmap_init(void);
u64 msr_bitmap_phys(void);
void handle_msr(struct per_cpu *pc, struct guest_regs *regs, bool write, bool *inject_gp);

/* io.c */
void io_bitmap_init(void);
u64 io_bitmap_phys(unsigned int which);
bool io_is_reset(u16 port, unsigned int size, u32 val);
void handle_io(struct per_cpu *pc, struct guest_regs *regs, u64 qual, bool *inject_gp);
__noreturn void machine_reset(struct per_cpu *pc);

/* selftest.c: the test build's extra hypercalls (TV_E_NOSYS for others) */
#ifdef TV_SELFTEST
long selftest_hypercall(struct per_cpu *pc, struct guest_regs *r);
#else
static inline long selftest_hypercall(struct per_cpu *pc, struct guest_regs *r)
{
	(void)pc;
	(void)r;
	return TV_E_NOSYS;
}
#endif

/* devirt.c */
__noreturn void vmx_devirt(struct guest_regs *regs);

/* entry.S */
struct devirt_frame;
extern char vmx_exit_entry[];
extern char idt_stubs[];
void unblock_nmis(void);
__noreturn void devirt_finish(struct devirt_frame *f);

/* log.c */
__attribute__((format(printf, 1, 2))) void tv_log(const char *fmt, ...);
__attribute__((format(printf, 1, 2))) void tv_fatal(const char *fmt, ...);

/*
 * pr_mon: to the log ring.  pr_fatal: a state the monitor cannot go on from
 * normally; also to COM1, where it survives a dead Linux.  Every fatal line
 * starts with TV_FATAL_PREFIX, and the lanes' serial-log judge fails on it.
 */
#define TV_FATAL_PREFIX "trustvisor: FATAL: "
#define pr_mon(fmt, ...) tv_log("trustvisor: " fmt "\n", ##__VA_ARGS__)
#define pr_fatal(fmt, ...) tv_fatal(TV_FATAL_PREFIX fmt "\n", ##__VA_ARGS__)
/* Not a failure, but Linux may never read the ring again (a reset, a leave). */
#define pr_mon_console(fmt, ...) tv_fatal("trustvisor: " fmt "\n", ##__VA_ARGS__)

#endif
