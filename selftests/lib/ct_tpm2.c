// SPDX-License-Identifier: GPL-2.0
/*
 * Constant-time check for lib/tpm2.c, run under memcheck by ct-check.sh:
 * the ephemeral seed, the salt and session key it yields and the counter's
 * authValue are undefined, so a branch or index on them is reported, in
 * StartAuthSession (keygen, ECDH, KDFe, KDFa), DefineSpace (the auth
 * encrypted, the HMAC) and NV_Read (the response HMAC compared, the value
 * decrypted), for a genuine and a forged response.  The TPM side is played
 * here with lib/'s own primitives; what goes on the wire is public.
 */
#include <string.h>

#include "lib/aes.h"
#include "lib/ecdsa.h"
#include "lib/hmac.h"
#include "lib/tpm2.h"
#include "selftests/lib/ctcheck.h"
#include "selftests/tap.h"

static void put32(u8 *p, u32 v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

/* The TPM's NV_Read answer: value 5, encrypted and MACed with s's key. */
static size_t read_response(const struct tpm2_session *s, const u8 *auth, u8 *r)
{
	u8 key[64], kiv[32], nonce[32], rph[32], mac[32], msg[8 + 10], hm[97];
	struct aes128_ctx aes;
	u8 data[8] = { 0, 0, 0, 0, 0, 0, 0, 5 };

	memset(nonce, 0x5a, 32);
	memcpy(key, s->key, 32);
	memcpy(key + 32, auth, 32);
	tpm2_kdfa(key, 64, "CFB", nonce, 32, s->nonce_caller, 32, kiv, 32);
	aes128_init(&aes, kiv);
	aes128_cfb_encrypt(&aes, kiv + 16, data, data, 8);
	aes128_wipe(&aes);
	memset(msg, 0, 4);
	put32(msg + 4, 0x14e);
	msg[8] = 0;
	msg[9] = 8;
	memcpy(msg + 10, data, 8);
	sha256(msg, sizeof(msg), rph);
	memcpy(hm, rph, 32);
	memcpy(hm + 32, nonce, 32);
	memcpy(hm + 64, s->nonce_caller, 32);
	hm[96] = 0x41;
	hmac_sha256(key, 64, hm, sizeof(hm), mac);

	r[0] = 0x80;
	r[1] = 0x02;
	put32(r + 2, 93);
	put32(r + 6, 0);
	put32(r + 10, 10);
	memcpy(r + 14, msg + 8, 10);
	r[24] = 0;
	r[25] = 32;
	memcpy(r + 26, nonce, 32);
	r[58] = 0x41;
	r[59] = 0;
	r[60] = 32;
	memcpy(r + 61, mac, 32);
	/* What goes on the wire is public. */
	PUBLIC(r, 93);
	return 93;
}

int main(void)
{
	u8 seed[32], nonce[32], auth[32], cmd[256], rsp[128], start[48];
	struct tpm2_salt_key key = { .handle = 0x81000100 };
	struct tpm2_nv_counter nv;
	struct tpm2_session s, forged;
	u8 tpm_priv[32], tpm_pub[65];
	size_t len, rlen;
	u64 value = 0;
	int rc, i;

	tap_plan(3);
	for (i = 0; i < 32; i++) {
		seed[i] = (u8)(i * 7 + 1);
		nonce[i] = (u8)(i * 3);
		auth[i] = (u8)(i * 11 + 1);
	}
	/* The TPM's salt key, public. */
	p256_keygen(nonce, tpm_priv, tpm_pub);
	PUBLIC(tpm_pub, sizeof(tpm_pub));
	memcpy(key.x, tpm_pub + 1, 32);
	memcpy(key.y, tpm_pub + 33, 32);

	memset(&s, 0, sizeof(s));
	SECRET(seed, sizeof(seed));
	rc = tpm2_start_session_cmd(&s, &key, seed, nonce, cmd, sizeof(cmd), &len);
	PUBLIC(&rc, sizeof(rc));
	PUBLIC(cmd, sizeof(cmd));
	memset(start, 0, sizeof(start));
	start[0] = 0x80;
	start[1] = 0x01;
	put32(start + 2, 48);
	put32(start + 10, 0x02000000);
	start[15] = 32;
	memset(start + 16, 0x77, 32);
	SECRET(s.salt, sizeof(s.salt));
	rc |= tpm2_start_session_rsp(&s, start, sizeof(start));
	PUBLIC(&rc, sizeof(rc));
	tap_ok(rc == TV_OK, "StartAuthSession with an undefined ephemeral seed and salt");

	SECRET(s.key, sizeof(s.key));
	SECRET(auth, sizeof(auth));
	rc = tpm2_nv_counter_init(&nv, 0x01500001, auth, sizeof(auth));
	nonce[0] ^= 1;
	rc |= tpm2_nv_define_cmd(&s, &nv, nonce, cmd, sizeof(cmd), &len);
	PUBLIC(&rc, sizeof(rc));
	PUBLIC(cmd, sizeof(cmd));
	tap_ok(rc == TV_OK, "NV_DefineSpace with an undefined session key and auth");

	/* Skip the TPM's answer: make the session READY as if it had come. */
	s.state = TPM2_SESSION_READY;
	nonce[0] ^= 2;
	rc = tpm2_nv_read_cmd(&s, &nv, nonce, cmd, sizeof(cmd), &len);
	PUBLIC(&rc, sizeof(rc));
	PUBLIC(cmd, sizeof(cmd));
	rlen = read_response(&s, auth, rsp);
	forged = s;
	rsp[70] ^= 1;
	rc |= tpm2_nv_read_rsp(&forged, &nv, rsp, rlen, &value) != TV_EAUTH;
	rsp[70] ^= 1;
	rc |= tpm2_nv_read_rsp(&s, &nv, rsp, rlen, &value);
	PUBLIC(&rc, sizeof(rc));
	PUBLIC(&value, sizeof(value));
	tap_ok(rc == TV_OK && value == 5, "NV_Read: a forged and the genuine response "
	       "checked and decrypted under an undefined key and auth (%llu)",
	       (unsigned long long)value);
	return tap_finish();
}
