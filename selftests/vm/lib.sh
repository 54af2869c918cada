# SPDX-License-Identifier: GPL-2.0
# Shared by the lane scripts: TAP from shell, run in the busybox initramfs.
S=/selftests
# The host's OpenSSL (openssl, tpm2_checkquote) takes its AVX2/BMI2/ADX code
# paths on Bochs 2.7's CPU and gets ECDSA P-256 wrong there: it fails to
# verify a signature it made itself a moment before, and rejects the
# monitor's quotes, which tpm2_checkquote on the host accepts byte for byte.
# Its generic C code is right on Bochs, so the lanes verify with that.
export OPENSSL_ia32cap=0
tap_n=0
tap_failed=0
tap() {		# tap OK|FAIL description
	tap_n=$((tap_n + 1))
	if [ "$1" = OK ]; then
		echo "ok $tap_n $2"
	else
		echo "not ok $tap_n $2"
		tap_failed=1
	fi
}
suite_failed=0
run() {		# run PROGRAM ARGS...: a TAP program; its failure fails the lane
	echo "# === $*"
	"$@" || suite_failed=1
}
mem_free_kb() {
	awk '/^MemFree:/ { print $2 }' /proc/meminfo
}
# vmalloc areas whose caller cannot be named: callers from modules that are
# gone, i.e. areas an unloaded module leaked (once the module is unloaded its
# own name no longer appears in /proc/vmallocinfo).
vmalloc_orphans() {
	awk '$3 ~ /^0x/ { n++ } END { print n + 0 }' /proc/vmallocinfo
}
# Keep info-level kernel lines off the console so they do not split TAP
# lines; warnings, oopses and lockups (level <= 4) still reach it.
quiet_console() {
	echo 5 > /proc/sys/kernel/printk
}
