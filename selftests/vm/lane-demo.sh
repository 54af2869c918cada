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
# The other examples: state sealed to a PAL and guarded by its counter; a key
# made and kept inside a PAL, its signature checked by openssl.
E=$S/examples
step $E/counter-app $S/pals/counter.pal /tmp/state new || exit 1
cp /tmp/state /tmp/state.old
step $E/counter-app $S/pals/counter.pal /tmp/state step || exit 1
step $E/counter-app $S/pals/counter.pal /tmp/state.old step
[ $? -eq 3 ] || exit 1		# the older state, replayed: refused
echo "a message" >/tmp/msg
step $E/signer-app $S/pals/signer.pal keygen /tmp/key /tmp/pub.pem || exit 1
step $E/signer-app $S/pals/signer.pal sign /tmp/key /tmp/msg /tmp/sig.der || exit 1
step openssl dgst -sha256 -verify /tmp/pub.pem -signature /tmp/sig.der /tmp/msg || exit 1
step $S/tv_workload 10
step $S/tvctl status
step rmmod trustvisor || exit 1
step sh -c 'dmesg | grep trustvisor | tail -3'
step $S/tv_cpuid absent
