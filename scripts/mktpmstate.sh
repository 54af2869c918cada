#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Prepares, on the host, the TPM 2.0 state the tpm lane's guest runs swtpm on
# (selftests/vm/tpm.sh), so the emulated machine makes no key at all: Bochs
# runs some tens of millions of instructions per second, and a key made
# here once costs nothing in each boot.
# usage: mktpmstate.sh OUTDIR
#
# OUTDIR gets (see docs/testing.md, "The TPM in the tpm lane"):
#   state/       swtpm's --tpmstate dir (tpm2-00.permall), shut down orderly
#   ak.pem       the attestation key's public key (PEM), for tpm2_checkquote
#   ak.pub       the same as a TPM2B_PUBLIC, ak.name its TPM name
#   ek.pem       the endorsement key's public key (PEM); the EK itself is not
#                persistent: tpm2_createek -G ecc makes the same key again
# The attestation key is persistent at 0x81010002 (TV_TPM_AK_HANDLE): an ECC
# NIST P-256 restricted signing key (ECDSA, SHA-256), made by tpm2_createak
# under the ECC EK (TCG default template, endorsement hierarchy).  No RSA key
# is made: tpm2-tools talk to a bare `swtpm socket` here, not through
# swtpm_setup, whose defaults include an RSA EK.
set -euo pipefail
. "$(dirname "$0")/swtpm-host.sh"

if [ $# -ne 1 ]; then
	echo "usage: $0 OUTDIR" >&2
	exit 2
fi
out=$1
ak_handle=${TV_TPM_AK_HANDLE:-0x81010002}
for t in swtpm tpm2_createek tpm2_createak tpm2_evictcontrol tpm2_quote tpm2_checkquote; do
	if ! command -v "$t" >/dev/null; then
		echo "mktpmstate: $t missing; run: make deps (swtpm, tpm2-tools)" >&2
		exit 1
	fi
done

tmp=$(mktemp -d)
spid=
cleanup() {
	swtpm_host_stop
	rm -rf "$tmp" "$out.tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# Each command bounded: a TPM that stops answering must not hang the build.
t() { timeout 20 "$@" >>"$tmp/tools.log" 2>&1 || fail "$1 failed"; }
fail() {
	echo "mktpmstate: $*; last lines of its output:" >&2
	tail -n 5 "$tmp/tools.log" 2>/dev/null | sed 's/^/  | /' >&2
	exit 1
}

mkdir -p "$out.tmp/state"
swtpm_host_start "$out.tmp/state" "$tmp/swtpm.log" ||
	fail "swtpm did not start ($(tail -n 1 "$tmp/swtpm.log"))"

# No resource manager between the tools and swtpm: every tool leaves its
# objects loaded, so the transient ones are flushed after each step (the
# TPM holds only three).
t tpm2_createek -G ecc -c "$tmp/ek.ctx" -u "$out.tmp/ek.pem" -f pem
t tpm2_createak -C "$tmp/ek.ctx" -c "$tmp/ak.ctx" -G ecc -g sha256 -s ecdsa \
	-u "$tmp/ak-created.pem" -f pem
t tpm2_flushcontext -t
t tpm2_evictcontrol -C o -c "$tmp/ak.ctx" "$ak_handle"
t tpm2_flushcontext -t
# What the payload says about the key is read back from the persistent
# handle, so it is the key the guest's TPM will sign with.
t tpm2_readpublic -c "$ak_handle" -f pem -o "$out.tmp/ak.pem" -n "$out.tmp/ak.name"
t tpm2_readpublic -c "$ak_handle" -o "$out.tmp/ak.pub"
cmp -s "$tmp/ak-created.pem" "$out.tmp/ak.pem" ||
	fail "the key at $ak_handle is not the one tpm2_createak made"
# One quote here: if the shipped PEM did not verify the persistent key's
# quotes on the host, the guest's failure would say nothing about the guest.
t tpm2_quote -c "$ak_handle" -l sha256:16 -q 54565450 -g sha256 \
	-m "$tmp/q.msg" -s "$tmp/q.sig" -o "$tmp/q.pcrs"
t tpm2_checkquote -u "$out.tmp/ak.pem" -m "$tmp/q.msg" -s "$tmp/q.sig" \
	-f "$tmp/q.pcrs" -g sha256 -q 54565450
t tpm2_flushcontext -t
# Shut down as an OS does before a reboot, so the guest's first start is an
# orderly one.
t tpm2_shutdown -c
swtpm_host_stop
[ -s "$out.tmp/state/tpm2-00.permall" ] || fail "swtpm left no tpm2-00.permall"
rm -f "$out.tmp/state/.lock"	# swtpm's own, made again at its start

rm -rf "$out"
mv "$out.tmp" "$out"
echo "mktpmstate: $out: AK (ECC P-256) persistent at $ak_handle, public key $out/ak.pem"
