#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Benchmark lane: CPUID cost without and with the monitor, PAL calls, loads and
# unloads beside CPUID and getpid, exits/s idle and busy.
. /selftests/lib.sh
quiet_console
secs=${TV_BENCH_SECONDS:-20}
echo "TAP version 13"
echo "1..1"
$S/tv_bench cpuid native
insmod /trustvisor.ko || { tap FAIL "insmod"; exit 1; }
$S/tv_bench cpuid under-monitor
pal_failed=0
$S/tv_bench pal || pal_failed=1
$S/tv_bench exits "$secs" idle
$S/tv_workload "$secs" >/tmp/work.out 2>&1 &
$S/tv_bench exits "$secs" busy
wait
rmmod trustvisor
$S/tv_bench cpuid native-again
if grep -q '^not ok' /tmp/work.out || [ $pal_failed -ne 0 ]; then
	tap FAIL "benchmark workload or PAL benchmark"
else
	tap OK "benchmark ran"
fi
exit $tap_failed
