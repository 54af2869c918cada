#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Self-test of scripts/check-reset-log.sh and check-panic-log.sh on crafted
# logs; prints TAP.
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
judge=$here/check-reset-log.sh
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
boot='[    0.0] Linux version 6.1.0
TV-BOOT-CHECK: 2 ok, 0 not ok
TV-RESET: writing 0x06 to the reset control register (port 0xcf9)'
req='trustvisor: CPU 1: reset requested by Linux (port cf9 value 6)'
wipe='trustvisor: CPU 1: secrets destroyed'
rst='trustvisor: CPU 1: secrets destroyed; resetting the machine'
emu_ok='00000000000i[SYS   ] bx_pc_system_c::Reset(HARDWARE) called
05363041669i[P2ISA ] write: CPU reset register = 0x06
05363041669i[SYS   ] bx_pc_system_c::Reset(HARDWARE) called'
emu_none='00000000000i[SYS   ] bx_pc_system_c::Reset(HARDWARE) called'
n=0 failed=0
expect() {	# expect accept|reject NAME SERIAL EMULATOR
	n=$((n + 1))
	printf '%s\n' "$3" >"$dir/s.log"
	printf '%s\n' "$4" >"$dir/e.log"
	if TV_LANE=t "$judge" "$dir/s.log" "$dir/e.log" >"$dir/out" 2>&1; then got=accept; else got=reject; fi
	if [ "$got" = "$1" ] && grep -qE '^t: [0-9]+ passed, [0-9]+ failed, 0 skipped$' "$dir/out"; then
		echo "ok $n - $1: $2"
	else
		echo "not ok $n - $1: $2 (judge said $got)"
		sed 's/^/# /' "$dir/out"
		failed=1
	fi
}
echo "1..8"
expect accept "request, wipe, reset, emulator reset" "$boot"$'\n'"$req"$'\n'"$wipe"$'\n'"$rst" "$emu_ok"
expect reject "only the power-on reset in the emulator log" "$boot"$'\n'"$req"$'\n'"$wipe"$'\n'"$rst" "$emu_none"
expect reject "no wipe before the reset" "$boot"$'\n'"$req"$'\n'"trustvisor: CPU 1: resetting the machine" "$emu_ok"
expect reject "the reset logged before the request" "$boot"$'\n'"$rst"$'\n'"$req" "$emu_ok"
expect reject "a fatal line before the reset" "$boot"$'\n'"trustvisor: FATAL: CPU 0: x"$'\n'"$req"$'\n'"$wipe"$'\n'"$rst" "$emu_ok"
expect reject "no reset asked for" "$boot"$'\n'"[ 9.1] something else" "$emu_ok"
judge=$here/check-panic-log.sh
panic_ok='TV-BOOT-CHECK: 2 ok, 0 not ok
TV-PANIC: sysrq crash
[ 35.7] Kernel panic - not syncing: sysrq triggered crash
trustvisor: CPU 1: the machine leaves the monitor (Linux'"'"'s crash or emergency path): secrets are destroyed first
trustvisor: CPU 1: secrets destroyed; every CPU leaves the monitor'
expect accept "panic: the crash path leaves, secrets first" "$panic_ok" ""
expect reject "panic: no leave from the crash path" 'TV-BOOT-CHECK: 2 ok, 0 not ok
TV-PANIC: sysrq crash
[ 35.7] Kernel panic - not syncing: sysrq triggered crash' ""
exit $failed
