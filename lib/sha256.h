/* SPDX-License-Identifier: GPL-2.0 */
#ifndef TV_LIB_SHA256_H
#define TV_LIB_SHA256_H

#include "lib/base.h"

#define SHA256_DIGEST_SIZE 32
#define SHA256_BLOCK_SIZE 64

struct sha256_ctx {
	u32 state[8];
	u64 count;		/* bytes hashed so far */
	u8 buf[SHA256_BLOCK_SIZE];
};

void sha256_init(struct sha256_ctx *ctx);
void sha256_update(struct sha256_ctx *ctx, const void *data, size_t len);
/* Writes the digest and wipes the context. */
void sha256_final(struct sha256_ctx *ctx, u8 out[SHA256_DIGEST_SIZE]);
void sha256(const void *data, size_t len, u8 out[SHA256_DIGEST_SIZE]);

#endif
