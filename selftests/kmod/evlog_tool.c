// SPDX-License-Identifier: GPL-2.0
/*
 * kmod/evlog.c, built for the host: writes an evidence log as the module
 * would, with OpenSSL computing each bank's digests and the PCR the log
 * should replay to, for selftests/kmod/evlog.sh to hand to tpm2_eventlog.
 *
 *   evlog_tool log OUT PCR BANKS ID:HEX...   BANKS: sha1,sha256,sha384,...
 *	writes OUT, prints "BANK PCR HEX" for each bank's replayed value
 *   evlog_tool limits                        the refusals, as TAP
 */
#include <errno.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../../kmod/evlog.h"

static const struct {
	const char *name;
	u16 alg;
} algs[] = { { "sha1", 0x04 }, { "sha256", 0x0b }, { "sha384", 0x0c }, { "sha512", 0x0d } };

static size_t unhex(const char *s, u8 *out, size_t cap)
{
	size_t n = strlen(s) / 2;

	if (n > cap)
		return (size_t)-1;
	for (size_t i = 0; i < n; i++)
		if (sscanf(s + 2 * i, "%2hhx", &out[i]) != 1)
			return (size_t)-1;
	return n;
}

static int cmd_log(int argc, char **argv)
{
	static u8 buf[1 << 16], data[4096], payload[4096], digests[8 * 64];
	u8 pcr[8][64] = { { 0 } };
	const EVP_MD *md[8];
	struct tv_evlog_bank banks[8];
	struct tv_evlog l;
	char *list = strdup(argv[4]), *tok;
	u32 nb = 0, pcr_idx = (u32)atoi(argv[3]);
	FILE *f;

	for (tok = strtok(list, ","); tok && nb < 8; tok = strtok(NULL, ",")) {
		size_t i;

		for (i = 0; i < sizeof(algs) / sizeof(algs[0]) && strcmp(algs[i].name, tok); i++)
			;
		if (i == sizeof(algs) / sizeof(algs[0]))
			return fprintf(stderr, "unknown bank %s\n", tok), 2;
		md[nb] = EVP_get_digestbyname(tok);
		banks[nb].alg_id = algs[i].alg;
		banks[nb].size = (u16)EVP_MD_size(md[nb]);
		nb++;
	}
	if (tv_evlog_init(&l, buf, sizeof(buf), banks, nb))
		return fprintf(stderr, "init failed\n"), 1;
	for (int a = 5; a < argc; a++) {
		u32 id = (u32)strtoul(argv[a], NULL, 16);
		const char *hex = strchr(argv[a], ':');
		size_t plen = hex ? unhex(hex + 1, payload, sizeof(payload)) : 0, n, off = 0;

		if (plen == (size_t)-1)
			return fprintf(stderr, "bad payload %s\n", argv[a]), 2;
		n = tv_evlog_tagged(data, sizeof(data), id, payload, (u32)plen);
		for (u32 b = 0; b < nb; b++) {
			u8 cat[128];
			unsigned int sz = banks[b].size;

			EVP_Digest(data, n, digests + off, NULL, md[b], NULL);
			memcpy(cat, pcr[b], sz);
			memcpy(cat + sz, digests + off, sz);
			EVP_Digest(cat, 2 * sz, pcr[b], NULL, md[b], NULL);
			off += sz;
		}
		if (tv_evlog_append(&l, pcr_idx, 0x6, digests, data, (u32)n))
			return fprintf(stderr, "append failed\n"), 1;
	}
	f = fopen(argv[2], "wb");
	if (!f || fwrite(buf, 1, l.len, f) != l.len || fclose(f))
		return perror(argv[2]), 1;
	for (u32 b = 0; b < nb; b++) {
		printf("%s %u ", EVP_MD_get0_name(md[b]), pcr_idx);
		for (u32 i = 0; i < banks[b].size; i++)
			printf("%02x", pcr[b][i]);
		printf("\n");
	}
	return 0;
}

static int t, fails;
static void ok(int cond, const char *what)
{
	printf("%s %d %s\n", cond ? "ok" : "not ok", ++t, what);
	fails += !cond;
}

static int cmd_limits(void)
{
	static u8 buf[256], d[64];
	struct tv_evlog_bank two[2] = { { 0x04, 20 }, { 0x0b, 32 } }, bad = { 0x0b, 65 };
	struct tv_evlog l;
	size_t before;

	printf("1..6\n");
	ok(tv_evlog_init(&l, buf, sizeof(buf), two, 0) == -EINVAL, "no bank: EINVAL");
	ok(tv_evlog_init(&l, buf, sizeof(buf), &bad, 1) == -EINVAL, "a 65-byte digest: EINVAL");
	ok(tv_evlog_init(&l, buf, 40, two, 2) == -ENOSPC, "a header that does not fit: ENOSPC");
	ok(!tv_evlog_init(&l, buf, sizeof(buf), two, 2) && l.len == 32 + 16 + 12 + 8 + 1,
	   "the header of two banks: 69 bytes");
	before = l.len;
	ok(tv_evlog_append(&l, 13, 6, d, d, 200) == -ENOSPC && l.len == before,
	   "an event that does not fit: ENOSPC, the log unchanged");
	ok(!tv_evlog_append(&l, 13, 6, d, d, 8) && l.len == before + 12 + 22 + 34 + 4 + 8,
	   "an event of 8 bytes: 80 bytes appended");
	return fails;
}

int main(int argc, char **argv)
{
	if (argc >= 5 && !strcmp(argv[1], "log"))
		return cmd_log(argc, argv);
	if (argc == 2 && !strcmp(argv[1], "limits"))
		return cmd_limits();
	fprintf(stderr, "usage: evlog_tool log OUT PCR BANKS ID:HEX... | limits\n");
	return 2;
}
