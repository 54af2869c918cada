// SPDX-License-Identifier: GPL-2.0
/*
 * Monotonic counters for rollback protection.  They live in the root, not in
 * the PAL instance, so that a PAL unloaded and loaded again (same
 * measurement) finds its counters where it left them.  Ids are table slots;
 * a slot owned by another PAL looks exactly like an unused one.
 */
#include "utpm/internal.h"

static bool owns(const struct utpm_root *r, const struct utpm *u, u32 id)
{
	return id < UTPM_MAX_COUNTERS && r->counters[id].used &&
	       !memcmp(r->counters[id].owner, u->identity, UTPM_MEAS_SIZE);
}

int utpm_counter_create(struct utpm_root *r, const struct utpm *u, u32 *id)
{
	unsigned int i, owned = 0, free_slot = UTPM_MAX_COUNTERS;

	if (!r || !r->ready || !u || !u->ready || !id)
		return TV_EINVAL;
	for (i = 0; i < UTPM_MAX_COUNTERS; i++) {
		const struct utpm_counter *c = &r->counters[i];

		if (!c->used) {
			if (free_slot == UTPM_MAX_COUNTERS)
				free_slot = i;
		} else if (!memcmp(c->owner, u->identity, UTPM_MEAS_SIZE)) {
			owned++;
		}
	}
	/* A per-PAL quota, so that one PAL cannot starve the others. */
	if (owned >= UTPM_COUNTERS_PER_PAL || free_slot == UTPM_MAX_COUNTERS)
		return TV_ENOSPC;
	r->counters[free_slot].used = true;
	r->counters[free_slot].value = 0;
	memcpy(r->counters[free_slot].owner, u->identity, UTPM_MEAS_SIZE);
	*id = free_slot;
	return TV_OK;
}

int utpm_counter_read(const struct utpm_root *r, const struct utpm *u, u32 id,
		      u64 *value)
{
	if (!r || !r->ready || !u || !u->ready || !value)
		return TV_EINVAL;
	if (!owns(r, u, id))
		return TV_ENOENT;
	*value = r->counters[id].value;
	return TV_OK;
}

int utpm_counter_increment(struct utpm_root *r, const struct utpm *u, u32 id,
			   u64 *value)
{
	struct utpm_counter *c;

	if (!r || !r->ready || !u || !u->ready || !value)
		return TV_EINVAL;
	if (!owns(r, u, id))
		return TV_ENOENT;
	c = &r->counters[id];
	if (c->value == UINT64_MAX)
		return TV_ERANGE;
	*value = ++c->value;
	return TV_OK;
}
