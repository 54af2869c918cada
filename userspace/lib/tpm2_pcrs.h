/* SPDX-License-Identifier: GPL-2.0 */
/*
 * PCR values as a file that tpm2_checkquote reads with -f and no -l: the
 * tpm2-tools "serialized" format.  One writer for tvctl quote and for the
 * µTPM's tool-based checks (selftests/utpm/checkquote.sh proves it against
 * tpm2_checkquote), so the two cannot drift apart.
 */
#ifndef TV_USERSPACE_TPM2_PCRS_H
#define TV_USERSPACE_TPM2_PCRS_H

#include <stddef.h>
#include <stdint.h>

#define TV_TPM2_NR_PCRS		24	/* the sha256 bank of a µTPM */

/*
 * tpm2-tools 5.4 (lib/pcr.c, pcr_fwrite_serialized) dumps its in-memory
 * structures little-endian, in their x86-64 layout: TPML_PCR_SELECTION
 * (132 bytes), a u32 number of digest lists, then that many TPML_DIGEST
 * (532 bytes each: u32 count, 8 x {u16 size, u8[64]}).  24 PCRs need at
 * most three lists.
 */
#define TV_TPM2_SER_SEL_SIZE	132
#define TV_TPM2_SER_LIST_SIZE	532
#define TV_TPM2_PCRS_FILE_MAX	(TV_TPM2_SER_SEL_SIZE + 4 + 3 * TV_TPM2_SER_LIST_SIZE)

/*
 * Writes the file for the PCRs in mask (bit i: PCR i; bits 24 and up are
 * ignored), pcrs[i] being PCR i's value, into buf; returns its length.
 */
size_t tv_tpm2_pcrs_serialize(uint32_t mask, const uint8_t pcrs[TV_TPM2_NR_PCRS][32],
			      uint8_t buf[TV_TPM2_PCRS_FILE_MAX]);

#endif
