#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The examples of userspace/examples/ under the monitor, run as a user runs
# them: the counter's sealed state moves on call by call and a replayed
# (older) state is refused; the signer's key is made and used inside the
# PAL, its signature verifies with openssl, and its quote with
# tpm2_checkquote, PCR 0 naming the PAL and PCR 1 the key.  Needs
# trustvisor.ko loaded, the payload's pals/ and examples/, and the host's
# openssl and tpm2_checkquote (scripts/mkinitramfs.sh copies them in for
# the pal lane).  With TV_EXAMPLES_RELOAD=MODULE it then reloads the module
# and checks that the old state and key are refused as blobs of another
# monitor.  Prints TAP; exits 1 if a point failed.
# The payload is where this script is (/selftests in the initramfs).
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
E=$here/examples
P=$here/pals
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
echo "TAP version 13"
echo "1..$([ -n "${TV_EXAMPLES_RELOAD:-}" ] && echo 16 || echo 13)"
for t in openssl tpm2_checkquote; do
	if ! command -v $t >/dev/null; then
		echo "Bail out! no $t in this initramfs (scripts/mkinitramfs.sh copies the host's)"
		exit 1
	fi
done
check() {	# check DESCRIPTION COMMAND...: a point from the command's status
	desc=$1
	shift
	if "$@" >"$d/out" 2>&1; then
		tap OK "$desc"
	else
		tap FAIL "$desc"
		sed 's/^/# /' "$d/out" | head -5
	fi
}
# $1 = SHA-256(0^32 || $2's bytes) as a PCR extended once from zero
pcr_once() {
	{ head -c 32 /dev/zero; cat "$2"; } | openssl dgst -sha256 -binary >"$1"
}

# --- counter ------------------------------------------------------------------
counter() { $E/counter-app $P/counter.pal "$d/state" "$@"; }
check "counter new: count 0" sh -c "$E/counter-app $P/counter.pal $d/state new | grep -qx 'count 0'"
cp "$d/state" "$d/state0"
counter step >/dev/null
check "counter step twice: count 2, state kept in a file between loads" \
	sh -c "$E/counter-app $P/counter.pal $d/state step | grep -qx 'count 2'"
cp "$d/state" "$d/state2"
cp "$d/state0" "$d/state"
counter step >"$d/out" 2>&1
rc=$?
if [ $rc -eq 3 ] && grep -q 'a replayed state, refused' "$d/out"; then
	tap OK "counter: the count-0 state replayed is refused (exit 3)"
else
	tap FAIL "counter: replay of an older state (exit $rc: $(cat "$d/out"))"
fi
cp "$d/state2" "$d/state"
check "counter: the latest state still steps on after the refusal: count 3" \
	sh -c "$E/counter-app $P/counter.pal $d/state step | grep -qx 'count 3'"
# A changed blob is no blob of this monitor.
cp "$d/state" "$d/bad"
printf 'X' | dd of="$d/bad" bs=1 seek=$(($(wc -c <"$d/bad") - 1)) conv=notrunc 2>/dev/null
check "counter: a state changed in its last byte is refused (EBADMSG)" \
	sh -c "$E/counter-app $P/counter.pal $d/bad step 2>&1 | grep -q 'not a state of this monitor'"

# --- signer -------------------------------------------------------------------
signer() { $E/signer-app $P/signer.pal "$@"; }
echo "a message for the signer PAL" >"$d/msg"
check "signer keygen: a sealed key and a PEM public key openssl reads" \
	sh -c "$E/signer-app $P/signer.pal keygen $d/key $d/pub.pem &&
		openssl pkey -pubin -in $d/pub.pem -noout"
signer sign "$d/key" "$d/msg" "$d/sig.der"
check "signer sign: openssl dgst -sha256 -verify accepts the DER signature" \
	openssl dgst -sha256 -verify "$d/pub.pem" -signature "$d/sig.der" "$d/msg"
echo "another message" >"$d/msg2"
check "  and rejects it for another message" \
	sh -c "! openssl dgst -sha256 -verify $d/pub.pem -signature $d/sig.der $d/msg2"
nonce=$(head -c 20 /dev/urandom | od -An -tx1 | tr -d ' \n')
mkdir "$d/q"
signer quote "$d/key" "$nonce" "$d/q" >"$d/out" 2>&1 &&
	$here/tvctl pubkey --out "$d/ak.pem" >>"$d/out" 2>&1
check "signer quote: tpm2_checkquote accepts attest.bin, sig.bin, pcrs.bin (PCRs 0, 1)" \
	tpm2_checkquote -u "$d/ak.pem" -m "$d/q/attest.bin" -s "$d/q/sig.bin" \
	-f "$d/q/pcrs.bin" -l sha256:0,1 -g sha256 -q "$nonce"
openssl dgst -sha256 -binary "$P/signer.pal" >"$d/meas"
pcr_once "$d/pcr0" "$d/meas"
openssl pkey -pubin -in "$d/pub.pem" -outform DER | tail -c 65 | openssl dgst -sha256 -binary \
	>"$d/keyhash"
pcr_once "$d/pcr1" "$d/keyhash"
check "  PCR 0 = SHA-256(0^32 || SHA-256(signer.pal))" \
	sh -c "head -c 32 $d/q/pcrs.bin | cmp -s - $d/pcr0"
check "  PCR 1 = SHA-256(0^32 || SHA-256(public key)): the quote names the key" \
	sh -c "tail -c 32 $d/q/pcrs.bin | cmp -s - $d/pcr1"
# The application side's PAL_QUOTE (tvctl quote) after a SIGN call of the
# same load sees the same binding.  SIGN's input: the key's length (4 bytes,
# little-endian), the key, the message.
len=$(wc -c <"$d/key")
{
	printf "$(printf '\\%03o\\%03o\\%03o\\%03o' $((len & 255)) $((len >> 8 & 255)) 0 0)"
	cat "$d/key" "$d/msg"
} >"$d/sign.in"
$here/tvctl quote $P/signer.pal --cmd 2 --in "$d/sign.in" --nonce "$nonce" --pcrs 0,1 \
	--out "$d/tq" >"$d/tq.out" 2>&1
check "tvctl quote after SIGN: status 0, tpm2_checkquote accepts the quote" \
	sh -c "grep -qx 'status 0' $d/tq.out && tpm2_checkquote -u $d/tq/ak.pem \
		-m $d/tq/attest.bin -s $d/tq/sig.bin -f $d/tq/pcrs.bin -g sha256 -q $nonce"
check "  and its PCR 1 names the key, as the PAL's own quote does" \
	grep -q "^pcr 1 *$(od -An -tx1 "$d/pcr1" | tr -d ' \n')\$" "$d/tq.out"

# --- after a reload of the monitor: nothing survives ---------------------------
if [ -n "${TV_EXAMPLES_RELOAD:-}" ]; then
	if rmmod trustvisor && insmod "$TV_EXAMPLES_RELOAD"; then
		tap OK "reloaded $TV_EXAMPLES_RELOAD"
	else
		tap FAIL "reload of $TV_EXAMPLES_RELOAD"
	fi
	check "counter after a reload: the state is no blob of this monitor (EBADMSG)" \
		sh -c "$E/counter-app $P/counter.pal $d/state step 2>&1 |
			grep -q 'not a state of this monitor'"
	check "signer after a reload: the key is no blob of this monitor (EBADMSG)" \
		sh -c "$E/signer-app $P/signer.pal sign $d/key $d/msg $d/sig2.der 2>&1 |
			grep -q 'not a blob of this monitor'"
fi
exit $tap_failed
