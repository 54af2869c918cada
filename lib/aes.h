/* SPDX-License-Identifier: GPL-2.0 */
/*
 * AES-256 and AES-128 forward cipher, bitsliced (constant time: no table
 * lookups, no data-dependent branches).  Only the forward direction exists:
 * CTR and CFB decrypt with it too.  Internal to lib/ (AES-256 for
 * lib/aead.c, AES-128-CFB for the TPM sessions of lib/tpm2.c) and tests.
 */
#ifndef TV_LIB_AES_H
#define TV_LIB_AES_H

#include "lib/base.h"

#define AES256_KEY_SIZE 32
#define AES128_KEY_SIZE 16
#define AES_BLOCK_SIZE 16
#define AES256_ROUNDS 14
#define AES128_ROUNDS 10

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

struct aes128_ctx {
	u64 rk[AES128_ROUNDS + 1][8];
};

void aes128_init(struct aes128_ctx *ctx, const u8 key[AES128_KEY_SIZE]);
void aes128_encrypt_blocks(const struct aes128_ctx *ctx, const u8 *in, u8 *out,
			   size_t nblocks);
/*
 * SP 800-38A CFB128, the mode of TPM 2.0 parameter encryption: any length,
 * a last partial block uses the first bytes of its keystream block.  The IV
 * is not updated (each TPM parameter is encrypted with a fresh one).  in may
 * equal out.
 */
void aes128_cfb_encrypt(const struct aes128_ctx *ctx, const u8 iv[AES_BLOCK_SIZE],
			const void *in, void *out, size_t len);
void aes128_cfb_decrypt(const struct aes128_ctx *ctx, const u8 iv[AES_BLOCK_SIZE],
			const void *in, void *out, size_t len);
void aes128_wipe(struct aes128_ctx *ctx);

#endif
