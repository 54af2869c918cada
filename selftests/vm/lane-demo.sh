#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# What a person would do: load it, look at it, use the machine, then have a
# verifier check it: the TPM's quote of the launch evidence and the PAL's
# quote, judged by tvctl verify, whose verdict is the last thing shown.
# The machine has the tpm lane's TPM 2.0 (selftests/vm/tpm.sh), started
# before insmod so that the launch is recorded in it.
. /selftests/lib.sh
. /selftests/tpm.sh
quiet_console
step() { echo; echo "demo\$ $*"; "$@"; }
grep -q securityfs /proc/mounts || mount -t securityfs securityfs /sys/kernel/security
step tpm_start || exit 1
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
# Each step committed counter 0 (one TPM NV increment), so it survives a
# reboot: the NV counter moved from 1 to 3, the table is in the file.
step sh -c "$S/tvctl identity | grep -E '^(NV counter|counters)'; ls -l /var/lib/trustvisor"
echo "a message" >/tmp/msg
step $E/signer-app $S/pals/signer.pal keygen /tmp/key /tmp/pub.pem || exit 1
step $E/signer-app $S/pals/signer.pal sign /tmp/key /tmp/msg /tmp/sig.der || exit 1
step openssl dgst -sha256 -verify /tmp/pub.pem -signature /tmp/sig.der /tmp/msg || exit 1
# 2 s, not more: at the TPM's 400 M instructions per guest second each busy
# guest second takes about 20 s here.
step $S/tv_workload 2
step $S/tvctl status
# A verifier's fresh nonce.  The machine's TPM quotes the evidence PCR with
# its attestation key, the monitor quotes the PAL; the verifier trusts the
# AK's public key and expects the monitor image and the PAL it knows.
nonce=$(head -c 20 /dev/urandom | od -An -tx1 | tr -d ' \n')
step $S/tvctl attest --nonce $nonce --ak-handle $TPM_AK --pal $S/pals/hello.pal --cmd 41 \
	--out /tmp/evidence || exit 1
step $S/tvctl verify /tmp/evidence --nonce $nonce --ak $TPM_DIR/ak.pem \
	--monitor $($S/tvctl measure $S/vmxroot.bin) --pal $($S/tvctl measure $S/pals/hello.pal)
rc=$?
# The machine given back, quietly, so that the verdict stays the last line.
rmmod trustvisor || { echo "demo: rmmod trustvisor failed"; exit 1; }
$S/tv_cpuid absent >/tmp/absent.out 2>&1 || { cat /tmp/absent.out; exit 1; }
tpm_stop >/dev/null
exit $rc
