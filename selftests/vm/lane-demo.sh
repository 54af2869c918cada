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
step $S/tv_workload 10
step $S/tvctl status
step rmmod trustvisor || exit 1
step sh -c 'dmesg | grep trustvisor | tail -3'
step $S/tv_cpuid absent
