#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The panic lane (Bochs): Linux panics with the monitor loaded.  Its stop
# path calls the kernel's emergency-virtualization callback on the other
# CPU, which makes the whole machine leave the monitor (secrets first)
# before the panic ends; scripts/check-panic-log.sh judges the order.
. /selftests/lib.sh
quiet_console
$S/tv_cpuid absent > /tmp/boot.out 2>&1
echo "TV-BOOT-CHECK: $(grep -c '^ok' /tmp/boot.out) ok, $(grep -c '^not ok' /tmp/boot.out) not ok"
insmod $S/trustvisor-test.ko || { echo "not ok - insmod"; exit 1; }
$S/tv_cpuid present > /tmp/boot.out 2>&1 || { cat /tmp/boot.out; echo "not ok - monitor not on every CPU"; exit 1; }
echo "TV-PANIC: sysrq crash with the monitor loaded on $(nproc) CPUs"
sleep 1
echo c > /proc/sysrq-trigger
sleep 10
echo "not ok - the kernel did not panic"
exit 1
