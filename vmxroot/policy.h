/* SPDX-License-Identifier: GPL-2.0 */
/* The allow-lists of vmxroot/policy.c: CPUID, MSRs, XCR0, CR0/CR4. */
#ifndef TV_VMXROOT_POLICY_H
#define TV_VMXROOT_POLICY_H

#include "lib/base.h"
#include "vmxroot/processor.h"

enum msr_class {
	MSR_DENY,	/* both directions exit and get #GP */
	MSR_PASS,	/* neither direction exits */
	MSR_READ,	/* reads native, writes #GP */
	MSR_READ_WRITE,	/* reads native, writes performed by the monitor */
	MSR_EMULATE,	/* both exit; msr_write_check() decides writes */
};

struct msr_ctx {
	bool has_perf_global_ctrl;	/* the monitor can zero it in root mode */
	u64 perf_global_ctrl_mask;	/* its defined bits */
	bool has_xss;
	u64 xss_supported;		/* CPUID.(0xD,1):EDX:ECX */
};

void cpuid_filter(u32 leaf, u32 sub, u64 guest_cr4, struct cpuid_regs *r);
enum msr_class msr_class(u32 msr);
void msr_for_each_rule(void (*fn)(u32 first, u32 last, enum msr_class cls));
bool msr_write_check(u32 msr, u64 cur, u64 val, const struct msr_ctx *ctx);
u64 msr_read_filter(u32 msr, u64 native);
bool xcr0_valid(u64 v, u64 supported);
bool cr0_write_valid(u64 v, u64 cr4, bool long_mode);
bool cr4_write_valid(u64 v, u64 cur, u64 allowed, u64 cr0, u64 cr3, bool long_mode);

#endif
