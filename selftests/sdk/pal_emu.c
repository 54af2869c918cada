// SPDX-License-Identifier: GPL-2.0
/*
 * pal_emu: runs one call of a PAL image in this process, the way the
 * monitor sets it up (include/trustvisor/pal_abi.h), so the SDK's runtime,
 * linker script and packer are tested end to end without VMX:
 *   - each section mapped at its address with its permissions (W^X holds
 *     for real: a write to code or rodata faults), the input read-only at
 *     TV_PAL_IN_VA, the output at TV_PAL_OUT_VA, the stack below
 *     TV_PAL_STACK_TOP with an unmapped guard page under it;
 *   - entry with the documented registers and every other one zero.
 * The exit VMCALL, executed outside VMX operation, traps (#UD natively; a
 * hypervisor may inject #GP, or skip it so the ud2 after it traps): the
 * signal handler reads RAX, RDI and RSI at that point, as the monitor would.
 * Any other trap is the PAL's fault.
 *
 * With --state FILE the services of <trustvisor/pal.h> are emulated too, so
 * PALs that use them (the examples) run here: a service VMCALL traps the
 * same way, the handler does the service with the registers as arguments,
 * puts the result in RAX and resumes the PAL after the VMCALL.  The
 * contracts are the monitor's (pal.h, pal_abi.h: the same checks, codes
 * and sizes), the formats are not (this is no µTPM): FILE holds what
 * outlives a PAL in the monitor, a sealing key and the counters of this
 * one image, and is written back at the end; a missing FILE is a monitor
 * just loaded (a new key, counters at 0), so deleting it is a module
 * reload.  PCRs start as at a load (PCR 0 = SHA-256(0^32 || measurement),
 * the others zero).  A blob is "EMUBLOB1", the recipient's measurement,
 * the PCR mask and composite, the data's length, the data, and an
 * HMAC-SHA-256 of all that under the key.  A quote has the real one's
 * framing and nothing signed: a TPM2B holding "emu-attest", the nonce and
 * the PCR composite, then "emu-sig".  --fixed-random makes every random
 * byte 0x42, for outputs a test can know in advance.
 *
 * usage: pal_emu [--cmd N] [--in FILE] [--cap BYTES] [--rsp-skew N] [--out FILE]
 *                [--state FILE [--fixed-random]] IMAGE
 * Prints "status S" and "output N bytes" and the output, quoted (up to 256
 * bytes), or
 * "fault SIGNAL at RIP 0x... addr 0x..."; exits 0 (returned), 3 (fault or
 * bad hypercall), 4 (cannot emulate here: skip), 1 (usage or input error).
 * --out FILE also writes the output to FILE when the PAL returned.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <ucontext.h>
#include <unistd.h>
#include "lib/ct.h"
#include "lib/hmac.h"
#include "lib/pal_image.h"
#include "lib/sha256.h"

#define EXIT_FAULT 3
#define EXIT_SKIP 4

static sigjmp_buf back;
static volatile sig_atomic_t trapped_sig;
static volatile uint64_t trap_rip, trap_addr, trap_rax, trap_rdi, trap_rsi;
static volatile int trap_hypercall, trap_rax_known;
static struct tv_pal_header hdr;
static struct tv_pal_section secs[TV_PAL_MAX_SECTIONS];

/* --state: what the emulated monitor keeps, and this load's PCRs. */
static struct emu_state {
	uint8_t key[32];
	uint64_t counters[TV_PAL_NR_COUNTERS];
} state;
static int services, fixed_random;
static uint8_t measurement[32];
static uint8_t pcrs[TV_PAL_NR_PCRS][32];

#define BLOB_MAGIC "EMUBLOB1"
#define BLOB_HDR (8 + 32 + 4 + 32 + 4)	/* magic, recipient, mask, composite, length */
#define BLOB_MAC 32
#define ATTEST_TAG "emu-attest"
#define SIG_TAG "emu-sig"

static int in_exec_section(uint64_t va, uint64_t len)
{
	for (uint32_t i = 0; i < hdr.nr_sections; i++)
		if ((secs[i].flags & TV_PAL_SEC_X) && va >= secs[i].vaddr &&
		    va - secs[i].vaddr <= secs[i].memsz - len && len <= secs[i].memsz)
			return 1;
	return 0;
}

/*
 * VMCALL does not fault everywhere in user mode: under KVM it is the
 * hypervisor's, which answers a CPL-3 caller -KVM_EPERM (-1) in RAX and
 * goes on.  So each VMCALL in the PAL's code is made a UD2 (0f 0b, then
 * the VMCALL's last byte, never run), which faults on every host, and its
 * address is kept here.  A 0f 01 c1 that is not an instruction (inside an
 * immediate, say) would be patched too: the test PALs have none.
 */
#define MAX_VMCALLS 4096
static uint64_t vmcalls[MAX_VMCALLS];
static uint32_t nr_vmcalls;

static void patch_vmcalls(uint64_t va, uint64_t len)
{
	unsigned char *p = (unsigned char *)va;

	for (uint64_t i = 0; i + 3 <= len; i++) {
		if (p[i] != 0x0f || p[i + 1] != 0x01 || p[i + 2] != 0xc1)
			continue;
		if (nr_vmcalls == MAX_VMCALLS) {
			fprintf(stderr, "pal_emu: more than %d VMCALLs in the PAL\n", MAX_VMCALLS);
			exit(EXIT_FAILURE);
		}
		p[i + 1] = 0x0b;
		vmcalls[nr_vmcalls++] = va + i;
	}
}

static int is_vmcall(uint64_t va)
{
	const unsigned char *p = (const unsigned char *)va;

	if (!in_exec_section(va, 3))
		return 0;
	for (uint32_t i = 0; i < nr_vmcalls; i++)
		if (vmcalls[i] == va)
			return 1;
	return p[0] == 0x0f && p[1] == 0x01 && p[2] == 0xc1;
}

/*
 * Whether the PAL itself could access [va, va + len), for writing if
 * `write`: the monitor checks a service's buffers against the PAL's page
 * tables, here against the same map.  A buffer must lie in one region.
 */
static int pal_can(uint64_t va, uint64_t len, int write)
{
	uint64_t stack = TV_PAL_STACK_TOP - hdr.stack_size;

	if (!len)
		return 1;
	if (va + len < va)
		return 0;
	for (uint32_t i = 0; i < hdr.nr_sections; i++)
		if (va >= secs[i].vaddr && va + len <= secs[i].vaddr + secs[i].memsz)
			return !write || (secs[i].flags & TV_PAL_SEC_W);
	if (va >= TV_PAL_IN_VA && va + len <= TV_PAL_IN_VA + TV_PAL_IO_MAX)
		return !write;
	if (va >= TV_PAL_OUT_VA && va + len <= TV_PAL_OUT_VA + TV_PAL_IO_MAX)
		return 1;
	return va >= stack && va + len <= TV_PAL_STACK_TOP;
}

/* SHA-256 over the values of the PCRs in mask, in ascending order. */
static void composite(uint32_t mask, uint8_t out[32])
{
	struct sha256_ctx c;

	sha256_init(&c);
	for (int i = 0; i < TV_PAL_NR_PCRS; i++)
		if (mask & (1U << i))
			sha256_update(&c, pcrs[i], 32);
	sha256_final(&c, out);
}

static int svc_seal(const void *data, uint64_t len, const struct tv_seal_policy *pol,
		    uint8_t *blob, size_t *blob_len)
{
	const uint32_t known = TV_SEAL_F_PCR_DIGEST | TV_SEAL_F_RELEASE_TO;
	uint32_t mask = 0, len32 = (uint32_t)len;
	uint8_t digest[32] = { 0 };
	const uint8_t *to = measurement;
	size_t need = BLOB_HDR + len + BLOB_MAC;

	if (!pal_can((uint64_t)blob_len, sizeof(*blob_len), 1))
		return TV_PAL_EFAULT;
	if (len > TV_PAL_SEAL_MAX)
		return TV_PAL_ERANGE;
	if (!pal_can((uint64_t)data, len, 0) || (pol && !pal_can((uint64_t)pol, sizeof(*pol), 0)))
		return TV_PAL_EFAULT;
	if (pol) {
		/* Released to another PAL, a PCR policy needs its digest given (docs/utpm.md). */
		if ((pol->flags & ~known) || pol->pcr_mask >> TV_PAL_NR_PCRS ||
		    (!pol->pcr_mask && (pol->flags & TV_SEAL_F_PCR_DIGEST)) ||
		    (pol->pcr_mask && (pol->flags & TV_SEAL_F_RELEASE_TO) &&
		     !(pol->flags & TV_SEAL_F_PCR_DIGEST)))
			return TV_PAL_EINVAL;
		mask = pol->pcr_mask;
		if (pol->flags & TV_SEAL_F_PCR_DIGEST)
			memcpy(digest, pol->pcr_digest, 32);
		else if (mask)
			composite(mask, digest);
		if (pol->flags & TV_SEAL_F_RELEASE_TO)
			to = pol->release_to;
	}
	if (*blob_len < need) {
		*blob_len = need;
		return TV_PAL_ENOSPC;
	}
	if (!pal_can((uint64_t)blob, need, 1))
		return TV_PAL_EFAULT;
	memcpy(blob, BLOB_MAGIC, 8);
	memcpy(blob + 8, to, 32);
	memcpy(blob + 40, &mask, 4);
	memcpy(blob + 44, digest, 32);
	memcpy(blob + 76, &len32, 4);
	memcpy(blob + BLOB_HDR, data, len);
	hmac_sha256(state.key, sizeof(state.key), blob, BLOB_HDR + len, blob + BLOB_HDR + len);
	*blob_len = need;
	return 0;
}

static int svc_unseal(const uint8_t *blob, uint64_t blob_len, void *data, size_t *len)
{
	uint8_t mac[32], now[32];
	uint32_t mask, dlen;

	if (!pal_can((uint64_t)len, sizeof(*len), 1) || !pal_can((uint64_t)blob, blob_len, 0))
		return TV_PAL_EFAULT;
	if (blob_len < BLOB_HDR + BLOB_MAC || memcmp(blob, BLOB_MAGIC, 8))
		return TV_PAL_EBADMSG;
	memcpy(&mask, blob + 40, 4);
	memcpy(&dlen, blob + 76, 4);
	if (dlen > TV_PAL_SEAL_MAX || blob_len != BLOB_HDR + dlen + BLOB_MAC)
		return TV_PAL_EBADMSG;
	hmac_sha256(state.key, sizeof(state.key), blob, BLOB_HDR + dlen, mac);
	if (!ct_memeq(mac, blob + BLOB_HDR + dlen, BLOB_MAC))
		return TV_PAL_EBADMSG;
	composite(mask, now);
	if (memcmp(blob + 8, measurement, 32) || (mask && memcmp(blob + 44, now, 32)))
		return TV_PAL_EACCES;
	if (*len < dlen) {
		*len = dlen;
		return TV_PAL_ENOSPC;
	}
	if (!pal_can((uint64_t)data, dlen, 1))
		return TV_PAL_EFAULT;
	memcpy(data, blob + BLOB_HDR, dlen);
	*len = dlen;
	return 0;
}

static int svc_quote(const void *nonce, uint64_t nonce_len, uint32_t mask, uint8_t *quote,
		     size_t *quote_len)
{
	size_t attest = strlen(ATTEST_TAG) + nonce_len + 32;
	size_t need = 2 + attest + strlen(SIG_TAG);
	uint8_t *p = quote + 2;

	if (!pal_can((uint64_t)quote_len, sizeof(*quote_len), 1))
		return TV_PAL_EFAULT;
	if (nonce_len > TV_PAL_NONCE_MAX)
		return TV_PAL_ERANGE;
	if (!(mask & 1) || mask >> TV_PAL_NR_PCRS)
		return TV_PAL_EINVAL;
	if (!pal_can((uint64_t)nonce, nonce_len, 0))
		return TV_PAL_EFAULT;
	if (*quote_len < need) {
		*quote_len = need;
		return TV_PAL_ENOSPC;
	}
	if (!pal_can((uint64_t)quote, need, 1))
		return TV_PAL_EFAULT;
	quote[0] = (uint8_t)(attest >> 8);
	quote[1] = (uint8_t)attest;
	memcpy(p, ATTEST_TAG, strlen(ATTEST_TAG));
	p += strlen(ATTEST_TAG);
	memcpy(p, nonce, nonce_len);
	composite(mask, p + nonce_len);
	memcpy(p + nonce_len + 32, SIG_TAG, strlen(SIG_TAG));
	*quote_len = need;
	return 0;
}

/* One service: the VMCALL's RAX and argument registers; its result. */
static int service(uint64_t nr, const uint64_t a[5])
{
	uint8_t *p1 = (uint8_t *)a[1];

	switch (nr) {
	case TV_PAL_HC_RANDOM:
		if (a[1] > TV_PAL_RANDOM_MAX)
			return TV_PAL_ERANGE;
		if (!pal_can(a[0], a[1], 1))
			return TV_PAL_EFAULT;
		if (fixed_random) {
			memset((void *)a[0], 0x42, a[1]);
			return 0;
		}
		for (uint64_t done = 0; done < a[1];) {
			ssize_t got = getrandom((uint8_t *)a[0] + done, a[1] - done, 0);

			if (got < 0)
				return TV_PAL_EAGAIN;
			done += (uint64_t)got;
		}
		return 0;
	case TV_PAL_HC_PCR_READ:
	case TV_PAL_HC_PCR_EXTEND:
		if (a[0] >= TV_PAL_NR_PCRS)
			return TV_PAL_EINVAL;
		if (nr == TV_PAL_HC_PCR_EXTEND && a[0] == 0)
			return TV_PAL_EPERM;
		if (!pal_can(a[1], 32, nr == TV_PAL_HC_PCR_READ))
			return TV_PAL_EFAULT;
		if (nr == TV_PAL_HC_PCR_READ) {
			memcpy(p1, pcrs[a[0]], 32);
		} else {
			struct sha256_ctx c;

			sha256_init(&c);
			sha256_update(&c, pcrs[a[0]], 32);
			sha256_update(&c, p1, 32);
			sha256_final(&c, pcrs[a[0]]);
		}
		return 0;
	case TV_PAL_HC_SEAL:
		return svc_seal((const void *)a[0], a[1], (const struct tv_seal_policy *)a[2],
				(uint8_t *)a[3], (size_t *)a[4]);
	case TV_PAL_HC_UNSEAL:
		return svc_unseal((const uint8_t *)a[0], a[1], (void *)a[2], (size_t *)a[3]);
	case TV_PAL_HC_QUOTE:
		return svc_quote((const void *)a[0], a[1], (uint32_t)a[2], (uint8_t *)a[3],
				 (size_t *)a[4]);
	case TV_PAL_HC_COUNTER_COMMIT:
		return 0;	/* the state file is written after every call anyway */
	case TV_PAL_HC_COUNTER_READ:
	case TV_PAL_HC_COUNTER_INC:
		if (a[0] >= TV_PAL_NR_COUNTERS)
			return TV_PAL_EINVAL;
		if (!pal_can(a[1], 8, 1))
			return TV_PAL_EFAULT;
		if (nr == TV_PAL_HC_COUNTER_INC) {
			if (state.counters[a[0]] == UINT64_MAX)
				return TV_PAL_EOVERFLOW;
			state.counters[a[0]]++;
		}
		memcpy(p1, &state.counters[a[0]], 8);
		return 0;
	}
	return 1;	/* not a service */
}

static void on_trap(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;
	greg_t *g = uc->uc_mcontext.gregs;
	uint64_t rip = (uint64_t)g[REG_RIP];
	const unsigned char *p = (const unsigned char *)rip;

	if (services && is_vmcall(rip)) {
		const uint64_t args[5] = { g[REG_RDI], g[REG_RSI], g[REG_RDX], g[REG_RCX],
					   g[REG_R8] };
		int rc = service((uint64_t)g[REG_RAX], args);

		/* The monitor's way: the result in RAX, the PAL resumed after the VMCALL. */
		if (rc <= 0) {
			g[REG_RAX] = (greg_t)(int64_t)rc;
			g[REG_RIP] = (greg_t)(rip + 3);
			return;
		}
	}
	trapped_sig = sig;
	trap_rip = rip;
	trap_addr = (uint64_t)si->si_addr;
	trap_rdi = (uint64_t)g[REG_RDI];
	trap_rsi = (uint64_t)g[REG_RSI];
	trap_rax = (uint64_t)g[REG_RAX];
	if (is_vmcall(rip)) {
		trap_hypercall = 1;
		trap_rax_known = 1;
	} else if (rip >= 3 && in_exec_section(rip, 2) && p[0] == 0x0f && p[1] == 0x0b &&
		   is_vmcall(rip - 3)) {
		trap_hypercall = 1;	/* a hypervisor skipped it and clobbered RAX */
		trap_rip = rip - 3;
	}
	siglongjmp(back, 1);
}

static void *read_file(const char *path, size_t *len)
{
	struct stat sb;
	void *buf;
	int fd = open(path, O_RDONLY);

	if (fd < 0 || fstat(fd, &sb)) {
		fprintf(stderr, "pal_emu: %s: %s\n", path, strerror(errno));
		exit(1);
	}
	buf = malloc(sb.st_size + 1);
	if (!buf || read(fd, buf, sb.st_size) != sb.st_size) {
		fprintf(stderr, "pal_emu: %s: cannot read it\n", path);
		exit(1);
	}
	close(fd);
	*len = sb.st_size;
	return buf;
}

/* --state FILE: a missing file is a monitor just loaded. */
static void state_load(const char *path)
{
	FILE *f = fopen(path, "rb");

	if (!f) {
		if (getrandom(state.key, sizeof(state.key), 0) != sizeof(state.key)) {
			fprintf(stderr, "pal_emu: getrandom: %s\n", strerror(errno));
			exit(1);
		}
		return;
	}
	if (fread(&state, sizeof(state), 1, f) != 1) {
		fprintf(stderr, "pal_emu: %s: not a state file\n", path);
		exit(1);
	}
	fclose(f);
}

static void state_save(const char *path)
{
	FILE *f = fopen(path, "wb");

	if (!f || fwrite(&state, sizeof(state), 1, f) != 1 || fclose(f)) {
		fprintf(stderr, "pal_emu: %s: cannot write it\n", path);
		exit(1);
	}
}

static void write_file(const char *path, const void *p, size_t n)
{
	FILE *f = fopen(path, "wb");

	if (!f || fwrite(p, 1, n, f) != n || fclose(f)) {
		fprintf(stderr, "pal_emu: %s: cannot write it\n", path);
		exit(1);
	}
}

/* Services need the VMCALL to trap; a hypervisor may skip it instead. */
static __attribute__((noinline)) int vmcall_traps(void)
{
	if (sigsetjmp(back, 1)) {
		trapped_sig = 0;
		return 1;
	}
	asm volatile("vmcall" : : : "memory");
	return 0;
}

static void map_at(uint64_t va, uint64_t len, const char *what)
{
	void *p = mmap((void *)va, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);

	if (p != (void *)va) {
		printf("# pal_emu: cannot map the %s at 0x%llx: %s\n", what,
		       (unsigned long long)va, strerror(errno));
		exit(EXIT_SKIP);
	}
}

static void protect(uint64_t va, uint64_t len, int prot, const char *what)
{
	if (mprotect((void *)va, len, prot)) {
		fprintf(stderr, "pal_emu: mprotect %s: %s\n", what, strerror(errno));
		exit(1);
	}
}

/*
 * The registers the monitor hands over; every other one zero.  RSP is set
 * to TOP - 8 holding the entry, so `ret` enters the PAL with RSP = TOP and
 * without a register left pointing anywhere.
 */
static void __attribute__((noreturn)) enter(const uint64_t *r)
{
	register const uint64_t *regs asm("r11") = r;

	asm volatile("mov 0(%%r11), %%rdi\n\t"
		     "mov 8(%%r11), %%rsi\n\t"
		     "mov 16(%%r11), %%rdx\n\t"
		     "mov 24(%%r11), %%rcx\n\t"
		     "mov 32(%%r11), %%r8\n\t"
		     "mov 40(%%r11), %%rsp\n\t"
		     "xor %%eax, %%eax\n\t"
		     "xor %%ebx, %%ebx\n\t"
		     "xor %%ebp, %%ebp\n\t"
		     "xor %%r9d, %%r9d\n\t"
		     "xor %%r10d, %%r10d\n\t"
		     "xor %%r11d, %%r11d\n\t"
		     "xor %%r12d, %%r12d\n\t"
		     "xor %%r13d, %%r13d\n\t"
		     "xor %%r14d, %%r14d\n\t"
		     "xor %%r15d, %%r15d\n\t"
		     "cld\n\t"
		     "ret"
		     : : "r"(regs) : "memory");
	__builtin_unreachable();
}

static void print_output(const unsigned char *p, uint64_t n)
{
	if (n > 256)
		return;		/* the byte count says enough */
	printf("output \"");
	for (uint64_t i = 0; i < n; i++) {
		int plain = p[i] >= 0x20 && p[i] < 0x7f && p[i] != '"' && p[i] != '\\';

		printf(plain ? "%c" : "\\x%02x", p[i]);
	}
	printf("\"\n");
}

int main(int argc, char **argv)
{
	/* Static: read again after the siglongjmp back from the PAL. */
	static uint64_t regs[6], cap = TV_PAL_IO_MAX;
	static const char *out_path, *state_path;
	const char *image_path = NULL, *in_path = NULL;
	uint64_t cmd = 0, skew = 0, off;
	size_t len, in_len = 0;
	unsigned char *img, *in = NULL;
	stack_t ss;
	struct sigaction sa;
	int err;

	for (int i = 1; i < argc; i++) {
		if (i + 1 < argc && !strcmp(argv[i], "--cmd"))
			cmd = strtoull(argv[++i], NULL, 0);
		else if (i + 1 < argc && !strcmp(argv[i], "--in"))
			in_path = argv[++i];
		else if (i + 1 < argc && !strcmp(argv[i], "--cap"))
			cap = strtoull(argv[++i], NULL, 0);
		else if (i + 1 < argc && !strcmp(argv[i], "--rsp-skew"))
			skew = strtoull(argv[++i], NULL, 0);
		else if (i + 1 < argc && !strcmp(argv[i], "--out"))
			out_path = argv[++i];
		else if (i + 1 < argc && !strcmp(argv[i], "--state"))
			state_path = argv[++i];
		else if (!strcmp(argv[i], "--fixed-random"))
			fixed_random = 1;
		else if (!image_path && argv[i][0] != '-')
			image_path = argv[i];
		else
			image_path = NULL, i = argc;
	}
	if (!image_path || cap > TV_PAL_IO_MAX) {
		fprintf(stderr, "usage: pal_emu [--cmd N] [--in FILE] [--cap BYTES] "
			"[--rsp-skew N] [--out FILE] [--state FILE [--fixed-random]] IMAGE\n");
		return 1;
	}
	if (!__builtin_cpu_supports("avx2") || !__builtin_cpu_supports("bmi2") ||
	    !__builtin_cpu_supports("fma")) {
		printf("# pal_emu: this CPU is not x86-64-v3\n");
		return EXIT_SKIP;
	}
	img = read_file(image_path, &len);
	if (in_path) {
		in = read_file(in_path, &in_len);
		if (in_len > TV_PAL_IO_MAX) {
			fprintf(stderr, "pal_emu: %s: input beyond 64 KiB\n", in_path);
			return 1;
		}
	}
	if (len < sizeof(hdr)) {
		fprintf(stderr, "pal_emu: %s: too short\n", image_path);
		return 1;
	}
	memcpy(&hdr, img, sizeof(hdr));
	err = tv_pal_header_check(&hdr, len);
	if (!err) {
		memcpy(secs, img + sizeof(hdr), hdr.nr_sections * sizeof(secs[0]));
		err = tv_pal_image_check(&hdr, secs, len);
	}
	if (err) {
		fprintf(stderr, "pal_emu: %s: %s\n", image_path, tv_pal_img_strerror(err));
		return 1;
	}

	if (state_path) {
		state_load(state_path);
		sha256(img, len, measurement);
		memset(pcrs, 0, sizeof(pcrs));
		{
			struct sha256_ctx c;

			sha256_init(&c);
			sha256_update(&c, pcrs[0], 32);
			sha256_update(&c, measurement, 32);
			sha256_final(&c, pcrs[0]);
		}
		services = 1;
	}

	off = tv_pal_table_end(&hdr);
	for (uint32_t i = 0; i < hdr.nr_sections; i++) {
		const struct tv_pal_section *s = &secs[i];
		int prot = PROT_READ | (s->flags & TV_PAL_SEC_W ? PROT_WRITE : 0) |
			   (s->flags & TV_PAL_SEC_X ? PROT_EXEC : 0);

		map_at(s->vaddr, s->memsz, "section");
		memcpy((void *)s->vaddr, img + off, s->filesz);
		if (s->flags & TV_PAL_SEC_X)
			patch_vmcalls(s->vaddr, s->filesz);
		off += s->filesz;
		protect(s->vaddr, s->memsz, prot, "section");
	}
	map_at(TV_PAL_IN_VA, TV_PAL_IO_MAX, "input");
	if (in_len)
		memcpy((void *)TV_PAL_IN_VA, in, in_len);
	protect(TV_PAL_IN_VA, TV_PAL_IO_MAX, PROT_READ, "input");
	map_at(TV_PAL_OUT_VA, TV_PAL_IO_MAX, "output");
	map_at(TV_PAL_STACK_TOP - hdr.stack_size - TV_PAL_PAGE, hdr.stack_size + TV_PAL_PAGE,
	       "stack");
	protect(TV_PAL_STACK_TOP - hdr.stack_size - TV_PAL_PAGE, TV_PAL_PAGE, PROT_NONE, "guard");

	ss.ss_sp = malloc(1 << 16);
	ss.ss_size = 1 << 16;
	ss.ss_flags = 0;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_trap;
	sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
	sigemptyset(&sa.sa_mask);
	if (!ss.ss_sp || sigaltstack(&ss, NULL) || sigaction(SIGILL, &sa, NULL) ||
	    sigaction(SIGSEGV, &sa, NULL) || sigaction(SIGBUS, &sa, NULL) ||
	    sigaction(SIGFPE, &sa, NULL) || sigaction(SIGTRAP, &sa, NULL)) {
		fprintf(stderr, "pal_emu: signal setup: %s\n", strerror(errno));
		return 1;
	}

	if (services && !vmcall_traps()) {
		printf("# pal_emu: VMCALL does not trap here: no services to emulate\n");
		return EXIT_SKIP;
	}

	regs[0] = cmd;
	regs[1] = TV_PAL_IN_VA;
	regs[2] = in_len;
	regs[3] = TV_PAL_OUT_VA;
	regs[4] = cap;
	regs[5] = TV_PAL_STACK_TOP - 8 - skew;
	*(uint64_t *)regs[5] = hdr.entry;
	if (!sigsetjmp(back, 1))
		enter(regs);
	if (state_path)
		state_save(state_path);	/* the monitor keeps counters whatever the PAL did */

	if (!trap_hypercall) {
		printf("fault %s at RIP 0x%llx addr 0x%llx\n", strsignal(trapped_sig),
		       (unsigned long long)trap_rip, (unsigned long long)trap_addr);
		return EXIT_FAULT;
	}
	if (trap_rax_known && trap_rax != TV_PAL_HC_EXIT) {
		printf("bad hypercall RAX 0x%llx at RIP 0x%llx\n", (unsigned long long)trap_rax,
		       (unsigned long long)trap_rip);
		return EXIT_FAULT;
	}
	if (trap_rsi > cap) {
		printf("bad hypercall: output %llu bytes, capacity %llu\n",
		       (unsigned long long)trap_rsi, (unsigned long long)cap);
		return EXIT_FAULT;
	}
	printf("status %d\n", (int32_t)trap_rdi);
	printf("output %llu bytes\n", (unsigned long long)trap_rsi);
	print_output((const unsigned char *)TV_PAL_OUT_VA, trap_rsi);
	if (out_path)
		write_file(out_path, (const void *)TV_PAL_OUT_VA, trap_rsi);
	return 0;
}
