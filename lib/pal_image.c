// SPDX-License-Identifier: GPL-2.0
/*
 * PAL image checks.  Every length comes from an untrusted file (or from
 * Linux, in the monitor): each comparison is written so no sum can wrap.
 */
#include "lib/pal_image.h"

static const char *const img_errors[TV_PAL_IMG_NR_ERRORS] = {
	[TV_PAL_IMG_OK] = "well formed",
	[TV_PAL_IMG_SHORT] = "truncated: shorter than its header and section table",
	[TV_PAL_IMG_MAGIC] = "not a PAL image (bad magic)",
	[TV_PAL_IMG_FORMAT] = "unsupported PAL format version or header size",
	[TV_PAL_IMG_RESERVED] = "a reserved field is not zero",
	[TV_PAL_IMG_NSECTIONS] = "no sections, or more than 16",
	[TV_PAL_IMG_ISA] = "unknown ISA level",
	[TV_PAL_IMG_STACK] = "stack size is not a multiple of 4 KiB between 4 KiB and 64 KiB",
	[TV_PAL_IMG_ALIGN] = "a section's address or size is not 4 KiB aligned",
	[TV_PAL_IMG_RANGE] = "a section lies outside the PAL's section window",
	[TV_PAL_IMG_ORDER] = "sections overlap or are not sorted by address",
	[TV_PAL_IMG_FLAGS] = "a section has unknown flags, is not readable, or is writable and executable",
	[TV_PAL_IMG_FILESZ] = "a section has more file bytes than memory",
	[TV_PAL_IMG_TOO_BIG] = "code and data exceed 1 MiB",
	[TV_PAL_IMG_LENGTH] = "file length is not header + section table + section bytes",
	[TV_PAL_IMG_ENTRY] = "the entry point is not in an executable section",
};

const char *tv_pal_img_strerror(int err)
{
	if (err < 0 || err >= TV_PAL_IMG_NR_ERRORS)
		return "unknown image error";
	return img_errors[err];
}

static bool page_aligned(u64 v)
{
	return !(v & (TV_PAL_PAGE - 1));
}

int tv_pal_header_check(const struct tv_pal_header *h, u64 file_len)
{
	if (file_len < sizeof(*h))
		return TV_PAL_IMG_SHORT;
	if (memcmp(h->magic, TV_PAL_MAGIC, sizeof(h->magic)))
		return TV_PAL_IMG_MAGIC;
	if (h->format != TV_PAL_FORMAT || h->header_size != sizeof(*h))
		return TV_PAL_IMG_FORMAT;
	if (h->reserved[0] || h->reserved[1])
		return TV_PAL_IMG_RESERVED;
	if (!h->nr_sections || h->nr_sections > TV_PAL_MAX_SECTIONS)
		return TV_PAL_IMG_NSECTIONS;
	if (h->isa < TV_PAL_ISA_V1 || h->isa > TV_PAL_ISA_V3)
		return TV_PAL_IMG_ISA;
	if (!page_aligned(h->stack_size) || h->stack_size < TV_PAL_PAGE ||
	    h->stack_size > TV_PAL_STACK_MAX)
		return TV_PAL_IMG_STACK;
	if (file_len < tv_pal_table_end(h))
		return TV_PAL_IMG_SHORT;
	return TV_PAL_IMG_OK;
}

u64 tv_pal_table_end(const struct tv_pal_header *h)
{
	return sizeof(*h) + (u64)h->nr_sections * sizeof(struct tv_pal_section);
}

static int section_check(const struct tv_pal_section *s, u64 prev_end)
{
	const u64 lo = TV_PAL_VA_BASE, hi = TV_PAL_VA_BASE + TV_PAL_MAX_MEM;
	u32 f = s->flags;

	if (s->reserved)
		return TV_PAL_IMG_RESERVED;
	if (!page_aligned(s->vaddr) || !page_aligned(s->memsz) || !s->memsz)
		return TV_PAL_IMG_ALIGN;
	if (s->vaddr < lo || s->vaddr >= hi)
		return TV_PAL_IMG_RANGE;
	if (s->memsz > hi - s->vaddr)
		return TV_PAL_IMG_TOO_BIG;
	if (s->vaddr < prev_end)
		return TV_PAL_IMG_ORDER;
	if ((f & ~(TV_PAL_SEC_R | TV_PAL_SEC_W | TV_PAL_SEC_X)) || !(f & TV_PAL_SEC_R) ||
	    ((f & TV_PAL_SEC_W) && (f & TV_PAL_SEC_X)))
		return TV_PAL_IMG_FLAGS;
	if (s->filesz > s->memsz)
		return TV_PAL_IMG_FILESZ;
	return TV_PAL_IMG_OK;
}

int tv_pal_image_check(const struct tv_pal_header *h, const struct tv_pal_section *s,
		       u64 file_len)
{
	u64 prev_end = 0, data = 0;
	bool entry_ok = false;
	int err = tv_pal_header_check(h, file_len);

	if (err)
		return err;
	for (u32 i = 0; i < h->nr_sections; i++) {
		err = section_check(&s[i], prev_end);
		if (err)
			return err;
		prev_end = s[i].vaddr + s[i].memsz;
		data += s[i].filesz;	/* each <= memsz, all inside 1 MiB: no wrap */
		if ((s[i].flags & TV_PAL_SEC_X) && h->entry >= s[i].vaddr &&
		    h->entry < s[i].vaddr + s[i].memsz)
			entry_ok = true;
	}
	if (file_len - tv_pal_table_end(h) != data)
		return TV_PAL_IMG_LENGTH;
	if (!entry_ok)
		return TV_PAL_IMG_ENTRY;
	return TV_PAL_IMG_OK;
}
