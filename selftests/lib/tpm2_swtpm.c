// SPDX-License-Identifier: GPL-2.0
/*
 * lib/tpm2.c against a real TPM 2.0: swtpm on 127.0.0.1:PORT, started by
 * tpm2-swtpm.sh with an ECC P-256 salt key at HANDLE whose TPM2B_PUBLIC is
 * in PUBFILE.  This program plays the monitor (it builds and checks every
 * byte with lib/) and Linux (it carries the bytes, and here also flips,
 * truncates and replays them).  Built with ASan and UBSan.  Prints TAP.
 *
 * usage: tpm2_swtpm PORT HANDLE PUBFILE
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lib/ecdsa.h"
#include "lib/tpm2.h"
#include "lib/tpm2_counter.h"
#include "selftests/lib/testutil.h"

#define PLAN 37
#define IDX_A 0x01500001	/* the counter */
#define IDX_B 0x01500002	/* a counter whose auth ends in zero bytes */
#define IDX_C 0x01500003	/* the counter of lib/tpm2_counter.c's jobs */
#define IDX_NONE 0x01500004	/* never defined */
#define BUF 4096

static int port;
static struct tpm2_salt_key salt_key;

/* One command per connection, so tpm2-tools can take turns with us. */
static int tpm_xfer(const u8 *cmd, size_t len, u8 *rsp, size_t *rlen)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	size_t got = 0, want = TPM2_HDR_SIZE;
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	ssize_t n;

	sa.sin_port = htons(port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    write(fd, cmd, len) != (ssize_t)len)
		goto fail;
	while (got < want) {
		n = read(fd, rsp + got, want - got);
		if (n <= 0)
			goto fail;
		got += n;
		if (got == TPM2_HDR_SIZE) {
			want = (size_t)rsp[2] << 24 | rsp[3] << 16 | rsp[4] << 8 | rsp[5];
			if (want < TPM2_HDR_SIZE || want > BUF)
				goto fail;
		}
	}
	close(fd);
	*rlen = got;
	return 0;
fail:
	if (fd >= 0)
		close(fd);
	return -1;
}

static void nonce(u8 n[TPM2_NONCE_SIZE])
{
	tu_rand_bytes(n, TPM2_NONCE_SIZE);
}

static void xfer_or_bail(const u8 *cmd, size_t len, u8 *rsp, size_t *rlen)
{
	if (tpm_xfer(cmd, len, rsp, rlen)) {
		printf("Bail out! no answer from swtpm on port %d\n", port);
		exit(1);
	}
}

/* StartAuthSession with the given salt key; 0 or the library's code. */
static int start(struct tpm2_session *s, const struct tpm2_salt_key *key)
{
	u8 cmd[BUF], rsp[BUF], seed[32], n[32];
	size_t len, rlen;
	int ret;

	tpm2_session_wipe(s);
	tu_rand_bytes(seed, 32);
	nonce(n);
	ret = tpm2_start_session_cmd(s, key, seed, n, cmd, sizeof(cmd), &len);
	if (ret)
		return ret;
	xfer_or_bail(cmd, len, rsp, &rlen);
	return tpm2_start_session_rsp(s, rsp, rlen);
}

static int flush(struct tpm2_session *s)
{
	u8 cmd[64], rsp[BUF];
	size_t len, rlen;
	int ret = tpm2_flush_cmd(s->handle, cmd, sizeof(cmd), &len);

	if (ret)
		return ret;
	xfer_or_bail(cmd, len, rsp, &rlen);
	ret = tpm2_flush_rsp(rsp, rlen);
	tpm2_session_wipe(s);
	return ret;
}

/* The command and response of the last exchange, for the attacks below. */
static u8 last_cmd[BUF], last_rsp[BUF];
static size_t last_cmd_len, last_rsp_len;

enum op { DEFINE, INCREMENT, READ };

static int build(enum op op, struct tpm2_session *s, const struct tpm2_nv_counter *nv)
{
	u8 n[32];

	nonce(n);
	switch (op) {
	case DEFINE:
		return tpm2_nv_define_cmd(s, nv, n, last_cmd, sizeof(last_cmd), &last_cmd_len);
	case INCREMENT:
		return tpm2_nv_increment_cmd(s, nv, n, last_cmd, sizeof(last_cmd),
					     &last_cmd_len);
	default:
		return tpm2_nv_read_cmd(s, nv, n, last_cmd, sizeof(last_cmd), &last_cmd_len);
	}
}

static int parse(enum op op, struct tpm2_session *s, struct tpm2_nv_counter *nv,
		 const u8 *rsp, size_t len, u64 *value)
{
	switch (op) {
	case DEFINE:
		return tpm2_nv_define_rsp(s, rsp, len);
	case INCREMENT:
		return tpm2_nv_increment_rsp(s, nv, rsp, len);
	default:
		return tpm2_nv_read_rsp(s, nv, rsp, len, value);
	}
}

/* Builds, sends and checks one command; 0, the library's or the TPM's code. */
static int run(enum op op, struct tpm2_session *s, struct tpm2_nv_counter *nv, u64 *value)
{
	int ret = build(op, s, nv);

	if (ret)
		return ret;
	xfer_or_bail(last_cmd, last_cmd_len, last_rsp, &last_rsp_len);
	return parse(op, s, nv, last_rsp, last_rsp_len, value);
}

/*
 * Sends the command op but, before the genuine response, offers the
 * session (a copy of it each time) every byte of the response flipped in
 * three ways, every truncation and one extension: all must be refused and
 * leave the copy broken.  Then the genuine response must still be accepted.
 */
static int all_tampering_rejected(enum op op, struct tpm2_session *s,
				  struct tpm2_nv_counter *nv, int *tries, u64 *value)
{
	static const u8 flips[] = { 0x01, 0x80, 0xff };
	u8 bad[BUF + 1];
	struct tpm2_session copy;
	struct tpm2_nv_counter nvc;
	size_t i, j;
	int accepted = 0, ret;
	u64 v;

	*tries = 0;
	ret = build(op, s, nv);
	if (ret)
		return -1;
	xfer_or_bail(last_cmd, last_cmd_len, last_rsp, &last_rsp_len);
	for (i = 0; i < last_rsp_len; i++) {
		for (j = 0; j < sizeof(flips); j++) {
			memcpy(bad, last_rsp, last_rsp_len);
			bad[i] ^= flips[j];
			copy = *s;
			nvc = *nv;
			ret = parse(op, &copy, &nvc, bad, last_rsp_len, &v);
			accepted += ret == TV_OK || copy.state != TPM2_SESSION_BROKEN;
			(*tries)++;
		}
	}
	for (i = 0; i <= last_rsp_len; i++) {
		copy = *s;
		nvc = *nv;
		memcpy(bad, last_rsp, last_rsp_len);
		bad[last_rsp_len] = 0;
		/* i bytes of the response, or all of it and one more */
		ret = parse(op, &copy, &nvc, bad, i < last_rsp_len ? i : i + 1, &v);
		accepted += ret == TV_OK || copy.state != TPM2_SESSION_BROKEN;
		(*tries)++;
	}
	ret = parse(op, s, nv, last_rsp, last_rsp_len, value);
	return ret ? -1 : accepted;
}

static int read_pubfile(const char *path)
{
	u8 b[1024];
	FILE *f = fopen(path, "rb");
	size_t n = f ? fread(b, 1, sizeof(b), f) : 0;

	if (f)
		fclose(f);
	/* TPM2B_PUBLIC of an ECC key ends with unique = x, y as two TPM2Bs. */
	if (n < 70 || b[n - 68] || b[n - 67] != 32 || b[n - 34] || b[n - 33] != 32)
		return -1;
	memcpy(salt_key.x, b + n - 66, 32);
	memcpy(salt_key.y, b + n - 32, 32);
	return 0;
}

static void hex(char *out, const u8 *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", p[i]);
}

/* The name tpm2_nvreadpublic prints for index, or "" on failure. */
static void tools_name(u32 index, char name[2 * TPM2_NAME_MAX + 1])
{
	char cmd[128], line[512];
	FILE *p;

	name[0] = 0;
	snprintf(cmd, sizeof(cmd), "timeout 10 tpm2_nvreadpublic 0x%x 2>/dev/null", index);
	p = popen(cmd, "r");
	if (!p)
		return;
	while (fgets(line, sizeof(line), p))
		if (sscanf(line, " name: %68s", name) == 1)
			break;
	pclose(p);
}

/* The counter as tpm2_nvread reads it with the index's password; -1 on error. */
static long long tools_read(const struct tpm2_nv_counter *nv)
{
	char auth[2 * TPM2_AUTH_MAX + 1], cmd[256];
	u8 b[8];
	long long v = 0;
	FILE *p;
	int i;

	hex(auth, nv->auth, nv->auth_len);
	snprintf(cmd, sizeof(cmd),
		 "timeout 10 tpm2_nvread -C 0x%x -P hex:%s -s 8 0x%x 2>/dev/null",
		 nv->index, auth, nv->index);
	p = popen(cmd, "r");
	if (!p)
		return -1;
	i = fread(b, 1, sizeof(b), p);
	if (pclose(p) || i != 8)
		return -1;
	for (i = 0; i < 8; i++)
		v = v << 8 | b[i];
	return v;
}

static bool contains(const u8 *hay, size_t n, const u8 *needle, size_t m)
{
	size_t i;

	for (i = 0; i + m <= n; i++)
		if (!memcmp(hay + i, needle, m))
			return true;
	return false;
}

/* NV_ReadPublic through the library; 0 or its code. */
static int read_public(struct tpm2_nv_counter *nv)
{
	u8 cmd[64], rsp[BUF];
	size_t len, rlen;
	int ret = tpm2_nv_read_public_cmd(nv, cmd, sizeof(cmd), &len);

	if (ret)
		return ret;
	xfer_or_bail(cmd, len, rsp, &rlen);
	return tpm2_nv_read_public_rsp(nv, rsp, rlen);
}

/* How a job's exchanges are tampered with: none, a byte flipped, or the answer lost. */
struct tamper {
	int step;		/* 1-based exchange; 0: none */
	long byte;		/* the byte flipped; -1: an empty answer */
};

/*
 * Runs a job to its end as the module would relay it; its result, the
 * exchanges made and the value.
 */
static int job_run(enum tpm2_counter_goal goal, u32 index, const u8 *auth,
		   const struct tamper *t, int *steps, u64 *value)
{
	static struct tpm2_counter_job j;
	u8 cmd[BUF], rsp[BUF], rnd[TPM2_COUNTER_RANDOM];
	size_t len = 0, rlen = 0;
	int ret;

	*steps = 0;
	*value = 0;
	ret = tpm2_counter_start(&j, goal, &salt_key, index, auth, 32);
	if (ret)
		return ret;
	for (;;) {
		tu_rand_bytes(rnd, sizeof(rnd));
		ret = tpm2_counter_step(&j, *steps ? rsp : NULL, rlen, rnd, cmd, sizeof(cmd), &len);
		if (ret != TPM2_COUNTER_SEND)
			break;
		xfer_or_bail(cmd, len, rsp, &rlen);
		if (++*steps == t->step) {
			if (t->byte < 0)
				rlen = 0;
			else
				rsp[t->byte % rlen] ^= 0x01;
		}
		if (*steps > 20)
			return -100;
	}
	*value = j.value;
	if (ret == TPM2_COUNTER_DONE && j.value != *value)
		return -101;
	return ret;
}

/* HMAC sessions loaded in the TPM; flushed if flush, so the next run starts clean. */
static int sessions_loaded(bool do_flush)
{
	static const u8 getcap[] = { 0x80, 0x01, 0, 0, 0, 22, 0, 0, 1, 0x7a,
				     0, 0, 0, 1, 0x02, 0, 0, 0, 0, 0, 0, 16 };
	u8 rsp[BUF], cmd[64];
	size_t rlen, len;
	u32 n, i, h;

	xfer_or_bail(getcap, sizeof(getcap), rsp, &rlen);
	if (rlen < 19)
		return -1;
	n = (u32)rsp[15] << 24 | rsp[16] << 16 | rsp[17] << 8 | rsp[18];
	for (i = 0; do_flush && i < n && 19 + 4 * i + 4 <= rlen; i++) {
		h = (u32)rsp[19 + 4 * i] << 24 | rsp[20 + 4 * i] << 16 |
		    rsp[21 + 4 * i] << 8 | rsp[22 + 4 * i];
		tpm2_flush_cmd(h, cmd, sizeof(cmd), &len);
		xfer_or_bail(cmd, len, rsp + 2048, &rlen);
	}
	return (int)n;
}

/* The counter's jobs (lib/tpm2_counter.c), as the monitor runs them through Linux. */
static void job_tests(void)
{
	const struct tamper none = { 0 };
	int ret, steps, bad = 0, done = 0, failed = 0, leaks = 0, runs = 0, k, ok;
	u8 auth[32];
	u64 v1, v2, value;
	long b;

	tu_rand_bytes(auth, sizeof(auth));
	auth[31] |= 1;
	sessions_loaded(true);
	ret = job_run(TPM2_COUNTER_OPEN, IDX_C, auth, &none, &steps, &v1);
	{
		struct tpm2_nv_counter nv;

		tpm2_nv_counter_init(&nv, IDX_C, auth, 32);
		tap_ok(ret == TPM2_COUNTER_DONE && steps == 6 && v1 > 0 &&
		       tools_read(&nv) == (long long)v1,
		       "job OPEN of an undefined counter: defined, incremented once, read %llu "
		       "in 6 exchanges, as tpm2_nvread reads it (%d)", (unsigned long long)v1,
		       ret);
		ret = job_run(TPM2_COUNTER_OPEN, IDX_C, auth, &none, &steps, &v2);
		tap_ok(ret == TPM2_COUNTER_DONE && steps == 5 && v2 == v1,
		       "job OPEN again: no define, no increment, the same value in 5 exchanges "
		       "(%d, %llu)", ret, (unsigned long long)v2);
		ret = job_run(TPM2_COUNTER_INCREMENT, IDX_C, auth, &none, &steps, &v2);
		tap_ok(ret == TPM2_COUNTER_DONE && v2 == v1 + 1 &&
		       tools_read(&nv) == (long long)v2,
		       "job INCREMENT: one NV_Increment, the value read back is %llu (%d)",
		       (unsigned long long)v2, ret);
	}
	tap_ok(sessions_loaded(false) == 0, "after the jobs no session is left in the TPM");
	ret = job_run(TPM2_COUNTER_INCREMENT, IDX_NONE, auth, &none, &steps, &value);
	tap_ok(ret == TV_ENOENT && steps == 1 && sessions_loaded(false) == 0,
	       "job INCREMENT of a counter never defined: TV_ENOENT after 1 exchange, no "
	       "session (%d)", ret);
	auth[0] ^= 1;
	ret = job_run(TPM2_COUNTER_OPEN, IDX_C, auth, &none, &steps, &value);
	tap_ok(ret > 0 && value == 0 && sessions_loaded(false) == 0,
	       "job OPEN with another auth: the TPM's 0x%x, no value, its session flushed",
	       ret > 0 ? ret : 0);
	auth[0] ^= 1;

	/*
	 * Every byte of every answer of an OPEN flipped in turn, and each answer
	 * lost: a job either fails or gives the true value, and it gives it only
	 * when what was changed carries nothing it relies on.  A changed StartAuthSession answer hides the
	 * session's handle from the job, so only Linux could flush that one.
	 */
	for (k = 1; k <= 5; k++) {
		for (b = -1; b < 96; b++) {
			struct tamper t = { .step = k, .byte = b };

			ret = job_run(TPM2_COUNTER_OPEN, IDX_C, auth, &t, &steps, &value);
			runs++;
			if (ret == TPM2_COUNTER_DONE) {
				done++;
				/*
				 * GetCapability's answer is 23 bytes; byte 10 is
				 * moreData, which says nothing about our index.
				 */
				ok = k == 5 || (k == 1 && b >= 0 && b % 23 == 10);
				bad += value != v2 || !ok;
				if (value != v2 || !ok)
					tap_diag("a job done with step %d byte %ld changed", k, b);
			} else {
				failed++;
				bad += value != 0;
			}
			ret = sessions_loaded(true);
			leaks += ret != 0 && k != 3;
		}
	}
	tap_ok(!bad && failed > 0,
	       "%d OPEN jobs with one answer changed or lost: %d failed, %d gave the true "
	       "value (only with FlushContext's answer or GetCapability's moreData "
	       "changed), none another value", runs,
	       failed, done);
	tap_ok(!leaks, "and no job left its session loaded (%d did; one whose "
	       "StartAuthSession answer was changed is not counted)", leaks);
	ret = job_run(TPM2_COUNTER_OPEN, IDX_C, auth, &none, &steps, &value);
	tap_ok(ret == TPM2_COUNTER_DONE && value == v2,
	       "after all that the counter still reads %llu: no tampered job incremented it",
	       (unsigned long long)value);
}

int main(int argc, char **argv)
{
	static const u8 plain3[8] = { 0, 0, 0, 0, 0, 0, 0, 3 };
	u8 auth[32], name[TPM2_NAME_MAX], inc1[BUF], fake_priv[32], fake_pub[65];
	char want_name[2 * TPM2_NAME_MAX + 1], got_name[2 * TPM2_NAME_MAX + 1];
	struct tpm2_nv_counter nv, nv_b, wrong;
	struct tpm2_session s, copy;
	struct tpm2_salt_key fake;
	size_t inc1_len;
	int ret, ok, i, tries;
	u64 value = 0;
	u32 rc;

	if (argc != 4) {
		fprintf(stderr, "usage: %s PORT HANDLE PUBFILE\n", argv[0]);
		return 2;
	}
	tap_plan(PLAN);
	if (!getenv("TV_TEST_SEED"))
		setenv("TV_TEST_SEED", "20260901", 1);
	tu_seed();
	port = atoi(argv[1]);
	salt_key.handle = strtoul(argv[2], NULL, 0);
	if (read_pubfile(argv[3])) {
		printf("Bail out! %s is not the TPM2B_PUBLIC of a P-256 key\n", argv[3]);
		return 1;
	}

	/* An auth without trailing zeros; the second counter's has two. */
	tu_rand_bytes(auth, sizeof(auth));
	auth[31] |= 1;
	tpm2_nv_counter_init(&nv, IDX_A, auth, sizeof(auth));

	ret = start(&s, &salt_key);
	tap_ok(!ret && s.state == TPM2_SESSION_READY && s.handle >> 24 == 0x02,
	       "StartAuthSession salted by the TPM's P-256 key (session 0x%08x, %d)",
	       s.handle, ret);

	/* DefineSpace, its response also attacked byte by byte. */
	ret = all_tampering_rejected(DEFINE, &s, &nv, &tries, &value);
	tap_ok(ret == 0, "NV_DefineSpace of counter 0x%x in the session; %d tampered "
	       "responses (every byte flipped 3 ways, every truncation, one extension) "
	       "rejected (%d accepted)", IDX_A, tries, ret);
	tap_ok(!contains(last_cmd, last_cmd_len, auth, sizeof(auth)) &&
	       !contains(last_cmd, last_cmd_len, auth, 8),
	       "the DefineSpace command (%zu bytes) contains neither the authValue nor "
	       "its first 8 bytes", last_cmd_len);

	tpm2_nv_counter_name(&nv, name);
	hex(want_name, name, sizeof(name));
	tools_name(IDX_A, got_name);
	ret = read_public(&nv);
	tap_ok(!ret && !nv.written && !strcmp(want_name, got_name),
	       "NV_ReadPublic matches the counter defined (not written) and "
	       "tpm2_nvreadpublic agrees on its name (%d)", ret);
	if (strcmp(want_name, got_name))
		tap_diag("ours %s, tpm2-tools %s", want_name, got_name);

	/* Increment 1, kept for the replay below. */
	ret = run(INCREMENT, &s, &nv, NULL);
	memcpy(inc1, last_rsp, last_rsp_len);
	inc1_len = last_rsp_len;
	tap_ok(!ret && nv.written, "NV_Increment 1 in the session; the index is now written");

	/* Increment 2, first offered increment 1's response. */
	ok = !build(INCREMENT, &s, &nv);
	xfer_or_bail(last_cmd, last_cmd_len, last_rsp, &last_rsp_len);
	copy = s;
	ret = tpm2_nv_increment_rsp(&copy, &nv, inc1, inc1_len);
	tap_ok(ok && ret == TV_EAUTH && copy.state == TPM2_SESSION_BROKEN,
	       "increment 1's response replayed for increment 2: rejected (%d), that "
	       "session broken", ret);
	ret = build(READ, &copy, &nv);
	tap_ok(ret == TV_EPERM, "a broken session builds nothing (%d)", ret);
	ret = tpm2_nv_increment_rsp(&s, &nv, last_rsp, last_rsp_len);
	tap_ok(!ret, "NV_Increment 2: its own response accepted (%d)", ret);

	ret = all_tampering_rejected(INCREMENT, &s, &nv, &tries, &value);
	tap_ok(ret == 0, "NV_Increment 3; %d tampered responses rejected (%d accepted)",
	       tries, ret);

	ret = all_tampering_rejected(READ, &s, &nv, &tries, &value);
	tap_ok(ret == 0, "NV_Read; %d tampered responses rejected (%d accepted)", tries,
	       ret);
	tap_ok(value == 3, "NV_Read in the session gives 3 (%llu)", (unsigned long long)value);
	/* rc, paramSize, then the TPM2B: its size 0x0008, then the 8 bytes. */
	tap_ok(last_rsp_len > 24 && last_rsp[14] == 0 && last_rsp[15] == 8 &&
	       memcmp(last_rsp + 16, plain3, 8) &&
	       !contains(last_rsp, last_rsp_len, plain3 + 1, 7),
	       "the NV_Read response's data on the wire is not the plaintext counter");
	tap_ok(tools_read(&nv) == 3, "tpm2_nvread with the index's password reads 3 too");

	/* A replayed NV_Read response: an old value must not come back. */
	memcpy(inc1, last_rsp, last_rsp_len);
	inc1_len = last_rsp_len;
	ok = !run(INCREMENT, &s, &nv, NULL);
	ok &= !build(READ, &s, &nv);
	xfer_or_bail(last_cmd, last_cmd_len, last_rsp, &last_rsp_len);
	copy = s;
	value = 0;
	ret = tpm2_nv_read_rsp(&copy, &nv, inc1, inc1_len, &value);
	tap_ok(ok && ret == TV_EAUTH && value == 0,
	       "after increment 4, the NV_Read response that said 3 replayed: rejected (%d)",
	       ret);
	ret = tpm2_nv_read_rsp(&s, &nv, last_rsp, last_rsp_len, &value);
	tap_ok(!ret && value == 4, "the genuine one says 4 (%d, %llu)", ret,
	       (unsigned long long)value);

	ret = read_public(&nv);
	tpm2_nv_counter_name(&nv, name);
	hex(want_name, name, sizeof(name));
	tools_name(IDX_A, got_name);
	tap_ok(!ret && nv.written && !strcmp(want_name, got_name),
	       "NV_ReadPublic: written, and tpm2_nvreadpublic agrees on the new name (%d)",
	       ret);

	/* The wrong authValue: the TPM refuses, the library says so. */
	wrong = nv;
	wrong.auth[0] ^= 1;
	ret = run(INCREMENT, &s, &wrong, NULL);
	rc = ret > 0 ? tpm2_rc_base(ret) : 0;
	tap_ok(rc == TPM2_RC_BAD_AUTH || rc == TPM2_RC_AUTH_FAIL,
	       "NV_Increment with a wrong authValue: the TPM's 0x%x reported (%d)",
	       ret > 0 ? ret : 0, ret);
	tap_ok(s.state == TPM2_SESSION_BROKEN && build(READ, &s, &nv) == TV_EPERM,
	       "and the session is unusable");
	ret = flush(&s);
	tap_ok(!ret, "FlushContext of the broken session (%d)", ret);

	ret = start(&s, &salt_key);
	ok = !ret;
	ret = run(READ, &s, &nv, &value);
	tap_ok(ok && !ret && value == 4, "a new session reads 4: the refused increment "
	       "did nothing (%d, %llu)", ret, (unsigned long long)value);

	/* Auth with trailing zeros: both sides must strip them the same way. */
	auth[30] = auth[31] = 0;
	tpm2_nv_counter_init(&nv_b, IDX_B, auth, sizeof(auth));
	ok = !run(DEFINE, &s, &nv_b, NULL);
	ok &= !run(INCREMENT, &s, &nv_b, NULL);
	ret = run(READ, &s, &nv_b, &value);
	tap_ok(ok && !ret && value == 1, "a counter whose authValue ends in two zero "
	       "bytes: defined, incremented, read 1 (%d)", ret);
	ret = flush(&s);
	tap_ok(!ret, "FlushContext of the session (%d)", ret);

	/*
	 * Salted with a point that is not the TPM's key (a valid point, so the
	 * TPM accepts the start): the session keys differ, and the TPM
	 * refuses the first command's HMAC before it answers anything.
	 */
	tu_rand_bytes(auth, 32);
	p256_keygen(auth, fake_priv, fake_pub);
	fake.handle = salt_key.handle;
	memcpy(fake.x, fake_pub + 1, 32);
	memcpy(fake.y, fake_pub + 33, 32);
	ret = start(&s, &fake);
	tap_ok(!ret, "StartAuthSession salted to another P-256 point is accepted by "
	       "the TPM (%d)", ret);
	value = 0;
	ret = run(READ, &s, &nv, &value);
	rc = ret > 0 ? tpm2_rc_base(ret) : 0;
	tap_ok((rc == TPM2_RC_BAD_AUTH || rc == TPM2_RC_AUTH_FAIL) && value == 0 &&
	       s.state == TPM2_SESSION_BROKEN,
	       "but its first command (NV_Read) fails its HMAC: the TPM's 0x%x, no value",
	       ret > 0 ? ret : 0);
	flush(&s);

	/* A nonceTPM changed in transit has the same effect. */
	{
		u8 cmd[BUF], rsp[BUF], seed[32], n[32];
		size_t len, rlen;

		tpm2_session_wipe(&s);
		tu_rand_bytes(seed, 32);
		nonce(n);
		ok = !tpm2_start_session_cmd(&s, &salt_key, seed, n, cmd, sizeof(cmd), &len);
		xfer_or_bail(cmd, len, rsp, &rlen);
		rsp[rlen - 1] ^= 1;
		ok &= !tpm2_start_session_rsp(&s, rsp, rlen);
		ret = run(READ, &s, &nv, &value);
		rc = ret > 0 ? tpm2_rc_base(ret) : 0;
		tap_ok(ok && (rc == TPM2_RC_BAD_AUTH || rc == TPM2_RC_AUTH_FAIL),
		       "a nonceTPM flipped in the StartAuthSession response: the first "
		       "command is refused (0x%x)", ret > 0 ? ret : 0);
		flush(&s);
	}

	/* An off-curve salt point never reaches the TPM. */
	fake.y[31] ^= 1;
	tpm2_session_wipe(&s);
	{
		u8 cmd[BUF], seed[32] = { 1 }, n[32] = { 2 };
		size_t len = 0;

		ret = tpm2_start_session_cmd(&s, &fake, seed, n, cmd, sizeof(cmd), &len);
		tap_ok(ret == TV_EINVAL && s.state == TPM2_SESSION_IDLE,
		       "a salt point off the curve is refused before any command (%d)", ret);
	}

	/* A command that does not fit its buffer leaves the session as it was. */
	ret = start(&s, &salt_key);
	copy = s;
	{
		u8 small[40], n[32];
		size_t len = 0;

		nonce(n);
		i = tpm2_nv_read_cmd(&s, &nv, n, small, sizeof(small), &len);
	}
	ok = !ret && i == TV_ERANGE && !memcmp(&copy, &s, sizeof(s));
	ret = run(READ, &s, &nv, &value);
	tap_ok(ok && !ret && value == 4, "a command too big for its buffer: TV_ERANGE, "
	       "the session untouched and still working (%d)", ret);
	ret = flush(&s);
	tap_ok(!ret, "FlushContext of the last session (%d)", ret);
	job_tests();
	return tap_finish();
}
