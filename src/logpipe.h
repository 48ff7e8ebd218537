/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * logpipe.h - carry log lines from the sampler thread to net-snmp's log.
 *
 * net-snmp's logging is not thread-safe, so only the main thread calls
 * snmp_log(); other threads write their lines into a pipe the main loop
 * reads.
 */
#ifndef VN_LOGPIPE_H
#define VN_LOGPIPE_H

/* Create the pipe, point vn_log() at it and register its read end with
 * the agent's event loop. 0, or -1 with errno. */
int vn_logpipe_init(void);

/* Log whatever is waiting (also called on shutdown). */
void vn_logpipe_flush(void);

void vn_logpipe_close(void);

#endif /* VN_LOGPIPE_H */
