#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Reset lane: see reset.sh.
exec /selftests/reset.sh triple-fault
