// SPDX-License-Identifier: GPL-2.0
/*
 * The hardware TPM's part of tvctl attest (tvctl_evidence.h), through
 * tpm2-tss: the AK at a persistent handle quotes the boot chain's PCRs and
 * the evidence PCR over the verifier's nonce.  The PCR values are read
 * before and after the quote, and the quote is made again if they moved in
 * between: the values shipped must be the ones the quote covers, or the
 * verifier's digest check fails on an honest machine.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tss2/tss2_esys.h>
#include <tss2/tss2_mu.h>
#include <tss2/tss2_rc.h>
#include <tss2/tss2_tctildr.h>
#include "userspace/tvctl_evidence.h"

#define TRIES 3

static int tpm_fail(const char *what, TSS2_RC rc)
{
	fprintf(stderr, "tvctl: attest: %s: %s\n", what, Tss2_RC_Decode(rc));
	return 1;
}

/* Every PCR of sel, eight at a time as TPM2_PCR_Read gives them, into pcrs. */
static int read_pcrs(ESYS_CONTEXT *ctx, uint32_t mask, uint8_t pcrs[24][32])
{
	uint32_t left = mask;

	while (left) {
		TPML_PCR_SELECTION sel = { .count = 1 }, *out = NULL;
		TPML_DIGEST *vals = NULL;
		uint32_t upd, got;
		unsigned int k = 0;
		TSS2_RC rc;

		sel.pcrSelections[0].hash = TPM2_ALG_SHA256;
		sel.pcrSelections[0].sizeofSelect = 3;
		for (int i = 0; i < 3; i++)
			sel.pcrSelections[0].pcrSelect[i] = (uint8_t)(left >> (8 * i));
		rc = Esys_PCR_Read(ctx, ESYS_TR_NONE, ESYS_TR_NONE, ESYS_TR_NONE, &sel, &upd, &out,
				   &vals);
		if (rc)
			return tpm_fail("TPM2_PCR_Read", rc);
		got = out->count ? out->pcrSelections[0].pcrSelect[0] |
				   out->pcrSelections[0].pcrSelect[1] << 8 |
				   (uint32_t)out->pcrSelections[0].pcrSelect[2] << 16 : 0;
		for (unsigned int i = 0; i < 24; i++) {
			if (!(got & (1u << i)))
				continue;
			if (k >= vals->count || vals->digests[k].size != 32) {
				Esys_Free(out);
				Esys_Free(vals);
				fprintf(stderr, "tvctl: attest: TPM2_PCR_Read: values not of sha256\n");
				return 1;
			}
			memcpy(pcrs[i], vals->digests[k++].buffer, 32);
		}
		Esys_Free(out);
		Esys_Free(vals);
		if (!(got & left)) {
			fprintf(stderr, "tvctl: attest: the TPM has no sha256 bank of the PCRs\n");
			return 1;
		}
		left &= ~got;
	}
	return 0;
}

static int quote(ESYS_CONTEXT *ctx, ESYS_TR ak, uint32_t mask, const uint8_t *nonce,
		 size_t nonce_len, struct tv_tpm_evidence *ev)
{
	TPML_PCR_SELECTION sel = { .count = 1 };
	TPMT_SIG_SCHEME scheme = { .scheme = TPM2_ALG_NULL };
	TPM2B_DATA data = { .size = (UINT16)nonce_len };
	static uint8_t after[24][32];
	TPM2B_ATTEST *at = NULL;
	TPMT_SIGNATURE *sig = NULL;
	size_t off = 0;
	TSS2_RC rc;

	memcpy(data.buffer, nonce, nonce_len);
	sel.pcrSelections[0].hash = TPM2_ALG_SHA256;
	sel.pcrSelections[0].sizeofSelect = 3;
	for (int i = 0; i < 3; i++)
		sel.pcrSelections[0].pcrSelect[i] = (uint8_t)(mask >> (8 * i));
	for (int t = 0; t < TRIES; t++) {
		if (read_pcrs(ctx, mask, ev->pcrs))
			return 1;
		rc = Esys_Quote(ctx, ak, ESYS_TR_PASSWORD, ESYS_TR_NONE, ESYS_TR_NONE, &data,
				&scheme, &sel, &at, &sig);
		if (rc)
			return tpm_fail("TPM2_Quote with the AK", rc);
		if (read_pcrs(ctx, mask, after))
			return 1;
		if (!memcmp(after, ev->pcrs, sizeof(after)))
			break;
		Esys_Free(at);
		Esys_Free(sig);
		at = NULL;
		if (t == TRIES - 1) {
			fprintf(stderr, "tvctl: attest: the PCRs kept changing during the quote\n");
			return 1;
		}
	}
	memcpy(ev->attest, at->attestationData, at->size);
	ev->attest_len = at->size;
	rc = Tss2_MU_TPMT_SIGNATURE_Marshal(sig, ev->sig, sizeof(ev->sig), &off);
	ev->sig_len = off;
	Esys_Free(at);
	Esys_Free(sig);
	return rc ? tpm_fail("marshalling the signature", rc) : 0;
}

int tv_tpm_quote(uint32_t handle, const uint8_t *nonce, size_t nonce_len, uint32_t evidence_pcr,
		 struct tv_tpm_evidence *ev)
{
	const char *conf = getenv("TPM2TOOLS_TCTI");
	TSS2_TCTI_CONTEXT *tcti = NULL;
	ESYS_CONTEXT *ctx = NULL;
	TPM2B_PUBLIC *pub = NULL;
	TPM2B_NAME *name = NULL, *qname = NULL;
	ESYS_TR ak = ESYS_TR_NONE;
	size_t off = 0;
	TSS2_RC rc;
	int ret = 1;

	if (!conf || !*conf)
		conf = getenv("TCTI");
	if (!conf || !*conf)
		conf = "device:/dev/tpmrm0";
	rc = Tss2_TctiLdr_Initialize(conf, &tcti);
	if (rc) {
		fprintf(stderr, "tvctl: attest: the TPM (TCTI \"%s\"): %s\n", conf,
			Tss2_RC_Decode(rc));
		return 1;
	}
	rc = Esys_Initialize(&ctx, tcti, NULL);
	if (rc) {
		tpm_fail("the TPM's ESAPI context", rc);
		goto out;
	}
	rc = Esys_TR_FromTPMPublic(ctx, handle, ESYS_TR_NONE, ESYS_TR_NONE, ESYS_TR_NONE, &ak);
	if (rc) {
		fprintf(stderr, "tvctl: attest: no key at the TPM handle %#x: %s\n", handle,
			Tss2_RC_Decode(rc));
		goto out;
	}
	rc = Esys_ReadPublic(ctx, ak, ESYS_TR_NONE, ESYS_TR_NONE, ESYS_TR_NONE, &pub, &name,
			     &qname);
	if (rc) {
		tpm_fail("TPM2_ReadPublic of the AK", rc);
		goto out;
	}
	rc = Tss2_MU_TPM2B_PUBLIC_Marshal(pub, ev->ak_pub, sizeof(ev->ak_pub), &off);
	if (rc) {
		tpm_fail("marshalling the AK", rc);
		goto out;
	}
	ev->ak_pub_len = off;
	memcpy(ev->ak_qname, qname->name, qname->size);
	ev->ak_qname_len = qname->size;
	ev->pcr_mask = 0xffu | 1u << evidence_pcr;
	ret = quote(ctx, ak, ev->pcr_mask, nonce, nonce_len, ev);
out:
	Esys_Free(pub);
	Esys_Free(name);
	Esys_Free(qname);
	if (ctx) {
		if (ak != ESYS_TR_NONE)
			Esys_TR_Close(ctx, &ak);
		Esys_Finalize(&ctx);
	}
	Tss2_TctiLdr_Finalize(&tcti);
	return ret;
}
