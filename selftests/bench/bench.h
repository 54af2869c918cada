/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared helpers for the crypto benchmarks (selftests/bench/bench_*.c, run
 * by `make bench-crypto` through selftests/bench/run.sh, which prints the
 * table header).  Each program prints rows only, one per operation:
 *
 *   | operation | ours | OpenSSL | ratio |
 *
 * where both columns are measured in the same run on the same inputs and
 * ratio = our time / OpenSSL's time (1.00 = parity, 2.00 = half as fast).
 * Benchmarks are not tests: they never run in check-unit.
 */
#ifndef TV_SELFTESTS_BENCH_H
#define TV_SELFTESTS_BENCH_H

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static inline double bench_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* Minimum measuring time per operation and implementation; BENCH_SECONDS overrides. */
static inline double bench_min_seconds(void)
{
	const char *s = getenv("BENCH_SECONDS");
	double v = s ? atof(s) : 0.0;

	return v > 0 ? v : 0.3;
}

/*
 * Seconds per call of fn(arg): one warm-up call, then three timing windows
 * (batches doubling until bench_min_seconds() / 3 elapsed); the fastest
 * window counts, which filters out time stolen by other jobs on the host.
 */
static inline double bench_time(void (*fn)(void *arg), void *arg)
{
	double min = bench_min_seconds() / 3, best = 0;
	int w;

	fn(arg);
	for (w = 0; w < 3; w++) {
		unsigned long n = 1, total = 0, i;
		double t0 = bench_now(), t;

		for (;;) {
			for (i = 0; i < n; i++)
				fn(arg);
			total += n;
			t = bench_now() - t0;
			if (t >= min)
				break;
			n *= 2;
		}
		if (!w || t / total < best)
			best = t / total;
	}
	return best;
}

/* Throughput row: bytes processed per call, seconds per call for each side. */
static inline void bench_row_mbps(const char *op, double bytes, double ours_s, double ossl_s)
{
	printf("| %-46s | %9.1f MB/s | %9.1f MB/s | %6.2f |\n", op, bytes / ours_s / 1e6,
	       bytes / ossl_s / 1e6, ours_s / ossl_s);
	fflush(stdout);
}

/* Latency row: seconds per call for each side, printed as microseconds. */
static inline void bench_row_us(const char *op, double ours_s, double ossl_s)
{
	printf("| %-46s | %9.2f us/op | %9.2f us/op | %6.2f |\n", op, ours_s * 1e6,
	       ossl_s * 1e6, ours_s / ossl_s);
	fflush(stdout);
}

#endif
