// SPDX-License-Identifier: GPL-2.0
/*
 * Port I/O from userspace, for the reset lane: what a kernel's reboot path
 * does when it resets through the reset control register.
 * usage: tv_ioport outb PORT VALUE | inb PORT
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/io.h>

int main(int argc, char **argv)
{
	unsigned long port, val = 0;
	char *end;

	if (argc < 3 || (strcmp(argv[1], "outb") && strcmp(argv[1], "inb")) ||
	    (!strcmp(argv[1], "outb") && argc != 4)) {
		fprintf(stderr, "usage: %s outb PORT VALUE | inb PORT\n", argv[0]);
		return 2;
	}
	port = strtoul(argv[2], &end, 0);
	if (*end || port > 0xffff) {
		fprintf(stderr, "tv_ioport: bad port '%s'\n", argv[2]);
		return 2;
	}
	if (argc == 4) {
		val = strtoul(argv[3], &end, 0);
		if (*end || val > 0xff) {
			fprintf(stderr, "tv_ioport: bad byte '%s'\n", argv[3]);
			return 2;
		}
	}
	if (ioperm(port, 1, 1)) {
		fprintf(stderr, "tv_ioport: ioperm %#lx: %s\n", port, strerror(errno));
		return 1;
	}
	if (!strcmp(argv[1], "outb"))
		outb((unsigned char)val, (unsigned short)port);
	else
		printf("%#x\n", inb((unsigned short)port));
	return 0;
}
