// SPDX-License-Identifier: GPL-2.0
/*
 * The monitor's secrets: the µTPM root (master secret, identity key, DRBG
 * state).  Created only once every owned CPU is inside (monitor_activate),
 * destroyed by the leave rendezvous before any CPU leaves.  Never logged.
 */
#include "vmxroot/vmxroot.h"
#include "vmxroot/pal.h"
#include "lib/ct.h"
#include "lib/drbg.h"
#include "utpm/utpm.h"

static struct utpm_root root;

int secrets_create(void)
{
	u8 entropy[UTPM_MIN_ENTROPY];
	int ret;

	ret = hw_entropy(entropy, sizeof(entropy));
	if (!ret)
		ret = utpm_root_init(&root, NULL, entropy, sizeof(entropy));
	secure_wipe(entropy, sizeof(entropy));
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
	pal_wipe_all();
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
