# SPDX-License-Identifier: GPL-2.0
# utpm/: the per-PAL micro-TPM, linked into the monitor image and into tests.
UTPM_SRCS := $(wildcard utpm/*.c)

# Host programs link lib/'s host objects (lib/lib.mk), the utpm/ sources and
# OpenSSL, the independent reference.
UTPM_DEPS := $(UTPM_SRCS) $(wildcard utpm/*.h) selftests/tap.h selftests/utpm/common.h
UTPM_UNIT := $(O)/selftests/utpm/test_utpm
UTPM_UNIT_ASAN := $(O)/asan/selftests/utpm/test_utpm
UTPM_TOOL := $(O)/selftests/utpm/utpm_tool

$(O)/selftests/utpm/%: selftests/utpm/%.c $(UTPM_DEPS) $(LIB_HOST_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -o $@ $< $(UTPM_SRCS) $(LIB_HOST_OBJS) -lcrypto

$(UTPM_UNIT_ASAN): selftests/utpm/test_utpm.c $(UTPM_DEPS) $(LIB_ASAN_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) $(LIB_SAN_FLAGS) -o $@ $< $(UTPM_SRCS) $(LIB_ASAN_OBJS) -lcrypto

# libFuzzer targets for the parsers of outside input (sealed blobs, PCR
# selections); selftests/fuzz/run-utpm-fuzz.sh runs them for a bounded time.
UTPM_FUZZERS := $(O)/selftests/fuzz/fuzz_utpm_unseal $(O)/selftests/fuzz/fuzz_utpm_pcrsel \
	$(O)/selftests/fuzz/fuzz_utpm_table
FUZZ_CC ?= clang
UTPM_FUZZ_CFLAGS := -g -O1 -std=gnu11 -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=all -I$(CURDIR) -I$(CURDIR)/include

$(O)/selftests/fuzz/fuzz_utpm_%: selftests/fuzz/fuzz_utpm_%.c $(UTPM_DEPS) $(LIB_SRCS) \
		$(wildcard lib/*.h)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(UTPM_FUZZ_CFLAGS) -o $@ $< $(UTPM_SRCS) $(LIB_SRCS)

# The benchmark needs utpm/ too; this explicit rule wins over lib.mk's pattern.
$(O)/bench/bench_utpm: selftests/bench/bench_utpm.c selftests/bench/bench.h $(UTPM_DEPS) \
		$(LIB_HOST_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -O2 -o $@ $< $(UTPM_SRCS) $(LIB_HOST_OBJS) -lcrypto

.PHONY: utpm-fuzz
utpm-fuzz: $(UTPM_FUZZERS)
	@selftests/fuzz/run-utpm-fuzz.sh

UNIT_TESTS += $(UTPM_UNIT) $(UTPM_UNIT_ASAN)
UNIT_CHECKS += selftests/utpm/swtpm-pcrs.sh selftests/utpm/checkquote.sh \
	selftests/fuzz/run-utpm-fuzz.sh
# check-unit builds only UNIT_TESTS itself; the scripts above drive these.
check-unit: $(UTPM_TOOL) $(UTPM_FUZZERS)
