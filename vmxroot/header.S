/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Image headers at offset 0: the Intel TXT MLE header, so that a future DRTM
 * launch (GETSEC[SENTER]) measures exactly the bytes the module measures today,
 * then the header the module reads to find the entries.
 */
#include "trustvisor/monitor.h"

	.section .header, "a"
	.globl tv_image_start
tv_image_start:
mle_header:
	.long TV_MLE_UUID0, TV_MLE_UUID1, TV_MLE_UUID2, TV_MLE_UUID3
	.long mle_header_end - mle_header	/* header length */
	.long TV_MLE_VERSION
	.long tv_drtm_entry - tv_image_start	/* entry point */
	.long 0					/* first valid page */
	.long 0					/* MLE start */
	.long __image_end - tv_image_start	/* MLE end */
	.long 0					/* capabilities: none claimed yet */
	.long 0, 0				/* command line start/end */
mle_header_end:

	.org TV_IMAGE_HEADER_OFFSET
image_header:
	.ascii TV_IMAGE_MAGIC
	.byte 0
	.long TV_MONITOR_VERSION
	.long image_header_end - image_header
	.quad __image_end - tv_image_start
	.quad __core_end - tv_image_start
	.quad tv_init - tv_image_start
	.quad tv_cpu_launch - tv_image_start
#ifdef TV_SELFTEST
	.quad monitor_canary - tv_image_start
#else
	.quad 0					/* no canary outside the test build */
#endif
	.quad __text_start - tv_image_start
	.quad __text_end - tv_image_start
	.quad secret_handoff - tv_image_start
image_header_end:

	.text
	.code32
/*
 * The DRTM entry named by the MLE header.  DRTM launch is not implemented: an
 * SINIT that jumped here would find the CPU parked, not a half-working monitor.
 */
	.globl tv_drtm_entry
tv_drtm_entry:
	cli
1:	hlt
	jmp 1b
	.code64
