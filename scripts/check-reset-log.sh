#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Judges the serial log of a reset lane (selftests/vm/reset.sh): prints TAP
# and fails unless, in this order, the boot ran natively and loaded the
# monitor, asked for a reset (TV-RESET), the monitor logged the request,
# destroyed its secrets and reset the machine, and the emulator's own log
# records the hardware reset (Bochs: "Reset(HARDWARE) called", after the
# reset control register write); and unless the boot shows no kernel error
# or fatal monitor line before the reset.  (Under Bochs 2.7 the BIOS hangs
# after such a reset, so no second boot is awaited.)
# usage: check-reset-log.sh SERIAL_LOG EMULATOR_LOG
set -uo pipefail
log=$1 emulog=${2:-}
. "$(dirname "$0")/log-steps.sh"
echo "TAP version 13"
echo "1..7"
b1=$(after 'TV-BOOT-CHECK: [0-9]+ ok, 0 not ok' -1)
point "$([ "$b1" -gt 0 ] && echo 1)" "first boot: no monitor before the module is loaded"
req=$(after 'TV-RESET:' "$b1")
point "$([ "$req" -gt 0 ] && echo 1)" "first boot: the monitor loaded and a reset was asked for: $(line_of "$req" | cut -c1-90)"
seen=$(after 'trustvisor: CPU [0-9]+: (reset requested by Linux|Linux triple-faulted)' "$req")
point "$([ "$seen" -gt 0 ] && echo 1)" "the monitor logged the request: $(line_of "$seen" | cut -c1-100)"
wiped=$(after 'trustvisor: CPU [0-9]+: secrets destroyed' "$seen")
point "$([ "$wiped" -gt 0 ] && echo 1)" "then it destroyed the secrets"
reset=$(after 'trustvisor: CPU [0-9]+: secrets destroyed; resetting the machine' "$wiped")
point "$([ "$reset" -ge "$wiped" ] && [ "$wiped" -gt 0 ] && echo 1)" "then it reset the machine"
# Bochs logs its power-on reset at tick 0: only a later one counts.
hw=$(grep -m1 -E '^0*[1-9][0-9]*i\[SYS +\] bx_pc_system_c::Reset\(HARDWARE\) called' "$emulog" 2>/dev/null |
	cut -c1-100)
point "$([ -n "$hw" ] && [ "$reset" -gt 0 ] && echo 1)" "the emulator reset the machine: ${hw:-no reset in its log}"
first=$(head -n "$((reset > 0 ? reset : $(wc -l <<<"$text")))" <<<"$text")
bad=$(grep -nE 'trustvisor: FATAL:|Oops|BUG:|WARNING: CPU:|general protection|Kernel panic|Call Trace:|^not ok' <<<"$first" | head -5)
point "$([ -z "$bad" ] && echo 1)" "no kernel error, fatal monitor line or failed test before the reset${bad:+: $bad}"
if [ -n "$emulog" ] && grep -qE '>>PANIC<<' "$emulog" 2>/dev/null &&
	grep -E '>>PANIC<<' "$emulog" | grep -qv 'ACPI control: soft power off'; then
	echo "# the emulator log has a panic:"
	grep -E '>>PANIC<<' "$emulog" | head -3 | sed 's/^/#   /'
	fail=$((fail + 1))
fi
summary
