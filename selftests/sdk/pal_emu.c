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
 * usage: pal_emu [--cmd N] [--in FILE] [--cap BYTES] [--rsp-skew N] IMAGE
 * Prints "status S" and "output N bytes" and the output, quoted (up to 256
 * bytes), or
 * "fault SIGNAL at RIP 0x... addr 0x..."; exits 0 (returned), 3 (fault or
 * bad hypercall), 4 (cannot emulate here: skip), 1 (usage or input error).
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
#include <sys/stat.h>
#include <ucontext.h>
#include <unistd.h>
#include "lib/pal_image.h"

#define EXIT_FAULT 3
#define EXIT_SKIP 4

static sigjmp_buf back;
static volatile sig_atomic_t trapped_sig;
static volatile uint64_t trap_rip, trap_addr, trap_rax, trap_rdi, trap_rsi;
static volatile int trap_hypercall, trap_rax_known;
static struct tv_pal_header hdr;
static struct tv_pal_section secs[TV_PAL_MAX_SECTIONS];

static int in_exec_section(uint64_t va, uint64_t len)
{
	for (uint32_t i = 0; i < hdr.nr_sections; i++)
		if ((secs[i].flags & TV_PAL_SEC_X) && va >= secs[i].vaddr &&
		    va - secs[i].vaddr <= secs[i].memsz - len && len <= secs[i].memsz)
			return 1;
	return 0;
}

static int is_vmcall(uint64_t va)
{
	const unsigned char *p = (const unsigned char *)va;

	return in_exec_section(va, 3) && p[0] == 0x0f && p[1] == 0x01 && p[2] == 0xc1;
}

static void on_trap(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;
	greg_t *g = uc->uc_mcontext.gregs;
	uint64_t rip = (uint64_t)g[REG_RIP];
	const unsigned char *p = (const unsigned char *)rip;

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
	static uint64_t regs[6];
	const char *image_path = NULL, *in_path = NULL;
	uint64_t cmd = 0, cap = TV_PAL_IO_MAX, skew = 0, off;
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
		else if (!image_path && argv[i][0] != '-')
			image_path = argv[i];
		else
			image_path = NULL, i = argc;
	}
	if (!image_path || cap > TV_PAL_IO_MAX) {
		fprintf(stderr, "usage: pal_emu [--cmd N] [--in FILE] [--cap BYTES] "
			"[--rsp-skew N] IMAGE\n");
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

	off = tv_pal_table_end(&hdr);
	for (uint32_t i = 0; i < hdr.nr_sections; i++) {
		const struct tv_pal_section *s = &secs[i];
		int prot = PROT_READ | (s->flags & TV_PAL_SEC_W ? PROT_WRITE : 0) |
			   (s->flags & TV_PAL_SEC_X ? PROT_EXEC : 0);

		map_at(s->vaddr, s->memsz, "section");
		memcpy((void *)s->vaddr, img + off, s->filesz);
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

	regs[0] = cmd;
	regs[1] = TV_PAL_IN_VA;
	regs[2] = in_len;
	regs[3] = TV_PAL_OUT_VA;
	regs[4] = cap;
	regs[5] = TV_PAL_STACK_TOP - 8 - skew;
	*(uint64_t *)regs[5] = hdr.entry;
	if (!sigsetjmp(back, 1))
		enter(regs);

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
	return 0;
}
