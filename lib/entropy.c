// SPDX-License-Identifier: GPL-2.0
/*
 * Hardware entropy: RDSEED (an entropy source, SP 800-90B/C conditioned)
 * when the CPU has it, else RDRAND (the output of Intel's own DRBG, reseeded
 * at least every 511 outputs, so still fit to seed ours).  Both may fail
 * transiently under load, hence the retries; persistent failure is reported,
 * never papered over.
 */
#include "lib/drbg.h"
#include "lib/ct.h"

#define RDSEED_RETRIES 1024	/* Intel: RDSEED may need many tries when drained */
#define RDRAND_RETRIES 10	/* Intel DRNG guide: 10 failures in a row = broken */

static void cpuid(u32 leaf, u32 sub, u32 *a, u32 *b, u32 *c, u32 *d)
{
	__asm__ __volatile__("cpuid"
			     : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d)
			     : "a"(leaf), "c"(sub));
}

static bool rdseed64(u64 *v)
{
	u8 ok;

	__asm__ __volatile__("rdseed %0; setc %1" : "=r"(*v), "=qm"(ok) : : "cc");
	return ok;
}

static bool rdrand64(u64 *v)
{
	u8 ok;

	__asm__ __volatile__("rdrand %0; setc %1" : "=r"(*v), "=qm"(ok) : : "cc");
	return ok;
}

static bool get_word(bool use_rdseed, u64 *v)
{
	int i;

	if (use_rdseed) {
		for (i = 0; i < RDSEED_RETRIES; i++) {
			if (rdseed64(v))
				return true;
			__asm__ __volatile__("pause");
		}
		return false;
	}
	for (i = 0; i < RDRAND_RETRIES; i++)
		if (rdrand64(v))
			return true;
	return false;
}

int hw_entropy(void *buf, size_t len)
{
	u32 a, b, c, d, max_leaf;
	bool has_rdseed = false, has_rdrand;
	size_t total = len;
	u8 *o = buf;
	u64 w = 0;

	if (len && !buf)
		return TV_EINVAL;
	cpuid(0, 0, &max_leaf, &b, &c, &d);
	cpuid(1, 0, &a, &b, &c, &d);
	has_rdrand = c & (1u << 30);
	if (max_leaf >= 7) {
		cpuid(7, 0, &a, &b, &c, &d);
		has_rdseed = b & (1u << 18);
	}
	if (!has_rdseed && !has_rdrand)
		return TV_EENTROPY;

	while (len) {
		size_t n = len < sizeof(w) ? len : sizeof(w);

		if (!get_word(has_rdseed, &w)) {
			/* RDSEED drained or broken: RDRAND is the documented fallback. */
			if (!has_rdrand || !get_word(false, &w)) {
				/* Half-filled output must not pass for a seed. */
				secure_wipe(buf, total);
				secure_wipe(&w, sizeof(w));
				return TV_EENTROPY;
			}
		}
		memcpy(o, &w, n);
		o += n;
		len -= n;
	}
	secure_wipe(&w, sizeof(w));
	return TV_OK;
}
