// SPDX-License-Identifier: GPL-2.0
/*
 * Hypercalls that exist only in the test build (TV_SELFTEST, make
 * test-module), for the in-VM suites.  The shipped image, the one that is
 * measured, has none of this: the file compiles to nothing there.
 */
#ifdef TV_SELFTEST
#include "vmxroot/vmxroot.h"

/* A monitor word the suites try to overwrite from the kernel (header.S names it). */
volatile u64 monitor_canary = 0x54564d4f4e43414eULL;	/* "TVMONCAN" */

long selftest_hypercall(struct per_cpu *pc, struct guest_regs *r)
{
	(void)pc;
	switch (r->rax) {
	case TV_HC_READ_CANARY:
		r->rbx = monitor_canary;
		return TV_E_OK;
	case TV_HC_TEST_SECRETS: {
		bool present;

		secrets_locate(&r->rbx, &r->rcx, &present);
		r->rdx = present;
		return TV_E_OK;
	}
	default:
		return TV_E_NOSYS;
	}
}
#endif
