/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Micro-TPM: one monitor-wide root (master secret, identity key, DRBG,
 * counter table) and one instance per PAL (identity and PCRs).  Nothing is
 * allocated; callers own every structure and buffer.  Not thread safe: the
 * monitor serialises calls.  Formats and semantics are in docs/utpm.md.
 */
#ifndef TV_UTPM_UTPM_H
#define TV_UTPM_UTPM_H

#include "lib/base.h"
#include "lib/drbg.h"
#include "lib/ecdsa.h"
#include "lib/sha256.h"

#define UTPM_NUM_PCRS 24
#define UTPM_PCR_SIZE SHA256_DIGEST_SIZE
#define UTPM_MEAS_SIZE SHA256_DIGEST_SIZE
#define UTPM_MASTER_SIZE 32
/* SP 800-90A: 256 bits of entropy plus a 128-bit nonce for 256-bit strength. */
#define UTPM_MIN_ENTROPY 48

/* TPM 2.0 constants used in the marshalled structures. */
#define TPM_GENERATED_VALUE 0xff544347u
#define TPM_ST_ATTEST_QUOTE 0x8018
#define TPM_ALG_ECC 0x0023
#define TPM_ALG_ECDSA 0x0018
#define TPM_ALG_SHA256 0x000b
#define TPM_ALG_NULL 0x0010
#define TPM_ECC_NIST_P256 0x0003
#define TPM2_NUM_PCR_BANKS 16
#define TPM2_PCR_SELECT_MAX 4

/* Name of the identity key: nameAlg (2) || SHA-256 of its TPMT_PUBLIC. */
#define UTPM_NAME_SIZE (2 + SHA256_DIGEST_SIZE)
/* TPM2B_PUBLIC of the identity key: 2 + 88 bytes. */
#define UTPM_PUBLIC_AREA_SIZE 90
#define UTPM_FIRMWARE_VERSION 0x0001000000000000ull

/* Quote: qualifying data at most as large as a TPM2B_DATA holding a SHA-512. */
#define UTPM_MAX_NONCE 64
#define UTPM_ATTEST_MAX 192
#define UTPM_SIG_SIZE 72	/* TPMT_SIGNATURE, ECDSA P-256 */

/* Sealed blobs (layout in docs/utpm.md). */
#define UTPM_SEAL_MAGIC 0x55545053u	/* "UTPS" */
#define UTPM_SEAL_VERSION 1
#define UTPM_SEAL_F_PCR 0x0001		/* PCR policy present */
#define UTPM_SEAL_F_RELEASE 0x0002	/* recipient differs from sealer */
#define UTPM_SEAL_HDR_SIZE 124
#define UTPM_SEAL_MAX_DATA 4096
#define UTPM_SEAL_OVERHEAD (UTPM_SEAL_HDR_SIZE + 16)
#define UTPM_SEAL_BLOB_MAX (UTPM_SEAL_MAX_DATA + UTPM_SEAL_OVERHEAD)

/*
 * Counters: a set of UTPM_COUNTERS_PER_PAL for each PAL identity, in a table
 * of UTPM_COUNTER_SETS sets (loaded PALs plus identities that incremented).
 */
#define UTPM_COUNTERS_PER_PAL 8
#define UTPM_COUNTER_SETS 128

/* A PCR selection in the sha256 bank: bit i selects PCR i. */
struct utpm_pcr_sel {
	u32 mask;
};

struct utpm_counter_set {
	u8 owner[UTPM_MEAS_SIZE];
	u64 value[UTPM_COUNTERS_PER_PAL];
	u32 users;		/* PALs of this identity attached now */
	bool used;
};

struct utpm_root {
	u8 master[UTPM_MASTER_SIZE];
	u8 id_priv[P256_SCALAR_SIZE];
	u8 id_pub[P256_PUBKEY_SIZE];
	u8 id_name[UTPM_NAME_SIZE];
	struct hmac_drbg drbg;
	u64 clock_ms;
	struct utpm_counter_set counter_sets[UTPM_COUNTER_SETS];
	bool counters_unknown;	/* until a table is restored: reads give TV_ENODATA */
	bool ready;
};

struct utpm {
	u8 identity[UTPM_MEAS_SIZE];
	u8 pcr[UTPM_NUM_PCRS][UTPM_PCR_SIZE];
	bool ready;
};

/*
 * Instantiates the DRBG from entropy (at least UTPM_MIN_ENTROPY bytes) and
 * takes master as the master secret, or draws one from the DRBG if master is
 * NULL.  The identity key is derived from the master secret, so a monitor that
 * keeps its master secret keeps its identity key.
 */
int utpm_root_init(struct utpm_root *r, const u8 *master, const void *entropy,
		   size_t entropy_len);
int utpm_root_reseed(struct utpm_root *r, const void *entropy, size_t len);
/* Wipes every secret. */
void utpm_root_wipe(struct utpm_root *r);
int utpm_root_pubkey(const struct utpm_root *r, u8 pub[P256_PUBKEY_SIZE]);
/* The identity key as a marshalled TPM2B_PUBLIC (restricted ECDSA signing key). */
int utpm_root_public_area(const struct utpm_root *r, u8 *out, size_t cap, size_t *len);
/* DRBG output for the µTPM and the monitor itself (nonces, master secret). */
int utpm_root_random(struct utpm_root *r, void *out, size_t len);
/*
 * A key of the monitor's own derived from the master secret, one per label
 * (so it lives as long as the master does): HKDF-SHA256 with a salt no other
 * derivation uses.  len <= 64.
 */
int utpm_root_derive(const struct utpm_root *r, const char *label, u8 *out, size_t len);
/* Clock reported in quotes; never goes backwards (earlier values are ignored). */
void utpm_root_set_clock(struct utpm_root *r, u64 ms);

/* PCR 0 = SHA256(0^32 || measurement), the others zero. */
int utpm_init(struct utpm *u, const u8 measurement[UTPM_MEAS_SIZE]);
void utpm_wipe(struct utpm *u);
int utpm_pcr_read(const struct utpm *u, unsigned int idx, u8 out[UTPM_PCR_SIZE]);
/* TV_EPERM for PCR 0, TV_ERANGE for an index past the last PCR. */
int utpm_pcr_extend(struct utpm *u, unsigned int idx, const u8 digest[UTPM_PCR_SIZE]);
/* SHA-256 over the selected PCR values in ascending index order. */
int utpm_pcr_composite(const struct utpm *u, const struct utpm_pcr_sel *sel,
		       u8 out[SHA256_DIGEST_SIZE]);

/*
 * Parses a marshalled TPML_PCR_SELECTION from outside.  With used == NULL the
 * selection must fill buf exactly; otherwise trailing bytes are left and
 * *used says how many were consumed.  Only the sha256 bank exists.
 */
int utpm_pcr_sel_parse(const u8 *buf, size_t len, struct utpm_pcr_sel *sel,
		       size_t *used);
/* Canonical marshalling: count 1, sha256, sizeofSelect 3 (10 bytes). */
#define UTPM_PCR_SEL_WIRE_SIZE 10
int utpm_pcr_sel_marshal(const struct utpm_pcr_sel *sel, u8 *out, size_t cap,
			 size_t *len);

struct utpm_seal_opts {
	/* PCR policy; NULL or an empty mask for none. */
	const struct utpm_pcr_sel *pcr_sel;
	/* Expected composite of the selected PCRs; NULL for their current values. */
	const u8 *pcr_digest;
	/* Measurement of the PAL allowed to unseal; NULL for the sealer itself. */
	const u8 *release_to;
};

int utpm_seal(struct utpm_root *r, const struct utpm *u,
	      const struct utpm_seal_opts *opts, const void *data, size_t len,
	      u8 *blob, size_t blob_cap, size_t *blob_len);
/*
 * Writes nothing to out, *out_len or sealer on error.  sealer (may be NULL)
 * receives the measurement of the PAL that sealed the blob.
 */
int utpm_unseal(const struct utpm_root *r, const struct utpm *u, const u8 *blob,
		size_t blob_len, void *out, size_t out_cap, size_t *out_len,
		u8 *sealer);

/*
 * Produces a marshalled TPMS_ATTEST (quote) over the selected PCRs, which must
 * include PCR 0 so that every quote names the PAL, and its TPMT_SIGNATURE by
 * the identity key.
 */
int utpm_quote(const struct utpm_root *r, const struct utpm *u,
	       const struct utpm_pcr_sel *sel, const u8 *nonce, size_t nonce_len,
	       u8 *attest, size_t attest_cap, size_t *attest_len,
	       u8 *sig, size_t sig_cap, size_t *sig_len);

/* Random bytes; reseeds from hw_entropy when the DRBG asks for it. */
int utpm_get_random(struct utpm_root *r, const struct utpm *u, void *out, size_t len);

/*
 * Counters.  attach at PAL load takes the identity's set (TV_ENOSPC if the
 * table is full), detach at unload gives it back once no PAL of that
 * identity is left and none of its counters moved.  Ids are per identity,
 * 0 .. UTPM_COUNTERS_PER_PAL - 1 (beyond: TV_EINVAL); a PAL not attached
 * gets TV_ENOENT.
 */
int utpm_counters_attach(struct utpm_root *r, const struct utpm *u);
void utpm_counters_detach(struct utpm_root *r, const struct utpm *u);
int utpm_counter_read(const struct utpm_root *r, const struct utpm *u, u32 id,
		      u64 *value);
/* TV_ERANGE (and no change) once the counter is at its maximum. */
int utpm_counter_increment(struct utpm_root *r, const struct utpm *u, u32 id,
			   u64 *value);

/*
 * The counter table persisted (docs/architecture.md, "Persisted counters"):
 * every set with a counter above zero, sealed under a key derived from the
 * master secret and bound to v, the TPM NV counter's value it belongs to.
 * At most UTPM_TABLE_MAX_SETS such sets (more: TV_ENOSPC).
 *
 * A root whose table must come from storage starts with the counters
 * unknown (utpm_counters_forget): reads and increments give TV_ENODATA
 * until utpm_counters_restore takes a table sealed at exactly v; it then
 * replaces every value, and sets absent from it are zero.  Nothing changes
 * on any failure.
 */
#define UTPM_TABLE_HDR 32
#define UTPM_TABLE_SET (UTPM_MEAS_SIZE + 8 * UTPM_COUNTERS_PER_PAL)
#define UTPM_TABLE_MAX_SETS 40
#define UTPM_TABLE_MAX (UTPM_TABLE_HDR + UTPM_TABLE_MAX_SETS * UTPM_TABLE_SET + 16)
void utpm_counters_forget(struct utpm_root *r);
bool utpm_counters_known(const struct utpm_root *r);
int utpm_counters_seal(struct utpm_root *r, u64 v, u8 *blob, size_t cap, size_t *len);
int utpm_counters_restore(struct utpm_root *r, u64 v, const u8 *blob, size_t len);

#endif
