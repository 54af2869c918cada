#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# tvctl's attestation commands without the module.  The shipped (static)
# tvctl: its help, and every bad argument of quote and pubkey refused with
# one line and exit status 2 before anything is touched (nothing written
# in, nor created as, the --out directory); without /dev/trustvisor, one
# line naming it.  tvctl-fake, the same tvctl.c linked against a fake
# device that answers with the µTPM (selftests/userspace/fake_dev.h): the
# files of tvctl quote verified by tpm2_checkquote alone, with PCR values
# predicted here, pubkey's PEM against OpenSSL's, and failures of the
# device or of the files leaving nothing behind.  Prints TAP.
set -u
cd "$(dirname "$0")/../.." || exit 1
. selftests/tap.sh
O=$(realpath -m "${O:-build}")
tvctl=$O/userspace/tvctl
fake=$O/selftests/userspace/tvctl-fake
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "TAP version 13"

[ -x "$tvctl" ] || bail "no $tvctl (make check-unit builds it)"
[ -x "$fake" ] || bail "no $fake (make check-unit builds it)"
command -v tpm2_checkquote >/dev/null || bail "tpm2-tools missing (scripts/deps.sh)"
cd "$tmp" || bail "no temporary directory"
umask 022

# A minimal valid PAL image: header, one r-x section of one page, one byte.
python3 - <<'EOF' || bail "cannot write a PAL image"
import struct
hdr = b'TVPAL01\0' + struct.pack('<IIIIQQQQ', 1, 56, 1, 1, 0x10000000, 4096, 0, 0)
sec = struct.pack('<QQQII', 0x10000000, 4096, 1, 5, 0)
open('p.pal', 'wb').write(hdr + sec + b'\xf4')
EOF
printf 'bind me' >input
sha() { sha256sum "$1" | cut -c1-64; }
# PCR value after one extend of a zero PCR with digest $1 (hex).
extended() {
	python3 -c 'import hashlib, sys
print(hashlib.sha256(bytes(32) + bytes.fromhex(sys.argv[1])).hexdigest())' "$1"
}

# Runs a command: stdout in $out, stderr in $err, status in $rc.
run() {
	"$@" >"$tmp/stdout" 2>"$tmp/stderr"
	rc=$?
	out=$(cat "$tmp/stdout")
	err=$(cat "$tmp/stderr")
}
# The last run failed with status $1 and exactly one line on stderr that
# starts with $2 and contains $3, printing nothing on stdout.
one_line() {
	[ "$rc" -eq "$1" ] && [ -z "$out" ] && [ "$(wc -l <"$tmp/stderr")" -eq 1 ] &&
		[[ $err == "$2"* ]] && grep -qF -- "$3" <<<"$err"
}
diag() { printf '%s\n' "rc=$rc" "$err" | head -3 | sed 's/^/# /'; }

# --- help -------------------------------------------------------------------
commands="status cpu measure inspect run identity pubkey quote attest verify"
run "$tvctl" --help
missing=
for c in status 'cpu N' 'measure FILE' 'inspect PAL' \
	'run PAL [--cmd N] [--in FILE] [--out FILE]' identity 'pubkey [--out FILE]' \
	'quote PAL [--cmd N] [--in FILE] --nonce HEX [--pcrs LIST] --out DIR'; do
	grep -qF "  $c" <<<"$out" || missing="$missing '$c'"
done
ok "$([ $rc -eq 0 ] && [ -z "$missing" ]; echo $?)" \
	"tvctl --help lists every command with its arguments${missing:+ (missing:$missing)}"
for c in $commands; do
	run "$tvctl" "$c" --help
	help=$out
	# Every option of the synopsis has a line of its own saying what it does.
	undoc=
	for o in $(head -1 <<<"$help" | grep -o -- '--[a-z][a-z-]*' | sort -u) --help; do
		grep -qE -- "^  (-h, )?$o( |$)" <<<"$help" || undoc="$undoc $o"
	done
	run "$tvctl" help "$c"
	d="tvctl $c --help (= tvctl help $c): usage, every option, exit status"
	ok "$([ $rc -eq 0 ] && [ "$out" = "$help" ] && [[ $help == "usage: tvctl $c"* ]] &&
		grep -q '^Exit status' <<<"$help" && [ -z "$undoc" ]; echo $?)" \
		"$d${undoc:+ (undocumented:$undoc)}"
done

# --- bad arguments: one line, exit 2, nothing touched --------------------------
long=$(printf 'ab%.0s' $(seq 65))
bad() {
	local want=$1 what=$2
	shift 2
	mkdir -p dir && : >dir/keep
	rm -rf new
	run "$tvctl" "$@"
	local r1=$rc e1=$err o1=$out
	rm -f fake.log
	TV_FAKE_LOG=$tmp/fake.log run "$fake" "$@"
	if one_line 2 "tvctl: $1: " "$want" && [ "$e1" = "$err" ] && [ "$o1" = "$out" ] &&
		[ $r1 -eq 2 ] && [ "$(ls -A dir)" = keep ] && [ ! -e new ] && [ ! -e fake.log ]
	then
		ok 0 "$what: '$err'"
	else
		diag
		ok 1 "$what (wanted exit 2, one line with '$want', nothing written or asked)"
	fi
}
for d in dir new; do
	bad "not a hex digit" "quote --nonce zz (--out $d)" quote p.pal --nonce zz --out $d
done
bad "3 hex digits, not whole bytes" "quote: an odd number of nonce digits" \
	quote p.pal --nonce abc --out new
bad "65 bytes, more than the 64" "quote: a nonce of 65 bytes" quote p.pal --nonce "$long" --out dir
bad "--nonce is empty" "quote: an empty nonce" quote p.pal --nonce '' --out dir
bad "must include PCR 0" "quote --pcrs 1,2: no PCR 0" quote p.pal --nonce 00 --pcrs 1,2 --out dir
bad "no PCR 24 (0 to 23)" "quote --pcrs 0,24" quote p.pal --nonce 00 --pcrs 0,24 --out new
bad "not a list of PCR numbers" "quote --pcrs 0,,1" quote p.pal --nonce 00 --pcrs 0,,1 --out dir
bad "not a list of PCR numbers" "quote --pcrs 0,x" quote p.pal --nonce 00 --pcrs=0,x --out dir
bad "no --out DIR given" "quote without --out" quote p.pal --nonce 00
bad "no --nonce HEX given" "quote without --nonce" quote p.pal --out dir
bad "unknown option '--bogus'" "quote: an unknown option" quote p.pal --nonce 00 --out dir --bogus
bad "unknown option '-x'" "quote: an unknown short option" quote p.pal -x --nonce 00 --out dir
bad "--nonce needs an argument" "quote: --nonce without its value" quote p.pal --out dir --nonce
bad "--nonce given twice" "quote: --nonce twice" quote p.pal --nonce 00 --nonce 01 --out dir
bad "--in needs --cmd" "quote: --in without --cmd" quote p.pal --in input --nonce 00 --out dir
bad "--cmd 'x' is not a 32-bit number" "quote --cmd x" quote p.pal --cmd x --nonce 00 --out dir
bad "no PAL image named" "quote without a PAL" quote --nonce 00 --out dir
bad "unexpected argument 'q.pal'" "quote: two PALs" quote p.pal q.pal --nonce 00 --out dir
bad "unknown option '--bogus'" "pubkey: an unknown option" pubkey --bogus
bad "unexpected argument 'key.pem'" "pubkey: an argument" pubkey key.pem
bad "--out needs an argument" "pubkey --out without its value" pubkey --out
bad "unexpected argument 'x'" "identity: an argument" identity x

: >notdir
run "$tvctl" quote p.pal --nonce 00 --out notdir
ok "$(one_line 1 "tvctl: quote: " "--out notdir: not a directory"; echo $?)" \
	"quote --out naming a file: one line, exit 1"

# --- no device -------------------------------------------------------------------
if [ -e /dev/trustvisor ]; then
	for c in quote pubkey identity; do
		echo "ok $((n += 1)) tvctl $c without the device # SKIP /dev/trustvisor exists here"
	done
else
	rm -rf new
	run "$tvctl" quote p.pal --nonce 00 --out new
	ok "$(one_line 1 "tvctl: quote: " "(no /dev/trustvisor: is trustvisor.ko loaded?)" &&
		[ ! -e new ]; echo $?)" "tvctl quote without the device: one line, no directory"
	run "$tvctl" pubkey --out key.pem
	ok "$(one_line 1 "tvctl: pubkey: " "is trustvisor.ko loaded?" && [ ! -e key.pem ]
		echo $?)" "tvctl pubkey without the device: one line, no file"
	run "$tvctl" identity
	ok "$(one_line 1 "tvctl: identity: " "is trustvisor.ko loaded?"; echo $?)" \
		"tvctl identity without the device: one line"
fi

# --- against the fake device ---------------------------------------------------
nonce=$(od -An -tx1 -N 20 /dev/urandom | tr -d ' \n')
pcr0=$(extended "$(sha p.pal)")
checkquote() {
	local d=$1
	shift
	timeout 10 tpm2_checkquote -u "$d/ak.pem" -m "$d/attest.bin" -s "$d/sig.bin" \
		-f "$d/pcrs.bin" -g sha256 "$@" >"$tmp/cq" 2>&1
}
# The value tpm2_checkquote shows for PCR $1, lower case.
cq_pcr() { sed -n "s/^ *$1 *: 0x\([0-9A-F]*\)$/\1/p" "$tmp/cq" | tr 'A-F' 'a-f'; }

rm -rf q1
run "$fake" quote p.pal --nonce "$nonce" --out q1
ok "$([ $rc -eq 0 ] && [ "$(ls -A q1 | tr '\n' ' ')" = "ak.pem attest.bin pcrs.bin sig.bin " ]
	echo $?)" "quote --out q1 (new): q1 made, with attest.bin, sig.bin, pcrs.bin, ak.pem"
checkquote q1 -q "$nonce"
ok "$([ $? -eq 0 ] && [ "$(cq_pcr 0)" = "$pcr0" ] && [ -z "$(cq_pcr 1)" ]; echo $?)" \
	"tpm2_checkquote -u ak.pem -m -s -f -q accepts it; PCR 0 = SHA256(0^32 || SHA256(PAL))"
line="check   tpm2_checkquote -u q1/ak.pem -m q1/attest.bin -s q1/sig.bin -f q1/pcrs.bin"
ok "$(grep -q "^pcr 0  $pcr0$" <<<"$out" && grep -qxF "$line -g sha256 -q $nonce" <<<"$out"
	echo $?)" "quote prints PCR 0 and the tpm2_checkquote line"
other=$(od -An -tx1 -N 20 /dev/urandom | tr -d ' \n')
! checkquote q1 -q "$other" && grep -q "Error validating nonce" "$tmp/cq"
ok $? "tpm2_checkquote rejects it with another nonce"

run "$fake" quote p.pal --cmd 7 --in input --nonce "$nonce" --pcrs 2,0,1 --out q1
checkquote q1 -q "$nonce"
ok "$([ $? -eq 0 ] && [ "$(cq_pcr 0)" = "$pcr0" ] &&
	[ "$(cq_pcr 1)" = "$(extended "$(sha input)")" ] &&
	[ "$(cq_pcr 2)" = "$(printf '0%.0s' $(seq 64))" ]; echo $?)" \
	"--cmd 7 --in FILE --pcrs 2,0,1 into the same DIR: verified; PCR 1 holds the input's digest"
ok "$([ $rc -eq 0 ] && grep -qx 'status 8' <<<"$out" && grep -qx 'output 32 bytes' <<<"$out" &&
	[ "$(od -An -tx1 q1/output.bin | tr -d ' \n')" = "$(sha input)" ] &&
	[ -z "$(find q1 -name '.*')" ]; echo $?)" \
	"the call's status printed, its output in DIR/output.bin, no temporary file left"
nonce64=$(od -An -tx1 -N 64 /dev/urandom | tr -d ' \n')
run "$fake" quote p.pal --nonce "$nonce64" --pcrs=0,23 --out=q2
checkquote q2 -q "$nonce64"
ok "$([ $rc -eq 0 ] && [ "$(cq_pcr 0)" = "$pcr0" ] && [ -n "$(cq_pcr 23)" ]; echo $?)" \
	"a 64-byte nonce, PCRs 0 and 23, --opt=VALUE: verified"

# pubkey: the PEM of the point identity shows, as OpenSSL makes it.
run "$fake" pubkey
pem=$out
run "$fake" identity
point=$(sed -n 's/^public key *//p' <<<"$out")
{
	printf '3059301306072a8648ce3d020106082a8648ce3d030107034200%s' "$point" |
		python3 -c 'import sys; sys.stdout.buffer.write(bytes.fromhex(sys.stdin.read()))'
} | openssl pkey -pubin -inform DER -out ref.pem 2>/dev/null
ok "$([ -n "$point" ] && [ "$pem" = "$(cat ref.pem)" ] && [ "$pem" = "$(cat q1/ak.pem)" ]
	echo $?)" "pubkey: the identity key's PEM, as OpenSSL writes it, and quote's ak.pem"
ok "$([ $rc -eq 0 ] && grep -q '^launch  *kernel (1): loaded by the running kernel' <<<"$out" &&
	grep -q '^trust  *informational' <<<"$out" &&
	grep -q '^key lifetime  *this load only' <<<"$out"; echo $?)" \
	"identity: the launch kind, 'informational', the key's lifetime"
run "$fake" pubkey --out key.pem
ok "$([ $rc -eq 0 ] && [ -z "$out" ] && [ "$(cat key.pem)" = "$pem" ] &&
	[ "$(stat -c %a key.pem)" = 644 ]; echo $?)" "pubkey --out FILE: the same PEM, mode 644"

# Failures after the arguments: one line, and the old set or nothing.
fails() {
	local env=$1 want=$2 what=$3
	shift 3
	rm -rf new
	env $env "$fake" quote p.pal --nonce "$nonce" "$@" --out new >"$tmp/stdout" 2>"$tmp/stderr"
	rc=$?
	out=$(cat "$tmp/stdout")
	err=$(cat "$tmp/stderr")
	if one_line 1 "tvctl: quote: " "$want" && [ ! -e new ]; then
		ok 0 "$what: '$err', no directory"
	else
		diag
		ok 1 "$what (wanted exit 1, one line with '$want', no directory)"
	fi
}
fails TV_FAKE_FAIL=PAL_QUOTE:16 "PAL_QUOTE: Device or resource busy" "the quote fails"
fails TV_FAKE_FAIL=IDENTITY:25 "does not know the request" "a module without IDENTITY"
fails TV_FAKE_FAIL=PAL_LOAD:12 "load p.pal: Cannot allocate memory" "the load fails"
fails TV_FAKE_ABSENT=1 "is trustvisor.ko loaded?" "no device"
fails TV_FAKE_X=1 "#PF (page fault) (vector 14) at RIP 0x10000042" "the PAL faults" --cmd 0xfa17

before=$(cat q1/attest.bin q1/sig.bin q1/pcrs.bin q1/ak.pem | sha256sum)
run env TV_FAKE_FAIL=PAL_QUOTE:5 "$fake" quote p.pal --nonce "$nonce" --out q1
ok "$(one_line 1 "tvctl: quote: " "Input/output error" &&
	[ "$(cat q1/attest.bin q1/sig.bin q1/pcrs.bin q1/ak.pem | sha256sum)" = "$before" ]
	echo $?)" "a failed quote into a DIR with an earlier quote leaves that one as it was"
rm -rf q3
mkdir -p q3/sig.bin/x
run "$fake" quote p.pal --nonce "$nonce" --out q3
ok "$(one_line 1 "tvctl: quote: " "q3/sig.bin: Is a directory" &&
	[ "$(ls -A q3)" = sig.bin ]; echo $?)" \
	"a file that cannot be renamed into place: one line, none of the set left, no temporary"

echo "1..$n"
