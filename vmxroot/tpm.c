// SPDX-License-Identifier: GPL-2.0
/*
 * The monitor's own TPM commands (docs/architecture.md, "The monitor's own
 * TPM client").  After launch Linux only carries bytes: TV_HC_TPM gives it
 * the next command of the monitor's job and takes the TPM's answer, and
 * lib/tpm2_counter.c checks every answer in a session salted by the key the
 * module named while the kernel was still trusted.  Linux can make a job
 * fail; it cannot make the monitor believe a counter value the TPM did not
 * give.
 *
 * One job at a time, for the whole machine: its state lives here, under
 * tpm_lock, which is held for one step and never across a wait.
 */
#include "vmxroot/vmxroot.h"
#include "vmxroot/pal.h"
#include "vmxroot/processor.h"
#include "lib/ct.h"
#include "lib/tpm2_counter.h"
#include "utpm/utpm.h"
#include "trustvisor/pal_abi.h"

/* The counter's auth: HKDF of the master secret with this label. */
#define TV_NV_COUNTER_LABEL	"tv nv counter"

static u32 tpm_lock;
static struct tpm2_salt_key salt_key;
static bool have_salt_key;
static bool job_running;
static struct tpm2_counter_job job;
static struct tv_hc_tpm req;	/* the request being answered (tpm_lock) */
static struct {
	u32 state;		/* TV_NV_* */
	s32 error;
	u64 value;
} nv;
/*
 * A PAL's commit: the table sealed at nv.value + 1, which Linux stores
 * before it asks for the increment, and the PAL waiting for the verdict.
 */
static struct {
	struct pal *pal;	/* NULL once it resumed or went */
	bool staged;		/* blob holds the table */
	bool incrementing;	/* the INCREMENT job runs */
	u32 len;
	u8 blob[UTPM_TABLE_MAX];
} commit;
static struct tv_hc_counters creq;	/* TV_HC_COUNTERS' request (tpm_lock) */

static void tpm_lock_take(void)
{
	while (__atomic_exchange_n(&tpm_lock, 1, __ATOMIC_ACQUIRE))
		cpu_relax();
}

static void tpm_lock_give(void)
{
	__atomic_store_n(&tpm_lock, 0, __ATOMIC_RELEASE);
}

/*
 * From the handoff, before any CPU enters: only with a kept master secret
 * (an ephemeral one has nothing to keep a counter for).
 */
void tpm_take_salt_key(u32 handle, const u8 x[32], const u8 y[32])
{
	salt_key.handle = handle;
	memcpy(salt_key.x, x, 32);
	memcpy(salt_key.y, y, 32);
	have_salt_key = true;
	nv.state = TV_NV_PENDING;
}

/* What IDENTITY says of the µTPM's counters. */
static u32 counters_report(void)
{
	struct utpm_root *root = secrets_root_lock();
	bool known = utpm_counters_known(root);

	secrets_root_unlock();
	if (!have_salt_key)
		return TV_COUNTERS_MEMORY;
	return known ? TV_COUNTERS_KNOWN : TV_COUNTERS_UNKNOWN;
}

/* For IDENTITY. */
void tpm_nv_report(u32 *state, s32 *error, u64 *value, u32 *counters)
{
	tpm_lock_take();
	*state = nv.state;
	*error = nv.error;
	*value = nv.value;
	tpm_lock_give();
	*counters = counters_report();
}

static int job_start(enum tpm2_counter_goal goal)
{
	struct utpm_root *root;
	u8 auth[32];
	int ret;

	root = secrets_root_lock();
	ret = utpm_root_derive(root, TV_NV_COUNTER_LABEL, auth, sizeof(auth));
	secrets_root_unlock();
	if (!ret)
		ret = tpm2_counter_start(&job, goal, &salt_key, TV_NV_COUNTER_INDEX, auth,
					 sizeof(auth));
	secure_wipe(auth, sizeof(auth));
	return ret;
}

/* The waiting PAL's verdict: into its saved RAX, which it finds when resumed. */
static void commit_end(int pal_result)
{
	if (commit.pal)
		pal_ctx(commit.pal)->regs.rax = (u64)(long)pal_result;
	commit.pal = NULL;
	commit.staged = false;
	commit.incrementing = false;
	secure_wipe(commit.blob, sizeof(commit.blob));
	commit.len = 0;
}

/* The INCREMENT job's end: the counter moved by exactly one, or nothing is trusted. */
static int commit_done(int ret, u64 value)
{
	if (ret == TPM2_COUNTER_DONE && value == nv.value + 1) {
		nv.value = value;
		commit_end(0);
		return ret;
	}
	/* Maybe counted, maybe not: no later commit can know its value. */
	nv.state = TV_NV_FAILED;
	nv.error = ret == TPM2_COUNTER_DONE ? TV_EPOLICY : ret;
	pr_mon("a counter commit failed (%d): no more commits until it is opened again",
	       nv.error);
	commit_end(TV_PAL_EIO);
	return nv.error;
}

/* One step of the job with req's response; req gets the next command or the verdict. */
static void job_step(bool first)
{
	u8 rnd[TPM2_COUNTER_RANDOM];
	struct utpm_root *root;
	size_t len = 0;
	int ret;

	root = secrets_root_lock();
	ret = utpm_root_random(root, rnd, sizeof(rnd));
	secrets_root_unlock();
	if (!ret)
		ret = tpm2_counter_step(&job, first ? NULL : req.buf, req.len, rnd, req.buf,
					sizeof(req.buf), &len);
	secure_wipe(rnd, sizeof(rnd));
	req.len = 0;
	req.value = 0;
	if (ret == TPM2_COUNTER_SEND) {
		req.status = TV_TPM_SEND;
		req.len = (u32)len;
		return;
	}
	job_running = false;
	if (commit.incrementing) {
		ret = commit_done(ret, job.value);
	} else if (ret == TPM2_COUNTER_DONE) {
		nv.state = TV_NV_OPEN;
		nv.error = 0;
		nv.value = job.value;
	} else {
		nv.state = TV_NV_FAILED;
		nv.error = ret;
		pr_mon("the NV counter could not be opened (%d)", ret);
	}
	req.status = ret == TPM2_COUNTER_DONE ? TV_TPM_DONE : ret;
	req.value = ret == TPM2_COUNTER_DONE ? nv.value : 0;
	tpm2_counter_wipe(&job);
}

long tpm_hypercall(u64 gpa)
{
	long ret;

	if (monitor_state() != TV_STATE_ACTIVE)
		return TV_E_STATE;
	tpm_lock_take();
	ret = copy_from_guest(monitor.eptp, &req, gpa, sizeof(req));
	if (ret)
		goto out;
	if (req.len > sizeof(req.buf)) {
		ret = TV_E_PARAM;
	} else if (req.op == TV_TPM_OP_OPEN) {
		/* Once opened, the value is the monitor's to keep, not Linux's to reset. */
		if (!have_salt_key || nv.state == TV_NV_OPEN || commit.staged) {
			ret = TV_E_STATE;
		} else {
			tpm2_counter_wipe(&job);	/* one Linux abandoned */
			ret = job_start(TPM2_COUNTER_OPEN) ? TV_E_PARAM : 0;
			job_running = !ret;
			if (!ret)
				job_step(true);
		}
	} else if (req.op == TV_TPM_OP_COMMIT) {
		/* Linux has stored the staged table: now the one NV increment. */
		if (!commit.staged || commit.incrementing || job_running ||
		    nv.state != TV_NV_OPEN) {
			ret = TV_E_STATE;
		} else {
			ret = job_start(TPM2_COUNTER_INCREMENT) ? TV_E_PARAM : 0;
			job_running = commit.incrementing = !ret;
			if (!ret)
				job_step(true);
		}
	} else if (req.op == TV_TPM_OP_STEP) {
		if (!job_running)
			ret = TV_E_STATE;
		else
			job_step(false);
	} else {
		ret = TV_E_PARAM;
	}
	if (!ret)
		ret = copy_to_guest(monitor.eptp, gpa, &req, sizeof(req));
out:
	secure_wipe(&req, sizeof(req));
	tpm_lock_give();
	/* The session key and the counter's auth were used on Linux's behalf. */
	pal_flush_for_linux();
	return ret;
}

/*
 * TV_PAL_HC_COUNTER_COMMIT from the running PAL p: the table sealed at the
 * next NV value and p marked waiting, then 0 (the caller suspends p with
 * TV_E_COMMIT); or the PAL's error.  p finds TV_PAL_EIO in RAX if it is
 * resumed before the increment is done.
 */
int tpm_commit_stage(struct pal *p, struct guest_regs *regs)
{
	struct utpm_root *root;
	size_t len = 0;
	int ret;

	if (!have_salt_key)
		return TV_PAL_ENODEV;
	tpm_lock_take();
	if (commit.staged || job_running) {
		ret = TV_PAL_EAGAIN;
	} else if (nv.state != TV_NV_OPEN) {
		ret = TV_PAL_EIO;
	} else {
		root = secrets_root_lock();
		ret = utpm_counters_seal(root, nv.value + 1, commit.blob, sizeof(commit.blob),
					 &len);
		secrets_root_unlock();
		if (ret == TV_ENODATA)
			ret = TV_PAL_ENODATA;
		else if (ret == TV_ENOSPC)
			ret = TV_PAL_ENOSPC;
		else if (ret)
			ret = TV_PAL_EAGAIN;	/* no entropy for the nonce */
	}
	if (!ret) {
		commit.staged = true;
		commit.len = (u32)len;
		commit.pal = p;
		regs->rax = (u64)(long)TV_PAL_EIO;	/* until the TPM has counted it */
	}
	tpm_lock_give();
	return ret;
}

/*
 * p is resumed, or goes: it no longer waits.  A commit whose increment is
 * under way still ends (the NV value must stay known), without p.
 */
void tpm_commit_forget(struct pal *p)
{
	tpm_lock_take();
	if (commit.pal == p) {
		commit.pal = NULL;
		if (!commit.incrementing)
			commit_end(TV_PAL_EIO);
	}
	tpm_lock_give();
}

/* TV_HC_COUNTERS: Linux stores the table and gives it back (struct tv_hc_counters). */
static void counters_op(void)
{
	struct utpm_root *root;
	size_t len = 0;
	int ret = TV_EPERM;

	creq.value = nv.value;
	if (creq.op == TV_COUNTERS_OP_STAGED) {
		if (commit.staged) {
			memcpy(creq.blob, commit.blob, commit.len);
			len = commit.len;
			creq.value = nv.value + 1;
			ret = TV_OK;
		}
	} else if (nv.state == TV_NV_OPEN && !commit.staged) {
		root = secrets_root_lock();
		if (creq.op == TV_COUNTERS_OP_EXPORT)
			ret = utpm_counters_seal(root, nv.value, creq.blob, sizeof(creq.blob),
						 &len);
		else if (creq.op == TV_COUNTERS_OP_RESTORE)
			ret = utpm_counters_restore(root, nv.value, creq.blob, creq.len);
		secrets_root_unlock();
		if (creq.op == TV_COUNTERS_OP_RESTORE && !ret)
			pr_mon("counters restored at NV value %llu", (unsigned long long)nv.value);
	}
	switch (ret) {
	case TV_OK:
		creq.status = 0;
		break;
	case TV_EPOLICY:
		creq.status = TV_COUNTERS_E_VALUE;
		break;
	case TV_EAUTH:
	case TV_EINVAL:
	case TV_EVERSION:
		creq.status = TV_COUNTERS_E_BADMSG;
		break;
	case TV_ENODATA:
		creq.status = TV_COUNTERS_E_NODATA;
		break;
	case TV_ENOSPC:
		creq.status = TV_COUNTERS_E_NOSPC;
		break;
	default:
		creq.status = TV_COUNTERS_E_STATE;
	}
	creq.len = (u32)len;
	if (creq.op == TV_COUNTERS_OP_RESTORE)
		memset(creq.blob, 0, sizeof(creq.blob));
}

long tpm_counters_hypercall(u64 gpa)
{
	long ret;

	if (monitor_state() != TV_STATE_ACTIVE)
		return TV_E_STATE;
	tpm_lock_take();
	ret = copy_from_guest(monitor.eptp, &creq, gpa, sizeof(creq));
	if (!ret && (creq.len > sizeof(creq.blob) || creq.op < TV_COUNTERS_OP_EXPORT ||
		     creq.op > TV_COUNTERS_OP_RESTORE))
		ret = TV_E_PARAM;
	if (!ret) {
		counters_op();
		ret = copy_to_guest(monitor.eptp, gpa, &creq, sizeof(creq));
	}
	secure_wipe(&creq, sizeof(creq));
	tpm_lock_give();
	pal_flush_for_linux();	/* a key derived from the master was used */
	return ret;
}

/* With the secrets: the counter's auth is derived from the master. */
void tpm_wipe(void)
{
	tpm2_counter_wipe(&job);
	job_running = false;
	commit.pal = NULL;	/* wiped with the PALs: nothing to tell it */
	commit_end(0);
	secure_wipe(&req, sizeof(req));
	secure_wipe(&creq, sizeof(creq));
}
