// SPDX-License-Identifier: GPL-2.0
/*
 * Calls the hello PAL once.  Build it with
 *   cc app.c $(pkg-config --cflags --libs libtrustvisor) -o app
 * and run it as: ./app hello.pal [CMD]
 */
#include <stdio.h>
#include <stdlib.h>
#include <libtrustvisor.h>

int main(int argc, char **argv)
{
	char out[64];
	size_t out_len = sizeof(out);
	struct tv_pal *pal;
	int32_t status;
	int err;

	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: %s PAL [CMD]\n", argv[0]);
		return 2;
	}
	err = tv_pal_load_file(argv[1], &pal);
	if (err) {
		fprintf(stderr, "app: loading %s: %s\n", argv[1], tv_strerror(err));
		return 1;
	}
	err = tv_pal_call(pal, argc == 3 ? (uint32_t)strtoul(argv[2], NULL, 0) : 0, NULL, 0,
			  out, &out_len, &status);
	tv_pal_unload(pal);
	if (err) {
		fprintf(stderr, "app: calling %s: %s\n", argv[1], tv_strerror(err));
		return 1;
	}
	printf("status %d, output \"%.*s\"\n", status, (int)out_len, out);
	return 0;
}
