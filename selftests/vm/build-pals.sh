#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Builds the in-VM suites' PALs the way a user would: the sources copied to
# a fresh directory outside the repository, then tvpal-cc there.
# usage: build-pals.sh TVPAL_CC OUTDIR SOURCE.c... (headers beside a source come along)
set -eu
cc=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
out=$(mkdir -p "$2" && cd "$2" && pwd)
shift 2
work=$(mktemp -d /tmp/tv-pals.XXXXXX)
trap 'rm -rf "$work"' EXIT
# All sources first, with the headers beside them: one may include another.
for src in "$@"; do
	cp "$src" $(ls "$(dirname "$src")"/*.h 2>/dev/null) "$work/"
done
for src in "$@"; do
	name=$(basename "$src" .c)
	(cd "$work" && "$cc" -o "$name.pal" "$name.c")
	mv "$work/$name.pal" "$out/$name.pal"
done
