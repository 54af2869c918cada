// SPDX-License-Identifier: GPL-2.0
/*
 * tvctl: look at a running TrustVisor, run PALs on it and get quotes of them.
 *   tvctl status            monitor version, measurement, CPUs, PALs, exits by reason
 *   tvctl cpu N             one CPU's state and exit counters
 *   tvctl measure FILE      SHA-256 of a monitor image or of a PAL image
 *   tvctl inspect PAL       a PAL image's header and sections
 *   tvctl run PAL ...       load a PAL, call it once, unload it
 *   tvctl identity          the monitor's identity key and launch (informational)
 *   tvctl pubkey ...        the identity key as PEM
 *   tvctl quote PAL ...     a quote of a PAL, as files tpm2_checkquote verifies
 *   tvctl eventlog ...      the launch evidence log
 *   tvctl attest ...        the evidence a verifier needs, hardware TPM quote included
 *   tvctl verify DIR ...    judges that evidence: one verdict line
 * Every failure is one line on stderr naming what failed, exit status 1;
 * bad usage is one line too, exit status 2.  docs/man/tvctl.1 is the manual.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
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
#include "userspace/lib/tpm2_pcrs.h"
#include "trustvisor/evidence.h"
#include "userspace/tvctl_evidence.h"

#define TV_EVLOG_PATH "/sys/kernel/security/trustvisor/binary_measurements"

static const char usage_text[] =
	"usage: tvctl COMMAND [ARGS]      (tvctl COMMAND --help: that command in full)\n"
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
	"  identity                the monitor's identity key, its name, the monitor's\n"
	"                          measurement and how it was launched; informational until\n"
	"                          the hardware TPM anchors the key\n"
	"  pubkey [--out FILE]     the identity key as PEM (SubjectPublicKeyInfo, P-256), to\n"
	"                          stdout or FILE: tpm2_checkquote's -u\n"
	"  quote PAL [--cmd N] [--in FILE] --nonce HEX [--pcrs LIST] --out DIR\n"
	"                          load PAL, call it once if --cmd is given, quote the PCRs\n"
	"                          in LIST (default 0) over the nonce, unload it; writes\n"
	"                          DIR/attest.bin, sig.bin, pcrs.bin and ak.pem for\n"
	"                          tpm2_checkquote\n"
	"  eventlog [--out FILE]   the launch evidence log (TCG crypto-agile format, for\n"
	"                          tpm2_eventlog), to stdout or FILE\n"
	"  attest --nonce HEX --ak-handle HANDLE --pal PAL [--cmd N] [--in FILE] --out DIR\n"
	"                          gather the evidence for tvctl verify into DIR: the\n"
	"                          hardware TPM's quote of PCRs 0-7 and the evidence PCR by\n"
	"                          the AK at HANDLE, the event log, the identity key, and a\n"
	"                          quote of PAL (called once with --cmd), all over the nonce\n"
	"  verify DIR --nonce HEX --ak PEM --monitor SHA256 [--pal SHA256]\n"
	"         [--boot-pcrs FILE] [--identity PEM]\n"
	"                          check that evidence with the AK the verifier trusts:\n"
	"                          prints 'verified: ...' or 'rejected: REASON'\n"
	"  help [COMMAND], --help  this text, or one command's\n"
	"exit status: 0 done, 1 failed (one line on stderr says what), 2 bad usage\n";

static const char attest_help[] =
	"usage: tvctl attest --nonce HEX --ak-handle HANDLE --pal PAL [--cmd N] [--in FILE]\n"
	"                    --out DIR\n"
	"Gathers, for tvctl verify on another machine, the evidence that this monitor\n"
	"was launched first in this boot and runs PAL now, and writes into DIR\n"
	"  tpm-attest.bin, tpm-sig.bin  the hardware TPM's TPMS_ATTEST and TPMT_SIGNATURE\n"
	"                 of TPM2_Quote by the AK over the nonce, of the sha256 PCRs 0-7\n"
	"                 and the evidence PCR (tvctl identity names it)\n"
	"  tpm-pcrs.bin   those PCRs' values (tpm2-tools serialized format)\n"
	"  ak.pub, ak.qname  the AK's TPM2B_PUBLIC and qualified name (TPM2_ReadPublic)\n"
	"  eventlog.bin   the launch evidence log (tvctl eventlog)\n"
	"  identity.pub   the identity key's TPM2B_PUBLIC, as IDENTITY gives it\n"
	"  pal-attest.bin, pal-sig.bin, pal-pcrs.bin  the monitor's quote of PAL's\n"
	"                 24 uTPM PCRs over the nonce, by the identity key (tvctl quote)\n"
	"  pal-output.bin the call's output (with --cmd only)\n"
	"The TPM is reached through the TCTI in $TPM2TOOLS_TCTI or $TCTI, else\n"
	"device:/dev/tpmrm0.\n"
	"  --nonce HEX    the verifier's nonce, 1 to 64 bytes in hex (required)\n"
	"  --ak-handle HANDLE  the AK's persistent TPM handle, 0x81000000 to 0x81ffffff,\n"
	"                 a restricted signing key in the endorsement hierarchy that the\n"
	"                 verifier already trusts (required)\n"
	"  --pal PAL      the PAL image to load and quote (required)\n"
	"  --cmd N        call the PAL once before the quote with command N (a 32-bit\n"
	"                 number, decimal or 0x... hex); default: no call\n"
	"  --in FILE      the call's input, at most 64 KiB (needs --cmd)\n"
	"  --out DIR      where the files go (required); created if missing (its parent\n"
	"                 must exist).  The files are written all, or none of them.\n"
	"  -h, --help     this text\n"
	"Exit status: 0 written; 1 the device, the TPM, the log, the PAL or a file failed\n"
	"(one line says which; no new file is left in DIR); 2 bad usage (nothing done).\n";

static const char verify_help[] =
	"usage: tvctl verify DIR --nonce HEX --ak PEM --monitor SHA256 [--pal SHA256]\n"
	"                    [--boot-pcrs FILE] [--identity PEM]\n"
	"Judges the evidence tvctl attest wrote into DIR, taking from DIR nothing that a\n"
	"check does not prove, and prints one line: 'verified: ...', what was proven, or\n"
	"'rejected: REASON', the first check that failed.  In order: DIR's ak.pub is the\n"
	"key of --ak; the TPM quote is signed by it, over the nonce, by the AK's\n"
	"qualified name, and its PCR values hash to its digest; the log parses, each\n"
	"event's digests are its data's, and it replays (sha256, from zero) to the quoted\n"
	"evidence PCR; its events are monitor, secret, identity, launch and nothing\n"
	"else (no \"left\"); the launch is the first in its boot, and in the quote's\n"
	"(same resetCount and restartCount); the monitor is --monitor; PCRs 0-7 are\n"
	"--boot-pcrs'; the identity key in the log is --identity, and signed the PAL\n"
	"quote, over the nonce, as its signer; its PCR 0 is --pal's.  Without\n"
	"--boot-pcrs, PCRs 0-7 are quoted but not judged, and then whoever could run\n"
	"code before insmod, on any boot chain, could have made this evidence\n"
	"(docs/attestation.md).\n"
	"  --nonce HEX    the nonce given to tvctl attest, 1 to 64 bytes in hex (required)\n"
	"  --ak PEM       the AK's public key as PEM, from the verifier's own records, never\n"
	"                 from DIR (required)\n"
	"  --monitor SHA256  the monitor's expected measurement, 64 hex digits, as tvctl\n"
	"                 status and tvctl measure IMAGE print it (required)\n"
	"  --pal SHA256   the PAL's expected measurement, as tvctl measure PAL prints it;\n"
	"                 without it the PAL quote is checked but not which PAL it is of\n"
	"  --boot-pcrs FILE  the boot chain's sha256 PCRs 0-7 from the verifier's records,\n"
	"                 256 bytes, as 'tpm2_pcrread sha256:0,1,2,3,4,5,6,7 -o FILE' writes\n"
	"                 them on a boot it trusts; the quote's must equal them\n"
	"  --identity PEM the identity key enrolled earlier (tvctl pubkey): the log's must\n"
	"                 be it.  It stays the same while the TPM keeps the master secret\n"
	"  -h, --help     this text\n"
	"Needs no /dev/trustvisor and no TPM.\n"
	"Exit status: 0 verified; 1 rejected (or DIR unreadable); 2 bad usage.\n";

static const char status_help[] =
	"usage: tvctl status\n"
	"Shows the running monitor: its version and ABI, the SHA-256 measurement of its\n"
	"image (compare with 'tvctl measure vmxroot.bin'), the image size, the memory\n"
	"reserved for it, CPUs virtualized and online, PALs loaded of the maximum,\n"
	"Linux accesses to monitor or PAL memory that were refused, and VM exits by\n"
	"basic exit reason, summed over the CPUs.\n"
	"  -h, --help     this text\n"
	"Exit status: 0 shown; 1 no /dev/trustvisor or the ioctl failed; 2 bad usage.\n";

static const char cpu_help[] =
	"usage: tvctl cpu N\n"
	"Shows CPU N (a Linux CPU number): online or not, under the monitor or not, and\n"
	"its VM exits by basic exit reason.\n"
	"  -h, --help     this text\n"
	"Exit status: 0 shown; 1 no /dev/trustvisor or no such CPU; 2 bad usage.\n";

static const char measure_help[] =
	"usage: tvctl measure FILE\n"
	"Prints the SHA-256 of FILE in hex.  A PAL image (it starts with the TVPAL01\n"
	"magic) is checked first and refused with the reason if malformed; its digest\n"
	"is the PAL's identity, what the monitor extends into the PAL's PCR 0.  Any\n"
	"other file, such as the monitor image vmxroot.bin, is measured as it is.\n"
	"Needs no /dev/trustvisor.\n"
	"  -h, --help     this text\n"
	"Exit status: 0 printed; 1 unreadable or a malformed PAL image; 2 bad usage.\n";

static const char inspect_help[] =
	"usage: tvctl inspect PAL\n"
	"Checks a PAL image and prints its header (format, ISA level, entry point,\n"
	"stack size) and its sections (addresses, permissions, sizes).  Needs no\n"
	"/dev/trustvisor.\n"
	"  -h, --help     this text\n"
	"Exit status: 0 printed; 1 unreadable or not a valid PAL image; 2 bad usage.\n";

static const char run_help[] =
	"usage: tvctl run PAL [--cmd N] [--in FILE] [--out FILE]\n"
	"Loads PAL into the monitor, calls it once, unloads it, and prints\n"
	"'status S' (pal_main's return value) and 'output N bytes'.\n"
	"  --cmd N        the command handed to pal_main: a 32-bit number, decimal or\n"
	"                 0x... hex (default 0)\n"
	"  --in FILE      the call's input: FILE's bytes, at most 64 KiB (default none)\n"
	"  --out FILE     write the call's output to FILE (whole, or not at all)\n"
	"  -h, --help     this text\n"
	"Exit status: 0 whenever the PAL returned, whatever its status; 1 the PAL could\n"
	"not be loaded, faulted or was killed (one line says which, with the fault),\n"
	"or a file failed; 2 bad usage.\n";

static const char identity_help[] =
	"usage: tvctl identity\n"
	"Shows who the monitor says it is: how it was launched, what its identity key\n"
	"is worth, whether the key is new at this load, the SHA-256 measurement of its\n"
	"image, the key's TPM name (000b || SHA-256 of its TPMT_PUBLIC) and its public\n"
	"point (04 || X || Y).  Linux carries this answer: until the launch evidence\n"
	"anchors the key in the hardware TPM it is informational, and a kernel that\n"
	"lies about it can lie about all of it.\n"
	"  -h, --help     this text\n"
	"Exit status: 0 shown; 1 no /dev/trustvisor or the ioctl failed; 2 bad usage.\n";

static const char counters_help[] =
	"usage: tvctl counters save|restore [--file FILE]\n"
	"The µTPM's counter table, which a monitor whose secret the TPM keeps seals\n"
	"to its TPM NV counter and Linux stores (libtrustvisor does both by itself:\n"
	"this is for administrators).  save writes the table as it is now; restore\n"
	"gives a stored one back, taken only if sealed at the NV counter's value now\n"
	"(FILE.prev is tried after FILE).  tvctl identity shows the counters' state.\n"
	"  --file FILE    the table's file (default $TV_COUNTERS_FILE, else\n"
	"                 /var/lib/trustvisor/counters)\n"
	"  -h, --help     this text\n"
	"Exit status: 0 done; 1 the monitor refused it (one line says why: a table of\n"
	"another NV value is a rollback, or a commit that never completed) or a file\n"
	"failed; 2 bad usage.\n";

static const char pubkey_help[] =
	"usage: tvctl pubkey [--out FILE]\n"
	"Prints the monitor's identity key, the key that signs quotes, as a PEM\n"
	"SubjectPublicKeyInfo (ECDSA P-256): what tpm2_checkquote -u and\n"
	"openssl pkey -pubin read.  Informational until the hardware TPM anchors the\n"
	"key (tvctl identity).\n"
	"  --out FILE     write it to FILE (whole, or not at all) instead of stdout\n"
	"  -h, --help     this text\n"
	"Exit status: 0 written; 1 no /dev/trustvisor, the ioctl or the file failed;\n"
	"2 bad usage.\n";

static const char eventlog_help[] =
	"usage: tvctl eventlog [--out FILE]\n"
	"Copies the monitor's launch evidence log, the events the module extended into\n"
	"the hardware TPM's evidence PCR (tvctl identity names it), in the TCG PC\n"
	"Client crypto-agile format that tpm2_eventlog reads and replays.  It is\n"
	"read from " TV_EVLOG_PATH "\n"
	"(securityfs must be mounted); a monitor loaded without a TPM has none.\n"
	"  --out FILE     write it to FILE (whole, or not at all) instead of stdout\n"
	"  -h, --help     this text\n"
	"Exit status: 0 written; 1 no log (no module, no TPM, no securityfs) or the\n"
	"file failed; 2 bad usage.\n";

static const char quote_help[] =
	"usage: tvctl quote PAL [--cmd N] [--in FILE] --nonce HEX [--pcrs LIST] --out DIR\n"
	"Loads PAL, calls it once if --cmd is given, has the monitor quote the PAL's\n"
	"uTPM PCRs over the nonce with its identity key, unloads the PAL, and writes\n"
	"  DIR/attest.bin   the TPMS_ATTEST, as TPM2_Quote gives it\n"
	"  DIR/sig.bin      its TPMT_SIGNATURE (ECDSA P-256, SHA-256)\n"
	"  DIR/pcrs.bin     the quoted PCR values (tpm2-tools serialized format)\n"
	"  DIR/ak.pem       the identity key, as tvctl pubkey gives it\n"
	"  DIR/output.bin   the call's output (with --cmd only)\n"
	"so that, with nothing else,\n"
	"  tpm2_checkquote -u DIR/ak.pem -m DIR/attest.bin -s DIR/sig.bin \\\n"
	"      -f DIR/pcrs.bin -g sha256 -q HEX\n"
	"verifies it.  Prints the call's status and the quoted PCR values.\n"
	"  --cmd N        call the PAL once before the quote with command N (a 32-bit\n"
	"                 number, decimal or 0x... hex); default: no call\n"
	"  --in FILE      the call's input, at most 64 KiB (needs --cmd)\n"
	"  --nonce HEX    the quote's qualifying data, 1 to 64 bytes in hex (required)\n"
	"  --pcrs LIST    the PCRs to quote, as 0,1,2: numbers 0 to 23 that must\n"
	"                 include 0, the PAL's measurement (default 0)\n"
	"  --out DIR      where the files go (required); created if missing (its parent\n"
	"                 must exist).  The files are written all, or none of them.\n"
	"  -h, --help     this text\n"
	"A verifier must check PCR 0 against the PAL's expected measurement (tvctl\n"
	"measure PAL extended into a zero PCR).  Whoever runs tvctl chooses the nonce:\n"
	"a PAL binds data to itself only by extending it into a PCR, 1 and up.  The\n"
	"identity key is informational until the hardware TPM anchors it.\n"
	"Exit status: 0 written; 1 the device, the PAL, the quote or a file failed\n"
	"(one line says which; no new file is left in DIR, nor a mix of new and old\n"
	"ones); 2 bad usage (nothing done).\n";

static const char *const exit_names[TV_EXIT_REASON_MAX] = {
	[0] = "exception/NMI", [1] = "external-interrupt", [2] = "triple-fault",
	[3] = "INIT", [4] = "SIPI", [8] = "NMI-window", [10] = "CPUID", [11] = "GETSEC",
	[13] = "INVD", [18] = "VMCALL", [19] = "VMCLEAR", [20] = "VMLAUNCH",
	[21] = "VMPTRLD", [22] = "VMPTRST", [23] = "VMREAD", [24] = "VMRESUME",
	[25] = "VMWRITE", [26] = "VMXOFF", [27] = "VMXON", [28] = "CR-access",
	[31] = "RDMSR", [32] = "WRMSR", [33] = "invalid-guest-state", [48] = "EPT-violation",
	[49] = "EPT-misconfig", [50] = "INVEPT", [53] = "INVVPID", [55] = "XSETBV",
};

/*
 * Every message is one line, "tvctl: CMD: what", and one of bad usage
 * (exit status 2) says where the help is.  Returns the exit status.
 */
static int __attribute__((format(printf, 3, 4))) say(const char *cmd, int status,
						      const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "tvctl: %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	if (status == 2)
		fprintf(stderr, " (see tvctl %s --help)", cmd);
	fputc('\n', stderr);
	return status;
}

#define usage_error(cmd, ...)	say(cmd, 2, __VA_ARGS__)
#define fail(cmd, ...)		say(cmd, 1, __VA_ARGS__)

/*
 * What to add to a device error so the line says what to do: the module
 * missing, or one too old to know the ioctl.
 */
static const char *dev_hint(int err)
{
	if (err == -ENOENT)
		return " (no " TV_DEVICE ": is trustvisor.ko loaded?)";
	if (err == -ENOTTY)
		return " (this trustvisor.ko does not know the request: too old?)";
	if (err == -EACCES || err == -EPERM)
		return " (" TV_DEVICE " needs root)";
	return "";
}

/*
 * The options a command takes and, once parsed, their values.  --name VALUE
 * and --name=VALUE both work; an option given twice is refused, as the
 * second would silently win.
 */
struct opt {
	const char *name;
	const char *val;
};

/*
 * Sorts argv into opts and at most max_words plain words.  Returns 0, or
 * the exit status after --help (0) or an error line (2).
 */
static int parse_args(const char *cmd, const char *help, int argc, char **argv,
		      struct opt *opts, int nopts, const char **words, int max_words,
		      int *nwords, bool *done)
{
	*nwords = 0;
	*done = true;
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i], *eq;
		struct opt *o = NULL;
		size_t len;

		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			fputs(help, stdout);
			return 0;
		}
		if (a[0] != '-' || !a[1]) {
			if (*nwords == max_words)
				return usage_error(cmd, "unexpected argument '%s'", a);
			words[(*nwords)++] = a;
			continue;
		}
		eq = strchr(a, '=');
		len = eq ? (size_t)(eq - a) : strlen(a);
		for (int j = 0; j < nopts; j++)
			if (strlen(opts[j].name) == len && !strncmp(a, opts[j].name, len))
				o = &opts[j];
		if (!o)
			return usage_error(cmd, "unknown option '%.*s'", (int)len, a);
		if (o->val)
			return usage_error(cmd, "%s given twice", o->name);
		if (eq) {
			o->val = eq + 1;
		} else {
			if (i + 1 == argc)
				return usage_error(cmd, "%s needs an argument", o->name);
			o->val = argv[++i];
		}
	}
	*done = false;
	return 0;
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

static int open_dev(const char *cmd)
{
	int fd = open(TV_DEVICE, O_RDWR | O_CLOEXEC);

	if (fd < 0)
		fail(cmd, "%s: %s%s", TV_DEVICE, strerror(errno),
		     errno == ENOENT ? " (is trustvisor.ko loaded?)" : "");
	return fd;
}

/* True if the module filled `field` (it writes back the size it knows). */
#define HAS_FIELD(st, field) ((st).size >= offsetof(typeof(st), field) + sizeof((st).field))

static int cmd_status(int argc, char **argv)
{
	struct tv_status st = { .size = sizeof(st) };
	const char *words[1];
	bool done;
	int fd, nw, rc;

	rc = parse_args("status", status_help, argc, argv, NULL, 0, words, 0, &nw, &done);
	if (done)
		return rc;
	fd = open_dev("status");
	if (fd < 0)
		return 1;
	if (ioctl(fd, TV_IOC_STATUS, &st))
		return fail("status", "STATUS: %s", strerror(errno));
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

static int cmd_cpu(int argc, char **argv)
{
	struct tv_cpu_status cs = { .size = sizeof(cs) };
	const char *words[1];
	char *end;
	bool done;
	int fd, nw, rc;

	rc = parse_args("cpu", cpu_help, argc, argv, NULL, 0, words, 1, &nw, &done);
	if (done)
		return rc;
	if (nw != 1)
		return usage_error("cpu", "needs one CPU number");
	cs.cpu = (__u32)strtoul(words[0], &end, 10);
	if (!*words[0] || *end)
		return usage_error("cpu", "'%s' is not a CPU number", words[0]);
	fd = open_dev("cpu");
	if (fd < 0)
		return 1;
	if (ioctl(fd, TV_IOC_CPU_STATUS, &cs))
		return fail("cpu", "CPU_STATUS %u: %s", cs.cpu, strerror(errno));
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
		fail(cmd, "%s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	if (!S_ISREG(sb.st_mode)) {
		close(fd);
		fail(cmd, "%s: not a regular file", path);
		return NULL;
	}
	p = mmap(NULL, sb.st_size ? sb.st_size : 1, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (p == MAP_FAILED) {
		fail(cmd, "%s: %s", path, strerror(errno));
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
		fail(cmd, "%s: not a valid PAL image: %s", path, tv_pal_img_strerror(reason));
	return reason;
}

/* The one file a command names; exit status 2 after the line if not one. */
static int one_file(const char *cmd, const char *help, int argc, char **argv,
		    const char *what, const char **path, bool *done)
{
	const char *words[1];
	int nw, rc;

	rc = parse_args(cmd, help, argc, argv, NULL, 0, words, 1, &nw, done);
	if (*done)
		return rc;
	if (nw != 1) {
		*done = true;
		return usage_error(cmd, "needs one %s", what);
	}
	*path = words[0];
	return 0;
}

static int cmd_measure(int argc, char **argv)
{
	unsigned char digest[32];
	const char *path;
	size_t len;
	bool done;
	void *p;
	int rc;

	rc = one_file("measure", measure_help, argc, argv, "file", &path, &done);
	if (done)
		return rc;
	p = map_file("measure", path, &len);
	if (!p)
		return 1;
	if (is_pal_image(p, len) && check_pal("measure", path, p, len))
		return 1;
	sha256(p, len, digest);
	print_hex(digest, sizeof(digest));
	return 0;
}

static int cmd_inspect(int argc, char **argv)
{
	const struct tv_pal_section *s;
	struct tv_pal_header h;
	unsigned char *p;
	const char *path;
	size_t len;
	bool done;
	int rc;

	rc = one_file("inspect", inspect_help, argc, argv, "PAL image", &path, &done);
	if (done)
		return rc;
	p = map_file("inspect", path, &len);
	if (!p)
		return 1;
	if (!is_pal_image(p, len))
		return fail("inspect", "%s: not a PAL image (no %s magic)", path, TV_PAL_MAGIC);
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
static long read_input(const char *cmd, const char *path, void *buf, size_t cap)
{
	size_t got = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		fail(cmd, "--in %s: %s", path, strerror(errno));
		return -1;
	}
	for (;;) {
		ssize_t n = read(fd, (char *)buf + got, cap + 1 - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			fail(cmd, "--in %s: %s", path, strerror(errno));
			close(fd);
			return -1;
		}
		if (!n)
			break;
		got += n;
		if (got > cap) {
			fail(cmd, "--in %s: more than %zu bytes, the PAL's limit", path, cap);
			close(fd);
			return -1;
		}
	}
	close(fd);
	return (long)got;
}

/*
 * Files written as a set: each goes to a temporary name beside its final
 * one, and only once every one is complete on disk are they renamed.  A
 * failure removes them all, so a reader never finds a half-written file,
 * nor a new attest.bin beside an old sig.bin.
 */
struct out_file {
	char path[PATH_MAX];
	const void *data;
	size_t len;
	char tmp[PATH_MAX];
};

static int write_tmp(const char *cmd, struct out_file *f, mode_t mode)
{
	const char *base = strrchr(f->path, '/');
	size_t dirlen = base ? (size_t)(base - f->path + 1) : 0;
	const unsigned char *p = f->data;
	size_t left = f->len;
	int fd;

	base = base ? base + 1 : f->path;
	if ((size_t)snprintf(f->tmp, sizeof(f->tmp), "%.*s.%s.XXXXXX", (int)dirlen, f->path,
			     base) >= sizeof(f->tmp)) {
		f->tmp[0] = '\0';
		return fail(cmd, "%s: %s", f->path, strerror(ENAMETOOLONG));
	}
	fd = mkstemp(f->tmp);
	if (fd < 0) {
		f->tmp[0] = '\0';
		return fail(cmd, "%s: %s", f->path, strerror(errno));
	}
	/* mkstemp's 0600 would make a public key unreadable to others. */
	if (fchmod(fd, mode))
		goto err;
	while (left) {
		ssize_t n = write(fd, p, left);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			goto err;
		p += n;
		left -= n;
	}
	if (fsync(fd))
		goto err;
	if (close(fd)) {
		fd = -1;
		goto err;
	}
	return 0;
err:
	fail(cmd, "%s: %s", f->path, strerror(errno));
	if (fd >= 0)
		close(fd);
	unlink(f->tmp);
	f->tmp[0] = '\0';
	return 1;
}

static int commit_files(const char *cmd, struct out_file *f, int n)
{
	mode_t mask = umask(0);
	int i, rc = 0;

	umask(mask);
	for (i = 0; i < n && !rc; i++)
		rc = write_tmp(cmd, &f[i], 0666 & ~mask);
	for (i = 0; i < n && !rc; i++) {
		if (rename(f[i].tmp, f[i].path)) {
			rc = fail(cmd, "%s: %s", f[i].path, strerror(errno));
			break;
		}
		f[i].tmp[0] = '\0';
	}
	if (!rc)
		return 0;
	for (int j = 0; j < n; j++) {
		if (f[j].tmp[0])
			unlink(f[j].tmp);
		/* Some files new and the rest old: none of the set may stay. */
		if (i > 0)
			unlink(f[j].path);
	}
	return rc;
}

static int set_path(const char *cmd, struct out_file *f, const char *dir, const char *name)
{
	int n = dir ? snprintf(f->path, sizeof(f->path), "%s/%s", dir, name)
		    : snprintf(f->path, sizeof(f->path), "%s", name);

	f->tmp[0] = '\0';
	if (n < 0 || (size_t)n >= sizeof(f->path))
		return fail(cmd, "%s%s%s: %s", dir ? dir : "", dir ? "/" : "", name,
			    strerror(ENAMETOOLONG));
	return 0;
}

static void print_call_error(const char *cmd, struct tv_pal *pal, int err)
{
	struct tv_pal_fault_info fi;

	if (err == TV_ERR_PAL_FAULT && !tv_pal_fault(pal, &fi)) {
		fail(cmd, "%s: %s (vector %u) at RIP 0x%llx, error code 0x%llx, address 0x%llx",
		     tv_strerror(err), tv_fault_name(fi.vector), fi.vector,
		     (unsigned long long)fi.rip, (unsigned long long)fi.error_code,
		     (unsigned long long)fi.addr);
		return;
	}
	fail(cmd, "%s%s", tv_strerror(err),
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

/* Loads the image at path (mapped at image): 0, or 1 after the line. */
static int load_pal(const char *cmd, const char *path, const void *image, size_t len,
		    struct tv_pal **pal)
{
	int err = tv_pal_load(image, len, pal);

	if (err == -ENOEXEC && tv_pal_image_reason(image, len))
		return fail(cmd, "%s: not a valid PAL image: %s", path,
			    tv_pal_img_strerror(tv_pal_image_reason(image, len)));
	if (err)
		return fail(cmd, "load %s: %s%s", path, tv_strerror(err), dev_hint(err));
	return 0;
}

/* The PAL and the call of run and quote. */
struct call_args {
	const char *pal;
	unsigned int cmd;
	bool call;
	const char *in_path;
};

/*
 * The arguments of run and quote: one PAL, and opts[0] and opts[1] must be
 * --cmd and --in.  Returns 0, or with *done set the exit status.
 */
static int parse_pal_args(const char *cmd, const char *help, int argc, char **argv,
			  struct opt *opts, int nopts, struct call_args *c, bool *done)
{
	int nw, rc;

	rc = parse_args(cmd, help, argc, argv, opts, nopts, &c->pal, 1, &nw, done);
	if (*done)
		return rc;
	*done = true;
	if (!nw)
		return usage_error(cmd, "no PAL image named");
	c->call = opts[0].val;
	c->in_path = opts[1].val;
	c->cmd = 0;
	if (opts[0].val && parse_u32(opts[0].val, &c->cmd))
		return usage_error(cmd, "--cmd '%s' is not a 32-bit number", opts[0].val);
	*done = false;
	return 0;
}

/* The PAL mapped and the call's input read: 0, or 1 after the line. */
static int read_pal_args(const char *cmd, const struct call_args *c, void **image, size_t *len,
			 void *in, long *in_len)
{
	*image = map_file(cmd, c->pal, len);
	if (!*image)
		return 1;
	*in_len = 0;
	if (c->in_path) {
		*in_len = read_input(cmd, c->in_path, in, TV_PAL_IO_MAX);
		if (*in_len < 0)
			return 1;
	}
	return 0;
}

static int cmd_run(int argc, char **argv)
{
	static unsigned char in[TV_PAL_IO_MAX + 1], out[TV_PAL_IO_MAX];
	struct opt opts[] = { { .name = "--cmd" }, { .name = "--in" }, { .name = "--out" } };
	size_t len, out_len = sizeof(out);
	struct out_file of = { .data = out };
	struct call_args ca;
	struct tv_pal *pal;
	int32_t status;
	void *image;
	int err, rc;
	long in_len;
	bool done;

	rc = parse_pal_args("run", run_help, argc, argv, opts, 3, &ca, &done);
	if (done)
		return rc;
	if (opts[2].val && set_path("run", &of, NULL, opts[2].val))
		return 1;
	if (read_pal_args("run", &ca, &image, &len, in, &in_len) ||
	    load_pal("run", ca.pal, image, len, &pal))
		return 1;
	err = tv_pal_call(pal, ca.cmd, in, (size_t)in_len, out, &out_len, &status);
	if (err) {
		print_call_error("run", pal, err);
		tv_pal_unload(pal);
		return 1;
	}
	tv_pal_unload(pal);
	printf("status %d\n", status);
	printf("output %zu bytes\n", out_len);
	of.len = out_len;
	if (opts[2].val && commit_files("run", &of, 1))
		return 1;
	return 0;
}

static const char *launch_name(uint32_t launch)
{
	switch (launch) {
	case TV_ID_LAUNCH_KERNEL:
		return "kernel";
	}
	return "unknown";
}

/* The identity, or 1 after the line. */
static int get_identity(const char *cmd, struct tv_identity_info *id)
{
	int err = tv_identity(id);

	if (err)
		return fail(cmd, "IDENTITY: %s%s", tv_strerror(err), dev_hint(err));
	return 0;
}

/* What IDENTITY says of the master secret, and so of the identity key made from it. */
static const char *secret_desc(uint32_t kind)
{
	switch (kind) {
	case TV_ID_SECRET_KEPT:
		return "kept: the master secret the TPM kept since an earlier launch";
	case TV_ID_SECRET_CREATED:
		return "kept: the master secret is new at this launch and kept by the TPM";
	case TV_ID_SECRET_MIGRATED:
		return "kept: the master secret an earlier monitor version kept for this one";
	case TV_ID_SECRET_EPHEMERAL:
		return "this load only (the master secret is new and dies with the monitor)";
	}
	return "not said by this module";
}

/* The monitor's TPM NV counter, or why there is none; and the µTPM's counters. */
static void print_nv_counter(void)
{
	static const char *const counters[] = {
		[TV_NV_COUNTERS_MEMORY] = "in memory: they die with the monitor",
		[TV_NV_COUNTERS_UNKNOWN] = "unknown: to be restored (tvctl counters restore)",
		[TV_NV_COUNTERS_KNOWN] = "durable once a PAL commits them",
	};
	struct tv_nv_counter_info nv;
	int rc = tv_nv_counter(&nv);

	if (!rc && nv.counters <= TV_NV_COUNTERS_KNOWN)
		printf("counters          %s\n", counters[nv.counters]);

	if (rc) {
		printf("NV counter        unknown: %s\n", strerror(-rc));
		return;
	}
	switch (nv.state) {
	case TV_NV_STATE_OPEN:
		printf("NV counter        %llu (TPM NV, read in the monitor's own session)\n",
		       (unsigned long long)nv.value);
		break;
	case TV_NV_STATE_PENDING:
		printf("NV counter        not opened\n");
		break;
	case TV_NV_STATE_FAILED:
		printf("NV counter        failed (%d): no rollback counter survives a reboot (dmesg)\n",
		       nv.error);
		break;
	default:
		printf("NV counter        none: only a secret the TPM keeps has one\n");
	}
}

static int cmd_identity(int argc, char **argv)
{
	struct tv_identity_info id;
	const char *words[1];
	bool done;
	int nw, rc;

	rc = parse_args("identity", identity_help, argc, argv, NULL, 0, words, 0, &nw, &done);
	if (done)
		return rc;
	if (get_identity("identity", &id))
		return 1;
	printf("launch            %s (%u): %s\n", launch_name(id.launch), id.launch,
	       id.launch_desc[0] ? id.launch_desc : "no description");
	/* Said every time: nothing below is evidence by itself. */
	printf("trust             informational: Linux carries this answer; only a verifier\n"
	       "                  checking the TPM's quote of the evidence PCR can rely on it\n");
	if (id.flags & TV_ID_F_TPM)
		printf("evidence          TPM PCR %u, %s launch in this boot (tvctl eventlog)\n",
		       id.evidence_pcr, id.flags & TV_ID_F_FIRST_LAUNCH ? "the first" :
		       "not the first");
	else
		printf("evidence          none: the monitor was loaded without a TPM 2.0\n");
	printf("key lifetime      %s\n", secret_desc(id.secret));
	print_nv_counter();
	printf("measurement       ");
	print_hex(id.measurement, sizeof(id.measurement));
	printf("key name          ");
	print_hex(id.name, sizeof(id.name));
	printf("public key        ");
	print_hex(id.pubkey, sizeof(id.pubkey));
	return 0;
}

/* DER SubjectPublicKeyInfo of an uncompressed P-256 point, up to the point. */
static const unsigned char p256_spki_prefix[26] = {
	0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01,
	0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07, 0x03, 0x42, 0x00,
};

#define PEM_MAX 256

/*
 * The key as PEM, built here rather than with a crypto library, which the
 * static tvctl would otherwise carry for this alone.  Returns its length.
 */
static size_t pem_public_key(const uint8_t point[65], char pem[PEM_MAX])
{
	static const char b64[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	unsigned char der[sizeof(p256_spki_prefix) + 65];
	size_t n = 0, col = 0;

	memcpy(der, p256_spki_prefix, sizeof(p256_spki_prefix));
	memcpy(der + sizeof(p256_spki_prefix), point, 65);
	n += sprintf(pem, "-----BEGIN PUBLIC KEY-----\n");
	/* 91 bytes: 30 whole groups of three and one of one. */
	for (size_t i = 0; i < sizeof(der); i += 3) {
		uint32_t v = der[i] << 16;
		size_t left = sizeof(der) - i;

		if (left > 1)
			v |= der[i + 1] << 8;
		if (left > 2)
			v |= der[i + 2];
		pem[n++] = b64[v >> 18];
		pem[n++] = b64[(v >> 12) & 63];
		pem[n++] = left > 1 ? b64[(v >> 6) & 63] : '=';
		pem[n++] = left > 2 ? b64[v & 63] : '=';
		col += 4;
		if (col == 64) {
			pem[n++] = '\n';
			col = 0;
		}
	}
	if (col)
		pem[n++] = '\n';
	n += sprintf(pem + n, "-----END PUBLIC KEY-----\n");
	return n;
}

static int cmd_counters(int argc, char **argv)
{
	struct opt opts[] = { { .name = "--file" } };
	const char *words[1];
	bool done, save;
	int nw, rc;

	rc = parse_args("counters", counters_help, argc, argv, opts, 1, words, 1, &nw, &done);
	if (done)
		return rc;
	if (nw != 1 || (strcmp(words[0], "save") && strcmp(words[0], "restore")))
		return usage_error("counters", "save or restore?");
	save = !strcmp(words[0], "save");
	rc = save ? tv_counters_save(opts[0].val) : tv_counters_restore(opts[0].val);
	if (rc == -EKEYREJECTED)
		return fail("counters", "restore: the table is sealed at another NV counter value: "
			    "an older table (a rollback) or a commit that never completed");
	if (rc == -EPERM)
		return fail("counters", "%s: not now (the counters are %s)", words[0],
			    save ? "not durable here, or a commit is under way" : "known already");
	if (rc)
		return fail("counters", "%s: %s", words[0], strerror(-rc));
	printf("counters %s\n", save ? "saved" : "restored");
	return 0;
}

static int cmd_pubkey(int argc, char **argv)
{
	struct opt opts[] = { { .name = "--out" } };
	struct tv_identity_info id;
	char pem[PEM_MAX];
	struct out_file of;
	const char *words[1];
	bool done;
	int nw, rc;
	size_t n;

	rc = parse_args("pubkey", pubkey_help, argc, argv, opts, 1, words, 0, &nw, &done);
	if (done)
		return rc;
	if (opts[0].val && set_path("pubkey", &of, NULL, opts[0].val))
		return 1;
	if (get_identity("pubkey", &id))
		return 1;
	n = pem_public_key(id.pubkey, pem);
	if (!opts[0].val) {
		if (fwrite(pem, 1, n, stdout) != n || fflush(stdout))
			return fail("pubkey", "stdout: %s", strerror(errno));
		return 0;
	}
	of.data = pem;
	of.len = n;
	return commit_files("pubkey", &of, 1);
}

static int hex_digit(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* The nonce, as tpm2_checkquote -q takes it: 0, or 2 after the line. */
static int parse_nonce(const char *cmd, const char *hex, uint8_t nonce[TV_PAL_NONCE_MAX],
		       size_t *len)
{
	size_t digits = strlen(hex);

	if (!digits)
		return usage_error(cmd, "--nonce is empty: give 1 to %u bytes in hex",
				   TV_PAL_NONCE_MAX);
	for (size_t i = 0; i < digits; i++)
		if (hex_digit(hex[i]) < 0)
			return usage_error(cmd, "--nonce: '%c' is not a hex digit", hex[i]);
	if (digits % 2)
		return usage_error(cmd, "--nonce: %zu hex digits, not whole bytes", digits);
	if (digits / 2 > TV_PAL_NONCE_MAX)
		return usage_error(cmd, "--nonce: %zu bytes, more than the %u a quote takes",
				   digits / 2, TV_PAL_NONCE_MAX);
	for (size_t i = 0; i < digits / 2; i++)
		nonce[i] = hex_digit(hex[2 * i]) << 4 | hex_digit(hex[2 * i + 1]);
	*len = digits / 2;
	return 0;
}

/* "0,1,2" into a mask: 0, or 2 after the line. */
static int parse_pcrs(const char *list, uint32_t *mask)
{
	const char *p = list;

	*mask = 0;
	for (;;) {
		unsigned int v = 0;
		const char *start = p;

		while (*p >= '0' && *p <= '9' && p - start < 3)
			v = v * 10 + (*p++ - '0');
		if (p == start || (*p && *p != ','))
			return usage_error("quote", "--pcrs '%s' is not a list of PCR numbers "
					   "such as 0,1,2", list);
		if (v >= TV_PAL_NR_PCRS)
			return usage_error("quote", "--pcrs '%s': no PCR %u (0 to %u)", list, v,
					   TV_PAL_NR_PCRS - 1);
		*mask |= 1u << v;
		if (!*p++)
			break;
	}
	if (!(*mask & 1))
		return usage_error("quote", "--pcrs '%s' must include PCR 0, the PAL's "
				   "measurement", list);
	return 0;
}

/*
 * The files of quote and attest into dir, all or none: dir is created only
 * now, so that a command that failed leaves no trace, and removed again if
 * the files cannot be committed.  0, or 1 after the line.
 */
static int commit_dir(const char *cmd, const char *dir, struct out_file *files, int n)
{
	bool made_dir = false;

	if (mkdir(dir, 0777)) {
		if (errno != EEXIST)
			return fail(cmd, "--out %s: %s", dir, strerror(errno));
	} else {
		made_dir = true;
	}
	if (commit_files(cmd, files, n)) {
		if (made_dir)
			rmdir(dir);
		return 1;
	}
	return 0;
}

enum { Q_ATTEST, Q_SIG, Q_PCRS, Q_KEY, Q_OUTPUT, Q_FILES };

static int cmd_quote(int argc, char **argv)
{
	static unsigned char in[TV_PAL_IO_MAX + 1], out[TV_PAL_IO_MAX];
	struct opt opts[] = {
		{ .name = "--cmd" }, { .name = "--in" }, { .name = "--nonce" },
		{ .name = "--pcrs" }, { .name = "--out" },
	};
	static const char *const names[Q_FILES] = {
		"attest.bin", "sig.bin", "pcrs.bin", "ak.pem", "output.bin",
	};
	uint8_t nonce[TV_PAL_NONCE_MAX], pcr_file[TV_TPM2_PCRS_FILE_MAX];
	size_t len, nonce_len = 0, out_len = sizeof(out);
	struct out_file files[Q_FILES];
	struct tv_identity_info id;
	struct tv_pal_quote_info q;
	bool done;
	int err, rc, nfiles;
	const char *dir;
	struct call_args ca;
	struct tv_pal *pal;
	uint32_t mask = 1;
	long in_len;
	char pem[PEM_MAX];
	struct stat sb;
	int32_t status;
	void *image;

	/* Every argument is checked before anything is read, loaded or written. */
	rc = parse_pal_args("quote", quote_help, argc, argv, opts, 5, &ca, &done);
	if (done)
		return rc;
	if (ca.in_path && !ca.call)
		return usage_error("quote", "--in needs --cmd: the input is the call's");
	if (!opts[2].val)
		return usage_error("quote", "no --nonce HEX given");
	if (parse_nonce("quote", opts[2].val, nonce, &nonce_len))
		return 2;
	if (opts[3].val && parse_pcrs(opts[3].val, &mask))
		return 2;
	dir = opts[4].val;
	if (!dir)
		return usage_error("quote", "no --out DIR given");
	if (!*dir)
		return usage_error("quote", "--out is empty");
	nfiles = ca.call ? Q_FILES : Q_OUTPUT;
	for (int i = 0; i < nfiles; i++)
		if (set_path("quote", &files[i], dir, names[i]))
			return 1;
	if (!stat(dir, &sb) && !S_ISDIR(sb.st_mode))
		return fail("quote", "--out %s: not a directory", dir);

	if (read_pal_args("quote", &ca, &image, &len, in, &in_len) ||
	    get_identity("quote", &id) || load_pal("quote", ca.pal, image, len, &pal))
		return 1;
	if (ca.call) {
		err = tv_pal_call(pal, ca.cmd, in, (size_t)in_len, out, &out_len, &status);
		if (err) {
			print_call_error("quote", pal, err);
			tv_pal_unload(pal);
			return 1;
		}
	}
	err = tv_pal_quote(pal, nonce, nonce_len, mask, &q);
	tv_pal_unload(pal);
	if (err)
		return fail("quote", "PAL_QUOTE: %s%s", tv_strerror(err), dev_hint(err));

	files[Q_ATTEST].data = q.attest;
	files[Q_ATTEST].len = q.attest_len;
	files[Q_SIG].data = q.sig;
	files[Q_SIG].len = q.sig_len;
	files[Q_PCRS].data = pcr_file;
	files[Q_PCRS].len = tv_tpm2_pcrs_serialize(mask, q.pcrs, pcr_file);
	files[Q_KEY].data = pem;
	files[Q_KEY].len = pem_public_key(id.pubkey, pem);
	files[Q_OUTPUT].data = out;
	files[Q_OUTPUT].len = out_len;
	if (commit_dir("quote", dir, files, nfiles))
		return 1;
	if (ca.call) {
		printf("status %d\n", status);
		printf("output %zu bytes\n", out_len);
	}
	for (unsigned int i = 0; i < TV_PAL_NR_PCRS; i++)
		if (mask & (1u << i)) {
			printf("pcr %-2u ", i);
			print_hex(q.pcrs[i], sizeof(q.pcrs[i]));
		}
	printf("check   tpm2_checkquote -u %s -m %s -s %s -f %s -g sha256 -q %s\n",
	       files[Q_KEY].path, files[Q_ATTEST].path, files[Q_SIG].path, files[Q_PCRS].path,
	       opts[2].val);
	return 0;
}

/*
 * The module's evidence log, whole, into log (TV_EVLOG_MAX + 1 bytes): 0,
 * or 1 after the line, which says which of the things it needs is missing.
 */
static int read_evlog(const char *cmd, char *log, size_t *len)
{
	size_t n = 0;
	ssize_t r;
	int fd, err;

	fd = open(TV_EVLOG_PATH, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		err = errno;
		if (err != ENOENT)
			return fail(cmd, "%s: %s", TV_EVLOG_PATH, strerror(err));
		if (access("/sys/kernel/security/lsm", F_OK))
			return fail(cmd, "%s: no securityfs (mount -t securityfs securityfs "
				    "/sys/kernel/security)", TV_EVLOG_PATH);
		if (access(TV_DEVICE, F_OK))
			return fail(cmd, "no %s: is trustvisor.ko loaded?", TV_DEVICE);
		return fail(cmd, "no evidence log: the monitor was loaded without a "
			    "TPM 2.0 (tvctl identity)");
	}
	/* The whole log or nothing: more than the module keeps is not its log. */
	while ((r = read(fd, log + n, TV_EVLOG_MAX + 1 - n)) > 0)
		n += (size_t)r;
	err = errno;
	close(fd);
	if (r < 0)
		return fail(cmd, "%s: %s", TV_EVLOG_PATH, strerror(err));
	if (n > TV_EVLOG_MAX)
		return fail(cmd, "%s: longer than the %u bytes a log holds", TV_EVLOG_PATH,
			    TV_EVLOG_MAX);
	*len = n;
	return 0;
}

static int cmd_eventlog(int argc, char **argv)
{
	static char log[TV_EVLOG_MAX + 1];
	struct opt opts[] = { { .name = "--out" } };
	struct out_file of;
	const char *words[1];
	size_t n = 0;
	bool done;
	int nw, rc;

	rc = parse_args("eventlog", eventlog_help, argc, argv, opts, 1, words, 0, &nw, &done);
	if (done)
		return rc;
	if (opts[0].val && set_path("eventlog", &of, NULL, opts[0].val))
		return 1;
	if (read_evlog("eventlog", log, &n))
		return 1;
	if (!opts[0].val) {
		if (fwrite(log, 1, n, stdout) != n || fflush(stdout))
			return fail("eventlog", "stdout: %s", strerror(errno));
		return 0;
	}
	of.data = log;
	of.len = n;
	return commit_files("eventlog", &of, 1);
}

/* 64 hex digits into a SHA-256 digest: 0, or 2 after the line. */
static int parse_sha256(const char *cmd, const char *opt, const char *hex, uint8_t out[32])
{
	if (strlen(hex) != 64)
		return usage_error(cmd, "%s: %zu hex digits, not the 64 of a SHA-256 digest", opt,
				   strlen(hex));
	for (int i = 0; i < 64; i++)
		if (hex_digit(hex[i]) < 0)
			return usage_error(cmd, "%s: '%c' is not a hex digit", opt, hex[i]);
	for (int i = 0; i < 32; i++)
		out[i] = hex_digit(hex[2 * i]) << 4 | hex_digit(hex[2 * i + 1]);
	return 0;
}

static char **main_argv;

#ifndef TVCTL_TPM
/*
 * attest and verify need OpenSSL and tpm2-tss, shared libraries only: this
 * static tvctl runs tvctl-tpm for them (userspace/tvctl_evidence.h), found
 * beside it in the build tree or in PREFIX/libexec/trustvisor once
 * installed, never through PATH, which would let anyone's program judge
 * the evidence.  Returns only on failure, 1 after the line.
 */
static int run_helper(const char *cmd)
{
	static const char *const rel[] = { "tvctl-tpm", "../libexec/trustvisor/tvctl-tpm" };
	char self[PATH_MAX], path[PATH_MAX + 64];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	char *slash;

	if (n <= 0)
		return fail(cmd, "/proc/self/exe: %s", n ? strerror(errno) : "empty");
	self[n] = 0;
	slash = strrchr(self, '/');
	*slash = 0;
	for (size_t i = 0; i < sizeof(rel) / sizeof(rel[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", self, rel[i]);
		if (access(path, X_OK))
			continue;
		main_argv[0] = path;
		fflush(stdout);
		execv(path, main_argv);
		return fail(cmd, "%s: %s", path, strerror(errno));
	}
	return fail(cmd, "no tvctl-tpm beside %s/tvctl nor in ../libexec/trustvisor (it does "
		    "%s: make install puts it there)", self, cmd);
}
#endif

enum {
	A_TPM_ATTEST, A_TPM_SIG, A_TPM_PCRS, A_AK_PUB, A_AK_QNAME, A_EVENTLOG, A_IDENTITY,
	A_PAL_ATTEST, A_PAL_SIG, A_PAL_PCRS, A_PAL_OUTPUT, A_FILES
};

static int cmd_attest(int argc, char **argv)
{
	struct opt opts[] = {
		{ .name = "--nonce" }, { .name = "--ak-handle" }, { .name = "--pal" },
		{ .name = "--cmd" }, { .name = "--in" }, { .name = "--out" },
	};
	uint8_t nonce[TV_PAL_NONCE_MAX];
	size_t nonce_len = 0;
	unsigned int handle;
	struct call_args ca = { 0 };
	const char *words[1];
	bool done;
	int nw, rc;

	/* Every argument is checked here, before anything is read or written. */
	rc = parse_args("attest", attest_help, argc, argv, opts, 6, words, 0, &nw, &done);
	if (done)
		return rc;
	if (!opts[0].val)
		return usage_error("attest", "no --nonce HEX given");
	if (parse_nonce("attest", opts[0].val, nonce, &nonce_len))
		return 2;
	if (!opts[1].val)
		return usage_error("attest", "no --ak-handle HANDLE given");
	if (parse_u32(opts[1].val, &handle) || handle < 0x81000000u || handle > 0x81ffffffu)
		return usage_error("attest", "--ak-handle '%s' is not a persistent TPM handle "
				   "(0x81000000 to 0x81ffffff)", opts[1].val);
	if (!opts[2].val)
		return usage_error("attest", "no --pal PAL given");
	ca.pal = opts[2].val;
	ca.call = opts[3].val;
	ca.in_path = opts[4].val;
	if (opts[3].val && parse_u32(opts[3].val, &ca.cmd))
		return usage_error("attest", "--cmd '%s' is not a 32-bit number", opts[3].val);
	if (ca.in_path && !ca.call)
		return usage_error("attest", "--in needs --cmd: the input is the call's");
	if (!opts[5].val)
		return usage_error("attest", "no --out DIR given");
	if (!*opts[5].val)
		return usage_error("attest", "--out is empty");
#ifndef TVCTL_TPM
	return run_helper("attest");
#else
	static const char *const names[A_FILES] = {
		TV_DIR_TPM_ATTEST, TV_DIR_TPM_SIG, TV_DIR_TPM_PCRS, TV_DIR_AK_PUB, TV_DIR_AK_QNAME,
		TV_DIR_EVENTLOG, TV_DIR_IDENTITY, TV_DIR_PAL_ATTEST, TV_DIR_PAL_SIG,
		TV_DIR_PAL_PCRS, TV_DIR_PAL_OUTPUT,
	};
	static unsigned char in[TV_PAL_IO_MAX + 1], out[TV_PAL_IO_MAX];
	static char log[TV_EVLOG_MAX + 1];
	static struct tv_tpm_evidence ev;
	static struct tv_pal_quote_info q;
	uint8_t tpm_pcrs[TV_TPM2_PCRS_FILE_MAX], pal_pcrs[TV_TPM2_PCRS_FILE_MAX], meas[32];
	struct out_file files[A_FILES];
	struct tv_identity_info id;
	size_t len, log_len = 0, out_len = sizeof(out);
	const char *dir = opts[5].val;
	int nfiles = ca.call ? A_FILES : A_PAL_OUTPUT, err;
	struct tv_pal *pal;
	struct stat sb;
	int32_t status;
	long in_len;
	void *image;

	for (int i = 0; i < nfiles; i++)
		if (set_path("attest", &files[i], dir, names[i]))
			return 1;
	if (!stat(dir, &sb) && !S_ISDIR(sb.st_mode))
		return fail("attest", "--out %s: not a directory", dir);
	if (read_pal_args("attest", &ca, &image, &len, in, &in_len) || get_identity("attest", &id))
		return 1;
	if (!(id.flags & TV_ID_F_TPM))
		return fail("attest", "the monitor was loaded without a TPM 2.0: there is no "
			    "launch evidence to attest");
	if (load_pal("attest", ca.pal, image, len, &pal))
		return 1;
	if (ca.call) {
		err = tv_pal_call(pal, ca.cmd, in, (size_t)in_len, out, &out_len, &status);
		if (err) {
			print_call_error("attest", pal, err);
			tv_pal_unload(pal);
			return 1;
		}
	}
	err = tv_pal_measurement(pal, meas);
	err = err ?: tv_pal_quote(pal, nonce, nonce_len, (1u << TV_PAL_NR_PCRS) - 1, &q);
	tv_pal_unload(pal);
	if (err)
		return fail("attest", "PAL_QUOTE: %s%s", tv_strerror(err), dev_hint(err));
	/* The log after the quote: an event in between fails verify, never fools it. */
	if (tv_tpm_quote(handle, nonce, nonce_len, id.evidence_pcr, &ev) ||
	    read_evlog("attest", log, &log_len))
		return 1;

	files[A_TPM_ATTEST].data = ev.attest;
	files[A_TPM_ATTEST].len = ev.attest_len;
	files[A_TPM_SIG].data = ev.sig;
	files[A_TPM_SIG].len = ev.sig_len;
	files[A_TPM_PCRS].data = tpm_pcrs;
	files[A_TPM_PCRS].len = tv_tpm2_pcrs_serialize(ev.pcr_mask, ev.pcrs, tpm_pcrs);
	files[A_AK_PUB].data = ev.ak_pub;
	files[A_AK_PUB].len = ev.ak_pub_len;
	files[A_AK_QNAME].data = ev.ak_qname;
	files[A_AK_QNAME].len = ev.ak_qname_len;
	files[A_EVENTLOG].data = log;
	files[A_EVENTLOG].len = log_len;
	files[A_IDENTITY].data = id.public_area;
	files[A_IDENTITY].len = id.public_area_len;
	files[A_PAL_ATTEST].data = q.attest;
	files[A_PAL_ATTEST].len = q.attest_len;
	files[A_PAL_SIG].data = q.sig;
	files[A_PAL_SIG].len = q.sig_len;
	files[A_PAL_PCRS].data = pal_pcrs;
	files[A_PAL_PCRS].len = tv_tpm2_pcrs_serialize(q.pcr_mask, q.pcrs, pal_pcrs);
	files[A_PAL_OUTPUT].data = out;
	files[A_PAL_OUTPUT].len = out_len;
	if (commit_dir("attest", dir, files, nfiles))
		return 1;
	if (ca.call) {
		printf("status %d\n", status);
		printf("output %zu bytes\n", out_len);
	}
	printf("evidence pcr %u\n", id.evidence_pcr);
	printf("check   tvctl verify %s --nonce %s --ak AK.pem --monitor ", dir, opts[0].val);
	for (int i = 0; i < 32; i++)
		printf("%02x", id.measurement[i]);
	printf(" --pal ");
	print_hex(meas, sizeof(meas));
	return 0;
#endif
}

static int cmd_verify(int argc, char **argv)
{
	struct opt opts[] = {
		{ .name = "--nonce" }, { .name = "--ak" }, { .name = "--monitor" },
		{ .name = "--pal" }, { .name = "--boot-pcrs" }, { .name = "--identity" },
	};
	struct tv_verify_args va = { 0 };
	const char *words[1];
	bool done;
	int nw, rc;

	rc = parse_args("verify", verify_help, argc, argv, opts, 6, words, 1, &nw, &done);
	if (done)
		return rc;
	if (!nw)
		return usage_error("verify", "no DIR named");
	va.dir = words[0];
	if (!opts[0].val)
		return usage_error("verify", "no --nonce HEX given");
	if (parse_nonce("verify", opts[0].val, va.nonce, &va.nonce_len))
		return 2;
	if (!opts[1].val)
		return usage_error("verify", "no --ak PEM given: the AK must come from the "
				   "verifier's records, never from DIR");
	va.ak_pem = opts[1].val;
	if (!opts[2].val)
		return usage_error("verify", "no --monitor SHA256 given");
	if (parse_sha256("verify", "--monitor", opts[2].val, va.monitor))
		return 2;
	va.have_pal = opts[3].val;
	if (va.have_pal && parse_sha256("verify", "--pal", opts[3].val, va.pal))
		return 2;
	va.boot_pcrs = opts[4].val;
	va.identity_pem = opts[5].val;
#ifndef TVCTL_TPM
	return run_helper("verify");
#else
	return tv_verify(&va);
#endif
}

struct command {
	const char *name;
	const char *help;
	int (*run)(int argc, char **argv);
};

static const struct command commands[] = {
	{ "status", status_help, cmd_status },
	{ "cpu", cpu_help, cmd_cpu },
	{ "measure", measure_help, cmd_measure },
	{ "inspect", inspect_help, cmd_inspect },
	{ "run", run_help, cmd_run },
	{ "identity", identity_help, cmd_identity },
	{ "counters", counters_help, cmd_counters },
	{ "pubkey", pubkey_help, cmd_pubkey },
	{ "quote", quote_help, cmd_quote },
	{ "eventlog", eventlog_help, cmd_eventlog },
	{ "attest", attest_help, cmd_attest },
	{ "verify", verify_help, cmd_verify },
};

static const struct command *find_command(const char *name)
{
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(name, commands[i].name))
			return &commands[i];
	return NULL;
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : "";
	const struct command *c;

	main_argv = argv;
	if (!strcmp(cmd, "help") || !strcmp(cmd, "--help") || !strcmp(cmd, "-h")) {
		if (argc == 2) {
			fputs(usage_text, stdout);
			return 0;
		}
		c = argc == 3 ? find_command(argv[2]) : NULL;
		if (!c) {
			fprintf(stderr, "tvctl: help: %s '%s' (see tvctl --help)\n",
				argc == 3 ? "no command" : "one command at a time, not", argv[2]);
			return 2;
		}
		fputs(c->help, stdout);
		return 0;
	}
	if (!*cmd) {
		fprintf(stderr, "tvctl: no command given\n%s", usage_text);
		return 2;
	}
	c = find_command(cmd);
	if (!c) {
		fprintf(stderr, "tvctl: unknown command '%s' (see tvctl --help)\n", cmd);
		return 2;
	}
	return c->run(argc - 2, argv + 2);
}
