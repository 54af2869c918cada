// SPDX-License-Identifier: GPL-2.0
/*
 * Leaving the monitor is one operation of the whole machine, not of one CPU.
 *
 * The invariant: secrets exist only while every owned CPU is inside the
 * monitor.  So the first request to leave, on any CPU and for any reason
 * (the module's unload, a reboot, Linux's emergency paths, VMXOFF, a reset
 * request, a triple fault), starts a rendezvous: every other CPU is pulled
 * into the monitor by an NMI (external interrupts do not exit), and only
 * once each one is there (or parked in wait-for-SIPI, where it runs
 * nothing) are the secrets destroyed.  Then the CPUs go.
 *
 * A CPU can only be given back where the monitor's code and stack are
 * mapped at the same address in the guest's page tables: devirt_finish
 * switches to them.  Every kernel page table maps the monitor's vmap the
 * same way; a user page table under page-table isolation does not, and a
 * CPU in real mode (coming online) has none.  Such a CPU stays in the
 * monitor, with no secret left to guard, until its next CR3 load puts it on
 * a kernel page table: CR3-load exiting is turned on for that.
 */
#include "vmxroot/vmxroot.h"
#include "vmxroot/processor.h"
#include "vmxroot/vmx.h"

static u32 life_state = TV_STATE_LOADING;
static u32 cpus_inside;

static struct tv_shared_page *shared(void)
{
	return (struct tv_shared_page *)monitor.params.log_virt;
}

static void publish(void)
{
	WRITE_ONCE(shared()->state, READ_ONCE(life_state));
	WRITE_ONCE(shared()->cpus_inside, READ_ONCE(cpus_inside));
}

u32 monitor_state(void)
{
	return READ_ONCE(life_state);
}

/* A CPU entered (at launch) or left the monitor; the module reads the count. */
void cpu_set_inside(struct per_cpu *pc, bool inside)
{
	if (pc->virtualized == inside)
		return;
	pc->virtualized = inside;
	__atomic_fetch_add(&cpus_inside, inside ? 1 : (u32)-1, __ATOMIC_SEQ_CST);
	if (inside)
		__atomic_fetch_or(&shared()->inside[pc->cpu / 64], 1ULL << (pc->cpu % 64),
				  __ATOMIC_SEQ_CST);
	else
		__atomic_fetch_and(&shared()->inside[pc->cpu / 64], ~(1ULL << (pc->cpu % 64)),
				   __ATOMIC_SEQ_CST);
	publish();
}

/* Every owned CPU is inside: only now may secrets exist. */
int monitor_activate(void)
{
	u32 expected = monitor.params.nr_owned_cpus;
	u32 n = 0;
	int ret;

	for (u32 i = 0; i < monitor.params.nr_cpus; i++)
		n += READ_ONCE(per_cpu_of(i)->virtualized);
	if (READ_ONCE(life_state) != TV_STATE_LOADING)
		return TV_E_STATE;
	if (!expected || n != expected) {
		pr_mon("activation refused: %u of %u owned CPUs inside", n, expected);
		return TV_E_STATE;
	}
	ret = secrets_create();
	if (ret)
		return ret;
	if (!__atomic_compare_exchange_n(&life_state, &(u32){ TV_STATE_LOADING },
					 TV_STATE_ACTIVE, false, __ATOMIC_SEQ_CST,
					 __ATOMIC_SEQ_CST)) {
		/* A leave began meanwhile: it will not see these, so wipe them here. */
		secrets_wipe();
		return TV_E_STATE;
	}
	publish();
	pr_mon("active: %u CPUs inside, secrets created", n);
	return 0;
}

/* Still awaited: inside, not in the rendezvous, not parked or stopped where it runs nothing. */
static bool rendezvous_awaits(struct per_cpu *c)
{
	return READ_ONCE(c->virtualized) && !READ_ONCE(c->rdv_arrived) &&
	       !READ_ONCE(c->wait_sipi) && !READ_ONCE(c->stopped);
}

static bool all_arrived(void)
{
	for (u32 i = 0; i < monitor.params.nr_cpus; i++)
		if (rendezvous_awaits(per_cpu_of(i)))
			return false;
	return true;
}

static void rendezvous_lead(struct per_cpu *self, const char *why)
{
	u64 limit = (u64)(monitor.params.tsc_khz ? monitor.params.tsc_khz : 1000000) * 2000;
	u64 start;

	/* Straight to COM1 before a reset or in a dying Linux; else the module drains the ring. */
	if (self->reset_requester || self->leave_to_console)
		pr_mon_console("CPU %u: the machine leaves the monitor (%s): secrets are destroyed first",
			       self->cpu, why);
	else
		pr_mon("CPU %u: the machine leaves the monitor (%s): secrets are destroyed first",
		       self->cpu, why);
	WRITE_ONCE(self->rdv_arrived, true);
	for (u32 i = 0; i < monitor.params.nr_cpus; i++) {
		struct per_cpu *c = per_cpu_of(i);

		if (c == self || !READ_ONCE(c->virtualized))
			continue;
		/* Counted first, so the NMI it causes is not mistaken for Linux's. */
		__atomic_fetch_add(&c->rdv_nmis, 1, __ATOMIC_SEQ_CST);
		apic_send_nmi(c->apic_id);
	}
	start = rdtsc();
	while (!all_arrived()) {
		if (rdtsc() - start > limit) {
			for (u32 i = 0; i < monitor.params.nr_cpus; i++)
				if (rendezvous_awaits(per_cpu_of(i)))
					pr_fatal("CPU %u did not answer the leave rendezvous in 2 s", i);
			break;
		}
		cpu_relax();
	}
	secrets_wipe();
	WRITE_ONCE(life_state, TV_STATE_GONE);
	publish();
	if (self->reset_requester)
		pr_mon_console("CPU %u: secrets destroyed", self->cpu);
	else if (self->leave_to_console)
		pr_mon_console("CPU %u: secrets destroyed; every CPU leaves the monitor", self->cpu);
	else
		pr_mon("CPU %u: secrets destroyed; every CPU leaves the monitor", self->cpu);
}

/*
 * Starts the machine's leave, or joins one under way.  `reset`: once the
 * secrets are gone, this CPU resets the machine instead of leaving.
 */
void leave_request(struct per_cpu *pc, const char *why, bool reset)
{
	u32 s = READ_ONCE(life_state);

	if (reset)
		pc->reset_requester = true;
	while (s == TV_STATE_LOADING || s == TV_STATE_ACTIVE) {
		if (__atomic_compare_exchange_n(&life_state, &s, TV_STATE_LEAVING, false,
						__ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)) {
			publish();
			rendezvous_lead(pc, why);
			return;
		}
	}
}

/* An NMI the rendezvous sent to this CPU: not Linux's, never re-injected. */
bool rendezvous_nmi(struct per_cpu *pc)
{
	u32 n = READ_ONCE(pc->rdv_nmis);

	while (n) {
		if (__atomic_compare_exchange_n(&pc->rdv_nmis, &n, n - 1, false,
						__ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
			return true;
	}
	return false;
}

/*
 * Linux's top-level page-table entry for the monitor in the guest's CR3 is
 * the one every kernel page table has: then devirt_finish's code, stack and
 * tables are where it expects them after loading that CR3.
 */
static bool guest_maps_monitor(void)
{
	u64 cr3 = vmcs_read(GUEST_CR3) & PTE_ADDR_MASK;
	bool la57 = vmcs_read(GUEST_CR4) & X86_CR4_LA57;
	u64 idx = (monitor.virt >> (la57 ? 48 : 39)) & 511;
	u64 pa = cr3 + idx * 8, e;

	if (!guest_ram(pa, 8))
		return false;
	e = READ_ONCE(*(const u64 *)pa);
	return (e & 1) && (e & PTE_ADDR_MASK) == (monitor.params.linux_top_entry & PTE_ADDR_MASK);
}

static bool leave_possible_here(void)
{
	return guest_long_mode() && (vmcs_read(GUEST_CS_AR_BYTES) & AR_L) && guest_maps_monitor();
}

/*
 * Called at the end of every exit, before VM entry.  Returns 1 when this CPU
 * is to be given back now.
 */
int leave_check(struct per_cpu *pc)
{
	u32 s = READ_ONCE(life_state);

	if (s < TV_STATE_LEAVING)
		return 0;
	if (s == TV_STATE_LEAVING) {
		WRITE_ONCE(pc->rdv_arrived, true);
		while (READ_ONCE(life_state) == TV_STATE_LEAVING)
			cpu_relax();
	}
	if (pc->reset_requester)
		machine_reset(pc);
	if (pc->wait_sipi)
		return 0;	/* parked: it starts at the SIPI, leaves later */
	if (leave_possible_here())
		return 1;
	if (!(pc->proc_ctls & CPU_CR3_LOAD_EXITING)) {
		pr_mon("CPU %u: not on a kernel page table; leaves at its next CR3 load",
		       pc->cpu);
		pc->proc_ctls |= CPU_CR3_LOAD_EXITING;
		vmcs_write(CPU_BASED_VM_EXEC_CONTROL, pc->proc_ctls);
	}
	return 0;
}
