// SPDX-License-Identifier: GPL-2.0
/*
 * Constant-time check for P-256 keygen and ECDSA signing, run under valgrind
 * memcheck by ct-check.sh: the seed and the private key are marked undefined,
 * so any branch or memory index that depends on them (or on the nonce derived
 * from them) is reported as a use of uninitialised data.  Outputs are marked
 * defined before this program looks at them; the library itself declassifies
 * only what it is about to make public (see lib/ecdsa.c).
 */
#include <string.h>

#include "lib/ecdsa.h"
#include "selftests/lib/ctcheck.h"
#include "selftests/tap.h"

int main(void)
{
	u8 seed[32], priv[32], pub[65], hash[32], sig[64];
	int i, rc, ok;

	tap_plan(2);
	for (i = 0; i < 32; i++) {
		seed[i] = (u8)(i * 7 + 1);
		hash[i] = (u8)(i * 13 + 5);
	}

	SECRET(seed, sizeof(seed));
	rc = p256_keygen(seed, priv, pub);
	PUBLIC(&rc, sizeof(rc));
	PUBLIC(pub, sizeof(pub));
	tap_ok(rc == TV_OK, "p256_keygen with an undefined seed");

	/* The key keygen produced is secret whatever valgrind thinks of it. */
	SECRET(priv, sizeof(priv));
	ok = 1;
	for (i = 0; i < 2; i++) {
		rc = ecdsa_p256_sign(priv, hash, sig);
		PUBLIC(&rc, sizeof(rc));
		PUBLIC(sig, sizeof(sig));
		ok &= rc == TV_OK && ecdsa_p256_verify(pub, hash, sig) == TV_OK;
		hash[0] ^= 1;
	}
	tap_ok(ok, "ecdsa_p256_sign with an undefined private key (2 hashes)");
	return tap_finish();
}
