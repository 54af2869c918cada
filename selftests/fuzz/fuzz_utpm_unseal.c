// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for utpm_unseal (sealed blobs from outside).
 *
 * First input byte even: the rest is a blob handed to unseal as is.  It
 * must never unseal (that would be a forgery) and must leave the outputs
 * alone.
 * First input byte odd: structured.  Byte 1 picks the options (PCR policy,
 * release to PAL B, which PCRs), byte 2 the number of edits, then 3-byte
 * edits (offset hi, lo, xor mask), a length change, and the payload.  The
 * payload is sealed, must unseal back, and after the edits must unseal again
 * only if the blob is byte-identical; otherwise it must fail with a known
 * code and untouched outputs.
 */
#include <stdlib.h>
#include <string.h>

#include "utpm/utpm.h"

#define CHECK(c) do { if (!(c)) abort(); } while (0)

static struct utpm_root root;
static struct utpm pal_a, pal_b;
static u8 blob[UTPM_SEAL_BLOB_MAX + 64], orig[UTPM_SEAL_BLOB_MAX + 64];
static u8 out[UTPM_SEAL_MAX_DATA + 16];
static int ready;

static void setup(void)
{
	u8 ent[UTPM_MIN_ENTROPY], m[UTPM_MEAS_SIZE], d[32];

	memset(ent, 0x3c, sizeof(ent));
	CHECK(utpm_root_init(&root, NULL, ent, sizeof(ent)) == TV_OK);
	memset(m, 'A', sizeof(m));
	CHECK(utpm_init(&pal_a, m) == TV_OK);
	memset(m, 'B', sizeof(m));
	CHECK(utpm_init(&pal_b, m) == TV_OK);
	memset(d, 1, sizeof(d));
	CHECK(utpm_pcr_extend(&pal_a, 3, d) == TV_OK);
	ready = 1;
}

static int known_error(int ret)
{
	return ret == TV_EINVAL || ret == TV_ERANGE || ret == TV_EAUTH ||
	       ret == TV_EPOLICY || ret == TV_EIDENTITY || ret == TV_EVERSION;
}

/* Unseal; on failure the outputs must be untouched.  Returns the status. */
static int try_unseal(const struct utpm *u, const u8 *b, size_t len, size_t *out_len)
{
	u8 sealer[UTPM_MEAS_SIZE];
	size_t i;
	int ret;

	memset(out, 0xcc, sizeof(out));
	memset(sealer, 0xcc, sizeof(sealer));
	*out_len = 0x5a5a;
	ret = utpm_unseal(&root, u, b, len, out, sizeof(out), out_len, sealer);
	if (ret) {
		CHECK(known_error(ret) && *out_len == 0x5a5a);
		for (i = 0; i < sizeof(out); i++)
			CHECK(out[i] == 0xcc);
		for (i = 0; i < sizeof(sealer); i++)
			CHECK(sealer[i] == 0xcc);
	}
	return ret;
}

static void structured(const u8 *data, size_t size)
{
	struct utpm_pcr_sel sel;
	struct utpm_seal_opts opts = { 0 };
	u8 digest[32];
	const struct utpm *recipient = &pal_a;
	size_t blen = 0, out_len, nedit, i, len;
	const u8 *payload;
	long delta;

	if (size < 3)
		return;
	nedit = data[1] & 7;
	if (data[0] & 2) {
		sel.mask = 1u | (u32)data[2] << 1 | 1u << 3;
		opts.pcr_sel = &sel;
	}
	if (data[0] & 4) {
		opts.release_to = pal_b.identity;
		recipient = &pal_b;
		/* A policy for another PAL needs that PAL's expected PCRs. */
		if (opts.pcr_sel) {
			CHECK(utpm_pcr_composite(&pal_b, &sel, digest) == TV_OK);
			opts.pcr_digest = digest;
		}
	}
	data += 3;
	size -= 3;
	if (size < nedit * 3 + 1)
		return;
	payload = data + nedit * 3 + 1;
	len = size - nedit * 3 - 1;
	if (len > UTPM_SEAL_MAX_DATA)
		len = UTPM_SEAL_MAX_DATA;

	CHECK(utpm_seal(&root, &pal_a, &opts, payload, len, blob, sizeof(blob), &blen) == TV_OK);
	CHECK(blen == len + UTPM_SEAL_OVERHEAD);
	CHECK(try_unseal(recipient, blob, blen, &out_len) == TV_OK);
	CHECK(out_len == len && !memcmp(out, payload, len));
	/* The sealer may unseal only what it did not release to someone else. */
	if (recipient != &pal_a)
		CHECK(try_unseal(&pal_a, blob, blen, &out_len) == TV_EIDENTITY);

	memcpy(orig, blob, blen);
	for (i = 0; i < nedit; i++) {
		size_t off = ((size_t)data[3 * i] << 8 | data[3 * i + 1]) % blen;

		blob[off] ^= data[3 * i + 2];
	}
	/* Length change in [-8, 7]; growth appends zero bytes. */
	delta = (long)(data[nedit * 3] & 15) - 8;
	if (delta > 0)
		memset(blob + blen, 0, delta);
	if (delta < 0 && (size_t)-delta > blen)
		delta = -(long)blen;
	if (!(data[nedit * 3] & 16))
		delta = 0;
	if (!delta && !memcmp(blob, orig, blen)) {
		CHECK(try_unseal(recipient, blob, blen, &out_len) == TV_OK);
		CHECK(out_len == len && !memcmp(out, payload, len));
	} else {
		CHECK(try_unseal(recipient, blob, blen + delta, &out_len) != TV_OK);
	}
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	size_t out_len;

	if (!ready)
		setup();
	if (!size)
		return 0;
	if (data[0] & 1) {
		structured(data, size);
	} else {
		CHECK(try_unseal(&pal_a, data + 1, size - 1, &out_len) != TV_OK);
		CHECK(try_unseal(&pal_b, data + 1, size - 1, &out_len) != TV_OK);
	}
	return 0;
}
