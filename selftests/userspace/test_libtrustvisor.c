// SPDX-License-Identifier: GPL-2.0
/*
 * libtrustvisor's tv_identity() and tv_pal_quote() against the fake
 * device (fake_dev.h): bad arguments refused before any ioctl, answers
 * passed on intact (the quote's signature checked with OpenSSL over the
 * identity key, PCR 0 predicted from the image), and a module that breaks
 * the ABI's promises refused with -EPROTO, leaving the output untouched.
 * Prints TAP.
 */
#include <errno.h>
#include <string.h>
#include <openssl/bn.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include "libtrustvisor.h"
#include "selftests/tap.h"
#include "selftests/userspace/fake_dev.h"

/* The smallest valid image: one r-x page whose first byte is in the file. */
static unsigned char image[sizeof(struct tv_pal_header) + sizeof(struct tv_pal_section) + 1];

static void make_image(void)
{
	struct tv_pal_header h = {
		.magic = TV_PAL_MAGIC,
		.format = TV_PAL_FORMAT,
		.header_size = sizeof(h),
		.nr_sections = 1,
		.isa = TV_PAL_ISA_V1,
		.entry = TV_PAL_VA_BASE,
		.stack_size = TV_PAL_PAGE,
	};
	struct tv_pal_section s = {
		.vaddr = TV_PAL_VA_BASE,
		.memsz = TV_PAL_PAGE,
		.filesz = 1,
		.flags = TV_PAL_SEC_R | TV_PAL_SEC_X,
	};

	memcpy(image, &h, sizeof(h));
	memcpy(image + sizeof(h), &s, sizeof(s));
	image[sizeof(h) + sizeof(s)] = 0xf4;
}

static void ref_sha256(const void *a, size_t alen, const void *b, size_t blen,
		       unsigned char out[32])
{
	EVP_MD_CTX *c = EVP_MD_CTX_new();

	EVP_DigestInit_ex(c, EVP_sha256(), NULL);
	EVP_DigestUpdate(c, a, alen);
	EVP_DigestUpdate(c, b, blen);
	EVP_DigestFinal_ex(c, out, NULL);
	EVP_MD_CTX_free(c);
}

/* OpenSSL's verdict on a TPMT_SIGNATURE (ECDSA, SHA-256, r, s) over msg. */
static int ref_verify(const uint8_t point[65], const void *msg, size_t len,
		      const uint8_t *sig, size_t sig_len)
{
	static const unsigned char spki[26] = {
		0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01,
		0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07, 0x03, 0x42, 0x00,
	};
	unsigned char der[sizeof(spki) + 65], dsig[80], *dp = dsig;
	const unsigned char *p = der;
	ECDSA_SIG *es;
	EVP_PKEY *k;
	EVP_MD_CTX *c;
	int n, ok = 0;

	if (sig_len != 72 || sig[0] != 0x00 || sig[1] != 0x18 || sig[4] != 0 || sig[5] != 32)
		return 0;
	memcpy(der, spki, sizeof(spki));
	memcpy(der + sizeof(spki), point, 65);
	k = d2i_PUBKEY(NULL, &p, sizeof(der));
	es = ECDSA_SIG_new();
	ECDSA_SIG_set0(es, BN_bin2bn(sig + 6, 32, NULL), BN_bin2bn(sig + 40, 32, NULL));
	n = i2d_ECDSA_SIG(es, &dp);
	c = EVP_MD_CTX_new();
	if (k && n > 0 && EVP_DigestVerifyInit(c, NULL, EVP_sha256(), NULL, k) == 1)
		ok = EVP_DigestVerify(c, dsig, n, msg, len) == 1;
	EVP_MD_CTX_free(c);
	ECDSA_SIG_free(es);
	EVP_PKEY_free(k);
	return ok;
}

static int all_bytes(const void *p, int c, size_t n)
{
	const unsigned char *b = p;

	for (size_t i = 0; i < n; i++)
		if (b[i] != c)
			return 0;
	return 1;
}

/* A call of tv_pal_quote that must be refused with `want` before any ioctl. */
static void refused(struct tv_pal *pal, const void *nonce, size_t nonce_len, uint32_t mask,
		    struct tv_pal_quote_info *q, int want, const char *what)
{
	unsigned int before = fake_dev_ioctls;
	int err = tv_pal_quote(pal, nonce, nonce_len, mask, q);

	tap_ok(err == want && fake_dev_ioctls == before,
	       "tv_pal_quote %s: %s, no ioctl (got %d, %u ioctls)", what, tv_strerror(want), err,
	       fake_dev_ioctls - before);
}

int main(void)
{
	static struct tv_pal_quote_info q, q2;
	unsigned char zero[32] = { 0 }, m[32], pcr0[32], pcr1[32], in[5] = "hello", out[64];
	unsigned char nonce[TV_PAL_NONCE_MAX + 1];
	struct tv_identity_info id;
	struct tv_pal *pal;
	size_t out_len;
	int32_t status;
	int err;

	tap_plan(32);
	make_image();
	for (size_t i = 0; i < sizeof(nonce); i++)
		nonce[i] = 0xa0 + i;

	/* --- tv_identity ------------------------------------------------- */
	tap_ok(tv_identity(NULL) == -EINVAL && !fake_dev_ioctls,
	       "tv_identity(NULL): -EINVAL, no ioctl");
	fake_dev_absent = true;
	tap_ok(tv_identity(&id) == -ENOENT, "tv_identity without the device: -ENOENT");
	fake_dev_absent = false;
	err = tv_identity(&id);
	tap_ok(!err, "tv_identity: %s", tv_strerror(err));
	tap_ok(id.launch == TV_ID_LAUNCH_KERNEL && id.flags == TV_ID_F_EPHEMERAL,
	       "launch kernel, ephemeral key");
	tap_ok(id.pubkey[0] == 0x04 && id.public_area_len == 90 &&
	       id.name[0] == 0x00 && id.name[1] == 0x0b,
	       "key: an uncompressed point, a 90-byte TPM2B_PUBLIC, a sha256 name");
	tap_ok(!memcmp(id.public_area + 2 + 2 + 2 + 4 + 2 + 10 + 2, id.pubkey + 1, 32),
	       "the public area holds the same point (X)");
	tap_ok(strlen(id.launch_desc) == sizeof(id.launch_desc) - 1 &&
	       !strncmp(id.launch_desc, "loaded by the running kernel", 28),
	       "a description with no NUL from the module comes out terminated");
	memset(&id, 0xa5, sizeof(id));
	fake_dev_lie = FAKE_LIE_SHORT_SIZE;
	err = tv_identity(&id);
	tap_ok(err == -EPROTO && all_bytes(&id, 0xa5, sizeof(id)),
	       "an answer cut short: -EPROTO, nothing written (got %d)", err);
	fake_dev_lie = FAKE_LIE_PUBKEY;
	err = tv_identity(&id);
	tap_ok(err == -EPROTO && all_bytes(&id, 0xa5, sizeof(id)),
	       "a key that is no uncompressed point: -EPROTO, nothing written (got %d)", err);
	fake_dev_lie = FAKE_LIE_NONE;
	fake_dev_fail_errno = ENOTTY;
	err = tv_identity(&id);
	tap_ok(err == -ENOTTY, "a module without IDENTITY: -ENOTTY (got %d)", err);
	tv_identity(&id);

	/* --- tv_pal_quote: arguments ------------------------------------- */
	err = tv_pal_load(image, sizeof(image), &pal);
	if (!tap_ok(!err, "tv_pal_load of a minimal image: %s", tv_strerror(err)))
		return tap_finish();
	refused(pal, nonce, TV_PAL_NONCE_MAX + 1, 1, &q, -EINVAL, "65-byte nonce");
	refused(pal, nonce, 4, 0x2, &q, -EINVAL, "mask without PCR 0");
	refused(pal, nonce, 4, 0, &q, -EINVAL, "empty mask");
	refused(pal, nonce, 4, 1 | 1u << TV_PAL_NR_PCRS, &q, -EINVAL, "PCR 24");
	refused(pal, nonce, 4, 1 | 1u << 31, &q, -EINVAL, "PCR 31");
	refused(pal, NULL, 4, 1, &q, -EINVAL, "NULL nonce of 4 bytes");
	refused(pal, nonce, 4, 1, NULL, -EINVAL, "NULL output");
	refused(NULL, nonce, 4, 1, &q, -EINVAL, "NULL PAL");

	/* --- tv_pal_quote: what comes back ---------------------------- */
	out_len = sizeof(out);
	err = tv_pal_call(pal, 7, in, sizeof(in), out, &out_len, &status);
	tap_ok(!err && status == 8 && out_len == 32, "a call extends PCR 1 (fake PAL): %s",
	       tv_strerror(err));
	err = tv_pal_quote(pal, nonce, TV_PAL_NONCE_MAX, 0x3, &q);
	tap_ok(!err, "tv_pal_quote, 64-byte nonce, PCRs 0 and 1: %s", tv_strerror(err));
	ref_sha256(image, sizeof(image), NULL, 0, m);
	ref_sha256(zero, 32, m, 32, pcr0);
	ref_sha256(in, sizeof(in), NULL, 0, m);
	ref_sha256(zero, 32, m, 32, pcr1);
	tap_ok(q.pcr_mask == 0x3 && !memcmp(q.pcrs[0], pcr0, 32) && !memcmp(q.pcrs[1], pcr1, 32) &&
	       all_bytes(q.pcrs[2], 0, sizeof(q.pcrs) - 64),
	       "PCR 0 = SHA256(0^32 || SHA256(image)), PCR 1 as extended, the rest zero");
	tap_ok(q.attest_len > 100 && q.attest_len <= TV_QUOTE_ATTEST_MAX &&
	       !memcmp(q.attest, "\xff\x54\x43\x47\x80\x18", 6),
	       "attest: a TPMS_ATTEST of a quote (%zu bytes)", q.attest_len);
	tap_ok(!memcmp(q.attest + 6 + 36, "\x00\x40", 2) &&
	       !memcmp(q.attest + 6 + 36 + 2, nonce, TV_PAL_NONCE_MAX),
	       "attest: extraData is the nonce");
	tap_ok(ref_verify(id.pubkey, q.attest, q.attest_len, q.sig, q.sig_len),
	       "OpenSSL verifies the signature with tv_identity's key");
	err = tv_pal_quote(pal, NULL, 0, 1, &q2);
	tap_ok(!err && q2.pcr_mask == 1 && all_bytes(q2.pcrs[1], 0, sizeof(q2.pcrs) - 32),
	       "no nonce, PCR 0 only: PCR 1 comes back zero: %s", tv_strerror(err));

	/* --- a module that lies, or fails -------------------------------- */
	memset(&q2, 0xa5, sizeof(q2));
	fake_dev_lie = FAKE_LIE_ATTEST_LEN;
	err = tv_pal_quote(pal, nonce, 4, 1, &q2);
	tap_ok(err == -EPROTO && all_bytes(&q2, 0xa5, sizeof(q2)),
	       "attest_len beyond the buffer: -EPROTO, nothing written (got %d)", err);
	fake_dev_lie = FAKE_LIE_SHORT_SIZE;
	err = tv_pal_quote(pal, nonce, 4, 1, &q2);
	tap_ok(err == -EPROTO && all_bytes(&q2, 0xa5, sizeof(q2)),
	       "an answer without the PCR values: -EPROTO, nothing written (got %d)", err);
	fake_dev_lie = FAKE_LIE_PCRS;
	err = tv_pal_quote(pal, nonce, 4, 1, &q2);
	tap_ok(!err && all_bytes(q2.pcrs[1], 0, sizeof(q2.pcrs) - 32),
	       "values of PCRs not quoted are not passed on (got %d)", err);
	fake_dev_lie = FAKE_LIE_NONE;
	fake_dev_fail_errno = EBUSY;
	memset(&q2, 0xa5, sizeof(q2));
	err = tv_pal_quote(pal, nonce, 4, 1, &q2);
	tap_ok(err == -EBUSY && all_bytes(&q2, 0xa5, sizeof(q2)),
	       "the module's EBUSY: -EBUSY, nothing written (got %d)", err);
	out_len = sizeof(out);
	err = tv_pal_call(pal, FAKE_CMD_FAULT, NULL, 0, out, &out_len, &status);
	tap_ok(err == TV_ERR_PAL_FAULT, "the PAL faults (fake): %s", tv_strerror(err));
	refused(pal, nonce, 4, 1, &q2, TV_ERR_PAL_GONE, "after the fault");
	tv_pal_unload(pal);
	return tap_finish();
}
