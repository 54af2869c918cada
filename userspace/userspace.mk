# SPDX-License-Identifier: GPL-2.0
# userspace/: libtrustvisor, the CLI, and `make install` (with the SDK of
# userspace/sdk/sdk.mk, included after this file).
USERSPACE_O := $(O)/userspace
TVCTL := $(USERSPACE_O)/tvctl

# libtrustvisor: static and shared (soname libtrustvisor.so.0), one set of
# position-independent objects for both.  lib/pal_image.c comes along for
# the local image check; libtrustvisor.map keeps it out of the .so's
# exports.
LIBTV_VERSION := 0.3.0
LIBTV_SONAME := libtrustvisor.so.0
LIBTV_O := $(USERSPACE_O)/lib
LIBTV_A := $(LIBTV_O)/libtrustvisor.a
LIBTV_SO := $(LIBTV_O)/libtrustvisor.so.$(LIBTV_VERSION)
LIBTV_OBJS := $(LIBTV_O)/libtrustvisor.o $(LIBTV_O)/counters.o $(LIBTV_O)/pal_image.o
LIBTV_DEPS := include/libtrustvisor.h include/uapi/trustvisor.h include/trustvisor/pal_abi.h \
	lib/pal_image.h lib/base.h userspace/userspace.mk

$(LIBTV_O)/libtrustvisor.o: userspace/lib/libtrustvisor.c $(LIBTV_DEPS)
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -fPIC -c $< -o $@
$(LIBTV_O)/counters.o: userspace/lib/counters.c userspace/lib/counters.h $(LIBTV_DEPS)
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -fPIC -c $< -o $@
$(LIBTV_O)/pal_image.o: lib/pal_image.c $(LIBTV_DEPS)
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -fPIC -c $< -o $@
$(LIBTV_A): $(LIBTV_OBJS)
	rm -f $@
	ar rcs $@ $^
$(LIBTV_SO): $(LIBTV_OBJS) userspace/lib/libtrustvisor.map
	$(CC) -shared -Wl,-soname,$(LIBTV_SONAME) \
		-Wl,--version-script=userspace/lib/libtrustvisor.map \
		-Wl,-z,defs -Wl,-z,relro -Wl,-z,now -o $@ $(LIBTV_OBJS)
	ln -sfn $(notdir $@) $(LIBTV_O)/$(LIBTV_SONAME)
	ln -sfn $(LIBTV_SONAME) $(LIBTV_O)/libtrustvisor.so

# The tpm2-tools PCR file (userspace/lib/tpm2_pcrs.c): tvctl quote writes
# it, and so does the µTPM's utpm_tool, whose file checkquote.sh proves
# against tpm2_checkquote; one writer, so what is proven is what ships.
# utpm_tool's own rule (utpm/utpm.mk) links LIB_HOST_OBJS, so the object is
# added to that variable for that target alone.
TPM2_PCRS_DEPS := userspace/lib/tpm2_pcrs.c userspace/lib/tpm2_pcrs.h
TPM2_PCRS_O := $(USERSPACE_O)/host/tpm2_pcrs.o
$(TPM2_PCRS_O): $(TPM2_PCRS_DEPS)
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -c $< -o $@
$(UTPM_TOOL): $(TPM2_PCRS_O)
$(UTPM_TOOL): LIB_HOST_OBJS += $(TPM2_PCRS_O)

# tvctl: static, so it also runs in the test initramfs.
TVCTL_DEPS := userspace/tvctl.c include/uapi/trustvisor.h include/libtrustvisor.h \
	$(TPM2_PCRS_DEPS)
$(TVCTL): $(TVCTL_DEPS) lib/sha256.c lib/ct.c $(LIBTV_A)
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -static -o $@ userspace/tvctl.c userspace/lib/tpm2_pcrs.c \
		lib/sha256.c lib/ct.c $(LIBTV_A)

# tvctl-tpm: the same tvctl.c with attest and verify (userspace/attest.c,
# verify.c), which need OpenSSL and tpm2-tss; those come as shared libraries
# only, so tvctl-tpm is linked dynamically and the static tvctl runs it for
# those two commands (docs/attestation.md, "Verifying": why).  It is
# installed in PREFIX/libexec/trustvisor, where tvctl looks for it.
TVCTL_TPM := $(USERSPACE_O)/tvctl-tpm
TVCTL_TPM_SRCS := userspace/attest.c userspace/verify.c userspace/lib/evlog_parse.c
TVCTL_TPM_LIBS := -lcrypto -ltss2-esys -ltss2-mu -ltss2-rc -ltss2-tctildr
$(TVCTL_TPM): $(TVCTL_DEPS) $(TVCTL_TPM_SRCS) userspace/tvctl_evidence.h \
		userspace/lib/evlog_parse.h include/trustvisor/evidence.h lib/sha256.c lib/ct.c \
		$(LIBTV_A)
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -DTVCTL_TPM -o $@ userspace/tvctl.c $(TVCTL_TPM_SRCS) \
		userspace/lib/tpm2_pcrs.c lib/sha256.c lib/ct.c $(LIBTV_A) $(TVCTL_TPM_LIBS)

# The evidence log reader's libFuzzer target: what it accepts, the module's
# writer (kmod/evlog.c) must rebuild byte for byte.
EVLOG_FUZZER := $(O)/selftests/fuzz/fuzz_evlog_parse
$(EVLOG_FUZZER): selftests/fuzz/fuzz_evlog_parse.c userspace/lib/evlog_parse.c \
		userspace/lib/evlog_parse.h kmod/evlog.c kmod/evlog.h
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(UTPM_FUZZ_CFLAGS) -o $@ $< userspace/lib/evlog_parse.c kmod/evlog.c

userspace: $(TVCTL) $(TVCTL_TPM) $(LIBTV_A) $(LIBTV_SO)

# make install [PREFIX=/usr/local] [DESTDIR=]: what an application and a PAL
# author need, never the kernel module (which is built against one kernel
# and installed apart).  The .pc file names PREFIX, not DESTDIR.
PREFIX ?= /usr/local
DESTDIR ?=
INSTALL_ROOT = $(DESTDIR)$(PREFIX)
INSTALL_SDK = $(INSTALL_ROOT)/lib/trustvisor/sdk

# The manual pages; libtrustvisor(3) also answers to each function's name.
MAN1_PAGES := docs/man/tvctl.1 docs/man/tvpal-cc.1
MAN3_PAGES := docs/man/libtrustvisor.3
MAN3_LINKS := tv_pal_load tv_pal_load_file tv_pal_call tv_pal_fault tv_pal_measurement \
	tv_pal_unload tv_pal_image_reason tv_pal_img_strerror tv_strerror tv_fault_name \
	tv_identity tv_pal_quote
INSTALL_MAN = $(INSTALL_ROOT)/share/man

.PHONY: install uninstall
install: userspace
	install -d $(INSTALL_ROOT)/bin $(INSTALL_ROOT)/include/trustvisor \
		$(INSTALL_ROOT)/lib/pkgconfig $(INSTALL_SDK)
	install -m 755 $(TVCTL) $(TVPAL_CC) $(INSTALL_ROOT)/bin/
	install -D -m 755 $(TVCTL_TPM) $(INSTALL_ROOT)/libexec/trustvisor/tvctl-tpm
	install -m 644 include/libtrustvisor.h $(INSTALL_ROOT)/include/
	install -m 644 include/trustvisor/pal.h include/trustvisor/pal_abi.h \
		include/trustvisor/pal_crypto.h $(INSTALL_ROOT)/include/trustvisor/
	install -m 644 $(LIBTV_A) $(INSTALL_ROOT)/lib/
	install -m 755 $(LIBTV_SO) $(INSTALL_ROOT)/lib/
	ln -sfn $(notdir $(LIBTV_SO)) $(INSTALL_ROOT)/lib/$(LIBTV_SONAME)
	ln -sfn $(LIBTV_SONAME) $(INSTALL_ROOT)/lib/libtrustvisor.so
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@VERSION@|$(LIBTV_VERSION)|' \
		userspace/lib/libtrustvisor.pc.in >$(INSTALL_ROOT)/lib/pkgconfig/libtrustvisor.pc
	install -m 644 $(SDK_LIBDIR)/pal_start.o $(SDK_LIBDIR)/string.o $(SDK_LIBDIR)/pal.lds \
		$(SDK_LIBDIR)/libtvpal.a $(INSTALL_SDK)/
	install -m 755 $(TVPAL_PACK) $(INSTALL_SDK)/
	install -d $(INSTALL_MAN)/man1 $(INSTALL_MAN)/man3
	install -m 644 $(MAN1_PAGES) $(INSTALL_MAN)/man1/
	install -m 644 $(MAN3_PAGES) $(INSTALL_MAN)/man3/
	for f in $(MAN3_LINKS); do ln -sfn libtrustvisor.3 $(INSTALL_MAN)/man3/$$f.3; done

uninstall:
	rm -f $(addprefix $(INSTALL_MAN)/man1/,$(notdir $(MAN1_PAGES))) \
		$(addprefix $(INSTALL_MAN)/man3/,$(notdir $(MAN3_PAGES))) \
		$(addprefix $(INSTALL_MAN)/man3/,$(addsuffix .3,$(MAN3_LINKS)))
	rm -f $(INSTALL_ROOT)/bin/tvctl $(INSTALL_ROOT)/bin/tvpal-cc \
		$(INSTALL_ROOT)/libexec/trustvisor/tvctl-tpm \
		$(INSTALL_ROOT)/include/libtrustvisor.h $(INSTALL_ROOT)/include/trustvisor/pal.h \
		$(INSTALL_ROOT)/include/trustvisor/pal_abi.h \
		$(INSTALL_ROOT)/include/trustvisor/pal_crypto.h $(INSTALL_ROOT)/lib/libtrustvisor.a \
		$(INSTALL_ROOT)/lib/$(notdir $(LIBTV_SO)) $(INSTALL_ROOT)/lib/$(LIBTV_SONAME) \
		$(INSTALL_ROOT)/lib/libtrustvisor.so \
		$(INSTALL_ROOT)/lib/pkgconfig/libtrustvisor.pc \
		$(INSTALL_SDK)/pal_start.o $(INSTALL_SDK)/string.o $(INSTALL_SDK)/pal.lds \
		$(INSTALL_SDK)/libtvpal.a $(INSTALL_SDK)/tvpal-pack
	-rmdir $(INSTALL_SDK) $(INSTALL_ROOT)/lib/trustvisor $(INSTALL_ROOT)/include/trustvisor \
		$(INSTALL_ROOT)/libexec/trustvisor 2>/dev/null

# The application side without the module (selftests/userspace/): fake_dev.c
# answers the /dev/trustvisor ioctls inside the test process, with the µTPM
# itself, behind the linker's --wrap of open, close and ioctl; tvctl-fake
# is tvctl.c linked that way, so tvctl quote's files meet tpm2_checkquote.
USERSPACE_TEST_O := $(O)/selftests/userspace
TVCTL_FAKE := $(USERSPACE_TEST_O)/tvctl-fake
LIBTV_TEST := $(USERSPACE_TEST_O)/test_libtrustvisor
FAKE_DEV_LDFLAGS := -Wl,--wrap=open,--wrap=close,--wrap=ioctl
FAKE_DEV_DEPS := selftests/userspace/fake_dev.c selftests/userspace/fake_dev.h \
	$(LIBTV_O)/libtrustvisor.o $(LIBTV_O)/counters.o $(UTPM_DEPS) $(LIB_HOST_OBJS)
FAKE_DEV_LINK := selftests/userspace/fake_dev.c $(UTPM_SRCS) $(LIBTV_O)/libtrustvisor.o \
	$(LIBTV_O)/counters.o \
	$(LIB_HOST_OBJS)

$(TVCTL_FAKE): $(TVCTL_DEPS) $(TPM2_PCRS_O) $(FAKE_DEV_DEPS)
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) $(FAKE_DEV_LDFLAGS) -o $@ userspace/tvctl.c $(TPM2_PCRS_O) \
		$(FAKE_DEV_LINK)
$(LIBTV_TEST): selftests/userspace/test_libtrustvisor.c selftests/tap.h $(FAKE_DEV_DEPS)
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) $(FAKE_DEV_LDFLAGS) -o $@ $< $(FAKE_DEV_LINK) -lcrypto

UNIT_TESTS += $(LIBTV_TEST)
UNIT_CHECKS += selftests/userspace/tvctl.sh selftests/userspace/man.sh \
	selftests/userspace/verify.sh selftests/fuzz/run-evlog-fuzz.sh
check-unit: $(TVCTL) $(TVCTL_FAKE) $(TVCTL_TPM) $(EVLOG_FUZZER)
