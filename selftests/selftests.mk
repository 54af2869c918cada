# SPDX-License-Identifier: GPL-2.0
# In-VM suites (selftests/vm) are built static to run from the busybox
# initramfs; `vm-payload` gathers them with the lane scripts, the test build
# of the module (trustvisor-test.ko) and both monitor images (vmxroot.bin,
# vmxroot-test.bin: to check measurements against) in $(O)/selftests/vm/.
# The initramfs holds the shipped module as /trustvisor.ko.
VM_O := $(O)/selftests/vm

# The kernel's kselftest framework (kselftest.h, kselftest_harness.h and the
# runner), taken at build time from Debian's linux-source package for the
# kernel we build against (KVER 6.1.0-57-amd64: linux-source-6.1.tar.xz) and
# never committed here, so the suites follow the kernel's TAP and exit codes
# rather than a copy that drifts.  Only the named members are extracted (the
# tarball is 140 MB; this takes ~10 s, once), --strip-components=4 keeps
# tools/testing/selftests/'s layout under $(KSFT_DIR), and -m stamps them
# with the extraction time so they stay newer than the tarball.
KSFT_SERIES := $(word 1,$(subst ., ,$(KVER))).$(word 2,$(subst ., ,$(KVER)))
KSFT_TARBALL := $(wildcard /usr/src/linux-source-$(KSFT_SERIES).tar.xz)
KSFT_DIR := $(O)/kselftest
KSFT_FILES := kselftest.h kselftest_harness.h run_kselftest.sh kselftest/runner.sh \
	kselftest/prefix.pl
KSFT_SRCS := $(addprefix $(KSFT_DIR)/,$(KSFT_FILES))

$(KSFT_SRCS) &: $(KSFT_TARBALL) | deps
	@test -n "$(KSFT_TARBALL)" || { \
		echo "no /usr/src/linux-source-$(KSFT_SERIES).tar.xz for kernel $(KVER)" \
			"(found: $(or $(wildcard /usr/src/linux-source-*.tar.xz),none));" \
			"install Debian's linux-source-$(KSFT_SERIES) (see scripts/deps.sh)" >&2; \
		exit 1; }
	rm -rf $(KSFT_DIR).tmp
	mkdir -p $(KSFT_DIR).tmp
	tar -xJf $(KSFT_TARBALL) -C $(KSFT_DIR).tmp -m --strip-components=4 \
		$(addprefix $(notdir $(KSFT_TARBALL:.tar.xz=))/tools/testing/selftests/,$(KSFT_FILES))
	rm -rf $(KSFT_DIR)
	mv $(KSFT_DIR).tmp $(KSFT_DIR)

.PHONY: kselftest-src
kselftest-src: $(KSFT_SRCS)

# The suites are installed as the kernel's selftests install target lays out
# a tree (make -C tools/testing/selftests install), so its runner runs them:
# $(KSFT_TREE)/run_kselftest.sh, kselftest/runner.sh, kselftest-list.txt and
# the collection trustvisor/ with the programs and the runner's settings.
# The lanes keep calling $(VM_O)/tv_cpuid etc.: symlinks into the
# collection, so the initramfs holds one copy of each static binary.
# tv_bench (a benchmark) and tv_ioport (a tool) are not tests; they stay in
# $(VM_O).
KSFT_TREE := $(VM_O)/kselftest
VM_KSFT_TESTS := tv_cpuid tv_status tv_workload tv_pal
VM_KSFT_BINS := $(addprefix $(KSFT_TREE)/trustvisor/,$(VM_KSFT_TESTS))
VM_KSFT_LINKS := $(addprefix $(VM_O)/,$(VM_KSFT_TESTS))
VM_TOOL_BINS := $(addprefix $(VM_O)/,tv_bench tv_ioport)
KSFT_RUNNER := $(addprefix $(KSFT_TREE)/,run_kselftest.sh kselftest/runner.sh kselftest/prefix.pl)
VM_BINS := $(VM_KSFT_BINS) $(VM_KSFT_LINKS) $(VM_TOOL_BINS) $(KSFT_RUNNER) \
	$(KSFT_TREE)/kselftest-list.txt $(KSFT_TREE)/trustvisor/settings
VM_SCRIPTS := $(wildcard selftests/vm/*.sh)

VM_DEPS := selftests/vm/tv_vm.h include/uapi/trustvisor.h include/trustvisor/pal_abi.h \
	selftests/vm/pals/services.h \
	lib/pal_image.c lib/pal_image.h $(KSFT_DIR)/kselftest.h
define vm_cc
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -I$(KSFT_DIR) -D_GNU_SOURCE -static -o $@ $< \
		$(if $(filter tv_status tv_pal,$*),lib/sha256.c lib/ct.c) \
		$(if $(filter tv_pal,$*),lib/pal_image.c lib/ecdsa.c lib/p256.c lib/hmac.c -lpthread)
endef
$(VM_KSFT_BINS): $(KSFT_TREE)/trustvisor/%: selftests/vm/%.c $(VM_DEPS)
	$(vm_cc)
$(VM_TOOL_BINS): $(VM_O)/%: selftests/vm/%.c $(VM_DEPS)
	$(vm_cc)
$(VM_KSFT_LINKS): $(VM_O)/%: $(KSFT_TREE)/trustvisor/%
	ln -sfn kselftest/trustvisor/$* $@
$(KSFT_RUNNER): $(KSFT_TREE)/%: $(KSFT_DIR)/%
	install -D -m 744 $< $@
$(KSFT_TREE)/trustvisor/settings: selftests/vm/settings
	install -D -m 644 $< $@
$(KSFT_TREE)/kselftest-list.txt: selftests/selftests.mk
	@mkdir -p $(dir $@)
	printf 'trustvisor:%s\n' $(VM_KSFT_TESTS) >$@

# tv_hostile.ko: hostile kernel operations under the monitor (selftests/kmod).
HOSTILE_MODULE := $(O)/test/hostile/tv_hostile.ko
$(HOSTILE_MODULE): selftests/kmod/tv_hostile.c selftests/kmod/Kbuild include/trustvisor/monitor.h | deps
	scripts/kbuild-out.sh $(KDIR) $(O)/test/hostile selftests/kmod/Kbuild \
		selftests/kmod/tv_hostile.c

# PALs for the in-VM suites, built with the SDK from outside the repo
# (build-pals.sh): the example and selftests/vm/pals/*.c.
VM_PAL_SRCS := userspace/examples/hello/hello.c $(wildcard selftests/vm/pals/*.c)
VM_PALS := $(patsubst %.c,$(VM_O)/pals/%.pal,$(notdir $(VM_PAL_SRCS)))
$(VM_PALS) &: $(VM_PAL_SRCS) $(wildcard selftests/vm/pals/*.h) $(SDK_FILES) \
		selftests/vm/build-pals.sh
	selftests/vm/build-pals.sh $(TVPAL_CC) $(VM_O)/pals $(VM_PAL_SRCS)

.PHONY: vm-payload
vm-payload: $(VM_BINS) $(VMXROOT_BIN) $(VMXROOT_TEST_BIN) $(TEST_MODULE) $(HOSTILE_MODULE) \
		$(TVCTL) $(TVCTL_TPM) $(VM_PALS)
	cp $(VM_SCRIPTS) $(VMXROOT_BIN) $(TVCTL) $(TVCTL_TPM) $(HOSTILE_MODULE) $(VM_O)/
	cp $(VMXROOT_TEST_BIN) $(VM_O)/vmxroot-test.bin
	cp $(TEST_MODULE) $(VM_O)/trustvisor-test.ko
	mkdir -p $(VM_O)/kvm
	cp /lib/modules/$(KVER)/kernel/virt/lib/irqbypass.ko \
		/lib/modules/$(KVER)/kernel/arch/x86/kvm/kvm.ko \
		/lib/modules/$(KVER)/kernel/arch/x86/kvm/kvm-intel.ko $(VM_O)/kvm/

# The examples (userspace/examples/counter, signer) for the PAL lane: their
# PALs built like the others, from outside the repo, into $(VM_O)/pals; their
# applications static, like tvctl, as $(VM_O)/examples/NAME-app.  The lane
# runs them with selftests/vm/examples.sh.
VM_EXAMPLE_NAMES := counter signer
VM_EXAMPLE_PAL_SRCS := $(foreach e,$(VM_EXAMPLE_NAMES),userspace/examples/$(e)/$(e).c)
VM_EXAMPLE_PALS := $(patsubst %,$(VM_O)/pals/%.pal,$(VM_EXAMPLE_NAMES))
VM_EXAMPLE_APPS := $(patsubst %,$(VM_O)/examples/%-app,$(VM_EXAMPLE_NAMES))
$(VM_EXAMPLE_PALS) &: $(VM_EXAMPLE_PAL_SRCS) $(wildcard userspace/examples/*/*.h) $(SDK_FILES) \
		selftests/vm/build-pals.sh
	selftests/vm/build-pals.sh $(TVPAL_CC) $(VM_O)/pals $(VM_EXAMPLE_PAL_SRCS)
$(VM_EXAMPLE_APPS): $(VM_O)/examples/%-app: userspace/examples/%/app.c \
		$(wildcard userspace/examples/*/*.h) include/libtrustvisor.h $(LIBTV_A)
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -static -o $@ $< $(LIBTV_A)
vm-payload: $(VM_EXAMPLE_PALS) $(VM_EXAMPLE_APPS)

# The module's evidence log writer (kmod/evlog.c) built for the host, its
# output read by tpm2_eventlog (selftests/kmod/evlog.sh).
EVLOG_TOOL := $(O)/selftests/kmod/evlog_tool
$(EVLOG_TOOL): selftests/kmod/evlog_tool.c kmod/evlog.c kmod/evlog.h
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -o $@ selftests/kmod/evlog_tool.c kmod/evlog.c -lcrypto
check-unit: $(EVLOG_TOOL)
UNIT_CHECKS += selftests/kmod/evlog.sh

# The tpm lane's TPM (selftests/vm/tpm.sh): swtpm's state with the
# attestation key already persistent, made on the host by
# scripts/mktpmstate.sh (the emulated machine makes no key), and two modules
# of the stock kernel in $(VM_O)/tpm-kmod/: the vTPM proxy driver (the TPM
# core is built in), and sha512_generic, which a full system would load on
# demand (the initramfs has no modprobe tree) when something hashes for the
# TPM's sha384 and sha512 PCR banks.  Neither has dependencies in
# modules.dep; the rule refuses to copy one that has.  The state is made
# once; rm -r $(VM_O)/tpm makes a new TPM.
VM_TPM_STATE := $(VM_O)/tpm/ak.pem
VM_TPM_KMOD_PATHS := kernel/drivers/char/tpm/tpm_vtpm_proxy.ko kernel/crypto/sha512_generic.ko
VM_TPM_KMODS := $(addprefix $(VM_O)/tpm-kmod/,$(notdir $(VM_TPM_KMOD_PATHS)))
$(VM_TPM_STATE): scripts/mktpmstate.sh | deps
	scripts/mktpmstate.sh $(VM_O)/tpm
$(VM_TPM_KMODS): $(VM_O)/tpm-kmod/%.ko: | deps
	@rel=$(filter %/$*.ko,$(VM_TPM_KMOD_PATHS)); \
	deps=$$(sed -n "s|^$$rel:||p" /lib/modules/$(KVER)/modules.dep); \
	test -z "$$(echo $$deps)" || { \
		echo "$$rel needs$$deps: the tpm lane must load those too" >&2; exit 1; }; \
	echo install -D -m 644 /lib/modules/$(KVER)/$$rel $@; \
	install -D -m 644 /lib/modules/$(KVER)/$$rel $@
vm-payload: $(VM_TPM_STATE) $(VM_TPM_KMODS)
