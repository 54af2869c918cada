// SPDX-License-Identifier: GPL-2.0
/*
 * PALs: the table of them, their life (load, call, unload) and the
 * hypercalls by which the module asks for it.
 *
 * A PAL's state changes only by compare-and-swap, so whatever Linux asks on
 * any CPU, a PAL is being loaded, run or wiped by at most one CPU at a time.
 * Loading takes the table lock too (try-only: a busy table is EBUSY, never a
 * wait), which also serializes the changes to Linux's EPT.
 *
 * Load: the request and the image's header and section table are copied in
 * once and checked there; the block leaves Linux's EPT and every CPU
 * flushes; only then is the block wiped, the image copied in from Linux and
 * measured from the copy.  So nothing Linux does on any CPU changes a byte
 * after it was measured.  The measurement is SHA-256 of the file as it lies
 * in the block: header, section table, section bytes in order.
 */
#include "vmxroot/pal.h"
#include "lib/pal_image.h"
#include "lib/sha256.h"

static struct pal pals[TV_MAX_PALS];
static u32 table_lock;
static u32 nr_loaded;
static u64 denied;

u32 pal_count(void)
{
	return READ_ONCE(nr_loaded);
}

u64 pal_denied_add(void)
{
	return __atomic_add_fetch(&denied, 1, __ATOMIC_RELAXED);
}

static bool set_state(struct pal *p, u32 from, u32 to)
{
	return __atomic_compare_exchange_n(&p->state, &from, to, false, __ATOMIC_SEQ_CST,
					   __ATOMIC_SEQ_CST);
}

static u32 handle_of(const struct pal *p)
{
	return ((p->gen & 0xffffff) << 8) | (u32)(p - pals);
}

static struct pal *pal_of(u32 handle)
{
	struct pal *p;

	if ((handle & 0xff) >= TV_MAX_PALS)
		return NULL;
	p = &pals[handle & 0xff];
	if ((READ_ONCE(p->gen) & 0xffffff) != handle >> 8 || READ_ONCE(p->state) == PAL_FREE)
		return NULL;
	return p;
}

/* Wipes the block, gives it back to Linux, frees the slot.  The caller owns `p`. */
static void pal_destroy(struct pal *p)
{
	tpm_commit_forget(p);
	pal_svc_detach(p);
	memset(pal_page(p, 0), 0, TV_PAL_BLOCK_SIZE);
	pal_linux_restore(p);
	memset(p->measurement, 0, sizeof(p->measurement));
	__atomic_fetch_sub(&nr_loaded, 1, __ATOMIC_SEQ_CST);
	WRITE_ONCE(p->state, PAL_FREE);
}

/* ---- load ---- */

struct image_src {
	u64 list;		/* Linux page holding the image's page addresses */
	u64 len;
};

/* Copies image bytes [off, off + len) from Linux, page by page. */
static int image_read(const struct image_src *src, u64 off, void *dst, u64 len)
{
	while (len) {
		u64 page, in = off % PAGE_SIZE, n = PAGE_SIZE - in;
		int ret;

		if (n > len)
			n = len;
		ret = copy_from_guest(monitor.eptp, &page, src->list + (off / PAGE_SIZE) * 8, 8);
		if (ret || (page & ~PAGE_MASK))
			return TV_E_PARAM;
		ret = copy_from_guest(monitor.eptp, dst, page + in, n);
		if (ret)
			return ret;
		dst = (u8 *)dst + n;
		off += n;
		len -= n;
	}
	return 0;
}

/* Header and section table into the slot, checked there; `reason` why not. */
static int read_layout(struct pal *p, const struct image_src *src, u32 *reason)
{
	int ret;

	ret = image_read(src, 0, &p->hdr, sizeof(p->hdr));
	if (ret)
		return ret;
	*reason = tv_pal_header_check(&p->hdr, src->len);
	if (*reason)
		return TV_E_IMAGE;
	ret = image_read(src, sizeof(p->hdr), p->sect,
			 p->hdr.nr_sections * sizeof(struct tv_pal_section));
	if (ret)
		return ret;
	*reason = tv_pal_image_check(&p->hdr, p->sect, src->len);
	return *reason ? TV_E_IMAGE : 0;
}

/* Section bytes into the (isolated, wiped) block, measured as they lie there. */
static int copy_and_measure(struct pal *p, const struct image_src *src)
{
	struct sha256_ctx h;
	u64 off = tv_pal_table_end(&p->hdr);
	int ret = 0;

	sha256_init(&h);
	sha256_update(&h, &p->hdr, sizeof(p->hdr));
	sha256_update(&h, p->sect, p->hdr.nr_sections * sizeof(struct tv_pal_section));
	for (u32 i = 0; !ret && i < p->hdr.nr_sections; i++) {
		const struct tv_pal_section *s = &p->sect[i];
		u8 *dst = pal_page(p, PB_SECT + (s->vaddr - TV_PAL_VA_BASE) / PAGE_SIZE);

		ret = image_read(src, off, dst, s->filesz);
		sha256_update(&h, dst, s->filesz);
		off += s->filesz;
	}
	sha256_final(&h, p->measurement);
	return ret;
}

static struct pal *claim_slot(void)
{
	for (u32 i = 0; i < TV_MAX_PALS; i++)
		if (set_state(&pals[i], PAL_FREE, PAL_LOADING))
			return &pals[i];
	return NULL;
}

static int load_into(struct per_cpu *pc, struct pal *p, const struct tv_hc_pal_load *req,
		     u32 *reason)
{
	struct image_src src = { .list = req->image_pages, .len = req->image_len };
	int ret;

	if (!pal_block_fits(req->block) || (src.list & ~PAGE_MASK) ||
	    src.len > TV_PAL_PAGE * 512)
		return TV_E_PARAM;
	p->block = req->block;
	ret = read_layout(p, &src, reason);
	if (ret)
		return ret;
	p->xcr0 = pal_xcr0_for(p->hdr.isa);
	if (!p->xcr0) {
		pr_mon("PAL load refused: this CPU lacks the PAL's ISA level %u", p->hdr.isa);
		return TV_E_NOFEAT;
	}
	p->entry = p->hdr.entry;
	p->stack_size = p->hdr.stack_size;
	p->in_dirty = 0;	/* the block is wiped below */
	p->vpid = (u16)(TV_MAX_MONITOR_CPUS + 1 + (p - pals));
	ret = pal_linux_unmap(p);
	if (ret)
		return ret;
	__atomic_fetch_add(&nr_loaded, 1, __ATOMIC_SEQ_CST);	/* pal_destroy undoes all from here */
	ret = ept_shootdown(pc);
	if (!ret) {
		memset(pal_page(p, 0), 0, TV_PAL_BLOCK_SIZE);
		ret = copy_and_measure(p, &src);
	}
	ret = ret ?: pal_svc_attach(p);
	ret = ret ?: pal_build_tables(p);
	ret = ret ?: pal_vmcs_init(pc, p);
	if (ret)
		pal_destroy(p);
	return ret;
}

static long pal_load(struct per_cpu *pc, u64 req_gpa)
{
	struct tv_hc_pal_load req;
	const char *why;
	struct pal *p;
	u32 reason = 0;
	int ret;

	if (copy_from_guest(monitor.eptp, &req, req_gpa, sizeof(req)))
		return TV_E_PARAM;
	if (!pal_vmcs_usable(&why)) {
		pr_mon("PAL load refused: %s", why);
		return TV_E_NOFEAT;
	}
	if (__atomic_exchange_n(&table_lock, 1, __ATOMIC_ACQUIRE))
		return TV_E_BUSY;
	p = claim_slot();
	if (!p) {
		ret = TV_E_LIMIT;
		goto out;
	}
	ret = load_into(pc, p, &req, &reason);
	if (ret) {
		if (READ_ONCE(p->state) == PAL_LOADING)
			WRITE_ONCE(p->state, PAL_FREE);
		req.reason = reason;
		goto out;
	}
	p->gen++;
	req.handle = handle_of(p);
	memcpy(req.measurement, p->measurement, sizeof(req.measurement));
	WRITE_ONCE(p->state, PAL_IDLE);
out:
	__atomic_store_n(&table_lock, 0, __ATOMIC_RELEASE);
	/* The results: if Linux's page went bad meanwhile, it just does not get them. */
	copy_to_guest(monitor.eptp, req_gpa, &req, sizeof(req));
	return ret;
}

/* ---- call ---- */

/* Linux's contiguous buffer [gpa, gpa + len) <-> PAL memory, page-sized pieces. */
static int copy_linux(u64 gpa, void *pal_mem, u64 len, bool to_linux)
{
	while (len) {
		u64 n = PAGE_SIZE - gpa % PAGE_SIZE;
		int ret;

		if (n > len)
			n = len;
		ret = to_linux ? copy_to_guest(monitor.eptp, gpa, pal_mem, n) :
				 copy_from_guest(monitor.eptp, pal_mem, gpa, n);
		if (ret)
			return ret;
		gpa += n;
		pal_mem = (u8 *)pal_mem + n;
		len -= n;
	}
	return 0;
}

static long pal_call(struct per_cpu *pc, struct guest_regs *r, bool *enter)
{
	struct tv_hc_pal_call req;
	bool resume;
	struct pal *p;
	int ret;

	if (copy_from_guest(monitor.eptp, &req, r->rbx, sizeof(req)))
		return TV_E_PARAM;
	p = pal_of(req.handle);
	if (!p)
		return TV_E_NOENT;
	if (monitor_state() != TV_STATE_ACTIVE)
		return TV_E_STATE;
	resume = req.flags & TV_HC_CALL_F_RESUME;
	if (req.flags & ~TV_HC_CALL_F_RESUME || (!resume && (req.in_len > TV_PAL_IO_MAX ||
							     req.out_cap > TV_PAL_IO_MAX)))
		return TV_E_PARAM;
	if (!set_state(p, resume ? PAL_SUSPENDED : PAL_IDLE, PAL_RUNNING))
		return TV_E_BUSY;
	if (!resume) {
		u8 *in = pal_page(p, PB_IN);

		p->in_len = req.in_len;
		p->out_cap = req.out_cap;
		p->out_gpa = req.out;
		/* The PAL sees only this call's input: what an earlier one left goes. */
		if (p->in_dirty > req.in_len)
			memset(in + req.in_len, 0, p->in_dirty - req.in_len);
		p->in_dirty = req.in_len;
		ret = copy_linux(req.in, in, req.in_len, false);
		if (ret) {
			WRITE_ONCE(p->state, PAL_IDLE);
			return ret;
		}
	}
	/* A commit it waits for and Linux did not finish: its RAX says TV_PAL_EIO. */
	if (resume)
		tpm_commit_forget(p);
	p->req = r->rbx;
	ret = pal_enter(pc, p, r, !resume, req.cmd);
	if (ret) {
		WRITE_ONCE(p->state, resume ? PAL_SUSPENDED : PAL_IDLE);
		return ret;
	}
	*enter = true;
	return 0;
}

/* The results of a call, into Linux's request (its output fields only). */
static void write_results(const struct pal *p, const struct pal_fault *f, s32 status,
			  u32 out_len)
{
	const u64 from = __builtin_offsetof(struct tv_hc_pal_call, out_len);
	struct tv_hc_pal_call res = {
		.out_len = out_len, .status = status, .result = f->result,
		.fault_vector = f->vector, .fault_error = f->error, .fault_rip = f->rip,
		.fault_addr = f->addr,
	};

	copy_to_guest(monitor.eptp, p->req + from, (u8 *)&res + from, sizeof(res) - from);
}

/*
 * A call ends (from a PAL exit): output to Linux if it returned, Linux back
 * on this CPU, and the PAL idle, or wiped if it faulted or was killed.
 */
void pal_finish(struct per_cpu *pc, struct guest_regs *regs, const struct pal_fault *f,
		s32 status, u32 out_len)
{
	struct pal *p = pc->pal;
	long ret = TV_E_OK;

	if (f->result == TV_HC_RESULT_RETURNED)
		ret = copy_linux(p->out_gpa, pal_page(p, PB_OUT), out_len, true);
	pal_leave(pc, p, regs, false);
	write_results(p, f, status, out_len);
	if (f->result == TV_HC_RESULT_RETURNED) {
		WRITE_ONCE(p->state, PAL_IDLE);
	} else {
		WRITE_ONCE(p->state, PAL_UNLOADING);
		pal_destroy(p);
	}
	regs->rax = (u64)ret;
}

/* The call's turn on this CPU ends; Linux does what code asks (TV_E_*), then resumes. */
void pal_suspend_for(struct per_cpu *pc, struct guest_regs *regs, long code)
{
	struct pal *p = pc->pal;

	pal_leave(pc, p, regs, true);
	WRITE_ONCE(p->state, PAL_SUSPENDED);
	regs->rax = (u64)code;
}

/* Linux handles what interrupted the PAL, then resumes it. */
void pal_suspend(struct per_cpu *pc, struct guest_regs *regs)
{
	pal_suspend_for(pc, regs, TV_E_PREEMPTED);
}

static long pal_unload(u32 handle)
{
	struct pal *p = pal_of(handle);

	if (!p)
		return TV_E_NOENT;
	/* A suspended call is aborted: its caller gave up (closed, killed). */
	if (!set_state(p, PAL_IDLE, PAL_UNLOADING) && !set_state(p, PAL_SUSPENDED, PAL_UNLOADING))
		return TV_E_BUSY;
	pal_destroy(p);
	return 0;
}

/* A quote of an idle PAL's µTPM for Linux: held meanwhile, so no call changes its PCRs. */
static long pal_quote(u64 req_gpa)
{
	u32 handle;
	struct pal *p;
	long ret;

	if (copy_from_guest(monitor.eptp, &handle, req_gpa, sizeof(handle)))
		return TV_E_PARAM;
	p = pal_of(handle);
	if (!p)
		return TV_E_NOENT;
	if (!set_state(p, PAL_IDLE, PAL_QUOTING))
		return TV_E_BUSY;
	ret = pal_quote_for_linux(p, req_gpa);
	WRITE_ONCE(p->state, PAL_IDLE);
	return ret;
}

/*
 * From the leave rendezvous, every CPU in: no PAL runs (a CPU running one
 * left it to arrive).  After the leave Linux can read all memory again.
 */
void pal_wipe_all(void)
{
	for (u32 i = 0; i < TV_MAX_PALS; i++) {
		struct pal *p = &pals[i];

		if (set_state(p, PAL_IDLE, PAL_UNLOADING) ||
		    set_state(p, PAL_SUSPENDED, PAL_UNLOADING) ||
		    set_state(p, PAL_RUNNING, PAL_UNLOADING) ||
		    set_state(p, PAL_QUOTING, PAL_UNLOADING))
			pal_destroy(p);
	}
}

/* The module's PAL hypercalls (TV_HC_PAL_*), from Linux's kernel. */
long pal_hypercall(struct per_cpu *pc, struct guest_regs *r, bool *enter_pal)
{
	switch (r->rax) {
	case TV_HC_PAL_LOAD:
		if (monitor_state() != TV_STATE_ACTIVE)
			return TV_E_STATE;
		return pal_load(pc, r->rbx);
	case TV_HC_PAL_CALL:
		return pal_call(pc, r, enter_pal);
	case TV_HC_PAL_UNLOAD:
		return pal_unload((u32)r->rbx);
	case TV_HC_PAL_QUOTE:
		if (monitor_state() != TV_STATE_ACTIVE)
			return TV_E_STATE;
		return pal_quote(r->rbx);
	case TV_HC_PAL_STATS:
		r->rbx = pal_count();
		r->rcx = READ_ONCE(denied);
		return 0;
	default:
		return TV_E_NOSYS;
	}
}
