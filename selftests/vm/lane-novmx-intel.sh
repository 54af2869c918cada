#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The no-VMX lane on an Intel CPU without VMX (QEMU TCG with an Intel vendor
# string): the refusal must come from the VMX-bit check, not the vendor check.
export TV_EXPECT_VENDOR=GenuineIntel
exec /selftests/novmx.sh
