#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The PAL lane (Bochs, 2 CPUs): PALs load, run, fault and die under the
# monitor while Linux goes on; then rmmod gives every CPU back.
. /selftests/lib.sh
quiet_console
insmod $S/trustvisor-test.ko || { echo "not ok - insmod"; dmesg | tail -20; exit 1; }
run $S/tv_pal
echo "# === the module's and the monitor's log lines"
dmesg | grep trustvisor | tail -30
rmmod trustvisor || suite_failed=1
if dmesg | tail -5 | grep -q 'unloaded: every CPU given back'; then
	echo "ok - rmmod after the PAL suites: every CPU given back"
else
	echo "not ok - rmmod: $(dmesg | tail -3 | tr '\n' ' ')"
	suite_failed=1
fi
exit $suite_failed
