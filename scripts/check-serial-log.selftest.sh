#!/usr/bin/env bash
# Self-test of scripts/check-serial-log.sh on small crafted logs; prints TAP.
# Each bad log must be rejected, each good log accepted.
set -euo pipefail

judge="$(cd "$(dirname "$0")" && pwd)/check-serial-log.sh"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

# A clean boot, as the stock kernel prints it under Bochs (with the harmless
# RETBleed line and the command line naming panic=-1).
good_boot=$'[    0.000000] Linux version 6.1.0-56-amd64\r
[    0.000000] Command line: console=ttyS0,115200 panic=-1\r
[    0.104796] Kernel command line: console=ttyS0,115200 panic=-1\r
[    0.262361] RETBleed: WARNING: Spectre v2 mitigation leaves CPU vulnerable to RETBleed attacks, data leaks possible!\r
TV-LANE-BEGIN lane=test uptime=2.01\r
1..2\r
ok 1 - loads\r
ok 2 - does not panic on bad ioctl # SKIP no tpm\r
# checking that a PAL fault gives no Oops\r'
end_ok=$'TV-LANE-END rc=0\r'

n=0 failed=0
# usage: expect accept|reject NAME LOG_TEXT [EMULATOR_LOG_TEXT]
expect() {
	local want=$1 name=$2 text=$3 emu=${4-} args got out
	local mention=${MENTION:-}
	n=$((n + 1))
	printf '%s\n' "$text" >"$dir/t$n.log"
	args=("$dir/t$n.log")
	if [ $# -ge 4 ]; then
		printf '%s\n' "$emu" >"$dir/t$n-emu.log"
		args+=("$dir/t$n-emu.log")
	fi
	got=accept
	out=$(TV_LANE=test "$judge" "${args[@]}" 2>&1) || got=reject
	if [ "$got" = "$want" ] && grep -qE '^test: [0-9]+ passed, [0-9]+ failed, [0-9]+ skipped$' <<<"$out" &&
		{ [ -z "$mention" ] || grep -qF -- "$mention" <<<"$out"; }; then
		echo "ok $n - $want: $name"
	else
		echo "not ok $n - $want: $name (judge said $got)"
		sed 's/^/# /' <<<"$out"
		failed=$((failed + 1))
	fi
}

bad_line() { # usage: bad_line NAME LINE: a good log with LINE in the boot;
	# the judge must print the offending line.
	MENTION=$2 expect reject "$1" "$good_boot"$'\n'"$2"$'\n'"$end_ok"
}

echo "1..28"
expect accept "clean boot, RETBleed warning, TAP skip and comments" "$good_boot"$'\n'"$end_ok"
expect accept "clean boot with a clean emulator log" "$good_boot"$'\n'"$end_ok" \
	$'00041112078e[CPU0  ] RDMSR: Unknown register 0x1a0\n06853720830p[ACPI  ] >>PANIC<< ACPI control: soft power off'
bad_line "oops" "[   12.1] Oops: 0000 [#1] PREEMPT SMP NOPTI"
bad_line "BUG" "[   12.1] BUG: kernel NULL pointer dereference, address: 0000000000000008"
bad_line "kernel warning" "[   12.1] WARNING: CPU: 1 PID: 77 at kmod/main.c:12 tv_init+0x1/0x2 [trustvisor]"
bad_line "general protection fault" "[   12.1] general protection fault, probably for non-canonical address 0xdead: 0000 [#1]"
bad_line "kernel panic" "[   12.1] Kernel panic - not syncing: Fatal exception"
bad_line "bare panic" "[   12.1] trustvisor: monitor panic: bad VMCS"
bad_line "soft lockup" "[   40.1] watchdog: BUG: soft lockup - CPU#0 stuck for 26s! [insmod:70]"
bad_line "hard lockup" "[   40.1] NMI watchdog: Watchdog detected hard LOCKUP on cpu 1"
bad_line "rcu stall" "[   40.1] rcu: INFO: rcu_sched self-detected stall on CPU"
bad_line "rcu preempt stall" "[   40.1] rcu: INFO: rcu_preempt detected stalls on CPUs/tasks:"
bad_line "hung task" "[  240.1] INFO: task insmod:70 blocked for more than 120 seconds."
bad_line "call trace" "[   12.1] Call Trace:"
bad_line "triple fault on the console" "tv-init: triple fault"
bad_line "fatal monitor line (monitor COM1)" "trustvisor: FATAL: CPU 1: guest stopped: unhandled exit (exit reason 62, qualification 0)"
bad_line "fatal monitor line (kernel log)" "[   12.1] trustvisor: FATAL: CPU 0: VMWRITE of field 4002 failed (VM-instruction error 12) in setup_controls"
expect reject "triple fault in the emulator log" "$good_boot"$'\n'"$end_ok" \
	"00123456789p[CPU0  ] >>PANIC<< exception(): 3rd (13) exception with no resolution"
expect reject "emulator panic" "$good_boot"$'\n'"$end_ok" \
	"00123456789p[CPU1  ] >>PANIC<< VMX: bad VMCS field"
expect reject "missing TV-LANE-END" "$good_boot"
expect reject "lane script failed" "$good_boot"$'\n'"TV-LANE-END rc=1"
expect reject "lane script missing" "$good_boot"$'\n'"TV-LANE-END rc=127"
bad_line "a not ok test" "not ok 3 - pal seal round trip"
bad_line "an indented not ok subtest" "    not ok 1 - subtest"
bad_line "a not ok without a number" "not ok - insmod failed"
expect accept "an expectation after the lane end, met" "$good_boot"$'\nTV-EXPECT-AFTER-END: machine given back\n'"$end_ok"$'\n[ 99.1] trustvisor: machine given back (reboot)'
MENTION="expected after the lane end" expect reject "an expectation after the lane end, not met" \
	"$good_boot"$'\nTV-EXPECT-AFTER-END: machine given back\n[ 9.1] machine given back\n'"$end_ok"
MENTION="test: 2 passed, 0 failed, 1 skipped" expect accept "ok lines without numbers count" \
	"$good_boot"$'\n'"ok - unnumbered"$'\n'"$end_ok"

[ "$failed" -eq 0 ]
