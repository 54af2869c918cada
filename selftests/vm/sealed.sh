#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The µTPM master secret kept by the hardware TPM (kmod/secret.c), on the
# tpm lane's TPM, from a fresh state: a blob a PAL sealed before a simulated
# reboot unseals after it; not after a second load in the same boot, nor
# under another monitor image (the production module); the deliberate
# upgrade path moves it to that image (upgrade_to, then upgrade_from); an
# NV index planted by root is never taken for the kept one; bad options are
# refused before anything is touched.  Prints TAP.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
. "$here/tpm.sh"
TEST_KO=$here/trustvisor-test.ko
PROD_KO=/trustvisor.ko
PAL=$here/pals/services.pal
NV=0x01805654
NV_UP=0x01805655
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
echo "TAP version 13"
echo "1..20"
# A fresh TPM: the suites before this one kept secrets of their own.
[ -z "$tpm_pid" ] || tpm_stop >/dev/null
rm -rf $TPM_STATE
tpm_start >/dev/null || { echo "Bail out! no TPM"; exit 1; }
grep -q securityfs /proc/mounts || mount -t securityfs securityfs /sys/kernel/security
errors0=$(dmesg | grep -c 'A TPM error')

ident() {	# the tvctl identity line for $1
	$S/tvctl identity | sed -n "s/^$1 *//p"
}
pubkey() {
	ident 'public key'
}
measurement() {
	$S/tvctl status | sed -n 's/^measurement *//p' | head -n 1
}
said() {	# said TEXT: the last load's "master secret:" line contains TEXT
	dmesg | grep 'trustvisor: master secret:' | tail -n 1 | grep -q "$1"
}
seal() {	# seal OUT: services.pal seals "kept across reboots" (no policy) into OUT
	{ head -c 76 /dev/zero; printf 'kept across reboots'; } >$d/in
	$S/tvctl run $PAL --cmd 2 --in $d/in --out "$1" | grep -qx 'status 0'
}
unseal() {	# unseal BLOB: 0 if services.pal unseals BLOB to what seal sealed
	rm -f $d/plain
	$S/tvctl run $PAL --cmd 3 --in "$1" --out $d/plain | grep -qx 'status 0' &&
		[ "$(cat $d/plain)" = "kept across reboots" ]
}
nv_attrs() {	# the attributes of NV $NV, as tpm2_nvreadpublic names them
	tpm2_nvreadpublic $NV 2>/dev/null | sed -n '/attributes:/{n;s/^ *friendly: *//p}'
}
nv_there() {	# nv_there INDEX: 0 the TPM has that NV index, 1 it has not, 2 cannot tell
	nv_list=$(tpm2_getcap handles-nv-index) || return 2
	echo "$nv_list" | grep -qx -- "- $(printf '0x%x' $1)" && return 0
	return 1
}
loaded_ok() {	# loaded_ok: insmod's status was 0 and the device is there
	[ "$1" -eq 0 ] && [ -c /dev/trustvisor ]
}

# --- boot 1: the first launch on a fresh TPM creates the kept secret ---
insmod $TEST_KO
rc=$?
key1=$(pubkey)
test_meas=$(measurement)
loaded_ok $rc && said 'new, now kept by the TPM' && ident 'key lifetime' | grep -q 'new at this launch and kept'
tap $([ $? -eq 0 ] && echo OK || echo FAIL) "first launch on a fresh TPM: $(ident 'key lifetime')"
attrs=$(nv_attrs)
echo "$attrs" | grep -q 'policywrite' && echo "$attrs" | grep -q 'policyread' &&
	echo "$attrs" | grep -q 'written' && ! echo "$attrs" | grep -Eq 'ownerread|authread|ownerwrite|authwrite|ppread'
tap $([ $? -eq 0 ] && echo OK || echo FAIL) "TPM NV $NV holds it, read and written by policy only ($attrs)"
# With the index's own authorization (empty): the TPM must refuse the read.
tpm2_nvread $NV -C $NV -s 64 >$d/nvread 2>&1
rc=$?
command -v tpm2_nvread >/dev/null && [ $rc -ne 0 ] && grep -q 'Esys_NV_Read' $d/nvread
tap $([ $? -eq 0 ] && echo OK || echo FAIL) "root cannot read NV $NV by password, it has none: $(grep -m1 'tpm:' $d/nvread)"
seal $d/blob
tap $([ $? -eq 0 ] && [ -s $d/blob ] && echo OK || echo FAIL) "services.pal seals data: $(wc -c <$d/blob) bytes of blob"
rmmod trustvisor

# --- boot 2: a simulated reboot; the same monitor gets the same secret ---
tpm_reboot >/dev/null
insmod $TEST_KO
rc=$?
loaded_ok $rc && said 'kept by the TPM since an earlier launch' && [ "$(pubkey)" = "$key1" ]
tap $([ $? -eq 0 ] && echo OK || echo FAIL) "after a reboot: the kept secret, the same identity key ($(ident 'key lifetime'))"
unseal $d/blob
tap $([ $? -eq 0 ] && echo OK || echo FAIL) "the blob sealed before the reboot unseals after it: '$(cat $d/plain 2>/dev/null)'"
rmmod trustvisor

# --- the same boot, a second load: ephemeral ---
insmod $TEST_KO
rc=$?
loaded_ok $rc && said 'not the first launch' && [ "$(pubkey)" != "$key1" ]
tap $([ $? -eq 0 ] && echo OK || echo FAIL) "a second load in the same boot: $(ident 'key lifetime')"
unseal $d/blob
tap $([ $? -ne 0 ] && echo OK || echo FAIL) "  and the blob does not unseal"
rmmod trustvisor

# --- boot 3: another monitor image (the production module) ---
tpm_reboot >/dev/null
insmod $PROD_KO
rc=$?
prod_meas=$(measurement)
loaded_ok $rc && [ "$prod_meas" != "$test_meas" ] && said "another monitor's or boot chain's" &&
	[ "$(pubkey)" != "$key1" ]
tap $([ $? -eq 0 ] && echo OK || echo FAIL) "a modified monitor image ($prod_meas): ephemeral, another key"
unseal $d/blob
tap $([ $? -ne 0 ] && echo OK || echo FAIL) "  and the blob does not unseal"
rmmod trustvisor
nv_there $NV
tap $([ $? -eq 0 ] && echo OK || echo FAIL) "  and the kept secret is still in NV $NV (never replaced unasked)"

# --- bad options: refused before the TPM is touched ---
before=$(tpm2_pcrread sha256:13)
insmod $TEST_KO secret=bogus 2>/dev/null
rc1=$?
m1=$(dmesg | tail -n 3 | grep -c 'secret=bogus: one of auto, ephemeral, new')
insmod $TEST_KO upgrade_to=1234 2>/dev/null
rc2=$?
m2=$(dmesg | tail -n 3 | grep -c 'upgrade_to=1234: a monitor measurement is 64 hex digits')
[ $rc1 -ne 0 ] && [ $rc2 -ne 0 ] && [ "$m1" -eq 1 ] && [ "$m2" -eq 1 ] && [ ! -e /dev/trustvisor ] &&
	[ "$(tpm2_pcrread sha256:13)" = "$before" ]
tap $([ $? -eq 0 ] && echo OK || echo FAIL) "secret=bogus and a short upgrade_to: refused with their reasons, PCR 13 untouched"

# --- boot 4: the upgrade, step 1: the old monitor keeps it for the new ---
tpm_reboot >/dev/null
insmod $TEST_KO upgrade_to=$prod_meas
rc=$?
loaded_ok $rc && said 'kept by the TPM since' && nv_there $NV_UP &&
	dmesg | tail -n 20 | grep -q "kept for monitor $prod_meas too: load it with upgrade_from=$test_meas"
tap $([ $? -eq 0 ] && echo OK || echo FAIL) "upgrade_to=<production>: kept for it too, in NV $NV_UP"
rmmod trustvisor

# --- boot 5: the upgrade, step 2: the new monitor takes it ---
tpm_reboot >/dev/null
insmod $PROD_KO upgrade_from=$test_meas
rc=$?
loaded_ok $rc && said 'kept for this monitor by an earlier version' && [ "$(pubkey)" = "$key1" ]
tap $([ $? -eq 0 ] && echo OK || echo FAIL) "upgrade_from=<test>: the production monitor has the migrated secret, the same key"
unseal $d/blob
tap $([ $? -eq 0 ] && echo OK || echo FAIL) "  and the blob sealed under the old monitor unseals"
nv_there $NV_UP
tap $([ $? -eq 1 ] && echo OK || echo FAIL) "  and NV $NV_UP is gone"
rmmod trustvisor

# --- boot 6: the new monitor keeps it as its own ---
tpm_reboot >/dev/null
insmod $PROD_KO
rc=$?
loaded_ok $rc && said 'kept by the TPM since an earlier launch' && [ "$(pubkey)" = "$key1" ] && unseal $d/blob
tap $([ $? -eq 0 ] && echo OK || echo FAIL) "next reboot, no option: the production monitor's own kept secret"
rmmod trustvisor

# --- boot 7: root plants an index with TrustVisor's own policy ---
# The genuine index's policy is public (NV_ReadPublic).  Root copies it onto
# an index of its own that it may also write by password, and writes a
# secret it knows: the policy would let the module read it, so only the
# attributes tell it is not TrustVisor's.
tpm_reboot >/dev/null
policy=$(tpm2_nvreadpublic $NV 2>/dev/null | sed -n 's/^ *authorization policy: *//p')
printf "$(printf %s "$policy" | sed 's/../\\x&/g')" >$d/policy
tpm2_nvundefine $NV >/dev/null 2>&1
tpm2_nvdefine $NV -s 64 -a 'policywrite|policyread|writeall|no_da|authwrite' -L $d/policy \
	-p planted >/dev/null 2>&1 &&
	head -c 64 /dev/zero | tpm2_nvwrite $NV -C $NV -P planted -i - >/dev/null 2>&1
planted=$?
planted_policy=$(tpm2_nvreadpublic $NV 2>/dev/null | sed -n 's/^ *authorization policy: *//p')
insmod $PROD_KO
rc=$?
loaded_ok $rc && [ $planted -eq 0 ] && [ ${#policy} -eq 64 ] && [ "$planted_policy" = "$policy" ] &&
	said 'not one TrustVisor wrote' && [ "$(pubkey)" != "$key1" ]
tap $([ $? -eq 0 ] && echo OK || echo FAIL) "root's index at NV $NV with TrustVisor's policy ($policy), written by password: not taken"
rmmod trustvisor

# --- boot 8: secret=new replaces it, deliberately ---
tpm_reboot >/dev/null
insmod $PROD_KO secret=new
rc=$?
attrs=$(nv_attrs)
loaded_ok $rc && said 'new, now kept by the TPM' && echo "$attrs" | grep -q policyread
tap $([ $? -eq 0 ] && echo OK || echo FAIL) "secret=new: a new kept secret replaces it ($attrs)"
rmmod trustvisor
errors=$(dmesg | grep -c 'A TPM error')
tap $([ "$errors" -eq "$errors0" ] && echo OK || echo FAIL) \
	"no command of the module's failed in the TPM ($((errors - errors0)) kernel TPM errors)"
tpm_stop >/dev/null
exit $tap_failed
