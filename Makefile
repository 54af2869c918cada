# SPDX-License-Identifier: GPL-2.0
#
# Top-level build.  The kernel module is built by Kbuild (see ./Kbuild); the
# monitor image, userspace and tests by the fragments included below, each
# owned by its folder.  Outputs go to build/ except Kbuild's own objects.

# Build against Debian's linux-headers-amd64, never the running kernel by
# default: these machines run a different kernel than the one we test under.
KVER ?= $(shell ls /usr/src 2>/dev/null | sed -n 's/^linux-headers-\(.*-amd64\)$$/\1/p' | sort -V | tail -1)
KDIR ?= /usr/src/linux-headers-$(KVER)

O := build
CC ?= gcc
HOST_CFLAGS := -O2 -g -Wall -Wextra -Werror -std=gnu11 -I$(CURDIR) -I$(CURDIR)/include

# Programs that print TAP, run by check-unit; fragments append to these.
UNIT_TESTS :=
# Extra check-unit steps (scripts printing TAP), run after UNIT_TESTS.
UNIT_CHECKS :=

.PHONY: all module test-module userspace check check-unit check-vm-novmx check-vm-vmx check-vm-pal \
	check-vm-tpm check-vm-reset \
	demo bench bench-crypto deps clean install uninstall

all: module userspace

# The test build of the module (selftest-only ioctls, test image), for the
# in-VM lanes only.  Defined before the fragments, whose prerequisite lists
# name it.
KMOD_SRCS := $(wildcard kmod/*.c kmod/*.S kmod/*.h)
TEST_MODULE := $(O)/test/kmod/trustvisor.ko

include lib/lib.mk
include utpm/utpm.mk
include vmxroot/vmxroot.mk
include userspace/userspace.mk
include userspace/sdk/sdk.mk
include selftests/selftests.mk
include scripts/scripts.mk

deps:
	@scripts/deps.sh

module: $(VMXROOT_BIN) | deps
	@test -d "$(KDIR)" || { echo "no kernel headers at KDIR=$(KDIR)"; exit 1; }
	$(MAKE) -C $(KDIR) O=$(KDIR) M=$(CURDIR) TV_IMAGE=$(abspath $(VMXROOT_BIN)) modules

test-module: $(TEST_MODULE)
$(TEST_MODULE): $(VMXROOT_TEST_BIN) $(KMOD_SRCS) Kbuild $(wildcard include/*/*.h) | deps
	@test -d "$(KDIR)" || { echo "no kernel headers at KDIR=$(KDIR)"; exit 1; }
	scripts/kbuild-out.sh $(KDIR) $(O)/test/kmod Kbuild $(KMOD_SRCS) -- \
		TV_SELFTEST=1 TV_IMAGE=$(abspath $(VMXROOT_TEST_BIN))

check-unit: $(UNIT_TESTS) | deps
	@O=$(O) scripts/tap-run.sh check-unit $(UNIT_TESTS) $(UNIT_CHECKS)

check: check-unit check-vm-novmx check-vm-vmx check-vm-pal check-vm-tpm check-vm-reset

clean:
	rm -rf $(O)
	-$(MAKE) -C $(KDIR) O=$(KDIR) M=$(CURDIR) clean >/dev/null 2>&1
