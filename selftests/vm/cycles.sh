#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Load and unload the module N times in one boot: every cycle must succeed,
# virtualize every CPU and give it back, and memory must not leak.
# usage: cycles.sh [N [MODULE]]   (default: 20 cycles of /trustvisor.ko)
. /selftests/lib.sh
quiet_console
n=${1:-20}
module=${2:-/trustvisor.ko}
echo "TAP version 13"
echo "1..5"
sync; echo 3 > /proc/sys/vm/drop_caches
before=$(mem_free_kb)
orphans_before=$(vmalloc_orphans)
ok=0
for i in $(seq 1 "$n"); do
	insmod "$module" || break
	/selftests/tv_cpuid present >/tmp/cyc.out 2>&1 || { cat /tmp/cyc.out; rmmod trustvisor; break; }
	rmmod trustvisor || break
	ok=$i
done
[ "$ok" = "$n" ] && tap OK "$n load/unload cycles, monitor present on every CPU each time" \
	|| tap FAIL "load/unload cycles: only $ok of $n succeeded"
/selftests/tv_cpuid absent >/tmp/cyc.out 2>&1 && tap OK "monitor gone from every CPU after the last rmmod" \
	|| { cat /tmp/cyc.out; tap FAIL "monitor still visible after rmmod"; }
[ ! -e /dev/trustvisor ] && ! grep -q '^trustvisor ' /proc/modules \
	&& tap OK "no module, no /dev/trustvisor left" || tap FAIL "module or device left behind"
sync; echo 3 > /proc/sys/vm/drop_caches
after=$(mem_free_kb)
drift=$((before - after))
echo "# MemFree before ${before} kB, after ${after} kB, drift ${drift} kB"
[ "$drift" -lt 4096 ] && tap OK "no memory leak over $n cycles (drift ${drift} kB < 4096 kB)" \
	|| tap FAIL "memory leak: ${drift} kB lost over $n cycles"
# Exact, unlike MemFree: the monitor's vmap and the shared page are vmalloc
# areas; leaked by a module that is gone, their caller shows as a bare address.
orphans=$(vmalloc_orphans)
[ "$(wc -l < /proc/vmallocinfo)" -gt 0 ] && [ "$orphans" -eq "$orphans_before" ] &&
	! grep -q 'tv_\|trustvisor' /proc/vmallocinfo \
	&& tap OK "no vmalloc area of the module left (monitor mapping, shared page): $orphans orphans before and after" \
	|| { awk '$3 ~ /^0x/' /proc/vmallocinfo | head -3; tap FAIL "vmalloc areas left behind by the module: $orphans_before orphans before, $orphans after"; }
exit $tap_failed
