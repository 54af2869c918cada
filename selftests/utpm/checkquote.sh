#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# µTPM quotes checked by stock verifiers: tpm2_checkquote (tpm2-tools 5.4)
# and openssl dgst.  Each accepts the quote as produced and rejects it after
# one change to the attest message, signature, PCR file or nonce; a
# rejection only counts with the error message that names that change.
# Prints TAP.
set -u
cd "$(dirname "$0")/../.."
tool=${O:-build}/selftests/utpm/utpm_tool
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "TAP version 13"
echo "1..14"
. "$(dirname "$0")/../tap.sh"
sha() { printf '%s' "$1" | sha256sum | cut -c1-64; }
# Flips the low bit of the byte at offset $2 of file $1.
flip() {
	local b
	b=$(od -An -tu1 -j "$2" -N 1 "$1" | tr -d ' ')
	printf "\\$(printf '%03o' $((b ^ 1)))" |
		dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}
# checkquote must fail with message $1; the rest is its command line.
rejects() {
	local want=$1
	shift
	! timeout 10 tpm2_checkquote "$@" >"$tmp/out" 2>&1 && grep -q "$want" "$tmp/out"
}

[ -x "$tool" ] || bail "no $tool (run make check-unit)"
command -v tpm2_checkquote >/dev/null || bail "tpm2-tools missing (scripts/deps.sh)"

meas=$(sha "TrustVisor quote PAL")
nonce=$(od -An -tx1 -N 20 /dev/urandom | tr -d ' \n')
"$tool" quote "$tmp" "$meas" "$nonce" 000c07 "1:$(sha one)" "10:$(sha ten)" \
	"2:$(sha two)" || bail "utpm_tool quote failed"
{
	# DER SubjectPublicKeyInfo prefix of an uncompressed P-256 point
	printf '\x30\x59\x30\x13\x06\x07\x2a\x86\x48\xce\x3d\x02\x01'
	printf '\x06\x08\x2a\x86\x48\xce\x3d\x03\x01\x07\x03\x42\x00'
	cat "$tmp/pub.raw"
} | openssl pkey -pubin -inform DER -out "$tmp/key.pem" 2>/dev/null ||
	bail "openssl cannot build a PEM key from the µTPM public key"
cd "$tmp"

timeout 10 tpm2_checkquote -u key.pem -m attest.bin -s sig.bin -f pcrs.bin -g sha256 \
	-q "$nonce" >out 2>&1
ok $? "tpm2_checkquote -u key.pem -f pcrs.bin (serialized) -q nonce accepts"
timeout 10 tpm2_checkquote -u key.pem -m attest.bin -s sig.bin -f pcrs.raw \
	-l sha256:0,1,2,10,11 -g sha256 -q "$nonce" >out 2>&1
ok $? "tpm2_checkquote with -l and raw PCR values accepts"
timeout 10 tpm2_checkquote -u pub.tss -m attest.bin -s sig.bin -f pcrs.bin -g sha256 \
	-q "$nonce" >out 2>&1
ok $? "tpm2_checkquote with the key as TPM2B_PUBLIC accepts"
openssl dgst -sha256 -verify key.pem -signature sig.der attest.bin >out 2>&1
ok $? "openssl dgst -sha256 -verify accepts"

sigmsg="Error validating signed message"
cp attest.bin attest.bad
flip attest.bad 55	# clockInfo.clock
rejects "$sigmsg" -u key.pem -m attest.bad -s sig.bin -f pcrs.bin -g sha256 -q "$nonce"
ok $? "tpm2_checkquote rejects a changed attest message"
! openssl dgst -sha256 -verify key.pem -signature sig.der attest.bad >out 2>&1 &&
	grep -q "Verification failure" out
ok $? "openssl rejects a changed attest message"
cp attest.bin attest.bad
flip attest.bad $(($(stat -c %s attest.bin) - 1))	# last byte of pcrDigest
rejects "$sigmsg" -u key.pem -m attest.bad -s sig.bin -f pcrs.bin -g sha256 -q "$nonce"
ok $? "tpm2_checkquote rejects a changed pcrDigest in the attest"

cp sig.bin sig.bad
flip sig.bad 60		# inside s
rejects "$sigmsg" -u key.pem -m attest.bin -s sig.bad -f pcrs.bin -g sha256 -q "$nonce"
ok $? "tpm2_checkquote rejects a changed signature"
cp sig.bin sig.bad
flip sig.bad 10		# inside r
rejects "$sigmsg" -u key.pem -m attest.bin -s sig.bad -f pcrs.bin -g sha256 -q "$nonce"
ok $? "tpm2_checkquote rejects a changed signature r"
cp sig.der sig.bad
flip sig.bad $(($(stat -c %s sig.der) - 1))
! openssl dgst -sha256 -verify key.pem -signature sig.bad attest.bin >out 2>&1 &&
	grep -q "Verification failure" out
ok $? "openssl rejects a changed signature"

pcrmsg="Error validating PCR composite"
cp pcrs.bin pcrs.bad
flip pcrs.bad 150	# first PCR value (132 + 4 + 4 + 2 = 142 onwards)
rejects "$pcrmsg" -u key.pem -m attest.bin -s sig.bin -f pcrs.bad -g sha256 -q "$nonce"
ok $? "tpm2_checkquote rejects a changed PCR value in pcrs.bin"
cp pcrs.raw pcrs.bad
flip pcrs.bad 100	# PCR 10 (fourth value)
rejects "$pcrmsg" -u key.pem -m attest.bin -s sig.bin -f pcrs.bad -l sha256:0,1,2,10,11 \
	-g sha256 -q "$nonce"
ok $? "tpm2_checkquote -l rejects a changed raw PCR value"

noncemsg="Error validating nonce"
rejects "$noncemsg" -u key.pem -m attest.bin -s sig.bin -f pcrs.bin -g sha256 \
	-q "${nonce:0:38}$(printf '%02x' $(((16#${nonce:38:2}) ^ 1)))"
ok $? "tpm2_checkquote rejects another nonce"
rejects "$noncemsg" -u key.pem -m attest.bin -s sig.bin -f pcrs.bin -g sha256 \
	-q "${nonce:0:38}"
ok $? "tpm2_checkquote rejects a truncated nonce"
