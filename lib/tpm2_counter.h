/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The monitor's NV counter as a sequence of TPM exchanges that Linux
 * carries (docs/architecture.md, "The monitor's own TPM client"): each
 * step takes the TPM's answer to the last command and gives the next
 * command, until the job is done or has failed.  A job opens a salted
 * session of its own and always flushes it, also when it fails.
 *
 *   OPEN:      define the counter if it is not defined (and increment it
 *              once, so that it can be read), then read its value.
 *   INCREMENT: increment it once, then read its value.
 */
#ifndef TV_LIB_TPM2_COUNTER_H
#define TV_LIB_TPM2_COUNTER_H

#include "lib/tpm2.h"

enum tpm2_counter_goal {
	TPM2_COUNTER_OPEN = 1,
	TPM2_COUNTER_INCREMENT,
};

/* tpm2_counter_step's results besides errors. */
#define TPM2_COUNTER_SEND 1	/* cmd holds the next command: send it, step again */
#define TPM2_COUNTER_DONE 2	/* value is the counter's, verified */

#define TPM2_COUNTER_RANDOM 64	/* fresh random bytes each step takes */

struct tpm2_counter_job {
	u8 goal;
	u8 step;
	bool exists;
	int error;			/* why it failed, kept while the session is flushed */
	u64 value;
	struct tpm2_salt_key key;
	struct tpm2_nv_counter nv;
	struct tpm2_session s;
};

/*
 * A job for the counter at index with auth (tpm2_nv_counter_init's rules)
 * through sessions salted by key; nothing is sent yet.
 */
int tpm2_counter_start(struct tpm2_counter_job *j, enum tpm2_counter_goal goal,
		       const struct tpm2_salt_key *key, u32 index, const u8 *auth,
		       size_t auth_len);

/*
 * One exchange.  rsp/rlen: the TPM's answer to the command the last step
 * gave (ignored at the first step; an empty one when Linux could not send
 * it).  rnd: TPM2_COUNTER_RANDOM fresh random bytes.  Returns
 * TPM2_COUNTER_SEND with the next command in cmd (*len bytes),
 * TPM2_COUNTER_DONE with j->value set, or what failed (lib/tpm2.h's
 * codes; TV_ENOENT: INCREMENT of a counter not defined).  After DONE or
 * an error the job is wiped but for value and error, and further steps
 * return TV_EPERM.
 */
int tpm2_counter_step(struct tpm2_counter_job *j, const u8 *rsp, size_t rlen,
		      const u8 rnd[TPM2_COUNTER_RANDOM], u8 *cmd, size_t cap, size_t *len);

/* Wipes the job (its session keys and the counter's auth). */
void tpm2_counter_wipe(struct tpm2_counter_job *j);

#endif
