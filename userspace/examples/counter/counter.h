/* SPDX-License-Identifier: GPL-2.0 */
/* What the counter PAL (counter.c) and its application (app.c) agree on. */
#ifndef COUNTER_H
#define COUNTER_H

/*
 * Commands.  Both output the new count (8 bytes, little-endian) followed by
 * the new state: a blob sealed to the PAL, for the application to keep.
 */
#define COUNTER_NEW	1	/* no input: a count of 0; every earlier state goes stale */
#define COUNTER_STEP	2	/* input: the latest state; the count goes up by one */

/*
 * Statuses besides 0.  A negative status is the µTPM's error as the PAL
 * got it (TV_PAL_E*, the negated errno of the same name): TV_PAL_EBADMSG
 * for a state that is not a blob of this monitor (the module was reloaded
 * since, or the file was changed), TV_PAL_EACCES for a blob of another PAL.
 */
#define COUNTER_REPLAY	1	/* the state is older than µTPM counter 0: replayed */
#define COUNTER_BAD	2	/* the input or output buffer cannot be a state */

#endif
