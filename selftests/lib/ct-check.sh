#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Constant-time check: runs each ct_* program (built by lib/lib.mk from
# selftests/lib/ct_*.c) under valgrind memcheck.  The programs mark their
# secrets undefined, so any branch or memory index derived from a secret is
# reported as a use of uninitialised data and fails its test point.
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
echo "TAP version 13"
echo "1..${#progs[@]}"
fail=0
n=0
for p in "${progs[@]}"; do
	n=$((n + 1))
	name=$(basename "$p")
	if ! command -v valgrind >/dev/null; then
		echo "not ok $n $name # valgrind not installed (scripts/deps.sh)"
		fail=1
		continue
	fi
	if [ ! -x "$p" ]; then
		echo "not ok $n $name # not built (make check-unit builds it)"
		fail=1
		continue
	fi
	log=$(valgrind -q --error-exitcode=99 --track-origins=yes "$p" 2>&1)
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
