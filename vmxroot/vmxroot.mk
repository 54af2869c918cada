# SPDX-License-Identifier: GPL-2.0
#
# The monitor image: vmxroot/, lib/ and utpm/ compiled freestanding and linked
# with vmxroot/vmxroot.lds into one position-independent image with no
# undefined symbols and no run-time relocations, then flattened to
# build/vmxroot/vmxroot.bin, which the module embeds and measures.

VMXROOT_O := $(O)/vmxroot
VMXROOT_BIN := $(VMXROOT_O)/vmxroot.bin
VMXROOT_ELF := $(VMXROOT_O)/vmxroot.elf

# No libc, no Linux headers (only the compiler's freestanding ones), no
# SSE/x87 state (the guest's is live), no red zone (we take NMIs on our stack).
MONITOR_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror \
	-ffreestanding -nostdinc -isystem $(shell $(CC) -print-file-name=include) \
	-fno-builtin-printf -fpie -include $(CURDIR)/vmxroot/hidden.h \
	-fno-stack-protector -fno-asynchronous-unwind-tables -fno-jump-tables \
	-fcf-protection=branch -mno-red-zone -mgeneral-regs-only -mno-mmx -mno-sse \
	-mno-sse2 -mno-avx -mno-80387 -mno-3dnow \
	-I$(CURDIR) -I$(CURDIR)/include -DTV_MONITOR
MONITOR_LDFLAGS := -nostdlib -static -pie --no-dynamic-linker -z text -z noexecstack \
	-z max-page-size=4096 --no-undefined --build-id=none

VMXROOT_SRCS := $(wildcard vmxroot/*.c vmxroot/*.S)
MONITOR_SRCS := $(VMXROOT_SRCS) $(LIB_SRCS) $(UTPM_SRCS) lib/freestanding/string.c

# One image per variant: $(1) output directory, $(2) extra compiler flags.
# The shipped image has no test scaffolding; the test image (TV_SELFTEST)
# adds the selftest-only hypercalls the in-VM suites use.
define monitor_image
$(1)/%.c.o: %.c vmxroot/vmxroot.mk
	@mkdir -p $$(dir $$@)
	$$(CC) $$(MONITOR_CFLAGS) $(2) -MMD -c $$< -o $$@

$(1)/%.S.o: %.S vmxroot/vmxroot.mk
	@mkdir -p $$(dir $$@)
	$$(CC) $$(MONITOR_CFLAGS) $(2) -D__ASSEMBLY__ -MMD -c $$< -o $$@

$(1)/vmxroot.elf: $(patsubst %,$(1)/%.o,$(MONITOR_SRCS)) vmxroot/vmxroot.lds
	$$(LD) $$(MONITOR_LDFLAGS) -T vmxroot/vmxroot.lds -Map=$$@.map -o $$@ \
		$(patsubst %,$(1)/%.o,$(MONITOR_SRCS))
	@scripts/check-monitor-image.sh $$@

$(1)/vmxroot.bin: $(1)/vmxroot.elf
	objcopy -O binary $$< $$@.tmp
	@scripts/check-monitor-image.sh $$< $$@.tmp
	mv $$@.tmp $$@

-include $(patsubst %,$(1)/%.d,$(MONITOR_SRCS))
endef

VMXROOT_TEST_BIN := $(O)/test/vmxroot/vmxroot.bin
$(eval $(call monitor_image,$(VMXROOT_O),))
$(eval $(call monitor_image,$(O)/test/vmxroot,-DTV_SELFTEST))

.PHONY: monitor freestanding-check
monitor: $(VMXROOT_BIN) $(VMXROOT_TEST_BIN)

# Compiles lib/ and utpm/ with the monitor's flags and links them alone: fails
# on any symbol they need that the monitor does not provide itself.
FREESTANDING_OBJS := $(patsubst %,$(VMXROOT_O)/%.o,$(LIB_SRCS) $(UTPM_SRCS))
freestanding-check: $(FREESTANDING_OBJS)
	@$(LD) -r -o $(VMXROOT_O)/freestanding.o $(FREESTANDING_OBJS)
	@undef=$$(nm -u $(VMXROOT_O)/freestanding.o | awk '{print $$2}' | \
		grep -vxE 'memcpy|memset|memmove|memcmp' || true); \
	if [ -n "$$undef" ]; then echo "freestanding-check: undefined: $$undef"; exit 1; fi; \
	echo "freestanding-check: lib/ and utpm/ need nothing outside themselves"

# Monitor logic that needs no VMX, tested in userspace with faked MSRs/CPUID.
MONITOR_UNIT := $(O)/selftests/vmxroot/test_monitor
$(MONITOR_UNIT): selftests/vmxroot/test_monitor.c $(wildcard vmxroot/*.c vmxroot/*.h) selftests/tap.h
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -DTV_HOST_TEST -Wno-unused-function -fsanitize=address,undefined \
		-fno-sanitize-recover=all -o $@ $<
UNIT_TESTS += $(MONITOR_UNIT)
# Each rule those tests name, deleted in turn: the tests must fail.
UNIT_CHECKS += selftests/vmxroot/mutants.sh
