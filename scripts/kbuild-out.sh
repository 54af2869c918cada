#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Builds an external kernel module in a directory of its own, so that several
# variants (the shipped module, the test build, the test-only modules) can be
# built from one source tree without their objects colliding: OUTDIR gets a
# symlink to the Kbuild file, to include/, and to every source file (objects
# are written next to the links), then Kbuild runs with M=OUTDIR.
# usage: kbuild-out.sh KDIR OUTDIR KBUILD_FILE SOURCE... [-- MAKE_ARG...]
set -euo pipefail

if [ $# -lt 4 ]; then
	echo "usage: $0 KDIR OUTDIR KBUILD_FILE SOURCE... [-- MAKE_ARG...]" >&2
	exit 2
fi
root=$(cd "$(dirname "$0")/.." && pwd)
kdir=$1 out=$2 kbuild=$3
shift 3
srcs=()
while [ $# -gt 0 ] && [ "$1" != -- ]; do
	srcs+=("$1")
	shift
done
[ $# -gt 0 ] && shift
mkdir -p "$out"
out=$(cd "$out" && pwd)
ln -sfn "$root/$kbuild" "$out/Kbuild"
ln -sfn "$root/include" "$out/include"
for s in "${srcs[@]}"; do
	mkdir -p "$out/$(dirname "$s")"
	ln -sfn "$root/$s" "$out/$s"
done
exec make -C "$kdir" O="$kdir" M="$out" "$@" modules
