/* SPDX-License-Identifier: GPL-2.0 */
/* What the signer PAL (signer.c) and its application (app.c) agree on. */
#ifndef SIGNER_H
#define SIGNER_H

/*
 * Commands.  The sealed key is input to SIGN and QUOTE as its length (4
 * bytes, little-endian), then the blob, then the rest of the input.
 */
#define SIGNER_KEYGEN	1	/* out: public key (65 bytes) || the key sealed to the PAL */
#define SIGNER_SIGN	2	/* in: key || message; out: ECDSA signature r || s (64 bytes) */
#define SIGNER_QUOTE	3	/* in: key || nonce (<= 64 bytes); out: PCR 0, PCR 1 || quote */

/* Statuses besides 0; a negative one is the µTPM's error (TV_PAL_E*). */
#define SIGNER_BAD	1	/* malformed input, or an output buffer too small */
#define SIGNER_OTHER_KEY 2	/* this load of the PAL already speaks for another key */

#define SIGNER_PUB_SIZE	65	/* 0x04 || X || Y */
#define SIGNER_SIG_SIZE	64

#endif
