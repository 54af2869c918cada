#!/usr/bin/env bash
# Builds the test initramfs (uncompressed newc cpio: the guest unpacks it
# faster than a compressed one, which matters under Bochs).
# usage: mkinitramfs.sh OUT LANE
# Contents: busybox-static with applet links, /init (scripts/vm-init.sh),
# /etc/tv-lane, /trustvisor.ko, and every file of the payload dir in
# /selftests.  See scripts/vm-lib.sh for TV_MODULE and TV_PAYLOAD_DIR.
set -euo pipefail
. "$(dirname "$0")/vm-lib.sh"

if [ $# -ne 2 ]; then
	echo "usage: $0 OUT LANE" >&2
	exit 2
fi
out=$1 lane=$2
tv_check_lane "$lane"

module=${TV_MODULE:-$TV_ROOT/trustvisor.ko}
payload=${TV_PAYLOAD_DIR:-$TV_O/selftests/vm}
if [ "$module" != none ] && [ ! -f "$module" ]; then
	echo "mkinitramfs: module $module not found; run: make module" >&2
	echo "  (or TV_MODULE=none / TV_MODULE=FILE to test the boot path)" >&2
	exit 1
fi
if [ ! -d "$payload" ]; then
	echo "mkinitramfs: payload dir $payload not found; run: make vm-payload" >&2
	echo "  (or TV_PAYLOAD_DIR=DIR to test the boot path)" >&2
	exit 1
fi
busybox=/bin/busybox
if [ ! -x "$busybox" ] || [[ "$(ldd "$busybox" 2>&1 || true)" != *"not a dynamic executable"* ]]; then
	echo "mkinitramfs: $busybox missing or not static; run: make deps (busybox-static)" >&2
	exit 1
fi

root=$(mktemp -d)
chmod 0755 "$root"
trap 'rm -rf "$root"' EXIT

mkdir -p "$root"/{bin,dev,etc,proc,sys,tmp,selftests,usr,mnt,root}
ln -s bin "$root/sbin"
ln -s ../bin "$root/usr/bin"
ln -s ../bin "$root/usr/sbin"
cp "$busybox" "$root/bin/busybox"
for applet in $("$root/bin/busybox" --list); do
	[ "$applet" = busybox ] || ln -s busybox "$root/bin/$applet"
done
install -m 0755 "$TV_ROOT/scripts/vm-init.sh" "$root/init"
echo "$lane" >"$root/etc/tv-lane"
# Which emulator the image is for, for suites that must name its limits.
echo "${TV_EMULATOR:-unknown}" >"$root/etc/tv-emulator"
if [ "$module" != none ]; then
	install -m 0644 "$module" "$root/trustvisor.ko"
fi
cp -a "$payload"/. "$root/selftests/"
# The console device must exist before devtmpfs is mounted.
mknod -m 0600 "$root/dev/console" c 5 1

mkdir -p "$(dirname "$out")"
(cd "$root" && find . -print0 | LC_ALL=C sort -z |
	cpio --null -o -H newc --owner=0:0 --quiet) >"$out.tmp"
mv "$out.tmp" "$out"
echo "mkinitramfs: $out ($(du -k "$out" | cut -f1) KiB, lane $lane," \
	"module $( [ "$module" = none ] && echo none || echo "$module"), payload $payload)"
