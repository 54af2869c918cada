#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Runs the kernel's kselftest runner, unchanged, on the tree installed in
# /selftests/kselftest (see selftests/selftests.mk):
#   ksft.sh RUN_KSELFTEST_ARGS...     e.g. ksft.sh -t trustvisor:tv_cpuid
# The runner prints its own TAP ("ok N selftests: trustvisor: tv_cpuid", or
# "not ok ..."), with each test's output under it as "# " lines.  Its exit
# status is that of its last command, not of the tests, so this script
# fails unless every test the runner planned reported "ok".
#
# Two things the runner expects of a full userspace that the busybox
# initramfs lacks are provided here, not patched into its scripts:
#  - runner.sh sends the tests' output to /dev/stdout, which devtmpfs does
#    not create (udev does on a normal system): without the link, a regular
#    file /dev/stdout swallows it all.
#  - runner.sh runs each test as "/usr/bin/timeout --foreground SECS ...",
#    and busybox's timeout has no --foreground: it refuses, and every test
#    fails with exit=1.  busybox's timeout never moves the test out of the
#    foreground anyway, so in a mount namespace of our own /usr gets a
#    tmpfs whose bin/timeout drops the option and runs busybox's.  (/bin
#    and PATH stay as they are; /usr/bin is a link to /bin here, which is
#    why it cannot simply be shadowed in place.)  Unlike GNU's, busybox's
#    timeout signals the test alone, not its process group: a timed-out
#    test is reported as exit=143 (SIGTERM), and its children, if any, run
#    on until they exit.

if [ "$1" = --in-namespace ]; then
	shift
	mount -t tmpfs -o mode=0755 ksft-usr /usr || exit 1
	mkdir /usr/bin || exit 1
	cat >/usr/bin/timeout <<'EOF'
#!/bin/sh
[ "$1" = --foreground ] && shift
exec /bin/timeout "$@"
EOF
	chmod 0755 /usr/bin/timeout || exit 1
	exec /selftests/kselftest/run_kselftest.sh "$@"
fi

[ -L /dev/stdout ] || ln -sfn /proc/self/fd/1 /dev/stdout
out=/tmp/ksft.$$
unshare -m "$0" --in-namespace "$@" 2>&1 | tee "$out"
# Count the runner's own lines; the tests' lines under them all start with "# ".
# One plan line per collection it ran.
read -r plan oks bad <<EOF
$(awk '/^1\.\.[0-9]+$/ { plan += substr($0, 4) }
	/^ok / { ok++ } /^not ok/ { bad++ }
	END { print plan + 0, ok + 0, bad + 0 }' "$out")
EOF
rm -f "$out"
if [ "$plan" -eq 0 ] || [ "$oks" -ne "$plan" ] || [ "$bad" -ne 0 ]; then
	echo "# ksft.sh: kselftest runner: $plan planned, $oks ok, $bad not ok"
	exit 1
fi
