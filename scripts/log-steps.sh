# SPDX-License-Identifier: GPL-2.0
# Shared by the judges of lanes that end in a reset or a panic: TAP points
# over a serial log whose steps must come in order.  Sourced, never run.
# The caller sets `log` (the serial log's path); an unreadable log fails
# the lane here.  The judge ends with `summary`, its exit status.
lane=${TV_LANE:-$(basename "$log" .log)}
text=$(tr -d '\r' <"$log" 2>/dev/null) || { echo "$lane: 0 passed, 1 failed, 0 skipped"; exit 1; }
n=0 fail=0
point() {	# point OK DESCRIPTION: OK is 1 for a pass, anything else fails
	n=$((n + 1))
	if [ "$1" = 1 ]; then echo "ok $n $2"; else echo "not ok $n $2"; fail=$((fail + 1)); fi
}
# Line number of the first line matching ERE $1 after line $2 (0 if none);
# 0 also when $2 is 0, i.e. the step before was not seen: the steps must
# happen in order.  The first step searches from the top (line -1).
after() {
	[ "$2" -eq 0 ] && { echo 0; return; }
	awk -v re="$1" -v from="$2" 'NR > from && $0 ~ re { print NR; found = 1; exit } END { if (!found) print 0 }' <<<"$text"
}
line_of() {	# line_of N: line N of the log, nothing for 0
	[ "$1" -gt 0 ] && sed -n "${1}p" <<<"$text"
}
summary() {	# the lane's count line; fails if any point failed
	echo "$lane: $((n - fail)) passed, $fail failed, 0 skipped"
	[ "$fail" -eq 0 ]
}
