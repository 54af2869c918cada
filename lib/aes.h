/* SPDX-License-Identifier: GPL-2.0 */
/*
 * AES-256 forward cipher, bitsliced (constant time: no table lookups, no
 * data-dependent branches).  Only the forward direction exists: CTR mode
 * decrypts with it too.  Internal to lib/ (used by lib/aead.c) and tests.
 */
#ifndef TV_LIB_AES_H
#define TV_LIB_AES_H

#include "lib/base.h"

#define AES256_KEY_SIZE 32
#define AES_BLOCK_SIZE 16
#define AES256_ROUNDS 14

/* Round keys, already bitsliced and replicated over the four block lanes. */
struct aes256_ctx {
	u64 rk[AES256_ROUNDS + 1][8];
};

void aes256_init(struct aes256_ctx *ctx, const u8 key[AES256_KEY_SIZE]);
/* ECB on whole blocks; in and out may be equal. */
void aes256_encrypt_blocks(const struct aes256_ctx *ctx, const u8 *in, u8 *out,
			   size_t nblocks);
/*
 * SP 800-38A CTR: the 16-byte counter block is incremented as one 128-bit
 * big-endian integer per block and is updated in place, so a long message may
 * be processed in pieces that are multiples of 16 bytes.  in may equal out.
 */
void aes256_ctr(const struct aes256_ctx *ctx, u8 ctr[AES_BLOCK_SIZE],
		const void *in, void *out, size_t len);
void aes256_wipe(struct aes256_ctx *ctx);

#endif
