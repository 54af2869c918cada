#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Runs libFuzzer targets for a bounded time each and prints TAP.
# usage: run-fuzz.sh SECONDS TARGET...   (binaries in $O/selftests/fuzz)
# The corpus persists under the build directory so that repeated runs go
# deeper; crashing inputs are kept in its artifacts/ folder.
set -u
cd "$(dirname "$0")/../.."
dir=${O:-build}/selftests/fuzz
secs=$1
shift
targets=("$@")

echo "TAP version 13"
echo "1..${#targets[@]}"
n=0
for t in "${targets[@]}"; do
	n=$((n + 1))
	bin=$dir/$t
	if [ ! -x "$bin" ]; then
		echo "not ok $n $t: $bin missing (run make check-unit)"
		continue
	fi
	mkdir -p "$dir/corpus-$t" "$dir/artifacts"
	log=$dir/$t.log
	timeout $((secs + 30)) "$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=1024 \
		-artifact_prefix="$dir/artifacts/$t-" "$dir/corpus-$t" >"$log" 2>&1
	rc=$?
	runs=$(grep -oE 'Done [0-9]+ runs' "$log" | grep -oE '[0-9]+')
	if [ $rc -eq 0 ] && [ -n "$runs" ]; then
		echo "ok $n $t: $runs runs in ${secs}s, no finding"
	else
		echo "not ok $n $t: exit $rc, see $log"
		grep -E 'ERROR|SUMMARY|artifact|fuzz_' "$log" | head -5 | sed 's/^/# /'
	fi
done
