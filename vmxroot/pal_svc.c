// SPDX-License-Identifier: GPL-2.0
/*
 * A PAL's services: its µTPM (utpm/), reached by the hypercalls of
 * include/trustvisor/pal_abi.h while it runs, and its quote for Linux.
 *
 * Arguments come from the PAL's registers; every buffer is copied in from
 * the PAL, and results out to it, through its own page tables
 * (pal_copy_from/pal_copy_to), so a pointer is never followed further than
 * the PAL itself could.  Large data goes through the block's scratch pages,
 * which the PAL cannot see and unload wipes.  The PAL's instance lives in
 * its context page; the root (key, master secret, DRBG, counters) is shared,
 * under its lock, held only for the µTPM call itself.
 */
#include "vmxroot/pal.h"
#include "lib/ct.h"

BUILD_BUG_ON(UTPM_COUNTERS_PER_PAL != TV_PAL_NR_COUNTERS);
BUILD_BUG_ON(UTPM_NUM_PCRS != TV_PAL_NR_PCRS);
BUILD_BUG_ON(UTPM_SEAL_MAX_DATA != TV_PAL_SEAL_MAX);
BUILD_BUG_ON(UTPM_SEAL_BLOB_MAX != TV_PAL_BLOB_MAX);
BUILD_BUG_ON(UTPM_MAX_NONCE != TV_PAL_NONCE_MAX);
BUILD_BUG_ON(2 + UTPM_ATTEST_MAX + UTPM_SIG_SIZE != TV_PAL_QUOTE_MAX);
BUILD_BUG_ON(TV_PAL_BLOB_MAX > 2 * PAGE_SIZE || TV_PAL_SEAL_MAX > PAGE_SIZE);
BUILD_BUG_ON(sizeof(struct tv_hc_pal_quote) > 2 * PAGE_SIZE);
BUILD_BUG_ON(sizeof(((struct tv_hc_pal_quote *)0)->attest) < UTPM_ATTEST_MAX);
BUILD_BUG_ON(sizeof(((struct tv_hc_pal_quote *)0)->sig) < UTPM_SIG_SIZE);

#define ALL_PCRS	((1U << TV_PAL_NR_PCRS) - 1)

static struct utpm *utpm_of(const struct pal *p)
{
	return &pal_ctx(p)->utpm;
}

/* The µTPM's codes as the PAL sees them (the negated errno of each name). */
static int pal_err(int utpm_err)
{
	switch (utpm_err) {
	case TV_OK:
		return 0;
	case TV_EPERM:
		return TV_PAL_EPERM;
	case TV_ENOENT:
		return TV_PAL_ENOENT;
	case TV_EENTROPY:
	case TV_ERESEED:
		return TV_PAL_EAGAIN;
	case TV_EPOLICY:
	case TV_EIDENTITY:
		return TV_PAL_EACCES;
	case TV_EAUTH:
	case TV_EVERSION:
		return TV_PAL_EBADMSG;
	case TV_ENOSPC:
		return TV_PAL_ENOSPC;
	case TV_ENODATA:
		return TV_PAL_ENODATA;	/* counters not restored yet */
	default:
		return TV_PAL_EINVAL;
	}
}

/* A size_t the PAL passed by pointer. */
static int get_len(const struct pal *p, u64 va, u64 *len)
{
	return pal_copy_from(p, len, va, sizeof(*len));
}

/*
 * An output of `n` bytes for a buffer of *len_va capacity: 0 if it fits,
 * else ENOSPC with the size it needs written back (the one thing written
 * on an error).
 */
static int room_for(const struct pal *p, u64 len_va, u64 n)
{
	u64 cap;
	int ret = get_len(p, len_va, &cap);

	if (ret)
		return ret;
	if (cap >= n)
		return 0;
	ret = pal_copy_to(p, len_va, &n, sizeof(n));
	return ret ?: TV_PAL_ENOSPC;
}

/* Output and its length together: the PAL sees both or neither. */
static int put_out(const struct pal *p, u64 va, const void *src, u64 n, u64 len_va)
{
	int ret = room_for(p, len_va, n);

	if (ret)
		return ret;
	/* Both ranges first: a bad buffer leaves the length untouched, and back. */
	if (!pal_can_access(p, va, n, true))
		return TV_PAL_EFAULT;
	ret = pal_copy_to(p, len_va, &n, sizeof(n));
	return ret ?: pal_copy_to(p, va, src, n);
}

static int svc_random(struct pal *p, u64 va, u64 len)
{
	u8 chunk[256];
	int ret = 0;

	if (len > TV_PAL_RANDOM_MAX)
		return TV_PAL_ERANGE;
	if (!pal_can_access(p, va, len, true))
		return TV_PAL_EFAULT;
	/* Checked whole before a byte is written: the buffer is good or untouched. */
	for (u64 off = 0; !ret && off < len; off += sizeof(chunk)) {
		u64 n = len - off < sizeof(chunk) ? len - off : sizeof(chunk);
		struct utpm_root *r = secrets_root_lock();

		ret = pal_err(utpm_get_random(r, utpm_of(p), chunk, n));
		secrets_root_unlock();
		if (!ret)
			ret = pal_copy_to(p, va + off, chunk, n);
	}
	secure_wipe(chunk, sizeof(chunk));
	return ret;
}

static int svc_pcr_read(struct pal *p, u32 index, u64 va)
{
	u8 v[UTPM_PCR_SIZE];

	if (index >= TV_PAL_NR_PCRS)
		return TV_PAL_EINVAL;
	utpm_pcr_read(utpm_of(p), index, v);
	return pal_copy_to(p, va, v, sizeof(v));
}

static int svc_pcr_extend(struct pal *p, u32 index, u64 va)
{
	u8 d[UTPM_PCR_SIZE];
	int ret;

	if (index >= TV_PAL_NR_PCRS)
		return TV_PAL_EINVAL;
	if (index == 0)
		return TV_PAL_EPERM;	/* PCR 0 is the PAL's identity */
	ret = pal_copy_from(p, d, va, sizeof(d));
	return ret ?: pal_err(utpm_pcr_extend(utpm_of(p), index, d));
}

/* The PAL's policy, checked, as the µTPM's options (pointing into `pol`). */
static int policy_opts(const struct pal *p, u64 va, struct tv_seal_policy *pol,
		       struct utpm_pcr_sel *sel, struct utpm_seal_opts *o)
{
	const u32 known = TV_SEAL_F_PCR_DIGEST | TV_SEAL_F_RELEASE_TO;
	int ret;

	*o = (struct utpm_seal_opts){ 0 };
	if (!va)
		return 0;
	ret = pal_copy_from(p, pol, va, sizeof(*pol));
	if (ret)
		return ret;
	if ((pol->flags & ~known) || (pol->pcr_mask & ~ALL_PCRS) ||
	    ((pol->flags & TV_SEAL_F_PCR_DIGEST) && !pol->pcr_mask))
		return TV_PAL_EINVAL;
	sel->mask = pol->pcr_mask;
	o->pcr_sel = pol->pcr_mask ? sel : NULL;
	o->pcr_digest = pol->flags & TV_SEAL_F_PCR_DIGEST ? pol->pcr_digest : NULL;
	o->release_to = pol->flags & TV_SEAL_F_RELEASE_TO ? pol->release_to : NULL;
	return 0;
}

static int svc_seal(struct pal *p, const struct guest_regs *r)
{
	u64 data = r->rdi, len = r->rsi, blob = r->rcx, blob_len = r->r8;
	u8 *in = pal_page(p, PB_SVC_DATA), *out = pal_page(p, PB_SVC_BLOB);
	struct tv_seal_policy pol;
	struct utpm_pcr_sel sel;
	struct utpm_seal_opts o;
	size_t n = 0;
	int ret;

	if (len > TV_PAL_SEAL_MAX)
		return TV_PAL_ERANGE;
	ret = policy_opts(p, r->rdx, &pol, &sel, &o);
	ret = ret ?: room_for(p, blob_len, len + UTPM_SEAL_OVERHEAD);
	ret = ret ?: pal_copy_from(p, in, data, len);
	if (!ret) {
		struct utpm_root *root = secrets_root_lock();

		ret = pal_err(utpm_seal(root, utpm_of(p), &o, in, len, out, TV_PAL_BLOB_MAX, &n));
		secrets_root_unlock();
	}
	ret = ret ?: put_out(p, blob, out, n, blob_len);
	secure_wipe(in, TV_PAL_SEAL_MAX);
	return ret;
}

static int svc_unseal(struct pal *p, const struct guest_regs *r)
{
	u64 blob = r->rdi, blob_len = r->rsi, data = r->rdx, len = r->rcx;
	u8 *in = pal_page(p, PB_SVC_BLOB), *out = pal_page(p, PB_SVC_DATA);
	size_t n = 0;
	int ret;

	if (blob_len > TV_PAL_BLOB_MAX)
		return TV_PAL_EBADMSG;		/* longer than any blob this monitor makes */
	ret = pal_copy_from(p, in, blob, blob_len);
	if (!ret) {
		struct utpm_root *root = secrets_root_lock();
		int u = utpm_unseal(root, utpm_of(p), in, blob_len, out, TV_PAL_SEAL_MAX, &n,
				    NULL);

		secrets_root_unlock();
		/* A blob that does not parse is not ours: EBADMSG, like a forged one. */
		ret = u == TV_EINVAL || u == TV_ERANGE ? TV_PAL_EBADMSG : pal_err(u);
	}
	ret = ret ?: put_out(p, data, out, n, len);
	secure_wipe(out, TV_PAL_SEAL_MAX);
	return ret;
}

/* A quote: its TPMS_ATTEST (at most UTPM_ATTEST_MAX bytes) and its TPMT_SIGNATURE. */
static int make_quote(struct pal *p, u32 mask, const u8 *nonce, u64 nonce_len, u8 *attest,
		      size_t *alen, u8 *sig, size_t *slen)
{
	struct utpm_pcr_sel sel = { .mask = mask };
	struct utpm_root *root;
	int ret;

	/* The key is the monitor's: only PCR 0 says which PAL a quote speaks for. */
	if ((mask & ~ALL_PCRS) || !(mask & 1))
		return TV_PAL_EINVAL;
	if (nonce_len > TV_PAL_NONCE_MAX)
		return TV_PAL_ERANGE;
	root = secrets_root_lock();
	ret = utpm_quote(root, utpm_of(p), &sel, nonce, nonce_len, attest, UTPM_ATTEST_MAX, alen,
			 sig, UTPM_SIG_SIZE, slen);
	secrets_root_unlock();
	return pal_err(ret);
}

/* The PAL's own quote, in the scratch as TPM2_Quote gives it: TPM2B_ATTEST || TPMT_SIGNATURE. */
static int svc_quote(struct pal *p, const struct guest_regs *r)
{
	u8 nonce[TV_PAL_NONCE_MAX], *q = pal_page(p, PB_SVC_BLOB);
	u64 nonce_len = r->rsi;
	size_t alen = 0, slen = 0;
	int ret;

	if (nonce_len > TV_PAL_NONCE_MAX)
		return TV_PAL_ERANGE;
	ret = pal_copy_from(p, nonce, r->rdi, nonce_len);
	ret = ret ?: make_quote(p, (u32)r->rdx, nonce, nonce_len, q + 2, &alen,
				q + 2 + UTPM_ATTEST_MAX, &slen);
	if (ret)
		return ret;
	q[0] = (u8)(alen >> 8);
	q[1] = (u8)alen;
	memmove(q + 2 + alen, q + 2 + UTPM_ATTEST_MAX, slen);
	return put_out(p, r->rcx, q, 2 + alen + slen, r->r8);
}

static int svc_counter(struct pal *p, u32 id, u64 va, bool increment)
{
	struct utpm_root *root;
	u64 v = 0;
	int ret;

	if (id >= TV_PAL_NR_COUNTERS)
		return TV_PAL_EINVAL;
	/* The value's place first: an increment the PAL cannot learn must not happen. */
	if (!pal_can_access(p, va, sizeof(v), true))
		return TV_PAL_EFAULT;
	root = secrets_root_lock();
	ret = increment ? utpm_counter_increment(root, utpm_of(p), id, &v) :
			  utpm_counter_read(root, utpm_of(p), id, &v);
	secrets_root_unlock();
	if (ret)
		return ret == TV_ERANGE ? TV_PAL_EOVERFLOW : pal_err(ret);
	return pal_copy_to(p, va, &v, sizeof(v));
}

/*
 * The C prototypes' 32-bit arguments (index, id, mask) arrive in registers
 * whose upper halves the SysV ABI leaves undefined: they are truncated, not
 * refused.
 *
 * A service hypercall from the running PAL: the result into its RAX and the
 * PAL goes on after the VMCALL.  False if RAX names no service (the caller
 * terminates the PAL).
 */
bool pal_service(struct pal *p, struct guest_regs *r)
{
	int ret;

	switch (r->rax) {
	case TV_PAL_HC_RANDOM:
		ret = svc_random(p, r->rdi, r->rsi);
		break;
	case TV_PAL_HC_PCR_READ:
		ret = svc_pcr_read(p, (u32)r->rdi, r->rsi);
		break;
	case TV_PAL_HC_PCR_EXTEND:
		ret = svc_pcr_extend(p, (u32)r->rdi, r->rsi);
		break;
	case TV_PAL_HC_SEAL:
		ret = svc_seal(p, r);
		break;
	case TV_PAL_HC_UNSEAL:
		ret = svc_unseal(p, r);
		break;
	case TV_PAL_HC_QUOTE:
		ret = svc_quote(p, r);
		break;
	case TV_PAL_HC_COUNTER_READ:
		ret = svc_counter(p, (u32)r->rdi, r->rsi, false);
		break;
	case TV_PAL_HC_COUNTER_INC:
		ret = svc_counter(p, (u32)r->rdi, r->rsi, true);
		break;
	default:
		return false;
	}
	r->rax = (u64)(long)ret;
	return true;
}

/* At load, once measured: the µTPM instance, and the identity's counters. */
int pal_svc_attach(struct pal *p)
{
	struct utpm_root *root;
	int ret;

	if (utpm_init(utpm_of(p), p->measurement))
		return TV_E_PARAM;
	root = secrets_root_lock();
	ret = utpm_counters_attach(root, utpm_of(p));
	secrets_root_unlock();
	if (ret)
		return TV_E_LIMIT;
	p->counters = true;
	return 0;
}

/* At unload, before the wipe. */
void pal_svc_detach(struct pal *p)
{
	if (!p->counters)
		return;
	utpm_counters_detach(secrets_root_lock(), utpm_of(p));
	secrets_root_unlock();
	p->counters = false;
}

/*
 * TV_HC_PAL_QUOTE from the module: the PAL is held (not running) by the
 * caller.  The request is built in the scratch, not on the stack, and goes
 * back to Linux whole.  The identity key signed on Linux's behalf: the L1D
 * and CPU buffers are flushed before Linux runs again.
 */
long pal_quote_for_linux(struct pal *p, u64 req_gpa)
{
	struct tv_hc_pal_quote *q = pal_page(p, PB_SVC_BLOB);
	size_t alen = 0, slen = 0;
	int ret;

	memset(q, 0, sizeof(*q));
	if (copy_from_guest(monitor.eptp, q, req_gpa, sizeof(*q)))
		return TV_E_PARAM;
	ret = make_quote(p, q->pcr_mask, q->nonce, q->nonce_len, q->attest, &alen, q->sig, &slen);
	pal_flush_for_linux();
	if (ret)
		return TV_E_PARAM;
	q->attest_len = (u32)alen;
	q->sig_len = (u32)slen;
	for (u32 i = 0; i < TV_PAL_NR_PCRS; i++)
		if (q->pcr_mask & (1U << i))
			utpm_pcr_read(utpm_of(p), i, q->pcrs[i]);
	ret = copy_to_guest(monitor.eptp, req_gpa, q, sizeof(*q));
	memset(q, 0, sizeof(*q));
	return ret;
}
