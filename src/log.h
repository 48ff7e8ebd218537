/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * log.h - logging and error messages from the cores without net-snmp.
 *
 * The cores call vn_log(); the agent points the sink at something that is
 * safe from the sampler thread (a pipe read by the main loop). The default
 * sink writes to stderr.
 */
#ifndef VN_LOG_H
#define VN_LOG_H

#include <stddef.h>
#include <syslog.h>

typedef void (*vn_log_sink)(int prio, const char *msg);

/*
 * Format a one-line reason into a caller's error buffer (err may be NULL
 * or errlen 0: then nothing is written). The cores report errors this way
 * and leave logging to their caller.
 */
void vn_seterr(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

void vn_log_set_sink(vn_log_sink sink);
void vn_log(int prio, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif /* VN_LOG_H */
