/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the lib/ unit tests: hex vectors and a seeded PRNG for
 * the differential tests.  The seed is printed so a failure can be replayed
 * with TV_TEST_SEED=<seed>.
 */
#ifndef TV_SELFTESTS_LIB_TESTUTIL_H
#define TV_SELFTESTS_LIB_TESTUTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "selftests/tap.h"

static unsigned long long tu_rng_state;

static inline unsigned long long tu_rand64(void)
{
	/* splitmix64: plenty for choosing test inputs. */
	unsigned long long z = (tu_rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Uniform enough in [0, n) for test-input selection. */
static inline size_t tu_rand_below(size_t n)
{
	return n ? (size_t)(tu_rand64() % n) : 0;
}

static inline void tu_rand_bytes(void *p, size_t n)
{
	unsigned char *b = p;

	while (n--)
		*b++ = (unsigned char)tu_rand64();
}

static inline void tu_seed(void)
{
	const char *s = getenv("TV_TEST_SEED");

	tu_rng_state = s ? strtoull(s, NULL, 0) : (unsigned long long)time(NULL);
	tap_diag("TV_TEST_SEED=%llu", tu_rng_state);
}

/* Parses hex into out; returns the byte count (aborts on malformed input). */
static inline size_t tu_unhex(unsigned char *out, size_t cap, const char *hex)
{
	size_t n = strlen(hex) / 2, i;

	if (strlen(hex) % 2 || n > cap) {
		fprintf(stderr, "bad test vector %s\n", hex);
		abort();
	}
	for (i = 0; i < n; i++) {
		unsigned int v;

		if (sscanf(hex + 2 * i, "%2x", &v) != 1) {
			fprintf(stderr, "bad test vector %s\n", hex);
			abort();
		}
		out[i] = (unsigned char)v;
	}
	return n;
}

/* Compares got with the hex string want; prints both on mismatch. */
static inline int tu_eq_hex(const void *got, size_t n, const char *want)
{
	unsigned char w[1024];
	const unsigned char *g = got;
	size_t wn = tu_unhex(w, sizeof(w), want), i;

	if (wn == n && !memcmp(g, w, n))
		return 1;
	printf("# got:  ");
	for (i = 0; i < n; i++)
		printf("%02x", g[i]);
	printf("\n# want: %s\n", want);
	return 0;
}

static inline int tu_all(const void *p, int c, size_t n)
{
	const unsigned char *b = p;

	while (n--)
		if (*b++ != (unsigned char)c)
			return 0;
	return 1;
}

#endif
