// SPDX-License-Identifier: GPL-2.0
/*
 * The part of libtrustvisor the example applications use, answered by
 * pal_emu instead of the monitor, so selftests/sdk/sdk.sh runs the examples
 * (PAL and application, as built from userspace/examples/) without VMX.
 * Each tv_pal_call() runs
 *   $PAL_EMU --state $PAL_EMU_STATE --cmd CMD --cap CAP --in IN --out OUT PAL
 * which emulates the services with $PAL_EMU_STATE as what the monitor keeps
 * (pal_emu.c), with --fixed-random too if PAL_EMU_FIXED_RANDOM is set.  A
 * call that does not return (a fault, a skip) is TV_ERR_PAL_FAULT, with
 * pal_emu's report on stderr.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <libtrustvisor.h>

struct tv_pal {
	char *path;
};

int tv_pal_load_file(const char *path, struct tv_pal **pal)
{
	if (access(path, R_OK))
		return -errno;
	*pal = malloc(sizeof(**pal));
	if (!*pal || !((*pal)->path = strdup(path)))
		return -ENOMEM;
	return 0;
}

void tv_pal_unload(struct tv_pal *pal)
{
	if (pal)
		free(pal->path);
	free(pal);
}

const char *tv_strerror(int err)
{
	return err == TV_ERR_PAL_FAULT ? "the PAL was terminated by a fault" : strerror(-err);
}

static int spill(const char *path, const void *p, size_t n)
{
	FILE *f = fopen(path, "wb");

	return !f || fwrite(p, 1, n, f) != n || fclose(f) ? -EIO : 0;
}

int tv_pal_call(struct tv_pal *pal, uint32_t cmd, const void *in, size_t in_len, void *out,
		size_t *out_len, int32_t *pal_status)
{
	const char *emu = getenv("PAL_EMU"), *state = getenv("PAL_EMU_STATE");
	const char *tmp = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	char dir[4096], in_path[4200], out_path[4200], rep_path[4200];
	char cmd_s[16], cap_s[32], line[256];
	size_t cap = out_len ? *out_len : 0;
	int err = TV_ERR_PAL_FAULT, ws;
	FILE *rep;
	pid_t pid;

	snprintf(dir, sizeof(dir), "%s/emu_libtv.XXXXXX", tmp);
	if (!emu || !state || !pal_status || !mkdtemp(dir))
		return -ENOENT;
	snprintf(in_path, sizeof(in_path), "%s/in", dir);
	snprintf(out_path, sizeof(out_path), "%s/out", dir);
	snprintf(rep_path, sizeof(rep_path), "%s/report", dir);
	snprintf(cmd_s, sizeof(cmd_s), "%u", cmd);
	snprintf(cap_s, sizeof(cap_s), "%zu", cap);
	if (spill(in_path, in, in_len))
		goto out;
	pid = fork();
	if (pid == 0) {
		if (!freopen(rep_path, "w", stdout))
			_exit(127);
		const char *fixed = getenv("PAL_EMU_FIXED_RANDOM") ? "--fixed-random" : NULL;

		execl(emu, emu, "--state", state, "--cmd", cmd_s, "--cap", cap_s, "--in", in_path,
		      "--out", out_path, pal->path, fixed, (char *)NULL);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &ws, 0) != pid)
		goto out;
	rep = fopen(rep_path, "r");
	if (rep && WIFEXITED(ws) && WEXITSTATUS(ws) == 0 && fgets(line, sizeof(line), rep) &&
	    sscanf(line, "status %d", pal_status) == 1) {
		FILE *o = fopen(out_path, "rb");

		if (out_len)
			*out_len = o ? fread(out, 1, cap, o) : 0;
		if (o)
			fclose(o);
		err = 0;
	} else if (rep) {
		while (fgets(line, sizeof(line), rep))
			fprintf(stderr, "pal_emu: %s", line);
	}
	if (rep)
		fclose(rep);
out:
	unlink(in_path);
	unlink(out_path);
	unlink(rep_path);
	rmdir(dir);
	return err;
}
