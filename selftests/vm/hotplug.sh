#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# With the module loaded: a CPU taken offline is given back to Linux, brought
# online again it is virtualized again; suspend is refused while loaded.
. /selftests/lib.sh
quiet_console
echo "TAP version 13"
echo "1..5"
last=$(($(nproc) - 1))
cpu=/sys/devices/system/cpu/cpu$last/online
if [ "$last" -lt 1 ] || [ ! -w "$cpu" ]; then
	for i in 1 2 3 4; do tap FAIL "CPU hotplug needs a second, hot-pluggable CPU"; done
else
	echo 0 > "$cpu" && $S/tvctl cpu "$last" | grep -q 'offline, not virtualized' \
		&& tap OK "CPU $last offline: given back (not virtualized)" \
		|| tap FAIL "CPU $last offline: still virtualized or offline failed"
	$S/tvctl status | grep -q "CPUs virtualized  $last of $last online" \
		&& tap OK "STATUS counts $last virtualized of $last online" \
		|| tap FAIL "STATUS after offline: $($S/tvctl status | grep 'CPUs virtualized')"
	echo 1 > "$cpu" && $S/tvctl cpu "$last" | grep -q 'online, virtualized' \
		&& tap OK "CPU $last back online: virtualized again" \
		|| tap FAIL "CPU $last back online: not virtualized"
	$S/tv_cpuid present > /tmp/hp.out 2>&1 && tap OK "every CPU answers CPUID 0x40000000 after replug" \
		|| { cat /tmp/hp.out; tap FAIL "CPUID after replug"; }
fi
if echo freeze > /sys/power/state 2>/tmp/pm.err; then
	tap FAIL "suspend-to-idle was not refused"
else
	dmesg | grep -q 'trustvisor: refusing suspend' \
		&& tap OK "suspend refused while loaded: $(cat /tmp/pm.err)" \
		|| tap FAIL "suspend failed, but not by our refusal: $(cat /tmp/pm.err)"
fi
exit $tap_failed
