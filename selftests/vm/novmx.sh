#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Shared by the no-VMX lanes (QEMU TCG): insmod must refuse cleanly, every time, and
# leave nothing behind.  Run twice by check-vm-novmx: on an AMD CPU (lane
# novmx, stopped at the vendor check) and on an Intel CPU without VMX (lane
# novmx-intel, stopped at the VMX bit); the refusal line names which.
. /selftests/lib.sh
quiet_console
echo "TAP version 13"
echo "1..8"
vendor=$(awk '/^vendor_id/ { print $3; exit }' /proc/cpuinfo)
case "$vendor" in
GenuineIntel) why='this Intel CPU has no VMX (VT-x) in CPUID' ;;
*) why="not an Intel CPU (vendor $vendor)" ;;
esac
echo "# CPU vendor $vendor: expecting \"refusing to load: $why\""
grep -q ' vmx' /proc/cpuinfo && tap FAIL "this lane needs a CPU without VMX" || tap OK "CPU has no VMX"
[ "$vendor" = "$TV_EXPECT_VENDOR" ] && tap OK "the CPU is the one this lane is for ($vendor)" \
	|| tap FAIL "lane expects vendor $TV_EXPECT_VENDOR, the CPU says $vendor"
out=$(insmod /trustvisor.ko 2>&1); rc=$?
echo "# insmod: rc $rc: $out"
[ $rc -ne 0 ] && echo "$out" | grep -q 'No such device' \
	&& tap OK "insmod refused with ENODEV" || tap FAIL "insmod did not refuse with ENODEV"
dmesg | grep -qF "trustvisor: refusing to load: $why" \
	&& tap OK "a clear kernel log line says why: $why" || tap FAIL "no refusal line \"$why\" in the kernel log"
# busybox insmod makes two load attempts (finit_module, then init_module):
# each must print the refusal and nothing else.
other=$(dmesg | grep 'trustvisor:' | grep -v 'taints kernel\|module verification failed' |
	grep -vcF "refusing to load: $why")
[ "$other" -eq 0 ] && tap OK "the refusal is the only thing the module logs" \
	|| tap FAIL "$other other trustvisor log lines"
sync; echo 3 > /proc/sys/vm/drop_caches; sleep 1
before=$(mem_free_kb)
orphans_before=$(vmalloc_orphans)
for i in 1 2 3 4 5 6 7 8 9 10; do insmod /trustvisor.ko 2>/dev/null; done
[ ! -e /dev/trustvisor ] && ! grep -q '^trustvisor ' /proc/modules \
	&& tap OK "no module, no /dev/trustvisor after 11 refusals" || tap FAIL "state left behind"
sync; echo 3 > /proc/sys/vm/drop_caches; sleep 1
after=$(mem_free_kb)
echo "# MemFree before ${before} kB, after ${after} kB (10 refused loads after a warm-up one)"
# The kernel's own module loader moves MemFree by up to ~2 MB between runs
# (seen: 1856 kB with our refusal path allocating nothing); leaking the monitor
# block (1 MiB) on each of the 20 load attempts would be 20 MB.
[ $((before - after)) -lt 4096 ] && tap OK "no memory lost over 10 refused loads ($((before - after)) kB < 4096 kB)" \
	|| tap FAIL "$((before - after)) kB lost"
[ "$(wc -l < /proc/vmallocinfo)" -gt 0 ] && ! grep -q 'tv_\|trustvisor' /proc/vmallocinfo &&
	[ "$(vmalloc_orphans)" -eq "$orphans_before" ] \
	&& tap OK "no vmalloc area of the module left behind" \
	|| tap FAIL "vmalloc areas of the module left behind (or no /proc/vmallocinfo)"
exit $tap_failed
