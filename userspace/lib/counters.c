// SPDX-License-Identifier: GPL-2.0
/*
 * libtrustvisor: the file that keeps the µTPM's counter table between
 * loads (docs/architecture.md, "Persisted counters").  The monitor seals
 * the table; this file only stores what it gets and gives it back.  A new
 * table is written beside the old one and renamed over it, and the old one
 * stays as FILE.prev: a commit whose TPM increment never happened leaves a
 * FILE the monitor refuses and a FILE.prev it takes.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>
#include "uapi/trustvisor.h"
#include "libtrustvisor.h"
#include "counters.h"

const char *tv_counters_path(void)
{
	const char *p = getenv("TV_COUNTERS_FILE");

	return p && *p ? p : TV_COUNTERS_FILE_DEFAULT;
}

static int counters_ioctl(int fd, struct tv_counters *c, uint32_t op)
{
	c->size = sizeof(*c);
	c->op = op;
	if (op != TV_COUNTERS_RESTORE)
		c->len = 0;
	if (ioctl(fd, TV_IOC_COUNTERS, c))
		return -errno;
	if (c->len > sizeof(c->table))
		return -EPROTO;
	return 0;
}

static int write_all(int fd, const void *p, size_t n)
{
	const char *b = p;

	while (n) {
		ssize_t w = write(fd, b, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return w < 0 ? -errno : -EIO;
		b += w;
		n -= (size_t)w;
	}
	return 0;
}

/* The directory of path, made if it is the default's and missing. */
static int sync_dir(const char *path, char *dir, size_t cap)
{
	const char *slash = strrchr(path, '/');
	int fd, err = 0;

	if (!slash) {
		snprintf(dir, cap, ".");
	} else {
		if ((size_t)(slash - path) >= cap)
			return -ENAMETOOLONG;
		memcpy(dir, path, (size_t)(slash - path));
		dir[slash - path] = 0;
		if (!dir[0])
			snprintf(dir, cap, "/");
	}
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fsync(fd))
		err = -errno;
	close(fd);
	return err;
}

/* Durably: FILE.tmp written and synced, FILE to FILE.prev, FILE.tmp to FILE. */
static int store(const char *path, const void *table, size_t len)
{
	char tmp[PATH_MAX], prev[PATH_MAX], dir[PATH_MAX];
	int fd, err;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp) ||
	    snprintf(prev, sizeof(prev), "%s.prev", path) >= (int)sizeof(prev))
		return -ENAMETOOLONG;
	if (!strcmp(path, TV_COUNTERS_FILE_DEFAULT)) {
		/* /var/lib/trustvisor, made as needed (EEXIST is fine). */
		mkdir("/var", 0755);
		mkdir("/var/lib", 0755);
		mkdir(TV_COUNTERS_DIR_DEFAULT, 0700);
	}
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	err = write_all(fd, table, len);
	if (!err && fsync(fd))
		err = -errno;
	if (close(fd) && !err)
		err = -errno;
	if (!err && rename(path, prev) && errno != ENOENT)
		err = -errno;
	if (!err && rename(tmp, path))
		err = -errno;
	if (!err)
		err = sync_dir(path, dir, sizeof(dir));
	if (err)
		unlink(tmp);
	return err;
}

/* The table in path, into c; -ENOENT if there is none. */
static int load(const char *path, struct tv_counters *c)
{
	struct stat st;
	ssize_t n;
	int fd, err = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) || st.st_size > (off_t)sizeof(c->table)) {
		err = st.st_size > (off_t)sizeof(c->table) ? -EFBIG : -errno;
	} else {
		n = read(fd, c->table, sizeof(c->table));
		if (n < 0)
			err = -errno;
		else
			c->len = (uint32_t)n;
	}
	close(fd);
	return err;
}

/* The NV value a stored table says it is sealed at (the monitor checks it). */
static int stored_value(const char *path, uint64_t *v)
{
	struct tv_counters *c = calloc(1, sizeof(*c));
	int err;

	if (!c)
		return -ENOMEM;
	err = load(path, c);
	if (!err && c->len < 16)
		err = -EBADMSG;
	*v = 0;
	for (int i = 8; !err && i < 16; i++)
		*v = *v << 8 | c->table[i];
	free(c);
	return err;
}

/* The table the monitor gives for op (EXPORT, STAGED), durably into path. */
static int fetch_store(int fd, uint32_t op, const char *path)
{
	struct tv_counters *c = calloc(1, sizeof(*c));
	int err;

	if (!c)
		return -ENOMEM;
	err = counters_ioctl(fd, c, op);
	if (!err)
		err = store(path, c->table, c->len);
	free(c);
	return err;
}

int tv_counters_store_staged(int fd)
{
	return fetch_store(fd, TV_COUNTERS_STAGED, tv_counters_path());
}

static int save_fd(int fd, const char *path)
{
	return fetch_store(fd, TV_COUNTERS_EXPORT, path);
}

/* path, else path.prev; the first error if neither is taken. */
static int restore_fd(int fd, const char *path)
{
	struct tv_counters *c = calloc(1, sizeof(*c));
	char prev[PATH_MAX];
	int err, err2;

	if (!c)
		return -ENOMEM;
	err = load(path, c);
	if (!err)
		err = counters_ioctl(fd, c, TV_COUNTERS_RESTORE);
	if (err && err != -EPERM && snprintf(prev, sizeof(prev), "%s.prev", path) <
	    (int)sizeof(prev)) {
		memset(c, 0, sizeof(*c));
		err2 = load(prev, c);
		if (!err2)
			err2 = counters_ioctl(fd, c, TV_COUNTERS_RESTORE);
		if (!err2)
			err = 0;
	}
	free(c);
	return err;
}

static int with_device(const char *path, int (*fn)(int, const char *))
{
	int fd = open(TV_DEVICE, O_RDWR | O_CLOEXEC), err;

	if (fd < 0)
		return -errno;
	err = fn(fd, path ? path : tv_counters_path());
	close(fd);
	return err;
}

int tv_counters_save(const char *path)
{
	return with_device(path, save_fd);
}

int tv_counters_restore(const char *path)
{
	return with_device(path, restore_fd);
}

/*
 * At a PAL load: counters that must come from the file are restored from
 * it, and a table the file does not hold yet (a new secret) is written.
 * Errors are left for the counters themselves to report (ENODATA in the PAL).
 */
void tv_counters_prepare(int fd)
{
	struct tv_identity id = { .size = sizeof(id) };
	uint64_t v;

	if (ioctl(fd, TV_IOC_IDENTITY, &id) || id.size < sizeof(id))
		return;
	if (id.counters == TV_IDENTITY_COUNTERS_UNKNOWN)
		restore_fd(fd, tv_counters_path());
	else if (id.counters == TV_IDENTITY_COUNTERS_KNOWN &&
		 id.nv_counter_state == TV_IDENTITY_NV_OPEN &&
		 (stored_value(tv_counters_path(), &v) || v != id.nv_counter))
		save_fd(fd, tv_counters_path());
}
