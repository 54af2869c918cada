// SPDX-License-Identifier: GPL-2.0
/*
 * tvctl: look at a running TrustVisor.
 *   tvctl status            monitor version, measurement, CPUs, exits by reason
 *   tvctl cpu N             one CPU's state and exit counters
 *   tvctl measure IMAGE     SHA-256 of a monitor image, to compare with status
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include "uapi/trustvisor.h"
#include "lib/sha256.h"

static const char *const exit_names[TV_EXIT_REASON_MAX] = {
	[0] = "exception/NMI", [1] = "external-interrupt", [2] = "triple-fault",
	[3] = "INIT", [4] = "SIPI", [8] = "NMI-window", [10] = "CPUID", [11] = "GETSEC",
	[13] = "INVD", [18] = "VMCALL", [19] = "VMCLEAR", [20] = "VMLAUNCH",
	[21] = "VMPTRLD", [22] = "VMPTRST", [23] = "VMREAD", [24] = "VMRESUME",
	[25] = "VMWRITE", [26] = "VMXOFF", [27] = "VMXON", [28] = "CR-access",
	[31] = "RDMSR", [32] = "WRMSR", [33] = "invalid-guest-state", [48] = "EPT-violation",
	[49] = "EPT-misconfig", [50] = "INVEPT", [53] = "INVVPID", [55] = "XSETBV",
};

static void print_hex(const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		printf("%02x", p[i]);
	printf("\n");
}

static void print_exits(const __u64 *exits)
{
	for (int i = 0; i < TV_EXIT_REASON_MAX; i++)
		if (exits[i])
			printf("  exit %2d %-20s %llu\n", i, exit_names[i] ? exit_names[i] : "?",
			       (unsigned long long)exits[i]);
}

static int open_dev(void)
{
	int fd = open(TV_DEVICE, O_RDWR | O_CLOEXEC);

	if (fd < 0)
		fprintf(stderr, "tvctl: %s: %s%s\n", TV_DEVICE, strerror(errno),
			errno == ENOENT ? " (is trustvisor.ko loaded?)" : "");
	return fd;
}

static int cmd_status(void)
{
	struct tv_status st = { .size = sizeof(st) };
	int fd = open_dev();

	if (fd < 0)
		return 1;
	if (ioctl(fd, TV_IOC_STATUS, &st)) {
		fprintf(stderr, "tvctl: STATUS: %s\n", strerror(errno));
		return 1;
	}
	printf("monitor version   %u.%u.%u (ABI %u)\n", st.monitor_version >> 16,
	       (st.monitor_version >> 8) & 0xff, st.monitor_version & 0xff, st.abi_version);
	printf("measurement       ");
	print_hex(st.measurement, sizeof(st.measurement));
	printf("image size        %llu bytes\n", (unsigned long long)st.image_size);
	printf("monitor memory    %llu KiB\n", (unsigned long long)st.monitor_memory >> 10);
	printf("CPUs virtualized  %u (%u online)\n", st.nr_cpus_virtualized, st.nr_cpus_online);
	printf("VM exits (all CPUs):\n");
	print_exits(st.exits);
	return 0;
}

static int cmd_cpu(const char *arg)
{
	struct tv_cpu_status cs = { .size = sizeof(cs) };
	char *end;
	int fd;

	cs.cpu = (__u32)strtoul(arg, &end, 10);
	if (!*arg || *end) {
		fprintf(stderr, "tvctl: cpu: '%s' is not a CPU number\n", arg);
		return 2;
	}
	fd = open_dev();
	if (fd < 0)
		return 1;
	if (ioctl(fd, TV_IOC_CPU_STATUS, &cs)) {
		fprintf(stderr, "tvctl: CPU_STATUS %u: %s\n", cs.cpu, strerror(errno));
		return 1;
	}
	printf("CPU %u: %s, %s\n", cs.cpu, cs.online ? "online" : "offline",
	       cs.virtualized ? "virtualized" : "not virtualized");
	print_exits(cs.exits);
	return 0;
}

static int cmd_measure(const char *path)
{
	unsigned char digest[32];
	struct stat sb;
	void *p;
	int fd = open(path, O_RDONLY);

	if (fd < 0 || fstat(fd, &sb)) {
		fprintf(stderr, "tvctl: %s: %s\n", path, strerror(errno));
		return 1;
	}
	p = mmap(NULL, sb.st_size ? sb.st_size : 1, PROT_READ, MAP_PRIVATE, fd, 0);
	if (p == MAP_FAILED) {
		fprintf(stderr, "tvctl: %s: %s\n", path, strerror(errno));
		return 1;
	}
	sha256(p, sb.st_size, digest);
	print_hex(digest, sizeof(digest));
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "status"))
		return cmd_status();
	if (argc == 3 && !strcmp(argv[1], "cpu"))
		return cmd_cpu(argv[2]);
	if (argc == 3 && !strcmp(argv[1], "measure"))
		return cmd_measure(argv[2]);
	fprintf(stderr, "usage: tvctl status | cpu N | measure IMAGE\n");
	return 2;
}
