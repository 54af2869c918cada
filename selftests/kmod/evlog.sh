#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The module's evidence log (kmod/evlog.c, built for the host) as stock
# tpm2_eventlog reads it: it parses, shows each event, and replays to the
# PCR values OpenSSL computes, for one, two and three banks; a log with one
# changed digest replays to something else.  Prints TAP.
set -u
cd "$(dirname "$0")/../.."
tool=${O:-build}/selftests/kmod/evlog_tool
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. selftests/tap.sh

echo "TAP version 13"
[ -x "$tool" ] || { echo "Bail out! no $tool (make check-unit builds it)"; exit 1; }
command -v tpm2_eventlog >/dev/null || { echo "Bail out! tpm2-tools missing (scripts/deps.sh)"; exit 1; }
echo "1..12"
"$tool" limits | grep -E "^(not )?ok " >"$tmp/limits"
while read -r line; do
	case $line in
	ok*) ok 0 "evlog: ${line#ok * }" ;;
	*) ok 1 "evlog: ${line#not ok * }" ;;
	esac
done <"$tmp/limits"
[ "$(wc -l <"$tmp/limits")" -eq 6 ] || ok 1 "evlog_tool limits printed 6 points"

# The events of a launch, as kmod/evidence.c writes them (include/trustvisor/evidence.h).
meas=$(printf 'TrustVisor monitor image' | sha256sum | cut -c1-64)
monitor=54560001:$meas
secret=54560005:0100000000000000
identity=54560002:$(head -c 90 /dev/urandom | od -An -tx1 | tr -d ' \n')
launch=54560003:01000000020000000000000000000000
left=54560004
# replays LOG BANKS: tpm2_eventlog's replayed PCR 13, one "bank value" a line
replayed() {
	tpm2_eventlog "$1" 2>"$tmp/err" | awk '
		/^pcrs:/ { p = 1; next }
		p && /^  [a-z0-9]+:$/ { bank = $1; sub(":", "", bank); next }
		p && /^    13 : 0x/ { print toupper(bank), tolower(substr($3, 3)) }'
}
for banks in sha256 sha1,sha256 sha1,sha256,sha384; do
	"$tool" log "$tmp/log" 13 "$banks" $monitor $secret $identity $launch $left >"$tmp/out" ||
		bail "evlog_tool log $banks failed"
	awk '{ print $1, $3 }' "$tmp/out" | sort >"$tmp/want"
	replayed "$tmp/log" | sort >"$tmp/got"
	[ -s "$tmp/got" ] && cmp -s "$tmp/want" "$tmp/got"
	ok $? "banks $banks: tpm2_eventlog parses the log and replays PCR 13 as OpenSSL does"
done
tags=$(tpm2_eventlog "$tmp/log" | grep -c 'EventType: EV_EVENT_TAG')
[ "$tags" -eq 5 ]
ok $? "the five events are EV_EVENT_TAG ($tags)"
tpm2_eventlog "$tmp/log" | grep -q 'Event: "0400565400000000"'
ok $? "the \"left\" event is its tagged ID 0x54560004 and a zero size"
# One byte of the second event's sha256 digest changed: the log replays elsewhere.
"$tool" log "$tmp/log" 13 sha256 $monitor $secret $identity $launch $left | awk '{ print $1, $3 }' \
	>"$tmp/want"
# The header with one bank is 65 bytes; event 1 is 12 + 2 + 32 + 4 + 40;
# event 2's sha256 digest follows its 12 bytes and its algorithm ID.
off=$((65 + 90 + 12 + 2))
printf '\xff' | dd of="$tmp/log" bs=1 seek=$((off + 5)) conv=notrunc status=none
got=$(replayed "$tmp/log")
[ -n "$got" ] && [ "$got" != "$(cat "$tmp/want")" ]
ok $? "a changed digest replays to another PCR value"
