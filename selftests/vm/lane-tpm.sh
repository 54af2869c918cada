#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The tpm lane (Bochs, 2 CPUs): the running kernel gets a real TPM 2.0
# (swtpm in the guest behind the kernel's vTPM proxy, on a state prepared
# on the host with a persistent attestation key; selftests/vm/tpm.sh), and
# the suites use it as a hardware TPM.
. /selftests/lib.sh
quiet_console
run $S/tpm-smoke.sh
run $S/evidence.sh
run $S/attest.sh
run $S/sealed.sh
run $S/nvcounter.sh
exit $suite_failed
