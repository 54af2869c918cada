# SPDX-License-Identifier: GPL-2.0
# Emulated-machine lanes (see docs/testing.md).  Each boots Debian's stock
# kernel with a busybox initramfs holding ./trustvisor.ko and $(O)/selftests/vm
# (built by vm-payload, see selftests/selftests.mk), runs
# /selftests/lane-<lane>.sh, saves the serial console to $(O)/vm/<lane>.log
# and judges it with scripts/check-serial-log.sh.

.PHONY: check-vm-novmx check-vm-vmx check-vm-pal check-vm-tpm check-vm-reset check-vm-reset-kbd demo bench

UNIT_CHECKS += scripts/check-serial-log.selftest.sh scripts/check-reset-log.selftest.sh

# QEMU TCG, no VMX, on an AMD and on an Intel CPU: the refusal paths (about
# 10 s each).
check-vm-novmx: module vm-payload
	O=$(O) scripts/run-qemu.sh novmx
	O=$(O) scripts/run-qemu.sh novmx-intel

# Bochs with VMX+EPT, 2 CPUs: the monitor really runs (several minutes);
# then a boot of its own for CPU hotplug under the monitor.
check-vm-vmx: module vm-payload
	O=$(O) scripts/run-bochs.sh vmx
	O=$(O) scripts/run-bochs.sh hotplug

# Bochs with VMX, 2 CPUs: PALs (load, call, faults, preemption, isolation).
check-vm-pal: module vm-payload
	O=$(O) scripts/run-bochs.sh pal

# Bochs with VMX, 2 CPUs: the running kernel has a real TPM 2.0 (swtpm
# behind the vTPM proxy, its state and attestation key made on the host):
# PCRs, quotes verified with the AK's PEM, a TPM reboot, the module loaded,
# the launch evidence, attest and verify, the kept secret over eight
# simulated reboots.  It takes about 8 min; the hard limit of 15 min keeps
# a hung run from eating the CI budget (docs/testing.md).
check-vm-tpm: module vm-payload
	O=$(O) TV_VM_TIMEOUT=$${TV_VM_TIMEOUT:-900} scripts/run-bochs.sh tpm

# Bochs, a run each: a reset Linux asks for (port 0xCF9; Linux's triple
# fault) with the monitor loaded must be trapped, wipe, then reset; a panic
# must make the machine leave the monitor (secrets first) through Linux's
# emergency callback.
check-vm-reset: module vm-payload
	O=$(O) scripts/run-bochs.sh reset-cf9
	O=$(O) TV_VM_CPUS=1 scripts/run-bochs.sh reset-triple-fault
	O=$(O) scripts/run-bochs.sh panic

# Not in check: the keyboard controller's reset (unit-tested in check-unit).
check-vm-reset-kbd: module vm-payload
	O=$(O) TV_VM_CPUS=1 scripts/run-bochs.sh reset-kbd

# Like check-vm-vmx, with the serial console shown live, and the tpm lane's
# TPM: it ends with tvctl attest and the verdict of tvctl verify.
demo: deps module vm-payload
	O=$(O) TV_VM_ECHO=1 scripts/run-bochs.sh demo

bench: module vm-payload
	O=$(O) scripts/run-bochs.sh bench
