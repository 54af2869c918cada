#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The PAL SDK and libtrustvisor as a user gets them: `make install` into a
# temporary prefix, then everything from a directory outside the repo with
# the installed tools only.  PALs are built with the installed tvpal-cc,
# checked by tvctl and by an independent parse of the file, and run by
# pal_emu (selftests/sdk/pal_emu.c), which sets a call up as the monitor
# does.  Applications link libtrustvisor through pkg-config; without
# /dev/trustvisor they must fail with the library's message.  Prints TAP.
set -u
cd "$(dirname "$0")/../.." || exit 1
repo=$(pwd)
. selftests/tap.sh
O_ARG=${O:-build}
O=$O_ARG
case $O in /*) ;; *) O=$repo/$O ;; esac
emu=$O/selftests/sdk/pal_emu
pack_asan=$O/asan/userspace/sdk/tvpal-pack
CC=${CC:-cc}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
prefix=$tmp/prefix
# A space in the path: every tool must quote what it is handed.
work="$tmp/work dir"
mkdir -p "$work" "$tmp/tmpdir"
# tvpal-cc's temporary files go here, so the test can see none are left.
export TMPDIR=$tmp/tmpdir
echo "TAP version 13"

# Output of a command, its status in $rc.
run() {
	out=$("$@" 2>&1)
	rc=$?
}
# ok if the last run() failed with a message containing $1 (and said so once).
failed_with() {
	if [ $rc -ne 0 ] && grep -qF -- "$1" <<<"$out"; then
		ok 0 "$2"
	else
		printf '%s\n' "$out" | head -5 | sed 's/^/# /'
		ok 1 "$2 (exit $rc, wanted a failure saying \"$1\")"
	fi
}
u32() { od -An -tu4 -j"$2" -N4 -- "$1" | tr -d ' '; }
u64() { od -An -tu8 -j"$2" -N8 -- "$1" | tr -d ' '; }
# Writes a little-endian value into a file: poke FILE OFFSET PACK VALUE.
poke() {
	perl -e 'open(my $f, "+<", $ARGV[0]) or die; seek($f, $ARGV[1], 0);
		print $f pack($ARGV[2], oct($ARGV[3]));' "$@"
}
# Makes the make of the enclosing check-unit invisible to the nested one.
mk() {
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s -C "$repo" O="$O_ARG" "$@"
}

# --- install ------------------------------------------------------------------
run mk install PREFIX="$prefix"
[ $rc -eq 0 ] || { printf '%s\n' "$out" | tail -5 | sed 's/^/# /'; bail "make install failed"; }
ok 0 "make install PREFIX=<tmp>"
files="bin/tvctl bin/tvpal-cc include/libtrustvisor.h include/trustvisor/pal.h
	include/trustvisor/pal_abi.h include/trustvisor/pal_crypto.h lib/libtrustvisor.a
	lib/libtrustvisor.so lib/libtrustvisor.so.0 lib/pkgconfig/libtrustvisor.pc
	lib/trustvisor/sdk/pal_start.o lib/trustvisor/sdk/string.o lib/trustvisor/sdk/libtvpal.a
	lib/trustvisor/sdk/pal.lds lib/trustvisor/sdk/tvpal-pack"
missing=
for f in $files; do [ -e "$prefix/$f" ] || missing="$missing $f"; done
ok "$([ -z "$missing" ]; echo $?)" "installed: every file${missing:+ (missing:$missing)}"
so=$(readlink "$prefix/lib/libtrustvisor.so.0")
soname=$(readelf -d "$prefix/lib/$so" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
ok "$([ "$(readlink "$prefix/lib/libtrustvisor.so")" = libtrustvisor.so.0 ] &&
	[ -f "$prefix/lib/$so" ] && [ "$soname" = libtrustvisor.so.0 ]; echo $?)" \
	"libtrustvisor.so -> .so.0 -> $so, soname $soname"
exports=$(nm -D --defined-only "$prefix/lib/$so" |
	awk '$2 == "T" { sub(/@.*/, "", $3); print $3 }' | sort | tr '\n' ' ')
want="tv_counters_restore tv_counters_save tv_fault_name tv_identity tv_nv_counter tv_pal_call tv_pal_fault tv_pal_image_reason tv_pal_img_strerror "
want+="tv_pal_load tv_pal_load_file tv_pal_measurement tv_pal_quote tv_pal_unload tv_strerror "
ok "$([ "$exports" = "$want" ]; echo $?)" "the .so exports exactly the API ($exports)"
export PKG_CONFIG_PATH=$prefix/lib/pkgconfig
pc() { pkg-config "$@" libtrustvisor | sed 's/ *$//'; }
ok "$([ "$(pc --variable=prefix)" = "$prefix" ] && [ "$(pc --cflags)" = "-I$prefix/include" ] &&
	[ "$(pc --libs)" = "-L$prefix/lib -ltrustvisor" ]; echo $?)" \
	"pkg-config: prefix substituted, Cflags -I\${includedir}, Libs -L\${libdir} -ltrustvisor"
run mk install PREFIX=/opt/tv DESTDIR="$tmp/dest"
ok "$([ $rc -eq 0 ] && [ -x "$tmp/dest/opt/tv/bin/tvpal-cc" ] &&
	grep -qx 'prefix=/opt/tv' "$tmp/dest/opt/tv/lib/pkgconfig/libtrustvisor.pc"; echo $?)" \
	"DESTDIR: files under DESTDIR/PREFIX, the .pc names PREFIX"
run mk uninstall PREFIX=/opt/tv DESTDIR="$tmp/dest"
left=$(find "$tmp/dest" -type f -o -type l)
ok "$([ $rc -eq 0 ] && [ -z "$left" ]; echo $?)" "make uninstall removes every installed file"
ok "$(printf '#include <libtrustvisor.h>\nint main(void) { return TV_PAL_IMG_ENTRY == 15 && TV_PAL_IMG_NR_ERRORS == 16 ? 0 : 1; }\n' |
	cc -x c -I"$prefix/include" -o "$tmp/imgcodes" - && "$tmp/imgcodes"; echo $?)" \
	"the reason codes come with the installed headers (pal_abi.h), values as the monitor's"

tvctl=$prefix/bin/tvctl
tvcc=$prefix/bin/tvpal-cc
cd "$work" || bail "no work directory"

# --- the hello example --------------------------------------------------------
cp "$repo/userspace/examples/hello/hello.c" "$repo/userspace/examples/hello/app.c" .
run "$tvcc" -Wall -Wextra -Werror -o hello.pal hello.c
ok "$([ $rc -eq 0 ] && [ -s hello.pal ]; echo $?)" "tvpal-cc builds the hello example"
[ $rc -eq 0 ] || printf '%s\n' "$out" | head -5 | sed 's/^/# /'
ok "$([ "$("$tvctl" measure hello.pal)" = "$(sha256sum hello.pal | cut -d' ' -f1)" ]; echo $?)" \
	"tvctl measure hello.pal = sha256sum"

# The layout, parsed here from the bytes (pal_abi.h), not by the checker.
layout_ok() {
	local f=$1 nr end i va msz fsz fl prev=0 data=0 x=0
	[ "$(head -c 8 "$f" | od -An -c | tr -d ' ')" = 'TVPAL01\0' ] || return 1
	[ "$(u32 "$f" 8)" = 1 ] && [ "$(u32 "$f" 12)" = 56 ] && [ "$(u32 "$f" 20)" = 3 ] || return 1
	nr=$(u32 "$f" 16)
	[ "$nr" -ge 1 ] && [ "$nr" -le 16 ] || return 1
	for ((i = 0; i < nr; i++)); do
		va=$(u64 "$f" $((56 + 32 * i)))
		msz=$(u64 "$f" $((64 + 32 * i)))
		fsz=$(u64 "$f" $((72 + 32 * i)))
		fl=$(u32 "$f" $((80 + 32 * i)))
		((va % 4096 == 0 && msz % 4096 == 0 && msz > 0 && fsz <= msz)) || return 1
		((va >= 0x10000000 && va + msz <= 0x10100000 && va >= prev)) || return 1
		((fl & 1)) && ! (((fl & 6) == 6)) || return 1
		((i == 0 ? va == 0x10000000 && fl == 5 : 1)) || return 1
		((fl & 4)) && x=$((x + 1))
		prev=$((va + msz))
		data=$((data + fsz))
	done
	[ "$x" -eq 1 ] && [ "$(u64 "$f" 24)" = $((0x10000000)) ] || return 1
	[ "$(stat -c %s "$f")" -eq $((56 + 32 * nr + data)) ]
}
ok "$(layout_ok hello.pal; echo $?)" \
	"hello.pal: magic, ISA v3, code first at 0x10000000 r-x with the entry, W^X, exact length"
ok "$("$tvctl" inspect hello.pal | grep -qE '^  0 0x10000000-0x10001000 r-x' &&
	! "$tvctl" inspect hello.pal | grep -qE ' .wx '; echo $?)" \
	"tvctl inspect: r-x code first, no wx"
# pal_emu needs an x86-64-v3 CPU and the PAL's addresses free: else skip.
run "$emu" --cmd 41 hello.pal
emu_skip=
[ $rc -eq 4 ] && emu_skip=$out
eok() {
	if [ -n "$emu_skip" ]; then
		n=$((n + 1))
		echo "ok $n $2 # SKIP ${emu_skip#\# }"
	else
		ok "$1" "$2"
	fi
}
eok "$([ "$out" = $'status 42\noutput 18 bytes\noutput "hello from the PAL"' ]; echo $?)" \
	"hello.pal runs: status cmd + 1, \"hello from the PAL\""
run "$emu" --cap 4 hello.pal
eok "$([ "$out" = $'status -1\noutput 0 bytes\noutput ""' ]; echo $?)" \
	"tv_exit: status -1, no output even though out was 4 bytes"

# --- a PAL using the whole programming model ----------------------------------
cat >features.c <<'EOF'
#include <trustvisor/pal.h>

static uint32_t calls = 7;		/* .data */
static unsigned char scratch[3 * 4096];	/* .bss, several pages */
static float v[1024];
static const char tag[] = "ok:";	/* .rodata */

/* -O3 -march=x86-64-v3 vectorizes this with AVX. */
static __attribute__((noinline)) float dot(const float *a, const float *b, int n)
{
	float s = 0;

	for (int i = 0; i < n; i++)
		s += a[i] * b[i];
	return s;
}

int32_t pal_main(uint32_t cmd, const void *in, size_t in_len, void *out, size_t *out_len)
{
	size_t n = strlen(tag);
	char *o = out;

	for (int i = 0; i < 1024; i++)
		v[i] = (float)(i % 7);
	for (size_t i = 0; i < sizeof(scratch); i++)
		if (scratch[i])
			return -100;	/* bss not zero */
	memset(scratch, 0xab, sizeof(scratch));
	if (calls != 7 || n + in_len > *out_len)
		return -101;
	calls++;
	memcpy(o, tag, n);
	memcpy(o + n, in, in_len);
	memmove(o + 1, o, n + in_len);	/* overlapping: "oo" then the rest */
	if (memcmp(o, "ook:", 4))
		return -102;
	*out_len = n + in_len + 1;
	return (int32_t)dot(v, v, 1024) + (int32_t)cmd;
}
EOF
run "$tvcc" -O3 -Wall -Wextra -Werror --elf features.elf -o features.pal features.c
ok "$([ $rc -eq 0 ] && layout_ok features.pal; echo $?)" \
	"a PAL with data, bss, rodata, memcpy/memmove/memcmp/strlen, -O3 builds, layout holds"
ok "$(objdump -d features.elf | grep -q ymm; echo $?)" \
	"its float loop uses AVX (x86-64-v3, -O3 passed through)"
ok "$("$tvctl" inspect features.pal |
	grep -qE '^  2 0x10002000-0x10007000 rw- memsz 20480 filesz 4$'; echo $?)" \
	"data + bss: one rw- section, memsz rounded to pages, filesz only the data"
printf 'abc' >in.bin
run "$emu" --cmd 1 --in in.bin features.pal
eok "$([ "$out" = $'status 13288\noutput 7 bytes\noutput "ook:abc"' ]; echo $?)" \
	"features.pal runs: zeroed bss, data, AVX dot product, input, output"

# --- the runtime's contract ----------------------------------------------------
cat >align.c <<'EOF'
#include <trustvisor/pal.h>
/* (RSP + 8) % 16 at the entry of a function: 0 as the SysV ABI wants. */
__attribute__((naked)) int32_t pal_main(uint32_t cmd, const void *in, size_t in_len, void *out,
					size_t *out_len)
{
	asm("lea 8(%rsp), %rax\n\tand $15, %eax\n\tret");
}
EOF
run "$tvcc" -o align.pal align.c
run "$emu" --cap 16 align.pal
zeros16=$(printf '\\x00%.0s' {1..16})
eok "$([ "$out" = "$(printf 'status 0\noutput 16 bytes\noutput "%s"' "$zeros16")" ]; echo $?)" \
	"pal_main entered with the stack 16-byte aligned; out_len starts at the capacity"
run "$emu" --cap 0 --rsp-skew 8 align.pal
eok "$([ "$out" = $'status 0\noutput 0 bytes\noutput ""' ]; echo $?)" \
	"still aligned if the monitor's RSP were 8 off (the entry realigns)"
cat >overflow.c <<'EOF'
#include <trustvisor/pal.h>
static int depth(int n)
{
	volatile char buf[1024];

	buf[0] = (char)n;
	return n ? depth(n - 1) + buf[0] : 0;
}
int32_t pal_main(uint32_t cmd, const void *in, size_t in_len, void *out, size_t *out_len)
{
	*out_len = 0;
	return depth((int)cmd);
}
EOF
cat >badout.c <<'EOF'
#include <trustvisor/pal.h>
int32_t pal_main(uint32_t cmd, const void *in, size_t in_len, void *out, size_t *out_len)
{
	*out_len += cmd;	/* more than the capacity: the monitor's to refuse */
	return 0;
}
EOF
cat >wcode.c <<'EOF'
#include <trustvisor/pal.h>
static const char ro[] = "constant";
int32_t pal_main(uint32_t cmd, const void *in, size_t in_len, void *out, size_t *out_len)
{
	if (cmd == 1)
		*(volatile char *)(uintptr_t)pal_main = 0;	/* code */
	if (cmd == 2)
		*(volatile char *)(uintptr_t)ro = 0;		/* rodata */
	if (cmd == 3)
		*(volatile char *)(uintptr_t)in = 0;		/* the input */
	*out_len = 0;
	return ro[0];
}
EOF
run "$tvcc" -O1 -o overflow.pal overflow.c
run "$emu" --cmd 10 overflow.pal
r1=$out
run "$emu" --cmd 1000 overflow.pal
eok "$([ "$r1" = $'status 55\noutput 0 bytes\noutput ""' ] && [ $rc -eq 3 ] &&
	grep -qE '^fault Segmentation fault at RIP 0x1000[0-9a-f]{4} addr 0x2ffef' <<<"$out"; echo $?)" \
	"recursion within 64 KiB runs; beyond it faults on the guard page ($out)"
run "$tvcc" -o badout.pal badout.c
run "$emu" --cmd 1 --cap 8 badout.pal
eok "$([ $rc -eq 3 ] && grep -q 'output 9 bytes, capacity 8' <<<"$out"; echo $?)" \
	"out_len reaches the exit hypercall unclamped (the monitor terminates the PAL)"
run "$tvcc" -o wcode.pal wcode.c
res=
for c in 0 1 2 3; do
	run "$emu" --cmd $c wcode.pal
	res="$res $rc"
done
eok "$([ "$res" = " 0 3 3 3" ]; echo $?)" \
	"W^X for real: writes to code, rodata and input fault (exits:$res)"

# --- building: several sources, flags, options ----------------------------------
mkdir -p inc
echo '#define GREETING "multi"' >inc/greet.h
cat >main.c <<'EOF'
#include <trustvisor/pal.h>
#include "greet.h"
int32_t helper(uint32_t x);
int32_t asm_answer(void);
int32_t pal_main(uint32_t cmd, const void *in, size_t in_len, void *out, size_t *out_len)
{
	size_t n = strlen(GREETING);

	memcpy(out, GREETING, n);
	*out_len = n;
	return helper(cmd) + asm_answer() + EXTRA;
}
EOF
echo 'int helper(unsigned int x) { return (int)x * 2; }' >helper.c
printf '\t.text\n\t.globl asm_answer\nasm_answer:\n\tmovl $1000, %%eax\n\tret\n' >answer.S
run "$tvcc" -O0 -g -Iinc -DEXTRA=5 -o multi.pal main.c helper.c answer.S
r=$rc
run "$emu" --cmd 3 multi.pal
eok "$([ $r -eq 0 ] && [ "$out" = $'status 1011\noutput 5 bytes\noutput "multi"' ]; echo $?)" \
	"three sources (C and .S), -O0 -g -I -D passed through"
cat >headers.c <<'EOF'
#include <trustvisor/pal.h>
#include <stdbool.h>
#include <stdarg.h>
#include <limits.h>
#include <float.h>
#include <immintrin.h>
int32_t pal_main(uint32_t cmd, const void *in, size_t in_len, void *out, size_t *out_len)
{
	float f[8];
	bool b = cmd < INT_MAX && FLT_MAX > 0 && CHAR_BIT == 8;

	_mm256_storeu_ps(f, _mm256_mul_ps(_mm256_set1_ps(2.0f), _mm256_set1_ps(3.0f)));
	*out_len = 0;
	return b + (int)f[7];
}
EOF
run "$tvcc" -Wall -Wextra -o headers.pal headers.c
r=$rc
run "$emu" headers.pal
eok "$([ $r -eq 0 ] && [ "$(head -1 <<<"$out")" = "status 7" ]; echo $?)" \
	"the compiler's freestanding headers work: <limits.h>, <float.h>, <immintrin.h>, ..."
if command -v clang >/dev/null; then
	run env TVPAL_CC=clang "$tvcc" -Wall -o clang.pal hello.c
	r=$rc
	run "$emu" --cmd 6 clang.pal
	eok "$([ $r -eq 0 ] && [ "$(head -1 <<<"$out")" = "status 7" ]; echo $?)" \
		"TVPAL_CC=clang builds a working PAL"
fi
run "$tvcc" --stack 8192 -o small.pal hello.c
ok "$([ $rc -eq 0 ] && [ "$(u64 small.pal 32)" = 8192 ]; echo $?)" "--stack 8192 in the header"
run "$tvcc" --stack 69632 -o big.pal hello.c
failed_with "stack size is not a multiple of 4 KiB between 4 KiB and 64 KiB" \
	"--stack 68 KiB refused with the reason"
ok "$([ ! -e big.pal ]; echo $?)" "  and no big.pal"
"$tvcc" -o again.pal hello.c
ok "$(cmp -s hello.pal again.pal; echo $?)" "the same source gives the same image (measurement)"
"$O/userspace/sdk/bin/tvpal-cc" -o tree.pal hello.c
mkdir -p links && ln -sf "$tvcc" links/tvpal-cc
links/tvpal-cc -o link.pal hello.c
ok "$(cmp -s hello.pal tree.pal && cmp -s hello.pal link.pal; echo $?)" \
	"the build tree's tvpal-cc and a symlink to the installed one give the same image"

# --- the services and the crypto -----------------------------------------------
# A PAL calling every function of pal.h and pal_crypto.h.
cat >all.c <<'EOF'
#include <trustvisor/pal.h>
#include <trustvisor/pal_crypto.h>

int32_t pal_main(uint32_t cmd, const void *in, size_t in_len, void *out, size_t *out_len)
{
	static uint8_t blob[TV_PAL_BLOB_MAX], quote[TV_PAL_QUOTE_MAX];
	struct tv_seal_policy pol = { .pcr_mask = 1 << 1 };
	uint8_t seed[32], priv[32], pub[65], h[32], sig[64];
	size_t blob_len = sizeof(blob), quote_len = sizeof(quote), n = sizeof(seed);
	uint64_t v;
	int r = 0;

	r |= tv_random(seed, sizeof(seed));
	r |= tv_pcr_read(1, h);
	r |= tv_pcr_extend(1, h);
	r |= tv_seal(seed, sizeof(seed), cmd ? &pol : NULL, blob, &blob_len);
	r |= tv_unseal(blob, blob_len, seed, &n);
	r |= tv_quote(h, sizeof(h), 3, quote, &quote_len);
	r |= tv_counter_read(0, &v);
	r |= tv_counter_increment(0, &v);
	r |= tv_counter_commit();
	tv_sha256(in, in_len, h);
	tv_hmac_sha256(seed, sizeof(seed), in, in_len, h);
	r |= tv_p256_keygen(seed, priv, pub);
	r |= tv_ecdsa_p256_sign(priv, h, sig);
	r |= tv_ecdsa_p256_verify(pub, h, sig);
	r |= !tv_memeq_ct(h, h, sizeof(h));
	tv_wipe(priv, sizeof(priv));
	(void)out;
	*out_len = 0;
	return r;
}
EOF
run "$tvcc" -Wall -Wextra -Werror --elf all.elf -o all.pal all.c
ok "$([ $rc -eq 0 ] && [ -z "$(nm -u all.elf)" ] && layout_ok all.pal; echo $?)" \
	"a PAL calling every service and crypto function builds, nothing undefined, layout holds"
[ $rc -eq 0 ] || printf '%s\n' "$out" | head -5 | sed 's/^/# /'
# Each stub is `mov $NR,%eax; vmcall; ret` with NR from the installed pal_abi.h.
svcs="tv_random:RANDOM tv_pcr_read:PCR_READ tv_pcr_extend:PCR_EXTEND tv_seal:SEAL
	tv_unseal:UNSEAL tv_quote:QUOTE tv_counter_read:COUNTER_READ
	tv_counter_increment:COUNTER_INC tv_counter_commit:COUNTER_COMMIT"
{
	echo '#include <stdio.h>'
	echo '#include <trustvisor/pal_abi.h>'
	echo 'int main(void) {'
	for s in $svcs; do echo "printf(\"${s%%:*} %#x\\n\", TV_PAL_HC_${s#*:});"; done
	echo 'return 0; }'
} >hcnr.c
$CC -I"$prefix/include" -o hcnr hcnr.c && ./hcnr >hcnr.txt
bad=
while read -r fn nr; do
	body=$(objdump -d --no-show-raw-insn all.elf |
		awk -v f="<$fn>:" '$2 == f { on = 1; next } on && NF == 0 { exit }
			on && $2 !~ /^(nop|xchg|cs|data16)/ { $1 = ""; sub(/^ +/, ""); print }' |
		tr -s ' ' | paste -sd';')
	[ "$body" = "mov \$$nr,%eax;vmcall;ret" ] || bad="$bad $fn($body)"
done <hcnr.txt
ok "$([ "$(wc -l <hcnr.txt)" -eq 9 ] && [ -z "$bad" ]; echo $?)" \
	"each of the 9 services: mov \$TV_PAL_HC_<service>,%eax; vmcall; ret${bad:+ (not:$bad)}"
sections=$(ar p "$prefix/lib/trustvisor/sdk/libtvpal.a" pal_svc.o >svc.o &&
	readelf -SW svc.o | grep -o '\.text\.tv_[a-z_]*' | sort | tr '\n' ' ')
ok "$([ "$sections" = "$(for s in $svcs; do echo ".text.${s%%:*}"; done | sort | tr '\n' ' ')" ]
	echo $?)" "one section per service stub, for --gc-sections"
exports=$(nm -g --defined-only "$prefix/lib/trustvisor/sdk/libtvpal.a" | awk 'NF == 3 { print $3 }' |
	sort | tr '\n' ' ')
want="tv_counter_commit tv_counter_increment tv_counter_read tv_ecdsa_p256_sign tv_ecdsa_p256_verify tv_hmac_sha256 "
want+="tv_memeq_ct tv_p256_keygen tv_pcr_extend tv_pcr_read tv_quote tv_random tv_seal "
want+="tv_sha256 tv_unseal tv_wipe "
ok "$([ "$exports" = "$want" ]; echo $?)" \
	"libtvpal.a defines only the tv_* API as globals (lib/'s names are local)"
cat >one.c <<'EOF'
#include <trustvisor/pal.h>
/* lib/ has a sha256() and a secure_wipe() too: the PAL's own must not clash. */
__attribute__((noinline)) int sha256(int x) { return x * 3; }
__attribute__((noinline)) int secure_wipe(int x) { return x + 1; }
int32_t pal_main(uint32_t cmd, const void *in, size_t in_len, void *out, size_t *out_len)
{
	uint8_t b[4];

	*out_len = 0;
	return tv_random(b, sizeof(b)) + sha256((int)cmd) + secure_wipe(0);
}
EOF
run "$tvcc" --elf one.elf -o one.pal one.c
syms=$(nm one.elf | awk '$2 ~ /^[Tt]$/ && $3 !~ /^__pal_/ { print $3 }' | sort | tr '\n' ' ')
ok "$([ $rc -eq 0 ] && [ "$syms" = "_pal_start pal_main secure_wipe sha256 tv_random " ]; echo $?)" \
	"--gc-sections: a PAL calling only tv_random carries only that stub; its own sha256 does not clash"
[ $rc -eq 0 ] || printf '%s\n' "$out" | head -5 | sed 's/^/# /'
"$tvcc" --elf hello.elf -o hello2.pal hello.c
ok "$(nm hello.elf | awk '{ print $NF }' | grep -qxF "$(tr ' ' '\n' <<<"$want" | grep .)"
	[ $? -ne 0 ] && cmp -s hello.pal hello2.pal; echo $?)" \
	"a PAL calling none of them links nothing of libtvpal.a"

# The crypto as PALs run it (lib/ built with the PAL flags), checked against
# openssl: cmd 1 SHA-256 of the input, cmd 2 HMAC keyed by its first 32
# bytes, cmd 3 a key from a 32-byte seed and a signature of SHA-256(rest),
# verified in the PAL too, once intact and once with s changed.
cat >crypto.c <<'EOF'
#include <trustvisor/pal.h>
#include <trustvisor/pal_crypto.h>

int32_t pal_main(uint32_t cmd, const void *in, size_t in_len, void *out, size_t *out_len)
{
	const uint8_t *p = in;
	uint8_t *o = out, priv[32], h[32], bad_pub[65] = { 4 };
	int32_t v1, v2, v3, v4;

	if (cmd == 1) {
		tv_sha256(in, in_len, o);
		*out_len = 32;
		return 0;
	}
	if (cmd == 2) {
		tv_hmac_sha256(p, 32, p + 32, in_len - 32, o);
		*out_len = 32;
		return 0;
	}
	if (tv_p256_keygen(p, priv, o))
		return -1;
	tv_sha256(p + 32, in_len - 32, h);
	if (tv_ecdsa_p256_sign(priv, h, o + 65))
		return -2;
	tv_wipe(priv, sizeof(priv));
	*out_len = 65 + 64;
	v1 = tv_ecdsa_p256_verify(o, h, o + 65);
	o[65 + 63] ^= 1;
	v2 = tv_ecdsa_p256_verify(o, h, o + 65);
	o[65 + 63] ^= 1;
	v3 = tv_ecdsa_p256_verify(bad_pub, h, o + 65);
	v4 = tv_ecdsa_p256_sign(bad_pub + 1, h, o + 200);	/* the scalar 0 */
	return v1 == 0 && v2 == TV_PAL_EBADMSG && v3 == TV_PAL_EINVAL && v4 == TV_PAL_EINVAL &&
	       tv_memeq_ct(o, o, 129) && !tv_memeq_ct(o, o + 1, 64) ? 0 : 1000 + v1 + v2 + v3;
}
EOF
run "$tvcc" -Wall -Wextra -Werror -o crypto.pal crypto.c
ok "$([ $rc -eq 0 ] && layout_ok crypto.pal; echo $?)" "a PAL with the P-256 crypto builds, layout holds"
head -c 1000 /dev/urandom >data.bin
"$emu" --cmd 1 --in data.bin --out h.bin crypto.pal >/dev/null
rc=$?
eok "$([ $rc -eq 0 ] && [ "$(od -An -tx1 h.bin | tr -d ' \n')" = "$(sha256sum <data.bin | cut -c1-64)" ]
	echo $?)" "tv_sha256 in a PAL = sha256sum"
{ head -c 32 data.bin; cat data.bin; } >keyed.bin
"$emu" --cmd 2 --in keyed.bin --out mac.bin crypto.pal >/dev/null
rc=$?
key=$(head -c 32 data.bin | od -An -tx1 | tr -d ' \n')
eok "$([ $rc -eq 0 ] && [ "$(od -An -tx1 mac.bin | tr -d ' \n')" = "$(openssl dgst -sha256 -mac HMAC \
	-macopt "hexkey:$key" <data.bin | sed 's/.*= //')" ]; echo $?)" "tv_hmac_sha256 in a PAL = openssl's HMAC"
# A raw P-256 key and r || s as openssl takes them (PEM SubjectPublicKeyInfo, DER).
raw_to_pem() {
	{ printf '\x30\x59\x30\x13\x06\x07\x2a\x86\x48\xce\x3d\x02\x01\x06\x08\x2a\x86\x48\xce'
	  printf '\x3d\x03\x01\x07\x03\x42\x00'; cat; } | openssl pkey -pubin -inform DER -out "$1"
}
raw_to_der() {
	perl -e 'local $/; my $b = <STDIN>; my $d = "";
		for my $i (0, 32) {
			my $v = substr($b, $i, 32);
			$v =~ s/^\x00+//; $v = "\x00$v" if $v eq "" || ord($v) >= 0x80;
			$d .= "\x02" . chr(length $v) . $v;
		}
		print "\x30" . chr(length $d) . $d;'
}
sigs_ok=0 sigs_bad=
for i in 1 2 3 4 5 6 7 8; do
	{ head -c 32 /dev/urandom; echo "message $i"; } >sign.in
	run "$emu" --cmd 3 --in sign.in --out ps.bin crypto.pal
	[ "$(head -1 <<<"$out")" = "status 0" ] || { sigs_bad="$sigs_bad $i($out)"; continue; }
	head -c 65 ps.bin | raw_to_pem pub$i.pem
	tail -c 64 ps.bin | raw_to_der >sig$i.der
	tail -c +33 sign.in >msg$i
	if openssl dgst -sha256 -verify pub$i.pem -signature sig$i.der msg$i >/dev/null; then
		sigs_ok=$((sigs_ok + 1))
	else
		sigs_bad="$sigs_bad $i"
	fi
done
eok "$([ $sigs_ok -eq 8 ]; echo $?)" \
	"8 keys made and used by a PAL: openssl verifies every signature, the PAL's verify agrees${sigs_bad:+ (not:$sigs_bad)}"

# --- the examples: counter and signer --------------------------------------------
# Built from a copy, as a user would; the applications linked twice: with the
# installed libtrustvisor (to check they build), and with emu_libtv.c, which
# answers their calls with pal_emu and its emulated services, to run them.
mkdir -p ex && cd ex || bail "no examples directory"
for e in counter signer; do
	cp "$repo/userspace/examples/$e/$e.c" "$repo/userspace/examples/$e/$e.h" \
		"$repo/userspace/examples/$e/app.c" .
	run "$tvcc" -Wall -Wextra -Werror --elf $e.elf -o $e.pal $e.c
	ok "$([ $rc -eq 0 ] && [ -z "$(nm -u $e.elf)" ] && layout_ok $e.pal; echo $?)" \
		"the $e example's PAL builds, nothing undefined, layout holds"
	[ $rc -eq 0 ] || printf '%s\n' "$out" | head -5 | sed 's/^/# /'
	run $CC -Wall -Wextra -Werror -o $e-app app.c $(pkg-config --cflags --libs libtrustvisor)
	ok $rc "the $e example's application builds with pkg-config"
	$CC -Wall -Wextra -Werror -I"$prefix/include" -o $e-emu app.c \
		"$repo/selftests/sdk/emu_libtv.c" || bail "cannot build $e's application for pal_emu"
	rm -f app.c
done
export PAL_EMU=$emu PAL_EMU_STATE=$PWD/monitor.state
# Deleting the emulated monitor's state is a module reload: a new secret, counters at 0.
reload() { rm -f "$PAL_EMU_STATE"; }
reload
run ./counter-emu counter.pal state new
r1=$out
cp state state0
run ./counter-emu counter.pal state step
r2=$out
run ./counter-emu counter.pal state step
eok "$([ "$r1" = "count 0" ] && [ "$r2" = "count 1" ] && [ "$out" = "count 2" ]; echo $?)" \
	"counter: new, step, step: count 0, 1, 2, the sealed state in a file between loads"
cp state state2
cp state0 state
run ./counter-emu counter.pal state step
eok "$([ $rc -eq 3 ] && grep -q 'a replayed state, refused' <<<"$out" && cmp -s state state0
	echo $?)" "counter: an older state replayed is refused (status COUNTER_REPLAY, exit 3), file kept"
cp state2 state
run ./counter-emu counter.pal state step
eok "$([ "$out" = "count 3" ]; echo $?)" "counter: the latest state steps on after a refusal"
cp state counter-other
run ./counter-emu counter.pal state new
r1=$out
cp counter-other state
run ./counter-emu counter.pal state step
eok "$([ "$r1" = "count 0" ] && [ $rc -eq 3 ]; echo $?)" \
	"counter: new starts again at 0 and makes every earlier state stale"
cp state saved
reload
run ./counter-emu counter.pal state step
eok "$([ $rc -eq 1 ] && grep -q 'not a state of this monitor (was trustvisor.ko reloaded' <<<"$out"
	echo $?)" "counter: after a reload the state is no blob of this monitor (EBADMSG)"
cp "$work/hello.pal" .
run ./counter-emu counter.pal hello.pal step
eok "$([ $rc -eq 1 ] && grep -q 'not a state of this monitor' <<<"$out"; echo $?)" \
	"counter: a file that is no state is refused"

reload
echo "sign me" >msg
run ./signer-emu signer.pal keygen key.blob pub.pem
r=$rc
openssl pkey -pubin -in pub.pem -out pub-openssl.pem 2>/dev/null
eok "$([ $r -eq 0 ] && cmp -s pub.pem pub-openssl.pem; echo $?)" \
	"signer keygen: the PEM public key is byte for byte openssl's own encoding of it"
run ./signer-emu signer.pal sign key.blob msg sig.der
r=$rc
eok "$([ $r -eq 0 ] && openssl dgst -sha256 -verify pub.pem -signature sig.der msg >/dev/null
	echo $?)" "signer sign: openssl dgst -sha256 -verify pub.pem -signature sig.der msg"
echo "not me" >msg2
eok "$(! openssl dgst -sha256 -verify pub.pem -signature sig.der msg2 >/dev/null; echo $?)" \
	"  and not for another message"
# With every random byte 0x42 the key is known, and so are the signatures of
# m2 (r and s have their high bit set: DER pads them with a zero), m157 (s
# is 31 bytes) and m519 (r is 31 bytes).
reload
run env PAL_EMU_FIXED_RANDOM=1 ./signer-emu signer.pal keygen fkey.blob fpub.pem
der_bad=
for m in 2:33:33 157:32:31 519:31:33; do
	IFS=: read -r i rlen slen <<<"$m"
	printf "m$i" >m$i
	run env PAL_EMU_FIXED_RANDOM=1 ./signer-emu signer.pal sign fkey.blob m$i s$i.der
	set -- $(od -An -tu1 s$i.der)
	if [ $rc -ne 0 ] || [ "$4" != "$rlen" ] || [ "$(eval echo \${$((6 + $4))})" != "$slen" ] ||
		! openssl dgst -sha256 -verify fpub.pem -signature s$i.der m$i >/dev/null; then
		der_bad="$der_bad m$i"
	fi
done
eok "$([ -z "$der_bad" ]; echo $?)" \
	"signer: DER INTEGERs of 33 (high bit) and 31 (leading zero) bytes, each verified${der_bad:+ (not:$der_bad)}"
mkdir -p q
nonce=0123456789abcdef
run ./signer-emu signer.pal quote fkey.blob $nonce q
r=$rc
openssl dgst -sha256 -binary signer.pal >meas
{ head -c 32 /dev/zero; cat meas; } | openssl dgst -sha256 -binary >pcr0
openssl pkey -pubin -in fpub.pem -outform DER | tail -c 65 | openssl dgst -sha256 -binary >keyhash
{ head -c 32 /dev/zero; cat keyhash; } | openssl dgst -sha256 -binary >pcr1
eok "$([ $r -eq 0 ] && cmp -s <(head -c 32 q/pcrs.bin) pcr0 && cmp -s <(tail -c 32 q/pcrs.bin) pcr1
	echo $?)" \
	"signer quote: PCR 0 = SHA-256(0^32 || measurement), PCR 1 = SHA-256(0^32 || SHA-256(pub))"
# pal_emu's quote: TPM2B_ATTEST {"emu-attest" || nonce || composite}, then "emu-sig".
{ printf 'emu-attest'; printf "$(sed 's/../\\x&/g' <<<$nonce)"; cat q/pcrs.bin | openssl dgst -sha256 -binary; } >attest.want
eok "$(cmp -s q/attest.bin attest.want && [ "$(cat q/sig.bin)" = emu-sig ]; echo $?)" \
	"signer quote: the app splits TPM2B_ATTEST || TPMT_SIGNATURE into attest.bin and sig.bin"
run ./signer-emu signer.pal sign key.blob msg sig2.der
eok "$([ $rc -eq 1 ] && grep -q 'the key is not a blob of this monitor' <<<"$out"; echo $?)" \
	"signer: after a reload the old key is no blob of this monitor (EBADMSG)"
run ./counter-emu counter.pal fkey.blob step
eok "$([ $rc -eq 1 ] && grep -q 'status -13' <<<"$out"; echo $?)" \
	"counter refuses the signer's key blob: sealed to another PAL (EACCES)"
cd "$work" || bail "no work directory"

# --- refusals ------------------------------------------------------------------
cat >undef.c <<'EOF'
#include <trustvisor/pal.h>
int printf(const char *fmt, ...);
int32_t pal_main(uint32_t cmd, const void *in, size_t in_len, void *out, size_t *out_len)
{
	return printf("%u", cmd);
}
EOF
cp hello.pal undef.pal
run "$tvcc" -o undef.pal undef.c
failed_with "tvpal-cc: undefined: printf (a PAL has only the functions <trustvisor/pal.h> and" \
	"an undefined function: refused, named, in one line"
ok "$([ ! -e undef.pal ] && [ "$(grep -c . <<<"$out")" -eq 1 ]; echo $?)" \
	"  no output file left (an older one removed too), one line"
echo 'int f(void) { return 1; }' >nomain.c
run "$tvcc" -o nomain.pal nomain.c
failed_with "no pal_main defined" "no pal_main: refused"
cat >ctor.c <<'EOF'
#include <trustvisor/pal.h>
static int x;
__attribute__((constructor)) static void init(void) { x = 1; }
int32_t pal_main(uint32_t cmd, const void *in, size_t in_len, void *out, size_t *out_len)
{
	return x;
}
EOF
run "$tvcc" -o ctor.pal ctor.c
failed_with "a PAL has no constructors or destructors" "a constructor: refused, not dropped"
cat >tls.c <<'EOF'
#include <trustvisor/pal.h>
static __thread int t;
int32_t pal_main(uint32_t cmd, const void *in, size_t in_len, void *out, size_t *out_len)
{
	return t++;
}
EOF
run "$tvcc" -o tls.pal tls.c
failed_with "a PAL has no thread-local storage" "thread-local storage: refused"
printf '#include <stdio.h>\n' >std.c
run "$tvcc" -o std.pal std.c
failed_with "std.c: compilation failed" "no libc headers (<stdio.h>): compilation fails"
run "$tvcc" hello.c
failed_with "no output named (-o NAME.pal)" "no -o: refused"
ok "$(grep -q '^usage: tvpal-cc' <<<"$out"; echo $?)" "  with the usage"
run "$tvcc" -o x.pal
failed_with "no source files" "no sources: refused"
ok "$(grep -q '^usage: tvpal-cc' <<<"$out"; echo $?)" "  with the usage"
run "$tvcc" -o x.pal notes.txt
failed_with "notes.txt: not a C or assembly source" "a non-source argument: refused"
run "$tvcc" -c hello.c
failed_with "-c: not supported" "-c: refused"
ok "$([ -z "$(ls -A "$TMPDIR")" ]; echo $?)" "no temporary files left behind by any run"

# --- tvpal-pack on hostile ELFs --------------------------------------------------
pack=$prefix/lib/trustvisor/sdk/tvpal-pack
# features.elf has 3 PT_LOADs (code, rodata, data+bss); header fields at
# pal.lds offsets: e_type 16, e_entry 24, e_phoff 32; phdr i at 64 + 56 i:
# p_type +0, p_flags +4, p_offset +8, p_vaddr +16, p_filesz +32, p_memsz +40.
hostile() {
	cp features.elf "h-$1.elf"
	[ -n "$2" ] && poke "h-$1.elf" "$2" "$3" "$4"
}
cases=(
	"wx|$((64 + 4))|V|7|segment 0 at 0x10000000 is writable and executable"
	"entry|24|Q<|0x10001000|entry point 0x10001000: the entry point is not in an executable section"
	"window|$((64 + 112 + 16))|Q<|0x20000000|a section lies outside the PAL's section window"
	"toobig|$((64 + 112 + 40))|Q<|0x200000|code and data exceed 1 MiB"
	"wrap|$((64 + 112 + 40))|Q<|0xfffffffffffff000|wraps around the address space"
	"pie|16|v|3|a position-independent executable"
	"dynamic|$((64 + 56))|V|2|has a dynamic segment"
	"tls|$((64 + 56))|V|7|uses thread-local storage"
	"interp|$((64 + 56))|V|3|asks for a dynamic loader"
	"offset|$((64 + 8))|Q<|0x7fffffff|segment 0's bytes lie outside the file"
	"phoff|32|Q<|0xfffffffffffffff0|program header table outside the file"
	"class|4|C|1|not a 64-bit ELF"
	"machine|18|v|3|not an x86-64 ELF"
	"align|$((64 + 56 + 16))|Q<|0x10001010|is not page aligned"
	"overlap|$((64 + 40))|Q<|0x1800|sections overlap or are not sorted by address"
	"filesz|$((64 + 56 + 32))|Q<|0x2000|more file bytes (8192) than memory"
	"phnum|56|v|0|no program headers"
)
asan_bad=
for c in "${cases[@]}"; do
	IFS='|' read -r name off fmt val msg <<<"$c"
	hostile "$name" "$off" "$fmt" "$val"
	run "$pack" -o "h-$name.pal" "h-$name.elf"
	failed_with "$msg" "tvpal-pack refuses an ELF: $name"
	run "$pack_asan" -o "h-$name.pal" "h-$name.elf"
	if [ $rc -ne 1 ] || [ -e "h-$name.pal" ] || grep -q Sanitizer <<<"$out"; then
		printf '%s\n' "$out" | grep -m3 . | sed 's/^/# /'
		asan_bad="$asan_bad $name"
	fi
done
ok "$([ -z "$asan_bad" ]; echo $?)" \
	"tvpal-pack built with ASan+UBSan refuses each cleanly${asan_bad:+ (not:$asan_bad)}"
head -c 100 features.elf >h-trunc.elf
run "$pack" -o h-trunc.pal h-trunc.elf
failed_with "program header table outside the file" "tvpal-pack refuses a truncated ELF"
echo "not an ELF" >h-text.elf
run "$pack" -o h-text.pal h-text.elf
failed_with "not an ELF file" "tvpal-pack refuses a text file"
$CC -static -o h-static.elf -x c - <<<'int main(void) { return 0; }' 2>/dev/null
run "$pack" -o h-static.pal h-static.elf
failed_with "relocations to apply at run time" "tvpal-pack refuses a static glibc program (IRELATIVE)"
ok "$([ -z "$(ls h-*.pal 2>/dev/null)" ] && [ -z "$(ls -a | grep -E '\.pal\.')" ]; echo $?)" \
	"tvpal-pack left no output and no temporary file for any refused ELF"

# --- applications through pkg-config ----------------------------------------------
run $CC -static -Wall -Wextra -Werror -o app-static app.c \
	$(pkg-config --cflags --libs --static libtrustvisor)
ok $rc "app.c links static with pkg-config --static"
run $CC -Wall -Wextra -Werror -o app-shared app.c $(pkg-config --cflags --libs libtrustvisor)
ok "$([ $rc -eq 0 ] && LD_LIBRARY_PATH=$prefix/lib ldd ./app-shared |
	grep -q "libtrustvisor.so.0 => $prefix/lib/"; echo $?)" \
	"app.c links shared: needs libtrustvisor.so.0"
if [ -e /dev/trustvisor ]; then
	tap_skip() { n=$((n + 1)); echo "ok $n $1 # SKIP /dev/trustvisor exists here"; }
	tap_skip "static app without the device"
	tap_skip "shared app without the device"
	tap_skip "tvctl run without the device"
else
	run ./app-static hello.pal
	failed_with "app: loading hello.pal: No such file or directory" \
		"static app without the device: tv_pal_load's -ENOENT via tv_strerror"
	run env LD_LIBRARY_PATH="$prefix/lib" ./app-shared hello.pal
	failed_with "app: loading hello.pal: No such file or directory" \
		"shared app without the device: the same"
	run "$tvctl" run hello.pal --cmd 1
	failed_with "tvctl: run: load hello.pal: No such file or directory (no /dev/trustvisor" \
		"tvctl run without the device: one line naming it"
fi

cat >api.c <<'EOF'
/* What the library decides without the device. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libtrustvisor.h>

int main(int argc, char **argv)
{
	static unsigned char buf[2 << 20];
	struct tv_pal *pal = (struct tv_pal *)1;
	struct tv_pal_fault_info fi;
	size_t len;
	int e, own[] = { TV_ERR_PAL_FAULT, TV_ERR_PAL_KILLED, TV_ERR_PAL_GONE };
	FILE *f = fopen(argv[1], "rb");

	if (argc != 3 || !f)
		return 2;
	len = fread(buf, 1, sizeof(buf), f);
	e = tv_pal_load(buf, len, &pal);
	printf("load %d %s pal %s\n", e, e == -ENOEXEC ? "ENOEXEC" : "?", pal ? "set" : "NULL");
	printf("reason %s\n", tv_pal_img_strerror(tv_pal_image_reason(buf, len)));
	e = tv_pal_load_file(argv[1], &pal);
	printf("load_file %s\n", e == -ENOEXEC ? "ENOEXEC" : "?");
	printf("missing %s\n", tv_pal_load_file(argv[2], &pal) == -ENOENT ? "ENOENT" : "?");
	printf("null %d %d %d %d\n", tv_pal_load(buf, len, NULL) == -EINVAL,
	       tv_pal_load(NULL, 0, &pal) == -ENOEXEC,
	       tv_pal_call(NULL, 0, NULL, 0, NULL, NULL, NULL) == -EINVAL,
	       tv_pal_fault(NULL, &fi) == -EINVAL);
	for (int i = 0; i < 3; i++) {
		int clash = 0;

		for (int j = 1; j < 4096; j++)
			clash |= !strcmp(tv_strerror(own[i]), tv_strerror(-j));
		printf("own %d %s%s\n", -own[i] - TV_ERR_BASE, tv_strerror(own[i]),
		       clash ? " CLASH" : "");
	}
	printf("errno %s\n", tv_strerror(-EBUSY));
	printf("fault %s | %s\n", tv_fault_name(14), tv_fault_name(TV_FAULT_MEMORY));
	tv_pal_unload(NULL);
	return 0;
}
EOF
head -c 200 hello.pal >broken.pal
run $CC -static -Wall -Wextra -Werror -o api api.c \
	$(pkg-config --cflags --libs --static libtrustvisor)
ok $rc "a program using the whole API builds against the installed header"
run ./api broken.pal no-such.pal
want='load -8 ENOEXEC pal NULL
reason file length is not header + section table + section bytes
load_file ENOEXEC
missing ENOENT
null 1 1 1 1
own 1 the PAL was terminated by a fault
own 2 the PAL was killed
own 3 the PAL is no longer loaded (it faulted or was killed)
errno Device or resource busy
fault #PF (page fault) | memory not its own'
ok "$([ "$out" = "$want" ]; echo $?)" \
	"a malformed image: -ENOEXEC and its reason without the device; own codes apart from errno"
[ "$out" = "$want" ] || diff <(echo "$want") <(echo "$out") | sed 's/^/# /'
run "$tvctl" run broken.pal
failed_with "tvctl: run: broken.pal: not a valid PAL image: file length is not" \
	"tvctl run refuses a malformed image with the reason"
run "$tvctl" measure broken.pal
failed_with "tvctl: measure: broken.pal: not a valid PAL image" \
	"tvctl measure refuses a malformed PAL image"
head -c 4096 /dev/zero >monitor.bin
ok "$([ "$("$tvctl" measure monitor.bin)" = "$(sha256sum monitor.bin | cut -d' ' -f1)" ]
	echo $?)" \
	"tvctl measure of a non-PAL file: its SHA-256, as before"

# --- tvctl's usage ---------------------------------------------------------------
run "$tvctl" --help
ok "$([ $rc -eq 0 ] && for c in status 'cpu N' 'measure FILE' 'inspect PAL' \
	'run PAL [--cmd N] [--in FILE] [--out FILE]'; do
		grep -qF "  $c" <<<"$out" || exit 1
	done; echo $?)" \
	"tvctl --help lists every command with its arguments"
run "$tvctl"
r1=$rc
run "$tvctl" run
ok "$([ $r1 -eq 2 ] && [ $rc -eq 2 ] && grep -q 'no PAL image named' <<<"$out"; echo $?)" \
	"tvctl without a command, run without a PAL: usage, exit 2"
run "$tvctl" run hello.pal --cmd x
failed_with "--cmd 'x' is not a 32-bit number" "tvctl run --cmd checks its number"

echo "1..$n"
