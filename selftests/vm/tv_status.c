// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/trustvisor with the module loaded: STATUS and CPU_STATUS say every
 * CPU is virtualized, the measurement is the SHA-256 of the image we ship,
 * exit counters move with the exits we cause, bad requests get clean
 * errors, user-mode VMCALL is refused, and a kernel-mode attack on monitor
 * memory neither sees nor changes it (test build), or that the shipped build
 * has no selftest ioctls at all.
 * usage: tv_status test|production IMAGE.bin
 *        tv_status          (the same two from TV_BUILD and TV_IMAGE)
 *
 * The kselftest runner (run_kselftest.sh -t trustvisor:tv_status) runs it
 * with no arguments, so the lane says in the environment which build it
 * loaded and from which image, e.g. TV_BUILD=test
 * TV_IMAGE=/selftests/vmxroot-test.bin.  Without them there is nothing to
 * check the module against, so it bails out (a failure) rather than guess.
 * The runner's own KSELFTEST_TV_STATUS_ARGS="test IMAGE.bin" works as well.
 */
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include "tv_vm.h"
#include "lib/sha256.h"

#define CANARY 0x54564d4f4e43414eULL	/* vmxroot/init.c */
#define CPUID_LOOPS 2000

static int fd;
static int test_build;	/* 1: the test build is expected, 0: the shipped one */

static void test_status(const char *image)
{
	struct tv_status st = { .size = sizeof(st) };
	char hex[2 * 32 + 1];
	u8 digest[32];
	struct stat sb;
	void *img;
	int ifd;

	ksft_test_result(ioctl(fd, TV_IOC_STATUS, &st) == 0, "STATUS ioctl succeeds\n");
	ksft_test_result(st.size == sizeof(st) && st.abi_version == TV_ABI_VERSION,
			 "STATUS: size %u, ABI version %u\n", st.size, st.abi_version);
	ksft_test_result(!!(st.flags & TV_STATUS_F_SELFTEST) == test_build,
			 "STATUS: flags %#x: %s build, as expected\n", st.flags,
			 st.flags & TV_STATUS_F_SELFTEST ? "a test" : "the shipped");
	ksft_test_result(st.nr_cpus_virtualized == (unsigned)nr_cpus_online() &&
			 st.nr_cpus_online == (unsigned)nr_cpus_online(),
			 "STATUS: %u of %u online CPUs virtualized\n", st.nr_cpus_virtualized,
			 st.nr_cpus_online);
	ifd = open(image, O_RDONLY);
	if (ifd < 0 || fstat(ifd, &sb)) {
		ksft_test_result_fail("measurement: cannot read %s\n", image);
		return;
	}
	img = mmap(NULL, sb.st_size, PROT_READ, MAP_PRIVATE, ifd, 0);
	sha256(img, sb.st_size, digest);
	ksft_test_result(st.image_size == (u64)sb.st_size && !memcmp(digest, st.measurement, 32),
			 "STATUS: measurement is SHA-256 of %s (%lld bytes)\n", image,
			 (long long)sb.st_size);
	for (int i = 0; i < 32; i++)
		sprintf(hex + 2 * i, "%02x", st.measurement[i]);
	ksft_print_msg("measurement %s\n", hex);
	munmap(img, sb.st_size);
	close(ifd);
}

static void test_counters(void)
{
	for (int cpu = 0; cpu < nr_cpus_online(); cpu++) {
		struct tv_cpu_status a, b;
		unsigned int r[4];
		int ok;

		ok = !pin_to_cpu(cpu) && !tv_cpu_status(fd, cpu, &a);
		for (int i = 0; i < CPUID_LOOPS; i++)
			cpuid_raw(0, r);
		ok = ok && !tv_cpu_status(fd, cpu, &b);
		ksft_test_result(ok && a.online && a.virtualized &&
				 b.exits[10] - a.exits[10] >= CPUID_LOOPS,
				 "CPU %d: virtualized, CPUID exit counter moved by %llu (>= %d)\n",
				 cpu, (unsigned long long)(b.exits[10] - a.exits[10]),
				 CPUID_LOOPS);
		ksft_print_msg("CPU %d exits: cpuid %llu vmcall %llu cr %llu xsetbv %llu ept %llu nmi %llu\n",
			       cpu, (unsigned long long)b.exits[10],
			       (unsigned long long)b.exits[18], (unsigned long long)b.exits[28],
			       (unsigned long long)b.exits[55], (unsigned long long)b.exits[48],
			       (unsigned long long)b.exits[0]);
	}
}

/* A hypercall from user mode: #UD, and for LEAVE every CPU stays inside. */
static void test_user_vmcall(unsigned long nr, const char *what)
{
	struct tv_status st = { .size = sizeof(st) };
	int status = 0;
	pid_t pid = fork();

	if (pid == 0) {
		asm volatile("vmcall" : : "a"(nr) : "memory");
		_exit(0);
	}
	waitpid(pid, &status, 0);
	ioctl(fd, TV_IOC_STATUS, &st);
	ksft_test_result(WIFSIGNALED(status) && WTERMSIG(status) == SIGILL &&
			 st.nr_cpus_virtualized == (unsigned int)nr_cpus_online(),
			 "VMCALL %s from user mode is refused with #UD (status %#x), %u CPUs still inside\n",
			 what, status, st.nr_cpus_virtualized);
}

/* Runs one bad request; returns the errno it failed with, or 0 if it succeeded. */
static int fails_with(unsigned long cmd, void *arg)
{
	errno = 0;
	return ioctl(fd, cmd, arg) == -1 ? errno : 0;
}

static void test_bad_requests(void)
{
	struct tv_status st = { .size = 4 };
	struct tv_cpu_status cs = { .size = sizeof(cs), .cpu = 1 << 20 };
	int e;

	e = fails_with(_IO(TV_IOC_MAGIC, 0x42), NULL);
	ksft_test_result(e == ENOTTY, "unknown ioctl number: ENOTTY (got %s)\n", strerror(e));
	e = fails_with(TV_IOC_STATUS, NULL);
	ksft_test_result(e == EFAULT, "STATUS with a NULL pointer: EFAULT (got %s)\n",
			 strerror(e));
	e = fails_with(TV_IOC_STATUS, (void *)8);
	ksft_test_result(e == EFAULT, "STATUS with a wild pointer: EFAULT (got %s)\n",
			 strerror(e));
	e = fails_with(TV_IOC_STATUS, &st);
	ksft_test_result(e == EINVAL, "STATUS with size 4: EINVAL (got %s)\n", strerror(e));
	st.size = 16;
	st.nr_cpus_online = 0xdead;
	e = fails_with(TV_IOC_STATUS, &st);
	ksft_test_result(!e && st.size == sizeof(st) &&
			 st.nr_cpus_online == (unsigned)nr_cpus_online() &&
			 st.nr_cpus_virtualized == 0,
			 "STATUS with an older, shorter struct: only its 16 bytes written (got %s)\n",
			 strerror(e));
	e = fails_with(TV_IOC_CPU_STATUS, &cs);
	ksft_test_result(e == EINVAL, "CPU_STATUS for CPU 1048576: EINVAL (got %s)\n",
			 strerror(e));
}

static void test_probe(void)
{
	struct tv_probe_result pr = { .size = sizeof(pr) };
	int ret = ioctl(fd, TV_IOC_PROBE_MONITOR, &pr);

	ksft_test_result(ret == 0, "kernel-mode probe of monitor memory ran (%s)\n",
			 ret ? strerror(errno) : "ok");
	ksft_test_result(pr.read_faulted && !pr.read_matched,
			 "kernel read of monitor memory faulted and saw nothing (faulted %u, matched %u)\n",
			 pr.read_faulted, pr.read_matched);
	ksft_test_result(pr.write_faulted && pr.canary_before == CANARY &&
			 pr.canary_after == CANARY,
			 "kernel write to the monitor canary faulted, canary intact (%llx -> %llx)\n",
			 (unsigned long long)pr.canary_before,
			 (unsigned long long)pr.canary_after);
}

/* The shipped build: the selftest ioctls do not exist at all. */
static void test_no_scaffolding(void)
{
	struct tv_probe_result pr = { .size = sizeof(pr) };
	struct tv_nmi_test t = { .size = sizeof(t), .per_cpu = 1 };
	int e1 = fails_with(TV_IOC_PROBE_MONITOR, &pr), e2 = fails_with(TV_IOC_TEST_NMI, &t);

	ksft_test_result(e1 == ENOTTY && e2 == ENOTTY,
			 "shipped build: PROBE_MONITOR and TEST_NMI do not exist (%s, %s)\n",
			 strerror(e1), strerror(e2));
}

/* NMIs sent to every CPU all reach Linux, through the monitor's NMI path. */
static void test_nmi(void)
{
	struct tv_nmi_test t = { .size = sizeof(t), .per_cpu = 20 };
	int n = nr_cpus_online(), ret;
	u64 nmi = 0, win = 0;

	for (int cpu = 0; cpu < n; cpu++) {
		struct tv_cpu_status cs;

		tv_cpu_status(fd, cpu, &cs);
		nmi -= cs.exits[0];
		win -= cs.exits[8];
	}
	ret = ioctl(fd, TV_IOC_TEST_NMI, &t);
	for (int cpu = 0; cpu < n; cpu++) {
		struct tv_cpu_status cs;

		tv_cpu_status(fd, cpu, &cs);
		nmi += cs.exits[0];
		win += cs.exits[8];
	}
	ksft_test_result(ret == 0 && t.sent == 20u * n && t.received == t.sent,
			 "NMIs: %u sent to %d CPUs, %u reached Linux's handler\n", t.sent, n,
			 t.received);
	ksft_test_result(nmi >= t.sent && win >= t.sent,
			 "NMIs: each exited to the monitor (%llu) and went back through the NMI window (%llu)\n",
			 (unsigned long long)nmi, (unsigned long long)win);
}

static int is_build(const char *s)
{
	return s && (!strcmp(s, "test") || !strcmp(s, "production"));
}

int main(int argc, char **argv)
{
	const char *build = argc > 1 ? argv[1] : getenv("TV_BUILD");
	const char *image = argc > 2 ? argv[2] : getenv("TV_IMAGE");

	if (argc != 1 && (argc != 3 || !is_build(argv[1]))) {
		fprintf(stderr, "usage: %s test|production IMAGE.bin\n"
			"   or: TV_BUILD=test|production TV_IMAGE=IMAGE.bin %s\n",
			argv[0], argv[0]);
		return KSFT_FAIL;
	}
	if (!is_build(build) || !image || !*image) {
		ksft_print_header();
		ksft_exit_fail_msg("which build, which image? no arguments, and TV_BUILD=%s TV_IMAGE=%s (want test|production and IMAGE.bin)\n",
				   build ? build : "(unset)", image ? image : "(unset)");
	}
	test_build = !strcmp(build, "test");
	tv_ksft_start(5 + nr_cpus_online() + 2 + 6 + (test_build ? 3 + 2 : 1) + 1);
	fd = tv_open();
	ksft_test_result(fd >= 0, "open %s (%s)\n", TV_DEVICE, fd >= 0 ? "ok" : strerror(errno));
	if (fd < 0)
		ksft_finished();
	test_status(image);
	test_counters();
	test_user_vmcall(0x7456000, "PING");
	test_user_vmcall(0x7456001, "LEAVE");
	test_bad_requests();
	if (test_build) {
		test_probe();
		test_nmi();
	} else {
		test_no_scaffolding();
	}
	close(fd);
	ksft_finished();
}
