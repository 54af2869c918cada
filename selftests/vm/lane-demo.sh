#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# What a person would do: load it, look at it, use the machine, unload it.
. /selftests/lib.sh
set -x
grep -c ' vmx' /proc/cpuinfo
insmod /trustvisor.ko || exit 1
dmesg | grep trustvisor
ls -l /dev/trustvisor
$S/tv_cpuid present
$S/tv_bench exits 5 idle
$S/tv_workload 10
rmmod trustvisor || exit 1
dmesg | grep trustvisor | tail -4
$S/tv_cpuid absent
