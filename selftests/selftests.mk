# SPDX-License-Identifier: GPL-2.0
# In-VM suites (selftests/vm) are built static to run from the busybox
# initramfs; `vm-payload` gathers them with the lane scripts, the test build
# of the module (trustvisor-test.ko) and both monitor images (vmxroot.bin,
# vmxroot-test.bin: to check measurements against) in $(O)/selftests/vm/.
# The initramfs holds the shipped module as /trustvisor.ko.
VM_O := $(O)/selftests/vm
VM_PROGS := tv_cpuid tv_status tv_workload tv_bench tv_ioport
VM_BINS := $(addprefix $(VM_O)/,$(VM_PROGS))
VM_SCRIPTS := $(wildcard selftests/vm/*.sh)

$(VM_O)/%: selftests/vm/%.c selftests/vm/tv_vm.h selftests/tap.h include/uapi/trustvisor.h
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -D_GNU_SOURCE -static -o $@ $< $(if $(filter tv_status,$*),lib/sha256.c lib/ct.c)

# tv_hostile.ko: hostile kernel operations under the monitor (selftests/kmod).
HOSTILE_MODULE := $(O)/test/hostile/tv_hostile.ko
$(HOSTILE_MODULE): selftests/kmod/tv_hostile.c selftests/kmod/Kbuild include/trustvisor/monitor.h | deps
	scripts/kbuild-out.sh $(KDIR) $(O)/test/hostile selftests/kmod/Kbuild \
		selftests/kmod/tv_hostile.c

.PHONY: vm-payload
vm-payload: $(VM_BINS) $(VMXROOT_BIN) $(VMXROOT_TEST_BIN) $(TEST_MODULE) $(HOSTILE_MODULE) \
		$(TVCTL)
	cp $(VM_SCRIPTS) $(VMXROOT_BIN) $(TVCTL) $(HOSTILE_MODULE) $(VM_O)/
	cp $(VMXROOT_TEST_BIN) $(VM_O)/vmxroot-test.bin
	cp $(TEST_MODULE) $(VM_O)/trustvisor-test.ko
	mkdir -p $(VM_O)/kvm
	cp /lib/modules/$(KVER)/kernel/virt/lib/irqbypass.ko \
		/lib/modules/$(KVER)/kernel/arch/x86/kvm/kvm.ko \
		/lib/modules/$(KVER)/kernel/arch/x86/kvm/kvm-intel.ko $(VM_O)/kvm/
