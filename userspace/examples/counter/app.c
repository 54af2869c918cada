// SPDX-License-Identifier: GPL-2.0
/*
 * Drives the counter PAL, keeping its sealed state in a file:
 *   ./app counter.pal STATE new     a new count, 0, in STATE
 *   ./app counter.pal STATE step    the count in STATE, plus one
 * Prints "count N".  Exits 0, 1 on an error, 2 on a usage error and 3 when
 * the PAL refuses STATE as a replayed (older) state.
 * Build: cc -o app app.c $(pkg-config --cflags --libs libtrustvisor)
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <libtrustvisor.h>
#include "counter.h"

#define STATE_MAX (8 + TV_PAL_BLOB_MAX)

static unsigned char in[STATE_MAX], out[STATE_MAX];

static int read_state(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");

	if (!f) {
		fprintf(stderr, "app: %s: %s\n", path, strerror(errno));
		return -1;
	}
	*len = fread(in, 1, sizeof(in), f);
	fclose(f);
	return 0;
}

/* Through a temporary file and a rename: a crash leaves the old state or the new one. */
static int write_state(const char *path, const void *p, size_t n)
{
	char tmp[4096];
	FILE *f;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "wb");
	if (!f || fwrite(p, 1, n, f) != n || fflush(f) || fclose(f) || rename(tmp, path)) {
		fprintf(stderr, "app: writing %s: %s\n", path, strerror(errno));
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	size_t in_len = 0, out_len = sizeof(out);
	struct tv_pal *pal;
	uint64_t count;
	int32_t status;
	uint32_t cmd;
	int err;

	if (argc != 4 || (strcmp(argv[3], "new") && strcmp(argv[3], "step"))) {
		fprintf(stderr, "usage: %s PAL STATE new|step\n", argv[0]);
		return 2;
	}
	cmd = strcmp(argv[3], "new") ? COUNTER_STEP : COUNTER_NEW;
	if (cmd == COUNTER_STEP && read_state(argv[2], &in_len))
		return 1;
	err = tv_pal_load_file(argv[1], &pal);
	if (err) {
		fprintf(stderr, "app: loading %s: %s\n", argv[1], tv_strerror(err));
		return 1;
	}
	err = tv_pal_call(pal, cmd, in, in_len, out, &out_len, &status);
	tv_pal_unload(pal);
	if (err) {
		fprintf(stderr, "app: calling %s: %s\n", argv[1], tv_strerror(err));
		return 1;
	}
	if (status == COUNTER_REPLAY) {
		fprintf(stderr, "app: %s is older than the PAL's counter: a replayed state, "
			"refused\n", argv[2]);
		return 3;
	}
	if (status == TV_PAL_EBADMSG) {
		fprintf(stderr, "app: %s is not a state of this monitor (was trustvisor.ko "
			"reloaded? then start again with 'new')\n", argv[2]);
		return 1;
	}
	if (status || out_len <= sizeof(count)) {
		fprintf(stderr, "app: the PAL refused: status %d (%s)\n", status,
			status < 0 ? strerror(-status) : "malformed state");
		return 1;
	}
	if (write_state(argv[2], out + sizeof(count), out_len - sizeof(count)))
		return 1;
	memcpy(&count, out, sizeof(count));
	printf("count %llu\n", (unsigned long long)count);
	return 0;
}
