#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# With trustvisor-test.ko loaded: tv_hostile.ko does what a hostile kernel
# would (each trapped operation must get its architectural answer, every
# CPU must stay inside), then leaves the machine the raw way, once by
# hypercall and once by VMXOFF, each time from a fresh load: the CPU that
# left reads the monitor's memory and must find the secrets already wiped.
# Ends with trustvisor unloaded.
. /selftests/lib.sh
quiet_console
failed=0
tap_file() {	# tap_file FILE: print a TAP stream, fail on a "not ok"
	cat "$1" > /tmp/hostile.out 2>&1 || failed=1
	cat /tmp/hostile.out
	grep -q '^not ok' /tmp/hostile.out && failed=1
	grep -q '^1\.\.' /tmp/hostile.out || { echo "not ok - $1 printed no TAP plan"; failed=1; }
}
if ! insmod $S/tv_hostile.ko; then
	echo "not ok - insmod tv_hostile.ko"
	exit 1
fi
tap_file /sys/kernel/debug/tv_hostile/traps
for how in leave leave-vmxoff; do
	echo "# --- $how, from a fresh load"
	grep -q '^trustvisor ' /proc/modules && rmmod trustvisor
	insmod $S/trustvisor-test.ko || { echo "not ok - reload for $how"; failed=1; }
	tap_file /sys/kernel/debug/tv_hostile/$how
	$S/tvctl status | grep -q '^CPUs virtualized  0 ' && echo "ok - STATUS after the $how: 0 CPUs inside" \
		|| { echo "not ok - STATUS after the $how: $($S/tvctl status | grep 'CPUs virtualized')"; failed=1; }
	if rmmod trustvisor && dmesg | tail -5 | grep -q 'unloaded: every CPU given back'; then
		echo "ok - rmmod after the $how frees the monitor"
	else
		echo "not ok - rmmod after the $how"
		failed=1
	fi
done
rmmod tv_hostile
exit $failed
