#!/usr/bin/env bash
# Boots one lane under QEMU TCG (no VMX: the CPU model has none), saves the
# serial console to $O/vm/<lane>.log and judges it.
# usage: run-qemu.sh LANE
# Environment: see scripts/vm-lib.sh, plus
#   TV_SWTPM=1      attach a software TPM 2.0 (swtpm) as tpm-tis (/dev/tpm0)
#   TV_VM_CPUS      number of CPUs (default 2)
#   TV_VM_MEM       memory (default 512M)
#   TV_VM_TIMEOUT   hard limit in seconds (default 300)
#   TV_QEMU_CPU     the -cpu model (default: by lane, see below)
set -euo pipefail
. "$(dirname "$0")/vm-lib.sh"

tv_lane_args "$@"
limit=${TV_VM_TIMEOUT:-300}
# TCG's own "max" CPU is an AMD one; novmx-intel runs a named Intel model
# with VMX removed, so the module's refusal comes from the VMX bit, not the
# vendor.  ("max,vendor=GenuineIntel" boots, but glibc's static start-up in
# busybox aborts on that mix of an Intel vendor and AMD-style leaves.)
case "$lane" in
novmx-intel) cpu=${TV_QEMU_CPU:-Westmere,-vmx} ;;
*) cpu=${TV_QEMU_CPU:-max,-vmx} ;;
esac

mkdir -p "$TV_VMDIR"
initrd="$TV_VMDIR/$lane-qemu.cpio"
log="$TV_VMDIR/$lane.log"
TV_EMULATOR=qemu "$TV_ROOT/scripts/mkinitramfs.sh" "$initrd" "$lane"

tv_lock
t0=$SECONDS	# the wall-clock time excludes waiting for the lock
tmp=$(mktemp -d)
qemu_pid="" swtpm_pid=""
cleanup() {
	tv_stop_echo
	[ -n "$qemu_pid" ] && kill -9 "$qemu_pid" 2>/dev/null || true
	[ -n "$swtpm_pid" ] && kill "$swtpm_pid" 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

tpm_args=()
if [ "${TV_SWTPM:-0}" = 1 ]; then
	mkdir -p "$tmp/tpm"
	swtpm socket --tpm2 --tpmstate dir="$tmp/tpm" \
		--ctrl type=unixio,path="$tmp/swtpm-sock" \
		--flags startup-clear --log file="$TV_VMDIR/$lane-swtpm.log" &
	swtpm_pid=$!
	for _ in $(seq 50); do [ -S "$tmp/swtpm-sock" ] && break; sleep 0.1; done
	if [ ! -S "$tmp/swtpm-sock" ]; then
		echo "run-qemu: swtpm did not create its socket" >&2
		exit 1
	fi
	tpm_args=(-chardev "socket,id=chrtpm,path=$tmp/swtpm-sock"
		-tpmdev emulator,id=tpm0,chardev=chrtpm -device tpm-tis,tpmdev=tpm0)
	echo "run-qemu: software TPM 2.0 attached (swtpm pid $swtpm_pid)"
fi

: >"$log"
echo "run-qemu: booting lane $lane ($kernel, CPU $cpu x ${TV_VM_CPUS:-2}, log $log)"
qemu-system-x86_64 -accel tcg -cpu "$cpu" -smp "${TV_VM_CPUS:-2}" -m "${TV_VM_MEM:-512M}" \
	-kernel "$kernel" -initrd "$initrd" \
	-append "console=ttyS0,115200 panic=-1" \
	-display none -monitor none -serial "file:$log" -no-reboot \
	"${tpm_args[@]}" </dev/null >"$TV_VMDIR/$lane-qemu.out" 2>&1 &
qemu_pid=$!
tv_start_echo "$log"

rc=0
tv_watch "$qemu_pid" "$log" "$limit" || rc=$?
tv_stop "$qemu_pid"
qemu_pid=""
tv_stop_echo
tv_explain "$rc" "$log" qemu "$limit"
if [ -s "$TV_VMDIR/$lane-qemu.out" ]; then
	echo "run-qemu: qemu said:" && sed 's/^/  | /' "$TV_VMDIR/$lane-qemu.out"
fi

judge=0
"$TV_ROOT/scripts/check-serial-log.sh" "$log" || judge=$?
echo "run-qemu: lane $lane wall-clock $((SECONDS - t0)) s"
exit "$judge"
