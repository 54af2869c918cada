# SPDX-License-Identifier: GPL-2.0
# lib/: freestanding crypto and the monitor's TPM client, linked into the
# monitor image and into tests.
LIB_SRCS := $(wildcard lib/*.c)

# lib/ compiled for the host two ways, plain (unit tests) and ASan+UBSan, and
# with the monitor's flags plus TV_CT_VALGRIND for the valgrind constant-time
# check (below).  Other fragments may link LIB_HOST_OBJS / LIB_ASAN_OBJS.
LIB_SAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer
LIB_HOST_OBJS := $(patsubst %.c,$(O)/host/%.o,$(LIB_SRCS))
LIB_ASAN_OBJS := $(patsubst %.c,$(O)/asan/%.o,$(LIB_SRCS))
LIB_CT_OBJS := $(patsubst %.c,$(O)/ct/%.o,$(LIB_SRCS))

# Keep them: make would otherwise delete pattern-built objects after linking.
.SECONDARY: $(LIB_HOST_OBJS) $(LIB_ASAN_OBJS) $(LIB_CT_OBJS)

$(O)/host/lib/%.o: lib/%.c
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -MMD -c $< -o $@

$(O)/asan/lib/%.o: lib/%.c
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) $(LIB_SAN_FLAGS) -MMD -c $< -o $@

# Unit tests: selftests/lib/test_*.c, each linked with all of lib/ and OpenSSL
# (the differential reference), built plain and sanitized.
LIB_TEST_SRCS := $(wildcard selftests/lib/test_*.c)
LIB_TESTS := $(patsubst selftests/lib/%.c,$(O)/selftests/lib/%,$(LIB_TEST_SRCS))
LIB_ASAN_TESTS := $(patsubst selftests/lib/%.c,$(O)/asan/selftests/lib/%,$(LIB_TEST_SRCS))

$(O)/selftests/lib/test_%: selftests/lib/test_%.c $(LIB_HOST_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -MMD -MF $@.d -o $@ $< $(LIB_HOST_OBJS) -lcrypto

$(O)/asan/selftests/lib/test_%: selftests/lib/test_%.c $(LIB_ASAN_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) $(LIB_SAN_FLAGS) -MMD -MF $@.d -o $@ $< $(LIB_ASAN_OBJS) -lcrypto

UNIT_TESTS += $(LIB_TESTS) $(LIB_ASAN_TESTS)

# Constant-time check: selftests/lib/ct_*.c mark their secrets undefined and
# ct-check.sh runs each under memcheck, which then reports any branch or
# memory index that depends on them.
#
# What memcheck looks at must be the code that ships, so lib/ and utpm/ are
# compiled for it with the monitor's own MONITOR_CFLAGS (vmxroot/vmxroot.mk,
# included after this file: recipes expand it lazily), none dropped, plus
# -DTV_CT_VALGRIND, which only turns ct_declassify() into a client request.
# The driver programs use libc and stay host-compiled.  MONITOR_CFLAGS forces
# vmxroot/hidden.h, so every memcpy/memset/memmove/memcmp call is to a hidden
# symbol that libc.so cannot satisfy; the programs link the monitor's own
# lib/freestanding/string.c instead, as the image does.  (A static link would
# satisfy them from libc.a, but memcheck cannot intercept static glibc's
# allocator and string functions and reports its start-up code.)  utpm.mk is included
# later too, hence the wildcard rather than UTPM_SRCS.
LIB_CT_UTPM_OBJS := $(patsubst %.c,$(O)/ct/%.o,$(wildcard utpm/*.c))
LIB_CT_MEM_OBJ := $(O)/ct/lib/freestanding/string.o
LIB_CT_ALL_OBJS := $(LIB_CT_OBJS) $(LIB_CT_UTPM_OBJS) $(LIB_CT_MEM_OBJ)
.SECONDARY: $(LIB_CT_UTPM_OBJS) $(LIB_CT_MEM_OBJ)

# -nostdinc hides /usr/include, but lib/ct.c needs <valgrind/memcheck.h>,
# which itself needs only the compiler's <stdarg.h>: give it a directory that
# holds exactly those two valgrind headers and nothing of libc.
LIB_CT_VG_SRC ?= /usr/include/valgrind
LIB_CT_VG_HDRS := $(O)/ct/include/valgrind/memcheck.h $(O)/ct/include/valgrind/valgrind.h

$(O)/ct/include/valgrind/%.h: $(LIB_CT_VG_SRC)/%.h
	@mkdir -p $(dir $@)
	cp $< $@

LIB_CT_SRCS := $(wildcard selftests/lib/ct_*.c)
LIB_CT_PROGS := $(patsubst selftests/lib/%.c,$(O)/ct/selftests/lib/%,$(LIB_CT_SRCS))

# Negative controls, which ct-check.sh requires memcheck to flag: a host
# driver marking a byte with the same SECRET() as the ct_*.c programs, and
# two deliberate leaks compiled exactly like the code under test.
LIB_CT_NEG := $(O)/ct/selftests/lib/ctneg
LIB_CT_NEG_OBJ := $(O)/ct/selftests/lib/ctneg_leaks.o
.SECONDARY: $(LIB_CT_NEG_OBJ)

$(LIB_CT_ALL_OBJS) $(LIB_CT_NEG_OBJ): $(O)/ct/%.o: %.c lib/lib.mk vmxroot/vmxroot.mk \
		| $(LIB_CT_VG_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(MONITOR_CFLAGS) -DTV_CT_VALGRIND -isystem $(O)/ct/include -MMD -c $< -o $@

$(O)/ct/selftests/lib/ct_%: selftests/lib/ct_%.c $(LIB_CT_ALL_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -DTV_CT_VALGRIND -MMD -MF $@.d -o $@ $< $(LIB_CT_ALL_OBJS)

$(LIB_CT_NEG): selftests/lib/ctneg.c $(LIB_CT_NEG_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -MMD -MF $@.d -o $@ $< $(LIB_CT_NEG_OBJ)

UNIT_CHECKS += selftests/lib/ct-check.sh
check-unit: $(LIB_CT_PROGS) $(LIB_CT_NEG)

# lib/tpm2.c against a real TPM: selftests/lib/tpm2-swtpm.sh starts a swtpm
# and a salt key with tpm2-tools and runs this driver, sanitized.
LIB_TPM2_SWTPM := $(O)/asan/selftests/lib/tpm2_swtpm
$(LIB_TPM2_SWTPM): selftests/lib/tpm2_swtpm.c $(LIB_ASAN_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) $(LIB_SAN_FLAGS) -MMD -MF $@.d -o $@ $< $(LIB_ASAN_OBJS)

UNIT_CHECKS += selftests/lib/tpm2-swtpm.sh
check-unit: $(LIB_TPM2_SWTPM)

# The PAL image check (lib/pal_image.c), which the monitor decides with:
# selftests/lib/test_pal_image.c runs with the tests above; each rule broken
# in turn must fail it; and a libFuzzer target that checks what it accepts
# against the format's invariants (run by selftests/fuzz/run-pal-fuzz.sh).
LIB_PAL_FUZZER := $(O)/selftests/fuzz/fuzz_pal_image
LIB_FUZZ_CFLAGS := -g -O1 -std=gnu11 -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=all -I$(CURDIR) -I$(CURDIR)/include

$(LIB_PAL_FUZZER): selftests/fuzz/fuzz_pal_image.c lib/pal_image.c lib/pal_image.h lib/base.h \
		include/trustvisor/pal_abi.h
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(LIB_FUZZ_CFLAGS) -o $@ $< lib/pal_image.c

.PHONY: pal-fuzz
pal-fuzz: $(LIB_PAL_FUZZER)
	@selftests/fuzz/run-pal-fuzz.sh

UNIT_CHECKS += selftests/lib/pal_image_mutants.sh selftests/fuzz/run-pal-fuzz.sh
check-unit: $(LIB_PAL_FUZZER)

# Benchmarks (never part of check-unit): every selftests/bench/bench_*.c,
# run together so the table has one header.  lib/ is compiled for them with
# -mgeneral-regs-only, as in the monitor: the host compiler would otherwise
# vectorize it with SSE, which the monitor may not use, and flatter it.
LIB_BENCH_SRCS := $(wildcard selftests/bench/bench_*.c)
LIB_BENCH_PROGS := $(patsubst selftests/bench/%.c,$(O)/bench/%,$(LIB_BENCH_SRCS))
LIB_BENCH_OBJS := $(patsubst %.c,$(O)/bench/%.o,$(LIB_SRCS))
.SECONDARY: $(LIB_BENCH_OBJS)

$(O)/bench/lib/%.o: lib/%.c
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -O2 -mgeneral-regs-only -MMD -c $< -o $@

$(O)/bench/bench_%: selftests/bench/bench_%.c $(LIB_BENCH_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -O2 -MMD -MF $@.d -o $@ $< $(LIB_BENCH_OBJS) -lcrypto

bench-crypto: $(LIB_BENCH_PROGS)
	@selftests/bench/run.sh $(LIB_BENCH_PROGS)

-include $(LIB_HOST_OBJS:.o=.d) $(LIB_ASAN_OBJS:.o=.d) $(LIB_CT_ALL_OBJS:.o=.d) \
	$(LIB_BENCH_OBJS:.o=.d)
-include $(LIB_CT_NEG_OBJ:.o=.d) $(LIB_TPM2_SWTPM).d $(LIB_TPM2_FS_OBJS:.o=.d)
-include $(addsuffix .d,$(LIB_TESTS) $(LIB_ASAN_TESTS) $(LIB_CT_PROGS) $(LIB_CT_NEG) \
	$(LIB_BENCH_PROGS))
