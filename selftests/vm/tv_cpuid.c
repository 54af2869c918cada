// SPDX-License-Identifier: GPL-2.0
/*
 * From a thread pinned to each online CPU: is the monitor there?
 * usage: tv_cpuid present|absent [CPU]   (default: every online CPU)
 * present: leaf 0x40000000 carries our signature and leaf 0x40000001 names
 * the very CPU we are pinned to (so each CPU answered for itself), and the
 * VMX bit is hidden from Linux.  absent: no signature anywhere.
 */
#include "tv_vm.h"

int main(int argc, char **argv)
{
	int want = argc > 1 && !strcmp(argv[1], "present");
	int first = 0, n = nr_cpus_online();

	if (argc < 2 || argc > 3 || (strcmp(argv[1], "present") && strcmp(argv[1], "absent"))) {
		fprintf(stderr, "usage: %s present|absent [CPU]\n", argv[0]);
		return KSFT_FAIL;
	}
	if (argc == 3) {
		first = atoi(argv[2]);
		n = first + 1;
	}
	tap_plan(want ? 3 * (n - first) : n - first);
	for (int cpu = first; cpu < n; cpu++) {
		unsigned int r[4];
		int seen;

		if (pin_to_cpu(cpu)) {
			tap_ok(0, "pin to CPU %d: %s", cpu, strerror(errno));
			continue;
		}
		seen = monitor_signature_seen();
		cpuid_raw(0x40000000, r);
		tap_ok(seen == want, "CPU %d: CPUID 0x40000000 %s the monitor (%08x %08x %08x %08x)",
		       cpu, seen ? "shows" : "does not show", r[0], r[1], r[2], r[3]);
		if (!want)
			continue;
		cpuid_raw(0x40000001, r);
		tap_ok(r[1] == (unsigned int)cpu && r[0] != 0,
		       "CPU %d: CPUID 0x40000001 answered by monitor CPU %u, version %#x",
		       cpu, r[1], r[0]);
		cpuid_raw(1, r);
		tap_ok(!(r[2] & (1 << 5)) && (r[2] & (1u << 31)),
		       "CPU %d: CPUID.1 hides VMX and sets the hypervisor bit (ecx %08x)", cpu, r[2]);
	}
	return tap_finish();
}
