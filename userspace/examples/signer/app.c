// SPDX-License-Identifier: GPL-2.0
/*
 * Drives the signer PAL; the private key stays sealed in KEY:
 *   ./app signer.pal keygen KEY PUB.pem      a new key: KEY (sealed), PUB.pem
 *   ./app signer.pal sign KEY MSG SIG.der    signs MSG:
 *        openssl dgst -sha256 -verify PUB.pem -signature SIG.der MSG
 *   ./app signer.pal quote KEY NONCE-HEX DIR  DIR/attest.bin, sig.bin, pcrs.bin:
 *        tpm2_checkquote -u IDENTITY.pem -m DIR/attest.bin -s DIR/sig.bin \
 *                -f DIR/pcrs.bin -l sha256:0,1 -g sha256 -q NONCE-HEX
 * Exits 0, 1 on an error, 2 on a usage error.
 * Build: cc -o app app.c $(pkg-config --cflags --libs libtrustvisor)
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libtrustvisor.h>
#include "signer.h"

static unsigned char in[TV_PAL_IO_MAX], out[TV_PAL_IO_MAX];

static int die(const char *what, const char *why)
{
	fprintf(stderr, "app: %s: %s\n", what, why);
	return 1;
}

/* Reads a whole file into buf; -1 (said) if it does not fit or cannot be read. */
static long read_file(const char *path, unsigned char *buf, size_t cap)
{
	FILE *f = fopen(path, "rb");
	size_t n;

	if (!f) {
		die(path, strerror(errno));
		return -1;
	}
	n = fread(buf, 1, cap, f);
	if (ferror(f) || fgetc(f) != EOF) {
		fclose(f);
		die(path, "cannot read it, or it is too long");
		return -1;
	}
	fclose(f);
	return (long)n;
}

static int write_file(const char *path, const void *p, size_t n)
{
	FILE *f = fopen(path, "wb");

	if (!f || fwrite(p, 1, n, f) != n || fclose(f))
		return die(path, strerror(errno));
	return 0;
}

/* The public key as PEM: a DER SubjectPublicKeyInfo (RFC 5480) in base64. */
static int write_pem(const char *path, const unsigned char pub[SIGNER_PUB_SIZE])
{
	static const unsigned char spki_prefix[] = {
		0x30, 0x59, 0x30, 0x13,
		0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01,	/* id-ecPublicKey */
		0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07,	/* prime256v1 */
		0x03, 0x42, 0x00,	/* BIT STRING, no unused bits */
	};
	static const char b64[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	unsigned char der[sizeof(spki_prefix) + SIGNER_PUB_SIZE];
	char pem[256];
	size_t n = 0;

	memcpy(der, spki_prefix, sizeof(spki_prefix));
	memcpy(der + sizeof(spki_prefix), pub, SIGNER_PUB_SIZE);
	n += sprintf(pem, "-----BEGIN PUBLIC KEY-----\n");
	/* 91 bytes: 30 groups of 3 and one of 1, 64 characters a line. */
	for (size_t i = 0; i < sizeof(der); i += 3) {
		unsigned long v = (unsigned long)der[i] << 16;

		if (i + 1 < sizeof(der))
			v |= (unsigned long)der[i + 1] << 8;
		if (i + 2 < sizeof(der))
			v |= der[i + 2];
		pem[n++] = b64[v >> 18 & 63];
		pem[n++] = b64[v >> 12 & 63];
		pem[n++] = i + 1 < sizeof(der) ? b64[v >> 6 & 63] : '=';
		pem[n++] = i + 2 < sizeof(der) ? b64[v & 63] : '=';
		if ((i / 3 + 1) % 16 == 0)
			pem[n++] = '\n';
	}
	n += sprintf(pem + n, "\n-----END PUBLIC KEY-----\n");
	return write_file(path, pem, n);
}

/* One DER INTEGER of a 32-byte big-endian unsigned value: minimal, positive. */
static size_t der_integer(unsigned char *p, const unsigned char v[32])
{
	size_t skip = 0, len;

	while (skip < 31 && !v[skip])
		skip++;
	len = 32 - skip + (v[skip] >> 7);	/* a 0 first if the high bit is set */
	p[0] = 0x02;
	p[1] = (unsigned char)len;
	p[2] = 0;
	memcpy(p + 2 + len - (32 - skip), v + skip, 32 - skip);
	return 2 + len;
}

/* r || s as the DER ECDSA-Sig-Value (RFC 3279) openssl and X.509 use. */
static int write_der_sig(const char *path, const unsigned char sig[SIGNER_SIG_SIZE])
{
	unsigned char der[2 + 2 * 35];
	size_t n = 2;

	n += der_integer(der + n, sig);
	n += der_integer(der + n, sig + 32);
	der[0] = 0x30;
	der[1] = (unsigned char)(n - 2);
	return write_file(path, der, n);
}

/* The input of SIGN and QUOTE: the key's length, the key, then `rest`. */
static long key_input(const char *key_path, const void *rest, size_t rest_len)
{
	long n = read_file(key_path, in + 4, TV_PAL_BLOB_MAX);
	uint32_t len = (uint32_t)n;

	if (n < 0)
		return -1;
	if (rest_len > sizeof(in) - 4 - len) {
		die("input", "the message is too long for one call");
		return -1;
	}
	memcpy(in, &len, 4);
	memcpy(in + 4 + len, rest, rest_len);
	return (long)(4 + len + rest_len);
}

static int parse_hex(const char *hex, unsigned char *buf, size_t cap, size_t *len)
{
	size_t n = strlen(hex);

	if (n % 2 || n / 2 > cap)
		return -1;
	for (size_t i = 0; i < n / 2; i++) {
		char byte[3] = { hex[2 * i], hex[2 * i + 1], 0 }, *end;

		buf[i] = (unsigned char)strtoul(byte, &end, 16);
		if (*end)
			return -1;
	}
	*len = n / 2;
	return 0;
}

static int call(const char *pal_path, uint32_t cmd, size_t in_len, size_t *out_len)
{
	struct tv_pal *pal;
	int32_t status;
	int err;

	*out_len = sizeof(out);
	err = tv_pal_load_file(pal_path, &pal);
	if (err)
		return die(pal_path, tv_strerror(err));
	err = tv_pal_call(pal, cmd, in, in_len, out, out_len, &status);
	tv_pal_unload(pal);
	if (err)
		return die(pal_path, tv_strerror(err));
	if (status == SIGNER_BAD)
		return die(pal_path, "the PAL refused the input as malformed");
	if (status == TV_PAL_EBADMSG)
		return die(pal_path, "the key is not a blob of this monitor (was trustvisor.ko "
			   "reloaded? then make a new key)");
	if (status) {
		fprintf(stderr, "app: %s: the PAL failed: status %d (%s)\n", pal_path, status,
			status < 0 ? strerror(-status) : "see signer.h");
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	const char *op = argc > 2 ? argv[2] : "";
	char path[4096];
	size_t out_len, n, attest;
	long in_len;

	if (argc == 5 && !strcmp(op, "keygen")) {
		if (call(argv[1], SIGNER_KEYGEN, 0, &out_len))
			return 1;
		if (out_len <= SIGNER_PUB_SIZE)
			return die(argv[1], "short output");
		return write_file(argv[3], out + SIGNER_PUB_SIZE, out_len - SIGNER_PUB_SIZE) ||
		       write_pem(argv[4], out);
	}
	if (argc == 6 && !strcmp(op, "sign")) {
		static unsigned char msg[TV_PAL_IO_MAX];
		long msg_len = read_file(argv[4], msg, sizeof(msg));

		if (msg_len < 0)
			return 1;
		in_len = key_input(argv[3], msg, (size_t)msg_len);
		if (in_len < 0 || call(argv[1], SIGNER_SIGN, (size_t)in_len, &out_len))
			return 1;
		if (out_len != SIGNER_SIG_SIZE)
			return die(argv[1], "no signature in the output");
		return write_der_sig(argv[5], out);
	}
	if (argc == 6 && !strcmp(op, "quote")) {
		unsigned char nonce[TV_PAL_NONCE_MAX];

		if (parse_hex(argv[4], nonce, sizeof(nonce), &n))
			return die(argv[4], "not a nonce of up to 64 bytes in hex");
		in_len = key_input(argv[3], nonce, n);
		if (in_len < 0 || call(argv[1], SIGNER_QUOTE, (size_t)in_len, &out_len))
			return 1;
		/* PCR 0 || PCR 1 || TPM2B_ATTEST (2-byte big-endian size) || TPMT_SIGNATURE */
		attest = out_len >= 66 ? (size_t)out[64] << 8 | out[65] : 0;
		if (out_len < 66 || 66 + attest >= out_len)
			return die(argv[1], "malformed quote");
		snprintf(path, sizeof(path), "%s/pcrs.bin", argv[5]);
		if (write_file(path, out, 64))
			return 1;
		snprintf(path, sizeof(path), "%s/attest.bin", argv[5]);
		if (write_file(path, out + 66, attest))
			return 1;
		snprintf(path, sizeof(path), "%s/sig.bin", argv[5]);
		return write_file(path, out + 66 + attest, out_len - 66 - attest);
	}
	fprintf(stderr, "usage: %s PAL keygen KEY PUB.pem\n"
		"       %s PAL sign KEY MSG SIG.der\n"
		"       %s PAL quote KEY NONCE-HEX DIR\n", argv[0], argv[0], argv[0]);
	return 2;
}
