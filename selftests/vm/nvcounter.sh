#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The monitor's own TPM NV counter (vmxroot/tpm.c, lib/tpm2_counter.c),
# relayed by the module (kmod/nvcounter.c), on the tpm lane's TPM from a
# fresh state: a first launch with a kept secret makes the salt key and the
# monitor defines and reads its counter in a session Linux cannot read;
# reboots keep its value (opening it costs no NV write); a launch with an
# ephemeral secret has none; a relayed answer changed by the module (test
# build) makes the job fail, the load go on and the counter stay as it was;
# a key root put at the salt key's handle is replaced; an index root put at
# the counter's is not taken.  Prints TAP.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
. "$here/tpm.sh"
TEST_KO=$here/trustvisor-test.ko
NVC=0x01805656
SALT=0x81005654
PAL=$here/pals/services.pal
export TV_COUNTERS_FILE=/tmp/tv-counters
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
echo "TAP version 13"
echo "1..23"
[ -z "$tpm_pid" ] || tpm_stop >/dev/null
rm -rf $TPM_STATE
tpm_start >/dev/null || { echo "Bail out! no TPM"; exit 1; }
errors0=$(dmesg | grep -c 'A TPM error')

nvc() {		# the tvctl identity "NV counter" line
	$S/tvctl identity | sed -n 's/^NV counter *//p'
}
value() {	# the counter's value as the monitor reported it, or nothing
	nvc | sed -n 's/^\([0-9][0-9]*\) (TPM NV.*/\1/p'
}
relay_said() {	# relay_said TEXT: the last "NV counter:" line of the module contains TEXT
	dmesg | grep 'trustvisor: NV counter' | tail -n 1 | grep -q "$1"
}
nv_attrs() {
	tpm2_nvreadpublic $NVC 2>/dev/null | sed -n '/attributes:/{n;s/^ *friendly: *//p}'
}
ok_if() {	# ok_if STATUS DESCRIPTION
	tap $([ "$1" -eq 0 ] && echo OK || echo FAIL) "$2"
}

# --- boot 1: a fresh TPM; the first launch defines the counter ---
insmod $TEST_KO
rc=$?
v1=$(value)
[ $rc -eq 0 ] && [ -n "$v1" ] && [ "$v1" -ge 1 ] && relay_said "opened by the monitor, value $v1"
ok_if $? "first launch: the monitor defined and read its NV counter: $(nvc)"
attrs=$(nv_attrs)
# tpm2-tools names the type by number: nt=0x1 is TPM_NT_COUNTER.
echo "$attrs" | grep -Eq 'nt=(0x1|counter)([^0-9a-fx]|$)' && echo "$attrs" | grep -q 'authwrite' &&
	echo "$attrs" | grep -q 'authread' && echo "$attrs" | grep -q 'written' &&
	! echo "$attrs" | grep -Eq 'owner|policy|ppread|ppwrite'
ok_if $? "TPM NV $NVC is a counter by its own auth only ($attrs)"
tpm2_nvread $NVC -C $NVC -s 8 >$d/out 2>&1
ok_if "$([ $? -ne 0 ] && grep -q 'Esys_NV_Read' $d/out; echo $?)" \
	"root cannot read it without its auth, which only the monitor derives"
# tpm2_readpublic prints "attributes:", then "  value: fixedtpm|...|restricted|decrypt".
tpm2_readpublic -c $SALT >$d/salt 2>/dev/null &&
	sed -n '/^type:/{n;p}' $d/salt | grep -q 'value: ecc' &&
	sed -n '/^curve-id:/{n;p}' $d/salt | grep -q 'value: NIST p256' &&
	sed -n '/^attributes:/{n;p}' $d/salt | grep -q 'restricted|decrypt'
ok_if $? "the salt key at $SALT: an ECC restricted decryption key (the owner's storage primary)"
rmmod trustvisor

# --- boot 2: opening again costs no increment ---
tpm_reboot >/dev/null
insmod $TEST_KO
rc=$?
[ $rc -eq 0 ] && [ "$(value)" = "$v1" ]
ok_if $? "after a reboot the counter reads $v1 again: opening it writes nothing ($(nvc))"
rmmod trustvisor

# --- the same boot, a second load: an ephemeral secret, no counter ---
insmod $TEST_KO
rc=$?
[ $rc -eq 0 ] && nvc | grep -q '^none'
ok_if $? "a second load in the same boot (ephemeral secret): $(nvc)"
rmmod trustvisor

# --- boot 3: the module changes a byte of the 4th answer (NV_Read's) ---
tpm_reboot >/dev/null
insmod $TEST_KO test_nv_tamper=4
rc=$?
[ $rc -eq 0 ] && [ -c /dev/trustvisor ] && nvc | grep -q '^failed' &&
	relay_said 'could not open it'
ok_if $? "an NV_Read answer changed in transit: the load goes on, the job fails: $(nvc)"
rmmod trustvisor

# --- boot 4: a key root made persistent at the salt key's handle ---
tpm_reboot >/dev/null
tpm2_evictcontrol -C o -c $SALT >/dev/null 2>&1
tpm2_createprimary -C e -G ecc256 -c $d/other.ctx >/dev/null 2>&1 &&
	tpm2_evictcontrol -C o -c $d/other.ctx $SALT >/dev/null 2>&1
planted=$?
insmod $TEST_KO
rc=$?
[ $planted -eq 0 ] && [ $rc -eq 0 ] && [ "$(value)" = "$v1" ] &&
	dmesg | tail -n 30 | grep -q 'is not TrustVisor.s salt key: replaced'
ok_if $? "root's own key at $SALT: replaced by the TPM's primary, the counter reads $v1 (the changed answer changed nothing)"
rmmod trustvisor

# --- boot 5: an index root defined at the counter's handle ---
tpm_reboot >/dev/null
tpm2_nvundefine $NVC >/dev/null 2>&1
tpm2_nvdefine $NVC -s 8 -a 'ownerread|ownerwrite|authread|authwrite|nt=counter|no_da' \
	>/dev/null 2>&1
planted=$?
insmod $TEST_KO
rc=$?
[ $planted -eq 0 ] && [ $rc -eq 0 ] && nvc | grep -q '^failed (-6)'
ok_if $? "root's counter at $NVC, owner-readable: not taken ($(nvc))"
rmmod trustvisor

# --- boot 6: root removed it; the monitor defines its own again ---
tpm_reboot >/dev/null
tpm2_nvundefine $NVC >/dev/null 2>&1
insmod $TEST_KO
rc=$?
v2=$(value)
[ $rc -eq 0 ] && [ -n "$v2" ] && [ "$v2" -gt "$v1" ]
ok_if $? "defined anew, it starts above every value it had ($v2 > $v1): undefining rolls nothing back"
rmmod trustvisor

# --- the µTPM's counters: a new secret, so they start known and empty ---
nvv() {		# the NV counter's value the monitor reports
	value
}
pal() {		# pal CMD ID: services.pal's counter command on id ID; "STATUS VALUE"
	printf "\\$(printf %03o "$2")" >$d/id
	rm -f $d/v
	st=$($S/tvctl run $PAL --cmd "$1" --in $d/id --out $d/v | sed -n 's/^status //p')
	echo "$st $(od -An -tu8 $d/v 2>/dev/null | tr -d ' ')"
}
rm -f $TV_COUNTERS_FILE $TV_COUNTERS_FILE.prev
tpm_reboot >/dev/null
insmod $TEST_KO secret=new
rc=$?
n0=$(nvv)
[ $rc -eq 0 ] && $S/tvctl identity | grep -q '^counters *durable once a PAL commits them'
ok_if $? "a new secret: the counters start known ($($S/tvctl identity | sed -n 's/^counters *//p')), NV counter $n0"
r=$(pal 7 0)
n1=$(nvv)
[ "$r" = "0 1" ] && [ "$n1" = $((n0 + 1)) ] && [ -s $TV_COUNTERS_FILE ]
ok_if $? "a PAL increments counter 0 and commits: '$r', the NV counter moved by one ($n0 -> $n1), the table in the file"
cp $TV_COUNTERS_FILE $d/at1
r2=$(pal 4 0)
r3=$(pal 4 0)
[ "$r2" = "0 2" ] && [ "$r3" = "0 3" ] && [ "$(nvv)" = "$n1" ]
ok_if $? "two increments without a commit ('$r2', '$r3'): no NV write ($(nvv))"
r=$(pal 7 0)
n2=$(nvv)
[ "$r" = "0 4" ] && [ "$n2" = $((n1 + 1)) ]
ok_if $? "the next commit covers all three: '$r', one NV increment ($n1 -> $n2)"
cp $TV_COUNTERS_FILE $d/at2
pal 4 0 >/dev/null		# 5, never committed
rmmod trustvisor

tpm_reboot >/dev/null
insmod $TEST_KO
rc=$?
[ $rc -eq 0 ] && $S/tvctl identity | grep -q '^counters *unknown'
ok_if $? "after a reboot the counters are unknown until restored: $($S/tvctl identity | sed -n 's/^counters *//p')"
cp $d/at1 $TV_COUNTERS_FILE
rm -f $TV_COUNTERS_FILE.prev
$S/tvctl counters restore >$d/out 2>&1
rc=$?
[ $rc -eq 1 ] && grep -q 'another NV counter value' $d/out
ok_if $? "the table of the first commit (older) is refused: $(cat $d/out)"
r=$(pal 5 0)
[ "$r" = "-61 0" ]
ok_if $? "  and the PAL's counter reads ENODATA, not a rolled-back value ('$r')"
cp $d/at2 $TV_COUNTERS_FILE
$S/tvctl counters restore >$d/out 2>&1 && r=$(pal 5 0) && [ "$r" = "0 4" ]
ok_if $? "the last commit's table is taken: counter 0 reads 4 (the uncommitted 5 is gone): '$r'"
n3=$(nvv)
r=$(TV_COUNTERS_FILE=/proc/tv-none/counters pal 7 0)
[ "$r" = "-5 5" ] && [ "$(nvv)" = "$n3" ]
ok_if $? "a commit whose table cannot be stored: EIO, the NV counter unmoved ('$r', $(nvv))"
# The 4th answer of the commit's job is NV_Increment's: the TPM counted, the
# monitor cannot know it, so it reads the counter again.
echo 4 >/sys/module/trustvisor/parameters/test_commit_tamper
r=$(pal 7 0)
n4=$(nvv)
r2=$(pal 7 0)
n5=$(nvv)
[ "$r" = "-5 6" ] && dmesg | tail -n 30 | grep -q 'opened again after the failed commit' &&
	[ "$n4" = $((n3 + 1)) ] && [ "$r2" = "0 7" ] && [ "$n5" = $((n3 + 2)) ]
ok_if $? "an NV_Increment answer changed in transit: the commit is EIO ('$r') though the TPM counted ($n3 -> $n4); the monitor reads it again and the next commit works ('$r2', $n5)"
rmmod trustvisor

tpm_reboot >/dev/null
insmod $TEST_KO
r=$(pal 5 0)
[ "$r" = "0 7" ]
ok_if $? "after the next reboot libtrustvisor restores the table by itself: counter 0 reads 7 ('$r')"
rmmod trustvisor
insmod $TEST_KO
r=$(pal 7 0)
[ "${r%% *}" = "-19" ]
ok_if $? "an ephemeral secret (second load): commit is ENODEV ('$r')"
rmmod trustvisor

errors=$(dmesg | grep -c 'A TPM error')
ok_if "$([ "$errors" -eq "$errors0" ]; echo $?)" \
	"no command the monitor or the module sent failed in the TPM ($((errors - errors0)) kernel TPM errors)"
tpm_stop >/dev/null
exit $tap_failed
