# SPDX-License-Identifier: GPL-2.0
# userspace/sdk/: the PAL SDK (docs/pal-sdk.md).
#
# $(SDK_O) is laid out as an install prefix, so tvpal-cc, which finds its
# files relative to itself (BIN/../lib/trustvisor/sdk, BIN/../include),
# works from the build tree as it does installed:
#   bin/tvpal-cc
#   include/trustvisor/pal.h, pal_abi.h
#   include/trustvisor/pal_crypto.h
#   lib/trustvisor/sdk/pal_start.o   the runtime: entry stub and tv_exit
#   lib/trustvisor/sdk/string.o      the libc subset (lib/freestanding/string.c)
#   lib/trustvisor/sdk/libtvpal.a    the services' stubs and the crypto
#   lib/trustvisor/sdk/pal.lds       the layout
#   lib/trustvisor/sdk/tvpal-pack    ELF -> PAL image
# `make install` copies this tree.
SDK_O := $(O)/userspace/sdk
SDK_LIBDIR := $(SDK_O)/lib/trustvisor/sdk
TVPAL_CC := $(SDK_O)/bin/tvpal-cc
TVPAL_PACK := $(SDK_LIBDIR)/tvpal-pack
# Built with the sanitizers for the SDK test's hostile ELFs only.
TVPAL_PACK_ASAN := $(O)/asan/userspace/sdk/tvpal-pack

# The PAL's code generation, for the runtime here and (substituted into
# tvpal-cc) for every PAL: no libc, absolute addresses (the image is linked
# at TV_PAL_VA_BASE and nothing relocates it), no stack protector or unwind
# tables (no runtime behind them), no CET (the monitor does not enable it
# for PALs), and the ISA level the image header declares (TV_PAL_ISA_V3).
# Sections per function and object let the link drop what is unused.
# -nostdinc leaves only the compiler's own headers.  Two of GCC's still
# reach for libc's, so their guards are set: <limits.h> then defines every C
# limit itself, and <immintrin.h> skips <mm_malloc.h> (a PAL has no malloc).
PAL_CFLAGS := -ffreestanding -nostdinc -D_LIBC_LIMITS_H_ -D_MM_MALLOC_H_INCLUDED -fno-pie \
	-fno-stack-protector \
	-fno-asynchronous-unwind-tables -fcf-protection=none -march=x86-64-v3 -mtune=generic \
	-ffunction-sections -fdata-sections
# Static and at a fixed address; --orphan-handling=error: pal.lds must name
# every section, so nothing lands in the image unplanned.
PAL_LDFLAGS := -nostdlib -static -no-pie -Wl,--gc-sections -Wl,--orphan-handling=error \
	-Wl,-z,max-page-size=4096 -Wl,-z,norelro -Wl,-z,noexecstack -Wl,--build-id=none \
	-Wl,--no-undefined
PAL_ISYSTEM := -isystem $(shell $(CC) -print-file-name=include) -isystem $(CURDIR)/include

SDK_FILES := $(TVPAL_CC) $(TVPAL_PACK) $(SDK_LIBDIR)/pal_start.o $(SDK_LIBDIR)/string.o \
	$(SDK_LIBDIR)/pal.lds $(SDK_LIBDIR)/libtvpal.a $(SDK_O)/include/trustvisor/pal.h \
	$(SDK_O)/include/trustvisor/pal_abi.h $(SDK_O)/include/trustvisor/pal_crypto.h

$(SDK_LIBDIR)/pal_start.o: userspace/sdk/pal_start.S include/trustvisor/pal_abi.h \
		userspace/sdk/sdk.mk
	@mkdir -p $(dir $@)
	$(CC) $(PAL_CFLAGS) -O2 $(PAL_ISYSTEM) -c $< -o $@

# The compiler must not turn these loops back into calls to themselves.
$(SDK_LIBDIR)/string.o: lib/freestanding/string.c lib/freestanding/string.h lib/base.h \
		userspace/sdk/sdk.mk
	@mkdir -p $(dir $@)
	$(CC) $(PAL_CFLAGS) -O2 -fno-tree-loop-distribute-patterns -Wall -Wextra -Werror \
		$(PAL_ISYSTEM) -I$(CURDIR) -c $< -o $@

# libtvpal.a: what a PAL links only if it calls it.  pal_svc.o, the
# services' stubs (<trustvisor/pal.h>), and pal_crypto.o, the monitor's
# lib/ crypto built with the PAL flags behind <trustvisor/pal_crypto.h>.
# The crypto is compiled without vector registers (-mgeneral-regs-only),
# as the monitor compiles it, so a PAL runs the code generation the
# valgrind constant-time check examines rather than an auto-vectorised
# variant of it.  Its objects are combined into one (ld -r keeps each
# function in a section of its own, for --gc-sections) and every global
# but the tv_* API is made local, so lib/'s names (sha256, secure_wipe,
# ...) neither clash with a PAL's own nor become part of the SDK's API.
SDK_PAL_OBJ := $(O)/sdk-pal
SDK_CRYPTO_SRCS := lib/sha256.c lib/hmac.c lib/p256.c lib/ecdsa.c lib/ct.c \
	userspace/sdk/pal_crypto.c
SDK_CRYPTO_OBJS := $(patsubst %.c,$(SDK_PAL_OBJ)/%.o,$(SDK_CRYPTO_SRCS))
SDK_CRYPTO_API := tv_sha256 tv_hmac_sha256 tv_p256_keygen tv_ecdsa_p256_sign \
	tv_ecdsa_p256_verify tv_memeq_ct tv_wipe
.SECONDARY: $(SDK_CRYPTO_OBJS)

$(SDK_CRYPTO_OBJS): $(SDK_PAL_OBJ)/%.o: %.c userspace/sdk/sdk.mk
	@mkdir -p $(dir $@)
	$(CC) $(PAL_CFLAGS) -O2 -mgeneral-regs-only -Wall -Wextra -Werror $(PAL_ISYSTEM) \
		-I$(CURDIR) -MMD -c $< -o $@

$(SDK_PAL_OBJ)/pal_crypto.o: $(SDK_CRYPTO_OBJS)
	$(LD) -r -o $@.tmp $^
	objcopy $(addprefix --keep-global-symbol=,$(SDK_CRYPTO_API)) $@.tmp $@
	rm -f $@.tmp

$(SDK_PAL_OBJ)/pal_svc.o: userspace/sdk/pal_svc.S include/trustvisor/pal_abi.h \
		userspace/sdk/sdk.mk
	@mkdir -p $(dir $@)
	$(CC) $(PAL_CFLAGS) $(PAL_ISYSTEM) -c $< -o $@

$(SDK_LIBDIR)/libtvpal.a: $(SDK_PAL_OBJ)/pal_svc.o $(SDK_PAL_OBJ)/pal_crypto.o
	@mkdir -p $(dir $@)
	rm -f $@
	ar rcsD $@ $^

-include $(SDK_CRYPTO_OBJS:.o=.d)

$(SDK_LIBDIR)/pal.lds: userspace/sdk/pal.lds
	install -D -m 644 $< $@

$(SDK_O)/include/trustvisor/%.h: include/trustvisor/%.h
	install -D -m 644 $< $@

$(TVPAL_PACK): userspace/sdk/tvpal-pack.c lib/pal_image.c lib/pal_image.h lib/base.h \
		include/trustvisor/pal_abi.h
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -o $@ $< lib/pal_image.c

$(TVPAL_PACK_ASAN): userspace/sdk/tvpal-pack.c lib/pal_image.c lib/pal_image.h lib/base.h \
		include/trustvisor/pal_abi.h
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) $(LIB_SAN_FLAGS) -o $@ $< lib/pal_image.c

$(TVPAL_CC): userspace/sdk/tvpal-cc.in userspace/sdk/sdk.mk
	@mkdir -p $(dir $@)
	sed -e 's|@PAL_CFLAGS@|$(PAL_CFLAGS)|' -e 's|@PAL_LDFLAGS@|$(PAL_LDFLAGS)|' $< >$@.tmp
	chmod 755 $@.tmp
	mv $@.tmp $@

.PHONY: sdk
sdk: $(SDK_FILES)
userspace: sdk

# The SDK test (selftests/sdk/sdk.sh) installs into a temporary prefix and
# builds PALs with the installed tvpal-cc; pal_emu runs them in a process,
# set up as the monitor would.
SDK_EMU := $(O)/selftests/sdk/pal_emu
SDK_EMU_LIB := lib/pal_image.c lib/sha256.c lib/hmac.c lib/ct.c
$(SDK_EMU): selftests/sdk/pal_emu.c $(SDK_EMU_LIB) lib/pal_image.h lib/sha256.h lib/hmac.h \
		lib/ct.h lib/base.h include/trustvisor/pal_abi.h
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -o $@ $< $(SDK_EMU_LIB)

UNIT_CHECKS += selftests/sdk/sdk.sh
check-unit: $(SDK_FILES) $(SDK_EMU) $(TVPAL_PACK_ASAN) userspace
