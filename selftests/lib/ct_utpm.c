// SPDX-License-Identifier: GPL-2.0
/*
 * Constant-time check for the µTPM's secret paths, run under memcheck by
 * ct-check.sh: root setup from entropy (master secret drawn from the DRBG,
 * or given), identity-key derivation, seal/unseal, quote, reseed and
 * random numbers.  The entropy, the master secret and the sealed data are
 * marked undefined, and so are the secrets the root holds once set up (the
 * master, the identity private key, the DRBG's K and V), whatever memcheck
 * derived for them.  PAL measurements, PCRs, nonces and blobs are public.
 *
 * Nothing is marked public before the µTPM has returned, and then only what
 * this program is about to look at: what the µTPM hands to untrusted callers
 * anyway (return codes, lengths, the identity public key, blobs, quotes and
 * signatures) and, to compare it, the unsealed data, which is marked secret
 * again afterwards.  Inside, only lib/ declassifies: the AEAD verdict and
 * the ECDSA candidate checks (lib/aead.c, lib/ecdsa.c).
 */
#include <string.h>

#include "lib/ecdsa.h"
#include "lib/sha256.h"
#include "selftests/lib/ctcheck.h"
#include "selftests/tap.h"
#include "utpm/utpm.h"

#define DATA_LEN 300

static struct utpm_root root, root2;
static struct utpm pal_a, pal_b;
static u8 data[DATA_LEN], out[DATA_LEN];
static u8 blob[DATA_LEN + UTPM_SEAL_OVERHEAD], blob2[DATA_LEN + UTPM_SEAL_OVERHEAD];

/* The long-term secrets a set-up root holds, marked secret again. */
static void root_secrets(struct utpm_root *r)
{
	SECRET(r->master, sizeof(r->master));
	SECRET(r->id_priv, sizeof(r->id_priv));
	SECRET(r->drbg.key, sizeof(r->drbg.key));
	SECRET(r->drbg.v, sizeof(r->drbg.v));
}

static int pubkey(const struct utpm_root *r, u8 pub[P256_PUBKEY_SIZE])
{
	int rc = utpm_root_pubkey(r, pub);

	PUBLIC(&rc, sizeof(rc));
	PUBLIC(pub, P256_PUBKEY_SIZE);
	return rc;
}

/* Unseals blob b as u; 1 if it gives back data[0..len) sealed by sealer_meas. */
static int unseal_gives(const struct utpm_root *r, const struct utpm *u, const u8 *b,
			size_t blen, size_t len, const u8 *sealer_meas)
{
	u8 sealer[UTPM_MEAS_SIZE];
	size_t out_len = 0;
	int rc;

	memset(out, 0, sizeof(out));
	rc = utpm_unseal(r, u, b, blen, out, sizeof(out), &out_len, sealer);
	PUBLIC(&rc, sizeof(rc));
	PUBLIC(&out_len, sizeof(out_len));
	/* Only to compare: the data is the PAL's, not the world's. */
	PUBLIC(out, sizeof(out));
	PUBLIC(sealer, sizeof(sealer));
	PUBLIC(data, sizeof(data));
	rc = rc == TV_OK && out_len == len && !memcmp(out, data, len) &&
	     !memcmp(sealer, sealer_meas, UTPM_MEAS_SIZE);
	SECRET(data, sizeof(data));
	return rc;
}

int main(void)
{
	u8 ent[UTPM_MIN_ENTROPY], ent2[UTPM_MIN_ENTROPY], master[UTPM_MASTER_SIZE];
	u8 meas_a[UTPM_MEAS_SIZE], meas_b[UTPM_MEAS_SIZE], pcr5[UTPM_PCR_SIZE];
	u8 pub[P256_PUBKEY_SIZE], pub2[P256_PUBKEY_SIZE], nonce[20], rnd[100];
	u8 attest[UTPM_ATTEST_MAX], sig[UTPM_SIG_SIZE], rs[P256_SIG_SIZE], hash[32];
	struct utpm_pcr_sel sel = { .mask = (1u << 0) | (1u << 5) };
	struct utpm_seal_opts pol = { .pcr_sel = &sel, .release_to = meas_b };
	size_t blen = 0, blen2 = 0, alen = 0, slen = 0, i;
	u8 policy[SHA256_DIGEST_SIZE];
	int rc, rc2, ok;

	tap_plan(8);
	for (i = 0; i < sizeof(ent); i++) {
		ent[i] = (u8)(i * 11 + 3);
		ent2[i] = (u8)(i * 5 + 1);
	}
	for (i = 0; i < sizeof(master); i++)
		master[i] = (u8)(i * 29 + 7);
	for (i = 0; i < sizeof(data); i++)
		data[i] = (u8)(i * 13 + 1);
	memset(meas_a, 0xa1, sizeof(meas_a));
	memset(meas_b, 0xb2, sizeof(meas_b));
	memset(pcr5, 0x55, sizeof(pcr5));
	memset(nonce, 0x4e, sizeof(nonce));

	/* Root from entropy alone: DRBG instantiation, master drawn from it, key. */
	SECRET(ent, sizeof(ent));
	rc = utpm_root_init(&root, NULL, ent, sizeof(ent));
	PUBLIC(&rc, sizeof(rc));
	tap_ok(rc == TV_OK && pubkey(&root, pub) == TV_OK && pub[0] == 0x04,
	       "utpm_root_init, secret entropy, master secret from the DRBG");
	root_secrets(&root);

	/* Root from a given master: same master, other entropy, same identity. */
	SECRET(master, sizeof(master));
	SECRET(ent2, sizeof(ent2));
	rc = utpm_root_init(&root2, master, ent2, sizeof(ent2));
	PUBLIC(&rc, sizeof(rc));
	ok = rc == TV_OK && pubkey(&root2, pub) == TV_OK;
	rc = utpm_root_init(&root2, master, ent, sizeof(ent));
	PUBLIC(&rc, sizeof(rc));
	ok = ok && rc == TV_OK && pubkey(&root2, pub2) == TV_OK;
	tap_ok(ok && !memcmp(pub, pub2, sizeof(pub)),
	       "utpm_root_init, secret master secret and entropy, identity key from the master");
	root_secrets(&root2);

	/* PALs are public: their measurements and PCRs are what quotes report. */
	ok = utpm_init(&pal_a, meas_a) == TV_OK && utpm_init(&pal_b, meas_b) == TV_OK &&
	     utpm_pcr_extend(&pal_b, 5, pcr5) == TV_OK &&
	     utpm_pcr_composite(&pal_b, &sel, policy) == TV_OK;
	pol.pcr_digest = policy;

	/* Seal secret data to oneself, unseal it. */
	SECRET(data, sizeof(data));
	rc = utpm_seal(&root, &pal_a, NULL, data, sizeof(data), blob, sizeof(blob), &blen);
	PUBLIC(&rc, sizeof(rc));
	PUBLIC(&blen, sizeof(blen));
	/* The blob goes to the untrusted OS: public from here on. */
	PUBLIC(blob, sizeof(blob));
	ok = ok && rc == TV_OK && blen == sizeof(blob);
	tap_ok(ok && unseal_gives(&root, &pal_a, blob, blen, sizeof(data), meas_a),
	       "utpm_seal/utpm_unseal of %zu secret bytes, secret master", sizeof(data));

	/* Seal under a PCR policy, released to another PAL. */
	rc = utpm_seal(&root, &pal_a, &pol, data, 77, blob2, sizeof(blob2), &blen2);
	PUBLIC(&rc, sizeof(rc));
	PUBLIC(&blen2, sizeof(blen2));
	PUBLIC(blob2, sizeof(blob2));
	tap_ok(rc == TV_OK && unseal_gives(&root, &pal_b, blob2, blen2, 77, meas_a),
	       "utpm_seal with a PCR policy and release_to, unsealed by the recipient");

	/* Forgeries: the MAC verdict is public, how close they came is not. */
	blob[UTPM_SEAL_HDR_SIZE + 40] ^= 0x10;
	rc = utpm_unseal(&root, &pal_a, blob, blen, out, sizeof(out), &i, NULL);
	blob[UTPM_SEAL_HDR_SIZE + 40] ^= 0x10;
	blob[blen - 1] ^= 0x01;
	rc2 = utpm_unseal(&root, &pal_a, blob, blen, out, sizeof(out), &i, NULL);
	blob[blen - 1] ^= 0x01;
	PUBLIC(&rc, sizeof(rc));
	PUBLIC(&rc2, sizeof(rc2));
	tap_ok(rc == TV_EAUTH && rc2 == TV_EAUTH,
	       "utpm_unseal of a forged ciphertext and a forged tag -> TV_EAUTH");

	/* root2 has another master secret, so root's blob key is not its own. */
	rc = utpm_unseal(&root2, &pal_a, blob, blen, out, sizeof(out), &i, NULL);
	PUBLIC(&rc, sizeof(rc));
	tap_ok(rc == TV_EAUTH, "utpm_unseal under another master secret -> TV_EAUTH");

	/* Quote: ECDSA with the identity key over public PCRs and nonce. */
	rc = utpm_quote(&root, &pal_b, &sel, nonce, sizeof(nonce), attest, sizeof(attest),
			&alen, sig, sizeof(sig), &slen);
	PUBLIC(&rc, sizeof(rc));
	PUBLIC(&alen, sizeof(alen));
	PUBLIC(&slen, sizeof(slen));
	PUBLIC(attest, sizeof(attest));
	PUBLIC(sig, sizeof(sig));
	ok = rc == TV_OK && slen == UTPM_SIG_SIZE && alen <= sizeof(attest) &&
	     pubkey(&root, pub) == TV_OK;
	if (ok) {
		sha256(attest, alen, hash);
		memcpy(rs, sig + 6, 32);
		memcpy(rs + 32, sig + 40, 32);
		ok = ecdsa_p256_verify(pub, hash, rs) == TV_OK;
	}
	tap_ok(ok, "utpm_quote signed with the secret identity key, signature verifies");

	/* Reseed from secret entropy, then random numbers for a PAL. */
	rc = utpm_root_reseed(&root, ent2, sizeof(ent2));
	rc2 = utpm_get_random(&root, &pal_a, rnd, sizeof(rnd));
	PUBLIC(&rc, sizeof(rc));
	PUBLIC(&rc2, sizeof(rc2));
	tap_ok(rc == TV_OK && rc2 == TV_OK,
	       "utpm_root_reseed with secret entropy, utpm_get_random");

	utpm_root_wipe(&root);
	utpm_root_wipe(&root2);
	return tap_finish();
}
