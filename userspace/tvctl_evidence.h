/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tvctl attest and tvctl verify (docs/attestation.md, "Verifying").  They
 * need OpenSSL and tpm2-tss, which exist only as shared libraries here, so
 * they live in tvctl-tpm, the same tvctl.c linked dynamically with them
 * (userspace/attest.c: the hardware TPM's side; userspace/verify.c), and
 * the static tvctl hands those two commands over to it once their arguments
 * are checked.
 */
#ifndef TV_USERSPACE_TVCTL_EVIDENCE_H
#define TV_USERSPACE_TVCTL_EVIDENCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What tvctl attest writes into DIR, and tvctl verify reads. */
#define TV_DIR_TPM_ATTEST	"tpm-attest.bin"	/* TPMS_ATTEST of TPM2_Quote */
#define TV_DIR_TPM_SIG		"tpm-sig.bin"		/* its TPMT_SIGNATURE */
#define TV_DIR_TPM_PCRS		"tpm-pcrs.bin"		/* the values, tpm2-tools serialized */
#define TV_DIR_AK_PUB		"ak.pub"		/* the AK's TPM2B_PUBLIC */
#define TV_DIR_AK_QNAME		"ak.qname"		/* its qualified name (TPM2B_NAME's bytes) */
#define TV_DIR_EVENTLOG		"eventlog.bin"		/* the launch evidence log */
#define TV_DIR_IDENTITY		"identity.pub"		/* IDENTITY's key, a TPM2B_PUBLIC */
#define TV_DIR_PAL_ATTEST	"pal-attest.bin"	/* the PAL's µTPM quote ... */
#define TV_DIR_PAL_SIG		"pal-sig.bin"
#define TV_DIR_PAL_PCRS		"pal-pcrs.bin"
#define TV_DIR_PAL_OUTPUT	"pal-output.bin"	/* the call's output, with --cmd */

#define TV_TPM_BLOB_MAX		4096	/* bytes of any one TPM structure above */
#define TV_TPM_NONCE_MAX	64	/* a TPM2B_DATA, as TV_PAL_NONCE_MAX */

struct tv_verify_args {
	const char *dir;
	uint8_t nonce[TV_TPM_NONCE_MAX];
	size_t nonce_len;
	const char *ak_pem;
	uint8_t monitor[32];
	bool have_pal;
	uint8_t pal[32];
	const char *boot_pcrs;		/* NULL: PCRs 0-7 not judged */
	const char *identity_pem;	/* NULL: any identity key the log names */
};

/* Prints the one verdict line; returns the exit status (0 verified, 1 rejected). */
int tv_verify(const struct tv_verify_args *a);

/* The hardware TPM's part of the evidence, as tvctl attest writes it. */
struct tv_tpm_evidence {
	uint8_t attest[TV_TPM_BLOB_MAX];
	size_t attest_len;
	uint8_t sig[TV_TPM_BLOB_MAX];
	size_t sig_len;
	uint8_t ak_pub[TV_TPM_BLOB_MAX];
	size_t ak_pub_len;
	uint8_t ak_qname[TV_TPM_BLOB_MAX];
	size_t ak_qname_len;
	uint32_t pcr_mask;		/* sha256 PCRs quoted */
	uint8_t pcrs[24][32];		/* PCR i at pcrs[i] */
};

/*
 * TPM2_Quote over nonce of the sha256 PCRs 0-7 and evidence_pcr by the key
 * at the persistent handle, through the TCTI of $TPM2TOOLS_TCTI, $TCTI or
 * /dev/tpmrm0, with the PCR values it covers.  0, or 1 after one line
 * naming what failed (prefixed "tvctl: attest: ").
 */
int tv_tpm_quote(uint32_t handle, const uint8_t *nonce, size_t nonce_len, uint32_t evidence_pcr,
		 struct tv_tpm_evidence *ev);

#endif
