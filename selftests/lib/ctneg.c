// SPDX-License-Identifier: GPL-2.0
/*
 * Driver of the negative controls in ctneg_leaks.c: marks one byte secret
 * with the same SECRET() as the real ct_*.c programs and hands it to the
 * leak named on the command line.  Exits 0 when it ran; under
 * ct-check.sh's memcheck the leak must turn that into 99.
 * usage: ctneg branch|index
 */
#include <stdio.h>
#include <string.h>

#include "lib/base.h"
#include "selftests/lib/ctcheck.h"

void ctneg_branch(const u8 *secret);
void ctneg_index(const u8 *secret);
extern u8 ctneg_table[256];

int main(int argc, char **argv)
{
	u8 secret = 0x5b;
	int i;

	for (i = 0; i < 256; i++)
		ctneg_table[i] = (u8)(i * 167 + 13);
	if (argc != 2) {
		fprintf(stderr, "usage: %s branch|index\n", argv[0]);
		return 2;
	}
	SECRET(&secret, sizeof(secret));
	if (!strcmp(argv[1], "branch"))
		ctneg_branch(&secret);
	else if (!strcmp(argv[1], "index"))
		ctneg_index(&secret);
	else
		return 2;
	printf("ctneg %s: ran\n", argv[1]);
	return 0;
}
