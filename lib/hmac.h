/* SPDX-License-Identifier: GPL-2.0 */
#ifndef TV_LIB_HMAC_H
#define TV_LIB_HMAC_H

#include "lib/sha256.h"

struct hmac_sha256_ctx {
	struct sha256_ctx inner;
	struct sha256_ctx outer;
};

void hmac_sha256_init(struct hmac_sha256_ctx *ctx, const void *key, size_t key_len);
void hmac_sha256_update(struct hmac_sha256_ctx *ctx, const void *data, size_t len);
/* Writes the MAC and wipes the context. */
void hmac_sha256_final(struct hmac_sha256_ctx *ctx, u8 out[SHA256_DIGEST_SIZE]);
void hmac_sha256(const void *key, size_t key_len, const void *data, size_t len,
		 u8 out[SHA256_DIGEST_SIZE]);

/* RFC 5869.  expand returns TV_ERANGE if out_len > 255 * 32. */
void hkdf_sha256_extract(const void *salt, size_t salt_len, const void *ikm,
			 size_t ikm_len, u8 prk[SHA256_DIGEST_SIZE]);
int hkdf_sha256_expand(const u8 prk[SHA256_DIGEST_SIZE], const void *info,
		       size_t info_len, void *out, size_t out_len);
int hkdf_sha256(const void *salt, size_t salt_len, const void *ikm, size_t ikm_len,
		const void *info, size_t info_len, void *out, size_t out_len);

#endif
