# SPDX-License-Identifier: GPL-2.0
# In-VM suites (selftests/vm) are built static to run from the busybox
# initramfs; `vm-payload` gathers them with the lane scripts and the monitor
# image (to check the measurement against) in $(O)/selftests/vm/.
VM_O := $(O)/selftests/vm
VM_PROGS := tv_cpuid tv_status tv_workload tv_bench
VM_BINS := $(addprefix $(VM_O)/,$(VM_PROGS))
VM_SCRIPTS := $(wildcard selftests/vm/*.sh)

$(VM_O)/%: selftests/vm/%.c selftests/vm/tv_vm.h selftests/tap.h include/uapi/trustvisor.h
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -D_GNU_SOURCE -static -o $@ $< $(if $(filter tv_status,$*),lib/sha256.c lib/ct.c)

.PHONY: vm-payload
vm-payload: $(VM_BINS) $(VMXROOT_BIN) $(TVCTL)
	cp $(VM_SCRIPTS) $(VMXROOT_BIN) $(TVCTL) $(VM_O)/
