#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The hotplug lane (Bochs): a CPU offline and back under the monitor, in a
# boot of its own (see hotplug.sh for why).
. /selftests/lib.sh
quiet_console
insmod $S/trustvisor-test.ko || { echo "not ok - insmod"; exit 1; }
run $S/tv_cpuid present
run $S/hotplug.sh
exit $suite_failed
