// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for tv_evp_parse, the evidence log reader of tvctl
 * verify (userspace/lib/evlog_parse.h).  Beyond the sanitizers it checks
 * that a refusal says why, that what is accepted points only inside the
 * input, and, the reader being strict, that the module's own writer
 * (kmod/evlog.c) rebuilds every accepted log byte for byte: anything the
 * reader lets through that the module would not have written is a finding.
 */
#include <stdlib.h>
#include <string.h>
#include "userspace/lib/evlog_parse.h"
#include "kmod/evlog.h"

#define CHECK(c) do { if (!(c)) abort(); } while (0)

static int inside(const uint8_t *p, size_t n, const uint8_t *buf, size_t len)
{
	return p >= buf && n <= len && p - buf <= (ptrdiff_t)(len - n);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t again[TV_EVP_LOG_MAX], digests[TV_EVP_MAX_BANKS * 64];
	static struct tv_evp_log l;
	struct tv_evlog_bank banks[TV_EVP_MAX_BANKS];
	struct tv_evlog w;
	const char *why = NULL;

	if (tv_evp_parse(data, size, &l, &why)) {
		CHECK(why && *why);
		return 0;
	}
	CHECK(l.nr_banks >= 1 && l.nr_banks <= TV_EVP_MAX_BANKS);
	CHECK(l.nr_events <= TV_EVP_MAX_EVENTS);
	for (uint32_t i = 0; i < l.nr_banks; i++) {
		banks[i].alg_id = l.banks[i].alg;
		banks[i].size = l.banks[i].size;
		CHECK(tv_evp_bank(&l, l.banks[i].alg) == (int)i);
	}
	CHECK(!tv_evlog_init(&w, again, sizeof(again), banks, l.nr_banks));
	for (uint32_t e = 0; e < l.nr_events; e++) {
		const struct tv_evp_event *ev = &l.ev[e];
		size_t off = 0;

		CHECK(ev->len <= TV_EVP_EVENT_MAX && inside(ev->data, ev->len, data, size));
		for (uint32_t i = 0; i < l.nr_banks; i++) {
			CHECK(inside(ev->digest[i], l.banks[i].size, data, size));
			memcpy(digests + off, ev->digest[i], l.banks[i].size);
			off += l.banks[i].size;
		}
		CHECK(!tv_evlog_append(&w, ev->pcr, ev->type, digests, ev->data, ev->len));
	}
	CHECK(w.len == size && !memcmp(again, data, size));
	return 0;
}
