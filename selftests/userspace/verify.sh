#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# tvctl verify on real evidence made on the host without the module: a
# swtpm with an ECC AK persistent at 0x81010002 (a second AK, one the
# verifier does not trust, and RSA-2048 and P-384 AKs), the evidence PCR 13
# extended with the events (monitor, secret, identity, launch) and their
# log by selftests/kmod/evlog_tool, as the module writes it, a tpm2_quote,
# and a µTPM quote by selftests/utpm/utpm_tool whose key is the log's
# identity key.  The honest evidence verifies; each forgery or mismatch is
# rejected, and only with the reason that names it.  Then tvctl attest's argument
# checks, which need no device.  Each case power-cycles the swtpm, so PCR
# 13 starts at zero as after a reboot.  Prints TAP.
set -u
cd "$(dirname "$0")/../.." || exit 1
. selftests/tap.sh
. scripts/swtpm-host.sh
O=$(realpath -m "${O:-build}")
tvctl=$O/userspace/tvctl
evlog=$O/selftests/kmod/evlog_tool
utpm=$O/selftests/utpm/utpm_tool
tmp=$(mktemp -d)
spid=
cleanup() {
	swtpm_host_stop
	rm -rf "$tmp"
}
trap cleanup EXIT
echo "TAP version 13"

for f in "$tvctl" "$O/userspace/tvctl-tpm" "$evlog" "$utpm"; do
	[ -x "$f" ] || bail "no $f (make check-unit builds it)"
done
for t in swtpm swtpm_ioctl tpm2_createak tpm2_quote tpm2_readclock python3; do
	command -v "$t" >/dev/null || bail "$t missing (scripts/deps.sh)"
done
echo "1..77"

# Each TPM command bounded: a TPM that stops answering must not hang check-unit.
t() { timeout 20 "$@" >>"$tmp/tools.log" 2>&1 || bail "$1 failed: $(tail -n 2 "$tmp/tools.log")"; }
mkdir "$tmp/state"
swtpm_host_start "$tmp/state" "$tmp/swtpm.log" ||
	bail "swtpm did not start ($(tail -n 1 "$tmp/swtpm.log"))"
ctrl=127.0.0.1:$((port + 1))

# No resource manager: transient objects are flushed after each step.
cd "$tmp" || bail "no temporary directory"
t tpm2_createek -G ecc -c ek.ctx
# The AKs: 1 (trusted) and 2 (not) ECC P-256, 3 RSA-2048 RSASSA, 4 ECC P-384
# (SHA-384, which is also its name's algorithm), 5 RSA-2048 RSAPSS; AK k
# persistent at 0x8101000(k+1).  akspec[k] is its tpm2_createak -G -g -s.
akspec=(- "ecc sha256 ecdsa" "ecc sha256 ecdsa" "rsa2048 sha256 rsassa" "ecc384 sha384 ecdsa"
	"rsa2048 sha256 rsapss")
for k in 1 2 3 4 5; do
	read -r G g s <<<"${akspec[k]}"
	t tpm2_createak -C ek.ctx -c ak$k.ctx -G "$G" -g "$g" -s "$s"
	t tpm2_flushcontext -t
	t tpm2_evictcontrol -C o -c ak$k.ctx 0x8101000$((k + 1))
	t tpm2_flushcontext -t
	t tpm2_readpublic -c 0x8101000$((k + 1)) -f pem -o ak$k.pem
	t tpm2_readpublic -c 0x8101000$((k + 1)) -o ak$k.pub -q ak$k.qname -n ak$k.name
	rm -f ak$k.ctx
done
t tpm2_flushcontext -t
t tpm2_dictionarylockout -s -n 1000 -t 1 -l 1

hexof() { od -An -tx1 -v "$1" | tr -d ' \n'; }
le32() { printf '%02x%02x%02x%02x' $(($1 & 255)) $(($1 >> 8 & 255)) $(($1 >> 16 & 255)) \
	$(($1 >> 24 & 255)); }
# The digest the module extends for tagged event ID:PAYLOAD (SHA-256 of ID, size, payload).
evdigest() {
	python3 -c 'import hashlib, struct, sys
i, _, p = sys.argv[1].partition(":")
p = bytes.fromhex(p)
print(hashlib.sha256(struct.pack("<II", int(i, 16), len(p)) + p).hexdigest())' "$1"
}
sha() { printf '%s' "$1" | sha256sum | cut -c1-64; }

monitor=$(sha "TrustVisor monitor image")
pal=$(sha "TrustVisor attested PAL")
nonce=$(od -An -tx1 -N 20 /dev/urandom | tr -d ' \n')
other_nonce=$(od -An -tx1 -N 20 /dev/urandom | tr -d ' \n')
# The µTPM quotes: the PAL's over the nonce, and over another nonce.
mkdir pq pq-other
t "$utpm" quote pq "$pal" "$nonce" ffffff "1:$(sha output)"
t "$utpm" quote pq-other "$pal" "$other_nonce" ffffff

# make_case DIR LOG-EVENTS -- PCR-EVENTS: the swtpm power-cycled (PCRs reset,
# resetCount up), PCR 13 extended with PCR-EVENTS, DIR's log of LOG-EVENTS
# and its quote by AK ($ak, default 1).  An event is a name below, its
# payload made once the boot's counts are known.
event() {
	case $1 in
	monitor) echo "54560001:$monitor" ;;
	monitor-other) echo "54560001:$(sha other)" ;;
	# Which master secret: kind $kind (default 2, created), reason $why (default 0).
	secret) echo "54560005:$(le32 "${kind:-2}")$(le32 "${why:-0}")" ;;
	secret-short) echo "54560005:$(le32 2)" ;;
	secret-long) echo "54560005:$(le32 2)$(le32 0)$(le32 0)" ;;
	identity) echo "54560002:$(hexof pq/pub.tss)" ;;
	identity-ak2) echo "54560002:$(hexof ak2.pub)" ;;
	launch) echo "54560003:0100000002000000$(le32 0)$(le32 "$reset")$(le32 "$restart")" ;;
	launch-second) echo "54560003:0000000002000000$(le32 0)$(le32 "$reset")$(le32 "$restart")" ;;
	launch-reset) echo "54560003:0100000002000000$(le32 0)$(le32 $((reset - 1)))$(le32 "$restart")" ;;
	launch-restart) echo "54560003:0100000002000000$(le32 0)$(le32 "$reset")$(le32 $((restart + 1)))" ;;
	left) echo 54560004 ;;
	unknown) echo 54560009:00 ;;
	esac
}
make_case() {
	local dir=$1 logev=() e
	shift
	while [ "$1" != -- ]; do logev+=("$1"); shift; done
	shift
	mkdir "$dir"
	# An orderly shutdown first: an unorderly one counts against the AK's
	# dictionary-attack protection, and a few lock it out.
	t tpm2_shutdown -c
	t swtpm_ioctl --tcp "$ctrl" -i
	t tpm2_startup -c
	read -r reset restart < <(tpm2_readclock | awk '/reset_count/ { r = $2 }
		/restart_count/ { s = $2 } END { print r, s }')
	for e in "$@"; do
		t tpm2_pcrextend "13:sha256=$(evdigest "$(event "$e")")"
	done
	t "$evlog" log "$dir/eventlog.bin" 13 sha256 $(for e in "${logev[@]}"; do event "$e"; done)
	read -r _ g sch <<<"${akspec[${ak:-1}]}"
	t tpm2_quote -c 0x8101000$((${ak:-1} + 1)) -l sha256:0,1,2,3,4,5,6,7,13 -q "$nonce" \
		-g "$g" --scheme "$sch" -m "$dir/tpm-attest.bin" -s "$dir/tpm-sig.bin" -o "$dir/tpm-pcrs.bin"
	t tpm2_flushcontext -t
	cp "ak${ak:-1}.pub" "$dir/ak.pub"
	cp "ak${ak:-1}.qname" "$dir/ak.qname"
	cp pq/pub.tss "$dir/identity.pub"
	cp pq/attest.bin "$dir/pal-attest.bin"
	cp pq/sig.bin "$dir/pal-sig.bin"
	cp pq/pcrs.bin "$dir/pal-pcrs.bin"
}
run() {
	"$@" >stdout 2>stderr
	rc=$?
	out=$(cat stdout)
	err=$(cat stderr)
}
# verify DIR [--OPTION VALUE...]: tvctl verify with the honest arguments but those.
verify() {
	local dir=$1 n=$nonce k=ak1.pem m=$monitor p=$pal
	shift
	while [ $# -gt 0 ]; do
		case $1 in
		--nonce) n=$2 ;;
		--ak) k=$2 ;;
		--monitor) m=$2 ;;
		--pal) p=$2 ;;
		esac
		shift 2
	done
	run "$tvctl" verify "$dir" --nonce "$n" --ak "$k" --monitor "$m" --pal "$p"
}
verify_args() { run "$tvctl" verify "$@"; }
# The last verify: exit status $1, one line on stdout starting with $2 and
# containing $3, nothing on stderr.
verdict() {
	[ "$rc" -eq "$1" ] && [ -z "$err" ] && [ "$(wc -l <stdout)" -eq 1 ] &&
		[[ $out == "$2"* ]] && grep -qF -- "$3" <<<"$out"
}
rejected() {
	verdict 1 "rejected: " "$2"
	local r=$?
	ok $r "$1"
	[ $r -eq 0 ] || printf '# rc=%s out=%s err=%s\n' "$rc" "$out" "$err"
}

full="monitor secret identity launch"
make_case good $full -- $full
run "$tvctl" verify good --nonce "$nonce" --ak ak1.pem --monitor "$monitor" --pal "$pal"
verdict 0 "verified: " "first launch" &&
	grep -qF "master secret created at this launch and kept in the TPM," <<<"$out"
ok $? "honest evidence: verified, a master secret created at this launch"
[ $? -eq 0 ] || printf '# rc=%s out=%s err=%s\n' "$rc" "$out" "$err"
grep -qF "$monitor" <<<"$out" && grep -qF "PAL $pal" <<<"$out" && grep -qF "PCR 13" <<<"$out"
ok $? "the verdict names the monitor, the PAL and the evidence PCR"
run "$tvctl" verify good --nonce "$nonce" --ak ak1.pem --monitor "$monitor"
verdict 0 "verified: " "no --pal"
ok $? "without --pal: verified, saying which PAL was not checked"

# The verifier's records of the boot chain and of an enrolled identity key.
t tpm2_pcrread sha256:0,1,2,3,4,5,6,7 -o bootpcrs.bin
{ printf '3059301306072a8648ce3d020106082a8648ce3d030107034200'; hexof pq/pub.raw; } |
	xxd -r -p | openssl pkey -pubin -inform DER -out id.pem 2>/dev/null
run "$tvctl" verify good --nonce "$nonce" --ak ak1.pem --monitor "$monitor" --pal "$pal" \
	--boot-pcrs bootpcrs.bin --identity id.pem
verdict 0 "verified: " "PCRs 0-7 are the boot chain's of --boot-pcrs"
ok $? "--boot-pcrs of the quoted boot chain and --identity of the log's key: verified"
{ head -c 128 bootpcrs.bin; printf '\001'; tail -c +130 bootpcrs.bin; } >bootpcrs-4.bin
run "$tvctl" verify good --nonce "$nonce" --ak ak1.pem --monitor "$monitor" --boot-pcrs bootpcrs-4.bin
rejected "--boot-pcrs of another boot chain (PCR 4): rejected" "PCR 4 is"
head -c 255 bootpcrs.bin >bootpcrs-short.bin
run "$tvctl" verify good --nonce "$nonce" --ak ak1.pem --monitor "$monitor" --boot-pcrs bootpcrs-short.bin
rejected "--boot-pcrs of 255 bytes: rejected" "255 bytes, not the 256"
run "$tvctl" verify good --nonce "$nonce" --ak ak1.pem --monitor "$monitor" --identity ak1.pem
rejected "--identity of another key: rejected" "is not --identity"
run "$tvctl" verify good --nonce "$nonce" --ak ak1.pem --monitor "$monitor" --identity bootpcrs.bin
rejected "--identity that is no PEM key: rejected" "not a PEM public key"

verify good --nonce "$other_nonce"
rejected "another nonce: rejected" "the TPM quote is over another nonce"
verify good --monitor "$(sha other)"
rejected "another --monitor: rejected" "not --monitor"
verify good --pal "$(sha other)"
rejected "another --pal: rejected" "PCR 0 is not that of --pal"
verify good --ak ak2.pem
rejected "an AK the verifier does not trust (--ak of another key): rejected" \
	"ak.pub is not the key of --ak"
ak=2 make_case by-ak2 $full -- $full
verify by-ak2
rejected "evidence quoted by an untrusted AK, its ak.pub included: rejected" \
	"ak.pub is not the key of --ak"
cp -a good ak-swapped && cp ak2.pub ak-swapped/ak.pub
verify ak-swapped
rejected "ak.pub replaced by another key's: rejected" "ak.pub is not the key of --ak"
verify ak-swapped --ak ak2.pem
rejected "ak.pub and --ak of another key than the signer's: the signature fails" \
	"the TPM quote: its signature does not verify"
cp -a good qname && cp ak2.qname qname/ak.qname
verify qname
rejected "ak.qname of another key: rejected" "its qualifiedSigner is not the AK"
cp -a good sig && cp by-ak2/tpm-sig.bin sig/
verify sig
rejected "another TPM signature: rejected" "its signature does not verify with the AK"
cp -a good pcrs && cp by-ak2/tpm-pcrs.bin pcrs/
cmp -s good/tpm-pcrs.bin pcrs/tpm-pcrs.bin && bail "two boots with the same PCR 13"
verify pcrs
rejected "PCR values of another quote: rejected" "do not hash to its pcrDigest"

# RSA and P-384 AKs: their quotes verify with their PEMs, and not with
# another's, nor when one byte of what they signed is changed.
akname=(- "ECC P-256" - "RSA-2048 RSASSA" "ECC P-384" "RSA-2048 RSAPSS")
for k in 3 4 5; do
	ak=$k make_case by-ak$k $full -- $full
	verify by-ak$k --ak ak$k.pem
	verdict 0 "verified: " "the AK $(hexof ak$k.name) quoted PCR 13"
	ok $? "a quote by the ${akname[k]} AK: verified with its PEM"
	[ $? -eq 0 ] || printf '# rc=%s out=%s err=%s\n' "$rc" "$out" "$err"
	cp -a by-ak$k flip-ak$k
	last=$(($(stat -c %s flip-ak$k/tpm-attest.bin) - 1))
	printf '\x55' | dd of=flip-ak$k/tpm-attest.bin bs=1 seek=$last conv=notrunc status=none
	cmp -s by-ak$k/tpm-attest.bin flip-ak$k/tpm-attest.bin && bail "the attest byte was 0x55"
	verify flip-ak$k --ak ak$k.pem
	rejected "the ${akname[k]} AK's quote with a byte of its attest changed" \
		"the TPM quote: its signature does not verify with the AK"
done
verify by-ak3 --ak ak4.pem
rejected "the RSA AK's quote under the P-384 AK's PEM" "ak.pub is not the key of --ak"
verify by-ak4 --ak ak3.pem
rejected "the P-384 AK's quote under the RSA AK's PEM" "ak.pub is not the key of --ak"
# The other key's ak.pub and ak.qname too, so that only the signature can tell.
for pair in 3:4 4:3 5:3 3:1; do
	k=${pair%:*} o=${pair#*:}
	cp -a by-ak$k as-ak$o-$k && cp ak$o.pub as-ak$o-$k/ak.pub && cp ak$o.qname as-ak$o-$k/ak.qname
	verify as-ak$o-$k --ak ak$o.pem
	rejected "the ${akname[k]} AK's quote presented as the ${akname[o]} AK's" \
		"the TPM quote: its signature does not verify with the AK"
done
make_case changed monitor-other secret identity launch -- $full
verify changed
rejected "a changed event (digests consistent): the log does not replay" "does not replay"
cp -a good flipped
# One bank: the header is 65 bytes, then 12 + 2 + 32 + 4 before event 1's data,
# whose measurement follows its ID and size.
printf '\x55' | dd of=flipped/eventlog.bin bs=1 seek=$((65 + 50 + 8)) conv=notrunc status=none
verify flipped
rejected "a changed event (digest kept): rejected" "event 1 of the log: its SHA256 digest"
make_case dropped monitor secret launch -- $full
verify dropped
rejected "an event dropped from the log: rejected" "does not replay"
make_case added $full unknown -- $full
verify added
rejected "an event added to the log only: rejected" "does not replay"
make_case unknown $full unknown -- $full unknown
verify unknown
rejected "an unknown event in the PCR and the log: rejected" "an unknown one (0x54560009)"
make_case reordered identity monitor secret launch -- identity monitor secret launch
verify reordered
rejected "the events out of order: rejected" "event 1 of the log is identity where monitor"
make_case short monitor secret identity -- monitor secret identity
verify short
rejected "no launch event: rejected" "ends before the launch event"
# A later launch's secret is ephemeral (TV_SECRET_WHY_LATER), as the module logs it.
kind=4 why=1 make_case second monitor secret identity launch-second -- \
	monitor secret identity launch-second
verify second
rejected "a second launch in one boot (first_launch 0): rejected" "not the first launch"
# The secret event: each kind is named in the verdict, an ephemeral secret
# (still a fresh, genuine quote) verified with its reason in words; a secret
# event missing, out of place, of another size, of an unknown kind or
# reason, or with a reason it cannot have, rejected by name.
secret_verified() {	# secret_verified WORDS: kind $kind, reason $why
	local dir=secret-${kind}-${why:-0}
	make_case "$dir" $full -- $full
	verify "$dir"
	verdict 0 "verified: " "master secret $1, with identity key"
	ok $? "secret kind $kind reason ${why:-0}: verified, \"master secret $1\""
	[ $? -eq 0 ] || printf '# rc=%s out=%s err=%s\n' "$rc" "$out" "$err"
}
kind=1 secret_verified "kept in the TPM since an earlier launch"
kind=3 secret_verified "migrated from an earlier monitor version"
eph="ephemeral (nothing sealed outlives this monitor)"
kind=4 why=2 secret_verified "$eph: the kept secret is for another monitor or boot chain"
kind=4 why=3 secret_verified "$eph: asked for with the module option secret=ephemeral"
kind=4 why=4 secret_verified "$eph: the TPM refused or failed a command"
kind=4 why=5 secret_verified "$eph: the TPM's NV index for it is not one TrustVisor wrote"
secret_rejected() {	# secret_rejected DESCRIPTION REASON EVENTS...: in the PCR and the log
	local desc=$1 why_text=$2
	shift 2
	n_secret=$((${n_secret:-0} + 1))
	make_case "bad-secret-$n_secret" "$@" -- "$@"
	verify "bad-secret-$n_secret"
	rejected "$desc: rejected" "$why_text"
}
secret_rejected "no secret event" "event 2 of the log is identity where secret belongs" \
	monitor identity launch
secret_rejected "the secret event before the monitor event" \
	"event 1 of the log is secret where monitor belongs" secret monitor identity launch
secret_rejected "the secret event after the identity event" \
	"event 2 of the log is identity where secret belongs" monitor identity secret launch
secret_rejected "a second secret event after the launch" \
	"event 5 of the log, secret, comes after the launch" $full secret
secret_rejected "a secret event of 4 bytes" "the secret event's payload is 4 bytes" \
	monitor secret-short identity launch
secret_rejected "a secret event of 12 bytes" "the secret event's payload is 12 bytes" \
	monitor secret-long identity launch
kind=0 secret_rejected "a secret of kind 0" "the secret event's kind is an unknown one (0)" $full
kind=5 secret_rejected "a secret of kind 5, past the last" \
	"the secret event's kind is an unknown one (5)" $full
kind=4 why=0 secret_rejected "an ephemeral secret without a reason" \
	"ephemeral for an unknown reason (0)" $full
kind=4 why=6 secret_rejected "an ephemeral secret for reason 6, past the last" \
	"ephemeral for an unknown reason (6)" $full
kind=1 why=3 secret_rejected "a kept secret with a reason" \
	"gives a reason (3) for a secret that is not ephemeral" $full
kind=4 why=1 secret_rejected "\"not the first launch\" in the secret event of a first launch" \
	"the secret event says this is not the first launch" $full

make_case left-pcr $full -- $full left
verify left-pcr
rejected "after rmmod, \"left\" in the PCR only: rejected" "does not replay"
make_case left-both $full left -- $full left
verify left-both
rejected "after rmmod, \"left\" in the PCR and the log: rejected" "is \"left\""
make_case reset monitor secret identity launch-reset -- monitor secret identity launch-reset
verify reset
rejected "a resetCount that is not the quote's: rejected" "resetCount/restartCount"
make_case restart monitor secret identity launch-restart -- monitor secret identity launch-restart
verify restart
rejected "a restartCount that is not the quote's: rejected" "resetCount/restartCount"
make_case other-id monitor secret identity-ak2 launch -- monitor secret identity-ak2 launch
cp ak2.pub other-id/identity.pub
verify other-id
rejected "a PAL quote by another key than the log's identity key: rejected" \
	"the PAL quote: its signature does not verify with the identity key in the log"
cp -a good pal-nonce && cp pq-other/attest.bin pal-nonce/pal-attest.bin &&
	cp pq-other/sig.bin pal-nonce/pal-sig.bin && cp pq-other/pcrs.bin pal-nonce/pal-pcrs.bin
verify pal-nonce
rejected "a PAL quote over another nonce: rejected" "the PAL quote is over another nonce"
cp -a good idfile && cp ak2.pub idfile/identity.pub
verify idfile
rejected "identity.pub not the log's identity key: rejected" "identity.pub is not the identity"
cp -a good trailing && printf 'x' >>trailing/eventlog.bin
verify trailing
rejected "trailing bytes after the log: rejected" "trailing bytes"
cp -a good missing && rm missing/pal-sig.bin
verify missing
rejected "a file missing from DIR: rejected, naming it" "pal-sig.bin"

# Bad usage: exit status 2, one line on stderr, no verdict.
usage() {
	[ "$rc" -eq 2 ] && [ -z "$out" ] && [ "$(wc -l <stderr)" -eq 1 ] &&
		[[ $err == "tvctl: $1: "* ]] && grep -qF -- "$2" <<<"$err"
}
verify_args good --ak ak1.pem --monitor "$monitor"
usage verify "no --nonce"
ok $? "verify without --nonce: bad usage"
verify_args good --nonce "$nonce" --monitor "$monitor"
usage verify "no --ak PEM"
ok $? "verify without --ak: bad usage"
verify_args good --nonce "$nonce" --ak ak1.pem --monitor 1234
usage verify "--monitor: 4 hex digits"
ok $? "verify with a short --monitor: bad usage"
verify_args --nonce "$nonce" --ak ak1.pem --monitor "$monitor"
usage verify "no DIR"
ok $? "verify without DIR: bad usage"

# tvctl attest: every bad argument refused before anything is touched.
printf 'not a PAL' >p.pal
attest() { run "$tvctl" attest "$@"; }
attest --ak-handle 0x81010002 --pal p.pal --out A
usage attest "no --nonce"
ok $? "attest without --nonce: bad usage"
attest --nonce 00zz --ak-handle 0x81010002 --pal p.pal --out A
usage attest "not a hex digit"
ok $? "attest with a nonce that is not hex: bad usage"
attest --nonce 0011 --ak-handle 0x80000001 --pal p.pal --out A
usage attest "not a persistent TPM handle"
ok $? "attest with a transient handle: bad usage"
attest --nonce 0011 --ak-handle 0x81010002 --out A
usage attest "no --pal"
ok $? "attest without --pal: bad usage"
attest --nonce 0011 --ak-handle 0x81010002 --pal p.pal --in p.pal --out A
usage attest "--in needs --cmd"
ok $? "attest with --in but no --cmd: bad usage"
attest --nonce 0011 --ak-handle 0x81010002 --pal p.pal --pcrs 0 --out A
usage attest "unknown option '--pcrs'"
ok $? "attest with an unknown option: bad usage"
attest --nonce 0011 --ak-handle 0x81010002 --pal p.pal
usage attest "no --out"
ok $? "attest without --out: bad usage"
[ ! -e A ]
ok $? "no bad usage created --out"
