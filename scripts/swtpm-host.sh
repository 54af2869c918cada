# SPDX-License-Identifier: GPL-2.0
# Sourced (bash): a swtpm on the host for the scripts that need a TPM there
# (scripts/mktpmstate.sh, selftests/utpm/swtpm-pcrs.sh,
# selftests/userspace/verify.sh, selftests/lib/tpm2-swtpm.sh).
#
#   swtpm_host_start STATE_DIR LOG
#	starts `swtpm socket` on STATE_DIR on a random loopback port, retried
#	because a port may be taken, and returns once it answers a PCR read;
#	sets spid, port (its control port is port + 1) and TPM2TOOLS_TCTI.
#	Returns 1, with spid empty, if it never came up (LOG says why).
#   swtpm_host_stop
#	stops it, if it runs (for the callers' exit traps); spid is then empty.
swtpm_host_stop() {
	if [ -n "$spid" ]; then
		kill "$spid" 2>/dev/null || true
		wait "$spid" 2>/dev/null || true
	fi
	spid=
}

swtpm_host_start() {
	local try
	for try in 1 2 3 4 5; do
		port=$((20000 + RANDOM % 40000))
		swtpm socket --tpm2 --tpmstate dir="$1" \
			--server type=tcp,port=$port,bindaddr=127.0.0.1 \
			--ctrl type=tcp,port=$((port + 1)),bindaddr=127.0.0.1 \
			--flags not-need-init,startup-clear >"$2" 2>&1 &
		spid=$!
		export TPM2TOOLS_TCTI="swtpm:host=127.0.0.1,port=$port"
		for _ in $(seq 50); do
			kill -0 "$spid" 2>/dev/null || break
			timeout 2 tpm2_pcrread sha256:0 >/dev/null 2>&1 && return 0
			sleep 0.1
		done
		swtpm_host_stop
	done
	return 1
}
