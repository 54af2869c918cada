/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The PAL runtime: the image's entry point and tv_exit.  The monitor starts
 * every call here (include/trustvisor/pal_abi.h) with
 *   RDI = cmd, RSI = input VA, RDX = input length, RCX = output VA,
 *   R8 = output capacity, RSP = TV_PAL_STACK_TOP,
 * which already are pal_main's first four arguments in the SysV order; the
 * fifth becomes a pointer to out_len, a slot on the stack that starts at the
 * capacity.  Nothing here returns: a call ends with the exit hypercall.
 */
#ifndef __ASSEMBLY__
#define __ASSEMBLY__		/* pal_abi.h: the constants only */
#endif
#include <trustvisor/pal_abi.h>

	.section .text.pal_start, "ax", @progbits
	.globl	_pal_start
	.type	_pal_start, @function
_pal_start:
	/*
	 * The monitor hands over an aligned stack top; aligning again costs
	 * one instruction and keeps pal_main's SSE/AVX spills safe if it ever
	 * does not.  16 bytes hold out_len and keep RSP a multiple of 16 at
	 * the call, as the SysV ABI wants.
	 */
	andq	$-16, %rsp
	subq	$16, %rsp
	movq	%r8, (%rsp)
	movq	%rsp, %r8
	xorl	%ebp, %ebp		/* the outermost frame, for debuggers */
	call	pal_main
	movl	%eax, %edi		/* status: the int32_t, zero-extended */
	movq	(%rsp), %rsi		/* out_len as pal_main left it */
	movl	$TV_PAL_HC_EXIT, %eax
	vmcall
	ud2				/* the exit hypercall never returns */
	.size	_pal_start, . - _pal_start

	.text
	.globl	tv_exit
	.type	tv_exit, @function
tv_exit:
	movl	%edi, %edi
	xorl	%esi, %esi
	movl	$TV_PAL_HC_EXIT, %eax
	vmcall
	ud2
	.size	tv_exit, . - tv_exit

	.section .note.GNU-stack, "", @progbits
