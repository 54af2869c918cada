#!/usr/bin/env bash
# Runs test programs that print TAP and sums them up.
# usage: tap-run.sh LANE PROGRAM...
# A program fails the lane if it exits non-zero, prints "not ok", or prints
# no plan; the last line is the plain "N passed, N failed" summary.
set -u
lane=$1; shift
pass=0; fail=0; skip=0; bad=()
for prog in "$@"; do
	echo "# --- $prog"
	out=$("$prog" 2>&1); rc=$?
	printf '%s\n' "$out"
	p=$(grep -cE '^ *ok [0-9]+' <<<"$out")
	s=$(grep -cE '^ *ok [0-9]+.*# *SKIP' <<<"$out")
	f=$(grep -cE '^ *not ok [0-9]+' <<<"$out")
	pass=$((pass + p - s)); skip=$((skip + s)); fail=$((fail + f))
	if [ $rc -ne 0 ] || [ "$f" -ne 0 ] || ! grep -qE '^ *1\.\.[0-9]+' <<<"$out"; then
		bad+=("$prog (exit $rc)")
		[ "$f" -eq 0 ] && fail=$((fail + 1))
	fi
done
for b in "${bad[@]+"${bad[@]}"}"; do echo "# FAILED: $b"; done
echo "$lane: $pass passed, $fail failed, $skip skipped"
[ ${#bad[@]} -eq 0 ]
