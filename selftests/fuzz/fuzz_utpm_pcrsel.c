// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for utpm_pcr_sel_parse (TPML_PCR_SELECTION from outside).
 * Beyond the sanitizers it checks: a failed parse leaves the output alone,
 * an accepted selection names only existing PCRs, the exact and prefix
 * modes agree, and the canonical re-marshalling parses back to the same set.
 */
#include <stdlib.h>

#include "utpm/utpm.h"

#define CHECK(c) do { if (!(c)) abort(); } while (0)

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct utpm_pcr_sel a = { 0xa5a5a5a5 }, b = { 0x5a5a5a5a }, c = { 0 };
	size_t used = (size_t)-1, n = 0;
	u8 wire[UTPM_PCR_SEL_WIRE_SIZE];
	int ra, rb;

	ra = utpm_pcr_sel_parse(data, size, &a, NULL);
	rb = utpm_pcr_sel_parse(data, size, &b, &used);
	if (ra) {
		CHECK(ra < 0 && a.mask == 0xa5a5a5a5);
	} else {
		CHECK(a.mask < (1u << UTPM_NUM_PCRS));
		CHECK(rb == 0 && used == size && b.mask == a.mask);
	}
	if (rb) {
		CHECK(b.mask == 0x5a5a5a5a && used == (size_t)-1);
		return 0;
	}
	CHECK(used <= size && used >= 4);
	/* The prefix alone must parse exactly to the same selection. */
	CHECK(utpm_pcr_sel_parse(data, used, &c, NULL) == 0 && c.mask == b.mask);
	CHECK(utpm_pcr_sel_marshal(&b, wire, sizeof(wire), &n) == 0 && n == sizeof(wire));
	CHECK(utpm_pcr_sel_parse(wire, n, &c, NULL) == 0 && c.mask == b.mask);
	return 0;
}
