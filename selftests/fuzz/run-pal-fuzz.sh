#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Runs the PAL image checker's libFuzzer target (fuzz_pal_image.c) for
# PAL_FUZZ_SECONDS (default 10) and prints TAP (selftests/fuzz/run-fuzz.sh).
exec "$(dirname "$0")/run-fuzz.sh" "${PAL_FUZZ_SECONDS:-10}" fuzz_pal_image
