# SPDX-License-Identifier: GPL-2.0
# Shared helpers for the emulated-machine lanes; sourced by run-qemu.sh and
# run-bochs.sh, never run on its own.
#
# Environment (all optional):
#   O              build directory (default: build)
#   TV_MODULE      module to put in the image (default: ./trustvisor.ko);
#                  "none" boots without a module (testing the boot path only)
#   TV_PAYLOAD_DIR files copied to /selftests (default: $O/selftests/vm)
#   TV_VM_TIMEOUT  hard limit in seconds for one emulator run
#   TV_VM_IDLE     stop when the serial log has not grown for this many
#                  seconds (default 600; a hung guest)
#   TV_VM_ECHO=1   echo the serial console to the terminal while it runs

TV_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TV_O=${O:-build}
case "$TV_O" in /*) ;; *) TV_O="$TV_ROOT/$TV_O" ;; esac
TV_VMDIR="$TV_O/vm"

# Same kernel version as the headers the module is built against.
tv_kver() {
	ls /usr/src | sed -n 's/^linux-headers-\(.*-amd64\)$/\1/p' | sort -V | tail -1
}

tv_kernel() {
	local kver k
	kver=$(tv_kver)
	k="/boot/vmlinuz-$kver"
	if [ -z "$kver" ] || [ ! -r "$k" ]; then
		echo "vm: no kernel image for headers version '$kver' ($k); run: make deps" >&2
		return 1
	fi
	echo "$k"
}

# A hardware reset in a Bochs log, not the power-on one (tick 0).
TV_RESET_RE='^0*[1-9][0-9]*i\[SYS +\] bx_pc_system_c::Reset\(HARDWARE\) called'

# Runs one emulator at a time on this machine (2 shared cores): waits for
# any other lane holding the lock.  The lock is released when the script ends.
tv_lock() {
	local lock=${TV_VM_LOCK:-/tmp/trustvisor-emulator.lock}
	exec 9>>"$lock"
	if ! flock -n 9; then
		echo "vm: another emulator lane is running (lock $lock); waiting for it"
		flock 9
	fi
}

tv_check_lane() {
	case "$1" in
	novmx | novmx-intel | vmx | hotplug | pal | tpm | panic | demo | bench | reset-cf9 | reset-kbd | reset-triple-fault) ;;
	*) echo "vm: unknown lane '$1' (novmx, novmx-intel, vmx, hotplug, pal, tpm, panic, demo, bench, reset-cf9, reset-kbd, reset-triple-fault)" >&2
	   return 1 ;;
	esac
}

# The run scripts' one argument: sets `lane` (checked) and `kernel`.
# usage: tv_lane_args "$@"
tv_lane_args() {
	if [ $# -ne 1 ]; then
		echo "usage: $0 LANE" >&2
		exit 2
	fi
	lane=$1
	tv_check_lane "$lane"
	kernel=$(tv_kernel)
}

# Waits until the serial log shows the lane finished (or the kernel died),
# the emulator exited, or the time limit passed.  Prints how long the boot
# took to reach the lane script.  Returns 0 when the lane end marker was seen,
# 1 on a kernel panic, 2 when the emulator exited by itself without the
# marker, 3 on timeout, 4 when the log stopped growing (TV_VM_IDLE), 5 when
# the emulator log shows a triple fault.
# usage: tv_watch PID SERIAL_LOG TIMEOUT_S [EMULATOR_LOG]
tv_watch() {
	local pid=$1 log=$2 limit=$3 emulog=${4:-} start=$SECONDS booted="" size=-1 now
	local idle=${TV_VM_IDLE:-600} grew=$SECONDS
	while :; do
		now=$(stat -c %s "$log" 2>/dev/null || echo 0)
		if [ "$now" != "$size" ]; then
			size=$now grew=$SECONDS
		fi
		if [ -z "$booted" ] && grep -q 'TV-LANE-BEGIN' "$log" 2>/dev/null; then
			booted=$((SECONDS - start))
			echo "vm: reached the lane script after ${booted} s"
		fi
		if grep -q 'TV-LANE-END' "$log" 2>/dev/null; then
			return 0
		fi
		# Reset lanes: the emulator records a hardware reset after power-on
		# (its power-on one is at tick 0).
		if [ "${TV_WATCH_REBOOT:-0}" = 1 ] && [ -n "$emulog" ] &&
			grep -qE "$TV_RESET_RE" "$emulog" 2>/dev/null; then
			sleep 2
			echo "vm: the machine was reset"
			return 0
		fi
		if grep -q 'end Kernel panic' "$log" 2>/dev/null; then
			echo "vm: kernel panic; stopping the emulator"
			return 1
		fi
		if [ -n "$emulog" ] && grep -q '3rd ([0-9]*) exception with no resolution' "$emulog" 2>/dev/null; then
			echo "vm: the emulator reports a triple fault; stopping it"
			return 5
		fi
		if ! kill -0 "$pid" 2>/dev/null; then
			return 2
		fi
		if [ $((SECONDS - start)) -ge "$limit" ]; then
			return 3
		fi
		if [ $((SECONDS - grew)) -ge "$idle" ]; then
			return 4
		fi
		sleep 1
	done
}

# Gives the guest a few seconds to power off by itself, then kills it.
# usage: tv_stop PID
tv_stop() {
	local pid=$1 i
	for i in 1 2 3 4 5 6 7 8 9 10; do
		kill -0 "$pid" 2>/dev/null || break
		sleep 1
	done
	if kill -0 "$pid" 2>/dev/null; then
		kill "$pid" 2>/dev/null || true
		sleep 1
		kill -9 "$pid" 2>/dev/null || true
	fi
	wait "$pid" 2>/dev/null || true
}

# Echoes the serial log to the terminal while the guest runs (TV_VM_ECHO=1).
# Sets TV_ECHO_PID; tv_stop_echo ends it.
tv_start_echo() {
	TV_ECHO_PID=""
	if [ "${TV_VM_ECHO:-0}" = 1 ]; then
		tail -n +1 -F "$1" 2>/dev/null &
		TV_ECHO_PID=$!
	fi
}

tv_stop_echo() {
	if [ -n "${TV_ECHO_PID:-}" ]; then
		sleep 1
		kill "$TV_ECHO_PID" 2>/dev/null || true
		wait "$TV_ECHO_PID" 2>/dev/null || true
		TV_ECHO_PID=""
	fi
}

# Explains a watch result that is not a clean lane end.
# usage: tv_explain RC SERIAL_LOG EMULATOR_NAME TIMEOUT_S
tv_explain() {
	local rc=$1 log=$2 emu=$3 limit=$4
	case "$rc" in
	0) return 0 ;;
	1) echo "vm: $emu: the guest kernel panicked" >&2 ;;
	2) echo "vm: $emu exited before the lane finished (no TV-LANE-END line)" >&2 ;;
	3) echo "vm: $emu TIMED OUT after $limit s (set TV_VM_TIMEOUT to change)" >&2 ;;
	5) echo "vm: $emu: triple fault (see its log)" >&2 ;;
	4) echo "vm: $emu: no serial output for ${TV_VM_IDLE:-600} s, the guest looks hung (TV_VM_IDLE)" >&2 ;;
	esac
	echo "vm: last 30 lines of $log:" >&2
	tail -n 30 "$log" 2>/dev/null | tr -d '\r' | sed 's/^/  | /' >&2
}
