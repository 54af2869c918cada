/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Forced into every monitor object (-include): every symbol is local to the
 * image, so the compiler emits direct PC-relative references and the linked
 * image needs no GOT and no run-time relocation.
 */
#pragma GCC visibility push(hidden)
