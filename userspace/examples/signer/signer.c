// SPDX-License-Identifier: GPL-2.0
/*
 * A P-256 signing key that only this PAL ever holds in the clear.
 *
 * KEYGEN makes the key inside the PAL from tv_random() and hands out the
 * public key and the private key sealed to this PAL: Linux keeps the blob
 * but cannot read it, and no other PAL can unseal it.  SIGN unseals it
 * and signs SHA-256 of a message (ECDSA, verifiable with openssl).  QUOTE
 * has the monitor sign this PAL's PCRs 0 and 1 over a nonce.
 *
 * Which PAL holds the key: PCR 0 is the PAL's measurement, and every
 * command extends SHA-256(public key) into PCR 1 once per load (PCRs start
 * at zero at each load), so a quote that shows
 *   PCR 1 = SHA-256(0^32 || SHA-256(public key))
 * says that this key is held by the PAL that PCR 0 names.
 *
 * Today the key lasts as long as the monitor: a reload of trustvisor.ko
 * makes the blob unreadable (TV_PAL_EBADMSG), and a new key must be made.
 *
 * Build: tvpal-cc -o signer.pal signer.c (commands in signer.h).
 */
#include <trustvisor/pal.h>
#include <trustvisor/pal_crypto.h>
#include "signer.h"

struct signer_key {
	uint8_t priv[TV_P256_PRIV_SIZE];
	uint8_t pub[TV_P256_PUB_SIZE];
};

/* Makes PCR 1 speak for this key; a load that already speaks for another is refused. */
static int32_t bind_key(const uint8_t pub[TV_P256_PUB_SIZE])
{
	static const uint8_t zero[32];
	uint8_t chain[64] = { 0 }, want[32], pcr[32];
	int err;

	/* chain = 0^32 || SHA-256(pub); want = PCR 1 after one extend from zero. */
	tv_sha256(pub, TV_P256_PUB_SIZE, chain + 32);
	tv_sha256(chain, sizeof(chain), want);
	err = tv_pcr_read(1, pcr);
	if (err)
		return err;
	if (!memcmp(pcr, want, sizeof(pcr)))
		return 0;	/* an earlier call of this load did it */
	if (memcmp(pcr, zero, sizeof(pcr)))
		return SIGNER_OTHER_KEY;
	return tv_pcr_extend(1, chain + 32);
}

static int32_t keygen(uint8_t *out, size_t *out_len)
{
	struct signer_key key;
	uint8_t seed[32];
	size_t blob_len;
	int32_t err;

	if (*out_len < TV_P256_PUB_SIZE)
		return SIGNER_BAD;
	blob_len = *out_len - TV_P256_PUB_SIZE;
	err = tv_random(seed, sizeof(seed));
	if (!err)
		err = tv_p256_keygen(seed, key.priv, key.pub);
	if (!err)
		err = tv_seal(&key, sizeof(key), NULL, out + TV_P256_PUB_SIZE, &blob_len);
	if (!err)
		err = bind_key(key.pub);
	if (!err) {
		memcpy(out, key.pub, TV_P256_PUB_SIZE);
		*out_len = TV_P256_PUB_SIZE + blob_len;
	}
	/* The monitor keeps a PAL's stack between calls: leave no key on it. */
	tv_wipe(seed, sizeof(seed));
	tv_wipe(&key, sizeof(key));
	return err;
}

/* in = blob length (4 bytes, little-endian) || blob || the rest. */
static int32_t unseal_key(const uint8_t *in, size_t in_len, struct signer_key *key,
			  const uint8_t **rest, size_t *rest_len)
{
	size_t len = sizeof(*key);
	uint32_t blob_len;
	int err;

	if (in_len < sizeof(blob_len))
		return SIGNER_BAD;
	memcpy(&blob_len, in, sizeof(blob_len));
	if (blob_len > in_len - sizeof(blob_len))
		return SIGNER_BAD;
	err = tv_unseal(in + sizeof(blob_len), blob_len, key, &len);
	if (err == TV_PAL_ENOSPC || (!err && len != sizeof(*key)))
		err = SIGNER_BAD;	/* sealed by this PAL, but not a key */
	if (!err)
		err = bind_key(key->pub);
	*rest = in + sizeof(blob_len) + blob_len;
	*rest_len = in_len - sizeof(blob_len) - blob_len;
	return err;
}

static int32_t sign(const uint8_t *in, size_t in_len, uint8_t *out, size_t *out_len)
{
	struct signer_key key;
	const uint8_t *msg;
	uint8_t hash[32];
	size_t msg_len;
	int32_t err;

	if (*out_len < TV_P256_SIG_SIZE)
		return SIGNER_BAD;
	err = unseal_key(in, in_len, &key, &msg, &msg_len);
	if (!err) {
		tv_sha256(msg, msg_len, hash);
		err = tv_ecdsa_p256_sign(key.priv, hash, out);
	}
	if (!err)
		*out_len = TV_P256_SIG_SIZE;
	tv_wipe(&key, sizeof(key));
	return err;
}

static int32_t quote(const uint8_t *in, size_t in_len, uint8_t *out, size_t *out_len)
{
	struct signer_key key;
	const uint8_t *nonce;
	size_t nonce_len, quote_len;
	int32_t err;

	if (*out_len < 64)
		return SIGNER_BAD;
	quote_len = *out_len - 64;
	err = unseal_key(in, in_len, &key, &nonce, &nonce_len);
	tv_wipe(&key, sizeof(key));	/* only its binding to PCR 1 was needed */
	if (!err)
		err = tv_pcr_read(0, out);
	if (!err)
		err = tv_pcr_read(1, out + 32);
	if (!err)
		err = tv_quote(nonce, nonce_len, (1U << 0) | (1U << 1), out + 64, &quote_len);
	if (!err)
		*out_len = 64 + quote_len;
	return err;
}

int32_t pal_main(uint32_t cmd, const void *in, size_t in_len, void *out, size_t *out_len)
{
	size_t cap = *out_len;
	int32_t status;

	switch (cmd) {
	case SIGNER_KEYGEN:
		status = keygen(out, &cap);
		break;
	case SIGNER_SIGN:
		status = sign(in, in_len, out, &cap);
		break;
	case SIGNER_QUOTE:
		status = quote(in, in_len, out, &cap);
		break;
	default:
		status = SIGNER_BAD;
	}
	*out_len = status ? 0 : cap;	/* output only on success */
	return status;
}
