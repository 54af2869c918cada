#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The manual pages (docs/man/): each renders with groff and man without a
# single warning; each covers what it documents, taken from the source of
# truth rather than a list kept here (tvctl's commands and options from
# tvctl itself, tvpal-cc's options from tvpal-cc, libtrustvisor's functions
# from its version script, the PAL services from <trustvisor/pal.h> and
# <trustvisor/pal_crypto.h>); libtrustvisor(3)'s example compiles; make
# install puts the pages where man finds them and make uninstall removes
# them.  Prints TAP.
set -u
cd "$(dirname "$0")/../.." || exit 1
. selftests/tap.sh
O=$(realpath -m "${O:-build}")
tvctl=$O/userspace/tvctl
tvcc=$O/userspace/sdk/bin/tvpal-cc
pages="docs/man/tvctl.1 docs/man/tvpal-cc.1 docs/man/libtrustvisor.3"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "TAP version 13"

command -v groff >/dev/null && command -v man >/dev/null ||
	bail "groff or man missing (scripts/deps.sh)"
[ -x "$tvctl" ] && [ -x "$tvcc" ] || bail "no $tvctl or $tvcc (make check-unit builds them)"

# --- rendering ------------------------------------------------------------------
for p in $pages; do
	groff -man -Tutf8 -ww -z "$p" >"$tmp/groff" 2>&1
	g=$?
	MANWIDTH=80 man --warnings -l "$p" 2>"$tmp/man" >"$tmp/text"
	m=$?
	if [ $g -eq 0 ] && [ $m -eq 0 ] && [ ! -s "$tmp/groff" ] && [ ! -s "$tmp/man" ] &&
		grep -q '^NAME' "$tmp/text"; then
		ok 0 "$p renders without warnings (groff -man -ww, man -l --warnings)"
	else
		cat "$tmp/groff" "$tmp/man" | head -5 | sed 's/^/# /'
		ok 1 "$p renders without warnings (groff -man -ww, man -l --warnings)"
	fi
done

# The words of a page as man shows them, one line, for searching.
text() { MANWIDTH=200 man -l "$1" 2>/dev/null | tr -s ' \n' '  '; }
# Which of the words $2... the rendered page $1 lacks.
lacks() {
	local p=$1 t w miss=
	shift
	t=$(text "$p")
	for w in "$@"; do
		grep -qF -- " $w" <<<" $t" || miss="$miss $w"
	done
	printf '%s' "$miss"
}
# The tags (the line after .TP or .TQ) of section $2 of page $1, font requests,
# quotes and escaped hyphens taken away: what the section describes.
tags() {
	sed -n "/^\.SH $2\$/,/^\.SH /p" "$1" | awk 'p == ".TP" || p == ".TQ" { print } { p = $0 }' |
		sed -e 's/^\.[BIR]* //' -e 's/"//g' -e 's/\\-/-/g' -e 's/ ()//'
}

# --- tvctl(1): every command, every option of each --------------------------------
# Each command a tag of COMMANDS, each of its options (but --help, which
# DESCRIPTION covers for all) a tag under it.
cmds=$("$tvctl" --help | sed -n 's/^  \([a-z][a-z]*\) .*/\1/p; s/^  \([a-z][a-z]*\)$/\1/p' |
	grep -vx help)
have=$(tags docs/man/tvctl.1 COMMANDS | awk '$1 !~ /^-/ { c = $1; print c } $1 ~ /^-/ { print c ":" $1 }')
miss=
for c in $cmds; do
	grep -qx "$c" <<<"$have" || miss="$miss $c"
	for o in $("$tvctl" "$c" --help | sed -n 's/^  \(-h, \)\{0,1\}\(--[a-z][a-z-]*\).*/\2/p'); do
		[ "$o" = --help ] || grep -qx -- "$c:$o" <<<"$have" || miss="$miss $c:$o"
	done
done
miss="$miss$(lacks docs/man/tvctl.1 --help "tvctl help")"
ok "$([ -n "$cmds" ] && [ -z "$miss" ]; echo $?)" \
	"tvctl.1: every command ($(echo $cmds)) and its options described${miss:+ (missing:$miss)}"
miss=$(lacks docs/man/tvctl.1 "EXIT STATUS" FILES ATTESTATION informational DIR/attest.bin \
	DIR/sig.bin DIR/pcrs.bin DIR/ak.pem /dev/trustvisor tpm2_checkquote)
ok "$([ -z "$miss" ]; echo $?)" \
	"tvctl.1: exit status, files, the attestation caveats${miss:+ (missing:$miss)}"

# --- tvpal-cc(1): its options, and every PAL service ---------------------------------
opts=$("$tvcc" --help | sed -n 's/^  \(-h, \)\{0,1\}\(--*[a-z]*\).*/\2/p')
have=" $(tags docs/man/tvpal-cc.1 OPTIONS | tr ',\n' '  ') "
miss=
for o in $opts -o; do
	[[ $have == *" $o "* ]] || miss="$miss $o"
done
miss="$miss$(lacks docs/man/tvpal-cc.1 TVPAL_CC "EXIT STATUS" FILES)"
d="tvpal-cc.1: every option of tvpal-cc --help ($(echo $opts)) described, environment,"
ok "$([ -n "$opts" ] && [ -z "$miss" ]; echo $?)" "$d exit status, files${miss:+ (missing:$miss)}"
# pal_main, which the PAL defines, in THE PAL; every other function a tag
# of SERVICES with its prototype.
funcs=$(cat include/trustvisor/pal.h include/trustvisor/pal_crypto.h |
	sed -n 's/^[a-z_].*[ *]\([a-z_][a-z0-9_]*\)(.*/\1/p' | sort -u)
have=$(tags docs/man/tvpal-cc.1 SERVICES; sed -n '/^\.SH THE PAL$/,/^\.SH /p' docs/man/tvpal-cc.1)
miss=
for f in $funcs; do
	grep -q -- "[ *]$f(" <<<"$have" || miss="$miss $f"
done
d="tvpal-cc.1: every function of pal.h and pal_crypto.h ($(echo $funcs | wc -w)), with its prototype"
ok "$([ -n "$funcs" ] && [ -z "$miss" ]; echo $?)" "$d${miss:+ (missing:$miss)}"

# --- libtrustvisor(3): every exported function -----------------------------------
funcs=$(sed -n 's/^\t\(tv_[a-z_]*\);$/\1/p' userspace/lib/libtrustvisor.map)
name=$(sed -n '/^\.SH NAME/,/^\.SH/p' docs/man/libtrustvisor.3 | tr -d '\n')
have=$(tags docs/man/libtrustvisor.3 DESCRIPTION)
miss=
for f in $funcs; do
	grep -qw -- "$f" <<<"$name" && grep -qx -- "$f" <<<"$have" || miss="$miss $f"
done
d="libtrustvisor.3: every function of libtrustvisor.map named and described ($(echo $funcs | wc -w))"
ok "$([ -n "$funcs" ] && [ -z "$miss" ]; echo $?)" "$d${miss:+ (missing:$miss)}"
miss=$(lacks docs/man/libtrustvisor.3 "RETURN VALUE" ERRORS -EINVAL -EPROTO TV_ERR_PAL_GONE \
	tv_identity_info tv_pal_quote_info informational)
ok "$([ -z "$miss" ]; echo $?)" \
	"libtrustvisor.3: return values, errors, the structures${miss:+ (missing:$miss)}"
sed -n '/^\.SH EXAMPLES/,/^\.SH/p' docs/man/libtrustvisor.3 | sed -n '/^\.EX/,/^\.EE/p' |
	sed -e '/^\.E[XE]/d' -e 's/\\e/\\/g' -e 's/\\-/-/g' >"$tmp/example.c"
cc -Wall -Wextra -Werror -std=gnu11 -Iinclude -c -o "$tmp/example.o" "$tmp/example.c" \
	>"$tmp/cc" 2>&1
r=$?
head -3 "$tmp/cc" | sed 's/^/# /'
ok $r "libtrustvisor.3: the example compiles against libtrustvisor.h"

# --- make install / uninstall ------------------------------------------------------
mk() {
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s O="$O" "$@" >"$tmp/mk" 2>&1
}
mk install PREFIX=/usr DESTDIR="$tmp/dest"
r=$?
mandir=$tmp/dest/usr/share/man
shown=$(MANWIDTH=80 man -M "$mandir" tv_pal_quote 2>/dev/null | head -1)
ok "$([ $r -eq 0 ] && [ -f "$mandir/man1/tvctl.1" ] && [ -f "$mandir/man1/tvpal-cc.1" ] &&
	[ -f "$mandir/man3/libtrustvisor.3" ] && [[ $shown == LIBTRUSTVISOR* ]]; echo $?)" \
	"make install: man1/tvctl.1, tvpal-cc.1, man3/libtrustvisor.3; man tv_pal_quote shows it"
mk uninstall PREFIX=/usr DESTDIR="$tmp/dest"
r=$?
left=$(find "$mandir" -type f -o -type l 2>/dev/null)
ok "$([ $r -eq 0 ] && [ -z "$left" ]; echo $?)" \
	"make uninstall removes every page and link${left:+ (left: $left)}"

echo "1..$n"
