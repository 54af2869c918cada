#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The µTPM against a real TPM 2.0 (swtpm driven by tpm2-tools): the same
# measurement and extend sequence must give the same PCR values, the identity
# key's name must be what the TPM computes for it, and a µTPM quote must have
# the layout, selection and pcrDigest of the TPM's own quote over the same
# PCRs.  Prints TAP.
set -u
cd "$(dirname "$0")/../.."
tool=${O:-build}/selftests/utpm/utpm_tool
tmp=$(mktemp -d)
spid=
cleanup() {
	swtpm_host_stop
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# PCRs 17-22 are left out: on a PC-client TPM they start at all-ones and
# only localities 3/4 may extend them; the µTPM has no localities.
pcrs=(0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 23)
plan=$((1 + ${#pcrs[@]} + 5))
echo "TAP version 13"
echo "1..$plan"
. "$(dirname "$0")/../tap.sh"
. "$(dirname "$0")/../../scripts/swtpm-host.sh"
t() { timeout 10 "$@"; }
hex() { od -An -tx1 -v "$@" | tr -d ' \n'; }
sha() { printf '%s' "$1" | sha256sum | cut -c1-64; }

[ -x "$tool" ] || bail "no $tool (run make check-unit)"
command -v swtpm >/dev/null && command -v tpm2_pcrextend >/dev/null ||
	bail "swtpm or tpm2-tools missing (scripts/deps.sh)"

# A swtpm on the host (scripts/swtpm-host.sh).
mkdir -p "$tmp/state"
swtpm_host_start "$tmp/state" "$tmp/swtpm.log" ||
	bail "swtpm did not start ($(tail -1 "$tmp/swtpm.log"))"
ok 0 "swtpm answers on 127.0.0.1:$port"

# Same sequence on both: the PAL measurement into PCR 0, then 1-3 extends
# of distinct digests into each other PCR.
meas=$(sha "TrustVisor test PAL")
specs=()
tpm_specs=("0:sha256=$meas")
for p in "${pcrs[@]:1}"; do
	for j in $(seq $((p % 3 + 1))); do
		d=$(sha "extend $p $j")
		specs+=("$p:$d")
		tpm_specs+=("$p:sha256=$d")
	done
done
t tpm2_pcrextend "${tpm_specs[@]}" >"$tmp/err" 2>&1 || bail "tpm2_pcrextend: $(tail -1 "$tmp/err")"
sel="sha256:$(IFS=,; echo "${pcrs[*]}")"
t tpm2_pcrread -o "$tmp/tpm.pcrs" "$sel" >/dev/null 2>"$tmp/err" ||
	bail "tpm2_pcrread: $(tail -1 "$tmp/err")"
"$tool" pcrs "$meas" "${specs[@]}" >"$tmp/utpm.pcrs" || bail "utpm_tool pcrs failed"

tpm_hex=$(hex "$tmp/tpm.pcrs")
[ ${#tpm_hex} -eq $((64 * ${#pcrs[@]})) ] || bail "tpm2_pcrread gave ${#tpm_hex} hex digits"
i=0
for p in "${pcrs[@]}"; do
	want=${tpm_hex:$((64 * i)):64}
	got=$(awk -v p="$p" '$1 == p { print $2 }' "$tmp/utpm.pcrs")
	[ "$want" = "$got" ]
	ok $? "PCR $p equals the real TPM's ($want)"
	[ "$want" = "$got" ] || echo "# µTPM: $got"
	i=$((i + 1))
done

# Quote the same PCRs with the same nonce on both.
nonce=5452555354564953
qsel="sha256:0,1,10,11,23"
mask=800c03
"$tool" quote "$tmp" "$meas" "$nonce" "$mask" "${specs[@]}" || bail "utpm_tool quote failed"
t tpm2_loadexternal -C n -u "$tmp/pub.tss" -c "$tmp/ext.ctx" -n "$tmp/ext.name" \
	>/dev/null 2>"$tmp/err"
rc=$?
cmp -s "$tmp/ext.name" "$tmp/name.bin"
ok $((rc | $?)) "identity key name (qualifiedSigner) equals the name the TPM computes"

t tpm2_createprimary -C o -G ecc256:ecdsa-sha256:null \
	-a 'fixedtpm|fixedparent|sensitivedataorigin|userwithauth|restricted|sign' \
	-c "$tmp/ak.ctx" >/dev/null 2>"$tmp/err" &&
	t tpm2_quote -c "$tmp/ak.ctx" -l "$qsel" -q "$nonce" -m "$tmp/tpm.attest" \
		-s "$tmp/tpm.sig" -o "$tmp/tpm.quote.pcrs" -g sha256 >/dev/null 2>>"$tmp/err" ||
	bail "TPM quote: $(tail -1 "$tmp/err")"
a=$(hex "$tmp/attest.bin")
b=$(hex "$tmp/tpm.attest")
# magic, type, signer name size, then after the 34-byte name the extraData.
[ ${#a} -eq ${#b} ] && [ "${a:0:16}" = "${b:0:16}" ] && [ "${a:84:20}" = "${b:84:20}" ]
ok $? "quote has the TPM's length, magic, type, name size and extraData (${#a} hex digits)"
[ "${a: -88}" = "${b: -88}" ]
ok $? "quote has the TPM's TPML_PCR_SELECTION and pcrDigest (last 44 bytes)"
cmp -s "$tmp/pcrs.bin" "$tmp/tpm.quote.pcrs"
ok $? "µTPM pcrs.bin is byte-identical to tpm2_quote's PCR output file"
{
	# DER SubjectPublicKeyInfo prefix of an uncompressed P-256 point
	printf '\x30\x59\x30\x13\x06\x07\x2a\x86\x48\xce\x3d\x02\x01'
	printf '\x06\x08\x2a\x86\x48\xce\x3d\x03\x01\x07\x03\x42\x00'
	cat "$tmp/pub.raw"
} | openssl pkey -pubin -inform DER -out "$tmp/key.pem" 2>/dev/null
t tpm2_checkquote -u "$tmp/key.pem" -m "$tmp/attest.bin" -s "$tmp/sig.bin" \
	-f "$tmp/tpm.quote.pcrs" -g sha256 -q "$nonce" >/dev/null 2>&1
ok $? "tpm2_checkquote accepts the µTPM quote against the real TPM's PCR file"
