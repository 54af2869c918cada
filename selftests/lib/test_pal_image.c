// SPDX-License-Identifier: GPL-2.0
/*
 * lib/pal_image.c: each refusal reason produced by an image that is valid
 * but for one thing, and the boundaries on both sides (the last valid value
 * and the first refused one).  The monitor decides with this code, so a
 * rule that goes missing must fail here.
 */
#include <string.h>
#include "lib/pal_image.h"
#include "selftests/tap.h"

#define BASE TV_PAL_VA_BASE
#define PAGE TV_PAL_PAGE
#define KIB 1024ULL
#define MIB (1024ULL * 1024)

static struct tv_pal_header h;
static struct tv_pal_section s[TV_PAL_MAX_SECTIONS + 1];
static uint64_t file_len;

/* The file length that matches the current header and table exactly. */
static uint64_t exact_len(void)
{
	uint64_t n = sizeof(h) + (uint64_t)h.nr_sections * sizeof(s[0]);

	for (uint32_t i = 0; i < h.nr_sections && i < TV_PAL_MAX_SECTIONS; i++)
		n += s[i].filesz;
	return n;
}

/* Code, rodata, data+bss, as tvpal-pack lays them out. */
static void reset(void)
{
	memset(&h, 0, sizeof(h));
	memset(s, 0, sizeof(s));
	memcpy(h.magic, TV_PAL_MAGIC, sizeof(h.magic));
	h.format = TV_PAL_FORMAT;
	h.header_size = sizeof(h);
	h.nr_sections = 3;
	h.isa = TV_PAL_ISA_V3;
	h.entry = BASE;
	h.stack_size = TV_PAL_STACK_MAX;
	s[0] = (struct tv_pal_section){ BASE, PAGE, 100, TV_PAL_SEC_R | TV_PAL_SEC_X, 0 };
	s[1] = (struct tv_pal_section){ BASE + PAGE, PAGE, 50, TV_PAL_SEC_R, 0 };
	s[2] = (struct tv_pal_section){ BASE + 2 * PAGE, 2 * PAGE, 10,
					TV_PAL_SEC_R | TV_PAL_SEC_W, 0 };
	file_len = exact_len();
}

static int check(void)
{
	return tv_pal_image_check(&h, s, file_len);
}

static void expect(int want, const char *what)
{
	int got = check();

	if (!tap_ok(got == want, "%s: %s", what, tv_pal_img_strerror(want)))
		tap_diag("got %d (%s)", got, tv_pal_img_strerror(got));
}

/* Each case starts from the valid image; `fix` re-derives the length. */
#define CASE(want, what, ...) do { reset(); __VA_ARGS__; expect(want, what); } while (0)
#define FIX (file_len = exact_len())

static void header_cases(void)
{
	CASE(TV_PAL_IMG_OK, "the base image");
	CASE(TV_PAL_IMG_SHORT, "shorter than the header", file_len = sizeof(h) - 1);
	CASE(TV_PAL_IMG_SHORT, "empty file", file_len = 0);
	CASE(TV_PAL_IMG_SHORT, "short file, bad magic: the length is checked first",
	     file_len = sizeof(h) - 1; h.magic[0] = 'X');
	CASE(TV_PAL_IMG_SHORT, "header but part of the table",
	     file_len = sizeof(h) + 3 * sizeof(s[0]) - 1);
	CASE(TV_PAL_IMG_MAGIC, "first magic byte", h.magic[0] = 'X');
	CASE(TV_PAL_IMG_MAGIC, "magic's NUL", h.magic[7] = '1');
	CASE(TV_PAL_IMG_FORMAT, "format 2", h.format = 2);
	CASE(TV_PAL_IMG_FORMAT, "format 0", h.format = 0);
	CASE(TV_PAL_IMG_FORMAT, "header_size - 1", h.header_size = sizeof(h) - 1);
	CASE(TV_PAL_IMG_FORMAT, "header_size + 8", h.header_size = sizeof(h) + 8);
	CASE(TV_PAL_IMG_RESERVED, "header reserved[0]", h.reserved[0] = 1);
	CASE(TV_PAL_IMG_RESERVED, "header reserved[1] top bit", h.reserved[1] = 1ULL << 63);
	CASE(TV_PAL_IMG_RESERVED, "section reserved", s[1].reserved = 1);
	CASE(TV_PAL_IMG_NSECTIONS, "nr_sections 0", h.nr_sections = 0; file_len = sizeof(h));
	CASE(TV_PAL_IMG_NSECTIONS, "nr_sections 17", h.nr_sections = 17; FIX);
	CASE(TV_PAL_IMG_NSECTIONS, "nr_sections 2^32-1", h.nr_sections = UINT32_MAX);
	CASE(TV_PAL_IMG_ISA, "isa 0", h.isa = 0);
	CASE(TV_PAL_IMG_ISA, "isa 4", h.isa = 4);
	CASE(TV_PAL_IMG_OK, "isa 1", h.isa = TV_PAL_ISA_V1);
	CASE(TV_PAL_IMG_OK, "isa 2", h.isa = TV_PAL_ISA_V2);
	CASE(TV_PAL_IMG_OK, "stack 4 KiB", h.stack_size = 4 * KIB);
	CASE(TV_PAL_IMG_OK, "stack 64 KiB", h.stack_size = 64 * KIB);
	CASE(TV_PAL_IMG_STACK, "stack 68 KiB", h.stack_size = 68 * KIB);
	CASE(TV_PAL_IMG_STACK, "stack 0", h.stack_size = 0);
	CASE(TV_PAL_IMG_STACK, "stack 4 KiB + 1", h.stack_size = 4 * KIB + 1);
	CASE(TV_PAL_IMG_STACK, "stack 64 KiB - 1", h.stack_size = 64 * KIB - 1);
	CASE(TV_PAL_IMG_STACK, "stack 2^64 - 4 KiB", h.stack_size = -PAGE);
}

static void section_cases(void)
{
	CASE(TV_PAL_IMG_ALIGN, "vaddr + 1", s[1].vaddr += 1);
	CASE(TV_PAL_IMG_ALIGN, "memsz 4095", s[1].memsz = PAGE - 1; s[1].filesz = 0; FIX);
	CASE(TV_PAL_IMG_ALIGN, "memsz 0", s[1].memsz = 0; s[1].filesz = 0; FIX);
	CASE(TV_PAL_IMG_RANGE, "below the window", s[0].vaddr = BASE - PAGE);
	CASE(TV_PAL_IMG_RANGE, "at the window's end",
	     h.nr_sections = 1; s[0].vaddr = BASE + MIB; h.entry = s[0].vaddr; FIX);
	CASE(TV_PAL_IMG_RANGE, "vaddr 2^64 - 4 KiB",
	     h.nr_sections = 1; s[0].vaddr = -PAGE; h.entry = s[0].vaddr; FIX);
	CASE(TV_PAL_IMG_RANGE, "vaddr 0", h.nr_sections = 1; s[0].vaddr = 0; h.entry = 0; FIX);
	CASE(TV_PAL_IMG_OK, "exactly 1 MiB", s[2].memsz = MIB - 2 * PAGE);
	CASE(TV_PAL_IMG_TOO_BIG, "1 MiB + 4 KiB", s[2].memsz = MIB - PAGE);
	CASE(TV_PAL_IMG_OK, "one section of 1 MiB", h.nr_sections = 1; s[0].memsz = MIB; FIX);
	CASE(TV_PAL_IMG_TOO_BIG, "one section of 1 MiB + 4 KiB",
	     h.nr_sections = 1; s[0].memsz = MIB + PAGE; FIX);
	CASE(TV_PAL_IMG_TOO_BIG, "memsz 2^64 - 4 KiB (vaddr + memsz wraps)",
	     s[2].memsz = -PAGE);
	CASE(TV_PAL_IMG_TOO_BIG, "last page, memsz wraps to its start",
	     h.nr_sections = 2; s[1].vaddr = BASE + MIB - PAGE; s[1].memsz = -(BASE + MIB - PAGE);
	     FIX);
	CASE(TV_PAL_IMG_ORDER, "overlapping", s[0].memsz = 2 * PAGE);
	CASE(TV_PAL_IMG_ORDER, "same address", s[1].vaddr = s[0].vaddr);
	CASE(TV_PAL_IMG_ORDER, "unsorted",
	     struct tv_pal_section t = s[0]; s[0] = s[1]; s[1] = t; h.entry = s[1].vaddr);
	CASE(TV_PAL_IMG_OK, "a gap between sections", s[2].vaddr += 4 * PAGE);
	CASE(TV_PAL_IMG_FLAGS, "W+X", s[2].flags |= TV_PAL_SEC_X);
	CASE(TV_PAL_IMG_FLAGS, "W+X on the entry's section", s[0].flags |= TV_PAL_SEC_W);
	CASE(TV_PAL_IMG_FLAGS, "not readable", s[1].flags = TV_PAL_SEC_W);
	CASE(TV_PAL_IMG_FLAGS, "unknown flag", s[1].flags |= 1U << 3);
	CASE(TV_PAL_IMG_FLAGS, "flags 0", s[1].flags = 0);
	CASE(TV_PAL_IMG_OK, "filesz = memsz", s[1].filesz = s[1].memsz; FIX);
	CASE(TV_PAL_IMG_FILESZ, "filesz = memsz + 1", s[1].filesz = s[1].memsz + 1; FIX);
	CASE(TV_PAL_IMG_FILESZ, "filesz 2^64 - 1", s[1].filesz = UINT64_MAX);
	CASE(TV_PAL_IMG_OK, "all filesz 0", s[0].filesz = s[1].filesz = s[2].filesz = 0; FIX);
}

static void image_cases(void)
{
	CASE(TV_PAL_IMG_LENGTH, "length + 1", file_len++);
	CASE(TV_PAL_IMG_LENGTH, "length - 1", file_len--);
	CASE(TV_PAL_IMG_LENGTH, "length 2^64 - 1", file_len = UINT64_MAX);
	CASE(TV_PAL_IMG_OK, "entry at the last byte of the X section", h.entry = BASE + PAGE - 1);
	CASE(TV_PAL_IMG_ENTRY, "entry one past the X section", h.entry = BASE + PAGE);
	CASE(TV_PAL_IMG_ENTRY, "entry one before the X section", h.entry = BASE - 1);
	CASE(TV_PAL_IMG_ENTRY, "entry in data", h.entry = s[2].vaddr);
	CASE(TV_PAL_IMG_ENTRY, "entry 0", h.entry = 0);
	CASE(TV_PAL_IMG_ENTRY, "no X section", s[0].flags = TV_PAL_SEC_R);
	CASE(TV_PAL_IMG_OK, "entry in a second X section",
	     s[2].flags = TV_PAL_SEC_R | TV_PAL_SEC_X; h.entry = s[2].vaddr + PAGE + 8);
	CASE(TV_PAL_IMG_OK, "16 sections", h.nr_sections = 16;
	     for (int i = 0; i < 16; i++)
		s[i] = (struct tv_pal_section){ BASE + i * PAGE, PAGE, 1,
			TV_PAL_SEC_R | (i & 1 ? TV_PAL_SEC_W : TV_PAL_SEC_X), 0 };
	     FIX);
	CASE(TV_PAL_IMG_NSECTIONS, "17 sections", h.nr_sections = 17;
	     for (int i = 0; i < 17; i++)
		s[i] = (struct tv_pal_section){ BASE + i * PAGE, PAGE, 1,
						TV_PAL_SEC_R | TV_PAL_SEC_X, 0 };
	     file_len = sizeof(h) + 17 * (sizeof(s[0]) + 1));
}

/* The checks short of the table: what the monitor runs before it copies it. */
static void header_only(void)
{
	reset();
	tap_ok(tv_pal_header_check(&h, tv_pal_table_end(&h)) == TV_PAL_IMG_OK &&
	       tv_pal_header_check(&h, tv_pal_table_end(&h) - 1) == TV_PAL_IMG_SHORT,
	       "header check: needs exactly the table's bytes");
	tap_ok(tv_pal_table_end(&h) == sizeof(h) + 3 * sizeof(s[0]),
	       "table end: header + 3 entries (%llu)", (unsigned long long)tv_pal_table_end(&h));
	tap_ok(sizeof(struct tv_pal_header) == 56 && sizeof(struct tv_pal_section) == 32,
	       "header 56 bytes, section entry 32 bytes (the file format)");
}

static void strings(void)
{
	const char *unknown = tv_pal_img_strerror(TV_PAL_IMG_NR_ERRORS);
	int ok = 1;

	for (int i = 0; i < TV_PAL_IMG_NR_ERRORS; i++) {
		const char *a = tv_pal_img_strerror(i);

		if (!a || !*a || !strcmp(a, unknown)) {
			tap_diag("reason %d has no string of its own", i);
			ok = 0;
			continue;
		}
		for (int j = 0; j < i; j++)
			if (!strcmp(a, tv_pal_img_strerror(j))) {
				tap_diag("reasons %d and %d share \"%s\"", j, i, a);
				ok = 0;
			}
	}
	tap_ok(ok, "every reason string is distinct and non-empty");
	tap_ok(!strcmp(tv_pal_img_strerror(-1), unknown) && unknown && *unknown,
	       "out-of-range reasons: \"%s\"", unknown);
}

int main(void)
{
	tap_plan(71);
	header_cases();
	section_cases();
	image_cases();
	header_only();
	strings();
	return tap_finish();
}
