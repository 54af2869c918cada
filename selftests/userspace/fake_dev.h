/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A /dev/trustvisor inside the test process (fake_dev.c), for testing
 * libtrustvisor and tvctl without the module.  Programs are linked with
 * -Wl,--wrap=open,--wrap=close,--wrap=ioctl: opening TV_DEVICE gives a
 * descriptor whose ioctls the fake answers with the µTPM itself (a root
 * with a fixed master secret), every other file is left alone.
 *
 * Its PALs: a load measures the image (SHA-256) and starts a µTPM
 * instance; a call with command FAKE_CMD_FAULT ends in a #PF, any other
 * call extends PCR 1 with SHA-256 of its input (if any), returns that
 * digest as output and cmd + 1 as status.
 *
 * The shell tests steer it through the environment:
 *   TV_FAKE_ABSENT=1        no device: opening it fails with ENOENT
 *   TV_FAKE_FAIL=NAME:ERRNO the ioctl NAME (IDENTITY, PAL_LOAD, PAL_CALL,
 *                           PAL_QUOTE) fails with errno ERRNO
 *   TV_FAKE_LOG=FILE        appends the name of each ioctl it answers
 */
#ifndef TV_SELFTESTS_USERSPACE_FAKE_DEV_H
#define TV_SELFTESTS_USERSPACE_FAKE_DEV_H

#include <stdbool.h>

#define FAKE_CMD_FAULT	0xfa17

/* How the fake breaks the ABI's promises, to see the library refuse it. */
enum fake_lie {
	FAKE_LIE_NONE,
	FAKE_LIE_SHORT_SIZE,	/* write back a size that misses the last field */
	FAKE_LIE_ATTEST_LEN,	/* attest_len beyond the buffer */
	FAKE_LIE_PUBKEY,	/* a public key that is no uncompressed point */
	FAKE_LIE_PCRS,		/* non-zero values for PCRs not quoted */
};

/* The C tests' controls; the environment's apply on top of them. */
extern unsigned int fake_dev_ioctls;	/* ioctls answered so far */
extern bool fake_dev_absent;
extern enum fake_lie fake_dev_lie;
extern int fake_dev_fail_errno;		/* the next ioctl fails so (0: none) */

#endif
