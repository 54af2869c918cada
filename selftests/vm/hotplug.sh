#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# With the module loaded: a CPU taken offline stays inside the monitor
# (parked by Linux in its offline loop), and its INIT-SIPI-SIPI on the way
# back is handled by the monitor, never by a relaunch: its INIT and SIPI exit
# counters move, it never runs outside the monitor, and CPUID on it shows the
# monitor right after it is back.
#
# Under Bochs 2.7 the CPU does not come back: its VMX emulation raises the
# INIT again after the INIT VM exit, as soon as the CPU leaves wait-for-SIPI
# (docs/testing.md), so the CPU loops on INIT exits.  That point is skipped
# there, with the reason; the CPU then stays parked inside, so this suite
# runs last in a boot of its own (lane hotplug).
. /selftests/lib.sh
quiet_console
echo "TAP version 13"
echo "1..6"
last=$(($(nproc) - 1))
cpu=/sys/devices/system/cpu/cpu$last/online
exits() {	# exits CPU REASON: that CPU's counter for one basic exit reason
	$S/tvctl cpu "$1" | awk -v r="$2" '$1 == "exit" && $2 == r { n = $4 } END { print n + 0 }'
}
if [ "$last" -lt 1 ] || [ ! -w "$cpu" ]; then
	for i in 1 2 3 4 5 6; do tap FAIL "CPU hotplug needs a second, hot-pluggable CPU"; done
	exit 1
fi
owned=$($S/tvctl status | awk '/^CPUs virtualized/ { print $3 }')
init0=$(exits "$last" 3) sipi0=$(exits "$last" 4)
echo 0 > "$cpu" && $S/tvctl cpu "$last" | grep -q "^CPU $last: offline, virtualized" \
	&& tap OK "CPU $last offline: still inside the monitor (parked)" \
	|| tap FAIL "CPU $last offline: $($S/tvctl cpu "$last" | head -1)"
$S/tvctl status | grep -q "^CPUs virtualized  $owned ($last online)" \
	&& tap OK "STATUS: all $owned CPUs inside, $last online" \
	|| tap FAIL "STATUS after offline: $($S/tvctl status | grep 'CPUs virtualized')"
echo 1 > "$cpu" 2>/tmp/hp.err; rc=$?
init1=$(exits "$last" 3) sipi1=$(exits "$last" 4)
[ "$init1" -gt "$init0" ] && [ "$sipi1" -gt "$sipi0" ] \
	&& tap OK "bringing it up: its INIT ($init0 -> $init1) and SIPI ($sipi0 -> $sipi1) exited to the monitor" \
	|| tap FAIL "INIT $init0 -> $init1, SIPI $sipi0 -> $sipi1: the bring-up did not exit to the monitor"
$S/tvctl cpu "$last" | grep -q "^CPU $last: .*, virtualized" \
	&& tap OK "CPU $last never left the monitor (still virtualized)" \
	|| tap FAIL "CPU $last is no longer under the monitor: $($S/tvctl cpu "$last" | head -1)"
if [ $rc -eq 0 ]; then
	$S/tv_cpuid present "$last" > /tmp/hp.out 2>&1 \
		&& tap OK "CPU $last back online, CPUID on it shows the monitor at once" \
		|| { cat /tmp/hp.out; tap FAIL "CPU $last back online but CPUID does not show the monitor"; }
	tap OK "STATUS: $($S/tvctl status | grep 'CPUs virtualized')"
elif grep -q '^bochs$' /tmp/tv-emulator 2>/dev/null; then
	tap OK "CPU $last back online # SKIP Bochs 2.7 raises the INIT again after its VM exit (docs/testing.md): $(cat /tmp/hp.err)"
	tap OK "CPUID on CPU $last after it is back # SKIP it did not come back (Bochs)"
else
	tap FAIL "CPU $last did not come back online: $(cat /tmp/hp.err)"
	tap FAIL "CPUID on CPU $last after it is back"
fi
exit $tap_failed
