/* SPDX-License-Identifier: GPL-2.0 */
#ifndef TV_KMOD_H
#define TV_KMOD_H

#include <linux/cpumask.h>
#include <linux/types.h>
#include "trustvisor/monitor.h"

/* The loaded monitor, as the module sees it. */
struct tv_monitor {
	struct page *pages;
	unsigned int order;
	void *virt;			/* vmap of `pages`: the monitor's own address */
	phys_addr_t phys;
	size_t size;
	struct tv_image_header hdr;	/* a copy: the monitor's own is hidden once it runs */
	int (*cpu_launch)(u32 cpu);
	struct tv_shared_page *shared;	/* written by the monitor: log, state */
	u64 log_tail;
	u8 measurement[32];
	cpumask_t owned;		/* CPUs online at load: the monitor's for its life */
	cpumask_t virtualized;		/* launched by us, not yet known to have left */
};

/* The module's own status: a VMCALL faulted, this CPU is not under the monitor. */
#define TV_E_NOT_INSIDE		-100

extern struct tv_monitor tv_mon;
extern const u8 tv_image_blob[], tv_image_blob_end[];

/* monitor.c */
int tv_monitor_load(struct tv_monitor *m);
void tv_monitor_free(struct tv_monitor *m);
void tv_log_drain(struct tv_monitor *m);
/* The TPM key that salts the monitor's NV counter sessions, made at a first launch. */
struct tv_salt_key {
	bool ok;
	u32 handle;
	u8 x[32];
	u8 y[32];
};
void tv_monitor_give_secret(struct tv_monitor *m, const u8 master[32],
			    const struct tv_salt_key *salt, bool fresh);
const char *tv_strerror(int monitor_err);
int tv_errno(int monitor_err);
int tv_identity_get(struct tv_hc_identity *id);

/* evidence.c */
int tv_evidence_begin(void);
int tv_evidence_launched(unsigned int nr_cpus);
void tv_evidence_left(void);
void tv_evidence_free(void);
bool tv_evidence_info(u32 *pcr, bool *first, u32 *secret);

/* secret.c */
struct tpm_chip;
struct tv_ev_secret;
int tv_secret_check_options(void);
void tv_secret_get(struct tpm_chip *chip, u32 epcr, bool first, const u8 *measurement,
		   u8 master[32], bool *kept, struct tv_salt_key *salt, struct tv_ev_secret *ev);
const char *tv_secret_desc(u32 kind, u32 reason);

/* nvcounter.c */
void tv_nv_open(struct tpm_chip *chip);
int tv_nv_commit(void);
void tv_nv_close(void);
long tv_ioc_counters(void __user *uarg);

/* cpu.c */
int tv_cpus_launch(void);
void tv_cpus_teardown(void);
int tv_machine_leave(const char *why);
u32 tv_cpus_inside(void);
long tv_hypercall(unsigned long nr, unsigned long a1, unsigned long a2,
		  unsigned long a3, unsigned long *out_rbx);
long tv_hypercall_out(unsigned long nr, unsigned long a1, unsigned long a2,
		      unsigned long a3, unsigned long out[2]);

/* pal.c */
struct tv_file;
struct tv_file *tv_file_new(void);
void tv_file_release(struct tv_file *tf);
long tv_ioc_pal_load(struct tv_file *tf, void __user *uarg);
long tv_ioc_pal_call(struct tv_file *tf, void __user *uarg);
long tv_ioc_pal_unload(struct tv_file *tf, void __user *uarg);
long tv_ioc_pal_quote(struct tv_file *tf, void __user *uarg);
int tv_pal_stats(u32 *nr_pals, u64 *denied);
long tv_ioc_pal_probe(struct tv_file *tf, void __user *uarg);
long tv_ioc_pal_regs(struct tv_file *tf, void __user *uarg);
long tv_ioc_pal_race(struct tv_file *tf, void __user *uarg);
struct vm_area_struct;
int tv_pal_mmap(struct tv_file *tf, struct vm_area_struct *vma);

/* dev.c */
int tv_get_usize(void __user *uarg, u32 *usize);
int tv_dev_register(void);
void tv_dev_unregister(void);

#endif
