// SPDX-License-Identifier: GPL-2.0
/* ct_memeq and secure_wipe.  Their timing is checked by ct-check.sh. */
#include "lib/ct.h"
#include "selftests/lib/testutil.h"

int main(void)
{
	unsigned char a[300], b[300];
	size_t n, i;
	int bad;

	tap_plan(5);
	tu_seed();

	tap_ok(ct_memeq(a, b, 0) == 1, "zero length compares equal");

	bad = 0;
	for (n = 1; n <= 257; n++) {
		tu_rand_bytes(a, n);
		memcpy(b, a, n);
		bad += ct_memeq(a, b, n) != 1;
	}
	tap_ok(!bad, "equal buffers 1..257 bytes return exactly 1 (%d bad)", bad);

	/* Every position and every single-bit and full-byte difference. */
	bad = 0;
	for (n = 1; n <= 64; n++) {
		for (i = 0; i < n; i++) {
			int bit;

			tu_rand_bytes(a, n);
			memcpy(b, a, n);
			for (bit = 0; bit < 8; bit++) {
				b[i] ^= 1 << bit;
				bad += ct_memeq(a, b, n) != 0;
				b[i] ^= 1 << bit;
			}
			b[i] = ~a[i];
			bad += ct_memeq(a, b, n) != 0;
		}
	}
	tap_ok(!bad, "every differing byte/bit position in 1..64 bytes returns exactly 0 (%d bad)",
	       bad);

	/* Only the first n bytes count. */
	memset(a, 1, sizeof(a));
	memset(b, 1, sizeof(b));
	b[10] = 2;
	tap_ok(ct_memeq(a, b, 10) == 1 && ct_memeq(a, b, 11) == 0, "compares exactly n bytes");

	memset(a, 0xa5, sizeof(a));
	secure_wipe(a + 1, 298);
	tap_ok(a[0] == 0xa5 && tu_all(a + 1, 0, 298) && a[299] == 0xa5,
	       "secure_wipe zeroes exactly the range");
	return tap_finish();
}
