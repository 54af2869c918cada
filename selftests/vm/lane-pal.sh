#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The PAL lane (Bochs, 2 CPUs): PALs load, run, fault and die under the
# monitor while Linux goes on; then rmmod gives every CPU back.
. /selftests/lib.sh
quiet_console
insmod $S/trustvisor-test.ko || { echo "not ok - insmod"; dmesg | tail -20; exit 1; }
run $S/tv_pal $S/pals
echo "# === tvctl run, as a user would"
out=$($S/tvctl run $S/pals/hello.pal --cmd 41 --out /tmp/hello.out 2>&1)
if echo "$out" | grep -qx 'status 42' && [ "$(cat /tmp/hello.out)" = "hello from the PAL" ]; then
	echo "ok - tvctl run hello.pal --cmd 41: status 42, its greeting in --out"
else
	echo "not ok - tvctl run hello.pal: $out"
	suite_failed=1
fi
want=$($S/tvctl measure $S/pals/hello.pal)
if $S/tvctl status | grep -q 'PALs'; then
	echo "ok - tvctl status shows the PALs; tvctl measure: $want"
else
	echo "not ok - tvctl status: no PAL line"
	suite_failed=1
fi
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
