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

static bool apic_x2(void)
{
	return rdmsr(MSR_IA32_APIC_BASE) & APIC_BASE_X2APIC;
}

static void xapic_wait_idle(void)
{
	for (int i = 0; i < 100000 && (*apic_reg(APIC_ICR_LO) & ICR_BUSY); i++)
		cpu_relax();
}

void apic_send_nmi(u32 apic_id)
{
	u32 hi;

	if (apic_x2()) {
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

	if (apic_x2()) {
		cpuid_count(0xb, 0, &r);
		return r.edx;
	}
	cpuid_count(1, 0, &r);
	return r.ebx >> 24;
}

/* Local APIC registers, as xAPIC MMIO offsets (x2APIC MSR = 0x800 + off / 16). */
#define APIC_TPR		0x080
#define APIC_EOI		0x0b0
#define APIC_SVR		0x0f0
#define APIC_ISR		0x100
#define APIC_LVR		0x030
#define APIC_LVT_CMCI		0x2f0
#define APIC_LVT_TIMER		0x320
#define APIC_LVT_ERROR		0x370
#define APIC_TMICT		0x380
#define APIC_LVT_MASKED		(1U << 16)

static u32 apic_read(u32 off)
{
	u64 v = 0;

	if (apic_x2()) {
		rdmsr_safe(0x800 + off / 16, &v);
		return (u32)v;
	}
	return monitor.apic_mmio ? *apic_reg(off) : 0;
}

static void apic_write(u32 off, u32 v)
{
	if (apic_x2())
		wrmsr_safe(0x800 + off / 16, v);
	else if (monitor.apic_mmio)
		*apic_reg(off) = v;
}

/*
 * What a real INIT does to this CPU's local APIC (SDM vol. 3, 11.4.7.3),
 * which an INIT VM exit does not: every LVT masked, the timer stopped, TPR 0,
 * the APIC software-disabled, and nothing left in service from the CPU's old
 * life.  Its ID and base stay, as they do.
 */
void apic_init_reset(void)
{
	u32 max_lvt = (apic_read(APIC_LVR) >> 16) & 0xff;

	for (u32 off = APIC_LVT_TIMER; off <= APIC_LVT_ERROR; off += 0x10)
		apic_write(off, APIC_LVT_MASKED);
	if (max_lvt >= 6)
		apic_write(APIC_LVT_CMCI, APIC_LVT_MASKED);
	apic_write(APIC_TMICT, 0);
	apic_write(APIC_TPR, 0);
	for (int n = 0; n < 256; n++) {
		bool in_service = false;

		for (u32 i = 0; i < 8; i++)
			in_service |= apic_read(APIC_ISR + i * 0x10) != 0;
		if (!in_service)
			break;
		apic_write(APIC_EOI, 0);
	}
	apic_write(APIC_SVR, 0xff);
}
