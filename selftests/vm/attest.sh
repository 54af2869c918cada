#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# tvctl attest then tvctl verify against the guest's TPM and the running
# monitor, as a verifier would use them: the evidence of a first launch
# verifies; a wrong nonce, an untrusted AK, a changed log, a wrong monitor
# or PAL measurement, a second launch in one boot, and evidence gathered
# after rmmod are each rejected.  Starts the tpm lane's TPM (tpm.sh) on
# its state, PCRs reset, so the launch below is the first.  Prints TAP.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
. "$here/tpm.sh"
KO=$here/trustvisor-test.ko
AK=$TPM_DIR/ak.pem
PAL=$S/pals/services.pal
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
echo "TAP version 13"
echo "1..10"
tpm_start >/dev/null || { echo "Bail out! no TPM"; exit 1; }
grep -q securityfs /proc/mounts || mount -t securityfs securityfs /sys/kernel/security
nonce=$(head -c 20 /dev/urandom | od -An -tx1 | tr -d ' \n')
head -c 32 /dev/zero | tr '\0' 'y' >$d/in
point() {	# point DESCRIPTION COMMAND...: a point from the command's status
	desc=$1
	shift
	if "$@" >$d/out 2>&1; then tap OK "$desc"; else tap FAIL "$desc"; sed 's/^/# /' $d/out | tail -4; fi
}
verify() {	# verify DIR [ARGS]: tvctl verify with the trusted AK and expected values
	dir=$1
	shift
	$S/tvctl verify $dir --ak $AK --monitor $mon --pal $pm "$@"
}
rejects() {	# rejects REASON-PATTERN DIR [ARGS]: verify exits 1 with that reason
	want=$1
	shift
	verify "$@" --nonce ${vnonce:-$nonce} >$d/v 2>&1
	rc=$?
	[ $rc -eq 1 ] && grep -qi "^rejected: .*$want" $d/v || { cat $d/v; return 1; }
}

insmod $KO || { echo "Bail out! insmod"; exit 1; }
mon=$($S/tvctl status | sed -n 's/^measurement *//p' | head -n 1)
pm=$($S/tvctl measure $PAL)
point "tvctl attest --pal services.pal --cmd 6 (the PAL extends PCR 1)" \
	$S/tvctl attest --nonce $nonce --ak-handle $TPM_AK --pal $PAL --cmd 6 --in $d/in --out $d/ev
verify $d/ev --nonce $nonce >$d/v 2>&1
rc=$?
tap $([ $rc -eq 0 ] && grep -q '^verified: ' $d/v && echo OK || echo FAIL) "tvctl verify: $(head -n 1 $d/v)"
vnonce=$(head -c 20 /dev/urandom | od -An -tx1 | tr -d ' \n')
point "a wrong nonce is rejected" rejects nonce $d/ev
vnonce=
$S/tvctl pubkey --out $d/other.pem
point "an untrusted AK (the monitor's own key) is rejected" \
	sh -c "$S/tvctl verify $d/ev --nonce $nonce --ak $d/other.pem --monitor $mon --pal $pm \
		| grep -q '^rejected: '"
cp -a $d/ev $d/bad
printf '\377' | dd of=$d/bad/eventlog.bin bs=1 seek=120 conv=notrunc 2>/dev/null
point "a changed log is rejected" rejects "" $d/bad
point "a wrong --monitor is rejected" sh -c "$S/tvctl verify $d/ev --nonce $nonce --ak $AK \
	--monitor $(printf '%064d' 1) --pal $pm | grep -qi '^rejected: .*monitor'"
point "a wrong --pal is rejected" sh -c "$S/tvctl verify $d/ev --nonce $nonce --ak $AK \
	--monitor $mon --pal $(printf '%064d' 2) | grep -qi '^rejected: .*pal'"

# Evidence gathered after rmmod: the old log and PAL quote with a new TPM
# quote, whose PCR holds the "left" event.
rmmod trustvisor
cp -a $d/ev $d/late
tpm2_quote -c $TPM_AK -l sha256:0,1,2,3,4,5,6,7,13 -q $nonce -m $d/late/tpm-attest.bin \
	-s $d/late/tpm-sig.bin -o $d/late/tpm-pcrs.bin >/dev/null 2>&1
point "evidence gathered after rmmod is rejected" rejects "" $d/late
point "tvctl attest with no monitor loaded fails" \
	sh -c "! $S/tvctl attest --nonce $nonce --ak-handle $TPM_AK --pal $PAL --out $d/none"

# A second launch in this boot.
insmod $KO
$S/tvctl attest --nonce $nonce --ak-handle $TPM_AK --pal $PAL --out $d/second >$d/out 2>&1
point "a second launch in one boot is rejected" rejects "first" $d/second
rmmod trustvisor
tpm_stop >/dev/null
exit $tap_failed
