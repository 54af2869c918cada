/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The PAL's services (<trustvisor/pal.h>): one VMCALL each.  The monitor
 * takes the service number in RAX and the arguments in RDI, RSI, RDX, RCX
 * and R8, which is where the SysV ABI has already put the C arguments, so a
 * stub only loads the number.  The result comes back in EAX, the int the C
 * declaration returns, and the monitor keeps every other register, so the
 * stubs need no clobbers beyond what any call may clobber.
 *
 * One section per stub: --gc-sections then keeps only the services a PAL
 * calls.
 */
#ifndef __ASSEMBLY__
#define __ASSEMBLY__		/* pal_abi.h: the constants only */
#endif
#include <trustvisor/pal_abi.h>

.macro	tv_service name, nr
	.section .text.\name, "ax", @progbits
	.globl	\name
	.type	\name, @function
\name:
	movl	$\nr, %eax
	vmcall
	ret
	.size	\name, . - \name
.endm

	tv_service tv_random,		TV_PAL_HC_RANDOM
	tv_service tv_pcr_read,		TV_PAL_HC_PCR_READ
	tv_service tv_pcr_extend,	TV_PAL_HC_PCR_EXTEND
	tv_service tv_seal,		TV_PAL_HC_SEAL
	tv_service tv_unseal,		TV_PAL_HC_UNSEAL
	tv_service tv_quote,		TV_PAL_HC_QUOTE
	tv_service tv_counter_read,	TV_PAL_HC_COUNTER_READ
	tv_service tv_counter_increment, TV_PAL_HC_COUNTER_INC
	tv_service tv_counter_commit,	TV_PAL_HC_COUNTER_COMMIT

	.section .note.GNU-stack, "", @progbits
