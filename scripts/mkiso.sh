#!/usr/bin/env bash
# Builds a small bootable ISO (isolinux) holding a kernel and an initrd, for
# emulators without direct kernel boot (Bochs).
# usage: mkiso.sh OUT.iso KERNEL INITRD "KERNEL COMMAND LINE"
set -euo pipefail

if [ $# -ne 4 ]; then
	echo "usage: $0 OUT.iso KERNEL INITRD CMDLINE" >&2
	exit 2
fi
out=$1 kernel=$2 initrd=$3 cmdline=$4
isolinux=/usr/lib/ISOLINUX/isolinux.bin
ldlinux=/usr/lib/syslinux/modules/bios/ldlinux.c32
for f in "$isolinux" "$ldlinux"; do
	if [ ! -r "$f" ]; then
		echo "mkiso: $f missing; run: make deps (isolinux, syslinux-common)" >&2
		exit 1
	fi
done

dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
mkdir -p "$dir/isolinux"
cp "$isolinux" "$ldlinux" "$dir/isolinux/"
cp "$kernel" "$dir/vmlinuz"
cp "$initrd" "$dir/initrd"
cat >"$dir/isolinux/isolinux.cfg" <<CFG
DEFAULT tv
PROMPT 0
TIMEOUT 0
LABEL tv
  KERNEL /vmlinuz
  INITRD /initrd
  APPEND $cmdline
CFG

mkdir -p "$(dirname "$out")"
xorriso -as mkisofs -quiet -o "$out" \
	-b isolinux/isolinux.bin -c isolinux/boot.cat \
	-no-emul-boot -boot-load-size 4 -boot-info-table "$dir" 2>/dev/null
echo "mkiso: $out ($(du -k "$out" | cut -f1) KiB)"
