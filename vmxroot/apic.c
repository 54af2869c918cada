// SPDX-License-Identifier: GPL-2.0
/*
 * The monitor's use of the local APIC: sending an NMI to another CPU, for the
 * leave rendezvous.  Linux owns the APIC (its registers are not virtualized);
 * the monitor writes only the interrupt command register, and in xAPIC mode
 * puts back the destination half Linux may have written just before the exit
 * that brought us here, so its own IPI still goes where it meant.
 */
#include "vmxroot/vmxroot.h"
#include "vmxroot/processor.h"

#define APIC_ICR_LO		0x300
#define APIC_ICR_HI		0x310
#define X2APIC_ICR		0x830
#define ICR_DELIVERY_NMI	(4U << 8)
#define ICR_LEVEL_ASSERT	(1U << 14)
#define ICR_BUSY		(1U << 12)

static volatile u32 *apic_reg(u32 off)
{
	return (volatile u32 *)(monitor.apic_mmio + off);
}

static void xapic_wait_idle(void)
{
	for (int i = 0; i < 100000 && (*apic_reg(APIC_ICR_LO) & ICR_BUSY); i++)
		cpu_relax();
}

void apic_send_nmi(u32 apic_id)
{
	u32 hi;

	if (rdmsr(MSR_IA32_APIC_BASE) & APIC_BASE_X2APIC) {
		wrmsr(X2APIC_ICR, ((u64)apic_id << 32) | ICR_LEVEL_ASSERT | ICR_DELIVERY_NMI);
		return;
	}
	if (!monitor.apic_mmio)
		return;
	xapic_wait_idle();
	hi = *apic_reg(APIC_ICR_HI);
	*apic_reg(APIC_ICR_HI) = apic_id << 24;
	*apic_reg(APIC_ICR_LO) = ICR_LEVEL_ASSERT | ICR_DELIVERY_NMI;
	xapic_wait_idle();
	*apic_reg(APIC_ICR_HI) = hi;
}

/* This CPU's APIC ID, as the ICR wants it in the mode Linux runs the APIC. */
u32 apic_id_self(void)
{
	struct cpuid_regs r;

	if (rdmsr(MSR_IA32_APIC_BASE) & APIC_BASE_X2APIC) {
		cpuid_count(0xb, 0, &r);
		return r.edx;
	}
	cpuid_count(1, 0, &r);
	return r.ebx >> 24;
}
