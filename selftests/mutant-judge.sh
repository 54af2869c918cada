# SPDX-License-Identifier: GPL-2.0
# Sourced by the mutant drivers (selftests/vmxroot/mutants.sh,
# selftests/lib/pal_image_mutants.sh): runs the rebuilt test program on a
# mutant and prints the TAP line.  A mutant is killed only when a failing
# test point names the rule it deleted.
# usage: mutant_judge N PROGRAM WANT KILLED-TEXT SURVIVED-TEXT
mutant_judge() {
	local out

	out=$("$2" 2>&1)
	if grep '^not ok' <<<"$out" | grep -qF -- "$3"; then
		echo "ok $1 killed: $4"
	else
		grep -E '^not ok' <<<"$out" | head -3 | sed 's/^/# /'
		echo "not ok $1 mutant SURVIVED: $5"
		failed=1
	fi
}
