// SPDX-License-Identifier: GPL-2.0
/* services.c with another measurement: a second PAL identity for tv_pal. */
#define SERVICES_TWIN 1
#include "services.c"
