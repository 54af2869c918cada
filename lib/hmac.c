// SPDX-License-Identifier: GPL-2.0
/* HMAC-SHA256 (RFC 2104 / FIPS 198-1) and HKDF-SHA256 (RFC 5869). */
#include "lib/hmac.h"
#include "lib/ct.h"

void hmac_sha256_init(struct hmac_sha256_ctx *ctx, const void *key, size_t key_len)
{
	u8 pad[SHA256_BLOCK_SIZE];
	size_t i;

	memset(pad, 0, sizeof(pad));
	if (key_len > SHA256_BLOCK_SIZE)
		sha256(key, key_len, pad);
	else if (key_len)
		memcpy(pad, key, key_len);

	for (i = 0; i < sizeof(pad); i++)
		pad[i] ^= 0x36;
	sha256_init(&ctx->inner);
	sha256_update(&ctx->inner, pad, sizeof(pad));

	for (i = 0; i < sizeof(pad); i++)
		pad[i] ^= 0x36 ^ 0x5c;
	sha256_init(&ctx->outer);
	sha256_update(&ctx->outer, pad, sizeof(pad));
	secure_wipe(pad, sizeof(pad));
}

void hmac_sha256_update(struct hmac_sha256_ctx *ctx, const void *data, size_t len)
{
	sha256_update(&ctx->inner, data, len);
}

void hmac_sha256_final(struct hmac_sha256_ctx *ctx, u8 out[SHA256_DIGEST_SIZE])
{
	u8 ih[SHA256_DIGEST_SIZE];

	sha256_final(&ctx->inner, ih);
	sha256_update(&ctx->outer, ih, sizeof(ih));
	sha256_final(&ctx->outer, out);
	secure_wipe(ih, sizeof(ih));
	secure_wipe(ctx, sizeof(*ctx));
}

void hmac_sha256(const void *key, size_t key_len, const void *data, size_t len,
		 u8 out[SHA256_DIGEST_SIZE])
{
	struct hmac_sha256_ctx ctx;

	hmac_sha256_init(&ctx, key, key_len);
	hmac_sha256_update(&ctx, data, len);
	hmac_sha256_final(&ctx, out);
}

void hkdf_sha256_extract(const void *salt, size_t salt_len, const void *ikm,
			 size_t ikm_len, u8 prk[SHA256_DIGEST_SIZE])
{
	/* RFC 5869 2.2: absent salt means HashLen zero bytes, same HMAC key. */
	hmac_sha256(salt, salt ? salt_len : 0, ikm, ikm_len, prk);
}

int hkdf_sha256_expand(const u8 prk[SHA256_DIGEST_SIZE], const void *info,
		       size_t info_len, void *out, size_t out_len)
{
	struct hmac_sha256_ctx base, ctx;
	u8 t[SHA256_DIGEST_SIZE];
	u8 *o = out;
	u8 ctr = 1;

	if (out_len > 255 * SHA256_DIGEST_SIZE)
		return TV_ERANGE;
	if (!prk || (out_len && !out) || (info_len && !info))
		return TV_EINVAL;

	/* The keyed pads are the same for every block: hash them once. */
	hmac_sha256_init(&base, prk, SHA256_DIGEST_SIZE);
	while (out_len) {
		size_t n = out_len < sizeof(t) ? out_len : sizeof(t);

		ctx = base;
		if (ctr > 1)
			hmac_sha256_update(&ctx, t, sizeof(t));
		hmac_sha256_update(&ctx, info, info_len);
		hmac_sha256_update(&ctx, &ctr, 1);
		hmac_sha256_final(&ctx, t);
		memcpy(o, t, n);
		o += n;
		out_len -= n;
		ctr++;
	}
	secure_wipe(&base, sizeof(base));
	secure_wipe(t, sizeof(t));
	return TV_OK;
}

int hkdf_sha256(const void *salt, size_t salt_len, const void *ikm, size_t ikm_len,
		const void *info, size_t info_len, void *out, size_t out_len)
{
	u8 prk[SHA256_DIGEST_SIZE];
	int ret;

	if (out_len > 255 * SHA256_DIGEST_SIZE)
		return TV_ERANGE;
	if ((ikm_len && !ikm) || (salt_len && !salt) || (out_len && !out) ||
	    (info_len && !info))
		return TV_EINVAL;
	hkdf_sha256_extract(salt, salt_len, ikm, ikm_len, prk);
	ret = hkdf_sha256_expand(prk, info, info_len, out, out_len);
	secure_wipe(prk, sizeof(prk));
	return ret;
}
