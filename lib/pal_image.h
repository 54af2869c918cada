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

/* The reasons (enum tv_pal_img_err) are ABI: include/trustvisor/pal_abi.h. */

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
