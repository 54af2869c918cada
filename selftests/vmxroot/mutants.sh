#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Do the monitor-logic unit tests (test_monitor.c) really depend on the rules
# they name?  For each rule: copy the sources, delete the rule (a perl
# substitution that must match exactly once), rebuild test_monitor, and
# require that it fails, on a test point naming that rule.  A mutant that
# survives means a rule could be deleted with every test green.  Prints TAP.
set -u
cd "$(dirname "$0")/../.." || exit 1
. selftests/mutant-judge.sh
CC=${CC:-cc}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Three entries per mutant: file, perl substitution (applied with -0777,
# must match exactly once), text of the test point that must then fail.
mutants=(
	vmxroot/policy.c 's/if \(!\(v & XFEATURE_X87\) \|\| /if (/' 'rule x87'
	vmxroot/policy.c 's/\(v & XFEATURE_AVX\) && !\(v & XFEATURE_SSE\)/0/' 'rule AVX needs SSE'
	vmxroot/policy.c 's/!\(v & XFEATURE_BNDREGS\) != !\(v & XFEATURE_BNDCSR\)/0/' 'rule MPX pair'
	vmxroot/policy.c 's/\(v & XFEATURE_AVX512\) != XFEATURE_AVX512 \|\|/0 ||/' 'rule AVX-512 triple'
	vmxroot/policy.c 's/ \|\|\s*!\(v & XFEATURE_AVX\)\)\)/))/' 'rule AVX-512 needs AVX'
	vmxroot/policy.c 's/\(v & XFEATURE_AMX\) && \(v & XFEATURE_AMX\) != XFEATURE_AMX/0/' 'rule AMX pair'
	vmxroot/policy.c 's/ \|\| \(v & ~supported\)//' 'rule supported'
	vmxroot/policy.c 's/if \(v & CR0_RESERVED_HI\)/if (0)/' 'rule reserved: bit 32'
	vmxroot/policy.c 's/\(v & X86_CR0_PG\) && !\(v & X86_CR0_PE\)/0/' 'rule PG needs PE'
	vmxroot/policy.c 's/\(v & X86_CR0_NW\) && !\(v & X86_CR0_CD\)/0/' 'rule NW needs CD'
	vmxroot/policy.c 's/long_mode && !\(v & X86_CR0_PG\)/0/' 'rule long mode keeps PG'
	vmxroot/policy.c 's/\(cr4 & X86_CR4_CET\) && !\(v & X86_CR0_WP\)/0/' 'rule CET needs WP (CR0)'
	vmxroot/policy.c 's/v & ~allowed & ~\(cur & X86_CR4_VMXE\)/v & ~allowed & ~X86_CR4_VMXE/' 'rule VMXE: set anew'
	vmxroot/policy.c 's/long_mode && !\(v & X86_CR4_PAE\)/0/' 'rule long mode keeps PAE'
	vmxroot/policy.c 's/long_mode && \(\(v \^ cur\) & X86_CR4_LA57\)/0/' 'rule LA57 fixed in long mode'
	vmxroot/policy.c 's/ \|\| \(cr3 & 0xfff\)//' 'rule PCIDE needs CR3'
	vmxroot/policy.c 's/\(!long_mode \|\| /(/' 'rule PCIDE needs long mode'
	vmxroot/policy.c 's/\(v & X86_CR4_CET\) && !\(cr0 & X86_CR0_WP\)/0/' 'rule CET needs WP (CR4)'
	vmxroot/policy.c 's/\(1U << 5\) \| \(1U << 6\) \|/(1U << 6) |/' 'VMX and SMX hidden'
	vmxroot/policy.c 's/return \(\(val \^ cur\) & ~\(APIC_BASE_X2APIC \| APIC_BASE_ENABLE\)\) == 0;/return true;/' 'moving the base is refused'
	vmxroot/policy.c 's/(\{ 0x1d9, 0x1d9, MSR_EMULATE \},[^\n]*\n)/$1\t{ 0x560, 0x587, MSR_PASS },\n/' 'IA32_RTIT_'
	vmxroot/policy.c 's/\{ 0x600, 0x600, MSR_READ \},/{ 0x600, 0x600, MSR_PASS },/' 'DS_AREA'
	vmxroot/policy.c 's/#define DEBUGCTL_ALLOW\t\(/#define DEBUGCTL_ALLOW\t((1ULL << 7) | /' 'BTS and TR'
	vmxroot/policy.c 's/ && !\(val & XSS_PT\)//' 'the PT component refused'
	vmxroot/policy.c 's/r->ebx &= CPUID7_EBX_ALLOW;//' 'Intel PT and SGX launch control hidden'
	vmxroot/paging.c 's/len <= page_down\(r\[i\]\.end\) - pa && //' 'ending past the top of RAM'
	vmxroot/paging.c 's/ \|\| in_monitor\(pa, len\)\)/)/' 'monitor memory is not guest RAM'
	vmxroot/paging.c 's/if \(monitor\.caps\.ept_vpid & EPT_CAP_2M\)\n\t\treturn SZ_2M;\n\treturn SZ_4K;/return SZ_2M;/' 'EPT without 2 MiB pages'
	vmxroot/paging.c 's/ret = map_range\(&m, pml4, page_down\(r\[i\]\.start\), page_up\(r\[i\]\.end\)\);/ret = map_range(\&m, pml4, 0, 1ULL << 39);/' 'undescribed gaps'
	vmxroot/guest.c 's/guest_buffer_ok\(eptp, gpa, len, EPT_R \| EPT_W\)/guest_buffer_ok(eptp, gpa, len, EPT_R)/' "read-only in the caller's EPT view"
	vmxroot/io.c 's/\(val & RST_CNT_RST_CPU\)/0/' 'port 0xCF9'
	vmxroot/io.c 's/\(val & 0xf0\) == 0xf0 && !\(val & 1\)/val == 0xfe/' 'port 0x64'
)

echo "TAP version 13"
echo "1..$((${#mutants[@]} / 3))"
n=0 failed=0
for ((i = 0; i < ${#mutants[@]}; i += 3)); do
	n=$((n + 1))
	file=${mutants[i]} subst=${mutants[i + 1]} want=${mutants[i + 2]}
	rm -rf "$work/src"
	mkdir -p "$work/src"
	cp -r vmxroot lib utpm include selftests "$work/src/"
	if ! perl -0777 -i -pe "\$c = ($subst); END { exit(\$c == 1 ? 0 : 3) }" "$work/src/$file"; then
		echo "not ok $n mutant '$subst' on $file: did not apply exactly once (the rule moved?)"
		failed=1
		continue
	fi
	if ! $CC -O1 -g -Wall -Wextra -std=gnu11 -I"$work/src" -I"$work/src/include" -DTV_HOST_TEST \
		-Wno-unused-function -o "$work/t" "$work/src/selftests/vmxroot/test_monitor.c" \
		2>"$work/cc.err"; then
		sed 's/^/# /' "$work/cc.err" | head -5
		echo "not ok $n mutant on $file does not compile: '$subst'"
		failed=1
		continue
	fi
	mutant_judge $n "$work/t" "$want" "$file without \"$want\" fails its test" \
		"$file with '$subst': no failing test names \"$want\""
done
exit $failed
