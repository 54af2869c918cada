// SPDX-License-Identifier: GPL-2.0
/*
 * Port I/O: Linux's ports are its own, except those that reset the machine
 * behind the monitor's back: the reset control register (0xCF9), the
 * keyboard controller's command port (0x64: commands 0xF0-0xFE pulse the
 * reset line when their bit 0 is clear) and the FADT's reset register when it
 * is a port.  Those are trapped; a reset request first destroys the secrets
 * (the leave rendezvous), is logged, and then the monitor resets the machine
 * itself.  Every other access to a trapped port is performed as asked.
 */
#include "vmxroot/vmxroot.h"
#include "vmxroot/processor.h"
#include "vmxroot/vmx.h"

#define PORT_KBC_CMD	0x64
#define PORT_RST_CNT	0xcf9
#define RST_CNT_RST_CPU	0x04
#define RST_CNT_SYS_RST	0x02

static u8 io_bitmap[2 * PAGE_SIZE] __aligned(4096) __ro_after_init;

static void trap_port(u16 port)
{
	io_bitmap[port / 8] |= 1 << (port % 8);
}

void io_bitmap_init(void)
{
	trap_port(PORT_RST_CNT);
	trap_port(PORT_KBC_CMD);
	if (monitor.params.fadt_reset_port)
		trap_port((u16)monitor.params.fadt_reset_port);
}

u64 io_bitmap_phys(unsigned int which)
{
	return virt_to_phys(io_bitmap + which * PAGE_SIZE);
}

/* Is this write a request to reset the machine? */
bool io_is_reset(u16 port, unsigned int size, u32 val)
{
	if (size != 1)
		return false;	/* the reset registers are byte registers */
	if (port == PORT_RST_CNT && (val & RST_CNT_RST_CPU))
		return true;
	if (port == PORT_KBC_CMD && (val & 0xf0) == 0xf0 && !(val & 1))
		return true;
	return monitor.params.fadt_reset_port && port == monitor.params.fadt_reset_port &&
	       (u8)val == monitor.params.fadt_reset_value;
}

static void port_out(u16 port, unsigned int size, u32 val)
{
	if (size == 1)
		asm volatile("outb %b0, %w1" : : "a"(val), "Nd"(port));
	else if (size == 2)
		asm volatile("outw %w0, %w1" : : "a"(val), "Nd"(port));
	else
		asm volatile("outl %0, %w1" : : "a"(val), "Nd"(port));
}

static u32 port_in(u16 port, unsigned int size)
{
	u32 v = 0;

	if (size == 1)
		asm volatile("inb %w1, %b0" : "+a"(v) : "Nd"(port));
	else if (size == 2)
		asm volatile("inw %w1, %w0" : "+a"(v) : "Nd"(port));
	else
		asm volatile("inl %w1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

/*
 * The secrets are gone (the rendezvous ran): reset.  The reset control
 * register first (a hard reset), then the keyboard controller, then a triple
 * fault of our own, whichever works.
 */
__noreturn void machine_reset(struct per_cpu *pc)
{
	pr_mon_console("CPU %u: secrets destroyed; resetting the machine", pc->cpu);
	port_out(PORT_RST_CNT, 1, RST_CNT_SYS_RST);
	port_out(PORT_RST_CNT, 1, RST_CNT_SYS_RST | RST_CNT_RST_CPU);
	for (int i = 0; i < 1000000; i++)
		cpu_relax();
	port_out(PORT_KBC_CMD, 1, 0xfe);
	for (int i = 0; i < 1000000; i++)
		cpu_relax();
	{
		struct desc_ptr none = { 0, 0 };

		asm volatile("lidt %0; int3" : : "m"(none));
	}
	for (;;)
		asm volatile("cli; hlt");
}

/* Exit qualification of an I/O exit (SDM table 28-5). */
#define IO_QUAL_SIZE(q)		(((q) & 7) + 1)
#define IO_QUAL_IN		(1U << 3)
#define IO_QUAL_STRING		(1U << 4)
#define IO_QUAL_PORT(q)		((u16)((q) >> 16))

void handle_io(struct per_cpu *pc, struct guest_regs *regs, u64 qual, bool *inject_gp)
{
	unsigned int size = IO_QUAL_SIZE(qual);
	u16 port = IO_QUAL_PORT(qual);
	u32 mask = size == 4 ? ~0U : (1U << (8 * size)) - 1;

	*inject_gp = false;
	if (qual & IO_QUAL_STRING) {
		/* INS/OUTS on a reset port: nothing legitimate does it. */
		if (!pc->string_io_logged) {
			pr_mon("CPU %u: string I/O on trapped port %x refused", pc->cpu, port);
			pc->string_io_logged = true;
		}
		*inject_gp = true;
		return;
	}
	if (qual & IO_QUAL_IN) {
		u32 v = port_in(port, size);

		regs->rax = (regs->rax & ~(u64)mask) | (v & mask);
		return;
	}
	if (io_is_reset(port, size, (u32)regs->rax & mask)) {
		pr_mon_console("CPU %u: reset requested by Linux (port %x value %x)",
			       pc->cpu, port, (u32)regs->rax & mask);
		leave_request(pc, "reset requested", true);
		return;		/* leave_check() resets once the secrets are gone */
	}
	port_out(port, size, (u32)regs->rax & mask);
}
