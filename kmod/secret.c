// SPDX-License-Identifier: GPL-2.0
/*
 * The µTPM master secret kept by the hardware TPM (docs/attestation.md,
 * "The kept secret").  At the first launch in a boot, right after the
 * monitor's measurement is in the evidence PCR and before any CPU runs the
 * monitor, the module reads the secret from a TPM NV index whose policy
 * allows a read only in exactly that state: the boot chain's PCRs 0-7 as
 * they are now, and the evidence PCR holding this monitor's measurement
 * event and nothing else.  The caller then extends the SECRET event, which
 * moves the evidence PCR out of that state for the rest of the boot.
 *
 * Why an NV index and not a sealed object: anyone with the owner's (empty)
 * authorization can create a sealed object holding a secret of their own
 * choosing, and the module could not tell it from ours.  The index's policy
 * gates writes on the same kind of state as reads, and an index counts as
 * ours only if its attributes and policy are exactly those we define: then
 * it was written by a first launch on this boot chain, which is the
 * trusted kernel (see the docs for what that assumes).
 *
 * The loading kernel is trusted at this moment (nothing runs under the
 * monitor yet), so these commands go through the kernel's TPM driver in the
 * clear; the module wipes every copy of the secret it made.
 */
#define pr_fmt(fmt) "trustvisor: " fmt

#include <linux/module.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/tpm.h>
#include <crypto/sha2.h>
#include <asm/unaligned.h>
#include "trustvisor/evidence.h"
#include "evlog.h"
#include "tv.h"

/* Owner-range NV indexes (TCG handle registry: 0x01800000-0x01bfffff). */
#define TV_NV_SECRET		0x01805654	/* the kept secret of this monitor */
#define TV_NV_UPGRADE		0x01805655	/* kept for another version (upgrade_to) */
#define TV_NV_DATA_SIZE		64		/* master || the writer's measurement */
/* The NV counter's salt key: an owner storage primary (TCG registry: 0x81000000-0x8100ffff). */
#define TV_SALT_KEY		0x81005654

/* TPMA_NV: written by policy only, read by policy only, all at once. */
#define TV_NV_ATTRS		(TPMA_NV_POLICYWRITE | TPMA_NV_WRITEALL | \
				 TPMA_NV_POLICYREAD | TPMA_NV_NO_DA)
#define TPMA_NV_POLICYWRITE	(1U << 3)
#define TPMA_NV_WRITEALL	(1U << 12)
#define TPMA_NV_POLICYREAD	(1U << 19)
#define TPMA_NV_NO_DA		(1U << 25)
#define TPMA_NV_WRITTEN		(1U << 29)

#define TV_TPM_ST_NO_SESSIONS	0x8001
#define TV_TPM_ST_SESSIONS	0x8002
#define TV_TPM_RH_OWNER		0x40000001
#define TV_TPM_RH_NULL		0x40000007
#define TV_TPM_RS_PW		0x40000009
#define TV_TPM_ALG_AES		0x0006
#define TV_TPM_ALG_SHA256	0x000b
#define TV_TPM_ALG_ECC		0x0023
#define TV_TPM_ALG_CFB		0x0043
#define TV_TPM_ECC_NIST_P256	0x0003
#define TV_TPM_ALG_NULL		0x0010
#define TV_TPM_SE_POLICY	0x01
#define TV_TPM_CAP_HANDLES	0x00000001
#define CC_EVICT_CONTROL	0x00000120
#define CC_NV_UNDEFINE		0x00000122
#define CC_CREATE_PRIMARY	0x00000131
#define CC_READ_PUBLIC		0x00000173
#define CC_NV_DEFINE		0x0000012a
#define CC_NV_WRITE		0x00000137
#define CC_NV_READ		0x0000014e
#define CC_START_AUTH_SESSION	0x00000176
#define CC_FLUSH_CONTEXT	0x00000165
#define CC_NV_READ_PUBLIC	0x00000169
#define CC_POLICY_CC		0x0000016c
#define CC_POLICY_OR		0x00000171
#define CC_GET_CAPABILITY	0x0000017a
#define CC_POLICY_PCR		0x0000017f

static char *secret = "auto";
module_param(secret, charp, 0444);
MODULE_PARM_DESC(secret, "the µTPM master secret: auto (kept by the TPM when it can be), "
		 "ephemeral, or new (replace the kept one: what it sealed is lost)");
static char *upgrade_to;
module_param(upgrade_to, charp, 0444);
MODULE_PARM_DESC(upgrade_to, "also keep the secret for the monitor of this measurement "
		 "(64 hex digits, as tvctl measure prints it)");
static char *upgrade_from;
module_param(upgrade_from, charp, 0444);
MODULE_PARM_DESC(upgrade_from, "take the secret an earlier monitor of this measurement kept "
		 "for this one (upgrade_to there)");

/* A command or response in the one page tpm_send() wants. */
struct tv_tpm {
	struct tpm_chip *chip;
	u8 *buf;
	u32 len;		/* command: bytes written; response: bytes read */
	u32 end;		/* response: its size */
	bool bad;		/* a read or write out of bounds: checked once, at the end */
};

static void put(struct tv_tpm *t, const void *p, u32 n)
{
	if (t->bad || n > PAGE_SIZE - t->len) {
		t->bad = true;
		return;
	}
	memcpy(t->buf + t->len, p, n);
	t->len += n;
}

static void put16(struct tv_tpm *t, u16 v)
{
	__be16 b = cpu_to_be16(v);

	put(t, &b, 2);
}

static void put32(struct tv_tpm *t, u32 v)
{
	__be32 b = cpu_to_be32(v);

	put(t, &b, 4);
}

static void put2b(struct tv_tpm *t, const void *p, u16 n)
{
	put16(t, n);
	put(t, p, n);
}

static void cmd_begin(struct tv_tpm *t, u16 tag, u32 cc)
{
	t->len = 0;
	t->bad = false;
	put16(t, tag);
	put32(t, 0);		/* the size, once known */
	put32(t, cc);
}

/* An authorization area of one session with no HMAC: a password (empty) or a policy. */
static void put_auth(struct tv_tpm *t, u32 session)
{
	put32(t, 9);
	put32(t, session);
	put16(t, 0);		/* nonceCaller */
	put(t, "\0", 1);	/* sessionAttributes: continueSession clear */
	put16(t, 0);		/* hmac */
}

static const u8 *get(struct tv_tpm *t, u32 n)
{
	const u8 *p = t->buf + t->len;

	if (t->bad || n > t->end - t->len) {
		t->bad = true;
		return NULL;
	}
	t->len += n;
	return p;
}

static u32 get32(struct tv_tpm *t)
{
	const u8 *p = get(t, 4);

	return p ? get_unaligned_be32(p) : 0;
}

static u16 get16(struct tv_tpm *t)
{
	const u8 *p = get(t, 2);

	return p ? get_unaligned_be16(p) : 0;
}

/*
 * Send the command; 0 and the reader past the response header (and past
 * the parameter size, for a command with sessions), or the TPM's response
 * code, or a negative errno.
 */
static int run(struct tv_tpm *t, const char *what)
{
	bool sessions = get_unaligned_be16(t->buf) == TV_TPM_ST_SESSIONS;
	int ret;

	if (t->bad)
		return -EOVERFLOW;
	put_unaligned_be32(t->len, t->buf + 2);
	ret = tpm_send(t->chip, t->buf, PAGE_SIZE);
	if (ret) {
		pr_err("the kept secret: TPM2_%s failed (%#x)\n", what, ret);
		return ret;
	}
	t->end = min_t(u32, get_unaligned_be32(t->buf + 2), PAGE_SIZE);
	t->len = 10;
	if (sessions)
		get32(t);
	return t->bad ? -EIO : 0;
}

static int flush(struct tv_tpm *t, u32 handle)
{
	cmd_begin(t, TV_TPM_ST_NO_SESSIONS, CC_FLUSH_CONTEXT);
	put32(t, handle);
	return run(t, "FlushContext");
}

/* Whether a handle (NV index, persistent key) is in use, asked so that a missing one is no TPM error. */
static int handle_exists(struct tv_tpm *t, u32 index, bool *yes)
{
	int ret;

	cmd_begin(t, TV_TPM_ST_NO_SESSIONS, CC_GET_CAPABILITY);
	put32(t, TV_TPM_CAP_HANDLES);
	put32(t, index);
	put32(t, 1);
	ret = run(t, "GetCapability");
	if (ret)
		return ret;
	get(t, 1);				/* moreData */
	if (get32(t) != TV_TPM_CAP_HANDLES)
		return -EIO;
	*yes = get32(t) >= 1 && get32(t) == index;
	return t->bad ? -EIO : 0;
}

/* The evidence PCR's sha256 value right after MONITOR(measurement) extended it from zero. */
static void after_monitor_event(const u8 *measurement, u8 out[32])
{
	u8 ev[8 + sizeof(struct tv_ev_monitor)], cat[64] = { 0 };
	size_t n = tv_evlog_tagged(ev, sizeof(ev), TV_EV_MONITOR, measurement, 32);

	sha256(ev, n, cat + 32);
	sha256(cat, 64, out);
}

/* The expected state of the PCRs a policy names. */
struct tv_pcr_state {
	u8 sel[10];		/* TPML_PCR_SELECTION: sha256, PCRs 0-7 and the evidence PCR */
	u8 digest[32];		/* SHA-256 of their values, in index order */
	u8 evidence[32];	/* the evidence PCR's value in it */
};

/*
 * PCRs 0-7 as they are now, and the evidence PCR as it is right after
 * MONITOR(measurement) extended it from zero: the state of a first launch
 * of that monitor on this boot chain.
 */
static int pcr_state(struct tpm_chip *chip, u32 epcr, const u8 *measurement,
		     struct tv_pcr_state *s)
{
	struct sha256_state h;

	s->sel[0] = s->sel[1] = s->sel[2] = 0;
	s->sel[3] = 1;				/* count */
	put_unaligned_be16(TV_TPM_ALG_SHA256, s->sel + 4);
	s->sel[6] = 3;				/* sizeofSelect */
	s->sel[7] = 0xff;
	s->sel[8] = 1 << (epcr - 8);
	s->sel[9] = 0;
	sha256_init(&h);
	for (u32 i = 0; i < 8; i++) {
		struct tpm_digest d = { .alg_id = TPM_ALG_SHA256 };
		int ret = tpm_pcr_read(chip, i, &d);

		if (ret) {
			pr_err("the kept secret: cannot read PCR %u of the sha256 bank (%d)\n", i,
			       ret);
			return ret;
		}
		sha256_update(&h, d.digest, 32);
	}
	after_monitor_event(measurement, s->evidence);
	sha256_update(&h, s->evidence, 32);
	sha256_final(&h, s->digest);
	return 0;
}

/* The evidence PCR as the state s says (MONITOR's event left it): else nothing can be read. */
static int evidence_pcr_is(struct tpm_chip *chip, u32 epcr, const struct tv_pcr_state *s)
{
	struct tpm_digest d = { .alg_id = TPM_ALG_SHA256 };
	int ret = tpm_pcr_read(chip, epcr, &d);

	if (ret)
		return ret;
	if (memcmp(s->evidence, d.digest, 32)) {
		pr_err("the kept secret: PCR %u is not as the monitor event left it: something else extended it\n",
		       epcr);
		return -EBUSY;
	}
	return 0;
}

/* policyDigest after PolicyPCR(state) then PolicyCommandCode(cc), from zero. */
static void branch_digest(const struct tv_pcr_state *s, u32 cc, u8 out[32])
{
	u8 m[32 + 4 + sizeof(s->sel) + 32] = { 0 };

	put_unaligned_be32(CC_POLICY_PCR, m + 32);
	memcpy(m + 36, s->sel, sizeof(s->sel));
	memcpy(m + 36 + sizeof(s->sel), s->digest, 32);
	sha256(m, sizeof(m), out);
	memcpy(m, out, 32);
	put_unaligned_be32(CC_POLICY_CC, m + 32);
	put_unaligned_be32(cc, m + 36);
	sha256(m, 40, out);
}

/* The index's policy: read in state r, or write in state w. */
struct tv_nv_policy {
	u8 read[32], write[32];
	u8 auth[32];		/* PolicyOR(read, write): the index's authPolicy */
};

static void nv_policy(const struct tv_pcr_state *r, const struct tv_pcr_state *w,
		      struct tv_nv_policy *p)
{
	u8 m[32 + 4 + 64] = { 0 };

	branch_digest(r, CC_NV_READ, p->read);
	branch_digest(w, CC_NV_WRITE, p->write);
	put_unaligned_be32(CC_POLICY_OR, m + 32);
	memcpy(m + 36, p->read, 32);
	memcpy(m + 68, p->write, 32);
	sha256(m, sizeof(m), p->auth);
}

/* What an index is to us. */
enum tv_nv_verdict {
	NV_OURS,		/* our attributes, written, under this policy */
	NV_OTHER_POLICY,	/* ours in form, under another monitor's or boot chain's policy */
	NV_NOT_OURS,		/* not an index TrustVisor defines, or never written */
};

static int nv_verdict(struct tv_tpm *t, u32 index, const struct tv_nv_policy *p,
		      enum tv_nv_verdict *v)
{
	const u8 *policy;
	u32 got_index, attrs;
	u16 alg, policy_len, size;
	int ret;

	cmd_begin(t, TV_TPM_ST_NO_SESSIONS, CC_NV_READ_PUBLIC);
	put32(t, index);
	ret = run(t, "NV_ReadPublic");
	if (ret)
		return ret;
	get16(t);				/* TPM2B_NV_PUBLIC size */
	got_index = get32(t);
	alg = get16(t);
	attrs = get32(t);
	policy_len = get16(t);
	policy = get(t, policy_len == 32 ? 32 : 0);
	size = get16(t);
	if (t->bad)
		return -EIO;
	if (got_index != index || alg != TV_TPM_ALG_SHA256 || policy_len != 32 ||
	    attrs != (TV_NV_ATTRS | TPMA_NV_WRITTEN) || size != TV_NV_DATA_SIZE)
		*v = NV_NOT_OURS;
	else
		*v = memcmp(policy, p->auth, 32) ? NV_OTHER_POLICY : NV_OURS;
	return 0;
}

/* A policy session satisfied for cc (NV_Read or NV_Write) in the current state. */
static int policy_session(struct tv_tpm *t, const struct tv_pcr_state *now,
			  const struct tv_nv_policy *p, u32 cc, u32 *session)
{
	u8 nonce[32];
	int ret;

	get_random_bytes(nonce, sizeof(nonce));
	cmd_begin(t, TV_TPM_ST_NO_SESSIONS, CC_START_AUTH_SESSION);
	put32(t, TV_TPM_RH_NULL);		/* tpmKey: unsalted */
	put32(t, TV_TPM_RH_NULL);		/* bind */
	put2b(t, nonce, sizeof(nonce));
	put16(t, 0);				/* encryptedSalt */
	put(t, (u8[]){ TV_TPM_SE_POLICY }, 1);
	put16(t, TV_TPM_ALG_NULL);		/* symmetric */
	put16(t, TV_TPM_ALG_SHA256);		/* authHash */
	ret = run(t, "StartAuthSession");
	if (ret)
		return ret;
	*session = get32(t);
	if (t->bad)
		return -EIO;

	cmd_begin(t, TV_TPM_ST_NO_SESSIONS, CC_POLICY_PCR);
	put32(t, *session);
	put16(t, 0);				/* pcrDigest: the TPM's own values */
	put(t, now->sel, sizeof(now->sel));
	ret = run(t, "PolicyPCR");
	if (!ret) {
		cmd_begin(t, TV_TPM_ST_NO_SESSIONS, CC_POLICY_CC);
		put32(t, *session);
		put32(t, cc);
		ret = run(t, "PolicyCommandCode");
	}
	if (!ret) {
		cmd_begin(t, TV_TPM_ST_NO_SESSIONS, CC_POLICY_OR);
		put32(t, *session);
		put32(t, 2);
		put2b(t, p->read, 32);
		put2b(t, p->write, 32);
		ret = run(t, "PolicyOR");
	}
	if (ret)
		flush(t, *session);
	return ret;
}

/* The index's data, read in the current state; the page is wiped by the caller. */
static int nv_read(struct tv_tpm *t, u32 index, const struct tv_pcr_state *now,
		   const struct tv_nv_policy *p, u8 data[TV_NV_DATA_SIZE])
{
	const u8 *d;
	u32 session;
	int ret = policy_session(t, now, p, CC_NV_READ, &session);

	if (ret)
		return ret;
	cmd_begin(t, TV_TPM_ST_SESSIONS, CC_NV_READ);
	put32(t, index);			/* authHandle */
	put32(t, index);
	put_auth(t, session);
	put16(t, TV_NV_DATA_SIZE);
	put16(t, 0);				/* offset */
	ret = run(t, "NV_Read");
	if (ret) {
		flush(t, session);		/* a failed command leaves it loaded */
		return ret;
	}
	d = get16(t) == TV_NV_DATA_SIZE ? get(t, TV_NV_DATA_SIZE) : NULL;
	if (!d)
		return -EIO;
	memcpy(data, d, TV_NV_DATA_SIZE);
	memzero_explicit(t->buf, PAGE_SIZE);
	return 0;
}

static int nv_undefine(struct tv_tpm *t, u32 index)
{
	cmd_begin(t, TV_TPM_ST_SESSIONS, CC_NV_UNDEFINE);
	put32(t, TV_TPM_RH_OWNER);
	put32(t, index);
	put_auth(t, TV_TPM_RS_PW);
	return run(t, "NV_UndefineSpace");
}

/* (Re)define the index under policy p and write data into it in the current state. */
static int nv_keep(struct tv_tpm *t, u32 index, const struct tv_pcr_state *now,
		   const struct tv_nv_policy *p, const u8 data[TV_NV_DATA_SIZE])
{
	u32 session;
	bool there;
	int ret;

	ret = handle_exists(t, index, &there);
	if (!ret && there)
		ret = nv_undefine(t, index);
	if (ret)
		return ret;
	cmd_begin(t, TV_TPM_ST_SESSIONS, CC_NV_DEFINE);
	put32(t, TV_TPM_RH_OWNER);
	put_auth(t, TV_TPM_RS_PW);		/* the owner's authorization, empty */
	put16(t, 0);				/* the index's authValue: unused */
	put16(t, 4 + 2 + 4 + 2 + 32 + 2);	/* TPM2B_NV_PUBLIC */
	put32(t, index);
	put16(t, TV_TPM_ALG_SHA256);
	put32(t, TV_NV_ATTRS);
	put2b(t, p->auth, 32);
	put16(t, TV_NV_DATA_SIZE);
	ret = run(t, "NV_DefineSpace");
	if (ret)
		return ret;
	ret = policy_session(t, now, p, CC_NV_WRITE, &session);
	if (!ret) {
		cmd_begin(t, TV_TPM_ST_SESSIONS, CC_NV_WRITE);
		put32(t, index);
		put32(t, index);
		put_auth(t, session);
		put2b(t, data, TV_NV_DATA_SIZE);
		put16(t, 0);			/* offset */
		ret = run(t, "NV_Write");
		memzero_explicit(t->buf, PAGE_SIZE);	/* the command held the secret */
		if (ret)
			flush(t, session);
	}
	/* Never left defined and unwritten: a later load would take it for not ours. */
	if (ret)
		nv_undefine(t, index);
	return ret;
}

/*
 * The salt key's TPMT_PUBLIC, as tpm2_createprimary -G ecc256 makes the
 * owner's storage key: restricted decryption, P-256, AES-128-CFB, and
 * unique x, y of 32 bytes each (zero in the template).
 */
#define TV_SALT_PUBLIC_SIZE	90
static void put_salt_public(struct tv_tpm *t, const u8 *x, const u8 *y)
{
	static const u8 zero[32];

	put16(t, TV_TPM_ALG_ECC);
	put16(t, TV_TPM_ALG_SHA256);
	put32(t, 0x00030072);	/* fixedTPM fixedParent sensitiveDataOrigin userWithAuth
				 * restricted decrypt */
	put16(t, 0);		/* authPolicy */
	put16(t, TV_TPM_ALG_AES);
	put16(t, 128);
	put16(t, TV_TPM_ALG_CFB);
	put16(t, TV_TPM_ALG_NULL);	/* scheme */
	put16(t, TV_TPM_ECC_NIST_P256);
	put16(t, TV_TPM_ALG_NULL);	/* kdf */
	put2b(t, x ?: zero, 32);
	put2b(t, y ?: zero, 32);
}

/*
 * The TPMT_PUBLIC in a response at the reader: exactly the template's but
 * for the point, which goes to x and y.
 */
static int get_salt_public(struct tv_tpm *t, u8 *x, u8 *y)
{
	u8 want[TV_SALT_PUBLIC_SIZE];
	struct tv_tpm w = { .buf = want };
	const u8 *p;

	if (get16(t) != TV_SALT_PUBLIC_SIZE || !(p = get(t, TV_SALT_PUBLIC_SIZE)))
		return -EIO;
	/* put() bounds by PAGE_SIZE: the template is 90 bytes, so it never gets near. */
	put_salt_public(&w, p + 24, p + 58);
	if (w.bad || w.len != TV_SALT_PUBLIC_SIZE || memcmp(want, p, TV_SALT_PUBLIC_SIZE))
		return -EPROTO;
	memcpy(x, p + 24, 32);
	memcpy(y, p + 58, 32);
	return 0;
}

static int evict(struct tv_tpm *t, u32 object, u32 persistent)
{
	cmd_begin(t, TV_TPM_ST_SESSIONS, CC_EVICT_CONTROL);
	put32(t, TV_TPM_RH_OWNER);
	put32(t, object);
	put_auth(t, TV_TPM_RS_PW);
	put32(t, persistent);
	return run(t, "EvictControl");
}

/*
 * The NV counter's salt key (docs/architecture.md): the owner's storage
 * primary of our template, derived again at each first launch, so the key
 * at TV_SALT_KEY is the TPM's own whatever an earlier, untrusted, kernel
 * put there: a key that is not this primary is replaced.  Its public point
 * goes to the monitor, which will trust no other.
 */
static int salt_key(struct tv_tpm *t, struct tv_salt_key *k)
{
	u8 x[32], y[32];
	u32 handle;
	bool there;
	int ret;

	cmd_begin(t, TV_TPM_ST_SESSIONS, CC_CREATE_PRIMARY);
	put32(t, TV_TPM_RH_OWNER);
	put_auth(t, TV_TPM_RS_PW);
	put16(t, 4);			/* inSensitive: no userAuth, no data */
	put16(t, 0);
	put16(t, 0);
	put16(t, TV_SALT_PUBLIC_SIZE);
	put_salt_public(t, NULL, NULL);
	put16(t, 0);			/* outsideInfo */
	put32(t, 0);			/* creationPCR: none */
	ret = run(t, "CreatePrimary");
	if (ret)
		return ret;
	t->len = 10;			/* run() took the handle for the parameter size */
	handle = get32(t);
	get32(t);
	ret = get_salt_public(t, k->x, k->y);
	if (!ret)
		ret = handle_exists(t, TV_SALT_KEY, &there);
	if (!ret && there) {
		cmd_begin(t, TV_TPM_ST_NO_SESSIONS, CC_READ_PUBLIC);
		put32(t, TV_SALT_KEY);
		ret = run(t, "ReadPublic");
		if (!ret && (get_salt_public(t, x, y) || memcmp(x, k->x, 32) ||
			     memcmp(y, k->y, 32))) {
			pr_info("TPM handle %#x held a key that is not TrustVisor's salt key: replaced\n",
				TV_SALT_KEY);
			ret = evict(t, TV_SALT_KEY, TV_SALT_KEY);
		} else if (!ret) {
			goto done;
		}
	}
	if (!ret)
		ret = evict(t, handle, TV_SALT_KEY);
done:
	flush(t, handle);
	k->handle = TV_SALT_KEY;
	k->ok = !ret;
	return ret;
}

/* For the log: the SECRET event in words. */
const char *tv_secret_desc(u32 kind, u32 reason)
{
	switch (kind) {
	case TV_SECRET_KEPT:
		return "kept by the TPM since an earlier launch";
	case TV_SECRET_CREATED:
		return "new, now kept by the TPM";
	case TV_SECRET_MIGRATED:
		return "kept for this monitor by an earlier version, now its own";
	}
	switch (reason) {
	case TV_SECRET_WHY_LATER:
		return "ephemeral: not the first launch in this boot";
	case TV_SECRET_WHY_POLICY:
		return "ephemeral: the kept one is another monitor's or boot chain's";
	case TV_SECRET_WHY_ASKED:
		return "ephemeral, as asked (secret=ephemeral)";
	case TV_SECRET_WHY_NOT_OURS:
		return "ephemeral: the TPM index is not one TrustVisor wrote";
	}
	return "ephemeral: the TPM failed a command";
}

/* upgrade_to and upgrade_from as bytes, parsed once by tv_secret_check_options(). */
static u8 upgrade_to_m[32], upgrade_from_m[32];

static int parse_measurement(const char *name, const char *hex, u8 out[32])
{
	if (!hex)
		return 0;
	if (strlen(hex) != 64 || hex2bin(out, hex, 32)) {
		pr_err("%s=%s: a monitor measurement is 64 hex digits (tvctl measure)\n", name,
		       hex);
		return -EINVAL;
	}
	return 0;
}

/* The module options, checked before anything is loaded. */
int tv_secret_check_options(void)
{
	if (strcmp(secret, "auto") && strcmp(secret, "ephemeral") && strcmp(secret, "new")) {
		pr_err("secret=%s: one of auto, ephemeral, new\n", secret);
		return -EINVAL;
	}
	return parse_measurement("upgrade_to", upgrade_to, upgrade_to_m) ?:
	       parse_measurement("upgrade_from", upgrade_from, upgrade_from_m);
}

/*
 * The kept secret of an earlier version that kept it for us (upgrade_to
 * there): its index is ours if its policy reads in our state and writes in
 * that version's.  Moved to our own index, then its index is undefined.
 */
static int take_upgrade(struct tv_tpm *t, u32 epcr, const struct tv_pcr_state *now,
			u8 data[TV_NV_DATA_SIZE], bool *got)
{
	struct tv_pcr_state was;
	struct tv_nv_policy p;
	enum tv_nv_verdict v;
	const u8 *from = upgrade_from_m;
	bool there;
	int ret;

	*got = false;
	ret = handle_exists(t, TV_NV_UPGRADE, &there);
	if (ret || !there) {
		if (!ret)
			pr_info("upgrade_from: no secret kept for this monitor at %#x\n",
				TV_NV_UPGRADE);
		return ret;
	}
	ret = pcr_state(t->chip, epcr, from, &was);
	if (ret)
		return ret;
	nv_policy(now, &was, &p);
	ret = nv_verdict(t, TV_NV_UPGRADE, &p, &v);
	if (ret || v != NV_OURS) {
		if (!ret)
			pr_info("upgrade_from: the index at %#x is not one monitor %s kept for this one on this boot chain\n",
				TV_NV_UPGRADE, upgrade_from);
		return ret;
	}
	ret = nv_read(t, TV_NV_UPGRADE, now, &p, data);
	if (ret)
		return ret;
	if (memcmp(data + 32, from, 32))
		return -EBADMSG;	/* written under that policy, so never */
	*got = true;
	return 0;
}

/*
 * The master secret for this launch, and what the SECRET event will say.
 * With *kept false the monitor draws its own (ephemeral).  A TPM that fails
 * makes the secret ephemeral, never the load fail: the event says so.
 */
void tv_secret_get(struct tpm_chip *chip, u32 epcr, bool first, const u8 *measurement,
		   u8 master[32], bool *kept, struct tv_salt_key *salt, struct tv_ev_secret *ev)
{
	struct tv_tpm t = { .chip = chip };
	struct tv_pcr_state now, next;
	struct tv_nv_policy mine, up;
	u8 data[TV_NV_DATA_SIZE];
	u32 kind = TV_SECRET_EPHEMERAL, why = 0;
	enum tv_nv_verdict v = NV_NOT_OURS;
	bool there = false, got = false, counter;
	int ret;

	*kept = false;
	salt->ok = false;
	if (!first)
		why = TV_SECRET_WHY_LATER;
	else if (!strcmp(secret, "ephemeral"))
		why = TV_SECRET_WHY_ASKED;
	if (why)
		goto out;
	why = TV_SECRET_WHY_TPM;
	t.buf = (u8 *)get_zeroed_page(GFP_KERNEL);	/* tpm_send wants a page */
	if (!t.buf)
		goto out;
	ret = pcr_state(chip, epcr, measurement, &now);
	ret = ret ?: evidence_pcr_is(chip, epcr, &now);
	if (ret)
		goto out;
	nv_policy(&now, &now, &mine);
	if (strcmp(secret, "new")) {
		ret = handle_exists(&t, TV_NV_SECRET, &there);
		if (!ret && there)
			ret = nv_verdict(&t, TV_NV_SECRET, &mine, &v);
		if (!ret && there && v == NV_OURS) {
			ret = nv_read(&t, TV_NV_SECRET, &now, &mine, data);
			if (!ret && memcmp(data + 32, measurement, 32))
				ret = -EBADMSG;	/* written under our policy, so never */
			kind = TV_SECRET_KEPT;
		} else if (!ret && upgrade_from) {
			ret = take_upgrade(&t, epcr, &now, data, &got);
			if (!ret && got) {
				memcpy(data + 32, measurement, 32);
				ret = nv_keep(&t, TV_NV_SECRET, &now, &mine, data);
				ret = ret ?: nv_undefine(&t, TV_NV_UPGRADE);
				kind = TV_SECRET_MIGRATED;
			}
		}
		if (ret)
			goto out;
		if (there && kind == TV_SECRET_EPHEMERAL) {
			/* Never replaced unasked: another boot chain or version may want it back. */
			why = v == NV_NOT_OURS ? TV_SECRET_WHY_NOT_OURS : TV_SECRET_WHY_POLICY;
			pr_info("TPM NV %#x holds %s: this launch's secret is ephemeral (secret=new replaces it)\n",
				TV_NV_SECRET, v == NV_NOT_OURS ? "an index TrustVisor did not write" :
				"the secret kept for another monitor or boot chain");
			goto out;
		}
	}
	if (kind == TV_SECRET_EPHEMERAL) {
		get_random_bytes(data, 32);
		memcpy(data + 32, measurement, 32);
		ret = nv_keep(&t, TV_NV_SECRET, &now, &mine, data);
		if (ret)
			goto out;
		kind = TV_SECRET_CREATED;
		/* The NV counter of the secret this one replaces: no one can use it now. */
		if (!handle_exists(&t, TV_NV_COUNTER_INDEX, &counter) && counter &&
		    !nv_undefine(&t, TV_NV_COUNTER_INDEX))
			pr_info("the NV counter of the replaced secret is undefined: the monitor defines its own\n");
	}
	if (upgrade_to) {
		/* Kept for the other version too: written in our state, read in its. */
		ret = pcr_state(chip, epcr, upgrade_to_m, &next);
		if (!ret) {
			nv_policy(&next, &now, &up);
			ret = nv_keep(&t, TV_NV_UPGRADE, &now, &up, data);
		}
		if (ret)
			pr_err("upgrade_to: the secret could not be kept for monitor %s (%d)\n",
			       upgrade_to, ret);
		else
			pr_info("the secret is kept for monitor %s too: load it with upgrade_from=%32phN\n",
				upgrade_to, measurement);
		ret = 0;
	}
	memcpy(master, data, 32);
	*kept = true;
	why = 0;
	/* The NV counter's key: without it the kept secret is kept all the same. */
	ret = salt_key(&t, salt);
	if (ret)
		pr_err("the NV counter's salt key could not be made (%d): no NV counter\n", ret);
out:
	memzero_explicit(data, sizeof(data));
	if (t.buf) {
		memzero_explicit(t.buf, PAGE_SIZE);
		free_page((unsigned long)t.buf);
	}
	if (!*kept)
		kind = TV_SECRET_EPHEMERAL;
	ev->kind = cpu_to_le32(kind);
	ev->reason = cpu_to_le32(why);
}
