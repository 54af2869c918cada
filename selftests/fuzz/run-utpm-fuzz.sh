#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Runs each µTPM libFuzzer target for UTPM_FUZZ_SECONDS (default 10) and
# prints TAP (selftests/fuzz/run-fuzz.sh).
exec "$(dirname "$0")/run-fuzz.sh" "${UTPM_FUZZ_SECONDS:-10}" fuzz_utpm_unseal fuzz_utpm_pcrsel \
	fuzz_utpm_table
