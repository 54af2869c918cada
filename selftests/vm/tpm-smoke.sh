#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The tpm lane's smoke suite: the running kernel has a real TPM 2.0
# (swtpm behind the vTPM proxy, selftests/vm/tpm.sh), PCR 16 extends as a
# TPM's does, the attestation key prepared on the host is persistent at
# 0x81010002 and its quotes verify with the payload's ak.pem, a reboot of
# the TPM resets the PCRs and keeps the key, and trustvisor loads and
# unloads on a kernel with a TPM.  Each tpm2 command's time is printed
# ("# time: ..."; guest seconds, which under Bochs roughly follow wall
# seconds while a CPU is busy).  Prints TAP; exits 1 if a point failed.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
. "$here/tpm.sh"
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
echo "TAP version 13"
echo "1..15"
for t in swtpm tpm2_pcrread tpm2_pcrextend tpm2_quote tpm2_checkquote tpm2_readpublic; do
	if ! command -v $t >/dev/null; then
		echo "Bail out! no $t in this initramfs (scripts/mkinitramfs.sh copies the host's for lane tpm)"
		exit 1
	fi
done

timed() {	# timed COMMAND...: run it (output in $d/out), print its time
	tt0=$(tpm_now)
	"$@" >"$d/out" 2>&1
	trc=$?
	# To stderr: a caller may capture the output (both reach the console).
	echo "# time: $1 $(tpm_since $tt0) guest s" >&2
	return $trc
}
why() {		# the failing command's last lines, as TAP comments
	tail -n 5 "$d/out" | sed 's/^/# /'
}
hex() {
	od -An -tx1 -v "$@" | tr -d ' \n'
}
pcr16() {	# the SHA-256 PCR 16, in hex
	timed tpm2_pcrread -o "$d/pcr16" sha256:16 && hex "$d/pcr16"
}
zero=$(head -c 32 /dev/zero | hex)
ak_is_ours() {	# the persistent AK's public key is the payload's ak.pem
	timed tpm2_readpublic -c $TPM_AK -f pem -o "$d/ak-now.pem" &&
		cmp -s "$d/ak-now.pem" $TPM_DIR/ak.pem
}

if tpm_start; then
	tap OK "swtpm up: the kernel's TPM 2.0 at $tpm_dev answers after $tpm_secs s"
else
	tap FAIL "swtpm up: no answering TPM"
	echo "Bail out! no TPM, nothing else can run"
	exit 1
fi

if ak_is_ours; then
	tap OK "the AK persistent at $TPM_AK is the payload's ak.pem"
else
	tap FAIL "the AK at $TPM_AK: missing, or not the payload's ak.pem"
	why
fi

v=$(pcr16)
if [ "$v" = "$zero" ]; then
	tap OK "PCR 16 (sha256) is zero after start-up"
else
	tap FAIL "PCR 16 (sha256) after start-up: '$v'"
	why
fi

# Extending from zero gives SHA-256(zeros || digest), as on any TPM.
dig=$(echo "trustvisor tpm lane" | sha256sum | cut -c1-64)
want=$({ head -c 32 /dev/zero; echo $dig | xxd -r -p; } | sha256sum | cut -c1-64)
if timed tpm2_pcrextend 16:sha256=$dig && v=$(pcr16) && [ "$v" = "$want" ]; then
	tap OK "PCR 16 extended once: SHA-256(0^32 || digest) = ${want%"${want#????????}"}..."
else
	tap FAIL "PCR 16 extended: '$v', want $want"
	why
fi

nonce=$(head -c 20 /dev/urandom | hex)
if timed tpm2_quote -c $TPM_AK -l sha256:16 -q $nonce -g sha256 \
	-m "$d/q.msg" -s "$d/q.sig" -o "$d/q.pcrs"; then
	tap OK "tpm2_quote with the AK over PCR 16 and a nonce"
else
	tap FAIL "tpm2_quote with the AK"
	why
fi

# The verifier needs nothing of this TPM but ak.pem; the quoted PCR 16 must
# be the extended value.
if timed tpm2_checkquote -u $TPM_DIR/ak.pem -m "$d/q.msg" -s "$d/q.sig" \
	-f "$d/q.pcrs" -g sha256 -q $nonce &&
	grep -qi "16: 0x$want" "$d/out"; then
	tap OK "tpm2_checkquote -u ak.pem verifies the quote; PCR 16 in it is the extended value"
else
	tap FAIL "tpm2_checkquote -u ak.pem"
	why
fi
other=$(head -c 20 /dev/urandom | hex)
if ! timed tpm2_checkquote -u $TPM_DIR/ak.pem -m "$d/q.msg" -s "$d/q.sig" \
	-f "$d/q.pcrs" -g sha256 -q $other; then
	tap OK "tpm2_checkquote refuses the quote for another nonce"
else
	tap FAIL "tpm2_checkquote accepted the quote for another nonce"
fi

if tpm_reboot; then
	tap OK "TPM rebooted (swtpm stopped and started on its state): $tpm_dev answers"
else
	tap FAIL "TPM reboot"
	echo "Bail out! no TPM after the reboot"
	exit 1
fi
v=$(pcr16)
if [ "$v" = "$zero" ]; then
	tap OK "PCR 16 is zero again after the reboot"
else
	tap FAIL "PCR 16 after the reboot: '$v' (want zero)"
	why
fi
nonce=$(head -c 20 /dev/urandom | hex)
if ak_is_ours && timed tpm2_quote -c $TPM_AK -l sha256:16 -q $nonce -g sha256 \
		-m "$d/q.msg" -s "$d/q.sig" -o "$d/q.pcrs" &&
	timed tpm2_checkquote -u $TPM_DIR/ak.pem -m "$d/q.msg" -s "$d/q.sig" \
		-f "$d/q.pcrs" -g sha256 -q $nonce &&
	grep -q "16: 0x$zero" "$d/out"; then
	tap OK "after the reboot the AK is still at $TPM_AK; its quote of PCR 16 (zero) verifies"
else
	tap FAIL "the AK after the reboot"
	why
fi

# The monitor on a kernel that has a TPM: loads, the TPM still answers with
# Linux running as its guest, and it unloads.  The pause lets the console
# drain first, so the kernel's taint line does not split a TAP line (a
# line takes ~7 ms of guest time at 115200 baud).
sleep 0.1
if insmod $S/trustvisor-test.ko; then
	tap OK "insmod trustvisor-test.ko with a TPM present"
	if timed tpm2_pcrextend 16:sha256=$dig && v=$(pcr16) && [ "$v" = "$want" ]; then
		tap OK "under the monitor, PCR 16 extends and reads back as before"
	else
		tap FAIL "under the monitor, PCR 16: '$v', want $want"
		why
	fi
	if rmmod trustvisor && dmesg | tail -n 5 | grep -q 'unloaded: every CPU given back'; then
		tap OK "rmmod trustvisor: every CPU given back"
	else
		tap FAIL "rmmod trustvisor: $(dmesg | tail -n 3 | tr '\n' ' ')"
	fi
else
	tap FAIL "insmod trustvisor-test.ko with a TPM present"
	dmesg | tail -n 10 | sed 's/^/# /'
	tap FAIL "under the monitor, PCR 16 (not loaded)"
	tap FAIL "rmmod trustvisor (not loaded)"
fi

if tpm_stop; then
	tap OK "swtpm stopped; the kernel let go of the chip"
else
	tap FAIL "swtpm stop"
fi
# A vTPM chip logs nothing when all goes well; a command the kernel timed
# out (as when swtpm answers its self-test too late) leaves a line.
bad=$(dmesg | grep -E 'tpm tpm[0-9]+: ')
if [ -z "$bad" ]; then
	tap OK "the kernel logged no TPM error"
else
	tap FAIL "the kernel's TPM lines:"
	echo "$bad" | tail -n 5 | sed 's/^/# /'
fi
exit $tap_failed
