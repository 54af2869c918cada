// SPDX-License-Identifier: GPL-2.0
/*
 * tvctl: look at a running TrustVisor and run PALs on it.
 *   tvctl status            monitor version, measurement, CPUs, PALs, exits by reason
 *   tvctl cpu N             one CPU's state and exit counters
 *   tvctl measure FILE      SHA-256 of a monitor image or of a PAL image
 *   tvctl inspect PAL       a PAL image's header and sections
 *   tvctl run PAL ...       load a PAL, call it once, unload it
 */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include "uapi/trustvisor.h"
#include "lib/sha256.h"
#include "libtrustvisor.h"

static const char usage_text[] =
	"usage: tvctl COMMAND [ARGS]\n"
	"  status                  the monitor: version, measurement, CPUs, PALs, VM exits\n"
	"  cpu N                   CPU N: online, virtualized, its VM exits\n"
	"  measure FILE            SHA-256 of a monitor image (compare with status) or of a\n"
	"                          PAL image (its identity), after checking the PAL image\n"
	"  inspect PAL             a PAL image's header and section table, after checking it\n"
	"  run PAL [--cmd N] [--in FILE] [--out FILE]\n"
	"                          load PAL, call it once with command N (default 0) and\n"
	"                          FILE's bytes as input (default none), unload it; prints\n"
	"                          'status S' and 'output N bytes', writing the output to\n"
	"                          --out FILE if given; exits 0 whenever the PAL returned\n"
	"  help, --help            this text\n";

static const char *const exit_names[TV_EXIT_REASON_MAX] = {
	[0] = "exception/NMI", [1] = "external-interrupt", [2] = "triple-fault",
	[3] = "INIT", [4] = "SIPI", [8] = "NMI-window", [10] = "CPUID", [11] = "GETSEC",
	[13] = "INVD", [18] = "VMCALL", [19] = "VMCLEAR", [20] = "VMLAUNCH",
	[21] = "VMPTRLD", [22] = "VMPTRST", [23] = "VMREAD", [24] = "VMRESUME",
	[25] = "VMWRITE", [26] = "VMXOFF", [27] = "VMXON", [28] = "CR-access",
	[31] = "RDMSR", [32] = "WRMSR", [33] = "invalid-guest-state", [48] = "EPT-violation",
	[49] = "EPT-misconfig", [50] = "INVEPT", [53] = "INVVPID", [55] = "XSETBV",
};

static int usage_error(const char *cmd, const char *what)
{
	fprintf(stderr, "tvctl: %s: %s\n%s", cmd, what, usage_text);
	return 2;
}

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

/* True if the module filled `field` (it writes back the size it knows). */
#define HAS_FIELD(st, field) ((st).size >= offsetof(typeof(st), field) + sizeof((st).field))

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
	if (HAS_FIELD(st, max_pals))
		printf("PALs loaded       %u/%u\n", st.nr_pals, st.max_pals);
	else
		printf("PALs loaded       (not reported by this module)\n");
	if (HAS_FIELD(st, denied_accesses))
		printf("denied accesses   %llu\n", (unsigned long long)st.denied_accesses);
	else
		printf("denied accesses   (not reported by this module)\n");
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

/* A whole file, mapped read-only; NULL (message printed) on failure. */
static void *map_file(const char *cmd, const char *path, size_t *len)
{
	struct stat sb;
	void *p;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0 || fstat(fd, &sb)) {
		fprintf(stderr, "tvctl: %s: %s: %s\n", cmd, path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	p = mmap(NULL, sb.st_size ? sb.st_size : 1, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (p == MAP_FAILED) {
		fprintf(stderr, "tvctl: %s: %s: %s\n", cmd, path, strerror(errno));
		return NULL;
	}
	*len = sb.st_size;
	return p;
}

static int is_pal_image(const void *p, size_t len)
{
	return len >= sizeof(TV_PAL_MAGIC) && !memcmp(p, TV_PAL_MAGIC, sizeof(TV_PAL_MAGIC));
}

/* A file that claims to be a PAL image: 0 if it is a valid one. */
static int check_pal(const char *cmd, const char *path, const void *p, size_t len)
{
	int reason = tv_pal_image_reason(p, len);

	if (reason)
		fprintf(stderr, "tvctl: %s: %s: not a valid PAL image: %s\n", cmd, path,
			tv_pal_img_strerror(reason));
	return reason;
}

static int cmd_measure(const char *path)
{
	unsigned char digest[32];
	size_t len;
	void *p = map_file("measure", path, &len);

	if (!p)
		return 1;
	if (is_pal_image(p, len) && check_pal("measure", path, p, len))
		return 1;
	sha256(p, len, digest);
	print_hex(digest, sizeof(digest));
	return 0;
}

static int cmd_inspect(const char *path)
{
	const struct tv_pal_section *s;
	struct tv_pal_header h;
	size_t len;
	unsigned char *p = map_file("inspect", path, &len);

	if (!p)
		return 1;
	if (!is_pal_image(p, len)) {
		fprintf(stderr, "tvctl: inspect: %s: not a PAL image (no %s magic)\n", path,
			TV_PAL_MAGIC);
		return 1;
	}
	if (check_pal("inspect", path, p, len))
		return 1;
	memcpy(&h, p, sizeof(h));
	printf("format            %u\n", h.format);
	printf("isa               x86-64-v%u\n", h.isa);
	printf("entry             0x%llx\n", (unsigned long long)h.entry);
	printf("stack             %llu bytes\n", (unsigned long long)h.stack_size);
	printf("sections          %u\n", h.nr_sections);
	/* The table follows the 8-byte aligned header in a page-aligned mapping. */
	s = (const struct tv_pal_section *)(p + sizeof(h));
	for (unsigned int i = 0; i < h.nr_sections; i++)
		printf("  %u 0x%08llx-0x%08llx %c%c%c memsz %llu filesz %llu\n", i,
		       (unsigned long long)s[i].vaddr,
		       (unsigned long long)(s[i].vaddr + s[i].memsz),
		       s[i].flags & TV_PAL_SEC_R ? 'r' : '-', s[i].flags & TV_PAL_SEC_W ? 'w' : '-',
		       s[i].flags & TV_PAL_SEC_X ? 'x' : '-', (unsigned long long)s[i].memsz,
		       (unsigned long long)s[i].filesz);
	return 0;
}

/* Up to `cap` bytes of a file into buf; -1 (message printed) on failure. */
static long read_input(const char *path, void *buf, size_t cap)
{
	size_t got = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		fprintf(stderr, "tvctl: run: --in %s: %s\n", path, strerror(errno));
		return -1;
	}
	for (;;) {
		ssize_t n = read(fd, (char *)buf + got, cap + 1 - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			fprintf(stderr, "tvctl: run: --in %s: %s\n", path, strerror(errno));
			close(fd);
			return -1;
		}
		if (!n)
			break;
		got += n;
		if (got > cap) {
			fprintf(stderr,
				"tvctl: run: --in %s: more than %zu bytes, the PAL's limit\n",
				path, cap);
			close(fd);
			return -1;
		}
	}
	close(fd);
	return (long)got;
}

static int write_output(const char *path, const void *buf, size_t len)
{
	FILE *f = fopen(path, "wb");

	if (!f || fwrite(buf, 1, len, f) != len || fclose(f)) {
		fprintf(stderr, "tvctl: run: --out %s: %s\n", path, strerror(errno));
		return 1;
	}
	return 0;
}

static void print_call_error(struct tv_pal *pal, int err)
{
	struct tv_pal_fault_info fi;

	if (err == TV_ERR_PAL_FAULT && !tv_pal_fault(pal, &fi)) {
		fprintf(stderr, "tvctl: run: %s: %s (vector %u) at RIP 0x%llx, error code 0x%llx, "
			"address 0x%llx\n", tv_strerror(err), tv_fault_name(fi.vector), fi.vector,
			(unsigned long long)fi.rip, (unsigned long long)fi.error_code,
			(unsigned long long)fi.addr);
		return;
	}
	fprintf(stderr, "tvctl: run: %s%s\n", tv_strerror(err),
		err == -EBUSY ? " (the PAL is in another call)" : "");
}

static int parse_u32(const char *arg, unsigned int *v)
{
	char *end;
	unsigned long long x;

	errno = 0;
	x = strtoull(arg, &end, 0);
	if (errno || !*arg || *end || *arg == '-' || x > UINT32_MAX)
		return -1;
	*v = (unsigned int)x;
	return 0;
}

static int cmd_run(int argc, char **argv)
{
	static unsigned char in[TV_PAL_IO_MAX + 1], out[TV_PAL_IO_MAX];
	const char *path = NULL, *in_path = NULL, *out_path = NULL;
	size_t len, out_len = sizeof(out);
	long in_len = 0;
	unsigned int cmd = 0;
	struct tv_pal *pal;
	int32_t status;
	void *image;
	int err;

	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--cmd") || !strcmp(a, "--in") || !strcmp(a, "--out")) {
			if (i + 1 == argc)
				return usage_error("run", "an option needs an argument");
			if (!strcmp(a, "--cmd") && parse_u32(argv[i + 1], &cmd)) {
				fprintf(stderr, "tvctl: run: --cmd '%s' is not a 32-bit number\n",
					argv[i + 1]);
				return 2;
			}
			if (!strcmp(a, "--in"))
				in_path = argv[i + 1];
			if (!strcmp(a, "--out"))
				out_path = argv[i + 1];
			i++;
		} else if (a[0] == '-' || path) {
			return usage_error("run", "unexpected argument");
		} else {
			path = a;
		}
	}
	if (!path)
		return usage_error("run", "no PAL image named");
	image = map_file("run", path, &len);
	if (!image)
		return 1;
	if (in_path) {
		in_len = read_input(in_path, in, TV_PAL_IO_MAX);
		if (in_len < 0)
			return 1;
	}
	err = tv_pal_load(image, len, &pal);
	if (err == -ENOEXEC && tv_pal_image_reason(image, len)) {
		fprintf(stderr, "tvctl: run: %s: not a valid PAL image: %s\n", path,
			tv_pal_img_strerror(tv_pal_image_reason(image, len)));
		return 1;
	}
	if (err) {
		fprintf(stderr, "tvctl: run: load %s: %s%s\n", path, tv_strerror(err),
			err == -ENOENT ? " (no " TV_DEVICE ": is trustvisor.ko loaded?)" : "");
		return 1;
	}
	err = tv_pal_call(pal, cmd, in, (size_t)in_len, out, &out_len, &status);
	if (err) {
		print_call_error(pal, err);
		tv_pal_unload(pal);
		return 1;
	}
	tv_pal_unload(pal);
	printf("status %d\n", status);
	printf("output %zu bytes\n", out_len);
	if (out_path && write_output(out_path, out, out_len))
		return 1;
	return 0;
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : "";

	if (!strcmp(cmd, "help") || !strcmp(cmd, "--help") || !strcmp(cmd, "-h")) {
		fputs(usage_text, stdout);
		return 0;
	}
	if (!strcmp(cmd, "status"))
		return argc == 2 ? cmd_status() : usage_error(cmd, "takes no arguments");
	if (!strcmp(cmd, "cpu"))
		return argc == 3 ? cmd_cpu(argv[2]) : usage_error(cmd, "needs one CPU number");
	if (!strcmp(cmd, "measure"))
		return argc == 3 ? cmd_measure(argv[2]) : usage_error(cmd, "needs one file");
	if (!strcmp(cmd, "inspect"))
		return argc == 3 ? cmd_inspect(argv[2]) : usage_error(cmd, "needs one PAL image");
	if (!strcmp(cmd, "run"))
		return cmd_run(argc - 2, argv + 2);
	if (!*cmd)
		fprintf(stderr, "tvctl: no command given\n%s", usage_text);
	else
		fprintf(stderr, "tvctl: unknown command '%s'\n%s", cmd, usage_text);
	return 2;
}
