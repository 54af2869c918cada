// SPDX-License-Identifier: GPL-2.0
/*
 * PALs on /dev/trustvisor: the Linux half of load, call and unload.
 *
 * The module only provides memory and relays: a 2 MiB block per PAL
 * (charged to the caller's memory cgroup) that the monitor takes out of
 * Linux's reach, the image's pages for the monitor to copy from, and a
 * request page plus input/output buffers per PAL.  It trusts nothing the
 * monitor does not check again.  PALs belong to the open file: closing it
 * unloads them.
 *
 * A call runs in the monitor until the PAL returns or something interrupts
 * it (TV_E_PREEMPTED).  Then Linux has handled the interrupt already; the
 * module reschedules, checks for signals and resumes, so a PAL that loops
 * forever is no soft lockup, and its caller stays killable.
 */
#define pr_fmt(fmt) "trustvisor: " fmt

#include <linux/capability.h>
#include <linux/fs.h>
#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/ioport.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>
#include "uapi/trustvisor.h"
#include "trustvisor/pal_abi.h"
#include "tv.h"

#define TV_PALS_PER_FILE	16
#define TV_PAL_BLOCK_ORDER	9	/* TV_PAL_BLOCK_SIZE */
#define TV_PAL_IO_ORDER		5	/* input, then output: 64 KiB each */
/* Header, a full section table and 1 MiB of section bytes. */
#define TV_PAL_IMAGE_MAX	(sizeof(struct tv_pal_header) + \
				 TV_PAL_MAX_SECTIONS * sizeof(struct tv_pal_section) + TV_PAL_MAX_MEM)

static_assert(TV_PAL_BLOCK_SIZE == PAGE_SIZE << TV_PAL_BLOCK_ORDER);
static_assert(2 * TV_PAL_IO_MAX == PAGE_SIZE << TV_PAL_IO_ORDER);
static_assert(TV_PAL_IMAGE_MAX <= 512 * PAGE_SIZE);

struct tv_kpal {
	u32 handle;
	bool busy;			/* a call is in the monitor or being set up */
	struct task_struct *suspender;	/* a signal interrupted its call in this thread */
	bool committing;		/* suspended in tv_counter_commit(): the caller stores */
	struct page *block;
	struct page *io;		/* physically contiguous input and output */
	struct tv_hc_pal_call *req;	/* one page */
};

struct tv_file {
	struct mutex lock;
	struct tv_kpal *pals[TV_PALS_PER_FILE];
};

struct tv_file *tv_file_new(void)
{
	struct tv_file *tf = kzalloc(sizeof(*tf), GFP_KERNEL);

	if (tf)
		mutex_init(&tf->lock);
	return tf;
}

static void tv_kpal_free(struct tv_kpal *kp)
{
	if (kp->block)
		__free_pages(kp->block, TV_PAL_BLOCK_ORDER);
	if (kp->io)
		__free_pages(kp->io, TV_PAL_IO_ORDER);
	free_page((unsigned long)kp->req);
	kfree(kp);
}

/*
 * The monitor wipes the PAL and gives its block back to Linux's EPT; only
 * then may the pages return to the allocator.  Once the machine has left
 * the monitor (ENXIO) the leave already wiped every PAL.
 */
static int tv_kpal_unload(struct tv_kpal *kp)
{
	long ret = tv_hypercall(TV_HC_PAL_UNLOAD, kp->handle, 0, 0, NULL);

	if (ret && ret != TV_E_NOT_INSIDE && ret != TV_E_NOENT) {
		pr_err("PAL %#x: the monitor refused to unload it: %s\n", kp->handle,
		       tv_strerror((int)ret));
		return tv_errno((int)ret);
	}
	tv_kpal_free(kp);
	return 0;
}

void tv_file_release(struct tv_file *tf)
{
	for (int i = 0; i < TV_PALS_PER_FILE; i++) {
		struct tv_kpal *kp = tf->pals[i];

		/* No ioctl runs once the last reference is gone: nothing is busy. */
		if (kp && tv_kpal_unload(kp))
			pr_err("PAL %#x: leaked its block rather than free memory the monitor holds\n",
			       kp->handle);
	}
	kfree(tf);
}

/* A vmalloc'd copy of the image and a page listing its pages' addresses. */
static int tv_image_pages(const void *image, size_t len, u64 **list)
{
	size_t n = DIV_ROUND_UP(len, PAGE_SIZE);

	*list = (u64 *)get_zeroed_page(GFP_KERNEL);
	if (!*list)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++)
		(*list)[i] = page_to_phys(vmalloc_to_page(image + i * PAGE_SIZE));
	return 0;
}

static int tv_find_slot(struct tv_file *tf)
{
	for (int i = 0; i < TV_PALS_PER_FILE; i++)
		if (!tf->pals[i])
			return i;
	return -1;
}

static struct tv_kpal *tv_kpal_alloc(void)
{
	struct tv_kpal *kp = kzalloc(sizeof(*kp), GFP_KERNEL_ACCOUNT);

	if (!kp)
		return NULL;
	kp->block = alloc_pages(GFP_KERNEL_ACCOUNT | __GFP_NOWARN | __GFP_RETRY_MAYFAIL,
				TV_PAL_BLOCK_ORDER);
	kp->io = alloc_pages(GFP_KERNEL_ACCOUNT | __GFP_ZERO | __GFP_NOWARN, TV_PAL_IO_ORDER);
	kp->req = (void *)get_zeroed_page(GFP_KERNEL_ACCOUNT);
	if (!kp->block || !kp->io || !kp->req) {
		tv_kpal_free(kp);
		return NULL;
	}
	return kp;
}

/* What one load hands the monitor: the block, the image's copy and its page list. */
struct tv_load {
	struct tv_kpal *kp;
	void *image;
	u64 *list;
	struct tv_hc_pal_load *req;
};

/* Copies the user's image in and fills the monitor's request; tv_load_release() after. */
static long tv_load_prepare(struct tv_load *ld, u64 uimage, u64 len)
{
	long ret;

	ld->image = vmalloc(len);
	ld->kp = tv_kpal_alloc();
	ld->req = (void *)get_zeroed_page(GFP_KERNEL);
	if (!ld->image || !ld->kp || !ld->req)
		return -ENOMEM;
	if (copy_from_user(ld->image, u64_to_user_ptr(uimage), len))
		return -EFAULT;
	ret = tv_image_pages(ld->image, len, &ld->list);
	if (ret)
		return ret;
	ld->req->block = page_to_phys(ld->kp->block);
	ld->req->image_pages = virt_to_phys(ld->list);
	ld->req->image_len = len;
	return 0;
}

/* Frees what the load still owns: the PAL too, unless the file took it (kp NULL). */
static void tv_load_release(struct tv_load *ld)
{
	tv_log_drain(&tv_mon);
	if (ld->kp)
		tv_kpal_free(ld->kp);
	free_page((unsigned long)ld->list);
	free_page((unsigned long)ld->req);
	vfree(ld->image);
}

long tv_ioc_pal_load(struct tv_file *tf, void __user *uarg)
{
	struct tv_load ld = { 0 };
	struct tv_pal_load arg;
	u32 usize;
	long ret;
	int slot;

	ret = tv_get_usize(uarg, &usize);
	if (ret)
		return ret;
	ret = copy_struct_from_user(&arg, sizeof(arg), uarg, usize);
	if (ret)
		return ret;
	if (arg.flags)
		return -EINVAL;
	if (arg.image_len < sizeof(struct tv_pal_header))
		return -ENOEXEC;
	if (arg.image_len > TV_PAL_IMAGE_MAX)
		return -E2BIG;
	ret = tv_load_prepare(&ld, arg.image, arg.image_len);
	if (ret)
		goto out;

	mutex_lock(&tf->lock);
	slot = tv_find_slot(tf);
	if (slot < 0) {
		mutex_unlock(&tf->lock);
		ret = -ENOSPC;
		goto out;
	}
	ret = tv_hypercall(TV_HC_PAL_LOAD, virt_to_phys(ld.req), 0, 0, NULL);
	if (!ret) {
		ld.kp->handle = ld.req->handle;
		tf->pals[slot] = ld.kp;
	}
	mutex_unlock(&tf->lock);
	arg.reason = ld.req->reason;
	if (ret) {
		if (ret != TV_E_IMAGE)
			pr_info("PAL load refused: %s\n", tv_strerror((int)ret));
		ret = tv_errno((int)ret);
		if (ret == -ENOEXEC && put_user(arg.reason,
						(u32 __user *)(uarg + offsetof(struct tv_pal_load, reason))))
			ret = -EFAULT;
		goto out;
	}
	arg.handle = ld.kp->handle;
	memcpy(arg.measurement, ld.req->measurement, sizeof(arg.measurement));
	ld.kp = NULL;	/* the file owns it now */
	arg.size = sizeof(arg);
	if (copy_to_user(uarg, &arg, min_t(u32, usize, sizeof(arg))))
		ret = -EFAULT;	/* loaded all the same: closing the file unloads it */
out:
	tv_load_release(&ld);
	return ret;
}

/* The PAL of this file with this handle, marked busy; or why not. */
static struct tv_kpal *tv_kpal_get(struct tv_file *tf, u32 handle, bool any_thread, int *slot,
				   long *err)
{
	struct tv_kpal *kp = NULL;

	mutex_lock(&tf->lock);
	for (int i = 0; i < TV_PALS_PER_FILE; i++) {
		if (tf->pals[i] && tf->pals[i]->handle == handle) {
			kp = tf->pals[i];
			*slot = i;
		}
	}
	if (!kp)
		*err = -EBADF;
	else if (kp->busy || (!any_thread && kp->suspender && kp->suspender != current))
		*err = -EBUSY;
	else
		kp->busy = true;
	mutex_unlock(&tf->lock);
	return *err ? NULL : kp;
}

static void tv_kpal_put(struct tv_file *tf, struct tv_kpal *kp)
{
	mutex_lock(&tf->lock);
	kp->busy = false;
	mutex_unlock(&tf->lock);
}

/*
 * Runs the call until it ends; TV_E_PREEMPTED turns into a resume, and
 * TV_E_COMMIT comes back for the caller (the PAL waits in a commit).
 */
static long tv_kpal_run(struct tv_kpal *kp, bool resume, bool *killed)
{
	long ret;

	*killed = false;
	for (;;) {
		kp->req->flags = resume ? TV_HC_CALL_F_RESUME : 0;
		ret = tv_hypercall(TV_HC_PAL_CALL, virt_to_phys(kp->req), 0, 0, NULL);
		if (ret != TV_E_PREEMPTED)
			return ret;
		resume = true;
		if (fatal_signal_pending(current)) {
			*killed = true;
			return 0;
		}
		if (signal_pending(current))
			return -ERESTARTSYS;
		cond_resched();
	}
}

long tv_ioc_pal_call(struct tv_file *tf, void __user *uarg)
{
	struct tv_pal_call arg;
	struct tv_kpal *kp;
	void *in, *out;
	bool resume, killed;
	long ret = 0;
	u32 usize;
	int slot;

	ret = tv_get_usize(uarg, &usize);
	if (ret)
		return ret;
	ret = copy_struct_from_user(&arg, sizeof(arg), uarg, usize);
	if (ret)
		return ret;
	if (arg.flags & ~TV_PAL_CALL_F_STORED)
		return -EINVAL;
	if (arg.in_len > TV_PAL_IO_MAX || arg.out_len > TV_PAL_IO_MAX)
		return -E2BIG;
	kp = tv_kpal_get(tf, arg.handle, false, &slot, &ret);
	if (!kp)
		return ret;
	in = page_address(kp->io);
	out = in + TV_PAL_IO_MAX;
	resume = kp->suspender == current;
	if ((arg.flags & TV_PAL_CALL_F_STORED) && !kp->committing && !resume) {
		ret = -EINVAL;		/* no commit waits for a stored table */
		goto put;
	}
	if (kp->committing) {
		/* Stored: the increment; not stored: the PAL learns its commit failed. */
		kp->committing = false;
		if ((arg.flags & TV_PAL_CALL_F_STORED) && tv_nv_commit())
			pr_info("a PAL's counter commit failed: the PAL is told so\n");
	}
	if (!resume) {
		if (copy_from_user(in, u64_to_user_ptr(arg.in), arg.in_len)) {
			ret = -EFAULT;
			goto put;
		}
		memset(kp->req, 0, sizeof(*kp->req));
		kp->req->handle = kp->handle;
		kp->req->cmd = arg.cmd;
		kp->req->in = page_to_phys(kp->io);
		kp->req->in_len = arg.in_len;
		kp->req->out = page_to_phys(kp->io) + TV_PAL_IO_MAX;
		kp->req->out_cap = arg.out_len;
	}
	kp->suspender = NULL;
	ret = tv_kpal_run(kp, resume, &killed);
	if (ret == -ERESTARTSYS) {
		kp->suspender = current;	/* the restarted call resumes it */
		goto put;
	}
	if (ret == TV_E_COMMIT) {
		/* Back to the caller to store the staged table; the same thread resumes. */
		kp->suspender = current;
		kp->committing = true;
		arg.result = TV_PAL_RESULT_COMMIT;
		arg.status = 0;
		arg.out_len = 0;
		arg.size = sizeof(arg);
		ret = copy_to_user(uarg, &arg, min_t(u32, usize, sizeof(arg))) ? -EFAULT : 0;
		goto put;
	}
	if (killed) {
		/* The caller dies: the PAL dies with it, wiped by the unload. */
		mutex_lock(&tf->lock);
		if (!tv_kpal_unload(kp))
			tf->pals[slot] = NULL;
		else
			kp->busy = false;
		mutex_unlock(&tf->lock);
		return -EINTR;
	}
	if (ret) {
		ret = tv_errno((int)ret);
		goto put;
	}
	arg.result = kp->req->result;
	arg.status = kp->req->status;
	arg.fault_vector = kp->req->fault_vector;
	arg.fault_error = kp->req->fault_error;
	arg.fault_rip = kp->req->fault_rip;
	arg.fault_addr = kp->req->fault_addr;
	arg.out_len = 0;
	if (arg.result == TV_HC_RESULT_RETURNED) {
		arg.out_len = min_t(u64, kp->req->out_len, kp->req->out_cap);
		if (copy_to_user(u64_to_user_ptr(arg.out), out, arg.out_len))
			ret = -EFAULT;
		memset(out, 0, arg.out_len);
	} else {
		/* The monitor wiped the PAL already and gave its block back. */
		mutex_lock(&tf->lock);
		tf->pals[slot] = NULL;
		mutex_unlock(&tf->lock);
		tv_kpal_free(kp);
		kp = NULL;
	}
	arg.size = sizeof(arg);
	if (!ret && copy_to_user(uarg, &arg, min_t(u32, usize, sizeof(arg))))
		ret = -EFAULT;
put:
	tv_log_drain(&tv_mon);
	if (kp)
		tv_kpal_put(tf, kp);
	return ret;
}

long tv_ioc_pal_unload(struct tv_file *tf, void __user *uarg)
{
	struct tv_pal_unload arg;
	struct tv_kpal *kp;
	long ret = 0;
	u32 usize;
	int slot;

	ret = tv_get_usize(uarg, &usize);
	if (ret)
		return ret;
	ret = copy_struct_from_user(&arg, sizeof(arg), uarg, usize);
	if (ret)
		return ret;
	/* Any thread may unload: a call a signal left suspended is aborted. */
	kp = tv_kpal_get(tf, arg.handle, true, &slot, &ret);
	if (!kp)
		return ret;
	mutex_lock(&tf->lock);
	ret = tv_kpal_unload(kp);
	if (!ret)
		tf->pals[slot] = NULL;
	else
		kp->busy = false;
	mutex_unlock(&tf->lock);
	return ret;
}

/*
 * A quote of the PAL's µTPM for the caller.  The request goes on a page of
 * its own: the PAL's request page may hold a suspended call's state.
 */
long tv_ioc_pal_quote(struct tv_file *tf, void __user *uarg)
{
	struct tv_hc_pal_quote *req = NULL;
	struct tv_pal_quote *arg;
	struct tv_kpal *kp;
	long ret = 0;
	u32 usize;
	int slot;

	ret = tv_get_usize(uarg, &usize);
	if (ret)
		return ret;
	arg = kzalloc(sizeof(*arg), GFP_KERNEL);
	if (!arg)
		return -ENOMEM;
	ret = copy_struct_from_user(arg, sizeof(*arg), uarg, usize);
	if (ret)
		goto out;
	if (arg->nonce_len > TV_PAL_NONCE_MAX || !(arg->pcr_mask & 1) ||
	    arg->pcr_mask >> TV_PAL_NR_PCRS) {
		ret = -EINVAL;
		goto out;
	}
	kp = tv_kpal_get(tf, arg->handle, false, &slot, &ret);
	if (!kp)
		goto out;
	req = (void *)get_zeroed_page(GFP_KERNEL);
	if (!req) {
		ret = -ENOMEM;
		goto put;
	}
	req->handle = kp->handle;
	req->pcr_mask = arg->pcr_mask;
	req->nonce_len = arg->nonce_len;
	memcpy(req->nonce, arg->nonce, sizeof(req->nonce));
	ret = tv_errno((int)tv_hypercall(TV_HC_PAL_QUOTE, virt_to_phys(req), 0, 0, NULL));
	if (!ret && (req->attest_len > sizeof(arg->attest) || req->sig_len > sizeof(arg->sig)))
		ret = -EIO;
	if (!ret) {
		arg->attest_len = req->attest_len;
		arg->sig_len = req->sig_len;
		memcpy(arg->attest, req->attest, req->attest_len);
		memcpy(arg->sig, req->sig, req->sig_len);
		memcpy(arg->pcrs, req->pcrs, sizeof(arg->pcrs));
		arg->size = sizeof(*arg);
		if (copy_to_user(uarg, arg, min_t(u32, usize, sizeof(*arg))))
			ret = -EFAULT;
	}
	free_page((unsigned long)req);
put:
	tv_log_drain(&tv_mon);
	tv_kpal_put(tf, kp);
out:
	kfree(arg);
	return ret;
}

int tv_pal_stats(u32 *nr_pals, u64 *denied)
{
	unsigned long out[2];
	long ret = tv_hypercall_out(TV_HC_PAL_STATS, 0, 0, 0, out);

	if (ret)
		return tv_errno((int)ret);
	*nr_pals = out[0];
	*denied = out[1];
	return 0;
}

#ifdef TV_SELFTEST
/* Do the 32 bytes at p follow the secret's formula?  Computed, never stored. */
static bool tv_secret_at(const u8 *p, const struct tv_pal_probe *a)
{
	for (u32 t = 0; t < 32; t++)
		if (p[t] != (u8)((t * a->mul + a->add) ^ a->xor))
			return false;
	return true;
}

static bool tv_page_holds(const u8 *page, const struct tv_pal_probe *a)
{
	for (size_t off = 0; off + 32 <= PAGE_SIZE; off += 8)
		if (tv_secret_at(page + off, a))
			return true;
	return false;
}

/* Does a kernel-mode write of v to va fault?  (copy_to_kernel_nofault is not exported.) */
static bool tv_write_faults(void *va, u64 v)
{
	__put_kernel_nofault(va, &v, u64, faulted);
	return false;
faulted:
	return true;
}

struct tv_scan {
	struct tv_pal_probe *arg;
	u8 *buf;
};

/* One top-level System RAM range: read each page; write where reading faulted. */
static int tv_scan_range(struct resource *r, void *p)
{
	struct tv_scan *sc = p;
	struct tv_pal_probe *a = sc->arg;

	if (r->parent != &iomem_resource)
		return 0;	/* inside a top-level range, seen there */
	for (unsigned long pfn = PFN_UP(r->start); pfn < PFN_DOWN(r->end + 1); pfn++) {
		void *va;

		if (!pfn_valid(pfn))
			continue;
		va = page_address(pfn_to_page(pfn));
		a->ram_pages++;
		if (copy_from_kernel_nofault(sc->buf, va, PAGE_SIZE)) {
			a->ram_read_faults++;
			if (!tv_write_faults(va, 0xbadc0ffee0ddf00dULL))
				a->ram_writes_landed++;
		} else if (tv_page_holds(sc->buf, a)) {
			a->ram_hits++;
		}
		if (!(pfn & 255))
			cond_resched();
	}
	return 0;
}

/* Kernel-mode attack on a PAL's memory for the selftests (TV_IOC_TEST_PAL_PROBE). */
long tv_ioc_pal_probe(struct tv_file *tf, void __user *uarg)
{
	struct tv_pal_probe arg;
	struct tv_kpal *kp;
	const u64 evil = 0xbadc0ffee0ddf00dULL;
	long ret;
	u32 usize;
	u8 *buf;
	int slot;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	ret = tv_get_usize(uarg, &usize);
	if (ret)
		return ret;
	ret = copy_struct_from_user(&arg, sizeof(arg), uarg, usize);
	if (ret)
		return ret;
	buf = kmalloc(PAGE_SIZE, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	kp = tv_kpal_get(tf, arg.handle, false, &slot, &ret);
	if (!kp) {
		kfree(buf);
		return ret;
	}
	arg.pages = arg.read_faults = arg.pattern_hits = arg.write_faults = 0;
	arg.ram_pages = arg.ram_read_faults = arg.ram_hits = arg.ram_writes_landed = 0;
	/* All of RAM first: the block's writes below would spoil what a scan could find. */
	if (arg.flags & TV_PAL_PROBE_ALL_RAM) {
		struct tv_scan sc = { .arg = &arg, .buf = buf };

		ret = walk_iomem_res_desc(IORES_DESC_NONE, IORESOURCE_SYSTEM_RAM, 0, ~0ULL, &sc,
					  tv_scan_range);
		if (ret > 0 || ret == -EINVAL)
			ret = 0;	/* walked them all */
	}
	for (int i = 0; i < (1 << TV_PAL_BLOCK_ORDER); i++) {
		void *va = page_address(kp->block + i);

		arg.pages++;
		if (copy_from_kernel_nofault(buf, va, PAGE_SIZE))
			arg.read_faults++;
		else if (tv_page_holds(buf, &arg))
			arg.pattern_hits++;
		if (tv_write_faults(va, evil))
			arg.write_faults++;
	}
	tv_kpal_put(tf, kp);
	kfree(buf);
	if (ret)
		return ret;
	tv_log_drain(&tv_mon);
	arg.size = sizeof(arg);
	return copy_to_user(uarg, &arg, min_t(u32, usize, sizeof(arg))) ? -EFAULT : 0;
}

struct tv_race {
	void *va;			/* the watched page, in Linux's direct map */
	u8 pattern[32];
	int phase;			/* 0 before the load, 1 during, 2 after, 3 stop */
	u32 before, after, seen, total;
	u32 after_reads;		/* reads to do after the load returned */
	bool running;
};

static int tv_race_reader(void *arg)
{
	struct tv_race *r = arg;
	u8 buf[32];

	WRITE_ONCE(r->running, true);
	while (READ_ONCE(r->phase) != 3) {
		int phase = READ_ONCE(r->phase);
		bool ok = !copy_from_kernel_nofault(buf, r->va, sizeof(buf));

		r->total++;
		if (ok && phase == 0)
			r->before++;
		if (ok && phase == 2)
			r->after++;
		if (ok && !memcmp(buf, r->pattern, sizeof(buf)))
			r->seen++;
		if (phase == 2 && r->after_reads && !--r->after_reads)
			break;
	}
	WRITE_ONCE(r->running, false);
	while (!kthread_should_stop())
		schedule_timeout_interruptible(1);
	return 0;
}

/*
 * The load as TV_IOC_PAL_LOAD does it, with a reader on another CPU: the
 * monitor must have every CPU flush before the block's pages change hands.
 */
long tv_ioc_pal_race(struct tv_file *tf, void __user *uarg)
{
	struct task_struct *t = NULL;
	struct tv_load ld = { 0 };
	struct tv_race *r = NULL;
	struct tv_pal_race arg;
	int cpu, other;
	u32 usize;
	long ret;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	ret = tv_get_usize(uarg, &usize);
	if (ret)
		return ret;
	ret = copy_struct_from_user(&arg, sizeof(arg), uarg, usize);
	if (ret)
		return ret;
	if (arg.image_len < sizeof(struct tv_pal_header) || arg.image_len > TV_PAL_IMAGE_MAX)
		return -EINVAL;
	r = kzalloc(sizeof(*r), GFP_KERNEL);
	ret = r ? tv_load_prepare(&ld, arg.image, arg.image_len) : -ENOMEM;
	if (ret)
		goto out;
	r->va = page_address(ld.kp->block) + 64 * PAGE_SIZE;	/* the sections window */
	memcpy(r->pattern, arg.pattern, sizeof(r->pattern));
	r->after_reads = 20000;

	cpu = get_cpu();
	other = cpumask_any_but(cpu_online_mask, cpu);
	put_cpu();
	ret = -EOPNOTSUPP;
	if (other >= nr_cpu_ids)
		goto out;
	t = kthread_create(tv_race_reader, r, "tv_race/%d", other);
	if (IS_ERR(t)) {
		ret = PTR_ERR(t);
		t = NULL;
		goto out;
	}
	kthread_bind(t, other);
	wake_up_process(t);
	while (READ_ONCE(r->before) < 1000 && !signal_pending(current))
		cond_resched();
	arg.reader_cpu = other;
	preempt_disable();
	WRITE_ONCE(r->phase, 1);
	ret = tv_hypercall(TV_HC_PAL_LOAD, virt_to_phys(ld.req), 0, 0, NULL);
	WRITE_ONCE(r->phase, 2);
	preempt_enable();
	arg.load_ret = tv_errno((int)ret);
	while (READ_ONCE(r->running) && !signal_pending(current))
		cond_resched();
	WRITE_ONCE(r->phase, 3);
	kthread_stop(t);
	if (!ret) {
		ld.kp->handle = ld.req->handle;
		ret = tv_kpal_unload(ld.kp);
		ld.kp = NULL;
		if (ret)
			goto out;
	}
	arg.reads_before = r->before;
	arg.reads_after = r->after;
	arg.pattern_seen = r->seen;
	arg.reads_total = r->total;
	arg.size = sizeof(arg);
	ret = copy_to_user(uarg, &arg, min_t(u32, usize, sizeof(arg))) ? -EFAULT : 0;
out:
	tv_load_release(&ld);
	kfree(r);
	return ret;
}

/*
 * mmap of /dev/trustvisor, test build only, for root: maps the block of
 * the PAL whose handle is the offset (in pages) into the caller, so a
 * user-mode access to PAL memory can be tried.  The test unmaps it before
 * it unloads the PAL: nothing here keeps the block alive.
 */
int tv_pal_mmap(struct tv_file *tf, struct vm_area_struct *vma)
{
	unsigned long size = vma->vm_end - vma->vm_start;
	struct tv_kpal *kp = NULL;
	int ret = -EBADF;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	if (size > TV_PAL_BLOCK_SIZE)
		return -EINVAL;
	mutex_lock(&tf->lock);
	for (int i = 0; i < TV_PALS_PER_FILE; i++)
		if (tf->pals[i] && tf->pals[i]->handle == vma->vm_pgoff)
			kp = tf->pals[i];
	if (kp)
		ret = remap_pfn_range(vma, vma->vm_start, page_to_pfn(kp->block), size,
				      vma->vm_page_prot);
	mutex_unlock(&tf->lock);
	return ret;
}

/*
 * TV_IOC_TEST_PAL_REGS: one call of the PAL with every general register
 * but RAX, RBX and RSP set to a pattern around the hypercall; the monitor
 * must hand all of them back as they were, whatever the PAL left in its own.
 */
long tv_ioc_pal_regs(struct tv_file *tf, void __user *uarg)
{
	struct tv_pal_regs arg;
	struct tv_kpal *kp;
	long ret;
	u32 usize;
	int slot;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	ret = tv_get_usize(uarg, &usize);
	if (ret)
		return ret;
	ret = copy_struct_from_user(&arg, sizeof(arg), uarg, usize);
	if (ret)
		return ret;
	kp = tv_kpal_get(tf, arg.handle, false, &slot, &ret);
	if (!kp)
		return ret;
	memset(kp->req, 0, sizeof(*kp->req));
	kp->req->handle = kp->handle;
	kp->req->in = page_to_phys(kp->io);
	kp->req->out = page_to_phys(kp->io) + TV_PAL_IO_MAX;
	arg.changed = 0;
	arg.turns = 0;
	do {
		register u64 r8 asm("r8") = 0x0808080808080808ULL;
		register u64 r9 asm("r9") = 0x0909090909090909ULL;
		register u64 r10 asm("r10") = 0x1010101010101010ULL;
		register u64 r11 asm("r11") = 0x1111111111111111ULL;
		register u64 r12 asm("r12") = 0x1212121212121212ULL;
		register u64 r13 asm("r13") = 0x1313131313131313ULL;
		register u64 r14 asm("r14") = 0x1414141414141414ULL;
		register u64 r15 asm("r15") = 0x1515151515151515ULL;
		u64 rax = TV_HC_PAL_CALL, rbx = virt_to_phys(kp->req);
		u64 rcx = 0x0c0c0c0c0c0c0c0cULL, rdx = 0x0d0d0d0d0d0d0d0dULL;
		u64 rsi = 0x0e0e0e0e0e0e0e0eULL, rdi = 0x0f0f0f0f0f0f0f0fULL;

		kp->req->flags = arg.turns ? TV_HC_CALL_F_RESUME : 0;
		asm volatile("vmcall"
			     : "+a"(rax), "+b"(rbx), "+c"(rcx), "+d"(rdx), "+S"(rsi), "+D"(rdi),
			       "+r"(r8), "+r"(r9), "+r"(r10), "+r"(r11), "+r"(r12), "+r"(r13),
			       "+r"(r14), "+r"(r15)
			     : : "memory");
		arg.changed |= (rcx != 0x0c0c0c0c0c0c0c0cULL) << 0 |
			       (rdx != 0x0d0d0d0d0d0d0d0dULL) << 1 |
			       (rsi != 0x0e0e0e0e0e0e0e0eULL) << 2 |
			       (rdi != 0x0f0f0f0f0f0f0f0fULL) << 3 |
			       (r8 != 0x0808080808080808ULL) << 4 |
			       (r9 != 0x0909090909090909ULL) << 5 |
			       (r10 != 0x1010101010101010ULL) << 6 |
			       (r11 != 0x1111111111111111ULL) << 7 |
			       (r12 != 0x1212121212121212ULL) << 8 |
			       (r13 != 0x1313131313131313ULL) << 9 |
			       (r14 != 0x1414141414141414ULL) << 10 |
			       (r15 != 0x1515151515151515ULL) << 11 |
			       (rbx != virt_to_phys(kp->req)) << 12;
		arg.turns++;
		ret = (long)rax;
		if (ret == TV_E_PREEMPTED)
			cond_resched();
	} while (ret == TV_E_PREEMPTED && arg.turns < 1000);
	arg.result = kp->req->result;
	arg.status = kp->req->status;
	if (arg.result != TV_HC_RESULT_RETURNED) {
		mutex_lock(&tf->lock);
		tf->pals[slot] = NULL;
		mutex_unlock(&tf->lock);
		tv_kpal_free(kp);
	} else {
		tv_kpal_put(tf, kp);
	}
	if (ret)
		return tv_errno((int)ret);
	arg.size = sizeof(arg);
	return copy_to_user(uarg, &arg, min_t(u32, usize, sizeof(arg))) ? -EFAULT : 0;
}
#endif
