#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The VMX lane (Bochs): load the monitor on every CPU, run every suite, give
# the machine back, then the load/unload cycles.
. /selftests/lib.sh
quiet_console
echo "# CPUs online: $(nproc), vmx in cpuinfo: $(grep -c ' vmx' /proc/cpuinfo)"
run $S/tv_cpuid absent
echo "# === insmod trustvisor.ko selftest_probes=1"
if ! insmod /trustvisor.ko selftest_probes=1; then
	echo "not ok - insmod failed"
	dmesg | tail -20
	exit 1
fi
run $S/tv_cpuid present
run $S/tv_status $S/vmxroot.bin
run $S/tv_workload ${TV_WORKLOAD_SECONDS:-30}
run $S/hotplug.sh
echo "# === exit counters after the workload"
$S/tv_bench exits 1 after
echo "# === rmmod trustvisor"
rmmod trustvisor || suite_failed=1
run $S/tv_cpuid absent
run $S/cycles.sh 20
echo "# === the module's and the monitor's log lines"
dmesg | grep trustvisor | tail -40
exit $suite_failed
