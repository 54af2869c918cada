#!/usr/bin/env bash
# Installs the Debian packages the build and every test lane need.  As root it
# runs apt-get itself; otherwise it prints the one line to run and fails.
set -eu
pkgs=(
	build-essential clang llvm libclang-rt-14-dev valgrind libssl-dev openssl
	linux-headers-amd64 linux-image-amd64 linux-source-6.1 kmod cpio busybox-static xz-utils zstd
	bochs bochsbios vgabios bochs-term qemu-system-x86 xorriso isolinux syslinux-common
	swtpm swtpm-tools tpm2-tools libtss2-dev python3 groff-base man-db
)
missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
	echo "missing packages; run: sudo apt-get install -y ${missing[*]}" >&2
	exit 1
fi
echo "deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
