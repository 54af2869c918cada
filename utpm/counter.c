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

static struct utpm_counter_set *find_set(const struct utpm_root *r, const struct utpm *u)
{
	for (unsigned int i = 0; i < UTPM_COUNTER_SETS; i++) {
		const struct utpm_counter_set *s = &r->counter_sets[i];

		if (s->used && !memcmp(s->owner, u->identity, UTPM_MEAS_SIZE))
			return (struct utpm_counter_set *)s;
	}
	return NULL;
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
	s = find_set(r, u);
	for (unsigned int i = 0; !s && i < UTPM_COUNTER_SETS; i++) {
		if (!r->counter_sets[i].used) {
			s = &r->counter_sets[i];
			memset(s, 0, sizeof(*s));
			memcpy(s->owner, u->identity, UTPM_MEAS_SIZE);
			s->used = true;
		}
	}
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
	s = find_set(r, u);
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
	*set = find_set(r, u);
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
