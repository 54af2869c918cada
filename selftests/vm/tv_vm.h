/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the in-VM suites: CPU pinning, CPUID, the device.  The
 * suites report through the kernel's kselftest.h, extracted from
 * linux-source at build time into $(O)/kselftest (see selftests.mk).
 */
#ifndef TV_SELFTESTS_VM_H
#define TV_SELFTESTS_VM_H

#include <cpuid.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include "uapi/trustvisor.h"
#include "kselftest.h"

#define TV_SIG_EBX 0x73757254	/* "TrustVisorTV" */
#define TV_SIG_ECX 0x69567473
#define TV_SIG_EDX 0x56547273

/*
 * Starts a suite's TAP output.  kselftest.h never flushes, and our stdout is
 * a pipe under the kselftest runner or a file in some lanes (fully
 * buffered): line buffering keeps each line in order with the shell's and
 * the kernel's on the console, keeps the lines printed before a crash, and
 * leaves nothing in the buffer for fork() to duplicate into a child that
 * flushes it.
 */
static inline void tv_ksft_start(unsigned int plan)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	ksft_print_header();
	ksft_set_plan(plan);
}

static inline int pin_to_cpu(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(0, sizeof(set), &set);
}

static inline void cpuid_raw(unsigned int leaf, unsigned int r[4])
{
	__cpuid_count(leaf, 0, r[0], r[1], r[2], r[3]);
}

static inline int monitor_signature_seen(void)
{
	unsigned int r[4];

	cpuid_raw(0x40000000, r);
	return r[1] == TV_SIG_EBX && r[2] == TV_SIG_ECX && r[3] == TV_SIG_EDX;
}

static inline int nr_cpus_online(void)
{
	return (int)sysconf(_SC_NPROCESSORS_ONLN);
}

static inline int tv_open(void)
{
	return open(TV_DEVICE, O_RDWR | O_CLOEXEC);
}

static inline int tv_cpu_status(int fd, int cpu, struct tv_cpu_status *cs)
{
	memset(cs, 0, sizeof(*cs));
	cs->size = sizeof(*cs);
	cs->cpu = cpu;
	return ioctl(fd, TV_IOC_CPU_STATUS, cs);
}

#endif
