// SPDX-License-Identifier: GPL-2.0
/*
 * Launch evidence in the hardware TPM (docs/attestation.md).  With a TPM
 * 2.0, insmod extends one evidence PCR with the monitor's measurement
 * (before any CPU runs it), then the identity key and the launch (once
 * every CPU is inside), and rmmod with "the monitor left"; each event is
 * also logged, in the TCG crypto-agile format, at
 * /sys/kernel/security/trustvisor/binary_measurements.  Whether this is the
 * first launch in this boot is read from the PCR before the first extend:
 * only then is the evidence as good as the boot chain, since a later load
 * runs on a kernel that was unprotected in between.
 *
 * Without a TPM 2.0 the module loads anyway and says so; with one, an
 * extend that fails fails the load.  An event is logged only with its
 * extend, so the log always replays to the PCR.
 */
#define pr_fmt(fmt) "trustvisor: " fmt

#include <linux/fs.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/security.h>
#include <linux/slab.h>
#include <linux/tpm.h>
#include <linux/vmalloc.h>
#include <crypto/hash.h>
#include <crypto/hash_info.h>
#include <asm/unaligned.h>
#include "trustvisor/evidence.h"
#include "evlog.h"
#include "tv.h"

static unsigned int evidence_pcr = TV_EVIDENCE_PCR_DEFAULT;
module_param(evidence_pcr, uint, 0444);
MODULE_PARM_DESC(evidence_pcr, "the TPM PCR (8-15) for the launch evidence (default 13)");

static struct {
	struct tpm_chip *chip;		/* NULL: no TPM 2.0, no evidence */
	struct crypto_shash *tfm[TV_EVLOG_MAX_BANKS];
	struct tv_evlog log;
	u8 *buf;
	bool first;			/* the PCR was zero before our first extend */
	u32 secret;			/* TV_SECRET_*: the master secret of this launch */
	struct mutex lock;		/* the log, against readers */
	struct dentry *dir, *file;
} ev = { .lock = __MUTEX_INITIALIZER(ev.lock), .secret = TV_SECRET_EPHEMERAL };

static ssize_t tv_evlog_read(struct file *f, char __user *buf, size_t count, loff_t *pos)
{
	ssize_t ret;

	mutex_lock(&ev.lock);
	ret = simple_read_from_buffer(buf, count, pos, ev.buf, ev.log.len);
	mutex_unlock(&ev.lock);
	return ret;
}

static const struct file_operations tv_evlog_fops = {
	.owner = THIS_MODULE,
	.read = tv_evlog_read,
	.llseek = default_llseek,
};

void tv_evidence_free(void)
{
	tv_nv_close();
	securityfs_remove(ev.file);
	securityfs_remove(ev.dir);
	ev.file = ev.dir = NULL;
	for (int i = 0; i < TV_EVLOG_MAX_BANKS; i++) {
		if (ev.tfm[i])
			crypto_free_shash(ev.tfm[i]);
		ev.tfm[i] = NULL;
	}
	vfree(ev.buf);
	ev.buf = NULL;
	if (ev.chip)
		put_device(&ev.chip->dev);
	ev.chip = NULL;
}

/* A hash for each of the TPM's banks, and the log's header naming them. */
static int tv_evidence_banks(void)
{
	struct tv_evlog_bank banks[TV_EVLOG_MAX_BANKS];
	u32 n = ev.chip->nr_allocated_banks;

	if (!n || n > TV_EVLOG_MAX_BANKS) {
		pr_err("the TPM has %u PCR banks; the evidence log takes 1 to %u\n", n,
		       TV_EVLOG_MAX_BANKS);
		return -EOPNOTSUPP;
	}
	for (u32 i = 0; i < n; i++) {
		const struct tpm_bank_info *b = &ev.chip->allocated_banks[i];

		if (b->crypto_id >= HASH_ALGO__LAST || b->digest_size > TV_EVLOG_MAX_DIGEST) {
			pr_err("the TPM's PCR bank %#x has a hash this kernel cannot compute\n",
			       b->alg_id);
			return -EOPNOTSUPP;
		}
		ev.tfm[i] = crypto_alloc_shash(hash_algo_name[b->crypto_id], 0, 0);
		if (IS_ERR(ev.tfm[i])) {
			int ret = PTR_ERR(ev.tfm[i]);

			ev.tfm[i] = NULL;
			pr_err("no %s for the TPM's PCR bank %#x (%d)\n",
			       hash_algo_name[b->crypto_id], b->alg_id, ret);
			return ret;
		}
		banks[i].alg_id = b->alg_id;
		banks[i].size = b->digest_size;
	}
	ev.buf = vzalloc(TV_EVLOG_MAX);
	if (!ev.buf)
		return -ENOMEM;
	return tv_evlog_init(&ev.log, ev.buf, TV_EVLOG_MAX, banks, n);
}

/* The evidence PCR still at its reset value: no launch extended it in this boot. */
static int tv_evidence_first(bool *first)
{
	struct tpm_digest d = { .alg_id = ev.chip->allocated_banks[0].alg_id };
	u8 acc = 0;
	int ret = tpm_pcr_read(ev.chip, evidence_pcr, &d);

	if (ret) {
		pr_err("cannot read TPM PCR %u (%d)\n", evidence_pcr, ret);
		return ret;
	}
	for (u32 i = 0; i < ev.chip->allocated_banks[0].digest_size; i++)
		acc |= d.digest[i];
	*first = !acc;
	return 0;
}

/* TPM2_ReadClock: the resetCount and restartCount a quote reports too. */
static int tv_evidence_clock(u32 *reset, u32 *restart)
{
	/* TPM_ST_NO_SESSIONS, size 10, TPM_CC_ReadClock */
	static const u8 cmd[10] = { 0x80, 0x01, 0, 0, 0, 10, 0, 0, 0x01, 0x81 };
	u8 *buf = (u8 *)get_zeroed_page(GFP_KERNEL);	/* tpm_send wants a page */
	int ret;

	if (!buf)
		return -ENOMEM;
	memcpy(buf, cmd, sizeof(cmd));
	ret = tpm_send(ev.chip, buf, PAGE_SIZE);
	/* header 10, time 8, clock 8, resetCount 4, restartCount 4, safe 1 */
	if (!ret && get_unaligned_be32(buf + 2) < 10 + 25)
		ret = -EIO;
	if (!ret) {
		*reset = get_unaligned_be32(buf + 26);
		*restart = get_unaligned_be32(buf + 30);
	} else {
		pr_err("TPM2_ReadClock failed (%d)\n", ret);
		ret = ret > 0 ? -EIO : ret;
	}
	free_page((unsigned long)buf);
	return ret;
}

/* One event: into the PCR, and into the log only with it. */
static int tv_evidence_event(u32 id, const void *payload, u32 len)
{
	struct tpm_digest *digests;
	u8 *data, *flat;
	size_t n, dlen = 0, old;
	u32 nb = ev.log.nr_banks;
	int ret;

	data = kmalloc(8 + len, GFP_KERNEL);
	digests = kcalloc(nb, sizeof(*digests), GFP_KERNEL);
	flat = kmalloc(nb * TV_EVLOG_MAX_DIGEST, GFP_KERNEL);
	ret = -ENOMEM;
	if (!data || !digests || !flat)
		goto out;
	n = tv_evlog_tagged(data, 8 + len, id, payload, len);
	for (u32 i = 0; i < nb; i++) {
		digests[i].alg_id = ev.log.banks[i].alg_id;
		ret = crypto_shash_tfm_digest(ev.tfm[i], data, n, digests[i].digest);
		if (ret)
			goto out;
		memcpy(flat + dlen, digests[i].digest, ev.log.banks[i].size);
		dlen += ev.log.banks[i].size;
	}
	mutex_lock(&ev.lock);
	old = ev.log.len;
	ret = tv_evlog_append(&ev.log, evidence_pcr, TV_EV_EVENT_TAG, flat, data, (u32)n);
	if (!ret) {
		ret = tpm_pcr_extend(ev.chip, evidence_pcr, digests);
		if (ret) {
			ev.log.len = old;	/* not in the PCR: not in the log */
			pr_err("extending TPM PCR %u failed (%d)\n", evidence_pcr, ret);
		}
	}
	mutex_unlock(&ev.lock);
out:
	kfree(flat);
	kfree(digests);
	kfree(data);
	return ret;
}

/*
 * Right after the monitor event: the kept master secret, if this launch
 * may have it (kmod/secret.c), into the monitor; then the SECRET event,
 * which caps the evidence PCR: nothing later in this boot reads it again.
 */
static int tv_evidence_secret(void)
{
	struct tv_salt_key salt;
	struct tv_ev_secret s;
	u8 master[32];
	bool kept;
	int ret;

	tv_secret_get(ev.chip, evidence_pcr, ev.first, tv_mon.measurement, master, &kept, &salt,
		      &s);
	ret = tv_evidence_event(TV_EV_SECRET, &s, sizeof(s));
	if (ret && kept && tv_evidence_event(TV_EV_SECRET, &s, sizeof(s)))
		pr_crit("PCR %u could not be capped: the kept secret can be read until reboot\n",
			evidence_pcr);
	else if (ret && kept)
		ret = 0;	/* the second extend took */
	if (!ret && kept)
		tv_monitor_give_secret(&tv_mon, master, &salt,
				       le32_to_cpu(s.kind) == TV_SECRET_CREATED);
	memzero_explicit(master, sizeof(master));
	if (!ret) {
		ev.secret = le32_to_cpu(s.kind);
		pr_info("master secret: %s\n", tv_secret_desc(ev.secret, le32_to_cpu(s.reason)));
	}
	return ret;
}

/*
 * Before any CPU runs the monitor: find the TPM, note whether this is the
 * first launch, extend the monitor's measurement, and take the kept secret.
 * 0 without a TPM.
 */
int tv_evidence_begin(void)
{
	struct tv_ev_monitor m;
	int ret;

	if (evidence_pcr < TV_EVIDENCE_PCR_MIN || evidence_pcr > TV_EVIDENCE_PCR_MAX) {
		pr_err("evidence_pcr=%u: the evidence PCR must be one of %u-%u\n", evidence_pcr,
		       TV_EVIDENCE_PCR_MIN, TV_EVIDENCE_PCR_MAX);
		return -EINVAL;
	}
	ret = tv_secret_check_options();
	if (ret)
		return ret;
	ev.chip = tpm_default_chip();
	if (ev.chip && !(ev.chip->flags & TPM_CHIP_FLAG_TPM2)) {
		pr_info("the TPM is not a TPM 2.0: loading without launch evidence\n");
		put_device(&ev.chip->dev);
		ev.chip = NULL;
	}
	if (!ev.chip) {
		pr_info("no TPM: loading without launch evidence\n");
		return 0;
	}
	memcpy(m.measurement, tv_mon.measurement, sizeof(m.measurement));
	ret = tv_evidence_banks();
	ret = ret ?: tv_evidence_first(&ev.first);
	ret = ret ?: tv_evidence_event(TV_EV_MONITOR, &m, sizeof(m));
	ret = ret ?: tv_evidence_secret();
	if (ret) {
		pr_err("refusing to load: the launch evidence could not be recorded (%d)\n", ret);
		tv_evidence_free();
	}
	return ret;
}

/* Every CPU is inside and the identity key exists: the rest of the launch. */
int tv_evidence_launched(unsigned int nr_cpus)
{
	struct tv_ev_launch l = {
		.first_launch = cpu_to_le32(ev.first),
		.nr_cpus = cpu_to_le32(nr_cpus),
		.flags = cpu_to_le32(IS_ENABLED(TV_SELFTEST) ? TV_EV_LAUNCH_F_SELFTEST : 0),
	};
	struct tv_hc_identity *id;
	u32 reset = 0, restart = 0;
	int ret;

	if (!ev.chip)
		return 0;
	id = (void *)get_zeroed_page(GFP_KERNEL);
	if (!id)
		return -ENOMEM;
	ret = tv_evidence_clock(&reset, &restart);
	l.reset_count = cpu_to_le32(reset);
	l.restart_count = cpu_to_le32(restart);
	ret = ret ?: tv_identity_get(id);
	ret = ret ?: tv_evidence_event(TV_EV_IDENTITY, id->public_area, id->public_area_len);
	ret = ret ?: tv_evidence_event(TV_EV_LAUNCH, &l, sizeof(l));
	/* A kept secret and its salt key: the monitor opens its NV counter. */
	if (!ret && id->nv_state == TV_NV_PENDING)
		tv_nv_open(ev.chip);
	free_page((unsigned long)id);
	if (!ret) {
		ev.dir = securityfs_create_dir("trustvisor", NULL);
		ev.file = IS_ERR(ev.dir) ? ev.dir :
			  securityfs_create_file("binary_measurements", 0440, ev.dir, NULL,
						 &tv_evlog_fops);
		if (IS_ERR(ev.file)) {
			ret = PTR_ERR(ev.file);
			pr_err("cannot create the evidence log in securityfs (%d)\n", ret);
			if (!IS_ERR(ev.dir))
				securityfs_remove(ev.dir);
			ev.file = ev.dir = NULL;
		}
	}
	if (ret)
		pr_err("refusing to load: the launch evidence could not be recorded (%d)\n", ret);
	else
		pr_info("launch evidence in TPM PCR %u (%s launch in this boot)\n", evidence_pcr,
			ev.first ? "first" : "not the first");
	return ret;
}

/* The machine has left the monitor: say so in the PCR, where it stays until reboot. */
void tv_evidence_left(void)
{
	if (ev.chip && tv_evidence_event(TV_EV_LEFT, NULL, 0))
		pr_err("the \"monitor left\" event is not in TPM PCR %u\n", evidence_pcr);
}

/* For IDENTITY: whether there is evidence, where, of which launch, with which secret. */
bool tv_evidence_info(u32 *pcr, bool *first, u32 *secret)
{
	*pcr = evidence_pcr;
	*first = ev.first;
	*secret = ev.secret;
	return ev.chip;
}
