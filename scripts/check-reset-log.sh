#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Judges the serial log of a reset lane (selftests/vm/reset.sh): prints TAP
# and fails unless, in this order, the first boot ran natively and loaded
# the monitor, asked for a reset (TV-RESET), the monitor logged the request,
# destroyed its secrets and reset the machine, and the machine booted again
# natively (a second TV-BOOT-CHECK with no failure); and unless the first
# boot shows no kernel error or fatal monitor line.
# usage: check-reset-log.sh SERIAL_LOG [EMULATOR_LOG]
set -uo pipefail
log=$1 emulog=${2:-}
lane=${TV_LANE:-$(basename "$log" .log)}
text=$(tr -d '\r' <"$log" 2>/dev/null) || { echo "$lane: 0 passed, 1 failed, 0 skipped"; exit 1; }
n=0 fail=0
point() {	# point OK DESCRIPTION
	n=$((n + 1))
	if [ "$1" = 1 ]; then echo "ok $n $2"; else echo "not ok $n $2"; fail=$((fail + 1)); fi
}
# Line number of the first line matching ERE $1 after line $2 (0 if none).
after() {
	awk -v re="$1" -v from="$2" 'NR > from && $0 ~ re { print NR; found = 1; exit } END { if (!found) print 0 }' <<<"$text"
}
echo "TAP version 13"
echo "1..7"
b1=$(after 'TV-BOOT-CHECK: [0-9]+ ok, 0 not ok' 0)
point $([ "$b1" -gt 0 ] && echo 1) "first boot: no monitor before the module is loaded"
req=$(after 'TV-RESET:' "$b1")
point $([ "$req" -gt 0 ] && echo 1) "first boot: the monitor loaded and a reset was asked for: $(sed -n "${req}p" <<<"$text" | cut -c1-90)"
seen=$(after 'trustvisor: CPU [0-9]+: (reset requested by Linux|Linux triple-faulted)' "$req")
point $([ "$seen" -gt 0 ] && echo 1) "the monitor logged the request: $(sed -n "${seen}p" <<<"$text" | cut -c1-100)"
wiped=$(after 'trustvisor: CPU [0-9]+: secrets destroyed' "$seen")
point $([ "$wiped" -gt 0 ] && echo 1) "then it destroyed the secrets"
reset=$(after 'trustvisor: CPU [0-9]+: secrets destroyed; resetting the machine' "$seen")
point $([ "$reset" -ge "$wiped" ] && [ "$reset" -gt 0 ] && echo 1) "then it reset the machine"
b2=$(after 'TV-BOOT-CHECK: [0-9]+ ok, 0 not ok' "$reset")
point $([ "$b2" -gt 0 ] && echo 1) "the machine booted again, natively (no monitor on any CPU)"
first=$(head -n "$((reset > 0 ? reset : $(wc -l <<<"$text")))" <<<"$text")
bad=$(grep -nE 'trustvisor: FATAL:|Oops|BUG:|WARNING: CPU:|general protection|Kernel panic|Call Trace:|^not ok' <<<"$first" | head -5)
point $([ -z "$bad" ] && echo 1) "no kernel error, fatal monitor line or failed test before the reset${bad:+: $bad}"
if [ -n "$emulog" ] && grep -qE '>>PANIC<<' "$emulog" 2>/dev/null &&
	grep -E '>>PANIC<<' "$emulog" | grep -qv 'ACPI control: soft power off'; then
	echo "# the emulator log has a panic:"
	grep -E '>>PANIC<<' "$emulog" | head -3 | sed 's/^/#   /'
	fail=$((fail + 1))
fi
echo "$lane: $((n - fail)) passed, $fail failed, 0 skipped"
[ "$fail" -eq 0 ]
