// SPDX-License-Identifier: GPL-2.0
/*
 * MSRs: the bitmap built from the allow-list in policy.c, and the exits it
 * leaves: RDMSR/WRMSR of MSRs the monitor performs or emulates for Linux,
 * and #GP for every other one (also those outside the bitmap's ranges,
 * which always exit).
 */
#include "vmxroot/vmxroot.h"
#include "vmxroot/processor.h"
#include "vmxroot/policy.h"
#include "vmxroot/vmx.h"

#define MSR_DEBUGCTL		0x1d9
#define MSR_PERF_GLOBAL_CTRL	0x38f

static u8 msr_bitmap[PAGE_SIZE] __aligned(4096) __ro_after_init;

/* Offsets of the four 1 KiB bitmaps: read low, read high, write low, write high. */
static void msr_pass(u32 msr, bool read, bool write)
{
	u32 base, bit = msr & 0x1fff;

	if (msr <= 0x1fff)
		base = 0;
	else if (msr >= 0xc0000000 && msr <= 0xc0001fff)
		base = 1024;
	else
		return;		/* outside the bitmap: always exits */
	if (read)
		msr_bitmap[base + bit / 8] &= ~(1 << (bit % 8));
	if (write)
		msr_bitmap[base + 2048 + bit / 8] &= ~(1 << (bit % 8));
}

static void msr_rule_apply(u32 first, u32 last, enum msr_class cls)
{
	for (u32 m = first; m <= last; m++)
		msr_pass(m, cls == MSR_PASS || cls == MSR_READ || cls == MSR_READ_WRITE,
			 cls == MSR_PASS);
}

/* Every MSR exits, then the allow-list opens what may run natively. */
void msr_bitmap_init(void)
{
	memset(msr_bitmap, 0xff, sizeof(msr_bitmap));
	msr_for_each_rule(msr_rule_apply);
}

u64 msr_bitmap_phys(void)
{
	return virt_to_phys(msr_bitmap);
}

static void msr_ctx_get(struct msr_ctx *ctx)
{
	ctx->has_perf_global_ctrl = monitor.caps.perf_global_ctrl;
	ctx->perf_global_ctrl_mask = monitor.caps.perf_global_ctrl_mask;
	ctx->has_xss = monitor.caps.proc2 & SEC_ENABLE_XSAVES;
	ctx->xss_supported = monitor.caps.xss_supported;
}

/* The value Linux sees: from the VMCS where the VMCS holds Linux's copy. */
static bool msr_emulated_read(u32 msr, u64 *val)
{
	switch (msr) {
	case MSR_DEBUGCTL:
		*val = vmcs_read(GUEST_IA32_DEBUGCTL);
		return true;
	case MSR_PERF_GLOBAL_CTRL:
		if (!monitor.caps.perf_global_ctrl)
			return false;
		*val = perf_global_ctrl_guest();
		return true;
	default:
		if (!rdmsr_safe(msr, val))
			return false;
		*val = msr_read_filter(msr, *val);
		return true;
	}
}

static bool msr_emulated_write(u32 msr, u64 val)
{
	switch (msr) {
	case MSR_DEBUGCTL:
		vmcs_write(GUEST_IA32_DEBUGCTL, val);
		return true;
	case MSR_PERF_GLOBAL_CTRL:
		perf_global_ctrl_set_guest(val);
		return true;
	default:
		return wrmsr_safe(msr, val);
	}
}

void handle_msr(struct per_cpu *pc, struct guest_regs *regs, bool write, bool *inject_gp)
{
	u32 msr = (u32)regs->rcx;
	enum msr_class cls = msr_class(msr);
	struct msr_ctx ctx;
	u64 val, cur;

	*inject_gp = true;
	if (cls == MSR_DENY) {
		if (pc->msr_denied_logged < 8) {
			pc->msr_denied_logged++;
			pr_mon("CPU %u: %s of MSR %x refused (not on the allow-list)", pc->cpu,
			       write ? "WRMSR" : "RDMSR", msr);
		}
		return;
	}
	if (!write) {
		if (!msr_emulated_read(msr, &val))
			return;
		regs->rax = (u32)val;
		regs->rdx = val >> 32;
		*inject_gp = false;
		return;
	}
	val = (regs->rdx << 32) | (u32)regs->rax;
	switch (cls) {
	case MSR_PASS:
	case MSR_READ_WRITE:
		*inject_gp = !wrmsr_safe(msr, val);
		return;
	case MSR_EMULATE:
		msr_ctx_get(&ctx);
		if (!msr_emulated_read(msr, &cur) || !msr_write_check(msr, cur, val, &ctx))
			return;
		*inject_gp = !msr_emulated_write(msr, val);
		return;
	default:	/* MSR_READ */
		return;
	}
}
