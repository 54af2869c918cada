#!/usr/bin/env bash
# Boots one lane under Bochs (VMX with EPT, CPU model broadwell_ult), saves
# the serial console to $O/vm/<lane>.log and Bochs's own log to
# $O/vm/<lane>-bochs.log, and judges both.
# usage: run-bochs.sh LANE
# Environment: see scripts/vm-lib.sh, plus
#   TV_VM_CPUS     number of CPUs (default 2)
#   TV_VM_MEM      memory in MiB (default 512)
#   TV_VM_TIMEOUT  hard limit in seconds (default 1500)
#   TV_VM_APPEND   kernel command line (default: see below)
#   TV_VM_IPS      emulated instructions per guest second (default: see below)
set -euo pipefail
. "$(dirname "$0")/vm-lib.sh"

tv_lane_args "$@"
limit=${TV_VM_TIMEOUT:-1500}
# Reset lanes end when the machine has reset and booted again.
case "$lane" in reset-*) export TV_WATCH_REBOOT=1 ;; esac
cpus=${TV_VM_CPUS:-2}
mem=${TV_VM_MEM:-512}
# Emulated instructions per guest second: close to what Bochs really runs
# here, so guest time roughly follows wall time (with the default 4M, guest
# time ran ~4x too fast and the boot's W+X page-table check tripped the
# soft-lockup watchdog).  The tpm lane, and the demo, which ends with an
# attestation, run their TPM (swtpm, libtpms) in the guest, and the kernel
# allows a TPM's self-test 2 s (TPM2_CC_SELF_TEST is TPM_LONG in
# drivers/char/tpm/tpm2-cmd.c) when it registers the chip:
# libtpms's self-test is ~300 M instructions (RSA private-key tests on
# OpenSSL's generic code, OPENSSL_ia32cap=0), 15 s of guest time at 20 M,
# and the kernel drops the chip.  At 400 M it answers in under 1 s of guest
# time; guest time then runs ~20x slower than wall time while a CPU is busy
# (docs/testing.md, "The TPM in the tpm lane").
case $lane in
tpm | demo) ips_default=400000000 ;;
*) ips_default=20000000 ;;
esac
ips=${TV_VM_IPS:-$ips_default}
# Console on the serial port.  cryptomgr.notests skips the kernel's crypto
# self-tests (38 s of emulated time at boot under Bochs, see docs/testing.md);
# idle=halt because Bochs's MONITOR/MWAIT emulation misses wake-ups: with
# MWAIT idle a CPU offline took 0.1 to 4.4 s even with no module loaded, and
# once a 26 s stall tripped the soft-lockup watchdog; with HLT idle 36 of 36
# offline/online cycles took 0.09 s each (docs/testing.md).  Everything else
# is the stock default (PTI, mitigations, W+X check).
cmdline=${TV_VM_APPEND:-console=ttyS0,115200 cryptomgr.notests idle=halt}

mkdir -p "$TV_VMDIR"
initrd="$TV_VMDIR/$lane-bochs.cpio"
iso="$TV_VMDIR/$lane.iso"
log="$TV_VMDIR/$lane.log"
blog="$TV_VMDIR/$lane-bochs.log"
TV_EMULATOR=bochs "$TV_ROOT/scripts/mkinitramfs.sh" "$initrd" "$lane"
"$TV_ROOT/scripts/mkiso.sh" "$iso" "$kernel" "$initrd" "$cmdline"

tv_lock
t0=$SECONDS	# the wall-clock time excludes waiting for the lock
tmp=$(mktemp -d)
bochs_pid=""
cleanup() {
	tv_stop_echo
	[ -n "$bochs_pid" ] && kill -9 "$bochs_pid" 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The debugger build stops at a prompt unless told to continue.
printf 'c\nquit\n' >"$tmp/rc"
cat >"$tmp/bochsrc" <<EOF
memory: guest=$mem, host=$mem
cpu: model=broadwell_ult, count=$cpus, ips=$ips, reset_on_triple_fault=0
romimage: file=/usr/share/bochs/BIOS-bochs-latest
vgaromimage: file=/usr/share/vgabios/vgabios.bin
ata0: enabled=1, ioaddr1=0x1f0, ioaddr2=0x3f0, irq=14
ata0-master: type=cdrom, path="$iso", status=inserted
boot: cdrom
display_library: rfb, options="timeout=0"
com1: enabled=1, mode=file, dev="$log"
clock: sync=none, time0=local
mouse: enabled=0
log: $blog
panic: action=fatal
error: action=report
info: action=report
debug: action=ignore
EOF
cp "$tmp/bochsrc" "$TV_VMDIR/$lane.bochsrc"

: >"$log"
: >"$blog"	# a stale log from the last run would be judged
echo "run-bochs: booting lane $lane ($kernel, $cpus CPUs, $mem MiB, ips $ips, log $log)"
echo "run-bochs: kernel command line: $cmdline"
bochs -q -f "$tmp/bochsrc" -rc "$tmp/rc" </dev/null >"$TV_VMDIR/$lane-bochs.out" 2>&1 &
bochs_pid=$!
tv_start_echo "$log"

rc=0
tv_watch "$bochs_pid" "$log" "$limit" "$blog" || rc=$?
tv_stop "$bochs_pid"
bochs_pid=""
tv_stop_echo
tv_explain "$rc" "$log" bochs "$limit"
if [ "$rc" -ne 0 ]; then
	echo "run-bochs: last lines of the Bochs log $blog:" >&2
	grep -vE 'RDMSR: Unknown register|WRMSR: Unknown register|int13_harddisk' "$blog" |
		tail -n 15 | sed 's/^/  | /' >&2 || true
fi

judge=0
case "$lane" in
reset-*) "$TV_ROOT/scripts/check-reset-log.sh" "$log" "$blog" || judge=$? ;;
panic) "$TV_ROOT/scripts/check-panic-log.sh" "$log" "$blog" || judge=$? ;;
*) "$TV_ROOT/scripts/check-serial-log.sh" "$log" "$blog" || judge=$? ;;
esac
echo "run-bochs: lane $lane wall-clock $((SECONDS - t0)) s"
exit "$judge"
