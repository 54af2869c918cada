/* SPDX-License-Identifier: GPL-2.0 */
/* The monitor image, embedded as data: the module copies it before use. */
	.section .rodata, "a"
	.balign 4096
	.globl tv_image_blob, tv_image_blob_end
tv_image_blob:
	.incbin TV_IMAGE_PATH
tv_image_blob_end:
