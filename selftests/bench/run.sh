#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Runs every benchmark program given and prints one table (see bench.h).
# usage: run.sh PROGRAM...
set -u
cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')
echo "# crypto benchmark, $(date -u +%Y-%m-%dT%H:%MZ), $cpu, $(openssl version)"
echo "# ratio = our time / OpenSSL time (lower is better; goal <= 2.00)"
printf '| %-46s | %14s | %14s | %6s |\n' operation ours OpenSSL ratio
printf '|%s|%s|%s|%s|\n' "$(printf -- '-%.0s' {1..48})" "$(printf -- '-%.0s' {1..16})" \
	"$(printf -- '-%.0s' {1..16})" "$(printf -- '-%.0s' {1..8})"
rc=0
for p in "$@"; do
	"$p" || { echo "# $p failed (exit $?)"; rc=1; }
done
exit $rc
