// SPDX-License-Identifier: GPL-2.0
/*
 * tvpal-pack: turns the static ELF64 x86-64 executable that tvpal-cc linked
 * with pal.lds into a PAL image (include/trustvisor/pal_abi.h).  Each
 * PT_LOAD becomes one section; everything else in the ELF (section
 * headers, symbols, debug information) stays behind.
 *
 * The ELF comes from the user's build and is parsed as untrusted input:
 * every offset and size is checked against the file before it is used,
 * written so that no sum can wrap.  The image is checked with the
 * monitor's own lib/pal_image.c before anything is written, and written to
 * a temporary file renamed into place, so a refused or failed run leaves no
 * output behind.
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "lib/pal_image.h"

#ifndef SHT_RELR
#define SHT_RELR 19
#endif

/* Generous: an ELF carries debug information the image leaves behind. */
#define ELF_MAX_BYTES (256ULL << 20)

static const char *elf_path = "";
static unsigned char *elf_buf;	/* the whole input; global, so fail() frees it */
static char *tmp_path;		/* removed by fail() if set */

static void __attribute__((noreturn, format(printf, 1, 2))) fail(const char *fmt, ...)
{
	va_list ap;

	if (tmp_path)
		unlink(tmp_path);
	free(tmp_path);
	free(elf_buf);
	fprintf(stderr, "tvpal-pack: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static void usage(FILE *f)
{
	fprintf(f, "usage: tvpal-pack [--stack BYTES] -o OUT.pal ELF\n"
		"  Packs a PAL linked by tvpal-cc (a static ELF64 x86-64 executable)\n"
		"  into a TrustVisor PAL image.\n"
		"  --stack BYTES  stack size, a multiple of 4096 up to 65536 (default\n"
		"                 65536; a K suffix means KiB)\n");
}

static unsigned char *read_file(const char *path, size_t *len)
{
	struct stat sb;
	unsigned char *buf;
	size_t got = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0 || fstat(fd, &sb))
		fail("%s: %s", path, strerror(errno));
	if (!S_ISREG(sb.st_mode))
		fail("%s: not a regular file", path);
	if ((unsigned long long)sb.st_size > ELF_MAX_BYTES)
		fail("%s: %lld bytes, larger than any PAL's ELF can be", path,
		     (long long)sb.st_size);
	buf = malloc(sb.st_size ? sb.st_size : 1);
	if (!buf)
		fail("%s: out of memory", path);
	while (got < (size_t)sb.st_size) {
		ssize_t n = read(fd, buf + got, sb.st_size - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			fail("%s: read: %s", path, strerror(errno));
		if (!n)
			fail("%s: shrank while being read", path);
		got += n;
	}
	close(fd);
	*len = got;
	return buf;
}

/* True if [off, off + size) lies inside a file of len bytes. */
static int in_file(uint64_t off, uint64_t size, size_t len)
{
	return off <= len && size <= len - off;
}

static void check_ehdr(const Elf64_Ehdr *eh, size_t len)
{
	if (len < EI_NIDENT || memcmp(eh->e_ident, ELFMAG, SELFMAG))
		fail("%s: not an ELF file", elf_path);
	if (len < sizeof(*eh))
		fail("%s: truncated ELF header (%zu bytes)", elf_path, len);
	if (eh->e_ident[EI_CLASS] != ELFCLASS64)
		fail("%s: not a 64-bit ELF", elf_path);
	if (eh->e_ident[EI_DATA] != ELFDATA2LSB)
		fail("%s: not a little-endian ELF", elf_path);
	if (eh->e_ident[EI_VERSION] != EV_CURRENT || eh->e_version != EV_CURRENT)
		fail("%s: unknown ELF version", elf_path);
	if (eh->e_machine != EM_X86_64)
		fail("%s: not an x86-64 ELF (e_machine %u)", elf_path, eh->e_machine);
	if (eh->e_type == ET_DYN)
		fail("%s: a position-independent executable: its relocations need "
		     "processing at run time, which a PAL does not have (link with -static "
		     "-no-pie)", elf_path);
	if (eh->e_type == ET_REL)
		fail("%s: a relocatable object, not a linked executable", elf_path);
	if (eh->e_type != ET_EXEC)
		fail("%s: not an executable (e_type %u)", elf_path, eh->e_type);
	if (eh->e_ehsize != sizeof(*eh))
		fail("%s: ELF header size %u, expected %zu", elf_path, eh->e_ehsize, sizeof(*eh));
	if (!eh->e_phnum || eh->e_phnum == PN_XNUM)
		fail("%s: %s", elf_path, eh->e_phnum ? "too many program headers" :
		     "no program headers");
	if (eh->e_phentsize != sizeof(Elf64_Phdr))
		fail("%s: program header size %u, expected %zu", elf_path, eh->e_phentsize,
		     sizeof(Elf64_Phdr));
	if (!in_file(eh->e_phoff, (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr), len))
		fail("%s: program header table outside the file", elf_path);
}

/*
 * Allocated relocation or dynamic sections mean something would have to
 * patch the image when it is loaded, and nothing does.  The section table
 * is optional in an executable; when present it is checked as strictly as
 * the program headers.
 */
static void check_shdrs(const Elf64_Ehdr *eh, const unsigned char *elf, size_t len)
{
	if (!eh->e_shoff || !eh->e_shnum)
		return;
	if (eh->e_shentsize != sizeof(Elf64_Shdr))
		fail("%s: section header size %u, expected %zu", elf_path, eh->e_shentsize,
		     sizeof(Elf64_Shdr));
	if (!in_file(eh->e_shoff, (uint64_t)eh->e_shnum * sizeof(Elf64_Shdr), len))
		fail("%s: section header table outside the file", elf_path);
	for (unsigned int i = 0; i < eh->e_shnum; i++) {
		Elf64_Shdr sh;

		memcpy(&sh, elf + eh->e_shoff + (uint64_t)i * sizeof(sh), sizeof(sh));
		if (!(sh.sh_flags & SHF_ALLOC) || !sh.sh_size)
			continue;
		if (sh.sh_type == SHT_REL || sh.sh_type == SHT_RELA || sh.sh_type == SHT_RELR ||
		    sh.sh_type == SHT_DYNAMIC)
			fail("%s: section %u holds relocations to apply at run time, which a PAL "
			     "does not have (link with -static -no-pie)", elf_path, i);
		if (sh.sh_flags & SHF_TLS)
			fail("%s: section %u is thread-local storage, which a PAL does not have",
			     elf_path, i);
	}
}

static int by_vaddr(const void *a, const void *b)
{
	const struct tv_pal_section *x = a, *y = b;

	return x->vaddr < y->vaddr ? -1 : x->vaddr > y->vaddr;
}

/*
 * Fills `sec` (room for TV_PAL_MAX_SECTIONS) and `src` (each section's
 * file offset) from the program headers; returns the number of sections.
 */
static unsigned int load_segments(const Elf64_Ehdr *eh, const unsigned char *elf, size_t len,
				  struct tv_pal_section *sec, uint64_t *src)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < eh->e_phnum; i++) {
		Elf64_Phdr ph;
		uint64_t span;

		memcpy(&ph, elf + eh->e_phoff + (uint64_t)i * sizeof(ph), sizeof(ph));
		switch (ph.p_type) {
		case PT_DYNAMIC:
			fail("%s: has a dynamic segment: its relocations need processing at "
			     "run time, which a PAL does not have (link with -static -no-pie)",
			     elf_path);
		case PT_INTERP:
			fail("%s: asks for a dynamic loader (PT_INTERP); a PAL is linked static",
			     elf_path);
		case PT_TLS:
			fail("%s: uses thread-local storage, which a PAL does not have", elf_path);
		case PT_LOAD:
			break;
		default:
			continue;	/* notes, stack flags: nothing to load */
		}
		if (ph.p_filesz > ph.p_memsz)
			fail("%s: segment %u has more file bytes (%llu) than memory (%llu)",
			     elf_path, i, (unsigned long long)ph.p_filesz,
			     (unsigned long long)ph.p_memsz);
		if (!in_file(ph.p_offset, ph.p_filesz, len))
			fail("%s: segment %u's bytes lie outside the file", elf_path, i);
		if (!ph.p_memsz)
			continue;	/* an empty PHDRS entry of pal.lds */
		if (ph.p_vaddr & (TV_PAL_PAGE - 1))
			fail("%s: segment %u at 0x%llx is not page aligned (link with the SDK's "
			     "pal.lds)", elf_path, i, (unsigned long long)ph.p_vaddr);
		if ((ph.p_flags & PF_W) && (ph.p_flags & PF_X))
			fail("%s: segment %u at 0x%llx is writable and executable", elf_path, i,
			     (unsigned long long)ph.p_vaddr);
		/* Rounding up to a page must not wrap past 2^64. */
		if (ph.p_memsz > UINT64_MAX - ph.p_vaddr - (TV_PAL_PAGE - 1))
			fail("%s: segment %u at 0x%llx wraps around the address space", elf_path,
			     i, (unsigned long long)ph.p_vaddr);
		span = (ph.p_memsz + TV_PAL_PAGE - 1) & ~(TV_PAL_PAGE - 1);
		if (n == TV_PAL_MAX_SECTIONS)
			fail("%s: more than %u loadable segments: %s", elf_path,
			     TV_PAL_MAX_SECTIONS, tv_pal_img_strerror(TV_PAL_IMG_NSECTIONS));
		sec[n] = (struct tv_pal_section){
			.vaddr = ph.p_vaddr,
			.memsz = span,
			.filesz = ph.p_filesz,
			.flags = TV_PAL_SEC_R | (ph.p_flags & PF_W ? TV_PAL_SEC_W : 0) |
				 (ph.p_flags & PF_X ? TV_PAL_SEC_X : 0),
		};
		src[n++] = ph.p_offset;
	}
	if (!n)
		fail("%s: no loadable segments", elf_path);
	return n;
}

/* Keeps each section's file offset with it through the sort. */
static void sort_sections(struct tv_pal_section *sec, uint64_t *src, unsigned int n)
{
	struct { struct tv_pal_section s; uint64_t src; } tmp[TV_PAL_MAX_SECTIONS];

	for (unsigned int i = 0; i < n; i++)
		tmp[i].s = sec[i], tmp[i].src = src[i];
	qsort(tmp, n, sizeof(tmp[0]), by_vaddr);
	for (unsigned int i = 0; i < n; i++)
		sec[i] = tmp[i].s, src[i] = tmp[i].src;
}

static void write_all(int fd, const void *p, size_t n, const char *out)
{
	const unsigned char *b = p;

	while (n) {
		ssize_t w = write(fd, b, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			fail("%s: write: %s", out, strerror(errno));
		b += w;
		n -= w;
	}
}

static void write_image(const char *out, const struct tv_pal_header *h,
			const struct tv_pal_section *sec, const uint64_t *src,
			const unsigned char *elf)
{
	size_t plen = strlen(out);
	mode_t mask = umask(0);
	int fd;

	umask(mask);
	tmp_path = malloc(plen + 8);
	if (!tmp_path)
		fail("%s: out of memory", out);
	memcpy(tmp_path, out, plen);
	memcpy(tmp_path + plen, ".XXXXXX", 8);
	fd = mkstemp(tmp_path);
	if (fd < 0) {
		free(tmp_path);
		tmp_path = NULL;
		fail("%s: cannot create a temporary file next to it: %s", out, strerror(errno));
	}
	if (fchmod(fd, 0644 & ~mask))
		fail("%s: chmod: %s", out, strerror(errno));
	write_all(fd, h, sizeof(*h), out);
	write_all(fd, sec, h->nr_sections * sizeof(*sec), out);
	for (unsigned int i = 0; i < h->nr_sections; i++)
		write_all(fd, elf + src[i], sec[i].filesz, out);
	if (close(fd))
		fail("%s: close: %s", out, strerror(errno));
	if (rename(tmp_path, out))
		fail("%s: rename: %s", out, strerror(errno));
	free(tmp_path);
	tmp_path = NULL;
}

static uint64_t parse_stack(const char *arg)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(arg, &end, 0);
	if (end != arg && (*end == 'K' || *end == 'k') && v <= UINT64_MAX / 1024) {
		v *= 1024;
		end++;
	}
	if (errno || end == arg || *end || *arg == '-')
		fail("--stack: '%s' is not a size in bytes", arg);
	return v;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "stack", required_argument, NULL, 's' },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	struct tv_pal_section sec[TV_PAL_MAX_SECTIONS];
	uint64_t src[TV_PAL_MAX_SECTIONS], data = 0;
	struct tv_pal_header h;
	const char *out = NULL;
	uint64_t stack = TV_PAL_STACK_MAX;
	Elf64_Ehdr eh;
	size_t len;
	int c, err;

	while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			stack = parse_stack(optarg);
			break;
		case 'o':
			out = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (!out || optind != argc - 1) {
		usage(stderr);
		return 2;
	}
	elf_path = argv[optind];
	elf_buf = read_file(elf_path, &len);
	memset(&eh, 0, sizeof(eh));
	memcpy(&eh, elf_buf, len < sizeof(eh) ? len : sizeof(eh));
	check_ehdr(&eh, len);
	check_shdrs(&eh, elf_buf, len);

	memset(&h, 0, sizeof(h));
	memcpy(h.magic, TV_PAL_MAGIC, sizeof(h.magic));
	h.format = TV_PAL_FORMAT;
	h.header_size = sizeof(h);
	h.isa = TV_PAL_ISA_V3;
	h.entry = eh.e_entry;
	h.stack_size = stack;
	h.nr_sections = load_segments(&eh, elf_buf, len, sec, src);
	sort_sections(sec, src, h.nr_sections);
	for (unsigned int i = 0; i < h.nr_sections; i++)
		data += sec[i].filesz;	/* each <= the ELF's size: no wrap */

	err = tv_pal_image_check(&h, sec, tv_pal_table_end(&h) + data);
	if (err == TV_PAL_IMG_ENTRY)
		fail("%s: entry point 0x%llx: %s", elf_path, (unsigned long long)h.entry,
		     tv_pal_img_strerror(err));
	if (err == TV_PAL_IMG_RANGE || err == TV_PAL_IMG_TOO_BIG)
		fail("%s: segments span 0x%llx-0x%llx, the PAL window is 0x%llx-0x%llx: %s",
		     elf_path, (unsigned long long)sec[0].vaddr,
		     (unsigned long long)(sec[h.nr_sections - 1].vaddr +
					  sec[h.nr_sections - 1].memsz),
		     TV_PAL_VA_BASE, TV_PAL_VA_BASE + TV_PAL_MAX_MEM, tv_pal_img_strerror(err));
	if (err)
		fail("%s: the image would be refused: %s", elf_path, tv_pal_img_strerror(err));
	write_image(out, &h, sec, src, elf_buf);
	free(elf_buf);
	return 0;
}
