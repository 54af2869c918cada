// SPDX-License-Identifier: GPL-2.0
/*
 * lib/tpm2.c without a TPM: the marshalling cursors, KDFa/KDFe and the NV
 * name against OpenSSL-built references, then a session against a fake TPM
 * written here with OpenSSL alone (ECDH, KDFs, HMAC, AES-128-CFB), so the
 * library's bytes are checked by an independent implementation of the
 * spec, and finally a deterministic fuzz loop over every response parser:
 * random, truncated, extended and mutated responses.  The plain build
 * checks verdicts, the ASan/UBSan build also every access.  swtpm is
 * tpm2-swtpm.sh's business.
 */
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/ecdh.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/obj_mac.h>
#include <openssl/sha.h>

#include "lib/ecdsa.h"
#include "lib/tpm2.h"
#include "selftests/lib/testutil.h"

#define FUZZ_ITERS 20000
#define NV_IDX 0x01500001
#define BUF 512

/* --- references, OpenSSL only --- */

static void put32(u8 *p, u32 v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

static u32 get32(const u8 *p)
{
	return (u32)p[0] << 24 | (u32)p[1] << 16 | (u32)p[2] << 8 | p[3];
}

static u16 get16(const u8 *p)
{
	return (u16)(p[0] << 8 | p[1]);
}

static void ref_kdfa(const u8 *key, size_t klen, const char *label, const u8 *u,
		     size_t ulen, const u8 *v, size_t vlen, u8 *out, size_t n)
{
	u8 msg[512], blk[32];
	size_t m, done;
	unsigned int hl;
	u32 i;

	for (i = 1, done = 0; done < n; i++, done += 32) {
		m = 0;
		put32(msg, i);
		m = 4;
		memcpy(msg + m, label, strlen(label) + 1);
		m += strlen(label) + 1;
		memcpy(msg + m, u, ulen);
		m += ulen;
		memcpy(msg + m, v, vlen);
		m += vlen;
		put32(msg + m, (u32)n * 8);
		m += 4;
		HMAC(EVP_sha256(), key, (int)klen, msg, m, blk, &hl);
		memcpy(out + done, blk, n - done < 32 ? n - done : 32);
	}
}

static void ref_kdfe(const u8 *z, size_t zlen, const char *label, const u8 *u,
		     size_t ulen, const u8 *v, size_t vlen, u8 *out, size_t n)
{
	u8 msg[512], blk[32];
	size_t m, done;
	u32 i;

	for (i = 1, done = 0; done < n; i++, done += 32) {
		put32(msg, i);
		m = 4;
		memcpy(msg + m, z, zlen);
		m += zlen;
		memcpy(msg + m, label, strlen(label) + 1);
		m += strlen(label) + 1;
		memcpy(msg + m, u, ulen);
		m += ulen;
		memcpy(msg + m, v, vlen);
		m += vlen;
		SHA256(msg, m, blk);
		memcpy(out + done, blk, n - done < 32 ? n - done : 32);
	}
}

static void ref_cfb(const u8 kiv[32], u8 *p, size_t n, int enc)
{
	EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
	int l1 = 0, l2 = 0;

	if (!c || !EVP_CipherInit_ex(c, EVP_aes_128_cfb128(), NULL, kiv, kiv + 16, enc) ||
	    (n && !EVP_CipherUpdate(c, p, &l1, p, (int)n)) ||
	    !EVP_CipherFinal_ex(c, p + l1, &l2))
		abort();
	EVP_CIPHER_CTX_free(c);
}

/* TPMS_NV_PUBLIC of the counter and its name, marshalled by hand. */
static void ref_nv_public(u8 pub[14], u32 index, u32 attrs)
{
	put32(pub, index);
	pub[4] = 0x00;
	pub[5] = 0x0b;
	put32(pub + 6, attrs);
	pub[10] = pub[11] = 0;
	pub[12] = 0;
	pub[13] = 8;
}

static void ref_nv_name(u8 name[34], u32 index, u32 attrs)
{
	u8 pub[14];

	ref_nv_public(pub, index, attrs);
	name[0] = 0x00;
	name[1] = 0x0b;
	SHA256(pub, sizeof(pub), name + 2);
}

/* --- a fake TPM --- */

#define ATTRS_COUNTER 0x02040014u
#define ATTR_WRITTEN 0x20000000u

struct fake_tpm {
	u8 d[32];			/* the salt key */
	u8 qx[32], qy[32];
	u8 key[32];			/* sessionKey */
	u8 nonce_tpm[32];
	u8 nonce_caller[32];
	u8 nv_auth[32];
	size_t nv_auth_len;
	bool defined, written;
	u64 value;
	int bad;			/* a check on the library's command failed */
};

static void fake_keygen(struct fake_tpm *t)
{
	u8 seed[32], pub[65];

	tu_rand_bytes(seed, 32);
	p256_keygen(seed, t->d, pub);
	memcpy(t->qx, pub + 1, 32);
	memcpy(t->qy, pub + 33, 32);
}

static void ossl_z(const u8 d[32], const u8 x[32], const u8 y[32], u8 z[32])
{
	EC_KEY *k = EC_KEY_new_by_curve_name(NID_X9_62_prime256v1);
	const EC_GROUP *g = EC_KEY_get0_group(k);
	EC_POINT *pt = EC_POINT_new(g);
	BIGNUM *bd = BN_bin2bn(d, 32, NULL), *bx = BN_bin2bn(x, 32, NULL),
	       *by = BN_bin2bn(y, 32, NULL);

	if (!EC_POINT_set_affine_coordinates(g, pt, bx, by, NULL) ||
	    !EC_KEY_set_private_key(k, bd) || ECDH_compute_key(z, 32, pt, k, NULL) != 32)
		abort();
	BN_free(bd);
	BN_free(bx);
	BN_free(by);
	EC_POINT_free(pt);
	EC_KEY_free(k);
}

/* StartAuthSession: the fixed layout the library must send. */
static size_t fake_start(struct fake_tpm *t, const u8 *c, size_t n, u8 *r)
{
	static const u8 tail[] = { 0x00, 0x00, 0x06, 0x00, 0x80, 0x00, 0x43, 0x00, 0x0b };
	u8 z[32], salt[32];

	if (n != 131 || get16(c) != 0x8001 || get32(c + 2) != n || get32(c + 6) != 0x176 ||
	    get32(c + 14) != 0x40000007 || get16(c + 18) != 32 || get16(c + 52) != 68 ||
	    get16(c + 54) != 32 || get16(c + 88) != 32 || memcmp(c + 122, tail, sizeof(tail))) {
		t->bad++;
		return 0;
	}
	memcpy(t->nonce_caller, c + 20, 32);
	ossl_z(t->d, c + 56, c + 90, z);
	ref_kdfe(z, 32, "SECRET", c + 56, 32, t->qx, 32, salt, 32);
	tu_rand_bytes(t->nonce_tpm, 32);
	ref_kdfa(salt, 32, "ATH", t->nonce_tpm, 32, t->nonce_caller, 32, t->key, 32);
	r[0] = 0x80;
	r[1] = 0x01;
	put32(r + 2, 48);
	put32(r + 6, 0);
	put32(r + 10, 0x02000000);
	r[14] = 0;
	r[15] = 32;
	memcpy(r + 16, t->nonce_tpm, 32);
	return 48;
}

static size_t stripped(const u8 *a, size_t n)
{
	while (n && !a[n - 1])
		n--;
	return n;
}

static void fake_hmac(const struct fake_tpm *t, bool with_auth, const u8 *phash,
		      const u8 *newer, const u8 *older, u8 attrs, u8 out[32])
{
	u8 key[64], msg[32 * 3 + 1];
	size_t kl = 32;
	unsigned int hl;

	memcpy(key, t->key, 32);
	if (with_auth) {
		memcpy(key + 32, t->nv_auth, stripped(t->nv_auth, t->nv_auth_len));
		kl += stripped(t->nv_auth, t->nv_auth_len);
	}
	memcpy(msg, phash, 32);
	memcpy(msg + 32, newer, 32);
	memcpy(msg + 64, older, 32);
	msg[96] = attrs;
	HMAC(EVP_sha256(), key, (int)kl, msg, sizeof(msg), out, &hl);
}

static void fake_cfb(const struct fake_tpm *t, const u8 *newer, const u8 *older,
		     u8 *p, size_t n, int enc)
{
	u8 key[64], kiv[32];
	size_t kl = 32 + stripped(t->nv_auth, t->nv_auth_len);

	memcpy(key, t->key, 32);
	memcpy(key + 32, t->nv_auth, kl - 32);
	ref_kdfa(key, kl, "CFB", newer, 32, older, 32, kiv, 32);
	ref_cfb(kiv, p, n, enc);
}

/*
 * A session command: check its HMAC as a TPM would, run it, and answer
 * with a response built by the book.  The caller tells the expected code.
 */
static size_t fake_cmd(struct fake_tpm *t, u32 want_cc, const u8 *c, size_t n, u8 *r,
		       u32 error)
{
	u8 cph[32], rph[32], mac[32], names[2][34], params[64], buf[128];
	u32 cc = get32(c + 6), attrs_nv = ATTRS_COUNTER | (t->written ? ATTR_WRITTEN : 0);
	size_t nh = want_cc == 0x12a ? 1 : 2, off = 10 + 4 * nh, plen, m, rl;
	bool nvauth = want_cc != 0x12a;
	u8 attrs, want_attrs;
	const u8 *nc;

	if (n < off + 4 + 73 || get16(c) != 0x8002 || get32(c + 2) != n || cc != want_cc ||
	    get32(c + off) != 73 || get32(c + off + 4) != 0x02000000 ||
	    get16(c + off + 8) != 32 || get16(c + off + 43) != 32) {
		t->bad++;
		return 0;
	}
	nc = c + off + 10;
	attrs = c[off + 42];
	want_attrs = 0x01 | (cc == 0x12a ? 0x20 : 0) | (cc == 0x14e ? 0x40 : 0);
	plen = n - (off + 4 + 73);
	if (attrs != want_attrs || plen > sizeof(params)) {
		t->bad++;
		return 0;
	}
	memcpy(params, c + off + 4 + 73, plen);

	/* cpHash over cc, names, the parameters as sent. */
	put32(buf, cc);
	m = 4;
	if (nh == 1) {
		put32(buf + m, 0x40000001);
		m += 4;
	} else {
		ref_nv_name(names[0], NV_IDX, attrs_nv);
		memcpy(buf + m, names[0], 34);
		memcpy(buf + m + 34, names[0], 34);
		m += 68;
		if (get32(c + 10) != NV_IDX || get32(c + 14) != NV_IDX)
			t->bad++;
	}
	memcpy(buf + m, params, plen);
	SHA256(buf, m + plen, cph);
	if (!t->defined && nvauth)
		t->bad++;
	fake_hmac(t, nvauth, cph, nc, t->nonce_tpm, attrs, mac);
	if (memcmp(mac, c + off + 45, 32)) {
		t->bad++;
		return 0;
	}
	memcpy(t->nonce_caller, nc, 32);
	if (error) {
		r[0] = 0x80;
		r[1] = 0x01;
		put32(r + 2, 10);
		put32(r + 6, error);
		return 10;
	}

	/* Run it. */
	rl = 0;
	if (cc == 0x12a) {
		size_t al = get16(params);
		u8 pub[14];

		fake_cfb(t, nc, t->nonce_tpm, params + 2, al, 0);
		ref_nv_public(pub, NV_IDX, ATTRS_COUNTER);
		if (al > 32 || plen != 2 + al + 2 + 14 || get16(params + 2 + al) != 14 ||
		    memcmp(params + 2 + al + 2, pub, 14))
			t->bad++;
		memcpy(t->nv_auth, params + 2, al);
		t->nv_auth_len = al;
		t->defined = true;
	} else if (cc == 0x134) {
		if (plen)
			t->bad++;
		t->value++;
		t->written = true;
	} else {
		if (plen != 4 || get16(params) != 8 || get16(params + 2) != 0)
			t->bad++;
		params[0] = 0;
		params[1] = 8;
		for (m = 0; m < 8; m++)
			params[2 + m] = t->value >> (56 - 8 * m);
		rl = 10;
	}
	tu_rand_bytes(t->nonce_tpm, 32);
	if (cc == 0x14e)
		fake_cfb(t, t->nonce_tpm, nc, params + 2, 8, 1);

	memset(buf, 0, 4);
	put32(buf + 4, cc);
	memcpy(buf + 8, params, rl);
	SHA256(buf, 8 + rl, rph);
	fake_hmac(t, nvauth, rph, t->nonce_tpm, nc, attrs, mac);
	r[0] = 0x80;
	r[1] = 0x02;
	put32(r + 6, 0);
	put32(r + 10, (u32)rl);
	memcpy(r + 14, params, rl);
	m = 14 + rl;
	r[m] = 0;
	r[m + 1] = 32;
	memcpy(r + m + 2, t->nonce_tpm, 32);
	r[m + 34] = attrs;
	r[m + 35] = 0;
	r[m + 36] = 32;
	memcpy(r + m + 37, mac, 32);
	m += 69;
	put32(r + 2, (u32)m);
	return m;
}

/* NV_ReadPublic's answer for the counter with the given attributes. */
static size_t fake_read_public(u8 *r, u32 index, u32 attrs, bool bad_name)
{
	u8 name[34];

	r[0] = 0x80;
	r[1] = 0x01;
	put32(r + 2, 10 + 16 + 36);
	put32(r + 6, 0);
	r[10] = 0;
	r[11] = 14;
	ref_nv_public(r + 12, index, attrs);
	ref_nv_name(name, index, attrs);
	name[33] ^= bad_name;
	r[26] = 0;
	r[27] = 34;
	memcpy(r + 28, name, 34);
	return 62;
}

/* --- the tests --- */

static void test_cursors(void)
{
	u8 b[8], big[0x10001];
	struct tpm2_wr w;
	struct tpm2_rd r;
	size_t n;
	int ok;

	tpm2_wr_init(&w, b, sizeof(b));
	tpm2_put_u16(&w, 0x0102);
	tpm2_put_u32(&w, 0x03040506);
	tpm2_put_u8(&w, 7);
	ok = !w.bad && w.len == 7 && b[0] == 1 && b[5] == 6 && b[6] == 7;
	tpm2_put_u16(&w, 0x0809);		/* one byte too many */
	ok &= w.bad && w.len == 7;
	tpm2_put_u8(&w, 1);			/* poisoned: no effect */
	ok &= w.bad && w.len == 7;
	tpm2_wr_init(&w, b, sizeof(b));
	tpm2_put_u32(&w, 0);
	tpm2_put_u32_at(&w, 1, 0xaabbccdd);	/* would end past len */
	ok &= w.bad;
	tpm2_wr_init(&w, big, sizeof(big));
	tpm2_put_tpm2b(&w, big, 0x10000);	/* does not fit a u16 size */
	ok &= w.bad;
	tpm2_wr_init(&w, NULL, 100);
	tpm2_put_u8(&w, 1);
	ok &= w.bad;
	tap_ok(ok, "writer: bounded, a failed put poisons it, size fields checked");

	b[0] = 0;
	b[1] = 3;
	b[2] = 'a';
	b[3] = 'b';
	b[4] = 'c';
	b[5] = 0;
	b[6] = 9;
	tpm2_rd_init(&r, b, 7);
	ok = tpm2_get_tpm2b(&r, 3, &n) == b + 2 && n == 3 && !r.bad;
	ok &= tpm2_get_tpm2b(&r, 64, &n) == NULL && n == 0 && r.bad;	/* size 9 > 0 left */
	ok &= tpm2_get_u32(&r) == 0 && !tpm2_rd_done(&r);
	tpm2_rd_init(&r, b, 7);
	ok &= tpm2_get_tpm2b(&r, 2, &n) == NULL && r.bad;		/* over max */
	tpm2_rd_init(&r, b, 2);
	ok &= tpm2_get_u16(&r) == 3 && tpm2_rd_done(&r);
	ok &= tpm2_get_u8(&r) == 0 && r.bad && !tpm2_rd_done(&r);
	tpm2_rd_init(&r, NULL, 5);
	ok &= r.bad && !tpm2_get_bytes(&r, 0);
	tap_ok(ok, "reader: bounded, TPM2B sizes checked against max and input, poisons");
}

static void test_kdfs(void)
{
	u8 key[64], u[40], v[40], a[64], b[64];
	int i, bad = 0;

	for (i = 0; i < 300; i++) {
		size_t kl = tu_rand_below(65), ul = tu_rand_below(41), vl = tu_rand_below(41);
		size_t n = 1 + tu_rand_below(64);
		static const char *labels[] = { "ATH", "CFB", "SECRET", "" };
		const char *l = labels[i % 4];

		tu_rand_bytes(key, kl);
		tu_rand_bytes(u, ul);
		tu_rand_bytes(v, vl);
		tpm2_kdfa(key, kl, l, u, ul, v, vl, a, n);
		ref_kdfa(key, kl, l, u, ul, v, vl, b, n);
		bad += !!memcmp(a, b, n);
		tpm2_kdfe(key, kl, l, u, ul, v, vl, a, n);
		ref_kdfe(key, kl, l, u, ul, v, vl, b, n);
		bad += !!memcmp(a, b, n);
	}
	bad += tpm2_kdfa(key, 1, "x", u, 1, v, 1, a, 65) != TV_ERANGE;
	tap_ok(!bad, "KDFa and KDFe: 300 random inputs each match the reference, "
	       "65 bytes refused (%d bad)", bad);
}

static void test_counter(void)
{
	u8 auth[33], name[34], ref[34];
	struct tpm2_nv_counter nv;
	int ok;

	tu_rand_bytes(auth, sizeof(auth));
	auth[0] |= 1;
	ok = tpm2_nv_counter_init(&nv, 0x81000001, auth, 32) == TV_EINVAL;
	ok &= tpm2_nv_counter_init(&nv, NV_IDX, auth, 0) == TV_EINVAL;
	ok &= tpm2_nv_counter_init(&nv, NV_IDX, auth, 33) == TV_EINVAL;
	memset(auth + 1, 0, 31);
	ok &= tpm2_nv_counter_init(&nv, NV_IDX, auth + 1, 31) == TV_EINVAL;
	ok &= tpm2_nv_counter_init(&nv, NV_IDX, auth, 32) == TV_OK && !nv.written;
	tap_ok(ok, "counter: only NV handles, auth 1..32 bytes and not all zero");

	tpm2_nv_counter_name(&nv, name);
	ref_nv_name(ref, NV_IDX, ATTRS_COUNTER);
	ok = !memcmp(name, ref, 34);
	nv.written = true;
	tpm2_nv_counter_name(&nv, name);
	ref_nv_name(ref, NV_IDX, ATTRS_COUNTER | ATTR_WRITTEN);
	ok &= !memcmp(name, ref, 34);
	tap_ok(ok, "counter name: nameAlg || SHA-256(TPMS_NV_PUBLIC), WRITTEN or not");
	tap_ok(tpm2_rc_base(0x9a2) == TPM2_RC_BAD_AUTH && tpm2_rc_base(0x98e) ==
	       TPM2_RC_AUTH_FAIL && tpm2_rc_base(0x14a) == TPM2_RC_NV_UNINITIALIZED &&
	       tpm2_rc_base(0x1c4) == 0x084 && tpm2_rc_base(0x101) == 0x101,
	       "tpm2_rc_base drops handle/session/parameter numbers of format-1 codes only");
}

static struct fake_tpm tpm;
static struct tpm2_nv_counter nv;
static struct tpm2_salt_key skey;

/* One session command through the fake TPM; the response goes to r. */
static int exchange(struct tpm2_session *s, int op, u8 *r, size_t *rl, u64 *value,
		    u32 error)
{
	static const u32 ccs[] = { 0x12a, 0x134, 0x14e };
	u8 c[BUF], n[32];
	size_t cl;
	int ret;

	tu_rand_bytes(n, 32);
	ret = op == 0 ? tpm2_nv_define_cmd(s, &nv, n, c, sizeof(c), &cl) :
	      op == 1 ? tpm2_nv_increment_cmd(s, &nv, n, c, sizeof(c), &cl) :
			tpm2_nv_read_cmd(s, &nv, n, c, sizeof(c), &cl);
	if (ret)
		return ret;
	*rl = fake_cmd(&tpm, ccs[op], c, cl, r, error);
	if (!*rl)
		return -100;
	return op == 0 ? tpm2_nv_define_rsp(s, r, *rl) :
	       op == 1 ? tpm2_nv_increment_rsp(s, &nv, r, *rl) :
			 tpm2_nv_read_rsp(s, &nv, r, *rl, value);
}

static int start_fake(struct tpm2_session *s)
{
	u8 c[BUF], r[BUF], seed[32], n[32];
	size_t cl, rl;
	int ret;

	tpm2_session_wipe(s);
	tu_rand_bytes(seed, 32);
	tu_rand_bytes(n, 32);
	ret = tpm2_start_session_cmd(s, &skey, seed, n, c, sizeof(c), &cl);
	if (ret)
		return ret;
	rl = fake_start(&tpm, c, cl, r);
	return rl ? tpm2_start_session_rsp(s, r, rl) : -100;
}

static void test_fake_tpm(struct tpm2_session *s)
{
	u8 r[BUF], auth[32];
	size_t rl;
	u64 value = 0;
	int ret, ok;

	fake_keygen(&tpm);
	skey.handle = 0x81000100;
	memcpy(skey.x, tpm.qx, 32);
	memcpy(skey.y, tpm.qy, 32);
	tu_rand_bytes(auth, 32);
	auth[31] = 0;			/* the fake strips it as a TPM does */
	auth[0] |= 1;
	tpm2_nv_counter_init(&nv, NV_IDX, auth, 32);

	ret = start_fake(s);
	tap_ok(!ret && !tpm.bad && !memcmp(s->key, tpm.key, 32) && s->handle == 0x02000000,
	       "StartAuthSession: the independent TPM derives the same session key (%d)",
	       ret);
	ret = exchange(s, 0, r, &rl, NULL, 0);
	tap_ok(!ret && !tpm.bad && tpm.nv_auth_len == 32 && !memcmp(tpm.nv_auth, auth, 32),
	       "NV_DefineSpace: HMAC verified, the auth decrypted by the independent "
	       "TPM, its response accepted (%d)", ret);
	ok = !exchange(s, 1, r, &rl, NULL, 0) && nv.written;
	ok &= !exchange(s, 1, r, &rl, NULL, 0);
	tap_ok(ok && !tpm.bad && tpm.value == 2, "two NV_Increment, the second under "
	       "the WRITTEN name: verified both ways");
	ret = exchange(s, 2, r, &rl, &value, 0);
	tap_ok(!ret && !tpm.bad && value == 2, "NV_Read decrypts the value the "
	       "independent TPM encrypted: 2 (%d)", ret);
}

static void test_states(struct tpm2_session *s)
{
	u8 c[BUF], r[BUF], n[32] = { 0 }, seed[32] = { 1 };
	struct tpm2_session copy;
	size_t cl, rl;
	u64 value;
	int ok, ret;

	/* READY: no response is awaited, no start either. */
	ok = tpm2_nv_read_rsp(s, &nv, r, 10, &value) == TV_EPERM &&
	     s->state == TPM2_SESSION_READY;
	ok &= tpm2_start_session_cmd(s, &skey, seed, n, c, sizeof(c), &cl) == TV_EPERM;
	/* PENDING: no second command, and only the right parser. */
	ok &= !tpm2_nv_read_cmd(s, &nv, n, c, sizeof(c), &cl);
	ok &= tpm2_nv_increment_cmd(s, &nv, n, c, sizeof(c), &cl) == TV_EPERM;
	ok &= tpm2_nv_increment_rsp(s, &nv, r, 10) == TV_EPERM;
	ok &= s->state == TPM2_SESSION_PENDING;
	tap_ok(ok, "calls out of order: TV_EPERM, the session state unchanged");

	/* A TPM error: reported, the session broken. */
	rl = fake_cmd(&tpm, 0x14e, c, cl, r, 0x9a2);
	copy = *s;
	ret = tpm2_nv_read_rsp(&copy, &nv, r, rl, &value);
	ok = ret == 0x9a2 && copy.state == TPM2_SESSION_BROKEN &&
	     copy.handle == s->handle && tu_all(copy.key, 0, 32);
	memcpy(r + 6, "\x00\x00\x10\x00", 4);		/* 0x1000: not a TPM_RC */
	copy = *s;
	ok &= tpm2_nv_read_rsp(&copy, &nv, r, rl, &value) == TV_EINVAL;
	put32(r + 6, 0x9a2);
	put32(r + 2, 11);
	r[10] = 0;
	copy = *s;
	ok &= tpm2_nv_read_rsp(&copy, &nv, r, 11, &value) == TV_EINVAL;
	tap_ok(ok, "a TPM error (0x9a2) is returned as such and breaks the session "
	       "(keys wiped, handle kept); a code over 0xfff or an error with a body "
	       "is malformed");
	tpm2_session_wipe(s);
}

/*
 * Every parser, fed garbage: random bytes, a plausible header with random
 * body, and a genuine response mutated (1-4 bytes), truncated or
 * extended.  A session-authenticated response must never be accepted
 * unless it is the genuine one.
 */
static void test_fuzz(void)
{
	u8 good[3][BUF], in[BUF + 16], pub_good[2][64];
	size_t good_len[3], pub_len[2];
	struct tpm2_session base[3], s;
	struct tpm2_nv_counter nvc;
	int i, k, op, accepted = 0, weird = 0, ops = 0;
	u64 value;

	/* Sessions PENDING on each command, with their genuine responses. */
	for (op = 0; op < 3; op++) {
		u8 c[BUF], n[32];
		size_t cl, scratch;

		memset(&tpm, 0, sizeof(tpm));
		fake_keygen(&tpm);
		memcpy(skey.x, tpm.qx, 32);
		memcpy(skey.y, tpm.qy, 32);
		nv.written = false;
		start_fake(&s);
		if (op)
			exchange(&s, 0, in, &scratch, NULL, 0);
		tu_rand_bytes(n, 32);
		if (op == 0)
			tpm2_nv_define_cmd(&s, &nv, n, c, sizeof(c), &cl);
		else if (op == 1)
			tpm2_nv_increment_cmd(&s, &nv, n, c, sizeof(c), &cl);
		else
			tpm2_nv_read_cmd(&s, &nv, n, c, sizeof(c), &cl);
		base[op] = s;
		good_len[op] = fake_cmd(&tpm, op == 0 ? 0x12a : op == 1 ? 0x134 : 0x14e,
					c, cl, good[op], 0);
	}
	pub_len[0] = fake_read_public(pub_good[0], NV_IDX, ATTRS_COUNTER, false);
	pub_len[1] = fake_read_public(pub_good[1], NV_IDX, ATTRS_COUNTER | ATTR_WRITTEN,
				      false);

	for (i = 0; i < FUZZ_ITERS; i++) {
		int kind = i % 4, target = tu_rand_below(7), ret;
		const u8 *g;
		size_t gl, len;

		if (target < 3) {
			g = good[target];
			gl = good_len[target];
		} else if (target == 3) {
			g = pub_good[i & 1];
			gl = pub_len[i & 1];
		} else if (target == 6) {
			/* GetCapability(HANDLES) naming the index. */
			static u8 gc[23] = { 0x80, 0x01, 0, 0, 0, 23, 0, 0, 0, 0,
					     0, 0, 0, 0, 1, 0, 0, 0, 1 };

			put32(gc + 19, NV_IDX);
			g = gc;
			gl = sizeof(gc);
		} else {
			/* StartAuthSession and FlushContext: small answers. */
			static u8 sa[48] = { 0x80, 0x01, 0, 0, 0, 48, 0, 0, 0, 0,
					     0x02, 0, 0, 0, 0, 32 };
			static const u8 fl[10] = { 0x80, 0x01, 0, 0, 0, 10 };

			g = target == 4 ? sa : fl;
			gl = target == 4 ? sizeof(sa) : sizeof(fl);
		}
		if (kind == 0) {		/* random */
			len = tu_rand_below(sizeof(in));
			tu_rand_bytes(in, len);
		} else if (kind == 1) {		/* header that fits, random body */
			len = 10 + tu_rand_below(120);
			tu_rand_bytes(in, len);
			memcpy(in, g, 2);
			put32(in + 2, (u32)len);
			put32(in + 6, 0);
		} else if (kind == 2) {		/* genuine, 1-4 bytes changed */
			len = gl;
			memcpy(in, g, gl);
			for (k = 1 + tu_rand_below(4); k; k--)
				in[tu_rand_below(gl)] ^= 1 + tu_rand_below(255);
		} else {			/* genuine, cut or extended */
			len = tu_rand_below(gl + 16);
			memcpy(in, g, gl);
			tu_rand_bytes(in + gl, 16);
			if (tu_rand_below(2) && len >= 6)
				put32(in + 2, (u32)len);
		}
		ops++;
		if (target < 3) {
			s = base[target];
			nvc = nv;
			ret = target == 0 ? tpm2_nv_define_rsp(&s, in, len) :
			      target == 1 ? tpm2_nv_increment_rsp(&s, &nvc, in, len) :
					    tpm2_nv_read_rsp(&s, &nvc, in, len, &value);
			if (!ret && (len != gl || memcmp(in, g, gl)))
				accepted++;
			if (ret && s.state != TPM2_SESSION_BROKEN)
				weird++;
		} else if (target == 3) {
			nvc = nv;
			ret = tpm2_nv_read_public_rsp(&nvc, in, len);
			if (!ret && !(len == pub_len[0] && !memcmp(in, pub_good[0], len)) &&
			    !(len == pub_len[1] && !memcmp(in, pub_good[1], len)))
				accepted++;
		} else if (target == 6) {
			bool there;
			u32 count = len >= 19 ? get32(in + 15) : 99;

			ret = tpm2_nv_exists_rsp(&nv, in, len, &there);
			/* Only the shape is checked: exact size, our capability, one handle at most. */
			if (!ret && (get16(in) != 0x8001 || get32(in + 2) != len || get32(in + 6) ||
				     in[10] > 1 || get32(in + 11) != 1 || count > 1 ||
				     len != 19 + 4 * count ||
				     there != (count && get32(in + 19) == NV_IDX)))
				accepted++;
		} else if (target == 4) {
			memset(&s, 0, sizeof(s));
			s.state = TPM2_SESSION_STARTING;
			ret = tpm2_start_session_rsp(&s, in, len);
			/* Unauthenticated: only the shape can be checked. */
			if (!ret && (len != 48 || get32(in + 10) >> 24 != 2))
				accepted++;
		} else {
			ret = tpm2_flush_rsp(in, len);
			if (!ret && (len != 10 || memcmp(in, g, 10)))
				accepted++;
		}
	}
	tap_ok(!accepted && !weird, "fuzz: %d random, truncated, extended and mutated "
	       "responses to all seven parsers; none accepted that should not be, every "
	       "refusal broke its session (%d accepted, %d not broken)", ops, accepted,
	       weird);

	/* The genuine ones still pass, so the loop tested something. */
	k = 0;
	for (op = 0; op < 3; op++) {
		s = base[op];
		nvc = nv;
		k += (op == 0 ? tpm2_nv_define_rsp(&s, good[0], good_len[0]) :
		      op == 1 ? tpm2_nv_increment_rsp(&s, &nvc, good[1], good_len[1]) :
				tpm2_nv_read_rsp(&s, &nvc, good[2], good_len[2], &value)) == 0;
	}
	nvc = nv;
	k += tpm2_nv_read_public_rsp(&nvc, pub_good[1], pub_len[1]) == 0 && nvc.written;
	{
		u8 gc[23] = { 0x80, 0x01, 0, 0, 0, 23, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1 };
		bool there = false;

		put32(gc + 19, NV_IDX);
		k += !tpm2_nv_exists_rsp(&nv, gc, sizeof(gc), &there) && there;
		put32(gc + 19, NV_IDX + 1);	/* the next handle up: not ours */
		k += !tpm2_nv_exists_rsp(&nv, gc, sizeof(gc), &there) && !there;
	}
	tap_ok(k == 6, "and the genuine responses are accepted (%d of 6)", k);
}

static void test_read_public(void)
{
	struct tpm2_nv_counter c = nv;
	u8 r[64];
	size_t n;
	int ok;

	n = fake_read_public(r, NV_IDX, ATTRS_COUNTER, false);
	c.written = true;
	ok = !tpm2_nv_read_public_rsp(&c, r, n) && !c.written;
	n = fake_read_public(r, NV_IDX, ATTRS_COUNTER | 0x2, false);	/* OWNERWRITE */
	ok &= tpm2_nv_read_public_rsp(&c, r, n) == TV_EPOLICY;
	n = fake_read_public(r, NV_IDX, ATTRS_COUNTER & ~0x02000000u, false);	/* DA */
	ok &= tpm2_nv_read_public_rsp(&c, r, n) == TV_EPOLICY;
	n = fake_read_public(r, NV_IDX + 1, ATTRS_COUNTER, false);
	ok &= tpm2_nv_read_public_rsp(&c, r, n) == TV_EPOLICY;
	n = fake_read_public(r, NV_IDX, ATTRS_COUNTER, true);
	ok &= tpm2_nv_read_public_rsp(&c, r, n) == TV_EPOLICY;
	tap_ok(ok, "NV_ReadPublic: either WRITTEN state accepted; another attribute, "
	       "index or a name that is not the digest: TV_EPOLICY");
}

int main(void)
{
	struct tpm2_session s;

	tap_plan(15);
	if (!getenv("TV_TEST_SEED"))
		setenv("TV_TEST_SEED", "9", 1);		/* deterministic unless asked */
	tu_seed();
	test_cursors();
	test_kdfs();
	test_counter();
	test_fake_tpm(&s);
	test_states(&s);
	test_read_public();
	test_fuzz();
	return tap_finish();
}
