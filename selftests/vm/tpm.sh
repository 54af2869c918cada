# SPDX-License-Identifier: GPL-2.0
# The guest's TPM 2.0, sourced by the tpm lane's suites (after lib.sh).
# Bochs has no TPM device, so the running kernel gets one through its vTPM
# proxy: swtpm (libtpms) in the guest asks /dev/vtpmx for a new chip, and
# the kernel's own driver (TPM core, resource manager) talks to it as to a
# hardware TPM at /dev/tpmN and /dev/tpmrmN.  swtpm runs on the state that
# scripts/mktpmstate.sh made on the host (the AK is already persistent at
# $TPM_AK: no key is made in the emulated machine).
#
#   tpm_start [TIMEOUT_S]  start swtpm; return once the new chip answers
#                          TPM2_PCR_Read, or fail after TIMEOUT_S seconds
#                          of guest time (default 30; in the tpm lane a
#                          start takes ~1, see docs/testing.md); sets
#                          tpm_dev, TPM2TOOLS_TCTI
#   tpm_stop               TPM2_Shutdown(CLEAR), as Linux sends at reboot,
#                          then stop swtpm and wait for the chip to go
#   tpm_reboot             tpm_stop, tpm_start on the same state: PCRs reset
#                          (startup-clear), NV and persistent keys kept
# Each prints one "# tpm: ..." line, or its error and swtpm's log on failure.
# The polls sleep briefly: at the tpm lane's 400 M instructions per guest
# second, Bochs takes ~10 s of wall time over one idle guest second.
# The running swtpm is recorded in $TPM_RUN, so a suite started after
# tpm_start (in another process) finds it: sourcing this sets tpm_pid,
# tpm_dev and TPM2TOOLS_TCTI, and its tpm_stop or tpm_reboot work.
TPM_DIR=$S/tpm				# the payload: state/, ak.pem, ...
TPM_STATE=/tmp/tpm-state		# the running state (the payload stays as made)
TPM_AK=0x81010002
TPM_LOG=/tmp/swtpm.log
TPM_RUN=/tmp/tpm-running		# "PID DEVICE" of the running swtpm
tpm_pid=
tpm_dev=
tpm_secs=				# how long the last start or stop took
if [ -f $TPM_RUN ]; then
	read -r tpm_pid tpm_dev <$TPM_RUN
	if kill -0 "$tpm_pid" 2>/dev/null && [ -c "$tpm_dev" ]; then
		export TPM2TOOLS_TCTI=device:$tpm_dev
	else
		tpm_pid= tpm_dev=
	fi
fi

tpm_now() {
	cut -d' ' -f1 /proc/uptime
}
tpm_since() {		# tpm_since T0: seconds since uptime T0
	awk -v a="$1" -v b="$(tpm_now)" 'BEGIN { printf "%.1f", b - a }'
}
tpm_error() {
	echo "# tpm: $*"
	if [ -f $TPM_LOG ]; then
		echo "# tpm: last lines of $TPM_LOG:"
		tail -n 10 $TPM_LOG | sed 's/^/#   /'
	fi
	return 1
}

# The vTPM proxy driver and sha512_generic (modules of the stock kernel,
# from the payload: a full system would load the hash when the kernel first
# extends the TPM's sha384 or sha512 bank; the initramfs cannot load on
# demand), and a writable copy of the prepared state; done once per boot.
tpm_setup() {
	if ! grep -q '^sha512_generic ' /proc/modules; then
		insmod $S/tpm-kmod/sha512_generic.ko || { tpm_error "insmod sha512_generic.ko failed"; return 1; }
	fi
	if [ ! -c /dev/vtpmx ]; then
		insmod $S/tpm-kmod/tpm_vtpm_proxy.ko ||
			{ tpm_error "insmod tpm_vtpm_proxy.ko failed"; return 1; }
		[ -c /dev/vtpmx ] || { tpm_error "no /dev/vtpmx after insmod"; return 1; }
	fi
	if [ ! -d $TPM_STATE ]; then
		[ -f $TPM_DIR/state/tpm2-00.permall ] ||
			{ tpm_error "no prepared state in $TPM_DIR (scripts/mktpmstate.sh)"; return 1; }
		cp -a $TPM_DIR/state $TPM_STATE || return 1
	fi
}

tpm_start() {
	tpm_limit=${1:-30}
	tpm_t0=$(tpm_now)
	tpm_setup || return 1
	[ -z "$tpm_pid" ] || { tpm_error "swtpm already running (pid $tpm_pid)"; return 1; }
	swtpm chardev --vtpm-proxy --tpm2 --tpmstate dir=$TPM_STATE \
		--flags startup-clear --log file=$TPM_LOG >/tmp/swtpm.out 2>&1 &
	tpm_pid=$!
	# The chip swtpm got: its "New TPM device: /dev/tpmN" line, or else the
	# only chip there is (tpm_stop waits for the last one to go, and the
	# machine has no other TPM).
	tpm_dev=
	while [ -z "$tpm_dev" ]; do
		tpm_n=$(sed -n 's|^New TPM device: /dev/tpm\([0-9]*\) .*|\1|p' /tmp/swtpm.out)
		[ -n "$tpm_n" ] || tpm_n=$(ls /sys/class/tpm 2>/dev/null | sed -n 's/^tpm\([0-9]*\)$/\1/p' | head -n 1)
		[ -n "$tpm_n" ] && [ -c /dev/tpmrm$tpm_n ] && tpm_dev=/dev/tpmrm$tpm_n && break
		if ! kill -0 $tpm_pid 2>/dev/null; then
			tpm_pid=
			tpm_error "swtpm exited before a chip appeared: $(tail -n 2 /tmp/swtpm.out)"
			return 1
		fi
		if [ "$(tpm_since $tpm_t0 | cut -d. -f1)" -ge "$tpm_limit" ]; then
			tpm_error "no TPM device ${tpm_limit} s after starting swtpm"
			return 1
		fi
		sleep 0.05
	done
	export TPM2TOOLS_TCTI=device:$tpm_dev
	echo "$tpm_pid $tpm_dev" >$TPM_RUN
	# The kernel sends its own start-up commands first; the chip is ready
	# for us when a PCR read goes through the resource manager.
	until timeout 30 tpm2_pcrread sha256:0 >/tmp/tpm-wait.out 2>&1; do
		if [ "$(tpm_since $tpm_t0 | cut -d. -f1)" -ge "$tpm_limit" ]; then
			tpm_error "$tpm_dev does not answer tpm2_pcrread ${tpm_limit} s after starting swtpm: $(tail -n 2 /tmp/tpm-wait.out)"
			return 1
		fi
		sleep 0.05
	done
	tpm_secs=$(tpm_since $tpm_t0)
	echo "# tpm: swtpm pid $tpm_pid, TPM 2.0 at $tpm_dev" \
		"(major version $(cat /sys/class/tpm/tpm${tpm_dev#/dev/tpmrm}/tpm_version_major 2>/dev/null || echo ?)), answered after $tpm_secs s"
}

tpm_stop() {
	tpm_t0=$(tpm_now)
	[ -n "$tpm_pid" ] || { tpm_error "swtpm is not running"; return 1; }
	# An orderly shutdown, as the kernel's own at reboot (the vTPM proxy
	# cannot pass the kernel's one: its channel is gone once swtpm is).
	timeout 30 tpm2_shutdown -c >/tmp/tpm-stop.out 2>&1 ||
		echo "# tpm: TPM2_Shutdown failed: $(tail -n 1 /tmp/tpm-stop.out)"
	kill $tpm_pid
	# Reaps it if it is this shell's child; the chip going away below is
	# what counts either way.
	wait $tpm_pid 2>/dev/null
	tpm_pid=
	rm -f $TPM_RUN
	# The kernel unregisters the chip when swtpm's end closes.
	while [ -e "$tpm_dev" ] || [ -e "/sys/class/tpm/tpm${tpm_dev#/dev/tpmrm}" ]; do
		if [ "$(tpm_since $tpm_t0 | cut -d. -f1)" -ge 30 ]; then
			tpm_error "$tpm_dev still there 30 s after swtpm was stopped"
			return 1
		fi
		sleep 0.05
	done
	tpm_secs=$(tpm_since $tpm_t0)
	echo "# tpm: swtpm stopped, $tpm_dev gone after $tpm_secs s"
	tpm_dev=
}

tpm_reboot() {
	tpm_stop && tpm_start "$@"
}
