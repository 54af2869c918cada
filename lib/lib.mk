# SPDX-License-Identifier: GPL-2.0
# lib/: freestanding crypto, linked into the monitor image and into tests.
LIB_SRCS := $(wildcard lib/*.c)

# lib/ compiled for the host, three ways: plain (unit tests, benchmarks),
# ASan+UBSan, and with TV_CT_VALGRIND for the valgrind constant-time check.
# Other fragments may link LIB_HOST_OBJS / LIB_ASAN_OBJS into their tests.
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

$(O)/ct/lib/%.o: lib/%.c
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -DTV_CT_VALGRIND -MMD -c $< -o $@

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
# memory index that depends on them.  Built like the code that ships (-O2).
LIB_CT_SRCS := $(wildcard selftests/lib/ct_*.c)
LIB_CT_PROGS := $(patsubst selftests/lib/%.c,$(O)/ct/selftests/lib/%,$(LIB_CT_SRCS))

$(O)/ct/selftests/lib/ct_%: selftests/lib/ct_%.c $(LIB_CT_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -DTV_CT_VALGRIND -MMD -MF $@.d -o $@ $< $(LIB_CT_OBJS)

UNIT_CHECKS += selftests/lib/ct-check.sh
check-unit: $(LIB_CT_PROGS)

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

-include $(LIB_HOST_OBJS:.o=.d) $(LIB_ASAN_OBJS:.o=.d) $(LIB_CT_OBJS:.o=.d) $(LIB_BENCH_OBJS:.o=.d)
-include $(addsuffix .d,$(LIB_TESTS) $(LIB_ASAN_TESTS) $(LIB_CT_PROGS) $(LIB_BENCH_PROGS))
