// SPDX-License-Identifier: GPL-2.0
/*
 * Taking pages out of Linux's EPT is complete only when no CPU can still
 * reach them through a cached translation.  The monitor does that itself,
 * never trusting Linux to flush (XMHF's vulnerability 5): a generation
 * number, bumped by every reduction of Linux's EPT, and every CPU flushes
 * before it enters a guest with an older one.  Linux runs without
 * external-interrupt exiting, so the requester pulls each other CPU out with
 * an NMI it counts first (the NMI is ours, not Linux's: never re-injected),
 * and waits until each has flushed or is parked where it runs nothing.
 */
#include "vmxroot/pal.h"
#include "vmxroot/processor.h"
#include "vmxroot/vmx.h"

static u64 ept_generation;

/* Flush this CPU's EPT-derived translations if Linux's EPT shrank since. */
void ept_sync_local(struct per_cpu *pc)
{
	u64 g = __atomic_load_n(&ept_generation, __ATOMIC_ACQUIRE);

	if (pc->ept_gen == g)
		return;
	invept(INVEPT_ALL, 0);
	__atomic_store_n(&pc->ept_gen, g, __ATOMIC_RELEASE);
}

/* An NMI a shootdown sent to this CPU: flush, and do not hand it to Linux. */
bool shootdown_nmi(struct per_cpu *pc)
{
	u32 n = READ_ONCE(pc->shoot_nmis);

	while (n) {
		if (__atomic_compare_exchange_n(&pc->shoot_nmis, &n, n - 1, false,
						__ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)) {
			ept_sync_local(pc);
			return true;
		}
	}
	return false;
}

static bool flushed(struct per_cpu *c, u64 g)
{
	return !READ_ONCE(c->virtualized) || READ_ONCE(c->wait_sipi) || READ_ONCE(c->stopped) ||
	       __atomic_load_n(&c->ept_gen, __ATOMIC_ACQUIRE) >= g;
}

/*
 * Called with the PAL table lock held, after Linux's EPT lost pages.
 * Returns 0 once every CPU flushed; TV_E_TIMEOUT if one did not answer in
 * 2 s, TV_E_STATE if the machine started leaving meanwhile.
 */
int ept_shootdown(struct per_cpu *self)
{
	u64 limit = (u64)(monitor.params.tsc_khz ? monitor.params.tsc_khz : 1000000) * 2000;
	u64 g = __atomic_add_fetch(&ept_generation, 1, __ATOMIC_SEQ_CST);
	u64 start;

	ept_sync_local(self);
	for (u32 i = 0; i < monitor.params.nr_cpus; i++) {
		struct per_cpu *c = per_cpu_of(i);

		if (c == self || flushed(c, g))
			continue;
		__atomic_fetch_add(&c->shoot_nmis, 1, __ATOMIC_SEQ_CST);
		apic_send_nmi(c->apic_id);
	}
	start = rdtsc();
	for (u32 i = 0; i < monitor.params.nr_cpus; i++) {
		struct per_cpu *c = per_cpu_of(i);

		while (c != self && !flushed(c, g)) {
			if (monitor_state() >= TV_STATE_LEAVING)
				return TV_E_STATE;
			if (rdtsc() - start > limit) {
				pr_fatal("CPU %u did not answer an EPT shootdown in 2 s", i);
				return TV_E_TIMEOUT;
			}
			cpu_relax();
		}
	}
	return 0;
}
