#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The launch evidence in the guest's TPM (kmod/evidence.c): insmod extends
# the evidence PCR with the monitor, identity and launch events and logs
# them; stock tpm2_eventlog parses the log and replays it to the PCR the TPM
# holds; rmmod adds "the monitor left"; a second load in the same boot says
# it is not the first; a simulated reboot makes the next load the first
# again; a PCR outside 8-15 is refused.  Starts and stops the tpm lane's
# TPM (selftests/vm/tpm.sh).  Prints TAP.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
. "$here/tpm.sh"
KO=$here/trustvisor-test.ko
LOG=/sys/kernel/security/trustvisor/binary_measurements
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
echo "TAP version 13"
echo "1..14"
tpm_start >/dev/null || { echo "Bail out! no TPM"; exit 1; }
grep -q securityfs /proc/mounts || mount -t securityfs securityfs /sys/kernel/security

pcr() {		# pcr N: the TPM's sha256 PCR N, lower-case hex
	tpm2_pcrread sha256:$1 | sed -n "s/^ *$1 *: 0x//p" | tr 'A-F' 'a-f'
}
replay() {	# replay LOG N: what tpm2_eventlog replays LOG's sha256 PCR N to
	tpm2_eventlog "$1" 2>/dev/null | awk -v n="$2" '
		/^pcrs:/ { p = 1; next }
		p && /^  [a-z0-9]+:$/ { b = $1; next }
		p && b == "sha256:" && $1 == n { print tolower(substr($3, 3)) }'
}
extend() {	# extend PCR_HEX DIGEST_HEX: SHA-256(PCR || DIGEST), as the TPM does
	printf "$(printf %s%s "$1" "$2" | sed 's/../\\x&/g')" | sha256sum | cut -c1-64
}
ident() {	# the tvctl identity line for $1
	$S/tvctl identity | sed -n "s/^$1 *//p"
}

# --- the first launch in this boot ---
before=$(pcr 13)
check_zero=$([ "$before" = "$(printf '%064d' 0)" ] && echo yes)
insmod $KO
rc=$?
[ $rc -eq 0 ] && [ "$check_zero" = yes ] && dmesg | grep -q 'launch evidence in TPM PCR 13 (first launch'
tap $([ $? -eq 0 ] && echo OK || echo FAIL) "insmod with a TPM: evidence in PCR 13, the first launch (PCR was zero)"
$S/tvctl eventlog --out $d/log >$d/out 2>&1
tap $([ $? -eq 0 ] && [ -s $d/log ] && echo OK || echo FAIL) "tvctl eventlog --out: $(wc -c <$d/log 2>/dev/null) bytes $(cat $d/out)"
after=$(pcr 13)
got=$(replay $d/log 13)
tap $([ -n "$got" ] && [ "$got" = "$after" ] && echo OK || echo FAIL) \
	"tpm2_eventlog replays the log to the TPM's PCR 13 ($after)"
tags=$(tpm2_eventlog $d/log 2>/dev/null | grep -c 'EventType: EV_EVENT_TAG')
meas=$($S/tvctl status | sed -n 's/^measurement *//p' | head -n 1)
tpm2_eventlog $d/log 2>/dev/null | grep 'Event: "01005654' | grep -q "$meas"
tap $([ $? -eq 0 ] && [ "$tags" -eq 4 ] && echo OK || echo FAIL) \
	"four events; the monitor event holds the measurement STATUS reports"
# SECRET: ID, size 8, kind, reason; this boot's TPM has no kept secret yet
# or one of an earlier suite: created (2) or kept (1), reason 0.
tpm2_eventlog $d/log 2>/dev/null | grep -Eq 'Event: "0500565408000000(01|02)00000000000000"'
tap $([ $? -eq 0 ] && echo OK || echo FAIL) "the secret event, right after the monitor's: the secret is kept"
tpm2_eventlog $d/log 2>/dev/null | grep -q 'Event: "030056541400000001000000'
tap $([ $? -eq 0 ] && echo OK || echo FAIL) "the launch event says first_launch 1"
ident evidence | grep -q '^TPM PCR 13, the first launch'
tap $([ $? -eq 0 ] && echo OK || echo FAIL) "tvctl identity: $(ident evidence)"

# --- rmmod: "the monitor left" ---
rmmod trustvisor
left=$(printf '\x04\x00\x56\x54\x00\x00\x00\x00' | sha256sum | cut -c1-64)
want=$(extend "$after" "$left")
now=$(pcr 13)
tap $([ "$now" = "$want" ] && echo OK || echo FAIL) "rmmod: PCR 13 = extend(PCR, the \"left\" event)"

# --- a second launch in this boot ---
insmod $KO
rc=$?
ident evidence | grep -q 'not the first'
said=$?
tap $([ $rc -eq 0 ] && [ $said -eq 0 ] && echo OK || echo FAIL) \
	"a second insmod in this boot: $(ident evidence)"
$S/tvctl eventlog --out $d/log2
tpm2_eventlog $d/log2 2>/dev/null | grep -q 'Event: "030056541400000000000000'
first0=$?
got=$(replay $d/log2 13)
tap $([ $first0 -eq 0 ] && [ "$got" != "$(pcr 13)" ] && echo OK || echo FAIL) \
	"its log says first_launch 0 and does not replay to the PCR from zero"
# SECRET: ephemeral (4), not the first launch (1).
tpm2_eventlog $d/log2 2>/dev/null | grep -q 'Event: "05005654080000000400000001000000"'
tap $([ $? -eq 0 ] && echo OK || echo FAIL) "  and its secret is ephemeral: not the first launch"
rmmod trustvisor

# --- a PCR outside 8-15 ---
insmod $KO evidence_pcr=16 2>/dev/null
rc=$?
dmesg | tail -5 | grep -q 'the evidence PCR must be one of 8-15'
said=$?
tap $([ $rc -ne 0 ] && [ $said -eq 0 ] && [ ! -e /dev/trustvisor ] && echo OK || echo FAIL) \
	"evidence_pcr=16: refused with its reason, nothing loaded"

# --- after a simulated reboot: the first launch again ---
tpm_reboot >/dev/null
insmod $KO evidence_pcr=14
rc=$?
$S/tvctl eventlog --out $d/log3
got=$(replay $d/log3 14)
tap $([ $rc -eq 0 ] && [ -n "$got" ] && [ "$got" = "$(pcr 14)" ] && echo OK || echo FAIL) \
	"after a TPM reboot, evidence_pcr=14: the log replays to PCR 14"
ident evidence | grep -q '^TPM PCR 14, the first launch'
tap $([ $? -eq 0 ] && echo OK || echo FAIL) "  and it is the first launch: $(ident evidence)"
rmmod trustvisor
tpm_stop >/dev/null
exit $tap_failed
