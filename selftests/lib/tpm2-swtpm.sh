#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# lib/tpm2.c against a real TPM 2.0: a swtpm on the host
# (scripts/swtpm-host.sh) with an ECC P-256 primary made persistent by
# tpm2-tools as the salt key, then selftests/lib/tpm2_swtpm.c, which prints
# the TAP.  The driver cross-checks with tpm2_nvreadpublic and tpm2_nvread
# itself, over the TPM2TOOLS_TCTI set here.
set -u
cd "$(dirname "$0")/../.."
prog=${O:-build}/asan/selftests/lib/tpm2_swtpm
handle=0x81000100
tmp=$(mktemp -d)
spid=
cleanup() {
	swtpm_host_stop
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

echo "TAP version 13"
. "$(dirname "$0")/../tap.sh"
. "$(dirname "$0")/../../scripts/swtpm-host.sh"
t() { timeout 10 "$@"; }

[ -x "$prog" ] || { echo "1..1"; bail "no $prog (run make check-unit)"; }
command -v swtpm >/dev/null && command -v tpm2_createprimary >/dev/null ||
	{ echo "1..1"; bail "swtpm or tpm2-tools missing (scripts/deps.sh)"; }

mkdir -p "$tmp/state"
swtpm_host_start "$tmp/state" "$tmp/swtpm.log" ||
	{ echo "1..1"; bail "swtpm did not start ($(tail -1 "$tmp/swtpm.log"))"; }
# The salt key: the default ECC storage primary (restricted decrypt, P-256,
# nameAlg SHA-256), persistent so the driver can name it by handle.
{ t tpm2_createprimary -C o -G ecc256 -c "$tmp/salt.ctx" &&
	t tpm2_evictcontrol -C o -c "$tmp/salt.ctx" $handle &&
	t tpm2_readpublic -c $handle -f tss -o "$tmp/salt.pub"; } >/dev/null 2>"$tmp/err" ||
	{ echo "1..1"; bail "salt key: $(tail -1 "$tmp/err")"; }

# The driver prints its own plan; the "TAP version" line is ours.
"$prog" "$port" $handle "$tmp/salt.pub" | grep -v '^TAP version'
exit "${PIPESTATUS[0]}"
