#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# With the module loaded, suspend and hibernation are refused.
. /selftests/lib.sh
quiet_console
echo "TAP version 13"
echo "1..1"
if echo freeze > /sys/power/state 2>/tmp/pm.err; then
	tap FAIL "suspend-to-idle was not refused"
else
	dmesg | grep -q 'trustvisor: refusing suspend' \
		&& tap OK "suspend refused while loaded: $(cat /tmp/pm.err)" \
		|| tap FAIL "suspend failed, but not by our refusal: $(cat /tmp/pm.err)"
fi
exit $tap_failed
