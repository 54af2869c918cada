#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Without the module loaded: insmod refuses, with one clear line and its own
# errno (EHOSTDOWN), while a present CPU is offline (Linux could start it
# outside the monitor with INIT-SIPI); it loads once the CPU is back.
# usage: offline-refusal.sh MODULE
. /selftests/lib.sh
quiet_console
module=$1
echo "TAP version 13"
echo "1..3"
last=$(($(nproc) - 1))
cpu=/sys/devices/system/cpu/cpu$last/online
if [ "$last" -lt 1 ] || [ ! -w "$cpu" ]; then
	for i in 1 2 3; do tap FAIL "needs a second, hot-pluggable CPU"; done
	exit 1
fi
echo 0 > "$cpu"
out=$(insmod "$module" 2>&1); rc=$?
echo "# insmod with CPU $last offline: rc $rc: $out"
[ $rc -ne 0 ] && echo "$out" | grep -q 'Host is down' && ! grep -q '^trustvisor ' /proc/modules \
	&& tap OK "insmod refused with EHOSTDOWN while CPU $last is offline" \
	|| tap FAIL "insmod with CPU $last offline: rc $rc, $out"
dmesg | grep -q "trustvisor: refusing to load: CPUs .* are present but offline" \
	&& tap OK "the log says why: $(dmesg | grep 'present but offline' | tail -1 | cut -c1-120)" \
	|| tap FAIL "no 'present but offline' refusal line"
echo 1 > "$cpu"
insmod "$module" && rmmod trustvisor && tap OK "loads and unloads once CPU $last is back online" \
	|| tap FAIL "insmod after onlining CPU $last"
exit $tap_failed
