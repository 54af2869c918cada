#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Benchmark lane: CPUID cost without and with the monitor, exits/s idle and busy.
. /selftests/lib.sh
quiet_console
secs=${TV_BENCH_SECONDS:-20}
echo "TAP version 13"
echo "1..1"
$S/tv_bench cpuid native
insmod /trustvisor.ko || { tap FAIL "insmod"; exit 1; }
$S/tv_bench cpuid under-monitor
$S/tv_bench exits "$secs" idle
$S/tv_workload "$secs" >/tmp/work.out 2>&1 &
$S/tv_bench exits "$secs" busy
wait
rmmod trustvisor
$S/tv_bench cpuid native-again
grep -q '^not ok' /tmp/work.out && tap FAIL "benchmark workload" || tap OK "benchmark ran"
exit $tap_failed
