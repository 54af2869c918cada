#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Shared by the reset lanes: the boot checks that it runs natively
# (TV-BOOT-CHECK), loads the monitor and asks for a reset.  The host stops
# the emulator once its log records the hardware reset and judges both logs
# (scripts/check-reset-log.sh): the monitor must have logged the request,
# destroyed the secrets and reset the machine, in that order.
# usage: reset.sh cf9|kbd|triple-fault
. /selftests/lib.sh
quiet_console
how=$1
$S/tv_cpuid absent > /tmp/boot.out 2>&1
echo "TV-BOOT-CHECK: $(grep -c '^ok' /tmp/boot.out) ok, $(grep -c '^not ok' /tmp/boot.out) not ok"
insmod $S/trustvisor-test.ko || { echo "not ok - insmod"; exit 1; }
$S/tv_cpuid present > /tmp/boot.out 2>&1 || { cat /tmp/boot.out; echo "not ok - monitor not on every CPU"; exit 1; }
sleep 1
case "$how" in
cf9)
	echo "TV-RESET: writing 0x06 to the reset control register (port 0xcf9)"
	sleep 1
	$S/tv_ioport outb 0xcf9 0x06 ;;
kbd)
	echo "TV-RESET: keyboard controller command 0xfe (port 0x64)"
	sleep 1
	$S/tv_ioport outb 0x64 0xfe ;;
triple-fault)
	insmod $S/tv_hostile.ko || { echo "not ok - insmod tv_hostile.ko"; exit 1; }
	echo "TV-RESET: a triple fault of Linux (null IDT, then an exception)"
	sleep 1
	cat /sys/kernel/debug/tv_hostile/triple-fault ;;
esac
sleep 10
echo "not ok - the machine did not reset"
exit 1
