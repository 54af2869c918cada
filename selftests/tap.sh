# SPDX-License-Identifier: GPL-2.0
# TAP helpers for the shell test scripts (sourced): ok STATUS DESCRIPTION
# records a point from a command's exit status; bail stops the suite.
n=0
ok() {
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then echo "ok $n $2"; else echo "not ok $n $2"; fi
}
bail() {
	echo "not ok $((n + 1)) $1"
	echo "Bail out! $1"
	exit 1
}
