/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Authenticated encryption for sealed storage.  The implementation (AES-256-GCM
 * or AES-256-CTR + HMAC-SHA256 encrypt-then-MAC) is chosen in lib/aead.c; callers
 * only rely on the sizes below.  AES must be constant time (no secret-indexed
 * tables).
 */
#ifndef TV_LIB_AEAD_H
#define TV_LIB_AEAD_H

#include "lib/base.h"

#define AEAD_KEY_SIZE 32	/* (a CTR+HMAC construction derives its two keys from it) */
#define AEAD_NONCE_SIZE 12
#define AEAD_TAG_SIZE 16

/* ct and pt may be equal; tag is written to tag[]. */
int aead_seal(const u8 key[AEAD_KEY_SIZE], const u8 nonce[AEAD_NONCE_SIZE],
	      const void *aad, size_t aad_len, const void *pt, size_t len,
	      void *ct, u8 tag[AEAD_TAG_SIZE]);
/* Returns TV_EAUTH and writes nothing to pt on a bad tag. */
int aead_open(const u8 key[AEAD_KEY_SIZE], const u8 nonce[AEAD_NONCE_SIZE],
	      const void *aad, size_t aad_len, const void *ct, size_t len,
	      const u8 tag[AEAD_TAG_SIZE], void *pt);

#endif
