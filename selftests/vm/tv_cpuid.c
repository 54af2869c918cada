// SPDX-License-Identifier: GPL-2.0
/*
 * From a thread pinned to each online CPU: is the monitor there?
 * usage: tv_cpuid [present|absent [CPU]]   (default: every online CPU)
 * present: leaf 0x40000000 carries our signature and leaf 0x40000001 names
 * the very CPU we are pinned to (so each CPU answered for itself), and the
 * VMX bit is hidden from Linux.  absent: no signature anywhere.
 *
 * With no arguments it checks "present": that is how the kselftest runner
 * (run_kselftest.sh -t trustvisor:tv_cpuid) runs it, with the monitor
 * loaded.  The runner passes KSELFTEST_TV_CPUID_ARGS from the environment
 * as arguments, so KSELFTEST_TV_CPUID_ARGS=absent runs the other check.
 */
#include "tv_vm.h"

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "present";
	int want = !strcmp(mode, "present");
	int first = 0, n = nr_cpus_online();

	if (argc > 3 || (strcmp(mode, "present") && strcmp(mode, "absent"))) {
		fprintf(stderr, "usage: %s [present|absent [CPU]]\n", argv[0]);
		return KSFT_FAIL;
	}
	if (argc == 3) {
		first = atoi(argv[2]);
		n = first + 1;
	}
	tv_ksft_start(want ? 3 * (n - first) : n - first);
	for (int cpu = first; cpu < n; cpu++) {
		unsigned int r[4];
		int seen;

		if (pin_to_cpu(cpu)) {
			ksft_test_result_fail("pin to CPU %d: %s\n", cpu, strerror(errno));
			continue;
		}
		seen = monitor_signature_seen();
		cpuid_raw(0x40000000, r);
		ksft_test_result(seen == want,
				 "CPU %d: CPUID 0x40000000 %s the monitor (%08x %08x %08x %08x)\n",
				 cpu, seen ? "shows" : "does not show", r[0], r[1], r[2], r[3]);
		if (!want)
			continue;
		cpuid_raw(0x40000001, r);
		ksft_test_result(r[1] == (unsigned int)cpu && r[0] != 0,
				 "CPU %d: CPUID 0x40000001 answered by monitor CPU %u, version %#x\n",
				 cpu, r[1], r[0]);
		cpuid_raw(1, r);
		ksft_test_result(!(r[2] & (1 << 5)) && (r[2] & (1u << 31)),
				 "CPU %d: CPUID.1 hides VMX and sets the hypervisor bit (ecx %08x)\n",
				 cpu, r[2]);
	}
	ksft_finished();
}
