#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Runs the evidence log reader's libFuzzer target for EVLOG_FUZZ_SECONDS
# (default 10) and prints TAP (selftests/fuzz/run-fuzz.sh).  The corpus
# starts from logs the module's writer makes (selftests/kmod/evlog_tool),
# of one to three banks: random bytes almost never get past the Spec ID
# event, and a fuzzer that never does tests nothing.
cd "$(dirname "$0")/../.." || exit 1
dir=${O:-build}/selftests/fuzz
tool=${O:-build}/selftests/kmod/evlog_tool
corpus=$dir/corpus-fuzz_evlog_parse
mkdir -p "$corpus"
meas=$(printf 'TrustVisor monitor image' | sha256sum | cut -c1-64)
for banks in sha256 sha1,sha256 sha1,sha256,sha384,sha512; do
	[ -e "$corpus/seed-$banks" ] || "$tool" log "$corpus/seed-$banks" 13 "$banks" \
		"54560001:$meas" 54560005:0100000000000000 54560002:0012abcd \
		54560003:0100000002000000000000000200000000000000 54560004 >/dev/null || exit 1
done
exec selftests/fuzz/run-fuzz.sh "${EVLOG_FUZZ_SECONDS:-10}" fuzz_evlog_parse
