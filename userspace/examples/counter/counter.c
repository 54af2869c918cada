// SPDX-License-Identifier: GPL-2.0
/*
 * A count that Linux stores but can neither read, change nor roll back.
 *
 * The state lives outside the PAL, in a blob sealed to this PAL (only a PAL
 * with this measurement can unseal it), so Linux keeps it in a file.
 * Sealing alone would not stop Linux from handing back an older blob,
 * which unseals just as well; so the state also records the value µTPM
 * counter 0 had when it was sealed, and a state is only accepted while the
 * counter still has that value.  Every new state moves the counter on,
 * which makes every earlier blob stale for good.
 *
 * What survives a reload of trustvisor.ko: on a machine whose TPM keeps
 * the monitor's secret (the first load in a boot), everything: blobs stay
 * readable and counter 0 stays where the last commit left it, which is
 * here every step (tv_counter_commit, one TPM NV increment).  Otherwise
 * nothing: the secret and the counters are new at each load, every earlier
 * blob is unreadable (TV_PAL_EBADMSG) and counter 0 is back at 0: start
 * again with COUNTER_NEW.
 *
 * Build: tvpal-cc -o counter.pal counter.c (commands in counter.h).
 */
#include <trustvisor/pal.h>
#include "counter.h"

struct counter_state {
	uint64_t seq;		/* µTPM counter 0 when this state was sealed */
	uint64_t count;
};

/*
 * Seals the next state into the output, then moves the counter on to it.
 * Sealing first means a failed seal leaves the current state valid; and
 * the new blob leaves the PAL only once the counter matches it.
 */
static int32_t advance(uint64_t seq, uint64_t count, uint8_t *out, size_t cap,
		       size_t *out_len)
{
	struct counter_state next = { .seq = seq + 1, .count = count };
	size_t blob_len;
	uint64_t now;
	int err;

	if (cap < sizeof(count))
		return COUNTER_BAD;
	blob_len = cap - sizeof(count);
	err = tv_seal(&next, sizeof(next), NULL, out + sizeof(count), &blob_len);
	if (err)
		return err;
	err = tv_counter_increment(0, &now);
	if (err)
		return err;
	/* Another load of this PAL (the counters are per measurement) moved it first. */
	if (now != next.seq)
		return COUNTER_REPLAY;
	/*
	 * Durable before the new state leaves: no reboot can bring the counter
	 * back to where the old state is valid again.  ENODEV: this monitor's
	 * counters live in memory only, and so does everything it sealed.
	 */
	err = tv_counter_commit();
	if (err && err != -ENODEV)
		return err;
	memcpy(out, &count, sizeof(count));
	*out_len = sizeof(count) + blob_len;
	return 0;
}

static int32_t step(const void *in, size_t in_len, uint8_t *out, size_t cap, size_t *out_len)
{
	struct counter_state st;
	size_t len = sizeof(st);
	uint64_t now;
	int err;

	err = tv_unseal(in, in_len, &st, &len);
	if (err == TV_PAL_ENOSPC)
		return COUNTER_BAD;	/* sealed by this PAL, but not a state */
	if (err)
		return err;
	if (len != sizeof(st))
		return COUNTER_BAD;
	err = tv_counter_read(0, &now);
	if (err)
		return err;
	if (st.seq != now)
		return COUNTER_REPLAY;
	return advance(st.seq, st.count + 1, out, cap, out_len);
}

int32_t pal_main(uint32_t cmd, const void *in, size_t in_len, void *out, size_t *out_len)
{
	size_t cap = *out_len;
	uint64_t now;
	int err;

	*out_len = 0;		/* no output but a new state */
	switch (cmd) {
	case COUNTER_NEW:
		err = tv_counter_read(0, &now);
		return err ? err : advance(now, 0, out, cap, out_len);
	case COUNTER_STEP:
		return step(in, in_len, out, cap, out_len);
	default:
		return COUNTER_BAD;
	}
}
