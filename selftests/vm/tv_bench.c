// SPDX-License-Identifier: GPL-2.0
/*
 * In-VM benchmark figures (printed, not asserted):
 *   tv_bench cpuid LABEL        cycles for one CPUID, pinned to CPU 0
 *   tv_bench exits SECONDS LABEL  VM exits per second by reason, all CPUs
 */
#include <stdint.h>
#include <stdlib.h>
#include <x86intrin.h>
#include "tv_vm.h"

static const char *const reason_name[TV_EXIT_REASON_MAX] = {
	[0] = "exception/NMI", [1] = "external interrupt", [2] = "triple fault",
	[3] = "INIT", [4] = "SIPI", [7] = "interrupt window", [8] = "NMI window",
	[10] = "CPUID", [11] = "GETSEC", [12] = "HLT", [13] = "INVD", [18] = "VMCALL",
	[28] = "CR access", [31] = "RDMSR", [32] = "WRMSR", [48] = "EPT violation",
	[49] = "EPT misconfig", [55] = "XSETBV",
};

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static int bench_cpuid(const char *label)
{
	enum { N = 2001 };
	static uint64_t t[N];
	unsigned int r[4], aux;

	pin_to_cpu(0);
	for (int i = 0; i < N; i++) {
		uint64_t a = __rdtscp(&aux);

		cpuid_raw(0, r);
		t[i] = __rdtscp(&aux) - a;
	}
	qsort(t, N, sizeof(t[0]), cmp_u64);
	printf("BENCH cpuid %-14s median %6llu cycles  p10 %6llu  p90 %6llu  (%d samples)\n",
	       label, (unsigned long long)t[N / 2], (unsigned long long)t[N / 10],
	       (unsigned long long)t[N * 9 / 10], N);
	return 0;
}

static int bench_exits(int secs, const char *label)
{
	struct tv_status a = { .size = sizeof(a) }, b = { .size = sizeof(b) };
	int fd = tv_open();
	uint64_t total = 0;

	if (fd < 0 || ioctl(fd, TV_IOC_STATUS, &a)) {
		perror("STATUS");
		return 1;
	}
	sleep(secs);
	if (ioctl(fd, TV_IOC_STATUS, &b)) {
		perror("STATUS");
		return 1;
	}
	/* Each STATUS costs one VMCALL per CPU; subtract ours. */
	b.exits[18] -= a.nr_cpus_online;
	for (int i = 0; i < TV_EXIT_REASON_MAX; i++) {
		uint64_t d = b.exits[i] - a.exits[i];

		total += d;
		if (d)
			printf("BENCH exits %-5s reason %2d %-18s %10.1f /s\n", label, i,
			       reason_name[i] ? reason_name[i] : "?", (double)d / secs);
	}
	printf("BENCH exits %-5s total %10.1f /s over %d s on %u CPUs\n", label,
	       (double)total / secs, secs, b.nr_cpus_virtualized);
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "cpuid"))
		return bench_cpuid(argv[2]);
	if (argc == 4 && !strcmp(argv[1], "exits"))
		return bench_exits(atoi(argv[2]), argv[3]);
	fprintf(stderr, "usage: %s cpuid LABEL | exits SECONDS LABEL\n", argv[0]);
	return 2;
}
