/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Checking a PAL image's header and section table (include/trustvisor/
 * pal_abi.h).  One implementation for the monitor (which decides), the
 * library and tvctl (which tell the user why before asking the monitor).
 */
#ifndef TV_LIB_PAL_IMAGE_H
#define TV_LIB_PAL_IMAGE_H

#include "lib/base.h"
#include "trustvisor/pal_abi.h"

/* Why an image is refused (tv_pal_load.reason); 0: it is well formed. */
enum tv_pal_img_err {
	TV_PAL_IMG_OK = 0,
	TV_PAL_IMG_SHORT,		/* shorter than its header and section table */
	TV_PAL_IMG_MAGIC,		/* not a PAL image */
	TV_PAL_IMG_FORMAT,		/* another format version or header size */
	TV_PAL_IMG_RESERVED,		/* a reserved field is not zero */
	TV_PAL_IMG_NSECTIONS,		/* no sections, or more than TV_PAL_MAX_SECTIONS */
	TV_PAL_IMG_ISA,			/* unknown ISA level */
	TV_PAL_IMG_STACK,		/* stack size not a page multiple in 4 KiB..64 KiB */
	TV_PAL_IMG_ALIGN,		/* a section's address or size is not page aligned */
	TV_PAL_IMG_RANGE,		/* a section outside the sections window */
	TV_PAL_IMG_ORDER,		/* sections overlap or are not sorted by address */
	TV_PAL_IMG_FLAGS,		/* unknown flags, not readable, or writable and executable */
	TV_PAL_IMG_FILESZ,		/* a section's file bytes exceed its memory size */
	TV_PAL_IMG_TOO_BIG,		/* code + data beyond the 1 MiB window */
	TV_PAL_IMG_LENGTH,		/* the file is not exactly header + table + section bytes */
	TV_PAL_IMG_ENTRY,		/* the entry point is not in an executable section */
	TV_PAL_IMG_NR_ERRORS
};

/*
 * Checks the header `h` and its table `s` (h->nr_sections entries; the
 * caller may only pass `s` once the header passed, see the size check)
 * for an image of `file_len` bytes.  Returns TV_PAL_IMG_*.
 */
int tv_pal_header_check(const struct tv_pal_header *h, u64 file_len);
int tv_pal_image_check(const struct tv_pal_header *h, const struct tv_pal_section *s,
		       u64 file_len);
/* Bytes of header and section table for a header that passed its check. */
u64 tv_pal_table_end(const struct tv_pal_header *h);
const char *tv_pal_img_strerror(int err);

#endif
