// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for lib/pal_image.c, the check the monitor runs on an
 * image Linux hands it.  Two kinds of input, chosen by the first byte:
 *   odd:  the rest is the image file, as is;
 *   even: a valid three-section image, then patched: each 10-byte record
 *         writes 1, 2, 4 or 8 bytes at an offset into the header or table,
 *         and a final byte may grow or shrink the file,
 * so most inputs stay near valid and reach every rule.  The image is passed
 * in a heap buffer of exactly its length, so any read past it is an ASan
 * report.  An image the check accepts must satisfy the format's
 * invariants, recomputed here without the checker's code.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lib/pal_image.h"

#define BASE TV_PAL_VA_BASE
#define PAGE TV_PAL_PAGE
#define TEMPLATE_SECTIONS 3
#define TEMPLATE_BYTES 64

static void violated(const char *what, const unsigned char *img, size_t len)
{
	fprintf(stderr, "fuzz_pal_image: accepted an image that breaks the format: %s "
		"(%zu bytes)\n", what, len);
	(void)img;
	abort();
}

/* The invariants of a valid image, from pal_abi.h; 128-bit sums: no wrap. */
static void check_invariants(const unsigned char *img, size_t len)
{
	const struct tv_pal_header *h = (const void *)img;
	const struct tv_pal_section *s = (const void *)(img + sizeof(*h));
	unsigned __int128 want = sizeof(*h), prev_end = 0, total = 0;
	int entry_ok = 0;

	if (len < sizeof(*h) || memcmp(h->magic, TV_PAL_MAGIC, 8) || h->format != TV_PAL_FORMAT ||
	    h->header_size != sizeof(*h) || h->reserved[0] || h->reserved[1])
		violated("header", img, len);
	if (!h->nr_sections || h->nr_sections > TV_PAL_MAX_SECTIONS)
		violated("nr_sections", img, len);
	if (h->isa < TV_PAL_ISA_V1 || h->isa > TV_PAL_ISA_V3)
		violated("isa", img, len);
	if (h->stack_size % PAGE || h->stack_size < PAGE || h->stack_size > TV_PAL_STACK_MAX)
		violated("stack size", img, len);
	want += (unsigned __int128)h->nr_sections * sizeof(*s);
	if (want > len)
		violated("table beyond the file", img, len);
	for (uint32_t i = 0; i < h->nr_sections; i++) {
		unsigned __int128 lo = s[i].vaddr, hi = lo + s[i].memsz;

		if (s[i].vaddr % PAGE || s[i].memsz % PAGE || !s[i].memsz || s[i].reserved)
			violated("section alignment or reserved", img, len);
		if (lo < BASE || hi > BASE + TV_PAL_MAX_MEM)
			violated("section outside the window", img, len);
		if (lo < prev_end)
			violated("sections overlap or unsorted", img, len);
		if (!(s[i].flags & TV_PAL_SEC_R) || (s[i].flags & ~7U) ||
		    ((s[i].flags & TV_PAL_SEC_W) && (s[i].flags & TV_PAL_SEC_X)))
			violated("section flags (W^X)", img, len);
		if (s[i].filesz > s[i].memsz)
			violated("filesz > memsz", img, len);
		if ((s[i].flags & TV_PAL_SEC_X) && h->entry >= lo && h->entry < hi)
			entry_ok = 1;
		prev_end = hi;
		total += s[i].memsz;
		want += s[i].filesz;
	}
	if (total > TV_PAL_MAX_MEM)
		violated("more than 1 MiB", img, len);
	if (want != len)
		violated("length not exact", img, len);
	if (!entry_ok)
		violated("entry outside X", img, len);
}

static size_t template(unsigned char *buf)
{
	struct tv_pal_header h = {
		.format = TV_PAL_FORMAT,
		.header_size = sizeof(h),
		.nr_sections = TEMPLATE_SECTIONS,
		.isa = TV_PAL_ISA_V3,
		.entry = BASE + 16,
		.stack_size = TV_PAL_STACK_MAX,
	};
	struct tv_pal_section s[TEMPLATE_SECTIONS] = {
		{ BASE, PAGE, 32, TV_PAL_SEC_R | TV_PAL_SEC_X, 0 },
		{ BASE + PAGE, PAGE, 16, TV_PAL_SEC_R, 0 },
		{ BASE + 2 * PAGE, 2 * PAGE, 16, TV_PAL_SEC_R | TV_PAL_SEC_W, 0 },
	};

	memcpy(h.magic, TV_PAL_MAGIC, sizeof(h.magic));
	memcpy(buf, &h, sizeof(h));
	memcpy(buf + sizeof(h), s, sizeof(s));
	memset(buf + sizeof(h) + sizeof(s), 0xcc, TEMPLATE_BYTES);
	return sizeof(h) + sizeof(s) + TEMPLATE_BYTES;
}

static void run(const unsigned char *data, size_t len)
{
	unsigned char *img = malloc(len ? len : 1);
	int err;

	memcpy(img, data, len);
	err = tv_pal_image_check((const void *)img,
				 (const void *)(img + sizeof(struct tv_pal_header)), len);
	if (!tv_pal_img_strerror(err) || err < 0 || err >= TV_PAL_IMG_NR_ERRORS)
		violated("reason out of range", img, len);
	if (err == TV_PAL_IMG_OK)
		check_invariants(img, len);
	free(img);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* Room for the template, a full table's worth of patches and growth. */
	unsigned char buf[sizeof(struct tv_pal_header) +
			  TV_PAL_MAX_SECTIONS * sizeof(struct tv_pal_section) + 512];
	size_t len, table;

	if (!size)
		return 0;
	if (data[0] & 1) {
		run(data + 1, size - 1);
		return 0;
	}
	memset(buf, 0, sizeof(buf));
	len = template(buf);
	table = sizeof(struct tv_pal_header) +
		TV_PAL_MAX_SECTIONS * sizeof(struct tv_pal_section);
	data++, size--;
	for (; size >= 10; data += 10, size -= 10) {
		static const size_t widths[4] = { 1, 2, 4, 8 };
		size_t w = widths[data[0] & 3];
		size_t off = ((size_t)data[1] | (size_t)(data[0] >> 2) << 8) % (table - w + 1);

		memcpy(buf + off, data + 2, w);
		if (off + w > len)
			len = off + w;	/* a patch past the end grows the file */
	}
	if (size) {
		/* Grow or shrink by up to 127 bytes, within the buffer. */
		int d = (int8_t)data[0];

		if (d < 0 && (size_t)-d > len)
			d = -(int)len;
		if (d > 0 && len + d > sizeof(buf))
			d = (int)(sizeof(buf) - len);
		len += d;
	}
	run(buf, len);
	return 0;
}
