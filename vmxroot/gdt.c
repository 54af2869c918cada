// SPDX-License-Identifier: GPL-2.0
/*
 * The monitor's descriptor tables.  The GDT mirrors Linux's selectors for
 * kernel code, kernel data and the TSS: while a CPU is handed back to Linux
 * there are moments when our IDT is live with Linux's GDT loaded (or the
 * reverse), and an NMI's IRET must find a 64-bit code segment either way.
 */
#include "vmxroot/vmxroot.h"
#include "vmxroot/processor.h"

struct __packed idt_gate {
	u16 offset_lo;
	u16 selector;
	u8 ist;
	u8 type_attr;
	u16 offset_mid;
	u32 offset_hi;
	u32 reserved;
};

static struct idt_gate idt[32] __aligned(16) __ro_after_init;

#define DESC_CODE64	0x00af9b000000ffffULL	/* P, DPL0, code RX accessed, L, G */
#define DESC_DATA	0x00cf93000000ffffULL	/* P, DPL0, data RW accessed, G */

void idt_init(void)
{
	for (int v = 0; v < 32; v++) {
		u64 addr = (u64)idt_stubs + 16 * v;

		idt[v] = (struct idt_gate) {
			.offset_lo = (u16)addr,
			.selector = SEL_KERNEL_CS,
			.type_attr = 0x8e,	/* present, DPL0, 64-bit interrupt gate */
			.offset_mid = (u16)(addr >> 16),
			.offset_hi = (u32)(addr >> 32),
		};
	}
}

u64 idt_base(void)
{
	return (u64)idt;
}

u16 idt_limit(void)
{
	return sizeof(idt) - 1;
}

/* A 16-byte 64-bit TSS descriptor; busy selects type 0xb over 0x9. */
void tss_desc_make(u64 desc[2], u64 base, u32 limit, bool busy)
{
	desc[0] = (limit & 0xffffULL) | ((base & 0xffffffULL) << 16) |
		  ((u64)(busy ? 0x8b : 0x89) << 40) | (((u64)limit & 0xf0000ULL) << 32) |
		  ((base & 0xff000000ULL) << 32);
	desc[1] = base >> 32;
}

void cpu_tables_init(struct per_cpu *pc)
{
	memset(pc->gdt, 0, sizeof(pc->gdt));
	pc->gdt[SEL_KERNEL_CS / 8] = DESC_CODE64;
	pc->gdt[SEL_KERNEL_DS / 8] = DESC_DATA;
	memset(&pc->tss, 0, sizeof(pc->tss));
	pc->tss.iomap_base = sizeof(pc->tss);	/* no I/O bitmap */
	/* VM exit loads TR from the VMCS without checking the descriptor: busy. */
	tss_desc_make(&pc->gdt[SEL_TSS / 8], (u64)&pc->tss, sizeof(pc->tss) - 1, true);
}
