// SPDX-License-Identifier: GPL-2.0
/*
 * In-VM benchmark figures (printed, not asserted):
 *   tv_bench cpuid LABEL        cycles for one CPUID, pinned to CPU 0
 *   tv_bench exits SECONDS LABEL  VM exits per second by reason, all CPUs
 *   tv_bench pal                a null PAL call beside CPUID and getpid, and
 *                               load/unload of a 4 KiB and a 1 MiB PAL
 * Ticks are the TSC's; under Bochs they are emulated and are not µs.
 */
#include <stdint.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <x86intrin.h>
#include "tv_vm.h"
#include "trustvisor/pal_abi.h"

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
	/* Each STATUS costs one VMCALL per CPU and one for the PAL counts; subtract ours. */
	b.exits[18] -= a.nr_cpus_online + 1;
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

/* A PAL image: code that exits at once (status 0, no output), and `data` bytes of data. */
static void *pal_image(size_t data, size_t *len)
{
	static const uint8_t code[] = {
		0x31, 0xff, 0x31, 0xf6,				/* xor edi, edi; xor esi, esi */
		0xb8, 0x00, 0x62, 0x45, 0x07, 0x0f, 0x01, 0xc1,	/* mov eax, EXIT; vmcall */
	};
	int n = data ? 2 : 1;
	struct tv_pal_header *h;
	struct tv_pal_section *s;
	uint8_t *p;

	*len = sizeof(*h) + n * sizeof(*s) + sizeof(code) + data;
	h = calloc(1, *len);
	s = (void *)(h + 1);
	memcpy(h->magic, TV_PAL_MAGIC, 8);
	h->format = TV_PAL_FORMAT;
	h->header_size = sizeof(*h);
	h->nr_sections = n;
	h->isa = TV_PAL_ISA_V1;
	h->entry = TV_PAL_VA_BASE;
	h->stack_size = 4096;
	s[0] = (struct tv_pal_section){ TV_PAL_VA_BASE, 4096, sizeof(code),
					TV_PAL_SEC_R | TV_PAL_SEC_X, 0 };
	if (data)
		s[1] = (struct tv_pal_section){ TV_PAL_VA_BASE + 4096, data, data,
						TV_PAL_SEC_R | TV_PAL_SEC_W, 0 };
	p = (uint8_t *)(s + n);
	memcpy(p, code, sizeof(code));
	for (size_t i = 0; i < data; i++)
		p[sizeof(code) + i] = (uint8_t)(i * 131);
	return h;
}

static unsigned int status_vmcalls;	/* VMCALLs one STATUS makes: a CPU each, the PAL counts */

/* All exits so far, and VMCALLs in *vmcalls, as one STATUS sees them. */
static uint64_t total_exits(int fd, uint64_t *vmcalls)
{
	struct tv_status st = { .size = sizeof(st) };
	uint64_t t = 0;

	ioctl(fd, TV_IOC_STATUS, &st);
	for (int i = 0; i < TV_EXIT_REASON_MAX; i++)
		t += st.exits[i];
	*vmcalls = st.exits[18];
	status_vmcalls = st.nr_cpus_online + 1;
	return t;
}

/*
 * An interval between two STATUS readings also holds VMCALLs of those two
 * STATUS calls (some counted before their reading, some after): one
 * STATUS's worth in all, taken off here.
 */
static double per_op(uint64_t a, uint64_t b, int n)
{
	return (double)(b - a - status_vmcalls) / n;
}

static void print_ticks(const char *what, uint64_t *t, int n, double exits, double vmcalls)
{
	qsort(t, n, sizeof(t[0]), cmp_u64);
	printf("BENCH pal %-24s median %9llu ticks  p10 %9llu  p90 %9llu  exits/op %6.2f (VMCALL %5.2f)  (%d ops)\n",
	       what, (unsigned long long)t[n / 2], (unsigned long long)t[n / 10],
	       (unsigned long long)t[n * 9 / 10], exits, vmcalls, n);
}

static int bench_load(int fd, const char *what, size_t data)
{
	enum { N = 11 };
	uint64_t tl[N], tu[N], e0, e1, e2, v0, v1, v2, el = 0, eu = 0, vl = 0, vu = 0;
	struct tv_pal_load l = { .size = sizeof(l) };
	struct tv_pal_unload u = { .size = sizeof(u) };
	unsigned int aux;
	char name[64];
	size_t len;
	void *img = pal_image(data, &len);

	l.image = (uintptr_t)img;
	l.image_len = len;
	for (int i = 0; i < N; i++) {
		uint64_t a;

		e0 = total_exits(fd, &v0);
		a = __rdtscp(&aux);
		if (ioctl(fd, TV_IOC_PAL_LOAD, &l)) {
			perror("PAL_LOAD");
			return 1;
		}
		tl[i] = __rdtscp(&aux) - a;
		e1 = total_exits(fd, &v1);
		u.handle = l.handle;
		a = __rdtscp(&aux);
		ioctl(fd, TV_IOC_PAL_UNLOAD, &u);
		tu[i] = __rdtscp(&aux) - a;
		e2 = total_exits(fd, &v2);
		el += e1 - e0 - status_vmcalls;
		eu += e2 - e1 - status_vmcalls;
		vl += v1 - v0 - status_vmcalls;
		vu += v2 - v1 - status_vmcalls;
	}
	snprintf(name, sizeof(name), "load %s", what);
	print_ticks(name, tl, N, (double)el / N, (double)vl / N);
	snprintf(name, sizeof(name), "unload %s", what);
	print_ticks(name, tu, N, (double)eu / N, (double)vu / N);
	free(img);
	return 0;
}

static int bench_pal(void)
{
	enum { N = 501 };
	static uint64_t t[N];
	struct tv_pal_load l = { .size = sizeof(l) };
	struct tv_pal_call c = { .size = sizeof(c) };
	uint64_t e0, e1, v0, v1;
	unsigned int r[4], aux;
	int fd = tv_open();
	size_t len;
	void *img = pal_image(0, &len);

	pin_to_cpu(0);
	if (fd < 0) {
		perror(TV_DEVICE);
		return 1;
	}
	l.image = (uintptr_t)img;
	l.image_len = len;
	if (ioctl(fd, TV_IOC_PAL_LOAD, &l)) {
		perror("PAL_LOAD");
		return 1;
	}
	c.handle = l.handle;
	e0 = total_exits(fd, &v0);
	for (int i = 0; i < N; i++) {
		uint64_t a = __rdtscp(&aux);

		ioctl(fd, TV_IOC_PAL_CALL, &c);
		t[i] = __rdtscp(&aux) - a;
	}
	e1 = total_exits(fd, &v1);
	print_ticks("null call", t, N, per_op(e0, e1, N), per_op(v0, v1, N));
	e0 = total_exits(fd, &v0);
	for (int i = 0; i < N; i++) {
		uint64_t a = __rdtscp(&aux);

		cpuid_raw(0, r);
		t[i] = __rdtscp(&aux) - a;
	}
	e1 = total_exits(fd, &v1);
	print_ticks("CPUID", t, N, per_op(e0, e1, N), per_op(v0, v1, N));
	e0 = total_exits(fd, &v0);
	for (int i = 0; i < N; i++) {
		uint64_t a = __rdtscp(&aux);

		syscall(SYS_getpid);
		t[i] = __rdtscp(&aux) - a;
	}
	e1 = total_exits(fd, &v1);
	print_ticks("getpid", t, N, per_op(e0, e1, N), per_op(v0, v1, N));
	struct tv_pal_unload u = { .size = sizeof(u), .handle = l.handle };
	ioctl(fd, TV_IOC_PAL_UNLOAD, &u);
	free(img);
	if (bench_load(fd, "4 KiB", 0) || bench_load(fd, "1 MiB", TV_PAL_MAX_MEM - 4096))
		return 1;
	printf("BENCH pal published TrustVisor on XMHF64 (i5-7600, in µs, not ticks): "
	       "register 91.7, invoke 23.1, terminate 15.8, unregister 20.0\n");
	printf("BENCH pal these are Bochs TSC ticks (emulated), not µs: compare ratios, "
	       "e.g. a null call against CPUID and getpid in the same run\n");
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "pal"))
		return bench_pal();
	if (argc == 3 && !strcmp(argv[1], "cpuid"))
		return bench_cpuid(argv[2]);
	if (argc == 4 && !strcmp(argv[1], "exits"))
		return bench_exits(atoi(argv[2]), argv[3]);
	fprintf(stderr, "usage: %s cpuid LABEL | exits SECONDS LABEL | pal\n", argv[0]);
	return 2;
}
