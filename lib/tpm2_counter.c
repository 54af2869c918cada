// SPDX-License-Identifier: GPL-2.0
/*
 * The NV counter's jobs as steps (lib/tpm2_counter.h).  The order of the
 * exchanges is fixed per goal; what Linux answers only decides whether the
 * job goes on or fails, never which command comes next beyond "is the
 * index defined", and a lie there ends in a failed, authenticated command.
 */
#include "lib/tpm2_counter.h"
#include "lib/ct.h"

enum step {
	STEP_IDLE = 0,
	STEP_EXISTS,		/* GetCapability sent */
	STEP_PUBLIC,		/* NV_ReadPublic sent */
	STEP_SESSION,		/* StartAuthSession sent */
	STEP_DEFINE,
	STEP_INCREMENT,
	STEP_READ,
	STEP_FLUSH,		/* FlushContext sent after success */
	STEP_FLUSH_FAILED,	/* FlushContext sent after a failure */
	STEP_OVER,
};

int tpm2_counter_start(struct tpm2_counter_job *j, enum tpm2_counter_goal goal,
		       const struct tpm2_salt_key *key, u32 index, const u8 *auth,
		       size_t auth_len)
{
	int ret;

	if (!j || !key || (goal != TPM2_COUNTER_OPEN && goal != TPM2_COUNTER_INCREMENT))
		return TV_EINVAL;
	tpm2_counter_wipe(j);
	ret = tpm2_nv_counter_init(&j->nv, index, auth, auth_len);
	if (ret)
		return ret;
	j->key = *key;
	j->goal = (u8)goal;
	j->step = STEP_IDLE;
	return TV_OK;
}

void tpm2_counter_wipe(struct tpm2_counter_job *j)
{
	secure_wipe(j, sizeof(*j));
}

/* The job is over: keep only the verdict. */
static int finish(struct tpm2_counter_job *j, int ret)
{
	u64 value = j->value;
	int error = j->error;

	tpm2_counter_wipe(j);
	j->step = STEP_OVER;
	j->value = ret == TPM2_COUNTER_DONE ? value : 0;
	j->error = ret == TPM2_COUNTER_DONE ? 0 : (error ?: ret);
	return ret == TPM2_COUNTER_DONE ? ret : j->error;
}

/* After a failure: flush the session if the TPM has one, then report. */
static int fail(struct tpm2_counter_job *j, int why, u8 *cmd, size_t cap, size_t *len)
{
	u32 handle = j->s.handle;
	int ret;

	j->error = why ?: TV_EINVAL;
	if (!handle)
		return finish(j, j->error);
	tpm2_session_wipe(&j->s);
	ret = tpm2_flush_cmd(handle, cmd, cap, len);
	if (ret)
		return finish(j, j->error);
	j->step = STEP_FLUSH_FAILED;
	return TPM2_COUNTER_SEND;
}

/* The next command in the session: what the goal and the index's state need. */
static int next_in_session(struct tpm2_counter_job *j, const u8 *nonce, u8 *cmd,
			   size_t cap, size_t *len)
{
	if (!j->exists) {
		j->step = STEP_DEFINE;
		return tpm2_nv_define_cmd(&j->s, &j->nv, nonce, cmd, cap, len);
	}
	if (!j->nv.written || j->goal == TPM2_COUNTER_INCREMENT) {
		j->step = STEP_INCREMENT;
		return tpm2_nv_increment_cmd(&j->s, &j->nv, nonce, cmd, cap, len);
	}
	j->step = STEP_READ;
	return tpm2_nv_read_cmd(&j->s, &j->nv, nonce, cmd, cap, len);
}

static int advance(struct tpm2_counter_job *j, const u8 *rsp, size_t rlen,
		   const u8 *rnd, u8 *cmd, size_t cap, size_t *len)
{
	const u8 *nonce = rnd + 32;
	int ret;

	switch (j->step) {
	case STEP_IDLE:
		j->step = STEP_EXISTS;
		return tpm2_nv_exists_cmd(&j->nv, cmd, cap, len);
	case STEP_EXISTS:
		ret = tpm2_nv_exists_rsp(&j->nv, rsp, rlen, &j->exists);
		if (ret)
			return ret;
		if (!j->exists && j->goal != TPM2_COUNTER_OPEN)
			return TV_ENOENT;
		if (j->exists) {
			j->step = STEP_PUBLIC;
			return tpm2_nv_read_public_cmd(&j->nv, cmd, cap, len);
		}
		j->step = STEP_SESSION;
		return tpm2_start_session_cmd(&j->s, &j->key, rnd, nonce, cmd, cap, len);
	case STEP_PUBLIC:
		/* TV_EPOLICY: an index there that is not exactly our counter. */
		ret = tpm2_nv_read_public_rsp(&j->nv, rsp, rlen);
		if (ret)
			return ret;
		j->step = STEP_SESSION;
		return tpm2_start_session_cmd(&j->s, &j->key, rnd, nonce, cmd, cap, len);
	case STEP_SESSION:
		ret = tpm2_start_session_rsp(&j->s, rsp, rlen);
		return ret ?: next_in_session(j, nonce, cmd, cap, len);
	case STEP_DEFINE:
		ret = tpm2_nv_define_rsp(&j->s, rsp, rlen);
		if (ret)
			return ret;
		j->exists = true;
		j->nv.written = false;
		return next_in_session(j, nonce, cmd, cap, len);
	case STEP_INCREMENT:
		ret = tpm2_nv_increment_rsp(&j->s, &j->nv, rsp, rlen);
		if (ret)
			return ret;
		j->step = STEP_READ;
		return tpm2_nv_read_cmd(&j->s, &j->nv, nonce, cmd, cap, len);
	case STEP_READ:
		ret = tpm2_nv_read_rsp(&j->s, &j->nv, rsp, rlen, &j->value);
		if (ret)
			return ret;
		j->step = STEP_FLUSH;
		ret = tpm2_flush_cmd(j->s.handle, cmd, cap, len);
		tpm2_session_wipe(&j->s);	/* its handle is in the command */
		return ret;
	}
	return TV_EPERM;
}

int tpm2_counter_step(struct tpm2_counter_job *j, const u8 *rsp, size_t rlen,
		      const u8 rnd[TPM2_COUNTER_RANDOM], u8 *cmd, size_t cap, size_t *len)
{
	int ret;

	if (!j || !rnd || !cmd || !len)
		return TV_EINVAL;
	if (!rsp)
		rlen = 0;
	switch (j->step) {
	case STEP_OVER:
		return TV_EPERM;
	case STEP_FLUSH:
		/* The value was verified before; a flush the TPM refused changes nothing. */
		return finish(j, TPM2_COUNTER_DONE);
	case STEP_FLUSH_FAILED:
		return finish(j, j->error);
	}
	ret = advance(j, rsp, rlen, rnd, cmd, cap, len);
	if (ret)
		return fail(j, ret, cmd, cap, len);
	return TPM2_COUNTER_SEND;
}
