// SPDX-License-Identifier: GPL-2.0
/*
 * PAL image checks.  Every length comes from an untrusted file (or from
 * Linux, in the monitor): each comparison is written so no sum can wrap.
 */
#include "lib/pal_image.h"

/*
 * A switch, not a table of pointers: the monitor is position independent
 * and may have no run-time relocations, which a pointer table would need.
 */
const char *tv_pal_img_strerror(int err)
{
	switch (err) {
	case TV_PAL_IMG_OK:
		return "well formed";
	case TV_PAL_IMG_SHORT:
		return "truncated: shorter than its header and section table";
	case TV_PAL_IMG_MAGIC:
		return "not a PAL image (bad magic)";
	case TV_PAL_IMG_FORMAT:
		return "unsupported PAL format version or header size";
	case TV_PAL_IMG_RESERVED:
		return "a reserved field is not zero";
	case TV_PAL_IMG_NSECTIONS:
		return "no sections, or more than 16";
	case TV_PAL_IMG_ISA:
		return "unknown ISA level";
	case TV_PAL_IMG_STACK:
		return "stack size is not a multiple of 4 KiB between 4 KiB and 64 KiB";
	case TV_PAL_IMG_ALIGN:
		return "a section's address or size is not 4 KiB aligned";
	case TV_PAL_IMG_RANGE:
		return "a section lies outside the PAL's section window";
	case TV_PAL_IMG_ORDER:
		return "sections overlap or are not sorted by address";
	case TV_PAL_IMG_FLAGS:
		return "a section has unknown flags, is not readable, or is writable and executable";
	case TV_PAL_IMG_FILESZ:
		return "a section has more file bytes than memory";
	case TV_PAL_IMG_TOO_BIG:
		return "code and data exceed 1 MiB";
	case TV_PAL_IMG_LENGTH:
		return "file length is not header + section table + section bytes";
	case TV_PAL_IMG_ENTRY:
		return "the entry point is not in an executable section";
	}
	return "unknown image error";
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
