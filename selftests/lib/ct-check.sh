#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Constant-time check: runs each ct_* program (built by lib/lib.mk from
# selftests/lib/ct_*.c) under valgrind memcheck.  The programs mark their
# secrets undefined, so any branch or memory index derived from a secret is
# reported as a use of uninitialised data and fails its test point.
#
# First, negative controls: ctneg (selftests/lib/ctneg*.c) branches on and
# indexes with a secret on purpose, and each must be reported, by memcheck,
# at the leaking function, for a value created by SECRET()'s client request.
# A control that is not reported means the check is blind (no valgrind,
# SECRET() compiled out, errors not turned into the exit status, ...), and
# it fails like a leak would.
# usage: ct-check.sh [PROGRAM...]   (default: one per selftests/lib/ct_*.c)
set -u
cd "$(dirname "$0")/../.." || exit 1
O=${O:-build}
progs=("$@")
if [ ${#progs[@]} -eq 0 ]; then
	for src in selftests/lib/ct_*.c; do
		[ -e "$src" ] && progs+=("$O/ct/selftests/lib/$(basename "$src" .c)")
	done
fi
neg=$O/ct/selftests/lib/ctneg
# mode | what memcheck must say | function it must say it at
controls=(
	"branch|Conditional jump or move depends on uninitialised value(s)|ctneg_branch"
	"index|Use of uninitialised value of size 8|ctneg_index"
)
vg=(valgrind -q --error-exitcode=99 --track-origins=yes)
have_vg=1
command -v valgrind >/dev/null || have_vg=0

echo "TAP version 13"
echo "1..$((${#controls[@]} + ${#progs[@]}))"
fail=0
n=0

# Is there an error report "$2" whose innermost frame is function $3, for a
# value created by a client request (SECRET()), in memcheck log $1?
flagged_at() {
	awk -v what="$2" -v fn="$3" '
		index($0, what) { want_at = 1; next }
		want_at { want_at = 0; if ($0 ~ ("at 0x[0-9A-Fa-f]+: " fn " ")) want_origin = 1; next }
		want_origin && /Uninitialised value was created by a client request/ { hit = 1 }
		want_origin && /^==[0-9]+== *$/ { want_origin = 0 }
		END { exit !hit }' <<<"$1"
}

# Can test point $n ($name) run program $1?  If not, it fails, saying why.
runnable() {
	local why=
	if [ $have_vg -eq 0 ]; then
		why="valgrind not installed (scripts/deps.sh)"
	elif [ ! -x "$1" ]; then
		why="not built (make check-unit builds it)"
	fi
	[ -z "$why" ] && return 0
	echo "not ok $n $name # $why"
	fail=1
	return 1
}

for c in "${controls[@]}"; do
	IFS='|' read -r mode what fn <<<"$c"
	n=$((n + 1))
	name="ctneg $mode"
	runnable "$neg" || continue
	log=$("${vg[@]}" "$neg" "$mode" 2>&1)
	rc=$?
	if [ $rc -eq 99 ] && flagged_at "$log" "$what" "$fn"; then
		echo "ok $n $name negative control flagged: \"$what\" at $fn"
	else
		sed 's/^/# /' <<<"$log" | head -40
		echo "not ok $n $name negative control NOT flagged as \"$what\" at $fn" \
			"(exit $rc): the check is blind"
		fail=1
	fi
done

for p in "${progs[@]}"; do
	n=$((n + 1))
	name=$(basename "$p")
	runnable "$p" || continue
	log=$("${vg[@]}" "$p" 2>&1)
	rc=$?
	if [ $rc -eq 0 ]; then
		echo "ok $n $name constant time under memcheck"
	else
		sed 's/^/# /' <<<"$log" | head -60
		echo "not ok $n $name (exit $rc: 99 = secret-dependent branch/index)"
		fail=1
	fi
done
exit $fail
