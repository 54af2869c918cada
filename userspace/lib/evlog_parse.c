// SPDX-License-Identifier: GPL-2.0
/*
 * The evidence log reader (evlog_parse.h).  The layouts are kmod/evlog.c's:
 * a TCG_PCClientPCREvent holding the TCG_EfiSpecIDEvent, then one
 * TCG_PCR_EVENT2 per event, little-endian.
 */
#include <string.h>
#include "userspace/lib/evlog_parse.h"

#define EV_NO_ACTION	3
#define SPEC_HDR	(4 + 4 + 20 + 4)	/* pcrIndex, eventType, SHA-1 digest, eventSize */
#define SPEC_FIXED	(16 + 4 + 4 + 4)	/* signature ... numberOfAlgorithms */

static const struct tv_evp_bank known[] = {
	{ 0x0004, 20 }, { 0x000b, 32 }, { 0x000c, 48 }, { 0x000d, 64 },
};

static uint32_t le32(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint16_t le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static int is_zero(const uint8_t *p, size_t n)
{
	uint8_t acc = 0;

	while (n--)
		acc |= *p++;
	return !acc;
}

#define REFUSE(msg)	do { *why = (msg); return -1; } while (0)

/* The Spec ID event: which banks every later event carries, in order. */
static int parse_header(const uint8_t *p, size_t len, struct tv_evp_log *out, size_t *used,
			const char **why)
{
	static const uint8_t sig[16] = "Spec ID Event03";
	uint32_t size, n;

	if (len < SPEC_HDR + SPEC_FIXED)
		REFUSE("shorter than its Spec ID event");
	if (le32(p) != 0 || le32(p + 4) != EV_NO_ACTION || !is_zero(p + 8, 20))
		REFUSE("the first event is not a Spec ID event (PCR 0, EV_NO_ACTION, no digest)");
	size = le32(p + 28);
	p += SPEC_HDR;
	if (memcmp(p, sig, sizeof(sig)))
		REFUSE("no \"Spec ID Event03\" signature: not a crypto-agile log");
	/* platformClass 0, spec 2.0 errata 0, uintnSize 2: what the module writes */
	if (le32(p + 16) != 0 || p[20] != 0 || p[21] != 2 || p[22] != 0 || p[23] != 2)
		REFUSE("a Spec ID event of another platform class or spec version");
	n = le32(p + 24);
	if (!n || n > TV_EVP_MAX_BANKS)
		REFUSE("a Spec ID event naming no bank, or more than 8");
	if (size != SPEC_FIXED + 4 * n + 1)
		REFUSE("a Spec ID event whose size is not that of its banks");
	if (len - SPEC_HDR < size)
		REFUSE("a Spec ID event longer than the log");
	for (uint32_t i = 0; i < n; i++) {
		const uint8_t *b = p + SPEC_FIXED + 4 * i;
		size_t k;

		out->banks[i].alg = le16(b);
		out->banks[i].size = le16(b + 2);
		for (k = 0; k < sizeof(known) / sizeof(known[0]); k++)
			if (known[k].alg == out->banks[i].alg)
				break;
		if (k == sizeof(known) / sizeof(known[0]))
			REFUSE("a bank of an unknown hash algorithm");
		if (known[k].size != out->banks[i].size)
			REFUSE("a bank whose digest size is not its algorithm's");
		for (uint32_t j = 0; j < i; j++)
			if (out->banks[j].alg == out->banks[i].alg)
				REFUSE("a bank named twice");
	}
	if (p[SPEC_FIXED + 4 * n] != 0)
		REFUSE("vendor information in the Spec ID event");
	out->nr_banks = n;
	*used = SPEC_HDR + size;
	return 0;
}

int tv_evp_parse(const uint8_t *log, size_t len, struct tv_evp_log *out, const char **why)
{
	size_t off;

	memset(out, 0, sizeof(*out));
	if (len > TV_EVP_LOG_MAX)
		REFUSE("longer than the 64 KiB a log holds");
	if (parse_header(log, len, out, &off, why))
		return -1;
	while (off < len) {
		struct tv_evp_event *e;
		size_t left = len - off;
		const uint8_t *p = log + off;

		if (out->nr_events == TV_EVP_MAX_EVENTS)
			REFUSE("more than 64 events");
		e = &out->ev[out->nr_events];
		if (left < 12)
			REFUSE("trailing bytes that are not a whole event");
		e->pcr = le32(p);
		e->type = le32(p + 4);
		if (e->pcr > 23)
			REFUSE("an event for a PCR above 23");
		if (le32(p + 8) != out->nr_banks)
			REFUSE("an event whose digests are not one for each bank");
		p += 12;
		left -= 12;
		for (uint32_t i = 0; i < out->nr_banks; i++) {
			if (left < 2u + out->banks[i].size)
				REFUSE("an event cut short in its digests");
			if (le16(p) != out->banks[i].alg)
				REFUSE("an event whose digests are not in the banks' order");
			e->digest[i] = p + 2;
			p += 2 + out->banks[i].size;
			left -= 2u + out->banks[i].size;
		}
		if (left < 4)
			REFUSE("an event cut short before its size");
		e->len = le32(p);
		if (e->len > TV_EVP_EVENT_MAX)
			REFUSE("an event of more than 1024 bytes of data");
		if (left - 4 < e->len)
			REFUSE("an event whose data runs past the end of the log");
		e->data = p + 4;
		off = (size_t)(e->data + e->len - log);
		out->nr_events++;
	}
	return 0;
}

int tv_evp_bank(const struct tv_evp_log *l, uint16_t alg)
{
	for (uint32_t i = 0; i < l->nr_banks; i++)
		if (l->banks[i].alg == alg)
			return (int)i;
	return -1;
}

int tv_evp_tagged(const struct tv_evp_event *e, uint32_t *id, const uint8_t **payload,
		  uint32_t *len)
{
	if (e->len < 8 || le32(e->data + 4) != e->len - 8)
		return -1;
	*id = le32(e->data);
	*len = e->len - 8;
	*payload = e->data + 8;
	return 0;
}
