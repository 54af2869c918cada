// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for utpm_counters_restore (counter tables Linux stores
 * and gives back).
 *
 * First input byte even: the rest is a table handed to restore as is, to
 * a root of a master nothing is sealed under.  It must never be taken
 * (that would be a forgery) and the counters must stay unknown.
 * First input byte odd: structured, on a sealing root of its own.  Byte 1:
 * how many PALs count (0-7),
 * byte 2 the number of edits, then 3-byte edits (offset hi, lo, xor mask)
 * and one byte picking the NV value to restore at (7, or another).  The
 * table sealed at 7 must be taken only unchanged and at 7; then the values
 * must be the ones counted.
 */
#include <stdlib.h>
#include <string.h>

#include "utpm/utpm.h"

#define CHECK(c) do { if (!(c)) abort(); } while (0)

static struct utpm_root sealer, fresh;
static struct utpm pals[8];
static u8 table[UTPM_TABLE_MAX + 8], orig[UTPM_TABLE_MAX + 8];
static u8 ent[UTPM_MIN_ENTROPY], master[UTPM_MASTER_SIZE];
static int ready;

static void setup(void)
{
	memset(ent, 0x3c, sizeof(ent));
	memset(master, 0x42, sizeof(master));
	for (int i = 0; i < 8; i++) {
		u8 m[UTPM_MEAS_SIZE];

		memset(m, 'A' + i, sizeof(m));
		CHECK(utpm_init(&pals[i], m) == TV_OK);
	}
	ready = 1;
}

/* A sealing root of its own per input: what it counted is exactly this input's. */
static void new_sealer(void)
{
	CHECK(utpm_root_init(&sealer, master, ent, sizeof(ent)) == TV_OK);
	for (int i = 0; i < 8; i++)
		CHECK(utpm_counters_attach(&sealer, &pals[i]) == TV_OK);
}

/* A root of the same master with its counters unknown, as after a reboot. */
static void reboot(void)
{
	CHECK(utpm_root_init(&fresh, master, ent, sizeof(ent)) == TV_OK);
	utpm_counters_forget(&fresh);
}

static int known_error(int ret)
{
	return ret == TV_EINVAL || ret == TV_EAUTH || ret == TV_EPOLICY || ret == TV_EVERSION ||
	       ret == TV_ENOSPC;
}

static void structured(const u8 *data, size_t size)
{
	size_t len = 0, nedit, i;
	u64 at = 7, v;
	int counting, ret;

	if (size < 3)
		return;
	counting = data[1] & 7;
	nedit = data[2] & 7;
	data += 3;
	size -= 3;
	if (size < nedit * 3 + 1)
		return;
	new_sealer();
	for (int p = 0; p < counting; p++)
		CHECK(utpm_counter_increment(&sealer, &pals[p], (u32)p, &v) == TV_OK);
	CHECK(utpm_counters_seal(&sealer, 7, table, sizeof(table), &len) == TV_OK);
	memcpy(orig, table, len);
	for (i = 0; i < nedit; i++)
		table[((size_t)data[3 * i] << 8 | data[3 * i + 1]) % len] ^= data[3 * i + 2];
	if (data[nedit * 3] & 1)
		at = data[nedit * 3] >> 1;
	reboot();
	ret = utpm_counters_restore(&fresh, at, table, len);
	if (!memcmp(table, orig, len) && at == 7) {
		CHECK(ret == TV_OK && utpm_counters_known(&fresh));
		for (int p = 0; p < 8; p++) {
			u64 want, got;

			CHECK(utpm_counters_attach(&fresh, &pals[p]) == TV_OK);
			CHECK(utpm_counter_read(&sealer, &pals[p], (u32)p, &want) == TV_OK);
			CHECK(utpm_counter_read(&fresh, &pals[p], (u32)p, &got) == TV_OK);
			CHECK(want == got);
		}
	} else {
		CHECK(ret != TV_OK && known_error(ret) && !utpm_counters_known(&fresh));
	}
	utpm_root_wipe(&fresh);
	utpm_root_wipe(&sealer);
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	if (!ready)
		setup();
	if (!size)
		return 0;
	if (data[0] & 1) {
		structured(data, size);
	} else {
		/*
		 * Under a master no table was ever sealed with: libFuzzer learns
		 * the structured branch's genuine tables from its memcmp and would
		 * replay them here, which is no forgery.
		 */
		u8 other[UTPM_MASTER_SIZE];

		memset(other, 0x99, sizeof(other));
		CHECK(utpm_root_init(&fresh, other, ent, sizeof(ent)) == TV_OK);
		utpm_counters_forget(&fresh);
		CHECK(utpm_counters_restore(&fresh, 7, data + 1, size - 1) != TV_OK);
		CHECK(!utpm_counters_known(&fresh));
		utpm_root_wipe(&fresh);
	}
	return 0;
}
