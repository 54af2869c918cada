// SPDX-License-Identifier: GPL-2.0
/*
 * The monitor's secrets: the µTPM root (master secret, identity key, DRBG
 * state).  Created only once every owned CPU is inside (monitor_activate),
 * destroyed by the leave rendezvous before any CPU leaves.  Never logged.
 */
#include "vmxroot/vmxroot.h"
#include "vmxroot/pal.h"
#include "vmxroot/processor.h"
#include "lib/ct.h"
#include "lib/drbg.h"
#include "utpm/utpm.h"

static struct utpm_root root;
/* Written by the module before any CPU enters (header.S names it). */
struct tv_secret_handoff secret_handoff __attribute__((aligned(64)));
_Static_assert(sizeof(secret_handoff.master) == UTPM_MASTER_SIZE, "the handoff holds a master");
/* PALs on several CPUs use the root at once: the µTPM wants one at a time. */
static u32 root_lock;

/*
 * Short holds only (one seal, one signature), never across a wait for
 * another CPU, so a spin cannot deadlock with a shootdown or a rendezvous.
 */
struct utpm_root *secrets_root_lock(void)
{
	while (__atomic_exchange_n(&root_lock, 1, __ATOMIC_ACQUIRE))
		cpu_relax();
	return &root;
}

void secrets_root_unlock(void)
{
	__atomic_store_n(&root_lock, 0, __ATOMIC_RELEASE);
}

int secrets_create(void)
{
	u8 entropy[UTPM_MIN_ENTROPY];
	const u8 *master = NULL;
	bool durable;
	u32 kind;
	int ret;

	ret = hw_entropy(entropy, sizeof(entropy));
	/* Read once: Linux wrote it before it could no longer see this page. */
	kind = READ_ONCE(secret_handoff.kind);
	if (kind & TV_HANDOFF_MASTER)
		master = secret_handoff.master;
	/* A counter only for a kept secret: an ephemeral one dies with the monitor. */
	durable = (kind & TV_HANDOFF_MASTER) && (kind & TV_HANDOFF_SALT_KEY);
	if (durable)
		tpm_take_salt_key(secret_handoff.salt_handle, secret_handoff.salt_x,
				  secret_handoff.salt_y);
	if (!ret)
		ret = utpm_root_init(&root, master, entropy, sizeof(entropy));
	/*
	 * Counters that can outlive this monitor come from storage, unless the
	 * secret is new (nothing was counted under it yet).
	 */
	if (!ret && durable && !(kind & TV_HANDOFF_FRESH))
		utpm_counters_forget(&root);
	secure_wipe(entropy, sizeof(entropy));
	secure_wipe(&secret_handoff, sizeof(secret_handoff));
	if (ret) {
		pr_mon("cannot create the monitor's secrets: no hardware entropy (%d)", ret);
		return TV_E_ENTROPY;
	}
	return 0;
}

/* The root, and every PAL: their memory is secret too once Linux may read it all. */
void secrets_wipe(void)
{
	utpm_root_wipe(&root);
	tpm_wipe();
	secure_wipe(&secret_handoff, sizeof(secret_handoff));	/* if never taken */
	pal_wipe_all();
}

/*
 * TV_HC_IDENTITY: the identity key's public half, for Linux's IDENTITY.
 * Only public values: no flush is owed, whatever Linux does with them.
 */
long secrets_identity(u64 gpa)
{
	struct tv_hc_identity id = { 0 };
	size_t len = 0;
	int ret;

	if (monitor_state() != TV_STATE_ACTIVE)
		return TV_E_STATE;	/* no secrets yet, or no longer */
	secrets_root_lock();
	ret = utpm_root_pubkey(&root, id.pubkey);
	if (!ret)
		ret = utpm_root_public_area(&root, id.public_area, sizeof(id.public_area), &len);
	if (!ret)
		memcpy(id.name, root.id_name, sizeof(id.name));
	secrets_root_unlock();
	tpm_nv_report(&id.nv_state, &id.nv_error, &id.nv_value, &id.counters);
	if (ret)
		return TV_E_STATE;
	id.public_area_len = (u32)len;
	return copy_to_guest(monitor.eptp, gpa, &id, sizeof(id));
}

#ifdef TV_SELFTEST
/*
 * For the leave test only: where the master secret and the identity key
 * live, and whether they are set, so a CPU outside the monitor can check
 * they were wiped.  Never the values.
 */
void secrets_locate(u64 *master_pa, u64 *idkey_pa, bool *present)
{
	u8 acc = 0;

	*master_pa = virt_to_phys(root.master);
	*idkey_pa = virt_to_phys(root.id_priv);
	for (size_t i = 0; i < sizeof(root.master); i++)
		acc |= root.master[i];
	for (size_t i = 0; i < sizeof(root.id_priv); i++)
		acc |= root.id_priv[i];
	*present = root.ready && acc;
}
#endif
