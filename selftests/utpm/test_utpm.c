// SPDX-License-Identifier: GPL-2.0
/*
 * µTPM unit tests: PCRs, selection parsing, sealing, quotes, random numbers
 * and counters.  Expected values come from OpenSSL, not from lib/.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "selftests/tap.h"
#include "selftests/utpm/common.h"

#define PLAN 82

static struct utpm_root root, root2;
static struct utpm pal_a, pal_b, pal_c;
static u8 meas_a[32], meas_b[32], meas_c[32];

static int all_bytes(const u8 *p, size_t n, u8 v)
{
	while (n--)
		if (*p++ != v)
			return 0;
	return 1;
}

static void test_root_init(void)
{
	u8 ent[UTPM_MIN_ENTROPY] = { 1 }, pub1[65], pub2[65], tpub[128], name[34];
	struct utpm_root r;
	size_t n = 0;
	int ok;

	tap_ok(utpm_root_init(&r, NULL, ent, UTPM_MIN_ENTROPY - 1) == TV_EENTROPY &&
	       utpm_root_init(&r, NULL, NULL, UTPM_MIN_ENTROPY) == TV_EINVAL &&
	       utpm_root_init(NULL, NULL, ent, sizeof(ent)) == TV_EINVAL,
	       "root init refuses short or missing entropy");

	ok = test_root(&root, 0x11) == TV_OK && test_root(&root2, 0x22) == TV_OK;
	ok = ok && utpm_root_pubkey(&root, pub1) == TV_OK && pub1[0] == 0x04;
	ok = ok && test_root(&r, 0x11) == TV_OK && utpm_root_pubkey(&r, pub2) == TV_OK;
	tap_ok(ok && !memcmp(pub1, pub2, 65),
	       "identity key derived from the master secret (same master, same key)");
	utpm_root_pubkey(&root2, pub2);
	tap_ok(memcmp(pub1, pub2, 65) != 0, "different master secret, different key");

	{
		EVP_PKEY *k = ref_pubkey(pub1);

		tap_ok(k != NULL, "OpenSSL accepts the identity public key as a P-256 point");
		EVP_PKEY_free(k);
	}

	ok = utpm_root_public_area(&root, tpub, sizeof(tpub), &n) == TV_OK &&
	     n == UTPM_PUBLIC_AREA_SIZE && tpub[0] == 0 && tpub[1] == 88 &&
	     !memcmp(tpub + 2 + 22, pub1 + 1, 32) && !memcmp(tpub + 2 + 56, pub1 + 33, 32);
	name[0] = 0x00;
	name[1] = 0x0b;
	ref_sha256(tpub + 2, 88, NULL, 0, name + 2);
	tap_ok(ok && !memcmp(name, root.id_name, 34) &&
	       utpm_root_public_area(&root, tpub, 89, &n) == TV_ERANGE,
	       "TPM2B_PUBLIC holds the key; name = 000b || SHA256(TPMT_PUBLIC)");
	utpm_root_wipe(&r);
	tap_ok(all_bytes((u8 *)&r, sizeof(r), 0) && utpm_root_pubkey(&r, pub2) == TV_EINVAL,
	       "wiped root is zero and unusable");
}

static void test_pcrs(void)
{
	u8 zero[32] = { 0 }, want[24][32], got[32], d[32], before[32];
	unsigned int i, j;
	int ok = 1;

	test_meas("PAL A", meas_a);
	test_meas("PAL B", meas_b);
	test_meas("PAL C", meas_c);
	utpm_init(&pal_a, meas_a);
	utpm_init(&pal_b, meas_b);
	utpm_init(&pal_c, meas_c);

	ref_sha256(zero, 32, meas_a, 32, want[0]);
	ok = utpm_pcr_read(&pal_a, 0, got) == TV_OK && !memcmp(got, want[0], 32);
	for (i = 1; i < UTPM_NUM_PCRS; i++)
		ok &= utpm_pcr_read(&pal_a, i, got) == TV_OK && all_bytes(got, 32, 0);
	tap_ok(ok, "after load PCR0 = SHA256(0^32 || measurement), PCR1..23 zero");

	memcpy(before, want[0], 32);
	memset(d, 0x42, 32);
	tap_ok(utpm_pcr_extend(&pal_a, 0, d) == TV_EPERM &&
	       utpm_pcr_read(&pal_a, 0, got) == TV_OK && !memcmp(got, before, 32),
	       "PCR0 cannot be extended by the PAL and stays unchanged");

	memset(got, 0x77, 32);
	tap_ok(utpm_pcr_extend(&pal_a, 24, d) == TV_ERANGE &&
	       utpm_pcr_extend(&pal_a, ~0u, d) == TV_ERANGE &&
	       utpm_pcr_read(&pal_a, 24, got) == TV_ERANGE && all_bytes(got, 32, 0x77) &&
	       utpm_pcr_extend(&pal_a, 1, NULL) == TV_EINVAL,
	       "PCR index 24 and ~0 refused, nothing written");

	ok = 1;
	for (i = 1; i < UTPM_NUM_PCRS; i++) {
		memset(want[i], 0, 32);
		for (j = 0; j < i % 4 + 1; j++) {
			memset(d, (int)(i * 16 + j), 32);
			ref_sha256(want[i], 32, d, 32, want[i]);
			ok &= utpm_pcr_extend(&pal_a, i, d) == TV_OK;
		}
		ok &= utpm_pcr_read(&pal_a, i, got) == TV_OK && !memcmp(got, want[i], 32);
	}
	tap_ok(ok, "extend = SHA256(old || digest) on PCR1..23 (OpenSSL reference)");

	{
		u32 masks[] = { 1, 0x3, 0x800001, 0xffffff, 0x10a5 };
		u8 cat[24 * 32];

		ok = 1;
		for (i = 0; i < TV_ARRAY_SIZE(masks); i++) {
			struct utpm_pcr_sel s = { masks[i] };
			size_t n = 0;

			for (j = 0; j < 24; j++)
				if (masks[i] & (1u << j))
					memcpy(cat + 32 * n++, want[j], 32);
			ref_sha256(cat, 32 * n, NULL, 0, d);
			ok &= utpm_pcr_composite(&pal_a, &s, got) == TV_OK && !memcmp(got, d, 32);
		}
		{
			struct utpm_pcr_sel s = { 1u << 24 };

			ok &= utpm_pcr_composite(&pal_a, &s, got) == TV_ERANGE;
		}
		tap_ok(ok, "composite = SHA256(selected PCRs in index order); PCR 24 refused");
	}
}

struct sel_case {
	const char *name;
	u8 buf[24];
	size_t len;
	int want;
	u32 mask;
};

static void test_pcr_sel(void)
{
	static const struct sel_case cases[] = {
		{ "canonical sizeofSelect 3", { 0, 0, 0, 1, 0, 0x0b, 3, 0x01, 0x80, 0x80 }, 10, TV_OK, 0x808001 },
		{ "sizeofSelect 1", { 0, 0, 0, 1, 0, 0x0b, 1, 0x05 }, 8, TV_OK, 0x5 },
		{ "sizeofSelect 4, top byte 0", { 0, 0, 0, 1, 0, 0x0b, 4, 1, 2, 3, 0 }, 11, TV_OK, 0x030201 },
		{ "count 0 (empty selection)", { 0, 0, 0, 0 }, 4, TV_OK, 0 },
		{ "empty buffer", { 0 }, 0, TV_EINVAL, 0 },
		{ "short count", { 0, 0, 1 }, 3, TV_EINVAL, 0 },
		{ "count 17 > banks", { 0, 0, 0, 17 }, 4, TV_ERANGE, 0 },
		{ "count 0xffffffff", { 0xff, 0xff, 0xff, 0xff }, 4, TV_ERANGE, 0 },
		{ "count 1, no body", { 0, 0, 0, 1 }, 4, TV_EINVAL, 0 },
		{ "sha1 bank", { 0, 0, 0, 1, 0, 0x04, 3, 1, 0, 0 }, 10, TV_EINVAL, 0 },
		{ "sha256 bank twice",
		  { 0, 0, 0, 2, 0, 0x0b, 3, 1, 0, 0, 0, 0x0b, 3, 2, 0, 0 }, 16, TV_EINVAL, 0 },
		{ "sizeofSelect 0", { 0, 0, 0, 1, 0, 0x0b, 0 }, 7, TV_ERANGE, 0 },
		{ "sizeofSelect 5", { 0, 0, 0, 1, 0, 0x0b, 5, 1, 0, 0, 0, 0 }, 12, TV_ERANGE, 0 },
		{ "PCR 24 selected", { 0, 0, 0, 1, 0, 0x0b, 4, 1, 0, 0, 1 }, 11, TV_ERANGE, 0 },
		{ "select bytes truncated", { 0, 0, 0, 1, 0, 0x0b, 3, 1, 0 }, 9, TV_EINVAL, 0 },
		{ "trailing byte", { 0, 0, 0, 1, 0, 0x0b, 3, 1, 0, 0, 0 }, 11, TV_EINVAL, 0 },
	};
	u8 wire[16];
	unsigned int i;
	size_t n, used;
	int ok;

	for (i = 0; i < TV_ARRAY_SIZE(cases); i++) {
		const struct sel_case *c = &cases[i];
		struct utpm_pcr_sel s = { 0xdeadbeef };
		int ret = utpm_pcr_sel_parse(c->buf, c->len, &s, NULL);

		ok = ret == c->want && s.mask == (ret ? 0xdeadbeef : c->mask);
		if (!tap_ok(ok, "pcr selection: %s -> %d", c->name, c->want))
			tap_diag("got %d mask %#x", ret, s.mask);
	}

	{
		struct utpm_pcr_sel s = { 0 };
		static const u8 buf[] = { 0, 0, 0, 1, 0, 0x0b, 3, 1, 0, 0, 0xee, 0xee };

		tap_ok(utpm_pcr_sel_parse(buf, sizeof(buf), &s, &used) == TV_OK &&
		       used == 10 && s.mask == 1,
		       "with used != NULL trailing bytes are left and reported");
	}

	ok = 1;
	for (i = 0; i < 64; i++) {
		struct utpm_pcr_sel s = { (i * 0x9e3779b9u) & 0xffffff }, t = { 0 };

		ok &= utpm_pcr_sel_marshal(&s, wire, sizeof(wire), &n) == TV_OK && n == 10 &&
		      utpm_pcr_sel_parse(wire, n, &t, NULL) == TV_OK && t.mask == s.mask;
		for (used = 0; used < n; used++)
			ok &= utpm_pcr_sel_parse(wire, used, &t, NULL) != TV_OK;
	}
	tap_ok(ok, "marshal/parse round trip; every truncation rejected");
}

static u8 blob[UTPM_SEAL_BLOB_MAX + 8], blob2[UTPM_SEAL_BLOB_MAX + 8];
static u8 data[UTPM_SEAL_MAX_DATA + 1], out[UTPM_SEAL_MAX_DATA + 16];

/* Unseal into a canary-filled buffer; *untouched says whether it stayed so on failure. */
static int unseal_chk(const struct utpm_root *r, const struct utpm *u, const u8 *b,
		      size_t len, int *untouched)
{
	size_t out_len = 0x5a5a;
	u8 sealer[32];
	int ret;

	memset(out, 0xcc, sizeof(out));
	memset(sealer, 0xcc, sizeof(sealer));
	ret = utpm_unseal(r, u, b, len, out, sizeof(out), &out_len, sealer);
	if (untouched)
		*untouched = ret != TV_OK && out_len == 0x5a5a &&
			     all_bytes(out, sizeof(out), 0xcc) && all_bytes(sealer, 32, 0xcc);
	return ret;
}

static void test_seal(void)
{
	static const size_t sizes[] = { 0, 1, 31, 1000, UTPM_SEAL_MAX_DATA };
	struct utpm_pcr_sel sel = { 0x00000c01 };	/* PCR 0, 10, 11 */
	struct utpm_seal_opts pol = { .pcr_sel = &sel };
	size_t blen = 0, blen2 = 0, out_len, i;
	unsigned int bit, codes[12] = { 0 };
	int ok, ut, ret;
	u8 sealer[32], d[32];

	for (i = 0; i < sizeof(data); i++)
		data[i] = (u8)(i * 7 + 3);

	ok = 1;
	for (i = 0; i < TV_ARRAY_SIZE(sizes); i++) {
		memset(out, 0, sizeof(out));
		ok &= utpm_seal(&root, &pal_a, NULL, data, sizes[i], blob, sizeof(blob),
				&blen) == TV_OK && blen == sizes[i] + UTPM_SEAL_OVERHEAD;
		ok &= utpm_unseal(&root, &pal_a, blob, blen, out, sizeof(out), &out_len,
				  sealer) == TV_OK;
		ok &= out_len == sizes[i] && !memcmp(out, data, sizes[i]) &&
		      all_bytes(out + sizes[i], 16, 0) && !memcmp(sealer, meas_a, 32);
	}
	tap_ok(ok, "seal/unseal round trip, 0..4096 bytes, nothing past the data written");

	utpm_seal(&root, &pal_a, NULL, data, 32, blob, sizeof(blob), &blen);
	utpm_seal(&root, &pal_a, NULL, data, 32, blob2, sizeof(blob2), &blen2);
	tap_ok(blen == blen2 && memcmp(blob, blob2, blen) && memcmp(blob + 124, data, 32),
	       "equal seals differ (random nonce) and the data is not in clear");

	memset(blob2, 0xee, sizeof(blob2));
	blen2 = 0x77;
	tap_ok(utpm_seal(&root, &pal_a, NULL, data, UTPM_SEAL_MAX_DATA + 1, blob2,
			 sizeof(blob2), &blen2) == TV_ERANGE &&
	       utpm_seal(&root, &pal_a, NULL, data, 32, blob2, 32 + UTPM_SEAL_OVERHEAD - 1,
			 &blen2) == TV_ERANGE &&
	       all_bytes(blob2, sizeof(blob2), 0xee) && blen2 == 0x77,
	       "seal: oversized data or short blob buffer -> TV_ERANGE, nothing written");

	/* Every single-bit flip of a policy-bound blob. */
	ok = utpm_seal(&root, &pal_a, &pol, data, 32, blob, sizeof(blob), &blen) == TV_OK &&
	     unseal_chk(&root, &pal_a, blob, blen, NULL) == TV_OK;
	for (bit = 0; bit < blen * 8; bit++) {
		blob[bit / 8] ^= 1u << (bit % 8);
		ret = unseal_chk(&root, &pal_a, blob, blen, &ut);
		blob[bit / 8] ^= 1u << (bit % 8);
		ok &= ret != TV_OK && ut;
		if (ret < 0 && ret > -12)
			codes[-ret]++;
	}
	tap_ok(ok, "all %zu single-bit flips of a PCR-bound blob rejected, output untouched",
	       blen * 8);
	tap_diag("codes: EINVAL %u ERANGE %u EAUTH %u EPOLICY %u EIDENTITY %u EVERSION %u",
		 codes[1], codes[2], codes[3], codes[6], codes[7], codes[8]);
	tap_ok(codes[3] == 8 * (blen - 124) + 8 * 12 && codes[8] == 16,
	       "flips in ciphertext, tag and nonce -> TV_EAUTH; in version -> TV_EVERSION");
	tap_ok(unseal_chk(&root, &pal_a, blob, blen, NULL) == TV_OK, "blob intact after the loop");

	utpm_seal(&root, &pal_a, NULL, data, 32, blob, sizeof(blob), &blen);
	ok = 1;
	for (bit = 0; bit < blen * 8; bit++) {
		blob[bit / 8] ^= 1u << (bit % 8);
		ok &= unseal_chk(&root, &pal_a, blob, blen, &ut) != TV_OK && ut;
		blob[bit / 8] ^= 1u << (bit % 8);
	}
	tap_ok(ok, "all %zu single-bit flips of a plain blob rejected, output untouched",
	       blen * 8);

	ret = unseal_chk(&root, &pal_b, blob, blen, &ut);
	tap_ok(ret == TV_EIDENTITY && ut, "other PAL -> TV_EIDENTITY, output untouched");

	ok = 1;
	for (i = 0; i < blen; i++)
		ok &= unseal_chk(&root, &pal_a, blob, i, &ut) == TV_EINVAL && ut;
	tap_ok(ok, "every truncation (0..%zu bytes) -> TV_EINVAL, output untouched", blen - 1);

	blob[blen] = 0;
	ret = unseal_chk(&root, &pal_a, blob, blen + 1, &ut);
	tap_ok(ret == TV_EINVAL && ut, "one trailing byte -> TV_EINVAL");
	ret = unseal_chk(&root, &pal_a, blob, UTPM_SEAL_BLOB_MAX + 1, &ut);
	tap_ok(ret == TV_ERANGE && ut, "blob longer than the maximum -> TV_ERANGE");

	memcpy(blob2, blob, blen);
	blob2[5] = 2;
	ret = unseal_chk(&root, &pal_a, blob2, blen, &ut);
	tap_ok(ret == TV_EVERSION && ut, "version 2 -> TV_EVERSION");
	memcpy(blob2, blob, blen);
	blob2[0] ^= 0x80;
	tap_ok(unseal_chk(&root, &pal_a, blob2, blen, &ut) == TV_EINVAL && ut,
	       "bad magic -> TV_EINVAL");

	/* A shorter length field matching a shorter blob: only the MAC can tell. */
	memcpy(blob2, blob, blen);
	blob2[123] -= 1;
	memmove(blob2 + 124 + 31, blob + 124 + 32, 16);
	tap_ok(unseal_chk(&root, &pal_a, blob2, blen - 1, &ut) == TV_EAUTH && ut,
	       "consistent but forged length -> TV_EAUTH");

	/* Re-address A's blob to B in the header: the key derivation follows the header. */
	memcpy(blob2, blob, blen);
	blob2[7] |= UTPM_SEAL_F_RELEASE;
	memcpy(blob2 + 76, meas_b, 32);
	tap_ok(unseal_chk(&root, &pal_b, blob2, blen, &ut) == TV_EAUTH && ut,
	       "header re-addressed to another PAL -> TV_EAUTH for that PAL");

	tap_ok(unseal_chk(&root2, &pal_a, blob, blen, &ut) == TV_EAUTH && ut,
	       "other master secret -> TV_EAUTH");

	out_len = 0x5a5a;
	memset(out, 0xcc, sizeof(out));
	tap_ok(utpm_unseal(&root, &pal_a, blob, blen, out, 31, &out_len, NULL) == TV_ERANGE &&
	       out_len == 0x5a5a && all_bytes(out, sizeof(out), 0xcc) &&
	       utpm_unseal(&root, &pal_a, blob, blen, out, 32, &out_len, NULL) == TV_OK &&
	       out_len == 32,
	       "output buffer one byte short -> TV_ERANGE, exact size works");

	/* Release to B. */
	{
		struct utpm_seal_opts rel = { .release_to = meas_b };

		ok = utpm_seal(&root, &pal_a, &rel, data, 40, blob, sizeof(blob), &blen) == TV_OK;
		memset(sealer, 0, 32);
		ok &= utpm_unseal(&root, &pal_b, blob, blen, out, sizeof(out), &out_len,
				  sealer) == TV_OK && out_len == 40 && !memcmp(out, data, 40) &&
		      !memcmp(sealer, meas_a, 32);
		tap_ok(ok, "released to PAL B: B unseals and learns the sealer is A");
		tap_ok(unseal_chk(&root, &pal_a, blob, blen, &ut) == TV_EIDENTITY && ut &&
		       unseal_chk(&root, &pal_c, blob, blen, &ut) == TV_EIDENTITY && ut,
		       "released to B: sealer A and third PAL C get TV_EIDENTITY");
	}

	/* PCR policy on current values. */
	{
		struct utpm pal = pal_a;

		ok = utpm_seal(&root, &pal, &pol, data, 16, blob, sizeof(blob), &blen) == TV_OK &&
		     unseal_chk(&root, &pal, blob, blen, NULL) == TV_OK;
		memset(d, 1, 32);
		ok &= utpm_pcr_extend(&pal, 12, d) == TV_OK &&
		      unseal_chk(&root, &pal, blob, blen, NULL) == TV_OK;
		tap_ok(ok, "PCR-bound blob unseals; extending an unselected PCR does not matter");
		ok = utpm_pcr_extend(&pal, 11, d) == TV_OK &&
		     unseal_chk(&root, &pal, blob, blen, &ut) == TV_EPOLICY && ut;
		tap_ok(ok, "after extending selected PCR 11 -> TV_EPOLICY, output untouched");

		/* Header edited to drop the policy. */
		memcpy(blob2, blob, blen);
		blob2[7] &= ~UTPM_SEAL_F_PCR;
		memset(blob2 + 8, 0, 4 + 32);
		tap_ok(unseal_chk(&root, &pal, blob2, blen, &ut) == TV_EAUTH && ut,
		       "policy stripped from the header -> TV_EAUTH");
	}

	/* PCR policy on future values, computed by OpenSSL. */
	{
		struct utpm pal = pal_a;
		struct utpm_pcr_sel s5 = { 1u << 5 };
		struct utpm_seal_opts fut = { .pcr_sel = &s5, .pcr_digest = d };
		u8 p5[32], ext[32];

		memset(ext, 9, 32);
		utpm_pcr_read(&pal, 5, p5);
		ref_sha256(p5, 32, ext, 32, p5);
		ref_sha256(p5, 32, NULL, 0, d);
		ok = utpm_seal(&root, &pal, &fut, data, 8, blob, sizeof(blob), &blen) == TV_OK &&
		     unseal_chk(&root, &pal, blob, blen, NULL) == TV_EPOLICY &&
		     utpm_pcr_extend(&pal, 5, ext) == TV_OK &&
		     unseal_chk(&root, &pal, blob, blen, NULL) == TV_OK && !memcmp(out, data, 8);
		tap_ok(ok, "sealed to future PCR 5 value: TV_EPOLICY before, TV_OK after the extend");
		fut.pcr_sel = NULL;
		ok = utpm_seal(&root, &pal, &fut, data, 8, blob, sizeof(blob), &blen) ==
		     TV_EINVAL;
		fut.pcr_sel = &s5;
		fut.pcr_digest = NULL;
		fut.release_to = meas_b;
		ok &= utpm_seal(&root, &pal, &fut, data, 8, blob, sizeof(blob), &blen) ==
		      TV_EINVAL;
		tap_ok(ok, "policy digest without a selection, or policy for another PAL "
		       "without a digest -> TV_EINVAL");

		/* For B, with B's expected PCR 5 given explicitly. */
		fut.pcr_digest = d;
		utpm_pcr_read(&pal_b, 5, p5);
		ref_sha256(p5, 32, NULL, 0, d);
		ok = utpm_seal(&root, &pal, &fut, data, 8, blob, sizeof(blob), &blen) == TV_OK &&
		     unseal_chk(&root, &pal_b, blob, blen, NULL) == TV_OK && !memcmp(out, data, 8);
		{
			struct utpm b2 = pal_b;

			ok &= utpm_pcr_extend(&b2, 5, ext) == TV_OK &&
			      unseal_chk(&root, &b2, blob, blen, &ut) == TV_EPOLICY && ut;
		}
		tap_ok(ok, "released to B under B's PCR 5: B unseals, B with PCR 5 changed "
		       "-> TV_EPOLICY");
	}
}

static void test_quote(void)
{
	struct utpm_pcr_sel sel = { 0x000c03 };	/* PCR 0, 1, 10, 11 */
	u8 attest[UTPM_ATTEST_MAX], sig[UTPM_SIG_SIZE], nonce[64], pub[65], d[32];
	u8 cat[4 * 32], a2[UTPM_ATTEST_MAX], s2[UTPM_SIG_SIZE], rs[64];
	size_t alen = 0, slen = 0, a2len = 0x77, s2len = 0x77, off;
	unsigned int i, n = 0;
	int ok;

	for (i = 0; i < sizeof(nonce); i++)
		nonce[i] = (u8)(0xf0 ^ i);
	utpm_root_set_clock(&root, 12345);
	utpm_root_set_clock(&root, 100);
	utpm_root_pubkey(&root, pub);
	ok = utpm_quote(&root, &pal_a, &sel, nonce, 20, attest, sizeof(attest), &alen, sig,
			sizeof(sig), &slen) == TV_OK;
	memcpy(rs, sig + 6, 32);
	memcpy(rs + 32, sig + 40, 32);
	tap_ok(ok && slen == 72 && ref_verify(pub, attest, alen, rs),
	       "OpenSSL verifies the quote signature over the attest bytes");

	for (i = 0; i < 24; i++)
		if (sel.mask & (1u << i))
			utpm_pcr_read(&pal_a, i, cat + 32 * n++);
	ref_sha256(cat, 32 * n, NULL, 0, d);
	off = 0;
	ok = alen == 6 + 36 + 22 + 17 + 8 + 10 + 34;
	ok &= !memcmp(attest, "\xff\x54\x43\x47\x80\x18", 6);
	ok &= !memcmp(attest + 6, "\x00\x22", 2) && !memcmp(attest + 8, root.id_name, 34);
	off = 42;
	ok &= attest[off] == 0 && attest[off + 1] == 20 && !memcmp(attest + off + 2, nonce, 20);
	off += 22;
	ok &= !memcmp(attest + off, "\0\0\0\0\0\0\x30\x39", 8) &&
	      all_bytes(attest + off + 8, 8, 0) && attest[off + 16] == 1;
	off += 17 + 8;
	ok &= !memcmp(attest + off, "\0\0\0\1\0\x0b\x03\x03\x0c\x00", 10);
	off += 10;
	ok &= attest[off] == 0 && attest[off + 1] == 32 && !memcmp(attest + off + 2, d, 32);
	tap_ok(ok, "TPMS_ATTEST fields: magic, type, signer name, nonce, clock, selection, pcrDigest");
	tap_ok(!memcmp(sig, "\x00\x18\x00\x0b\x00\x20", 6) && sig[38] == 0 && sig[39] == 32,
	       "TPMT_SIGNATURE header: ECDSA, SHA256, 32-byte r and s");

	attest[50] ^= 1;
	tap_ok(!ref_verify(pub, attest, alen, rs), "signature does not verify a modified attest");
	attest[50] ^= 1;

	memset(a2, 0xee, sizeof(a2));
	memset(s2, 0xee, sizeof(s2));
	{
		struct utpm_pcr_sel no0 = { 0x2 }, bad = { 1u << 24 | 1 };

		ok = utpm_quote(&root, &pal_a, &no0, nonce, 20, a2, sizeof(a2), &a2len, s2,
				sizeof(s2), &s2len) == TV_EINVAL;
		ok &= utpm_quote(&root, &pal_a, &bad, nonce, 20, a2, sizeof(a2), &a2len, s2,
				 sizeof(s2), &s2len) == TV_ERANGE;
		ok &= utpm_quote(&root, &pal_a, &sel, nonce, 65, a2, sizeof(a2), &a2len, s2,
				 sizeof(s2), &s2len) == TV_ERANGE;
		ok &= utpm_quote(&root, &pal_a, &sel, nonce, 20, a2, alen - 1, &a2len, s2,
				 sizeof(s2), &s2len) == TV_ERANGE;
		ok &= utpm_quote(&root, &pal_a, &sel, nonce, 20, a2, sizeof(a2), &a2len, s2,
				 71, &s2len) == TV_ERANGE;
	}
	tap_ok(ok && all_bytes(a2, sizeof(a2), 0xee) && all_bytes(s2, sizeof(s2), 0xee) &&
	       a2len == 0x77 && s2len == 0x77,
	       "quote without PCR0, PCR 24, 65-byte nonce, short buffers refused, nothing written");

	ok = utpm_quote(&root, &pal_a, &sel, NULL, 0, a2, sizeof(a2), &a2len, s2, sizeof(s2),
			&s2len) == TV_OK && a2len == alen - 20;
	memcpy(rs, s2 + 6, 32);
	memcpy(rs + 32, s2 + 40, 32);
	ok &= ref_verify(pub, a2, a2len, rs);
	ok &= utpm_quote(&root, &pal_a, &sel, nonce, 64, a2, sizeof(a2), &a2len, s2,
			 sizeof(s2), &s2len) == TV_OK && a2len == alen + 44;
	memcpy(rs, s2 + 6, 32);
	memcpy(rs + 32, s2 + 40, 32);
	ok &= ref_verify(pub, a2, a2len, rs);
	tap_ok(ok, "empty and 64-byte nonces quote and verify");
}

static void test_random(void)
{
	static u8 big[100000];
	u8 a[64], b[64], c[64];

	tap_ok(utpm_get_random(&root, &pal_a, a, 64) == TV_OK &&
	       utpm_get_random(&root, &pal_a, b, 64) == TV_OK &&
	       utpm_get_random(&root, &pal_b, c, 64) == TV_OK && memcmp(a, b, 64) &&
	       memcmp(a, c, 64) && memcmp(b, c, 64) && !all_bytes(a, 64, 0),
	       "random: successive and per-PAL outputs differ");
	tap_ok(utpm_get_random(&root, &pal_a, NULL, 0) == TV_OK &&
	       utpm_get_random(&root, &pal_a, big, sizeof(big)) == TV_OK &&
	       !all_bytes(big + sizeof(big) - 64, 64, 0) &&
	       utpm_get_random(&root, &pal_a, NULL, 1) == TV_EINVAL,
	       "random: 0 and 100000 bytes (chunked) work, NULL refused");
	{
		u8 ent[32] = { 3 };

		u8 hw[8];
		int ret;

		/* At the reseed limit the DRBG must reseed itself from the CPU. */
		root.drbg.reseed_counter = DRBG_RESEED_INTERVAL + 1;
		memset(a, 0xcc, sizeof(a));
		ret = utpm_get_random(&root, &pal_a, a, 64);
		if (hw_entropy(hw, sizeof(hw)) == TV_OK)
			tap_ok(ret == TV_OK && root.drbg.reseed_counter < 10 &&
			       !all_bytes(a, 64, 0xcc),
			       "DRBG at its reseed limit reseeds from hw_entropy and continues");
		else
			tap_ok(ret == TV_EENTROPY && all_bytes(a, 64, 0xcc),
			       "DRBG at its reseed limit, no CPU entropy -> TV_EENTROPY");
		root.drbg.reseed_counter = 1;
		tap_ok(utpm_root_reseed(&root, ent, 31) == TV_EENTROPY &&
		       utpm_root_reseed(&root, ent, 32) == TV_OK &&
		       utpm_get_random(&root, &pal_a, a, 64) == TV_OK,
		       "reseed needs 32 bytes and the DRBG keeps working after it");
	}
}

static void test_counters(void)
{
	struct utpm palx[UTPM_COUNTER_SETS], again;
	u64 v = 0, v2 = 0;
	unsigned int i, got = 0;
	int ok;

	v = 77;
	ok = utpm_counter_read(&root, &pal_a, 0, &v) == TV_ENOENT && v == 77;
	tap_ok(ok, "counter: a PAL not attached -> TV_ENOENT");

	ok = utpm_counters_attach(&root, &pal_a) == TV_OK &&
	     utpm_counter_read(&root, &pal_a, 0, &v) == TV_OK && v == 0 &&
	     utpm_counter_increment(&root, &pal_a, 0, &v) == TV_OK && v == 1 &&
	     utpm_counter_increment(&root, &pal_a, 0, &v) == TV_OK && v == 2 &&
	     utpm_counter_read(&root, &pal_a, 0, &v2) == TV_OK && v2 == 2 &&
	     utpm_counter_read(&root, &pal_a, UTPM_COUNTERS_PER_PAL - 1, &v2) == TV_OK &&
	     v2 == 0;
	tap_ok(ok, "counter: starts at 0, increment returns 1, 2, read returns 2, others 0");

	v = 77;
	ok = utpm_counters_attach(&root, &pal_b) == TV_OK &&
	     utpm_counter_read(&root, &pal_b, 0, &v) == TV_OK && v == 0 &&
	     utpm_counter_increment(&root, &pal_b, 0, &v) == TV_OK && v == 1 &&
	     utpm_counter_read(&root, &pal_a, 0, &v2) == TV_OK && v2 == 2;
	tap_ok(ok, "counter: another PAL's id 0 is its own; neither sees the other's");

	v = 77;
	ok = utpm_counter_read(&root, &pal_a, UTPM_COUNTERS_PER_PAL, &v) == TV_EINVAL &&
	     utpm_counter_increment(&root, &pal_a, ~0u, &v) == TV_EINVAL && v == 77 &&
	     utpm_counter_read(&root, &pal_a, 0, NULL) == TV_EINVAL;
	tap_ok(ok, "counter: ids past %d and a NULL value -> TV_EINVAL, no change",
	       UTPM_COUNTERS_PER_PAL - 1);

	utpm_counters_detach(&root, &pal_a);
	v = 77;
	ok = utpm_counter_read(&root, &pal_a, 0, &v) == TV_ENOENT && v == 77;
	utpm_init(&again, meas_a);
	ok = ok && utpm_counters_attach(&root, &again) == TV_OK &&
	     utpm_counter_read(&root, &again, 0, &v) == TV_OK && v == 2;
	tap_ok(ok, "counter survives the PAL being unloaded and loaded again (same measurement)");

	/* Two loaded PALs of one identity share the set; it outlives the first. */
	ok = utpm_counters_attach(&root, &pal_a) == TV_OK;
	utpm_counters_detach(&root, &again);
	ok = ok && utpm_counter_increment(&root, &pal_a, 0, &v) == TV_OK && v == 3;
	tap_ok(ok, "counter: two PALs of one identity share a set until the last goes");

	/* Fill the table with identities that never count: each gives its set back. */
	ok = 1;
	for (i = 0; i < 4 * UTPM_COUNTER_SETS; i++) {
		u8 m[32] = { 0x40, (u8)i, (u8)(i >> 8) };
		struct utpm t;

		utpm_init(&t, m);
		ok &= utpm_counters_attach(&root, &t) == TV_OK;
		utpm_counters_detach(&root, &t);
	}
	tap_ok(ok, "counter: %d loads of PALs that never count leave no set behind",
	       4 * UTPM_COUNTER_SETS);

	/* Identities that counted keep their sets: the table runs full, then ENOSPC. */
	for (i = 0; i < UTPM_COUNTER_SETS; i++) {
		u8 m[32] = { 0x30, (u8)i };

		utpm_init(&palx[i], m);
	}
	for (i = 0; i < UTPM_COUNTER_SETS; i++) {
		if (utpm_counters_attach(&root, &palx[i]) != TV_OK)
			break;
		got++;
		utpm_counter_increment(&root, &palx[i], 1, &v);
		utpm_counters_detach(&root, &palx[i]);
	}
	/* pal_a and pal_b hold two sets. */
	tap_ok(got == UTPM_COUNTER_SETS - 2 &&
	       utpm_counters_attach(&root, &palx[UTPM_COUNTER_SETS - 1]) == TV_ENOSPC &&
	       utpm_counters_attach(&root, &pal_a) == TV_OK,
	       "counter: %d sets, then TV_ENOSPC for a new identity but not a known one",
	       UTPM_COUNTER_SETS);

	{
		struct utpm_counter_set *s = NULL;

		for (i = 0; i < UTPM_COUNTER_SETS; i++)
			if (!memcmp(root.counter_sets[i].owner, meas_a, 32))
				s = &root.counter_sets[i];
		s->value[0] = UINT64_MAX - 1;
	}
	v = 0;
	ok = utpm_counter_increment(&root, &pal_a, 0, &v) == TV_OK && v == UINT64_MAX &&
	     utpm_counter_increment(&root, &pal_a, 0, &v) == TV_ERANGE && v == UINT64_MAX &&
	     utpm_counter_read(&root, &pal_a, 0, &v2) == TV_OK && v2 == UINT64_MAX;
	tap_ok(ok, "counter: increment at the maximum -> TV_ERANGE, value kept");
}

/* The counter table persisted: sealed at one NV value, restored only at it. */
static void test_counter_table(void)
{
	static struct utpm_root a, b, other;
	static u8 blob[UTPM_TABLE_MAX], bad[UTPM_TABLE_MAX];
	struct utpm p, q, many[UTPM_TABLE_MAX_SETS + 1];
	u8 master[32], other_master[32], ent[UTPM_MIN_ENTROPY];
	size_t len = 0, n;
	unsigned int i, refused = 0, still_unknown = 0;
	u64 v = 0, w = 9;
	int ok, ret;

	memset(master, 0x5a, sizeof(master));
	memset(other_master, 0xa5, sizeof(other_master));
	for (i = 0; i < sizeof(ent); i++)
		ent[i] = (u8)(i * 7 + 1);
	ok = !utpm_root_init(&a, master, ent, sizeof(ent)) &&
	     !utpm_root_init(&b, master, ent, sizeof(ent)) &&
	     !utpm_root_init(&other, other_master, ent, sizeof(ent));
	utpm_init(&p, meas_a);
	utpm_init(&q, meas_b);
	ok &= !utpm_counters_attach(&a, &p) && !utpm_counters_attach(&a, &q);
	for (i = 0; i < 3; i++)
		ok &= !utpm_counter_increment(&a, &p, 0, &v);
	ok &= !utpm_counter_increment(&a, &p, 5, &v);
	ret = utpm_counters_seal(&a, 7, blob, sizeof(blob), &len);
	tap_ok(ok && !ret && len == UTPM_TABLE_HDR + UTPM_TABLE_SET + 16,
	       "table: the one set with counters moved sealed at NV value 7 (%zu bytes; "
	       "the untouched set is not in it)", len);

	utpm_counters_forget(&b);
	ok = !utpm_counters_attach(&b, &p);
	ok &= utpm_counter_read(&b, &p, 0, &w) == TV_ENODATA && w == 9 &&
	      utpm_counter_increment(&b, &p, 0, &w) == TV_ENODATA && w == 9 &&
	      utpm_counters_seal(&b, 7, bad, sizeof(bad), &n) == TV_ENODATA &&
	      !utpm_counters_known(&b);
	tap_ok(ok, "table: a root whose counters are unknown refuses reads, increments "
	       "and sealing (TV_ENODATA)");
	ok = utpm_counters_restore(&b, 6, blob, len) == TV_EPOLICY &&
	     utpm_counters_restore(&b, 8, blob, len) == TV_EPOLICY && !utpm_counters_known(&b);
	tap_ok(ok, "table: sealed at 7, refused at NV values 6 and 8 (a rollback), "
	       "still unknown");
	utpm_counters_forget(&other);
	ret = utpm_counters_restore(&other, 7, blob, len);
	tap_ok(ret == TV_EAUTH, "table: another master secret's monitor: TV_EAUTH (%d)", ret);

	for (i = 0; i < len; i++) {
		memcpy(bad, blob, len);
		bad[i] ^= 0x01;
		refused += utpm_counters_restore(&b, 7, bad, len) != TV_OK;
		still_unknown += !utpm_counters_known(&b);
	}
	for (n = 0; n < len; n++)
		refused += utpm_counters_restore(&b, 7, blob, n) != TV_OK;
	tap_ok(refused == 2 * len && still_unknown == len,
	       "table: each of its %zu bytes flipped, and each truncation: refused, "
	       "nothing restored", len);

	ret = utpm_counters_restore(&b, 7, blob, len);
	ok = !ret && utpm_counters_known(&b) && !utpm_counter_read(&b, &p, 0, &w) && w == 3 &&
	     !utpm_counter_read(&b, &p, 5, &w) && w == 1 && !utpm_counter_read(&b, &p, 1, &w) &&
	     w == 0;
	/* q was not loaded on b: its set comes with its first PAL. */
	ok &= !utpm_counters_attach(&b, &q) && !utpm_counter_read(&b, &q, 0, &w) && w == 0;
	tap_ok(ok, "table: restored at 7: counters 0 and 5 read 3 and 1, the rest 0 (%d)",
	       ret);
	ok = utpm_counters_restore(&b, 7, blob, len) == TV_EPERM &&
	     !utpm_counter_increment(&b, &p, 0, &w) && w == 4;
	tap_ok(ok, "table: once known, a restore is refused (TV_EPERM): memory is newer");

	/* A PAL loaded before the restore keeps its set; one restored later attaches to it. */
	utpm_counters_forget(&other);
	ok = !utpm_root_init(&other, master, ent, sizeof(ent));
	utpm_counters_forget(&other);
	ok &= !utpm_counters_restore(&other, 7, blob, len) && !utpm_counters_attach(&other, &p) &&
	      !utpm_counter_read(&other, &p, 0, &w) && w == 3;
	tap_ok(ok, "table: restored before any PAL loads, the PAL finds its values at load");

	for (i = 0; i <= UTPM_TABLE_MAX_SETS; i++) {
		u8 m[32] = { 0x77, (u8)i };

		utpm_init(&many[i], m);
		utpm_counters_attach(&a, &many[i]);
		utpm_counter_increment(&a, &many[i], 0, &v);
	}
	ret = utpm_counters_seal(&a, 8, bad, sizeof(bad), &n);
	tap_ok(ret == TV_ENOSPC, "table: more than %d sets with counters: TV_ENOSPC (%d)",
	       UTPM_TABLE_MAX_SETS, ret);
	utpm_root_wipe(&a);
	utpm_root_wipe(&b);
	utpm_root_wipe(&other);
}

int main(void)
{
	tap_plan(PLAN);
	test_root_init();
	test_pcrs();
	test_pcr_sel();
	test_seal();
	test_quote();
	test_random();
	test_counters();
	test_counter_table();
	if (tap_n != PLAN) {
		tap_diag("ran %d test points, plan says %d", tap_n, PLAN);
		return KSFT_FAIL;
	}
	return tap_finish();
}
