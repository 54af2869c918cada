#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The hotplug lane (Bochs): a CPU offline and back under the monitor, in a
# boot of its own (see hotplug.sh for why), then rmmod: every CPU given
# back, or, if a CPU could not come back (Bochs), the monitor's memory kept
# rather than freed under that CPU.
. /selftests/lib.sh
quiet_console
insmod $S/trustvisor-test.ko || { echo "not ok - insmod"; exit 1; }
run $S/tv_cpuid present
run $S/hotplug.sh
rmmod trustvisor
if dmesg | tail -5 | grep -q 'unloaded: every CPU given back'; then
	echo "ok - rmmod: every CPU given back"
elif dmesg | tail -5 | grep -q 'leaked: CPUs are still inside' && grep -q '^bochs$' /tmp/tv-emulator; then
	echo "ok - rmmod with a CPU stuck inside (Bochs): the memory is kept, not freed under it"
else
	echo "not ok - rmmod: $(dmesg | tail -3 | tr '\n' ' ')"
	suite_failed=1
fi
exit $suite_failed
