#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The no-VMX lane on an AMD CPU (QEMU TCG's own): the vendor check refuses.
export TV_EXPECT_VENDOR=AuthenticAMD
exec /selftests/novmx.sh
