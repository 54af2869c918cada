#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The PAL lane (Bochs, 2 CPUs): PALs load, run, fault and die under the
# monitor while Linux goes on; then rmmod gives every CPU back.
. /selftests/lib.sh
quiet_console
insmod $S/trustvisor-test.ko || { echo "not ok - insmod"; dmesg | tail -20; exit 1; }
run $S/tv_pal $S/pals
echo "# === tvctl run, as a user would"
out=$($S/tvctl run $S/pals/hello.pal --cmd 41 --out /tmp/hello.out 2>&1)
if echo "$out" | grep -qx 'status 42' && [ "$(cat /tmp/hello.out)" = "hello from the PAL" ]; then
	echo "ok - tvctl run hello.pal --cmd 41: status 42, its greeting in --out"
else
	echo "not ok - tvctl run hello.pal: $out"
	suite_failed=1
fi
echo "# === tvctl quote, checked by tpm2_checkquote alone"
nonce=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
head -c 32 /dev/zero | tr '\0' 'x' >/tmp/x32
if $S/tvctl quote $S/pals/services.pal --cmd 6 --in /tmp/x32 --nonce $nonce --pcrs 0,1 \
	--out /tmp/q >/tmp/q.log 2>&1 &&
	tpm2_checkquote -u /tmp/q/ak.pem -m /tmp/q/attest.bin -s /tmp/q/sig.bin \
		-f /tmp/q/pcrs.bin -g sha256 -q $nonce >/tmp/cq.log 2>&1; then
	echo "ok - tvctl quote services.pal --pcrs 0,1: tpm2_checkquote verifies it"
else
	echo "not ok - tvctl quote / tpm2_checkquote: $(cat /tmp/q.log /tmp/cq.log | tail -3)"
	suite_failed=1
fi
other=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
if ! tpm2_checkquote -u /tmp/q/ak.pem -m /tmp/q/attest.bin -s /tmp/q/sig.bin \
	-f /tmp/q/pcrs.bin -g sha256 -q $other >/dev/null 2>&1 &&
	$S/tvctl pubkey | cmp -s - /tmp/q/ak.pem; then
	echo "ok - the quote fails tpm2_checkquote with another nonce; ak.pem is tvctl pubkey"
else
	echo "not ok - a quote verified with another nonce, or ak.pem differs from tvctl pubkey"
	suite_failed=1
fi
echo "# === the examples (userspace/examples), as a user runs them"
TV_EXAMPLES_RELOAD=$S/trustvisor-test.ko run $S/examples.sh
want=$($S/tvctl measure $S/pals/hello.pal)
if $S/tvctl status | grep -q 'PALs'; then
	echo "ok - tvctl status shows the PALs; tvctl measure: $want"
else
	echo "not ok - tvctl status: no PAL line"
	suite_failed=1
fi
echo "# === a PAL's block is charged to its caller's memory cgroup"
cg=/sys/fs/cgroup
if mkdir -p $cg && mount -t cgroup2 none $cg 2>/dev/null &&
	echo +memory >$cg/cgroup.subtree_control && mkdir $cg/small $cg/big &&
	echo 1M >$cg/small/memory.max && echo 64M >$cg/big/memory.max; then
	out=$(sh -c "echo \$\$ >$cg/small/cgroup.procs && exec $S/tvctl run $S/pals/hello.pal" 2>&1)
	if [ $? -ne 0 ] && echo "$out" | grep -qi 'cannot allocate memory'; then
		echo "ok - a load in a cgroup with memory.max 1M is refused: $out"
	else
		echo "not ok - a load past memory.max: $out"
		suite_failed=1
	fi
	sh -c "echo \$\$ >$cg/big/cgroup.procs && exec $S/tvctl run $S/pals/loop.pal" >/dev/null 2>&1 &
	looper=$!
	sleep 2
	during=$(cat $cg/big/memory.current)
	kill -9 $looper
	wait $looper 2>/dev/null
	after=$(cat $cg/big/memory.current)
	if [ "$during" -ge $((2 * 1024 * 1024)) ] && [ "$after" -lt $((2 * 1024 * 1024)) ]; then
		echo "ok - memory.current is $during while a PAL runs, $after after it was killed"
	else
		echo "not ok - memory.current $during during a PAL, $after after"
		suite_failed=1
	fi
else
	echo "not ok - cannot set up cgroup2 memory limits"
	suite_failed=1
fi
echo "# === the module's and the monitor's log lines"
dmesg | grep trustvisor | tail -30
rmmod trustvisor || suite_failed=1
if dmesg | tail -5 | grep -q 'unloaded: every CPU given back'; then
	echo "ok - rmmod after the PAL suites: every CPU given back"
else
	echo "not ok - rmmod: $(dmesg | tail -3 | tr '\n' ' ')"
	suite_failed=1
fi
# The power-off after the lane runs with a PAL in the middle of a call on
# one CPU: the reboot notifier's leave must pull that CPU out of the PAL,
# wipe it, and give every CPU back (the judge checks the line).
if insmod $S/trustvisor-test.ko; then
	$S/tvctl run $S/pals/loop.pal >/dev/null 2>&1 &
	sleep 2
	if $S/tvctl status | grep -q 'PALs loaded *1/'; then
		echo "ok - a looping PAL runs as the machine powers off"
	else
		echo "not ok - the looping PAL is not loaded: $($S/tvctl status | grep PALs)"
		suite_failed=1
	fi
	echo "TV-EXPECT-AFTER-END: trustvisor: every CPU has left the monitor (reboot)"
else
	echo "not ok - insmod before the power-off"
	suite_failed=1
fi
exit $suite_failed
