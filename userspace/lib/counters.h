/* SPDX-License-Identifier: GPL-2.0 */
/* libtrustvisor's counter-table file (counters.c), for libtrustvisor.c. */
#ifndef TV_USERSPACE_COUNTERS_H
#define TV_USERSPACE_COUNTERS_H

#define TV_COUNTERS_DIR_DEFAULT		"/var/lib/trustvisor"
#define TV_COUNTERS_FILE_DEFAULT	TV_COUNTERS_DIR_DEFAULT "/counters"

const char *tv_counters_path(void);
/* A PAL's commit waits: the staged table, durably into the file. */
int tv_counters_store_staged(int fd);
/* At a PAL load: restore, or write a table the file lacks. */
void tv_counters_prepare(int fd);

#endif
