# SPDX-License-Identifier: GPL-2.0
# userspace/: the CLI.  Built static so it also runs in the test initramfs.
TVCTL := $(O)/userspace/tvctl

$(TVCTL): userspace/tvctl.c include/uapi/trustvisor.h lib/sha256.c lib/ct.c
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -static -o $@ userspace/tvctl.c lib/sha256.c lib/ct.c

userspace: $(TVCTL)
