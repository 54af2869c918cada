// SPDX-License-Identifier: GPL-2.0
/*
 * TPM 2.0 commands in a salted, encrypting HMAC session (TPM 2.0 Part 1
 * sections 19 and 21, Part 3 StartAuthSession and the NV commands).  Linux
 * relays the bytes, so everything it returns is checked before any of it is
 * believed, and a session is either advanced whole (new nonceTPM, a
 * verified result) or broken.  Sizes are allow-listed per command: the only
 * parameters that exist are the handful these commands have.
 */
#include "lib/tpm2.h"
#include "lib/aes.h"
#include "lib/ct.h"
#include "lib/ecdsa.h"
#include "lib/hmac.h"
#include "lib/p256.h"
#include "lib/sha256.h"

#define TPM_ST_NO_SESSIONS 0x8001
#define TPM_ST_SESSIONS 0x8002

#define TPM_CC_NV_DEFINE_SPACE 0x0000012a
#define TPM_CC_NV_INCREMENT 0x00000134
#define TPM_CC_NV_READ 0x0000014e
#define TPM_CC_FLUSH_CONTEXT 0x00000165
#define TPM_CC_NV_READ_PUBLIC 0x00000169
#define TPM_CC_START_AUTH_SESSION 0x00000176
#define TPM_CC_GET_CAPABILITY 0x0000017a
#define TPM_CAP_HANDLES 0x00000001

#define TPM_RH_OWNER 0x40000001
#define TPM_RH_NULL 0x40000007
#define TPM_ALG_AES 0x0006
#define TPM_ALG_SHA256 0x000b
#define TPM_ALG_CFB 0x0043
#define TPM_SE_HMAC 0x00

#define TPM_HT_NV_INDEX 0x01
#define TPM_HT_HMAC_SESSION 0x02
#define TPM_HT_TRANSIENT 0x80
#define TPM_HT_PERSISTENT 0x81

#define TPMA_SESSION_CONTINUE 0x01
#define TPMA_SESSION_DECRYPT 0x20
#define TPMA_SESSION_ENCRYPT 0x40

#define TPMA_NV_AUTHWRITE (1u << 2)
#define TPM_NT_COUNTER (1u << 4)
#define TPMA_NV_AUTHREAD (1u << 18)
#define TPMA_NV_NO_DA (1u << 25)
#define TPMA_NV_WRITTEN (1u << 29)
/* Nothing else: no owner or platform access, no policy, no locks. */
#define NV_COUNTER_ATTRS (TPM_NT_COUNTER | TPMA_NV_AUTHWRITE | TPMA_NV_AUTHREAD | \
			  TPMA_NV_NO_DA)
#define NV_COUNTER_SIZE 8
#define NV_PUBLIC_SIZE 14	/* TPMS_NV_PUBLIC with an empty authPolicy */

/* TPM_RC values are 12 bits; anything above is not a TPM's answer. */
#define TPM_RC_MAX 0xfff
#define TPM_RC_FMT1 0x080

#define AES128_CFB_KEY_IV 32	/* KDFa output: 128-bit key, then 128-bit IV */
/* One command's parameters: DefineSpace's are the largest (50 bytes). */
#define PARAMS_MAX 64
/* authorizationSize of one session with a 32-byte nonce and HMAC. */
#define AUTH_AREA_SIZE (4 + 2 + TPM2_NONCE_SIZE + 1 + 2 + TPM2_DIGEST_SIZE)

/* --- marshalling --- */

void tpm2_wr_init(struct tpm2_wr *w, u8 *buf, size_t cap)
{
	w->buf = buf;
	w->cap = buf ? cap : 0;
	w->len = 0;
	w->bad = false;
}

void tpm2_put_bytes(struct tpm2_wr *w, const void *p, size_t n)
{
	if (w->bad || n > w->cap - w->len) {
		w->bad = true;
		return;
	}
	if (n)
		memcpy(w->buf + w->len, p, n);
	w->len += n;
}

void tpm2_put_u8(struct tpm2_wr *w, u8 v)
{
	tpm2_put_bytes(w, &v, 1);
}

void tpm2_put_u16(struct tpm2_wr *w, u16 v)
{
	u8 b[2] = { v >> 8, v };

	tpm2_put_bytes(w, b, sizeof(b));
}

void tpm2_put_u32(struct tpm2_wr *w, u32 v)
{
	u8 b[4] = { v >> 24, v >> 16, v >> 8, v };

	tpm2_put_bytes(w, b, sizeof(b));
}

void tpm2_put_tpm2b(struct tpm2_wr *w, const void *p, size_t n)
{
	if (n > 0xffff) {
		w->bad = true;
		return;
	}
	tpm2_put_u16(w, (u16)n);
	tpm2_put_bytes(w, p, n);
}

void tpm2_put_u32_at(struct tpm2_wr *w, size_t off, u32 v)
{
	if (w->bad || off > w->len || w->len - off < 4) {
		w->bad = true;
		return;
	}
	w->buf[off] = v >> 24;
	w->buf[off + 1] = v >> 16;
	w->buf[off + 2] = v >> 8;
	w->buf[off + 3] = v;
}

void tpm2_rd_init(struct tpm2_rd *r, const u8 *buf, size_t len)
{
	r->buf = buf;
	r->len = buf ? len : 0;
	r->off = 0;
	r->bad = !buf;
}

const u8 *tpm2_get_bytes(struct tpm2_rd *r, size_t n)
{
	const u8 *p;

	if (r->bad || n > r->len - r->off) {
		r->bad = true;
		return NULL;
	}
	p = r->buf + r->off;
	r->off += n;
	return p;
}

u8 tpm2_get_u8(struct tpm2_rd *r)
{
	const u8 *p = tpm2_get_bytes(r, 1);

	return p ? p[0] : 0;
}

u16 tpm2_get_u16(struct tpm2_rd *r)
{
	const u8 *p = tpm2_get_bytes(r, 2);

	return p ? (u16)(p[0] << 8 | p[1]) : 0;
}

u32 tpm2_get_u32(struct tpm2_rd *r)
{
	const u8 *p = tpm2_get_bytes(r, 4);

	return p ? (u32)p[0] << 24 | (u32)p[1] << 16 | (u32)p[2] << 8 | p[3] : 0;
}

const u8 *tpm2_get_tpm2b(struct tpm2_rd *r, size_t max, size_t *n)
{
	size_t size = tpm2_get_u16(r);
	const u8 *p;

	*n = 0;
	if (r->bad || size > max) {
		r->bad = true;
		return NULL;
	}
	p = tpm2_get_bytes(r, size);
	if (p)
		*n = size;
	return p;
}

bool tpm2_rd_done(const struct tpm2_rd *r)
{
	return !r->bad && r->off == r->len;
}

/* --- key derivation --- */

static void put_be32(u8 b[4], u32 v)
{
	b[0] = v >> 24;
	b[1] = v >> 16;
	b[2] = v >> 8;
	b[3] = v;
}

static size_t label_size(const char *label)
{
	size_t n = 0;

	while (label[n])
		n++;
	return n + 1;
}

int tpm2_kdfa(const u8 *key, size_t key_len, const char *label, const u8 *u,
	      size_t u_len, const u8 *v, size_t v_len, u8 *out, size_t out_len)
{
	struct hmac_sha256_ctx h;
	u8 ctr[4], bits[4], blk[SHA256_DIGEST_SIZE];
	size_t done, n;
	u32 i;

	if (out_len > 2 * SHA256_DIGEST_SIZE)
		return TV_ERANGE;
	put_be32(bits, (u32)out_len * 8);
	for (i = 1, done = 0; done < out_len; i++, done += n) {
		put_be32(ctr, i);
		hmac_sha256_init(&h, key, key_len);
		hmac_sha256_update(&h, ctr, 4);
		hmac_sha256_update(&h, label, label_size(label));
		hmac_sha256_update(&h, u, u_len);
		hmac_sha256_update(&h, v, v_len);
		hmac_sha256_update(&h, bits, 4);
		hmac_sha256_final(&h, blk);
		n = out_len - done < sizeof(blk) ? out_len - done : sizeof(blk);
		memcpy(out + done, blk, n);
	}
	secure_wipe(blk, sizeof(blk));
	return TV_OK;
}

int tpm2_kdfe(const u8 *z, size_t z_len, const char *label, const u8 *u,
	      size_t u_len, const u8 *v, size_t v_len, u8 *out, size_t out_len)
{
	struct sha256_ctx h;
	u8 ctr[4], blk[SHA256_DIGEST_SIZE];
	size_t done, n;
	u32 i;

	if (out_len > 2 * SHA256_DIGEST_SIZE)
		return TV_ERANGE;
	for (i = 1, done = 0; done < out_len; i++, done += n) {
		put_be32(ctr, i);
		sha256_init(&h);
		sha256_update(&h, ctr, 4);
		sha256_update(&h, z, z_len);
		sha256_update(&h, label, label_size(label));
		sha256_update(&h, u, u_len);
		sha256_update(&h, v, v_len);
		sha256_final(&h, blk);
		n = out_len - done < sizeof(blk) ? out_len - done : sizeof(blk);
		memcpy(out + done, blk, n);
	}
	secure_wipe(blk, sizeof(blk));
	return TV_OK;
}

u32 tpm2_rc_base(u32 rc)
{
	/* Format 1: bits 6 (parameter) and 8-11 (number) say where, not what. */
	return rc & TPM_RC_FMT1 ? rc & 0xbf : rc;
}

/* --- the NV counter --- */

int tpm2_nv_counter_init(struct tpm2_nv_counter *nv, u32 index, const u8 *auth,
			 size_t auth_len)
{
	size_t i;
	u8 any = 0;

	if (!nv || !auth || index >> 24 != TPM_HT_NV_INDEX || !auth_len ||
	    auth_len > TPM2_AUTH_MAX)
		return TV_EINVAL;
	for (i = 0; i < auth_len; i++)
		any |= auth[i];
	/* Refusing only an all-zero auth: that fact is public. */
	ct_declassify(&any, sizeof(any));
	if (!any)
		return TV_EINVAL;
	memset(nv, 0, sizeof(*nv));
	nv->index = index;
	nv->auth_len = (u8)auth_len;
	memcpy(nv->auth, auth, auth_len);
	return TV_OK;
}

static u32 nv_attrs(const struct tpm2_nv_counter *nv)
{
	return NV_COUNTER_ATTRS | (nv->written ? TPMA_NV_WRITTEN : 0);
}

/* TPMS_NV_PUBLIC, as the TPM hashes it into the name. */
static void put_nv_public(struct tpm2_wr *w, const struct tpm2_nv_counter *nv)
{
	tpm2_put_u32(w, nv->index);
	tpm2_put_u16(w, TPM_ALG_SHA256);
	tpm2_put_u32(w, nv_attrs(nv));
	tpm2_put_tpm2b(w, NULL, 0);
	tpm2_put_u16(w, NV_COUNTER_SIZE);
}

void tpm2_nv_counter_name(const struct tpm2_nv_counter *nv, u8 name[TPM2_NAME_MAX])
{
	u8 pub[NV_PUBLIC_SIZE];
	struct tpm2_wr w;

	tpm2_wr_init(&w, pub, sizeof(pub));
	put_nv_public(&w, nv);
	name[0] = TPM_ALG_SHA256 >> 8;
	name[1] = TPM_ALG_SHA256 & 0xff;
	sha256(pub, sizeof(pub), name + 2);
}

/* --- session plumbing --- */

void tpm2_session_wipe(struct tpm2_session *s)
{
	secure_wipe(s, sizeof(*s));
}

/* Keeps only the handle, so the caller can still flush it. */
static void session_break(struct tpm2_session *s)
{
	u32 handle = s->handle;

	tpm2_session_wipe(s);
	s->handle = handle;
	s->state = TPM2_SESSION_BROKEN;
}

static void put_header(struct tpm2_wr *w, u16 tag, u32 cc)
{
	tpm2_put_u16(w, tag);
	tpm2_put_u32(w, 0);		/* size, patched by finish_cmd */
	tpm2_put_u32(w, cc);
}

static int finish_cmd(struct tpm2_wr *w, size_t *len)
{
	tpm2_put_u32_at(w, 2, (u32)w->len);
	if (w->bad)
		return TV_ERANGE;
	*len = w->len;
	return TV_OK;
}

/* sessionKey || authValue: the HMAC key and the CFB KDF key alike. */
static size_t hmac_key(const struct tpm2_session *s, u8 key[2 * TPM2_DIGEST_SIZE])
{
	memcpy(key, s->key, TPM2_DIGEST_SIZE);
	memcpy(key + TPM2_DIGEST_SIZE, s->auth, s->auth_len);
	return TPM2_DIGEST_SIZE + s->auth_len;
}

/*
 * Encrypts or decrypts the data of the TPM2B at the start of p[0..n) in
 * place: the key and IV come from the nonces of this very exchange, newer
 * first (Part 1 21.4).  The TPM2B's size stays in the clear.
 */
static int param_crypt(const struct tpm2_session *s, u8 *p, size_t n,
		       const u8 *newer, const u8 *older, bool decrypt)
{
	u8 key[2 * TPM2_DIGEST_SIZE], kiv[AES128_CFB_KEY_IV];
	struct aes128_ctx aes;
	size_t klen = hmac_key(s, key), size;

	if (n < 2)
		return TV_EINVAL;
	size = (size_t)p[0] << 8 | p[1];
	if (size > n - 2)
		return TV_EINVAL;
	tpm2_kdfa(key, klen, "CFB", newer, TPM2_NONCE_SIZE, older, TPM2_NONCE_SIZE,
		  kiv, sizeof(kiv));
	aes128_init(&aes, kiv);
	if (decrypt)
		aes128_cfb_decrypt(&aes, kiv + AES128_KEY_SIZE, p + 2, p + 2, size);
	else
		aes128_cfb_encrypt(&aes, kiv + AES128_KEY_SIZE, p + 2, p + 2, size);
	aes128_wipe(&aes);
	secure_wipe(kiv, sizeof(kiv));
	secure_wipe(key, sizeof(key));
	return TV_OK;
}

/* HMAC(sessionKey || authValue, pHash || nonceNewer || nonceOlder || attrs). */
static void session_hmac(const struct tpm2_session *s, const u8 phash[TPM2_DIGEST_SIZE],
			 const u8 *newer, const u8 *older, u8 attrs,
			 u8 out[TPM2_DIGEST_SIZE])
{
	u8 key[2 * TPM2_DIGEST_SIZE];
	struct hmac_sha256_ctx h;

	hmac_sha256_init(&h, key, hmac_key(s, key));
	hmac_sha256_update(&h, phash, TPM2_DIGEST_SIZE);
	hmac_sha256_update(&h, newer, TPM2_NONCE_SIZE);
	hmac_sha256_update(&h, older, TPM2_NONCE_SIZE);
	hmac_sha256_update(&h, &attrs, 1);
	hmac_sha256_final(&h, out);
	secure_wipe(key, sizeof(key));
}

/*
 * Part 1 19.6.5: the TPM drops an authValue's trailing zeros before it keys
 * an HMAC with it, so the key's length depends on the secret.  The count is
 * found without branching on the bytes, then declassified: the HMAC's
 * length is bound to show it, and for a random auth it is almost always 0.
 */
static u8 auth_stripped_len(const u8 *auth, size_t n)
{
	u32 seen = 0, len = 0;
	size_t i;

	for (i = n; i; i--) {
		seen |= auth[i - 1];
		len += (u32)((0u - seen) >> 31);	/* 1 once a nonzero byte is seen */
	}
	ct_declassify(&len, sizeof(len));
	return (u8)len;
}

/* What one session command is: the layout the builder is given. */
struct session_cmd {
	u32 cc;
	u32 handles[2];
	const u8 *names[2];
	size_t name_lens[2];
	int nhandles;
	u8 params[PARAMS_MAX];
	size_t plen;
	bool decrypt;		/* first parameter is a TPM2B to hide */
	bool encrypt;		/* the response's first parameter is one */
	u32 nv_index;		/* 0 for owner-authorized DefineSpace */
	const u8 *auth;		/* the authorized entity's authValue */
	size_t auth_len;
};

/*
 * Builds c into cmd.  The session takes the new nonce, the command and the
 * entity's auth only if the whole command fitted; until then it is not
 * touched, so a too-small buffer leaves it READY.
 */
static int build_session_cmd(struct tpm2_session *s, struct session_cmd *c,
			     const u8 nonce[TPM2_NONCE_SIZE], u8 *cmd, size_t cap,
			     size_t *len)
{
	struct tpm2_session next;
	struct sha256_ctx h;
	u8 cc_be[4], cphash[TPM2_DIGEST_SIZE], mac[TPM2_DIGEST_SIZE];
	struct tpm2_wr w;
	int i, ret;

	if (s->state != TPM2_SESSION_READY)
		return TV_EPERM;
	if (!nonce || !len || c->auth_len > TPM2_AUTH_MAX)
		return TV_EINVAL;

	next = *s;
	memcpy(next.nonce_caller, nonce, TPM2_NONCE_SIZE);
	next.cc = c->cc;
	next.nv_index = c->nv_index;
	next.attrs = TPMA_SESSION_CONTINUE | (c->decrypt ? TPMA_SESSION_DECRYPT : 0) |
		     (c->encrypt ? TPMA_SESSION_ENCRYPT : 0);
	next.auth_len = auth_stripped_len(c->auth, c->auth_len);
	memset(next.auth, 0, sizeof(next.auth));
	memcpy(next.auth, c->auth, next.auth_len);

	ret = TV_OK;
	if (c->decrypt)
		ret = param_crypt(&next, c->params, c->plen, next.nonce_caller,
				  next.nonce_tpm, false);
	if (ret)
		goto out;

	/* cpHash is over the parameters as sent, i.e. encrypted. */
	put_be32(cc_be, c->cc);
	sha256_init(&h);
	sha256_update(&h, cc_be, 4);
	for (i = 0; i < c->nhandles; i++)
		sha256_update(&h, c->names[i], c->name_lens[i]);
	sha256_update(&h, c->params, c->plen);
	sha256_final(&h, cphash);
	session_hmac(&next, cphash, next.nonce_caller, next.nonce_tpm, next.attrs, mac);

	tpm2_wr_init(&w, cmd, cap);
	put_header(&w, TPM_ST_SESSIONS, c->cc);
	for (i = 0; i < c->nhandles; i++)
		tpm2_put_u32(&w, c->handles[i]);
	tpm2_put_u32(&w, AUTH_AREA_SIZE);
	tpm2_put_u32(&w, next.handle);
	tpm2_put_tpm2b(&w, next.nonce_caller, TPM2_NONCE_SIZE);
	tpm2_put_u8(&w, next.attrs);
	tpm2_put_tpm2b(&w, mac, sizeof(mac));
	tpm2_put_bytes(&w, c->params, c->plen);
	ret = finish_cmd(&w, len);
	if (!ret) {
		next.state = TPM2_SESSION_PENDING;
		*s = next;
	}
out:
	secure_wipe(&next, sizeof(next));
	secure_wipe(mac, sizeof(mac));
	secure_wipe(c->params, sizeof(c->params));
	return ret;
}

/* The verified response parameters (decrypted) and the TPM's next nonce. */
struct session_rsp {
	u8 params[PARAMS_MAX];
	size_t plen;
	u8 nonce_tpm[TPM2_NONCE_SIZE];
};

/*
 * Header of any response.  TV_OK with *rc = 0 for success with the
 * expected tag; a positive TPM code for a well-formed error (tag
 * NO_SESSIONS, header only: a TPM never sends more with an error).
 */
static int check_header(struct tpm2_rd *r, size_t len, u16 ok_tag)
{
	u16 tag = tpm2_get_u16(r);
	u32 size = tpm2_get_u32(r);
	u32 rc = tpm2_get_u32(r);

	if (r->bad || size != len)
		return TV_EINVAL;
	if (rc) {
		if (tag != TPM_ST_NO_SESSIONS || len != TPM2_HDR_SIZE || rc > TPM_RC_MAX)
			return TV_EINVAL;
		return (int)rc;
	}
	return tag == ok_tag ? TV_OK : TV_EINVAL;
}

/*
 * Checks the response to the PENDING command cc: header, exact sizes, the
 * attributes echoed, then the HMAC (over the parameters as received), and
 * only then decrypts.  Nothing in s changes here: session_rsp_end decides.
 */
static int open_session_rsp(const struct tpm2_session *s, u32 cc, const u8 *rsp,
			    size_t len, struct session_rsp *out)
{
	u8 rphash[TPM2_DIGEST_SIZE], mac[TPM2_DIGEST_SIZE], zero_cc[8];
	const u8 *params, *nonce, *hmac;
	size_t nonce_len, hmac_len;
	struct tpm2_rd r;
	u32 plen;
	u8 attrs;
	int ret, eq;

	if (s->state != TPM2_SESSION_PENDING || s->cc != cc)
		return TV_EPERM;
	tpm2_rd_init(&r, rsp, len);
	ret = check_header(&r, len, TPM_ST_SESSIONS);
	if (ret)
		return ret;
	/* None of these commands returns a handle. */
	plen = tpm2_get_u32(&r);
	if (plen > PARAMS_MAX)
		return TV_EINVAL;
	params = tpm2_get_bytes(&r, plen);
	nonce = tpm2_get_tpm2b(&r, TPM2_NONCE_SIZE, &nonce_len);
	attrs = tpm2_get_u8(&r);
	hmac = tpm2_get_tpm2b(&r, TPM2_DIGEST_SIZE, &hmac_len);
	if (!tpm2_rd_done(&r) || nonce_len != TPM2_NONCE_SIZE ||
	    hmac_len != TPM2_DIGEST_SIZE || attrs != s->attrs)
		return TV_EINVAL;

	memset(zero_cc, 0, 4);
	put_be32(zero_cc + 4, cc);
	{
		struct sha256_ctx h;

		sha256_init(&h);
		sha256_update(&h, zero_cc, sizeof(zero_cc));	/* TPM_RC_SUCCESS || cc */
		sha256_update(&h, params, plen);
		sha256_final(&h, rphash);
	}
	session_hmac(s, rphash, nonce, s->nonce_caller, attrs, mac);
	eq = ct_memeq(mac, hmac, TPM2_DIGEST_SIZE);
	secure_wipe(mac, sizeof(mac));
	ct_declassify(&eq, sizeof(eq));
	if (!eq)
		return TV_EAUTH;

	memcpy(out->params, params, plen);
	out->plen = plen;
	memcpy(out->nonce_tpm, nonce, TPM2_NONCE_SIZE);
	if (s->attrs & TPMA_SESSION_ENCRYPT)
		return param_crypt(s, out->params, plen, out->nonce_tpm,
				   s->nonce_caller, true);
	return TV_OK;
}

/* Advances the session by one verified exchange, or breaks it. */
static int end_session_rsp(struct tpm2_session *s, struct session_rsp *v, int ret)
{
	if (ret) {
		session_break(s);
	} else {
		memcpy(s->nonce_tpm, v->nonce_tpm, TPM2_NONCE_SIZE);
		s->cc = 0;
		s->nv_index = 0;
		s->attrs = 0;
		secure_wipe(s->auth, sizeof(s->auth));
		s->auth_len = 0;
		s->state = TPM2_SESSION_READY;
	}
	secure_wipe(v, sizeof(*v));
	return ret;
}

/* --- StartAuthSession --- */

static bool salt_key_handle_ok(u32 h)
{
	return h >> 24 == TPM_HT_TRANSIENT || h >> 24 == TPM_HT_PERSISTENT;
}

int tpm2_start_session_cmd(struct tpm2_session *s, const struct tpm2_salt_key *key,
			   const u8 eph_seed[32], const u8 nonce[TPM2_NONCE_SIZE],
			   u8 *cmd, size_t cap, size_t *len)
{
	u8 e[P256_SCALAR_SIZE], qe[P256_PUBKEY_SIZE], z[32], salt[TPM2_DIGEST_SIZE];
	struct tpm2_wr w;
	int ret;

	if (s->state != TPM2_SESSION_IDLE)
		return TV_EPERM;
	if (!key || !eph_seed || !nonce || !len || !salt_key_handle_ok(key->handle))
		return TV_EINVAL;

	ret = p256_keygen(eph_seed, e, qe);
	if (!ret)
		ret = p256_ecdh(z, e, key->x, key->y);
	if (ret)
		goto out;
	/* Part 1 C.6.1: salt = KDFe(nameAlg, Z, "SECRET", QeU.x, QsV.x, 256). */
	tpm2_kdfe(z, sizeof(z), "SECRET", qe + 1, 32, key->x, 32, salt, sizeof(salt));

	tpm2_wr_init(&w, cmd, cap);
	put_header(&w, TPM_ST_NO_SESSIONS, TPM_CC_START_AUTH_SESSION);
	tpm2_put_u32(&w, key->handle);
	tpm2_put_u32(&w, TPM_RH_NULL);
	tpm2_put_tpm2b(&w, nonce, TPM2_NONCE_SIZE);
	/* encryptedSalt: TPMS_ECC_POINT QeU */
	tpm2_put_u16(&w, 2 + 32 + 2 + 32);
	tpm2_put_tpm2b(&w, qe + 1, 32);
	tpm2_put_tpm2b(&w, qe + 33, 32);
	tpm2_put_u8(&w, TPM_SE_HMAC);
	tpm2_put_u16(&w, TPM_ALG_AES);
	tpm2_put_u16(&w, 128);
	tpm2_put_u16(&w, TPM_ALG_CFB);
	tpm2_put_u16(&w, TPM_ALG_SHA256);
	ret = finish_cmd(&w, len);
	if (!ret) {
		memcpy(s->salt, salt, sizeof(salt));
		memcpy(s->nonce_caller, nonce, TPM2_NONCE_SIZE);
		s->state = TPM2_SESSION_STARTING;
	}
out:
	secure_wipe(e, sizeof(e));
	secure_wipe(z, sizeof(z));
	secure_wipe(salt, sizeof(salt));
	return ret;
}

/*
 * The response is not authenticated (nothing can be yet); a forged handle
 * or nonceTPM gives a session key the TPM does not have, so the first
 * command in the session fails rather than anything being accepted.
 */
int tpm2_start_session_rsp(struct tpm2_session *s, const u8 *rsp, size_t len)
{
	const u8 *nonce;
	size_t nonce_len;
	struct tpm2_rd r;
	u32 handle;
	int ret;

	if (s->state != TPM2_SESSION_STARTING)
		return TV_EPERM;
	tpm2_rd_init(&r, rsp, len);
	ret = check_header(&r, len, TPM_ST_NO_SESSIONS);
	if (ret)
		goto fail;
	handle = tpm2_get_u32(&r);
	nonce = tpm2_get_tpm2b(&r, TPM2_NONCE_SIZE, &nonce_len);
	if (!tpm2_rd_done(&r) || nonce_len != TPM2_NONCE_SIZE ||
	    handle >> 24 != TPM_HT_HMAC_SESSION) {
		ret = TV_EINVAL;
		goto fail;
	}
	s->handle = handle;
	memcpy(s->nonce_tpm, nonce, TPM2_NONCE_SIZE);
	/* sessionKey = KDFa(SHA-256, salt, "ATH", nonceTPM, nonceCaller, 256) */
	tpm2_kdfa(s->salt, sizeof(s->salt), "ATH", s->nonce_tpm, TPM2_NONCE_SIZE,
		  s->nonce_caller, TPM2_NONCE_SIZE, s->key, sizeof(s->key));
	secure_wipe(s->salt, sizeof(s->salt));
	s->state = TPM2_SESSION_READY;
	return TV_OK;
fail:
	session_break(s);
	return ret;
}

/* --- NV commands in the session --- */

static void nv_handles(struct session_cmd *c, const struct tpm2_nv_counter *nv,
		       const u8 *name)
{
	/* authHandle and nvIndex are the same index: its own auth. */
	c->handles[0] = c->handles[1] = nv->index;
	c->names[0] = c->names[1] = name;
	c->name_lens[0] = c->name_lens[1] = TPM2_NAME_MAX;
	c->nhandles = 2;
	c->nv_index = nv->index;
	c->auth = nv->auth;
	c->auth_len = nv->auth_len;
}

static bool nv_ok(const struct tpm2_nv_counter *nv)
{
	return nv && nv->index >> 24 == TPM_HT_NV_INDEX && nv->auth_len &&
	       nv->auth_len <= TPM2_AUTH_MAX;
}

int tpm2_nv_define_cmd(struct tpm2_session *s, const struct tpm2_nv_counter *nv,
		       const u8 nonce[TPM2_NONCE_SIZE], u8 *cmd, size_t cap, size_t *len)
{
	static const u8 owner_name[4] = { 0x40, 0x00, 0x00, 0x01 };
	static const u8 owner_auth[1];
	struct tpm2_nv_counter fresh;
	struct session_cmd c = { 0 };
	struct tpm2_wr w;

	if (!nv_ok(nv))
		return TV_EINVAL;
	fresh = *nv;
	fresh.written = false;

	c.cc = TPM_CC_NV_DEFINE_SPACE;
	c.handles[0] = TPM_RH_OWNER;
	c.names[0] = owner_name;	/* a permanent handle's name is itself */
	c.name_lens[0] = sizeof(owner_name);
	c.nhandles = 1;
	c.decrypt = true;		/* the new index's auth, the first parameter */
	c.auth = owner_auth;		/* ownerAuth: empty */
	c.auth_len = 0;

	tpm2_wr_init(&w, c.params, sizeof(c.params));
	tpm2_put_tpm2b(&w, nv->auth, nv->auth_len);
	tpm2_put_u16(&w, NV_PUBLIC_SIZE);
	put_nv_public(&w, &fresh);
	secure_wipe(&fresh, sizeof(fresh));
	if (w.bad)
		return TV_ERANGE;
	c.plen = w.len;
	return build_session_cmd(s, &c, nonce, cmd, cap, len);
}

int tpm2_nv_define_rsp(struct tpm2_session *s, const u8 *rsp, size_t len)
{
	struct session_rsp v;
	int ret;

	ret = open_session_rsp(s, TPM_CC_NV_DEFINE_SPACE, rsp, len, &v);
	if (ret == TV_EPERM)
		return ret;
	if (!ret && v.plen)
		ret = TV_EINVAL;
	return end_session_rsp(s, &v, ret);
}

int tpm2_nv_increment_cmd(struct tpm2_session *s, const struct tpm2_nv_counter *nv,
			  const u8 nonce[TPM2_NONCE_SIZE], u8 *cmd, size_t cap,
			  size_t *len)
{
	struct session_cmd c = { 0 };
	u8 name[TPM2_NAME_MAX];

	if (!nv_ok(nv))
		return TV_EINVAL;
	tpm2_nv_counter_name(nv, name);
	c.cc = TPM_CC_NV_INCREMENT;
	nv_handles(&c, nv, name);
	return build_session_cmd(s, &c, nonce, cmd, cap, len);
}

int tpm2_nv_increment_rsp(struct tpm2_session *s, struct tpm2_nv_counter *nv,
			  const u8 *rsp, size_t len)
{
	struct session_rsp v;
	int ret;

	if (!nv_ok(nv))
		return TV_EINVAL;
	ret = open_session_rsp(s, TPM_CC_NV_INCREMENT, rsp, len, &v);
	if (ret == TV_EPERM)
		return ret;
	if (!ret && (v.plen || s->nv_index != nv->index))
		ret = TV_EINVAL;
	if (!ret)
		nv->written = true;
	return end_session_rsp(s, &v, ret);
}

int tpm2_nv_read_cmd(struct tpm2_session *s, const struct tpm2_nv_counter *nv,
		     const u8 nonce[TPM2_NONCE_SIZE], u8 *cmd, size_t cap, size_t *len)
{
	struct session_cmd c = { 0 };
	u8 name[TPM2_NAME_MAX];
	struct tpm2_wr w;

	if (!nv_ok(nv))
		return TV_EINVAL;
	tpm2_nv_counter_name(nv, name);
	c.cc = TPM_CC_NV_READ;
	nv_handles(&c, nv, name);
	c.encrypt = true;		/* the value comes back as a TPM2B */
	tpm2_wr_init(&w, c.params, sizeof(c.params));
	tpm2_put_u16(&w, NV_COUNTER_SIZE);
	tpm2_put_u16(&w, 0);
	c.plen = w.len;
	return build_session_cmd(s, &c, nonce, cmd, cap, len);
}

int tpm2_nv_read_rsp(struct tpm2_session *s, const struct tpm2_nv_counter *nv,
		     const u8 *rsp, size_t len, u64 *value)
{
	struct session_rsp v;
	int ret, i;
	u64 x = 0;

	if (!nv_ok(nv) || !value)
		return TV_EINVAL;
	ret = open_session_rsp(s, TPM_CC_NV_READ, rsp, len, &v);
	if (ret == TV_EPERM)
		return ret;
	/* Exactly a TPM2B_MAX_NV_BUFFER of 8 bytes. */
	if (!ret && (v.plen != 2 + NV_COUNTER_SIZE || v.params[0] ||
		     v.params[1] != NV_COUNTER_SIZE || s->nv_index != nv->index))
		ret = TV_EINVAL;
	if (!ret) {
		for (i = 0; i < NV_COUNTER_SIZE; i++)
			x = x << 8 | v.params[2 + i];
		*value = x;
	}
	return end_session_rsp(s, &v, ret);
}

/* --- without a session --- */

int tpm2_nv_read_public_cmd(const struct tpm2_nv_counter *nv, u8 *cmd, size_t cap,
			    size_t *len)
{
	struct tpm2_wr w;

	if (!nv_ok(nv) || !len)
		return TV_EINVAL;
	tpm2_wr_init(&w, cmd, cap);
	put_header(&w, TPM_ST_NO_SESSIONS, TPM_CC_NV_READ_PUBLIC);
	tpm2_put_u32(&w, nv->index);
	return finish_cmd(&w, len);
}

int tpm2_nv_read_public_rsp(struct tpm2_nv_counter *nv, const u8 *rsp, size_t len)
{
	struct tpm2_nv_counter want = *nv;
	const u8 *pub, *name;
	size_t pub_len, name_len;
	u8 exp[NV_PUBLIC_SIZE], exp_name[TPM2_NAME_MAX];
	struct tpm2_wr w;
	struct tpm2_rd r;
	int ret, written;

	if (!nv_ok(nv))
		return TV_EINVAL;
	tpm2_rd_init(&r, rsp, len);
	ret = check_header(&r, len, TPM_ST_NO_SESSIONS);
	if (ret)
		return ret;
	pub = tpm2_get_tpm2b(&r, NV_PUBLIC_SIZE, &pub_len);
	name = tpm2_get_tpm2b(&r, TPM2_NAME_MAX, &name_len);
	if (!tpm2_rd_done(&r) || pub_len != NV_PUBLIC_SIZE || name_len != TPM2_NAME_MAX)
		return TV_EINVAL;

	/* Exactly one of the two public areas this counter can have. */
	for (written = 0; written < 2; written++) {
		want.written = written;
		tpm2_wr_init(&w, exp, sizeof(exp));
		put_nv_public(&w, &want);
		tpm2_nv_counter_name(&want, exp_name);
		if (!memcmp(pub, exp, sizeof(exp)) && !memcmp(name, exp_name, sizeof(exp_name)))
			break;
	}
	secure_wipe(&want, sizeof(want));
	if (written == 2)
		return TV_EPOLICY;
	nv->written = written;
	return TV_OK;
}

int tpm2_flush_cmd(u32 handle, u8 *cmd, size_t cap, size_t *len)
{
	struct tpm2_wr w;

	if (!len)
		return TV_EINVAL;
	tpm2_wr_init(&w, cmd, cap);
	put_header(&w, TPM_ST_NO_SESSIONS, TPM_CC_FLUSH_CONTEXT);
	tpm2_put_u32(&w, handle);	/* a parameter, not a handle: no auth */
	return finish_cmd(&w, len);
}

int tpm2_flush_rsp(const u8 *rsp, size_t len)
{
	struct tpm2_rd r;
	int ret;

	tpm2_rd_init(&r, rsp, len);
	ret = check_header(&r, len, TPM_ST_NO_SESSIONS);
	if (!ret && !tpm2_rd_done(&r))
		ret = TV_EINVAL;
	return ret;
}

/*
 * GetCapability(TPM_CAP_HANDLES, index, 1): asked before NV_ReadPublic so
 * that a counter not defined yet is no TPM error (a kernel logs those).
 */
int tpm2_nv_exists_cmd(const struct tpm2_nv_counter *nv, u8 *cmd, size_t cap, size_t *len)
{
	struct tpm2_wr w;

	if (!nv_ok(nv) || !len)
		return TV_EINVAL;
	tpm2_wr_init(&w, cmd, cap);
	put_header(&w, TPM_ST_NO_SESSIONS, TPM_CC_GET_CAPABILITY);
	tpm2_put_u32(&w, TPM_CAP_HANDLES);
	tpm2_put_u32(&w, nv->index);
	tpm2_put_u32(&w, 1);
	return finish_cmd(&w, len);
}

int tpm2_nv_exists_rsp(const struct tpm2_nv_counter *nv, const u8 *rsp, size_t len,
		       bool *exists)
{
	struct tpm2_rd r;
	u32 count, handle = 0;
	u8 more;
	int ret;

	if (!nv_ok(nv) || !exists)
		return TV_EINVAL;
	tpm2_rd_init(&r, rsp, len);
	ret = check_header(&r, len, TPM_ST_NO_SESSIONS);
	if (ret)
		return ret;
	more = tpm2_get_u8(&r);
	if (tpm2_get_u32(&r) != TPM_CAP_HANDLES)
		return TV_EINVAL;
	count = tpm2_get_u32(&r);
	if (count > 1 || more > 1)
		return TV_EINVAL;
	if (count)
		handle = tpm2_get_u32(&r);
	if (!tpm2_rd_done(&r))
		return TV_EINVAL;
	/* The first handle at or above the index: ours only if it is the index. */
	*exists = count && handle == nv->index;
	return TV_OK;
}
