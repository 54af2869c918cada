#!/usr/bin/env bash
# Fails the build if the monitor image is not freestanding and self-contained:
# any undefined symbol, any run-time relocation, any writable+executable
# segment, or a missing MLE/image header; with BIN, also if the flat image
# is not exactly as long as its header says (what the module checks).
# usage: check-monitor-image.sh ELF [BIN]
set -euo pipefail
elf=$1
bin=${2:-}
if [ -n "$bin" ]; then
	# image_size: the u64 at 56 (image header) + 16.
	want=$(od -An -tu8 -j72 -N8 "$bin" | tr -d ' ')
	have=$(stat -c %s "$bin")
	if [ "$want" != "$have" ]; then
		echo "monitor image: $bin is $have bytes, its header says $want" >&2
		exit 1
	fi
	exit 0
fi
undef=$(nm -u "$elf" || true)
if [ -n "$undef" ]; then
	echo "monitor image: undefined symbols (no Linux, no libc allowed):" >&2
	echo "$undef" >&2
	exit 1
fi
if readelf -rW "$elf" | grep -q 'R_X86_64'; then
	echo "monitor image: run-time relocations (pointer in data?):" >&2
	readelf -rW "$elf" | grep 'R_X86_64' | head >&2
	exit 1
fi
if readelf -SW "$elf" | grep -qE '\.(got|plt)'; then
	echo "monitor image: GOT/PLT present" >&2
	exit 1
fi
# MLE UUID 9082AC5A-74A7476F-A2555C0F-42B651CB, little-endian dwords at offset 0.
uuid=$(objcopy -O binary --only-section=.header "$elf" /dev/stdout | head -c 16 | od -An -tx1 | tr -d ' \n')
if [ "$uuid" != "5aac8290" ] && [ "$uuid" != "5aac82906f47a7740f5c55a2cb51b642" ]; then
	echo "monitor image: MLE header missing at offset 0 (got $uuid)" >&2
	exit 1
fi
