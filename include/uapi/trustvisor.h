/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * The /dev/trustvisor ioctl ABI, shared by the module and userspace.
 *
 * Structures are extensible: userspace sets `size` to the size it knows; the
 * module fills min(size, its own size) and writes its own size back, so old
 * binaries keep working when fields are appended.
 */
#ifndef _UAPI_TRUSTVISOR_H
#define _UAPI_TRUSTVISOR_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define TV_ABI_VERSION		1
#define TV_DEVICE		"/dev/trustvisor"
#define TV_EXIT_REASON_MAX	80	/* counters per basic VM-exit reason */
#define TV_MAX_CPUS		1024

/* TV_IOC_STATUS: the monitor as a whole. */
struct tv_status {
	__u32 size;		/* in: sizeof as known by caller; out: filled */
	__u32 abi_version;	/* TV_ABI_VERSION */
	__u32 monitor_version;	/* major << 16 | minor << 8 | patch */
	__u32 nr_cpus_online;	/* Linux CPUs online */
	__u32 nr_cpus_virtualized;
	__u32 flags;		/* TV_STATUS_F_* */
	__u8 measurement[32];	/* SHA-256 of the monitor image */
	__u64 image_size;	/* bytes measured */
	__u64 monitor_memory;	/* bytes reserved for the monitor */
	__u64 exits[TV_EXIT_REASON_MAX];	/* summed over CPUs */
};

/* tv_status.flags */
#define TV_STATUS_F_SELFTEST	(1U << 0)	/* a test build: selftest ioctls exist */

/* TV_IOC_CPU_STATUS: one CPU, selected by `cpu`. */
struct tv_cpu_status {
	__u32 size;
	__u32 cpu;		/* in */
	__u32 online;		/* out: Linux has the CPU online */
	__u32 virtualized;	/* out: the CPU runs as a guest of the monitor */
	__u64 exits[TV_EXIT_REASON_MAX];
};

/*
 * TV_IOC_PROBE_MONITOR: only in a test build (make test-module), for root.
 * The module, in kernel mode, tries to read and to write the monitor's
 * memory; the monitor must refuse both.
 */
struct tv_probe_result {
	__u32 size;
	__u32 read_faulted;	/* 1: the read faulted */
	__u32 read_matched;	/* 1: the read returned the image bytes */
	__u32 write_faulted;	/* 1: the write faulted */
	__u64 canary_before;	/* monitor canary, read via hypercall */
	__u64 canary_after;
};

/*
 * TV_IOC_TEST_NMI: only in a test build, for root.  Sends `per_cpu` NMIs, one at
 * a time, to every online CPU and counts how many reached Linux's NMI
 * handler: the monitor must hand every one back.
 */
struct tv_nmi_test {
	__u32 size;
	__u32 per_cpu;		/* in: NMIs per CPU (1..1000) */
	__u32 sent;		/* out */
	__u32 received;		/* out */
};

#define TV_IOC_MAGIC		0xb7
#define TV_IOC_STATUS		_IOWR(TV_IOC_MAGIC, 0x00, struct tv_status)
#define TV_IOC_CPU_STATUS	_IOWR(TV_IOC_MAGIC, 0x01, struct tv_cpu_status)
#define TV_IOC_TEST_NMI		_IOWR(TV_IOC_MAGIC, 0x7e, struct tv_nmi_test)
#define TV_IOC_PROBE_MONITOR	_IOWR(TV_IOC_MAGIC, 0x7f, struct tv_probe_result)

#endif
