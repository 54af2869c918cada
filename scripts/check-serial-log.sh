#!/usr/bin/env bash
# Judges the serial console log of one emulated-machine lane.
# usage: check-serial-log.sh SERIAL_LOG [EMULATOR_LOG]
#
# Fails (exit 1, printing the offending lines) when the log shows a fatal
# monitor line ("trustvisor: FATAL:") or a kernel
# error (oops, BUG, WARNING: CPU:, general protection fault, panic, lockups,
# RCU stalls, hung tasks, call traces, triple fault), when the emulator log
# shows a triple fault or an emulator panic, when a TAP line reads "not ok",
# or when the "TV-LANE-END rc=0" line is missing (absent or rc non-zero).
# Last line: "<lane>: N passed, N failed, N skipped" where lane is the log's
# file name without .log (or $TV_LANE).
set -euo pipefail

if [ $# -lt 1 ] || [ $# -gt 2 ]; then
	echo "usage: $0 SERIAL_LOG [EMULATOR_LOG]" >&2
	exit 2
fi
log=$1 emulog=${2:-}
lane=${TV_LANE:-$(basename "$log" .log)}

if [ ! -r "$log" ]; then
	echo "check-serial-log: cannot read $log" >&2
	echo "$lane: 0 passed, 1 failed, 0 skipped"
	exit 1
fi

# Serial output ends lines with CR LF; judge plain lines.
text=$(tr -d '\r' <"$log")
problems=0

# Kernel trouble.  TAP result and comment lines are exempt (a test may name
# what it checks), and so are the echoed kernel command lines ("panic=-1").
# The boot's "RETBleed: WARNING: ..." line does not match "WARNING: CPU:".
kernel_bad='trustvisor: FATAL:|Oops|BUG:|WARNING: CPU:|general protection|Kernel panic|\<[Pp]anic\>|soft lockup|hard LOCKUP|self-detected stall|detected stalls? on CPU|blocked for more than|Call Trace:|[Tt]riple fault'
tap_line='^[0-9]+:[[:space:]]*((not )?ok([[:space:]]|$)|#)'
bad=$(grep -nE -- "$kernel_bad" <<<"$text" | grep -vE -- "$tap_line" |
	grep -v -- 'ommand line:' || true)
if [ -n "$bad" ]; then
	echo "check-serial-log: kernel errors in $log:"
	head -n 40 <<<"$bad" | sed 's/^/  /'
	n=$(wc -l <<<"$bad")
	[ "$n" -gt 40 ] && echo "  ... ($n lines in all)"
	problems=$((problems + 1))
fi

# Emulator trouble (Bochs logs a triple fault with reset_on_triple_fault=0
# as "3rd (N) exception with no resolution", and its panics as >>PANIC<<;
# the guest's own power-off is logged as a panic too and is fine).
if [ -n "$emulog" ]; then
	if [ -r "$emulog" ]; then
		ebad=$(grep -nE -- '[Tt]riple fault|3rd \([0-9]+\) exception with no resolution|>>PANIC<<' "$emulog" |
			grep -v 'ACPI control: soft power off' || true)
		if [ -n "$ebad" ]; then
			echo "check-serial-log: emulator errors in $emulog:"
			head -n 20 <<<"$ebad" | sed 's/^/  /'
			problems=$((problems + 1))
		fi
	else
		echo "check-serial-log: cannot read emulator log $emulog"
		problems=$((problems + 1))
	fi
fi

# The lane script's exit code, printed by /init.
end=$(grep -oE 'TV-LANE-END rc=[0-9]+' <<<"$text" | tail -n 1 || true)
if [ -z "$end" ]; then
	echo "check-serial-log: no TV-LANE-END line in $log (the lane did not finish)"
	problems=$((problems + 1))
elif [ "$end" != "TV-LANE-END rc=0" ]; then
	echo "check-serial-log: lane script failed: $end"
	problems=$((problems + 1))
fi

# What must happen after the lane ends (in the power-off that follows): a
# lane prints "TV-EXPECT-AFTER-END: TEXT" and TEXT must appear after the
# TV-LANE-END line.
endline=$(grep -nE 'TV-LANE-END rc=[0-9]+' <<<"$text" | tail -n 1 | cut -d: -f1 || true)
while IFS= read -r want; do
	[ -n "$want" ] || continue
	if [ -z "$endline" ] || ! tail -n +"$endline" <<<"$text" | grep -qF -- "$want"; then
		echo "check-serial-log: expected after the lane end, not seen: $want"
		problems=$((problems + 1))
	fi
done < <(sed -n 's/^TV-EXPECT-AFTER-END: //p' <<<"$text")

# TAP results printed by the lane's suites (the test number is optional).
pass=$(grep -cE '^[[:space:]]*ok([[:space:]]|$)' <<<"$text" || true)
skip=$(grep -cE '^[[:space:]]*ok([[:space:]]|$).*#[[:space:]]*[Ss][Kk][Ii][Pp]' <<<"$text" || true)
fail=$(grep -cE '^[[:space:]]*not ok([[:space:]]|$)' <<<"$text" || true)
pass=$((pass - skip))
if [ "$fail" -gt 0 ]; then
	echo "check-serial-log: failed tests:"
	grep -nE '^[[:space:]]*not ok([[:space:]]|$)' <<<"$text" | head -n 40 | sed 's/^/  /'
	problems=$((problems + 1))
elif [ "$problems" -gt 0 ]; then
	fail=1	# the lane failed even though no single test said so
fi

echo "$lane: $pass passed, $fail failed, $skip skipped"
[ "$problems" -eq 0 ]
