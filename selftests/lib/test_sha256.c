// SPDX-License-Identifier: GPL-2.0
/* SHA-256: FIPS 180-4 examples, then differential against OpenSSL. */
#include <openssl/evp.h>
#include "lib/sha256.h"
#include "selftests/lib/testutil.h"

static void ossl_sha256(const void *p, size_t n, unsigned char out[32])
{
	if (!EVP_Digest(p, n, out, NULL, EVP_sha256(), NULL))
		abort();
}

/* Hashes msg with random update splits (including empty updates). */
static void split_sha256(const unsigned char *msg, size_t n, unsigned char out[32])
{
	struct sha256_ctx ctx;
	size_t off = 0;

	sha256_init(&ctx);
	while (off < n) {
		size_t k = tu_rand_below(4) ? tu_rand_below(n - off + 1) : tu_rand_below(70);

		if (k > n - off)
			k = n - off;
		sha256_update(&ctx, msg + off, k);
		off += k;
	}
	sha256_update(&ctx, msg, 0);
	sha256_final(&ctx, out);
}

int main(void)
{
	static unsigned char msg[20000];
	unsigned char a[32], b[32];
	struct sha256_ctx ctx;
	int i, bad;

	tap_plan(9);
	tu_seed();

	sha256("abc", 3, a);
	tap_ok(tu_eq_hex(a, 32, "ba7816bf8f01cfea414140de5dae2223"
				"b00361a396177a9cb410ff61f20015ad"), "FIPS 180-4 \"abc\"");
	sha256("", 0, a);
	tap_ok(tu_eq_hex(a, 32, "e3b0c44298fc1c149afbf4c8996fb924"
				"27ae41e4649b934ca495991b7852b855"), "empty message");
	sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56, a);
	tap_ok(tu_eq_hex(a, 32, "248d6a61d20638b8e5c026930c3e6039"
				"a33ce45964ff2167f6ecedd419db06c1"),
	       "FIPS 180-4 two-block message");

	memset(msg, 'a', 1000);
	sha256_init(&ctx);
	for (i = 0; i < 1000; i++)
		sha256_update(&ctx, msg, 1000);
	sha256_final(&ctx, a);
	tap_ok(tu_eq_hex(a, 32, "cdc76e5c9914fb9281a1c7e284d73e67"
				"f1809a48a497200e046d39ccc7112cd0"), "one million 'a'");

	/* Every length around the padding boundaries, one-shot. */
	bad = 0;
	tu_rand_bytes(msg, sizeof(msg));
	for (i = 0; i <= 1100; i++) {
		sha256(msg, i, a);
		ossl_sha256(msg, i, b);
		bad += !!memcmp(a, b, 32);
	}
	tap_ok(!bad, "lengths 0..1100 one-shot match OpenSSL (%d bad)", bad);

	bad = 0;
	for (i = 0; i < 3000; i++) {
		size_t n = tu_rand_below(4) ? tu_rand_below(300) : tu_rand_below(sizeof(msg));

		tu_rand_bytes(msg, n);
		split_sha256(msg, n, a);
		ossl_sha256(msg, n, b);
		bad += !!memcmp(a, b, 32);
	}
	tap_ok(!bad, "3000 random messages with random update splits match OpenSSL (%d bad)", bad);

	/* Byte-at-a-time must agree with one-shot. */
	tu_rand_bytes(msg, 300);
	sha256_init(&ctx);
	for (i = 0; i < 300; i++)
		sha256_update(&ctx, msg + i, 1);
	sha256_final(&ctx, a);
	ossl_sha256(msg, 300, b);
	tap_ok(!memcmp(a, b, 32), "byte-at-a-time updates");

	/* final() wipes the context (it held message-derived state). */
	sha256_init(&ctx);
	sha256_update(&ctx, msg, 100);
	sha256_final(&ctx, a);
	tap_ok(tu_all(&ctx, 0, sizeof(ctx)), "sha256_final wipes the context");

	/* A single flipped input bit changes the digest (sanity of the test harness). */
	sha256(msg, 300, a);
	msg[150] ^= 1;
	sha256(msg, 300, b);
	tap_ok(memcmp(a, b, 32) != 0, "bit flip changes digest");

	return tap_finish();
}
