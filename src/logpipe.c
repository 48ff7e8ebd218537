/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * logpipe.c - log lines from any thread, written to net-snmp's log by the
 * main thread.
 *
 * A line is one write() of at most PIPE_BUF bytes, so lines from several
 * writers never interleave. The first byte is the syslog priority. When the
 * pipe is full the line is dropped rather than stalling the sampler.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <string.h>
#include <unistd.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>

#include "log.h"
#include "logpipe.h"

static int fds[2] = { -1, -1 };
static pthread_t main_thread;

static void pipe_sink(int prio, const char *msg)
{
	char line[PIPE_BUF];
	size_t len;

	if (pthread_equal(pthread_self(), main_thread) || fds[1] < 0) {
		snmp_log(prio, "%s\n", msg);
		return;
	}
	line[0] = (char)prio;
	len = strnlen(msg, sizeof(line) - 2);
	memcpy(line + 1, msg, len);
	line[len + 1] = '\n';
	/* Full pipe: drop the line, never block the sampler. */
	if (write(fds[1], line, len + 2) < 0 && errno != EAGAIN)
		return;
}

/* Log the whole lines in buf; return how many bytes of a partial line
 * are left at its end. */
static size_t log_lines(char *buf, size_t len)
{
	char *p = buf, *end = buf + len;

	while (p < end) {
		char *nl = memchr(p, '\n', (size_t)(end - p));

		if (!nl)
			break;
		*nl = '\0';
		if (nl > p)
			snmp_log((unsigned char)p[0], "%s\n", p + 1);
		p = nl + 1;
	}
	memmove(buf, p, (size_t)(end - p));
	return (size_t)(end - p);
}

void vn_logpipe_flush(void)
{
	static char buf[PIPE_BUF * 4];
	static size_t have;
	ssize_t n;

	if (fds[0] < 0)
		return;
	/* A read may end inside a line: keep the rest for the next one. */
	while ((n = read(fds[0], buf + have, sizeof(buf) - have)) > 0)
		have = log_lines(buf, have + (size_t)n);
}

static void on_readable(int fd, void *arg)
{
	(void)fd;
	(void)arg;
	vn_logpipe_flush();
}

int vn_logpipe_init(void)
{
	main_thread = pthread_self();
	if (pipe2(fds, O_NONBLOCK | O_CLOEXEC) < 0)
		return -1;
	if (register_readfd(fds[0], on_readable, NULL) < 0) {
		vn_logpipe_close();
		errno = EINVAL;
		return -1;
	}
	vn_log_set_sink(pipe_sink);
	return 0;
}

void vn_logpipe_close(void)
{
	if (fds[0] < 0)
		return;
	vn_logpipe_flush();
	unregister_readfd(fds[0]);
	vn_log_set_sink(NULL);
	close(fds[0]);
	close(fds[1]);
	fds[0] = fds[1] = -1;
}
