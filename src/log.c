/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * log.c - the cores' logging entry point.
 *
 * Formats into a stack buffer and hands the line to the sink, so that the
 * sink (the agent's log pipe) never allocates and never calls net-snmp
 * from the sampler thread.
 */
#include <config.h>

#include <stdarg.h>
#include <stdio.h>

#include "log.h"

static void stderr_sink(int prio, const char *msg)
{
	(void)prio;
	fprintf(stderr, "%s\n", msg);
}

static vn_log_sink sink = stderr_sink;

void vn_log_set_sink(vn_log_sink s)
{
	sink = s ? s : stderr_sink;
}

void vn_log(int prio, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	sink(prio, buf);
}

void vn_seterr(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (!err || !errlen)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}
