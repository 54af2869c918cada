// SPDX-License-Identifier: GPL-2.0
/*
 * A caller's memory as the monitor reads and writes it for a hypercall: a
 * buffer within one page, in RAM, and permitted in the caller's own view
 * (the EPT at `eptp`), never merely "not the monitor".  Each byte is read
 * once: callers copy into the monitor's memory and check the copy.
 */
#include "vmxroot/vmxroot.h"

static bool guest_buffer_ok(u64 eptp, u64 gpa, u64 len, u64 perm)
{
	/* Written so that no sum can wrap: gpa comes from the caller. */
	return len && len <= PAGE_SIZE && (gpa & PAGE_MASK) == ((gpa + len - 1) & PAGE_MASK) &&
	       guest_ram(gpa, len) && ept_permits(eptp, gpa, perm);
}

int copy_to_guest(u64 eptp, u64 gpa, const void *src, u64 len)
{
	if (!guest_buffer_ok(eptp, gpa, len, EPT_R | EPT_W))
		return TV_E_PARAM;
	memcpy((void *)gpa, src, len);	/* RAM is identity-mapped for the monitor */
	return 0;
}

int copy_from_guest(u64 eptp, void *dst, u64 gpa, u64 len)
{
	if (!guest_buffer_ok(eptp, gpa, len, EPT_R))
		return TV_E_PARAM;
	memcpy(dst, (const void *)gpa, len);
	return 0;
}
