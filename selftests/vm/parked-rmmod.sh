#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# rmmod with a CPU parked offline inside the monitor: the leave rendezvous
# reaches it by NMI in Linux's offline loop, and it leaves natively, still in
# that loop, so Linux's own INIT-SIPI brings it up later, outside any
# monitor.  Then the test build is loaded again for the suites that follow.
# usage: parked-rmmod.sh MODULE
. /selftests/lib.sh
quiet_console
module=$1
echo "TAP version 13"
echo "1..4"
last=$(($(nproc) - 1))
cpu=/sys/devices/system/cpu/cpu$last/online
echo 0 > "$cpu" && $S/tvctl cpu "$last" | grep -q "offline, virtualized" \
	&& tap OK "CPU $last parked offline inside the monitor" \
	|| tap FAIL "CPU $last offline: $($S/tvctl cpu "$last" | head -1)"
rmmod trustvisor && dmesg | tail -5 | grep -q 'unloaded: every CPU given back' \
	&& tap OK "rmmod: every CPU, the parked one too, left the monitor" \
	|| tap FAIL "rmmod with CPU $last parked: $(dmesg | tail -3 | tr '\n' ' ')"
echo 1 > "$cpu" && $S/tv_cpuid absent "$last" > /tmp/pr.out 2>&1 \
	&& tap OK "CPU $last comes back online natively (Linux's INIT-SIPI, no monitor)" \
	|| { cat /tmp/pr.out; tap FAIL "CPU $last back online after the unload"; }
insmod "$module" && $S/tv_cpuid present > /tmp/pr.out 2>&1 \
	&& tap OK "the monitor loads again on every CPU" \
	|| { cat /tmp/pr.out; tap FAIL "reload after the parked unload"; }
exit $tap_failed
