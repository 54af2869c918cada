// SPDX-License-Identifier: GPL-2.0
/*
 * A /dev/trustvisor in the process (fake_dev.h): the ioctls the
 * application side uses, answered by the µTPM on the host.  It serves the
 * tests of libtrustvisor and tvctl; it checks what it is given as the
 * module would where a test depends on it, and is no model of the module
 * beyond that.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "uapi/trustvisor.h"
#include "utpm/utpm.h"
#include "selftests/userspace/fake_dev.h"

int __real_open(const char *path, int flags, ...);
int __real_close(int fd);
int __real_ioctl(int fd, unsigned long request, ...);

unsigned int fake_dev_ioctls;
bool fake_dev_absent;
enum fake_lie fake_dev_lie;
int fake_dev_fail_errno;

#define FAKE_FDS	64
#define FAKE_PALS	8

static struct {
	bool ready;
	bool fds[FAKE_FDS];
	struct utpm_root root;
	const char *fail_name;	/* TV_FAKE_FAIL */
	int fail_errno;
	const char *log;	/* TV_FAKE_LOG */
	struct {
		bool used;
		int fd;
		struct utpm tpm;
	} pals[FAKE_PALS];
} fake;

static void fake_init(void)
{
	unsigned char master[UTPM_MASTER_SIZE], entropy[UTPM_MIN_ENTROPY];
	const char *fail = getenv("TV_FAKE_FAIL");

	if (fake.ready)
		return;
	fake.ready = true;
	memset(master, 0x5a, sizeof(master));
	for (size_t i = 0; i < sizeof(entropy); i++)
		entropy[i] = i;
	if (utpm_root_init(&fake.root, master, entropy, sizeof(entropy))) {
		fprintf(stderr, "fake_dev: utpm_root_init failed\n");
		abort();
	}
	utpm_root_set_clock(&fake.root, 1000);
	if (getenv("TV_FAKE_ABSENT"))
		fake_dev_absent = true;
	if (fail && strchr(fail, ':')) {
		fake.fail_name = strndup(fail, strchr(fail, ':') - fail);
		fake.fail_errno = atoi(strchr(fail, ':') + 1);
	}
	fake.log = getenv("TV_FAKE_LOG");
}

int __wrap_open(const char *path, int flags, ...)
{
	mode_t mode = 0;
	va_list ap;
	int fd;

	if (flags & (O_CREAT | O_TMPFILE)) {
		va_start(ap, flags);
		mode = va_arg(ap, mode_t);
		va_end(ap);
	}
	if (strcmp(path, TV_DEVICE))
		return __real_open(path, flags, mode);
	fake_init();
	if (fake_dev_absent) {
		errno = ENOENT;
		return -1;
	}
	/* A real descriptor, so that close() and descriptor numbers behave. */
	fd = __real_open("/dev/null", O_RDWR | (flags & O_CLOEXEC));
	if (fd >= FAKE_FDS) {
		__real_close(fd);
		errno = EMFILE;
		return -1;
	}
	if (fd >= 0)
		fake.fds[fd] = true;
	return fd;
}

int __wrap_close(int fd)
{
	if (fd >= 0 && fd < FAKE_FDS && fake.fds[fd]) {
		/* As the module does: the PALs of a closed file are unloaded. */
		for (int i = 0; i < FAKE_PALS; i++)
			if (fake.pals[i].used && fake.pals[i].fd == fd)
				fake.pals[i].used = false;
		fake.fds[fd] = false;
	}
	return __real_close(fd);
}

/* The PAL of handle h loaded through fd, or NULL. */
static struct utpm *fake_pal(int fd, __u32 h)
{
	if (h >= FAKE_PALS || !fake.pals[h].used || fake.pals[h].fd != fd)
		return NULL;
	return &fake.pals[h].tpm;
}

static int fake_identity(int fd, void *arg)
{
	struct tv_identity *a = arg;
	size_t len;

	(void)fd;
	if (a->size != sizeof(*a))
		return EINVAL;
	memset(a, 0, sizeof(*a));
	a->size = fake_dev_lie == FAKE_LIE_SHORT_SIZE ? offsetof(struct tv_identity, launch_desc)
						      : sizeof(*a);
	a->launch = TV_LAUNCH_KERNEL;
	a->flags = TV_IDENTITY_F_EPHEMERAL;
	a->secret = TV_IDENTITY_SECRET_EPHEMERAL;	/* as a module without a TPM */
	utpm_root_pubkey(&fake.root, a->pubkey);
	if (fake_dev_lie == FAKE_LIE_PUBKEY)
		a->pubkey[0] = 0x02;
	utpm_root_public_area(&fake.root, a->public_area, sizeof(a->public_area), &len);
	a->public_area_len = len;
	memcpy(a->name, fake.root.id_name, sizeof(a->name));
	sha256("fake monitor image", 18, a->measurement);
	/* All 64 bytes used, no NUL: the library must terminate it itself. */
	memset(a->launch_desc, 'k', sizeof(a->launch_desc));
	memcpy(a->launch_desc, "loaded by the running kernel (fake device) ", 43);
	return 0;
}

static int fake_load(int fd, void *arg)
{
	struct tv_pal_load *a = arg;
	unsigned char m[32];

	if (a->size != sizeof(*a) || a->flags)
		return EINVAL;
	for (__u32 h = 0; h < FAKE_PALS; h++) {
		if (fake.pals[h].used)
			continue;
		sha256((const void *)(uintptr_t)a->image, a->image_len, m);
		if (utpm_init(&fake.pals[h].tpm, m))
			return EIO;
		fake.pals[h].used = true;
		fake.pals[h].fd = fd;
		a->handle = h;
		a->reason = 0;
		memcpy(a->measurement, m, sizeof(m));
		return 0;
	}
	return ENOSPC;
}

static int fake_call(int fd, void *arg)
{
	struct tv_pal_call *a = arg;
	struct utpm *u = fake_pal(fd, a->handle);
	unsigned char d[32];

	if (a->size != sizeof(*a) || a->flags)
		return EINVAL;
	if (!u)
		return ENOENT;
	if (a->cmd == FAKE_CMD_FAULT) {
		fake.pals[a->handle].used = false;
		a->result = TV_PAL_RESULT_FAULT;
		a->fault_vector = 14;
		a->fault_error = 6;
		a->fault_rip = 0x10000042;
		a->fault_addr = 0;
		return 0;
	}
	sha256((const void *)(uintptr_t)a->in, a->in_len, d);
	if (a->in_len)
		utpm_pcr_extend(u, 1, d);
	a->result = TV_PAL_RESULT_RETURNED;
	a->status = (__s32)(a->cmd + 1);
	if (a->out_len >= sizeof(d)) {
		memcpy((void *)(uintptr_t)a->out, d, sizeof(d));
		a->out_len = sizeof(d);
	} else {
		a->out_len = 0;
	}
	return 0;
}

static int fake_quote(int fd, void *arg)
{
	struct tv_pal_quote *a = arg;
	struct utpm *u = fake_pal(fd, a->handle);
	struct utpm_pcr_sel sel = { .mask = a->pcr_mask };
	size_t alen, slen;

	if (a->size != sizeof(*a))
		return EINVAL;
	if (!u)
		return ENOENT;
	if (!(a->pcr_mask & 1) || a->pcr_mask >> UTPM_NUM_PCRS || a->nonce_len > 64)
		return EINVAL;
	if (utpm_quote(&fake.root, u, &sel, a->nonce, a->nonce_len, a->attest,
		       sizeof(a->attest), &alen, a->sig, sizeof(a->sig), &slen))
		return EIO;
	a->attest_len = alen;
	a->sig_len = slen;
	memset(a->pcrs, 0, sizeof(a->pcrs));
	for (unsigned int i = 0; i < UTPM_NUM_PCRS; i++)
		if (a->pcr_mask & (1u << i) || fake_dev_lie == FAKE_LIE_PCRS)
			utpm_pcr_read(u, i, a->pcrs[i]);
	if (fake_dev_lie == FAKE_LIE_PCRS)
		memset(a->pcrs[UTPM_NUM_PCRS - 1], 0xee, 32);
	if (fake_dev_lie == FAKE_LIE_ATTEST_LEN)
		a->attest_len = sizeof(a->attest) + 1;
	if (fake_dev_lie == FAKE_LIE_SHORT_SIZE)
		a->size = offsetof(struct tv_pal_quote, pcrs);
	return 0;
}

static int fake_unload(int fd, void *arg)
{
	struct tv_pal_unload *a = arg;

	if (a->size != sizeof(*a))
		return EINVAL;
	if (!fake_pal(fd, a->handle))
		return ENOENT;
	fake.pals[a->handle].used = false;
	return 0;
}

static const struct {
	unsigned long request;
	const char *name;	/* for TV_FAKE_FAIL and TV_FAKE_LOG */
	int (*answer)(int fd, void *arg);
} fake_ioctls[] = {
	{ TV_IOC_IDENTITY, "IDENTITY", fake_identity },
	{ TV_IOC_PAL_LOAD, "PAL_LOAD", fake_load },
	{ TV_IOC_PAL_CALL, "PAL_CALL", fake_call },
	{ TV_IOC_PAL_QUOTE, "PAL_QUOTE", fake_quote },
	{ TV_IOC_PAL_UNLOAD, "PAL_UNLOAD", fake_unload },
};

int __wrap_ioctl(int fd, unsigned long request, ...)
{
	const char *name = "unknown";
	int (*answer)(int fd, void *arg) = NULL;
	va_list ap;
	void *arg;
	int err;

	va_start(ap, request);
	arg = va_arg(ap, void *);
	va_end(ap);
	if (fd < 0 || fd >= FAKE_FDS || !fake.fds[fd])
		return __real_ioctl(fd, request, arg);
	for (size_t i = 0; i < sizeof(fake_ioctls) / sizeof(fake_ioctls[0]); i++)
		if (fake_ioctls[i].request == request) {
			name = fake_ioctls[i].name;
			answer = fake_ioctls[i].answer;
		}
	fake_dev_ioctls++;
	if (fake.log) {
		FILE *f = fopen(fake.log, "a");

		if (f) {
			fprintf(f, "%s\n", name);
			fclose(f);
		}
	}
	err = fake_dev_fail_errno;
	fake_dev_fail_errno = 0;
	if (!err && fake.fail_name && !strcmp(fake.fail_name, name))
		err = fake.fail_errno;
	if (!err)
		err = answer ? answer(fd, arg) : ENOTTY;
	if (err) {
		errno = err;
		return -1;
	}
	return 0;
}
