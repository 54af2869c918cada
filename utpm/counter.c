// SPDX-License-Identifier: GPL-2.0
/*
 * Monotonic counters for rollback protection.  They live in the root, not in
 * the PAL instance, so that a PAL unloaded and loaded again (same
 * measurement) finds its counters where it left them.  Each identity has a
 * set of its own, ids 0 .. UTPM_COUNTERS_PER_PAL - 1, so one PAL's use never
 * takes counters from another (a quota by construction).  A set is taken
 * when a PAL of that identity is loaded (attach), so a loaded PAL always has
 * its counters, and given back when the last one goes if none was ever
 * incremented: loading PALs that use no counters fills nothing.
 */
#include "utpm/internal.h"
#include "lib/aead.h"
#include "lib/ct.h"

/* The set of the identity owner, or NULL. */
static struct utpm_counter_set *find_set(const struct utpm_root *r, const u8 *owner)
{
	for (unsigned int i = 0; i < UTPM_COUNTER_SETS; i++) {
		const struct utpm_counter_set *s = &r->counter_sets[i];

		if (s->used && !memcmp(s->owner, owner, UTPM_MEAS_SIZE))
			return (struct utpm_counter_set *)s;
	}
	return NULL;
}

/* owner's set, or a free one made its own (all zero); NULL if the table is full. */
static struct utpm_counter_set *take_set(struct utpm_root *r, const u8 *owner)
{
	struct utpm_counter_set *s = find_set(r, owner);

	for (unsigned int i = 0; !s && i < UTPM_COUNTER_SETS; i++) {
		if (!r->counter_sets[i].used) {
			s = &r->counter_sets[i];
			memset(s, 0, sizeof(*s));
			memcpy(s->owner, owner, UTPM_MEAS_SIZE);
			s->used = true;
		}
	}
	return s;
}

static bool all_zero(const struct utpm_counter_set *s)
{
	u64 acc = 0;

	for (unsigned int i = 0; i < UTPM_COUNTERS_PER_PAL; i++)
		acc |= s->value[i];
	return !acc;
}

int utpm_counters_attach(struct utpm_root *r, const struct utpm *u)
{
	struct utpm_counter_set *s;

	if (!r || !r->ready || !u || !u->ready)
		return TV_EINVAL;
	s = take_set(r, u->identity);
	if (!s)
		return TV_ENOSPC;
	s->users++;
	return TV_OK;
}

void utpm_counters_detach(struct utpm_root *r, const struct utpm *u)
{
	struct utpm_counter_set *s;

	if (!r || !r->ready || !u || !u->ready)
		return;
	s = find_set(r, u->identity);
	if (!s || !s->users)
		return;
	if (!--s->users && all_zero(s))
		memset(s, 0, sizeof(*s));
}

/* The caller's own counter `id`, or why not. */
static int lookup(const struct utpm_root *r, const struct utpm *u, u32 id,
		  struct utpm_counter_set **set)
{
	if (!r || !r->ready || !u || !u->ready)
		return TV_EINVAL;
	if (id >= UTPM_COUNTERS_PER_PAL)
		return TV_EINVAL;
	if (r->counters_unknown)
		return TV_ENODATA;
	*set = find_set(r, u->identity);
	return *set && (*set)->users ? TV_OK : TV_ENOENT;
}

int utpm_counter_read(const struct utpm_root *r, const struct utpm *u, u32 id,
		      u64 *value)
{
	struct utpm_counter_set *s;
	int ret = lookup(r, u, id, &s);

	if (ret || !value)
		return ret ?: TV_EINVAL;
	*value = s->value[id];
	return TV_OK;
}

int utpm_counter_increment(struct utpm_root *r, const struct utpm *u, u32 id,
			   u64 *value)
{
	struct utpm_counter_set *s;
	int ret = lookup(r, u, id, &s);

	if (ret || !value)
		return ret ?: TV_EINVAL;
	if (s->value[id] == UINT64_MAX)
		return TV_ERANGE;
	*value = ++s->value[id];
	return TV_OK;
}

/* --- the table persisted --- */

static const u8 table_magic[4] = { 'T', 'V', 'C', 'T' };
#define TABLE_VERSION 1
#define TABLE_LABEL "tv counter table"

void utpm_counters_forget(struct utpm_root *r)
{
	if (r)
		r->counters_unknown = true;
}

bool utpm_counters_known(const struct utpm_root *r)
{
	return r && r->ready && !r->counters_unknown;
}

static int table_key(const struct utpm_root *r, u8 key[AEAD_KEY_SIZE])
{
	return utpm_root_derive(r, TABLE_LABEL, key, AEAD_KEY_SIZE);
}

int utpm_counters_seal(struct utpm_root *r, u64 v, u8 *blob, size_t cap, size_t *len)
{
	u8 key[AEAD_KEY_SIZE];
	u32 n = 0;
	u8 *p;
	int ret;

	if (!r || !r->ready || !blob || !len)
		return TV_EINVAL;
	if (r->counters_unknown)
		return TV_ENODATA;	/* sealing zeros would forget the real values */
	for (unsigned int i = 0; i < UTPM_COUNTER_SETS; i++)
		n += r->counter_sets[i].used && !all_zero(&r->counter_sets[i]);
	if (n > UTPM_TABLE_MAX_SETS)
		return TV_ENOSPC;
	if (cap < UTPM_TABLE_HDR + n * UTPM_TABLE_SET + AEAD_TAG_SIZE)
		return TV_ERANGE;
	memcpy(blob, table_magic, 4);
	put_be32(blob + 4, TABLE_VERSION);
	put_be64(blob + 8, v);
	put_be32(blob + 16, n);
	ret = utpm_root_random(r, blob + 20, AEAD_NONCE_SIZE);
	if (ret)
		return ret;
	p = blob + UTPM_TABLE_HDR;
	for (unsigned int i = 0; i < UTPM_COUNTER_SETS; i++) {
		const struct utpm_counter_set *s = &r->counter_sets[i];

		if (!s->used || all_zero(s))
			continue;
		memcpy(p, s->owner, UTPM_MEAS_SIZE);
		for (unsigned int c = 0; c < UTPM_COUNTERS_PER_PAL; c++)
			put_be64(p + UTPM_MEAS_SIZE + 8 * c, s->value[c]);
		p += UTPM_TABLE_SET;
	}
	ret = table_key(r, key);
	if (!ret)
		ret = aead_seal(key, blob + 20, blob, UTPM_TABLE_HDR, blob + UTPM_TABLE_HDR,
				n * UTPM_TABLE_SET, blob + UTPM_TABLE_HDR, p);
	secure_wipe(key, sizeof(key));
	if (ret)
		return ret;
	*len = UTPM_TABLE_HDR + n * UTPM_TABLE_SET + AEAD_TAG_SIZE;
	return TV_OK;
}

int utpm_counters_restore(struct utpm_root *r, u64 v, const u8 *blob, size_t len)
{
	static u8 plain[UTPM_TABLE_MAX_SETS * UTPM_TABLE_SET];
	u8 key[AEAD_KEY_SIZE];
	u32 n, free = 0, needed = 0;
	int ret;

	if (!r || !r->ready || !blob)
		return TV_EINVAL;
	if (!r->counters_unknown)
		return TV_EPERM;	/* the values in memory are newer than any stored */
	if (len < UTPM_TABLE_HDR + AEAD_TAG_SIZE || memcmp(blob, table_magic, 4))
		return TV_EINVAL;
	if (get_be32(blob + 4) != TABLE_VERSION)
		return TV_EVERSION;
	n = get_be32(blob + 16);
	if (n > UTPM_TABLE_MAX_SETS || len != UTPM_TABLE_HDR + n * UTPM_TABLE_SET + AEAD_TAG_SIZE)
		return TV_EINVAL;
	ret = table_key(r, key);
	if (!ret)
		ret = aead_open(key, blob + 20, blob, UTPM_TABLE_HDR, blob + UTPM_TABLE_HDR,
				n * UTPM_TABLE_SET, blob + len - AEAD_TAG_SIZE, plain);
	secure_wipe(key, sizeof(key));
	if (ret)
		return ret == TV_EAUTH ? TV_EAUTH : ret;
	/* Authentic, so this monitor sealed it; a table of another NV value is a rollback. */
	if (get_be64(blob + 8) != v) {
		ret = TV_EPOLICY;
		goto out;
	}
	/* Room for every set, and no owner twice, before anything changes. */
	for (unsigned int i = 0; i < UTPM_COUNTER_SETS; i++)
		free += !r->counter_sets[i].used;
	for (u32 j = 0; j < n; j++) {
		const u8 *owner = plain + j * UTPM_TABLE_SET;

		for (u32 k = 0; k < j; k++)
			if (!memcmp(owner, plain + k * UTPM_TABLE_SET, UTPM_MEAS_SIZE)) {
				ret = TV_EINVAL;
				goto out;
			}
		needed += !find_set(r, owner);
	}
	if (needed > free) {
		ret = TV_ENOSPC;
		goto out;
	}
	for (u32 j = 0; j < n; j++) {
		const u8 *e = plain + j * UTPM_TABLE_SET;
		struct utpm_counter_set *s = take_set(r, e);

		for (unsigned int c = 0; c < UTPM_COUNTERS_PER_PAL; c++)
			s->value[c] = get_be64(e + UTPM_MEAS_SIZE + 8 * c);
	}
	r->counters_unknown = false;
out:
	secure_wipe(plain, sizeof(plain));
	return ret;
}
