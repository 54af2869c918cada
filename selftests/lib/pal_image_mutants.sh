#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Does test_pal_image really depend on each rule of lib/pal_image.c, the
# check the monitor decides with?  For each rule: copy the source, break the
# rule (a perl substitution that must match exactly once), rebuild the test
# and require that a test point naming the case fails.  A mutant that
# survives means a rule could go with every test green.  Prints TAP.
set -u
cd "$(dirname "$0")/../.." || exit 1
. selftests/mutant-judge.sh
CC=${CC:-cc}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Pairs: perl substitution on lib/pal_image.c (-0777, exactly one match),
# text of the test point that must then fail.
mutants=(
	's/if \(file_len < sizeof\(\*h\)\)\n\t\treturn TV_PAL_IMG_SHORT;//' 'the length is checked first'
	's/sizeof\(h->magic\)\)/7)/' "magic's NUL"
	's/ \|\| h->header_size != sizeof\(\*h\)//' 'header_size - 1'
	's/h->reserved\[0\] \|\| h->reserved\[1\]/h->reserved[0]/' 'header reserved[1]'
	's/h->nr_sections > TV_PAL_MAX_SECTIONS/h->nr_sections > 17/' 'nr_sections 17'
	's/h->isa > TV_PAL_ISA_V3/h->isa > 4/' 'isa 4'
	's/h->stack_size > TV_PAL_STACK_MAX/h->stack_size > 17 * TV_PAL_PAGE/' 'stack 68 KiB'
	's/if \(file_len < tv_pal_table_end\(h\)\)\n\t\treturn TV_PAL_IMG_SHORT;//' 'part of the table'
	's/if \(s->reserved\)\n\t\treturn TV_PAL_IMG_RESERVED;//' 'section reserved'
	's/ \|\| !s->memsz//' 'memsz 0'
	's/s->vaddr >= hi/s->vaddr > hi/' "at the window's end"
	's/s->memsz > hi - s->vaddr/s->vaddr + s->memsz > hi/' 'vaddr + memsz wraps'
	's/s->vaddr < prev_end/s->vaddr + TV_PAL_PAGE < prev_end/' 'overlapping'
	's/ \|\|\n\t    \(\(f & TV_PAL_SEC_W\) && \(f & TV_PAL_SEC_X\)\)//' 'W+X'
	's/ \|\| !\(f & TV_PAL_SEC_R\)//' 'not readable'
	's/s->filesz > s->memsz/s->filesz > s->memsz + 1/' 'filesz = memsz + 1'
	's/ != data\)/ < data)/' 'length + 1'
	's/h->entry < s\[i\]\.vaddr \+ s\[i\]\.memsz/h->entry <= s[i].vaddr + s[i].memsz/' 'entry one past'
	's/\(s\[i\]\.flags & TV_PAL_SEC_X\) && //' 'entry in data'
	's/return "unknown image error";/return "well formed";/' 'distinct and non-empty'
	's/return "no sections, or more than 16";/return "";/' 'distinct and non-empty'
)

echo "TAP version 13"
echo "1..$((${#mutants[@]} / 2))"
n=0 failed=0
for ((i = 0; i < ${#mutants[@]}; i += 2)); do
	n=$((n + 1))
	subst=${mutants[i]} want=${mutants[i + 1]}
	rm -rf "$work/src"
	mkdir -p "$work/src/lib"
	cp lib/pal_image.c lib/pal_image.h lib/base.h "$work/src/lib/"
	if ! perl -0777 -i -pe "\$c = ($subst); END { exit(\$c == 1 ? 0 : 3) }" \
		"$work/src/lib/pal_image.c"; then
		echo "not ok $n mutant '$subst': did not apply exactly once (the rule moved?)"
		failed=1
		continue
	fi
	if ! $CC -O1 -g -std=gnu11 -I"$work/src" -I. -Iinclude -o "$work/t" \
		selftests/lib/test_pal_image.c "$work/src/lib/pal_image.c" 2>"$work/cc.err"; then
		sed 's/^/# /' "$work/cc.err" | head -5
		echo "not ok $n mutant does not compile: '$subst'"
		failed=1
		continue
	fi
	mutant_judge $n "$work/t" "$want" "breaking the rule fails \"$want\"" \
		"'$subst': no failing test names \"$want\""
done
exit $failed
