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

/* For IDENTITY. */
void tpm_nv_report(u32 *state, s32 *error, u64 *value)
{
	tpm_lock_take();
	*state = nv.state;
	*error = nv.error;
	*value = nv.value;
	tpm_lock_give();
}

static int job_open(void)
{
	struct utpm_root *root;
	u8 auth[32];
	int ret;

	root = secrets_root_lock();
	ret = utpm_root_derive(root, TV_NV_COUNTER_LABEL, auth, sizeof(auth));
	secrets_root_unlock();
	if (!ret)
		ret = tpm2_counter_start(&job, TPM2_COUNTER_OPEN, &salt_key,
					 TV_NV_COUNTER_INDEX, auth, sizeof(auth));
	secure_wipe(auth, sizeof(auth));
	return ret;
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
	if (ret == TPM2_COUNTER_DONE) {
		nv.state = TV_NV_OPEN;
		nv.error = 0;
		nv.value = job.value;
		req.status = TV_TPM_DONE;
		req.value = job.value;
	} else {
		nv.state = TV_NV_FAILED;
		nv.error = ret;
		req.status = ret;
		pr_mon("the NV counter could not be opened (%d)", ret);
	}
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
		if (!have_salt_key || nv.state == TV_NV_OPEN) {
			ret = TV_E_STATE;
		} else {
			tpm2_counter_wipe(&job);	/* one Linux abandoned */
			ret = job_open() ? TV_E_PARAM : 0;
			job_running = !ret;
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
	return ret;
}

/* With the secrets: the counter's auth is derived from the master. */
void tpm_wipe(void)
{
	tpm2_counter_wipe(&job);
	job_running = false;
	secure_wipe(&req, sizeof(req));
}
