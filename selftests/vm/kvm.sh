#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# VMX has one owner.  kvm_intel loaded first: insmod refuses with EBUSY and
# says why.  The monitor loaded first: kvm_intel cannot load (it finds no VMX)
# and every CPU stays under the monitor.  Needs the stock kvm modules in
# $S/kvm/ (vm-payload copies them).
# usage: kvm.sh MODULE
. /selftests/lib.sh
quiet_console
module=$1
echo "TAP version 13"
echo "1..5"
kvm_up() {
	insmod $S/kvm/irqbypass.ko 2>/dev/null
	insmod $S/kvm/kvm.ko 2>/dev/null
	insmod $S/kvm/kvm-intel.ko 2>/tmp/kvm.err
}
kvm_down() {
	rmmod kvm_intel 2>/dev/null; rmmod kvm 2>/dev/null; rmmod irqbypass 2>/dev/null
}
if kvm_up; then
	out=$(insmod "$module" 2>&1); rc=$?
	[ $rc -ne 0 ] && echo "$out" | grep -q 'Device or resource busy' && ! grep -q '^trustvisor ' /proc/modules \
		&& tap OK "kvm_intel loaded first: insmod refused with EBUSY" \
		|| tap FAIL "kvm_intel loaded first: insmod rc $rc: $out"
	dmesg | grep -q 'trustvisor: refusing to load: VMX is owned by another hypervisor' \
		&& tap OK "the log says VMX is owned by another hypervisor" \
		|| tap FAIL "no 'owned by another hypervisor' line"
	kvm_down
else
	tap OK "kvm_intel first # SKIP kvm_intel does not load natively here: $(cat /tmp/kvm.err)"
	tap OK "the EBUSY line # SKIP as above"
	kvm_down
fi
insmod "$module" || { tap FAIL "insmod after kvm_intel is gone"; exit 1; }
if kvm_up; then
	tap FAIL "the monitor loaded first: kvm_intel loaded anyway"
	kvm_down
else
	tap OK "the monitor loaded first: kvm_intel refuses to load ($(cat /tmp/kvm.err))"
fi
dmesg | grep 'kvm' | tail -3 | sed 's/^/# /'
$S/tv_cpuid present > /tmp/kvm.out 2>&1 && tap OK "every CPU still under the monitor" \
	|| { cat /tmp/kvm.out; tap FAIL "a CPU left the monitor after kvm_intel's attempt"; }
rmmod trustvisor && tap OK "rmmod after it" || tap FAIL "rmmod"
kvm_down
exit $tap_failed
