#!/usr/bin/env bash
# Fails the build if the monitor image is not freestanding and self-contained:
# any undefined symbol, any run-time relocation, any writable+executable
# segment, or a missing MLE/image header.
set -euo pipefail
elf=$1
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
