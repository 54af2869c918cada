/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A freestanding TPM 2.0 client for the monitor's own commands (issue 9:
 * rollback counters in TPM NV).  Linux carries every byte to and from the
 * TPM, so the monitor talks to it only through a salted HMAC session with
 * parameter encryption, keyed from an ECC P-256 key the caller trusts:
 * Linux can neither read the secrets in the parameters nor forge a
 * response.  No allocation: each command is built into a caller buffer and
 * each response checked from one; the caller moves the bytes.
 *
 * Return values: TV_OK; a negative enum tv_err from this library (TV_EINVAL
 * malformed response or argument, TV_ERANGE buffer too small, TV_EAUTH
 * response HMAC wrong, TV_EPERM session not in a state for the call,
 * TV_EPOLICY an NV index that is not the counter asked for); or, positive,
 * the response code of a TPM that refused the command (always <= 0xfff).
 * A session whose response failed in any way (TPM error included) is
 * broken: its keys are wiped, every session call returns TV_EPERM, and the
 * caller flushes its handle (tpm2_flush_cmd), tpm2_session_wipe()s it and
 * starts another.
 */
#ifndef TV_LIB_TPM2_H
#define TV_LIB_TPM2_H

#include "lib/base.h"

#define TPM2_DIGEST_SIZE 32	/* SHA-256: the session's and the index's hash */
#define TPM2_NONCE_SIZE 32
#define TPM2_AUTH_MAX 32	/* an index's authValue is at most its nameAlg's size */
#define TPM2_NAME_MAX 34	/* nameAlg || digest */
#define TPM2_HDR_SIZE 10	/* tag, size, command or response code */

/* Response codes the caller may want to tell apart (after tpm2_rc_base). */
#define TPM2_RC_AUTH_FAIL 0x08e
#define TPM2_RC_BAD_AUTH 0x0a2
#define TPM2_RC_NV_UNINITIALIZED 0x14a
#define TPM2_RC_NV_DEFINED 0x14c

/*
 * Bounded writer and reader.  A put past cap or a get past len poisons the
 * cursor (bad), and every later call on it does nothing (gets return 0 or
 * NULL), so a caller checks once at the end.
 */
struct tpm2_wr {
	u8 *buf;
	size_t cap;
	size_t len;
	bool bad;
};

struct tpm2_rd {
	const u8 *buf;
	size_t len;
	size_t off;
	bool bad;
};

void tpm2_wr_init(struct tpm2_wr *w, u8 *buf, size_t cap);
void tpm2_put_u8(struct tpm2_wr *w, u8 v);
void tpm2_put_u16(struct tpm2_wr *w, u16 v);
void tpm2_put_u32(struct tpm2_wr *w, u32 v);
void tpm2_put_bytes(struct tpm2_wr *w, const void *p, size_t n);
/* A TPM2B: u16 size, then the bytes (poisons if n > 0xffff). */
void tpm2_put_tpm2b(struct tpm2_wr *w, const void *p, size_t n);
/* Overwrites 4 bytes already written at off (a size field). */
void tpm2_put_u32_at(struct tpm2_wr *w, size_t off, u32 v);

void tpm2_rd_init(struct tpm2_rd *r, const u8 *buf, size_t len);
u8 tpm2_get_u8(struct tpm2_rd *r);
u16 tpm2_get_u16(struct tpm2_rd *r);
u32 tpm2_get_u32(struct tpm2_rd *r);
/* A pointer to the next n bytes, consumed; NULL (poisoned) if short. */
const u8 *tpm2_get_bytes(struct tpm2_rd *r, size_t n);
/* A TPM2B's bytes and size; poisons if the size exceeds max or the input. */
const u8 *tpm2_get_tpm2b(struct tpm2_rd *r, size_t max, size_t *n);
/* True if nothing failed and exactly len bytes were consumed. */
bool tpm2_rd_done(const struct tpm2_rd *r);

/*
 * TPM 2.0 Part 1 11.4.10: KDFa (SP 800-108 counter mode, HMAC-SHA256) and
 * KDFe (SP 800-56A concatenation, SHA-256).  label is a C string; its
 * terminating zero is part of the input, as the spec says.  out_len <= 64.
 */
int tpm2_kdfa(const u8 *key, size_t key_len, const char *label, const u8 *u,
	      size_t u_len, const u8 *v, size_t v_len, u8 *out, size_t out_len);
int tpm2_kdfe(const u8 *z, size_t z_len, const char *label, const u8 *u,
	      size_t u_len, const u8 *v, size_t v_len, u8 *out, size_t out_len);

/* A format-1 code without its handle, session or parameter number. */
u32 tpm2_rc_base(u32 rc);

/* The salt key: an ECC P-256 decryption key in the TPM the caller trusts. */
struct tpm2_salt_key {
	u32 handle;		/* transient (0x80......) or persistent (0x81......) */
	u8 x[32];
	u8 y[32];
};

/*
 * An NV counter: TPM_NT_COUNTER, AUTHWRITE | AUTHREAD | NO_DA, nameAlg
 * SHA-256, empty policy, 8 bytes.  written mirrors TPMA_NV_WRITTEN, which
 * the first increment sets and which changes the index's name (and so
 * every HMAC); tpm2_nv_increment_rsp and tpm2_nv_read_public_rsp update it.
 */
struct tpm2_nv_counter {
	u32 index;
	bool written;
	u8 auth_len;
	u8 auth[TPM2_AUTH_MAX];
};

/*
 * index must be an NV handle (0x01......); auth 1..32 bytes, not all zero
 * (the TPM ignores trailing zeros, so an all-zero auth is no auth).
 */
int tpm2_nv_counter_init(struct tpm2_nv_counter *nv, u32 index, const u8 *auth,
			 size_t auth_len);
/* The index's name, nameAlg || SHA-256(TPMS_NV_PUBLIC); 34 bytes. */
void tpm2_nv_counter_name(const struct tpm2_nv_counter *nv, u8 name[TPM2_NAME_MAX]);

enum tpm2_session_state {
	TPM2_SESSION_IDLE = 0,	/* a zeroed struct: nothing started */
	TPM2_SESSION_STARTING,	/* StartAuthSession built, response awaited */
	TPM2_SESSION_READY,
	TPM2_SESSION_PENDING,	/* a command built, its response awaited */
	TPM2_SESSION_BROKEN,
};

struct tpm2_session {
	enum tpm2_session_state state;
	u32 handle;
	u8 key[TPM2_DIGEST_SIZE];		/* sessionKey */
	u8 salt[TPM2_DIGEST_SIZE];		/* STARTING only */
	u8 nonce_caller[TPM2_NONCE_SIZE];
	u8 nonce_tpm[TPM2_NONCE_SIZE];
	/* The command in flight (PENDING). */
	u32 cc;
	u32 nv_index;
	u8 attrs;
	u8 auth_len;
	u8 auth[TPM2_AUTH_MAX];			/* entity's, trailing zeros stripped */
};

/* Wipes every secret; the session is IDLE again (flush its handle first). */
void tpm2_session_wipe(struct tpm2_session *s);

/*
 * TPM2_StartAuthSession(tpmKey = key, bind = TPM_RH_NULL, HMAC,
 * AES-128-CFB, SHA-256).  eph_seed: 32 random bytes for the ephemeral key;
 * nonce: 32 random bytes.  The session must be IDLE.
 */
int tpm2_start_session_cmd(struct tpm2_session *s, const struct tpm2_salt_key *key,
			   const u8 eph_seed[32], const u8 nonce[TPM2_NONCE_SIZE],
			   u8 *cmd, size_t cap, size_t *len);
int tpm2_start_session_rsp(struct tpm2_session *s, const u8 *rsp, size_t len);

/*
 * Commands in a READY session; nonce is the next nonceCaller (32 fresh
 * random bytes per command).  Each _rsp takes the response to the command
 * its _cmd built last.
 */
int tpm2_nv_define_cmd(struct tpm2_session *s, const struct tpm2_nv_counter *nv,
		       const u8 nonce[TPM2_NONCE_SIZE], u8 *cmd, size_t cap, size_t *len);
int tpm2_nv_define_rsp(struct tpm2_session *s, const u8 *rsp, size_t len);
int tpm2_nv_increment_cmd(struct tpm2_session *s, const struct tpm2_nv_counter *nv,
			  const u8 nonce[TPM2_NONCE_SIZE], u8 *cmd, size_t cap,
			  size_t *len);
int tpm2_nv_increment_rsp(struct tpm2_session *s, struct tpm2_nv_counter *nv,
			  const u8 *rsp, size_t len);
int tpm2_nv_read_cmd(struct tpm2_session *s, const struct tpm2_nv_counter *nv,
		     const u8 nonce[TPM2_NONCE_SIZE], u8 *cmd, size_t cap, size_t *len);
int tpm2_nv_read_rsp(struct tpm2_session *s, const struct tpm2_nv_counter *nv,
		     const u8 *rsp, size_t len, u64 *value);

/*
 * Without a session.  NV_ReadPublic's response is not authenticated: it
 * only tells which state of WRITTEN to expect (a lie there makes the next
 * session command fail, nothing more); TV_EPOLICY if the public area is not
 * exactly this counter's or the name not its digest.
 */
int tpm2_nv_read_public_cmd(const struct tpm2_nv_counter *nv, u8 *cmd, size_t cap,
			    size_t *len);
int tpm2_nv_read_public_rsp(struct tpm2_nv_counter *nv, const u8 *rsp, size_t len);
/* Whether the index is defined (an unauthenticated hint, as NV_ReadPublic). */
int tpm2_nv_exists_cmd(const struct tpm2_nv_counter *nv, u8 *cmd, size_t cap, size_t *len);
int tpm2_nv_exists_rsp(const struct tpm2_nv_counter *nv, const u8 *rsp, size_t len,
		       bool *exists);
int tpm2_flush_cmd(u32 handle, u8 *cmd, size_t cap, size_t *len);
int tpm2_flush_rsp(const u8 *rsp, size_t len);

#endif
