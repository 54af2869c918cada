#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Judges the serial log of the panic lane (selftests/vm/lane-panic.sh): TAP,
# failing unless, in this order, the monitor was loaded natively, Linux was
# made to panic (TV-PANIC), the monitor logged that the machine leaves it
# from Linux's crash path, destroyed its secrets, and the panic message
# followed; and unless no fatal monitor line shows.
# usage: check-panic-log.sh SERIAL_LOG [EMULATOR_LOG]
set -uo pipefail
log=$1
. "$(dirname "$0")/log-steps.sh"
echo "TAP version 13"
echo "1..6"
b=$(after 'TV-BOOT-CHECK: [0-9]+ ok, 0 not ok' -1)
point "$([ "$b" -gt 0 ] && echo 1)" "no monitor before the module is loaded"
p=$(after 'TV-PANIC:' "$b")
point "$([ "$p" -gt 0 ] && echo 1)" "the monitor loaded, then Linux was made to panic"
l=$(after "trustvisor: CPU [0-9]+: the machine leaves the monitor \\(Linux's crash or emergency path\\)" "$p")
point "$([ "$l" -gt 0 ] && echo 1)" "the crash path made the machine leave the monitor"
w=$(after 'trustvisor: CPU [0-9]+: secrets destroyed; every CPU leaves the monitor' "$l")
point "$([ "$w" -gt 0 ] && echo 1)" "the secrets were destroyed, then every CPU left"
k=$(after 'Kernel panic - not syncing' "$p")
point "$([ "$k" -gt 0 ] && echo 1)" "Linux's panic went on"
point "$(grep -q 'trustvisor: FATAL:' <<<"$text" || echo 1)" "no fatal monitor line"
summary
