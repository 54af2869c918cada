#!/usr/bin/env bash
# Builds the test initramfs (uncompressed newc cpio: the guest unpacks it
# faster than a compressed one, which matters under Bochs).
# usage: mkinitramfs.sh OUT LANE
# Contents: busybox-static with applet links, /init (scripts/vm-init.sh),
# /etc/tv-lane, /trustvisor.ko, every file of the payload dir in
# /selftests, and for the lanes that verify with them the host's openssl and
# tpm2_checkquote (below).  See scripts/vm-lib.sh for TV_MODULE and
# TV_PAYLOAD_DIR.
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

# The host programs a lane checks its results with (the pal lane: the
# examples' signatures and quotes, selftests/vm/examples.sh; the demo: the
# signer's signature) or runs its TPM with, dynamically linked, so each
# comes with the shared libraries ldd names and the dynamic loader, at the
# paths ldd gives.  Only those lanes get them: they are about 21 MB
# (tpm2-tools alone brings libcurl and its TLS and LDAP libraries), more
# than the rest of the image.  TV_VM_HOST_TOOLS="LIST" overrides the lane's
# list ("" for none).  A name with ".so" in it is a
# shared library a tool loads with dlopen (which ldd cannot see): it is
# installed where ldconfig finds it, with the libraries ldd names for it.
# The guest's TPM (selftests/vm/tpm.sh), in the tpm lane and the demo: swtpm
# runs it, tpm2_pcrread waits for the chip, tpm2_shutdown stops it, and the
# tools and tvctl attest open the kernel's device through libtss2-tcti-device.
tpm_tools="swtpm libtss2-tcti-device.so.0 tpm2_pcrread tpm2_shutdown"
case $lane in
pal) host_tools_default="openssl tpm2_checkquote" ;;
demo) host_tools_default="openssl $tpm_tools" ;;
tpm) host_tools_default="$tpm_tools tpm2_pcrextend"
	host_tools_default+=" tpm2_quote tpm2_checkquote tpm2_readpublic"
	host_tools_default+=" tpm2_eventlog tpm2_getcap tpm2_nvreadpublic tpm2_nvread"
	host_tools_default+=" tpm2_nvdefine tpm2_nvundefine tpm2_nvwrite"
	host_tools_default+=" tpm2_createprimary tpm2_evictcontrol" ;;
*) host_tools_default= ;;
esac
host_tools=${TV_VM_HOST_TOOLS-$host_tools_default}
host_path() {	# host_path NAME: the program's or the library's path, or nothing
	case $1 in
	# awk reads to the end: an early exit would SIGPIPE ldconfig, and
	# pipefail (141) would end the script at random, under load.
	*.so*) PATH=$PATH:/sbin:/usr/sbin ldconfig -p |
		awk -v n="$1" '$1 == n && /x86-64/ && !done { print $NF; done = 1 }' ;;
	*) command -v "$1" || true ;;
	esac
}
for t in $host_tools; do
	if [ -z "$(host_path "$t")" ]; then
		echo "mkinitramfs: lane $lane needs the host's $t, which is not installed;" \
			"run: make deps (openssl, swtpm, tpm2-tools)" >&2
		exit 1
	fi
done

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
# A tool that is a link (tpm2_checkquote -> tpm2, which looks at its name)
# stays one, in /bin beside its target.
for t in $host_tools; do
	path=$(host_path "$t")
	real=$(readlink -f "$path")
	case $t in
	*.so*) install -D -m 0755 "$real" "$root$path" ;;
	*)	install -m 0755 "$real" "$root/bin/$(basename "$real")"
		[ "$(basename "$real")" = "$t" ] || ln -sfn "$(basename "$real")" "$root/bin/$t" ;;
	esac
	libs=$(ldd "$real" | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }')
	[ -n "$libs" ] || { echo "mkinitramfs: ldd $real names no libraries" >&2; exit 1; }
	for lib in $libs; do
		[ -e "$root$lib" ] || install -D -m 0755 "$(readlink -f "$lib")" "$root$lib"
	done
done
# The payload's dynamically linked programs (tvctl-tpm: OpenSSL and
# tpm2-tss) run only where the host tools' libraries are: they come along
# for the lanes that have host tools, the same way.
if [ -n "$host_tools" ]; then
	for f in "$root"/selftests/*; do
		[ -f "$f" ] && [ -x "$f" ] && head -c 4 "$f" | grep -q ELF || continue
		ldd "$f" >/dev/null 2>&1 || continue	# static
		for lib in $(ldd "$f" | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }'); do
			[ -e "$root$lib" ] || install -D -m 0755 "$(readlink -f "$lib")" "$root$lib"
		done
	done
fi
# The console device must exist before devtmpfs is mounted.
mknod -m 0600 "$root/dev/console" c 5 1

mkdir -p "$(dirname "$out")"
(cd "$root" && find . -print0 | LC_ALL=C sort -z |
	cpio --null -o -H newc --owner=0:0 --quiet) >"$out.tmp"
mv "$out.tmp" "$out"
echo "mkinitramfs: $out ($(du -k "$out" | cut -f1) KiB, lane $lane," \
	"module $( [ "$module" = none ] && echo none || echo "$module"), payload" \
	"$payload${host_tools:+, host tools: $host_tools})"
