// SPDX-License-Identifier: GPL-2.0
/*
 * tvctl verify (docs/attestation.md, "Verifying"): judges what tvctl attest
 * gathered, trusting nothing in DIR but what a check below proves.  The
 * hardware TPM's quote, by the AK the verifier names, says which PCR values
 * the TPM held in which boot; the log replays to the evidence PCR, so its
 * events are the ones extended there, and they say which monitor was
 * launched, first in that boot, which master secret its µTPM has, and
 * with which identity key; that key's fresh quote of the PAL, over the
 * same nonce, says the monitor is running and which PAL it ran.  The checks stop at the first that fails, and the one
 * line printed names it.
 *
 * The TPM structures are unmarshalled by libtss2-mu and the crypto is
 * OpenSSL's; only the event log, which no library reads, has a parser of
 * our own (userspace/lib/evlog_parse.c, fuzzed).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <tss2/tss2_mu.h>
#include "trustvisor/evidence.h"
#include "userspace/lib/evlog_parse.h"
#include "userspace/lib/tpm2_pcrs.h"
#include "userspace/tvctl_evidence.h"

/* The tpm2-tools serialized PCR file is a dump of these (tpm2_pcrs.h). */
_Static_assert(sizeof(TPML_PCR_SELECTION) == TV_TPM2_SER_SEL_SIZE, "TPML_PCR_SELECTION");
_Static_assert(sizeof(TPML_DIGEST) == TV_TPM2_SER_LIST_SIZE, "TPML_DIGEST");

static int __attribute__((format(printf, 1, 2))) reject(const char *fmt, ...)
{
	va_list ap;

	printf("rejected: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	return 1;
}

struct blob {
	uint8_t *p;
	size_t n;
};

/* A file, whole and at most max bytes: 0, or 1 after the verdict. */
static int load_path(const char *path, size_t max, struct blob *b)
{
	FILE *f;
	size_t n;

	f = fopen(path, "rb");
	if (!f)
		return reject("%s: %s", path, strerror(errno));
	b->p = malloc(max + 1);
	n = b->p ? fread(b->p, 1, max + 1, f) : 0;
	if (!b->p || ferror(f)) {
		fclose(f);
		return reject("%s: cannot read it", path);
	}
	fclose(f);
	if (n > max)
		return reject("%s: longer than the %zu bytes it can be", path, max);
	b->n = n;
	return 0;
}

/* DIR/name, as load_path. */
static int load(const struct tv_verify_args *a, const char *name, size_t max, struct blob *b)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s", a->dir, name);
	return load_path(path, max, b);
}


static void hex(char *out, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", p[i]);
	out[2 * n] = 0;
}

static const EVP_MD *tpm_md(TPM2_ALG_ID alg)
{
	switch (alg) {
	case TPM2_ALG_SHA1:
		return EVP_sha1();
	case TPM2_ALG_SHA256:
		return EVP_sha256();
	case TPM2_ALG_SHA384:
		return EVP_sha384();
	case TPM2_ALG_SHA512:
		return EVP_sha512();
	}
	return NULL;
}

/* A TPM2B_PUBLIC, exactly n bytes: 0 or -1. */
static int unmarshal_public(const uint8_t *p, size_t n, TPM2B_PUBLIC *pub)
{
	size_t off = 0;

	memset(pub, 0, sizeof(*pub));
	if (Tss2_MU_TPM2B_PUBLIC_Unmarshal(p, n, &off, pub) || off != n)
		return -1;
	return 0;
}

/* The key's TPM name: nameAlg || H_nameAlg(TPMT_PUBLIC), from its marshalled bytes. */
static int tpm_name(const uint8_t *tpm2b, size_t n, const TPM2B_PUBLIC *pub, uint8_t *name,
		    size_t *len)
{
	const EVP_MD *md = tpm_md(pub->publicArea.nameAlg);
	unsigned int dl;

	if (!md || n < 2)
		return -1;
	name[0] = pub->publicArea.nameAlg >> 8;
	name[1] = pub->publicArea.nameAlg & 0xff;
	if (!EVP_Digest(tpm2b + 2, n - 2, name + 2, &dl, md, NULL))
		return -1;
	*len = 2 + dl;
	return 0;
}

/* An OpenSSL key from a TPM2B_PUBLIC: ECC on P-256 or P-384, or RSA. */
static EVP_PKEY *tpm_pkey(const TPM2B_PUBLIC *pub)
{
	const TPMT_PUBLIC *t = &pub->publicArea;
	OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
	OSSL_PARAM *params = NULL;
	EVP_PKEY_CTX *ctx = NULL;
	EVP_PKEY *pk = NULL;
	BIGNUM *n = NULL, *e = NULL;
	uint8_t point[1 + 2 * 66];
	int ok = 0;

	if (!bld)
		return NULL;
	if (t->type == TPM2_ALG_ECC) {
		const char *group = t->parameters.eccDetail.curveID == TPM2_ECC_NIST_P256 ?
				    "prime256v1" : t->parameters.eccDetail.curveID ==
				    TPM2_ECC_NIST_P384 ? "secp384r1" : NULL;
		size_t sz = t->parameters.eccDetail.curveID == TPM2_ECC_NIST_P256 ? 32 : 48;

		if (group && t->unique.ecc.x.size == sz && t->unique.ecc.y.size == sz) {
			point[0] = 4;
			memcpy(point + 1, t->unique.ecc.x.buffer, sz);
			memcpy(point + 1 + sz, t->unique.ecc.y.buffer, sz);
			ok = OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME,
							     group, 0) &&
			     OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, point,
							      1 + 2 * sz);
			ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
		}
	} else if (t->type == TPM2_ALG_RSA && t->unique.rsa.size) {
		n = BN_bin2bn(t->unique.rsa.buffer, t->unique.rsa.size, NULL);
		e = BN_new();
		ok = n && e && BN_set_word(e, t->parameters.rsaDetail.exponent ?: 65537) &&
		     OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, n) &&
		     OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, e);
		ctx = EVP_PKEY_CTX_new_from_name(NULL, "RSA", NULL);
	}
	params = ok ? OSSL_PARAM_BLD_to_param(bld) : NULL;
	if (!params || !ctx || EVP_PKEY_fromdata_init(ctx) <= 0 ||
	    EVP_PKEY_fromdata(ctx, &pk, EVP_PKEY_PUBLIC_KEY, params) <= 0)
		pk = NULL;
	OSSL_PARAM_free(params);
	EVP_PKEY_CTX_free(ctx);
	OSSL_PARAM_BLD_free(bld);
	BN_free(n);
	BN_free(e);
	return pk;
}

/* Whether sig is key's signature of msg: 1 yes, 0 no. */
static int sig_ok(EVP_PKEY *key, const TPMT_SIGNATURE *sig, const uint8_t *msg, size_t n)
{
	EVP_MD_CTX *mctx = EVP_MD_CTX_new();
	EVP_PKEY_CTX *pctx = NULL;
	const uint8_t *s = NULL;
	unsigned char *der = NULL;
	const EVP_MD *md = NULL;
	ECDSA_SIG *es = NULL;
	int len = 0, pad = 0, ok = 0;

	switch (sig->sigAlg) {
	case TPM2_ALG_ECDSA:
		if (!EVP_PKEY_is_a(key, "EC"))
			break;
		md = tpm_md(sig->signature.ecdsa.hash);
		es = ECDSA_SIG_new();
		if (!es || !ECDSA_SIG_set0(es, BN_bin2bn(sig->signature.ecdsa.signatureR.buffer,
							 sig->signature.ecdsa.signatureR.size, NULL),
					   BN_bin2bn(sig->signature.ecdsa.signatureS.buffer,
						     sig->signature.ecdsa.signatureS.size, NULL)))
			break;
		len = i2d_ECDSA_SIG(es, &der);
		s = der;
		break;
	case TPM2_ALG_RSASSA:
	case TPM2_ALG_RSAPSS:
		if (!EVP_PKEY_is_a(key, "RSA"))
			break;
		md = tpm_md(sig->signature.rsassa.hash);
		s = sig->signature.rsassa.sig.buffer;
		len = sig->signature.rsassa.sig.size;
		pad = sig->sigAlg == TPM2_ALG_RSASSA ? RSA_PKCS1_PADDING : RSA_PKCS1_PSS_PADDING;
		break;
	}
	if (mctx && md && s && len > 0 && EVP_DigestVerifyInit(mctx, &pctx, md, NULL, key) == 1 &&
	    (!pad || EVP_PKEY_CTX_set_rsa_padding(pctx, pad) > 0) &&
	    (pad != RSA_PKCS1_PSS_PADDING ||
	     EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_AUTO) > 0))
		ok = EVP_DigestVerify(mctx, s, (size_t)len, msg, n) == 1;
	OPENSSL_free(der);
	ECDSA_SIG_free(es);
	EVP_MD_CTX_free(mctx);
	return ok;
}

/* The hash of a signature, which is also the one of a quote's pcrDigest. */
static TPM2_ALG_ID sig_hash(const TPMT_SIGNATURE *sig)
{
	return sig->sigAlg == TPM2_ALG_ECDSA ? sig->signature.ecdsa.hash :
	       sig->signature.rsassa.hash;
}

/* A quote and the PCR values it covers, once checked. */
struct quote {
	TPMS_ATTEST at;
	uint32_t mask;			/* sha256 PCRs */
	uint8_t pcrs[24][32];
};

/* A one-bank sha256 selection as a mask: 0, or -1 for anything else. */
static int sha256_mask(const TPML_PCR_SELECTION *sel, uint32_t *mask)
{
	const TPMS_PCR_SELECTION *s = &sel->pcrSelections[0];

	if (sel->count != 1 || s->hash != TPM2_ALG_SHA256 || s->sizeofSelect < 3 ||
	    s->sizeofSelect > sizeof(s->pcrSelect) || (s->sizeofSelect == 4 && s->pcrSelect[3]))
		return -1;
	*mask = s->pcrSelect[0] | s->pcrSelect[1] << 8 | (uint32_t)s->pcrSelect[2] << 16;
	return 0;
}

/*
 * The PCR file (tpm2-tools serialized: a TPML_PCR_SELECTION, a count, that
 * many TPML_DIGEST, as in memory) into q->pcrs; its selection must be
 * q->mask.  0, or a reason.
 */
static const char *read_pcr_file(const struct blob *b, struct quote *q)
{
	TPML_PCR_SELECTION sel;
	uint32_t nlists, mask, k = 0, have = 0;
	unsigned int i = 0;

	if (b->n < sizeof(sel) + 4)
		return "shorter than a PCR selection";
	memcpy(&sel, b->p, sizeof(sel));
	if (sel.count > TPM2_NUM_PCR_BANKS || sha256_mask(&sel, &mask))
		return "not a selection of the sha256 bank alone";
	if (mask != q->mask)
		return "its PCR selection is not the quote's";
	memcpy(&nlists, b->p + sizeof(sel), 4);
	if (nlists > 3 || b->n != sizeof(sel) + 4 + nlists * sizeof(TPML_DIGEST))
		return "its size is not that of its digest lists";
	for (uint32_t l = 0; l < nlists; l++) {
		TPML_DIGEST d;

		memcpy(&d, b->p + sizeof(sel) + 4 + l * sizeof(d), sizeof(d));
		if (d.count > 8)
			return "a digest list of more than 8";
		for (uint32_t j = 0; j < d.count; j++, k++) {
			while (i < 24 && !(mask & (1u << i)))
				i++;
			if (i == 24)
				return "more values than PCRs selected";
			if (d.digests[j].size != 32)
				return "a value that is not a SHA-256 digest";
			memcpy(q->pcrs[i++], d.digests[j].buffer, 32);
			have++;
		}
	}
	if (have != (uint32_t)__builtin_popcount(mask))
		return "fewer values than PCRs selected";
	return NULL;
}

/*
 * One quote, of the TPM (what = "the TPM quote") or of the PAL: DIR's
 * attest, signature and PCR files by key, whose (qualified) name it must
 * name as its signer, over the nonce, the values hashing to its pcrDigest.
 * 0, or 1 after the verdict.
 */
static int check_quote(const struct tv_verify_args *a, const char *what, const char *files[3],
		       EVP_PKEY *key, const char *keyname, const uint8_t *signer,
		       size_t signer_len, struct quote *q)
{
	struct blob at, sg, pc;
	TPMT_SIGNATURE sig;
	uint8_t digest[EVP_MAX_MD_SIZE], cat[24 * 32];
	const TPMS_QUOTE_INFO *qi = &q->at.attested.quote;
	const char *why;
	const EVP_MD *md;
	unsigned int dl;
	size_t off = 0, n = 0;

	if (load(a, files[0], TV_TPM_BLOB_MAX, &at) || load(a, files[1], TV_TPM_BLOB_MAX, &sg) ||
	    load(a, files[2], TV_TPM2_PCRS_FILE_MAX, &pc))
		return 1;
	memset(&q->at, 0, sizeof(q->at));
	if (Tss2_MU_TPMS_ATTEST_Unmarshal(at.p, at.n, &off, &q->at) || off != at.n)
		return reject("%s: %s is not a TPMS_ATTEST", what, files[0]);
	if (q->at.magic != TPM2_GENERATED_VALUE || q->at.type != TPM2_ST_ATTEST_QUOTE)
		return reject("%s: %s is not a quote made by a TPM", what, files[0]);
	off = 0;
	memset(&sig, 0, sizeof(sig));
	if (Tss2_MU_TPMT_SIGNATURE_Unmarshal(sg.p, sg.n, &off, &sig) || off != sg.n)
		return reject("%s: %s is not a TPMT_SIGNATURE", what, files[1]);
	if (!sig_ok(key, &sig, at.p, at.n))
		return reject("%s: its signature does not verify with %s", what, keyname);
	if (q->at.extraData.size != a->nonce_len ||
	    memcmp(q->at.extraData.buffer, a->nonce, a->nonce_len))
		return reject("%s is over another nonce than --nonce", what);
	if (q->at.qualifiedSigner.size != signer_len ||
	    memcmp(q->at.qualifiedSigner.name, signer, signer_len))
		return reject("%s: its qualifiedSigner is not %s", what, keyname);
	if (sha256_mask(&qi->pcrSelect, &q->mask))
		return reject("%s is not of the sha256 bank alone", what);
	why = read_pcr_file(&pc, q);
	if (why)
		return reject("%s: %s: %s", what, files[2], why);
	for (unsigned int i = 0; i < 24; i++)
		if (q->mask & (1u << i)) {
			memcpy(cat + n, q->pcrs[i], 32);
			n += 32;
		}
	md = tpm_md(sig_hash(&sig));
	if (!md || !EVP_Digest(cat, n, digest, &dl, md, NULL) || qi->pcrDigest.size != dl ||
	    memcmp(qi->pcrDigest.buffer, digest, dl))
		return reject("%s: the values in %s do not hash to its pcrDigest", what, files[2]);
	return 0;
}

/* --ak, and DIR's ak.pub only if it is that key: 0, or 1 after the verdict. */
static int check_ak(const struct tv_verify_args *a, EVP_PKEY **key, uint8_t *name,
		    size_t *name_len)
{
	const TPMA_OBJECT need = TPMA_OBJECT_RESTRICTED | TPMA_OBJECT_SIGN_ENCRYPT |
				 TPMA_OBJECT_FIXEDTPM | TPMA_OBJECT_SENSITIVEDATAORIGIN;
	TPM2B_PUBLIC pub;
	EVP_PKEY *trusted, *given;
	struct blob b;
	FILE *f = fopen(a->ak_pem, "r");

	if (!f)
		return reject("--ak %s: %s", a->ak_pem, strerror(errno));
	trusted = PEM_read_PUBKEY(f, NULL, NULL, NULL);
	fclose(f);
	if (!trusted)
		return reject("--ak %s: not a PEM public key", a->ak_pem);
	if (load(a, TV_DIR_AK_PUB, TV_TPM_BLOB_MAX, &b))
		return 1;
	if (unmarshal_public(b.p, b.n, &pub))
		return reject("%s is not a TPM2B_PUBLIC", TV_DIR_AK_PUB);
	given = tpm_pkey(&pub);
	if (!given || EVP_PKEY_eq(trusted, given) != 1)
		return reject("%s is not the key of --ak %s: an AK the verifier does not trust",
			      TV_DIR_AK_PUB, a->ak_pem);
	/* A key that signs anything could sign a forged TPMS_ATTEST. */
	if ((pub.publicArea.objectAttributes & need) != need ||
	    pub.publicArea.objectAttributes & TPMA_OBJECT_DECRYPT)
		return reject("%s: the AK is not a restricted signing key made in the TPM",
			      TV_DIR_AK_PUB);
	if (tpm_name(b.p, b.n, &pub, name, name_len))
		return reject("%s: the AK's name algorithm is unknown", TV_DIR_AK_PUB);
	EVP_PKEY_free(given);
	*key = trusted;
	return 0;
}

static const char *event_name(uint32_t id)
{
	switch (id) {
	case TV_EV_MONITOR:
		return "monitor";
	case TV_EV_SECRET:
		return "secret";
	case TV_EV_IDENTITY:
		return "identity";
	case TV_EV_LAUNCH:
		return "launch";
	case TV_EV_LEFT:
		return "left";
	}
	return NULL;
}

/* Which master secret the µTPM has, in words for the verdict; NULL if unknown. */
static const char *secret_kind(uint32_t kind)
{
	switch (kind) {
	case TV_SECRET_KEPT:
		return "kept in the TPM since an earlier launch";
	case TV_SECRET_CREATED:
		return "created at this launch and kept in the TPM";
	case TV_SECRET_MIGRATED:
		return "migrated from an earlier monitor version";
	case TV_SECRET_EPHEMERAL:
		return "ephemeral (nothing sealed outlives this monitor)";
	}
	return NULL;
}

/* Why a secret is ephemeral, in words; NULL if unknown. */
static const char *secret_reason(uint32_t reason)
{
	switch (reason) {
	case TV_SECRET_WHY_LATER:
		return "not the first launch in this boot";
	case TV_SECRET_WHY_POLICY:
		return "the kept secret is for another monitor or boot chain";
	case TV_SECRET_WHY_ASKED:
		return "asked for with the module option secret=ephemeral";
	case TV_SECRET_WHY_TPM:
		return "the TPM refused or failed a command";
	case TV_SECRET_WHY_NOT_OURS:
		return "the TPM's NV index for it is not one TrustVisor wrote";
	}
	return NULL;
}

/* What the log says, once it is known to be the evidence PCR's. */
struct launch {
	uint32_t pcr;
	struct tv_ev_monitor monitor;
	struct tv_ev_secret secret;
	const uint8_t *id_pub;
	uint32_t id_pub_len;
	struct tv_ev_launch launch;
};

static uint32_t le32(uint32_t v)
{
	const uint8_t *p = (const uint8_t *)&v;

	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

/*
 * The log: parsed, each digest its data's hash, replayed from zero in the
 * sha256 bank to the quoted evidence PCR, and then its events: monitor,
 * secret, identity, launch, nothing else.  0, or 1 after the verdict.
 */
static int check_log(const struct tv_verify_args *a, const struct quote *tq, struct launch *l)
{
	static const uint32_t order[] = { TV_EV_MONITOR, TV_EV_SECRET, TV_EV_IDENTITY,
					  TV_EV_LAUNCH };
	const uint32_t nr_order = sizeof(order) / sizeof(order[0]);
	static struct tv_evp_log log;
	uint8_t pcr[64] = { 0 }, d[EVP_MAX_MD_SIZE];
	const char *why;
	struct blob b;
	int sha256;

	if (load(a, TV_DIR_EVENTLOG, TV_EVP_LOG_MAX, &b))
		return 1;
	if (tv_evp_parse(b.p, b.n, &log, &why))
		return reject("the event log: %s", why);
	sha256 = tv_evp_bank(&log, TPM2_ALG_SHA256);
	if (sha256 < 0)
		return reject("the event log has no sha256 bank");
	if (!log.nr_events)
		return reject("the event log has no event: no launch was recorded");
	l->pcr = log.ev[0].pcr;
	if (l->pcr < TV_EVIDENCE_PCR_MIN || l->pcr > TV_EVIDENCE_PCR_MAX)
		return reject("the event log is of PCR %u, which is no evidence PCR (%u-%u)",
			      l->pcr, TV_EVIDENCE_PCR_MIN, TV_EVIDENCE_PCR_MAX);
	if ((tq->mask & 0xff) != 0xff || !(tq->mask & (1u << l->pcr)))
		return reject("the TPM quote does not cover PCRs 0-7 and the evidence PCR %u",
			      l->pcr);
	for (uint32_t e = 0; e < log.nr_events; e++) {
		const struct tv_evp_event *ev = &log.ev[e];
		uint8_t cat[64];
		unsigned int dl;

		if (ev->pcr != l->pcr)
			return reject("event %u of the log is for PCR %u, not the evidence PCR %u",
				      e + 1, ev->pcr, l->pcr);
		for (uint32_t i = 0; i < log.nr_banks; i++) {
			const EVP_MD *md = tpm_md(log.banks[i].alg);

			if (!EVP_Digest(ev->data, ev->len, d, &dl, md, NULL) ||
			    memcmp(d, ev->digest[i], dl))
				return reject("event %u of the log: its %s digest is not the hash "
					      "of its data", e + 1, EVP_MD_get0_name(md));
		}
		memcpy(cat, pcr, 32);
		memcpy(cat + 32, ev->digest[sha256], 32);
		EVP_Digest(cat, 64, pcr, &dl, EVP_sha256(), NULL);
	}
	if (memcmp(pcr, tq->pcrs[l->pcr], 32)) {
		/*
		 * A later launch's log starts at that launch while the PCR holds the
		 * earlier ones too: its own launch event says why it cannot replay.
		 */
		for (uint32_t e = 0; e < log.nr_events; e++) {
			const struct tv_evp_event *ev = &log.ev[e];

			if (ev->len >= 8 + sizeof(struct tv_ev_launch) &&
			    le32(*(const uint32_t *)ev->data) == TV_EV_LAUNCH &&
			    !le32(*(const uint32_t *)(ev->data + 8)))
				return reject("not the first launch in this boot (first_launch 0): "
					      "the PCR holds an earlier launch the log does not "
					      "show, and the kernel ran unprotected in between");
		}
		return reject("the event log does not replay to the quoted PCR %u: events were "
			      "changed, left out or added", l->pcr);
	}
	for (uint32_t e = 0; e < log.nr_events; e++) {
		const struct tv_evp_event *ev = &log.ev[e];
		const uint8_t *p;
		uint32_t id, n;
		const char *name;

		if (ev->type != TV_EV_EVENT_TAG || tv_evp_tagged(ev, &id, &p, &n))
			return reject("event %u of the log is not a tagged event of TrustVisor's",
				      e + 1);
		name = event_name(id);
		if (id == TV_EV_LEFT)
			return reject("event %u of the log is \"left\": the monitor was unloaded "
				      "after the launch", e + 1);
		if (!name)
			return reject("event %u of the log is an unknown one (%#x): something "
				      "else was extended into PCR %u", e + 1, id, l->pcr);
		if (e >= nr_order)
			return reject("event %u of the log, %s, comes after the launch", e + 1,
				      name);
		if (id != order[e])
			return reject("event %u of the log is %s where %s belongs", e + 1, name,
				      event_name(order[e]));
		if ((id == TV_EV_MONITOR && n != sizeof(l->monitor)) ||
		    (id == TV_EV_SECRET && n != sizeof(l->secret)) ||
		    (id == TV_EV_LAUNCH && n != sizeof(l->launch)))
			return reject("the %s event's payload is %u bytes, not its size", name, n);
		if (id == TV_EV_MONITOR)
			memcpy(&l->monitor, p, n);
		if (id == TV_EV_SECRET) {
			uint32_t kind, reason;

			memcpy(&l->secret, p, n);
			kind = le32(l->secret.kind);
			reason = le32(l->secret.reason);
			if (!secret_kind(kind))
				return reject("the secret event's kind is an unknown one (%u): "
					      "which master secret the monitor has is not known",
					      kind);
			if (kind == TV_SECRET_EPHEMERAL && !secret_reason(reason))
				return reject("the secret event says the master secret is "
					      "ephemeral for an unknown reason (%u)", reason);
			if (kind != TV_SECRET_EPHEMERAL && reason)
				return reject("the secret event gives a reason (%u) for a secret "
					      "that is not ephemeral", reason);
		}
		if (id == TV_EV_LAUNCH)
			memcpy(&l->launch, p, n);
		if (id == TV_EV_IDENTITY) {
			l->id_pub = p;
			l->id_pub_len = n;
		}
	}
	if (log.nr_events < nr_order)
		return reject("the event log ends before the %s event",
			      event_name(order[log.nr_events]));
	return 0;
}

/*
 * PCRs 0-7 of the quote against the verifier's record of the boot chain:
 * their sha256 values in order, 256 bytes, as tpm2_pcrread
 * sha256:0,1,2,3,4,5,6,7 -o FILE writes them on a boot the verifier trusts.
 */
static int check_boot_pcrs(const struct tv_verify_args *a, const struct quote *tq)
{
	struct blob b;
	char got[65];

	if (load_path(a->boot_pcrs, 8 * 32, &b))
		return 1;
	if (b.n != 8 * 32)
		return reject("--boot-pcrs %s: %zu bytes, not the 256 of PCRs 0-7 (sha256)",
			      a->boot_pcrs, b.n);
	for (int i = 0; i < 8; i++) {
		if (!memcmp(b.p + 32 * i, tq->pcrs[i], 32))
			continue;
		hex(got, tq->pcrs[i], 32);
		return reject("the TPM quote's PCR %d is %s, not that of --boot-pcrs: another "
			      "boot chain", i, got);
	}
	return 0;
}

/* The identity key against the one the verifier enrolled (a kept secret keeps it). */
static int check_identity(const struct tv_verify_args *a, EVP_PKEY *id)
{
	FILE *f = fopen(a->identity_pem, "r");
	EVP_PKEY *want;
	int same;

	if (!f)
		return reject("--identity %s: %s", a->identity_pem, strerror(errno));
	want = PEM_read_PUBKEY(f, NULL, NULL, NULL);
	fclose(f);
	if (!want)
		return reject("--identity %s: not a PEM public key", a->identity_pem);
	same = EVP_PKEY_eq(want, id) == 1;
	EVP_PKEY_free(want);
	if (!same)
		return reject("the identity key in the log is not --identity: another master "
			      "secret (new, ephemeral, or another machine's)");
	return 0;
}

int tv_verify(const struct tv_verify_args *a)
{
	static const char *tpm_files[3] = { TV_DIR_TPM_ATTEST, TV_DIR_TPM_SIG, TV_DIR_TPM_PCRS };
	static const char *pal_files[3] = { TV_DIR_PAL_ATTEST, TV_DIR_PAL_SIG, TV_DIR_PAL_PCRS };
	static struct quote tq, pq;
	uint8_t ak_name[2 + EVP_MAX_MD_SIZE], id_name[2 + EVP_MAX_MD_SIZE], want[32], cat[64];
	char ak_hex[2 * sizeof(ak_name) + 1], id_hex[2 * sizeof(id_name) + 1];
	char mon_hex[65], pal_hex[65];
	size_t ak_name_len, id_name_len;
	struct blob qname, idf;
	uint32_t kind;
	TPM2B_PUBLIC id_pub;
	EVP_PKEY *ak = NULL, *id;
	struct launch l;

	if (check_ak(a, &ak, ak_name, &ak_name_len))
		return 1;
	/*
	 * A TPM's qualifiedSigner is the key's qualified name, a hash over its
	 * parents' names too, which the key alone does not give: the TPM's own
	 * answer for the handle stands in, and the signature is what proves
	 * the signer.
	 */
	if (load(a, TV_DIR_AK_QNAME, TV_TPM_BLOB_MAX, &qname))
		return 1;
	if (qname.n < 2 || qname.p[0] != ak_name[0] || qname.p[1] != ak_name[1] ||
	    qname.n != ak_name_len)
		return reject("%s is not a qualified name of the AK's name algorithm",
			      TV_DIR_AK_QNAME);
	if (check_quote(a, "the TPM quote", tpm_files, ak, "the AK", qname.p, qname.n, &tq))
		return 1;
	if (check_log(a, &tq, &l))
		return 1;
	if (le32(l.launch.first_launch) != 1)
		return reject("not the first launch in this boot (first_launch %u): the kernel "
			      "ran unprotected before it", le32(l.launch.first_launch));
	if (le32(l.secret.kind) == TV_SECRET_EPHEMERAL &&
	    le32(l.secret.reason) == TV_SECRET_WHY_LATER)
		return reject("the secret event says this is not the first launch in this boot, "
			      "the launch event that it is: not a log the module writes");
	if (tq.at.clockInfo.resetCount != le32(l.launch.reset_count) ||
	    tq.at.clockInfo.restartCount != le32(l.launch.restart_count))
		return reject("the TPM quote's resetCount/restartCount %u/%u are not the "
			      "launch's %u/%u: another boot, or a suspend since",
			      tq.at.clockInfo.resetCount, tq.at.clockInfo.restartCount,
			      le32(l.launch.reset_count), le32(l.launch.restart_count));
	hex(mon_hex, l.monitor.measurement, 32);
	if (memcmp(l.monitor.measurement, a->monitor, 32))
		return reject("the monitor launched is %s, not --monitor", mon_hex);
	if (unmarshal_public(l.id_pub, l.id_pub_len, &id_pub) || !(id = tpm_pkey(&id_pub)) ||
	    tpm_name(l.id_pub, l.id_pub_len, &id_pub, id_name, &id_name_len))
		return reject("the identity event's payload is not a TPM2B_PUBLIC of a key");
	if (a->boot_pcrs && check_boot_pcrs(a, &tq))
		return 1;
	if (a->identity_pem && check_identity(a, id))
		return 1;
	if (load(a, TV_DIR_IDENTITY, TV_TPM_BLOB_MAX, &idf))
		return 1;
	if (idf.n != l.id_pub_len || memcmp(idf.p, l.id_pub, idf.n))
		return reject("%s is not the identity key in the event log", TV_DIR_IDENTITY);
	if (check_quote(a, "the PAL quote", pal_files, id, "the identity key in the log",
			id_name, id_name_len, &pq))
		return 1;
	if (!(pq.mask & 1))
		return reject("the PAL quote does not cover PCR 0, the PAL's measurement");
	if (a->have_pal) {
		memset(cat, 0, 32);
		memcpy(cat + 32, a->pal, 32);
		EVP_Digest(cat, 64, want, NULL, EVP_sha256(), NULL);
		if (memcmp(want, pq.pcrs[0], 32))
			return reject("the PAL quote's PCR 0 is not that of --pal: another PAL");
		hex(pal_hex, a->pal, 32);
	}
	hex(ak_hex, ak_name, ak_name_len);
	hex(id_hex, id_name, id_name_len);
	/*
	 * An ephemeral secret is no reason to reject: the quote is as fresh and
	 * genuine, only what the µTPM sealed does not outlive this monitor.
	 */
	kind = le32(l.secret.kind);
	printf("verified: the AK %s quoted PCR %u, which replays the log: the first launch in "
	       "boot %u/%u of monitor %s, master secret %s%s%s, with identity key %s, which "
	       "quoted %s%s over the nonce; PCRs 0-7 %s%s%s\n",
	       ak_hex, l.pcr, tq.at.clockInfo.resetCount, tq.at.clockInfo.restartCount,
	       mon_hex, secret_kind(kind), kind == TV_SECRET_EPHEMERAL ? ": " : "",
	       kind == TV_SECRET_EPHEMERAL ? secret_reason(le32(l.secret.reason)) : "", id_hex,
	       a->have_pal ? "PAL " : "a PAL (no --pal: which one not checked)",
	       a->have_pal ? pal_hex : "",
	       a->boot_pcrs ? "are the boot chain's of --boot-pcrs" : "are as quoted in ",
	       a->boot_pcrs ? "" : TV_DIR_TPM_PCRS, a->boot_pcrs ? "" : ", not judged");
	return 0;
}
