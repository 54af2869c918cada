#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# What a person would do: load it, look at it, use the machine, unload it.
. /selftests/lib.sh
quiet_console
step() { echo; echo "demo\$ $*"; "$@"; }
step grep -c ' vmx' /proc/cpuinfo
step insmod /trustvisor.ko || exit 1
step sh -c 'dmesg | grep trustvisor'
step $S/tvctl status
step $S/tvctl measure $S/vmxroot.bin
step $S/tv_cpuid present
# A PAL built by tvpal-cc from userspace/examples/hello/hello.c (outside the repo).
step $S/tvctl measure $S/pals/hello.pal
step $S/tvctl run $S/pals/hello.pal --cmd 41 --out /tmp/hello.out || exit 1
step cat /tmp/hello.out
step $S/tv_workload 10
step $S/tvctl status
step rmmod trustvisor || exit 1
step sh -c 'dmesg | grep trustvisor | tail -3'
step $S/tv_cpuid absent
