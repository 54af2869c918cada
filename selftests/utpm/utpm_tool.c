// SPDX-License-Identifier: GPL-2.0
/*
 * Test helper driven by the tool-based checks (swtpm-pcrs.sh, checkquote.sh):
 * runs the µTPM on the host and writes its results in the formats the
 * stock TPM tools read.
 *
 *   utpm_tool pcrs MEAS [IDX:DIGEST...]
 *	load a PAL with measurement MEAS, extend, print "idx hex" per PCR
 *   utpm_tool quote DIR MEAS NONCE MASK [IDX:DIGEST...]
 *	same, then quote the PCRs in MASK (hex bitmap) with NONCE and write
 *	attest.bin, sig.bin (TPMT_SIGNATURE), sig.der, pub.raw (0x04||X||Y),
 *	pub.tss (TPM2B_PUBLIC), name.bin, pcrs.bin (tpm2-tools "serialized"
 *	PCR file, by userspace/lib/tpm2_pcrs.c as tvctl quote writes it) and
 *	pcrs.raw (selected values only, for checkquote -l)
 *
 * MEAS, NONCE and DIGEST are hex; the root uses a fixed master secret.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "selftests/utpm/common.h"
#include "userspace/lib/tpm2_pcrs.h"

static struct utpm_root root;
static struct utpm pal;

static int load(const char *meas_hex, int argc, char **argv)
{
	u8 m[32], d[32];
	int i;

	if (test_root(&root, 0x11) || from_hex(meas_hex, m, 32) || utpm_init(&pal, m)) {
		fprintf(stderr, "bad measurement or root init failed\n");
		return -1;
	}
	for (i = 0; i < argc; i++) {
		char *colon = strchr(argv[i], ':');
		unsigned long idx = strtoul(argv[i], NULL, 10);
		int ret;

		if (!colon || from_hex(colon + 1, d, 32)) {
			fprintf(stderr, "bad extend spec %s\n", argv[i]);
			return -1;
		}
		ret = utpm_pcr_extend(&pal, (unsigned int)idx, d);
		if (ret) {
			fprintf(stderr, "extend %s: %d\n", argv[i], ret);
			return -1;
		}
	}
	return 0;
}

static int write_file(const char *dir, const char *name, const void *p, size_t n)
{
	char path[4096];
	FILE *f;
	int ok;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f) {
		perror(path);
		return -1;
	}
	ok = fwrite(p, 1, n, f) == n;
	ok &= fclose(f) == 0;
	return ok ? 0 : -1;
}

static int cmd_quote(int argc, char **argv)
{
	u8 nonce[UTPM_MAX_NONCE], attest[UTPM_ATTEST_MAX], sig[UTPM_SIG_SIZE], pub[65];
	u8 tss[UTPM_PUBLIC_AREA_SIZE], ser[TV_TPM2_PCRS_FILE_MAX];
	u8 all[UTPM_NUM_PCRS][32], raw[UTPM_NUM_PCRS * 32], rs[64], der[80];
	struct utpm_pcr_sel sel;
	size_t nlen, alen, slen, tlen, n = 0;
	const char *dir;
	unsigned int i;
	int ret, dlen;

	if (argc < 4)
		return 2;
	dir = argv[0];
	nlen = strlen(argv[2]) / 2;
	if (nlen > sizeof(nonce) || from_hex(argv[2], nonce, nlen))
		return 2;
	sel.mask = (u32)strtoul(argv[3], NULL, 16);
	if (load(argv[1], argc - 4, argv + 4))
		return 1;
	utpm_root_set_clock(&root, 1000);
	ret = utpm_quote(&root, &pal, &sel, nonce, nlen, attest, sizeof(attest), &alen,
			 sig, sizeof(sig), &slen);
	if (ret) {
		fprintf(stderr, "quote: %d\n", ret);
		return 1;
	}
	memcpy(rs, sig + 6, 32);
	memcpy(rs + 32, sig + 40, 32);
	dlen = ref_sig_der(rs, der, sizeof(der));
	for (i = 0; i < UTPM_NUM_PCRS; i++) {
		utpm_pcr_read(&pal, i, all[i]);
		if (sel.mask & (1u << i))
			memcpy(raw + 32 * n++, all[i], 32);
	}
	if (!dlen || utpm_root_pubkey(&root, pub) ||
	    utpm_root_public_area(&root, tss, sizeof(tss), &tlen) ||
	    write_file(dir, "attest.bin", attest, alen) ||
	    write_file(dir, "sig.bin", sig, slen) ||
	    write_file(dir, "sig.der", der, dlen) ||
	    write_file(dir, "pub.raw", pub, sizeof(pub)) ||
	    write_file(dir, "pub.tss", tss, tlen) ||
	    write_file(dir, "name.bin", root.id_name, UTPM_NAME_SIZE) ||
	    write_file(dir, "pcrs.bin", ser, tv_tpm2_pcrs_serialize(sel.mask, all, ser)) ||
	    write_file(dir, "pcrs.raw", raw, 32 * n))
		return 1;
	return 0;
}

static int cmd_pcrs(int argc, char **argv)
{
	u8 v[32];
	unsigned int i, j;

	if (argc < 1)
		return 2;
	if (load(argv[0], argc - 1, argv + 1))
		return 1;
	for (i = 0; i < UTPM_NUM_PCRS; i++) {
		utpm_pcr_read(&pal, i, v);
		printf("%u ", i);
		for (j = 0; j < 32; j++)
			printf("%02x", v[j]);
		printf("\n");
	}
	return 0;
}

int main(int argc, char **argv)
{
	int ret = 2;

	if (argc >= 2 && !strcmp(argv[1], "pcrs"))
		ret = cmd_pcrs(argc - 2, argv + 2);
	else if (argc >= 2 && !strcmp(argv[1], "quote"))
		ret = cmd_quote(argc - 2, argv + 2);
	if (ret == 2)
		fprintf(stderr, "usage: see the comment at the top of utpm_tool.c\n");
	return ret;
}
