/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * nlsock.c - the rtnetlink sockets: dumps and link events.
 *
 * The dump socket is blocking and only ever has one dump in flight; the
 * event socket is non-blocking and subscribed to RTNLGRP_LINK. Both share
 * one receive buffer, so they must be used from one thread (the sampler).
 */
#include <config.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/rtnetlink.h>
#include <libmnl/libmnl.h>

#include "log.h"
#include "nlsock.h"

/*
 * The kernel never builds a dump skb larger than 32 KiB, whatever the
 * receive buffer (libmnl 1.0.4 has no MNL_SOCKET_DUMP_SIZE for this).
 */
#define VN_NL_BUF_SIZE 32768

/* Room for bursts: 100+ links created at once, about 2 KiB each. */
#define VN_NL_EVENT_RCVBUF (1 << 20)

/*
 * recvmsg() calls per vn_nl_read_events(): bounds the time spent there
 * if events come faster than we read them; the fd stays readable.
 */
#define VN_NL_EVENT_BATCH 1024

/* Enough to empty any receive buffer, bounded all the same. */
#define VN_NL_DRAIN_MAX 65536

struct vn_nl {
	struct mnl_socket *dump;
	struct mnl_socket *event;
	uint32_t portid; /* of the dump socket */
	uint32_t seq; /* of the last dump request */
	bool dirty; /* a dump was cut short: its rest may be queued */
	/* Unparsable messages in the last dump of each kind. */
	unsigned int bad_links;
	unsigned int bad_stats;
	unsigned char buf[VN_NL_BUF_SIZE] __attribute__((aligned(8)));
};

/* One dump or one batch of events in progress. */
struct nl_run {
	vn_link_cb link_cb;
	vn_stats_cb stats_cb;
	void *arg;
	bool intr; /* some message had NLM_F_DUMP_INTR */
	int done_err; /* negative errno carried by NLMSG_DONE */
	unsigned int bad; /* messages we could not parse */
};

static void set_event_rcvbuf(struct mnl_socket *s)
{
	int fd = mnl_socket_get_fd(s);
	int size = VN_NL_EVENT_RCVBUF;

	/* SO_RCVBUFFORCE passes net.core.rmem_max, but needs CAP_NET_ADMIN. */
	if (!setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)))
		return;
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size)) < 0)
		vn_log(LOG_WARNING, "netlink: SO_RCVBUF: %s", strerror(errno));
}

static struct mnl_socket *nl_socket(int flags, unsigned int groups)
{
	struct mnl_socket *s;
	int err;

	s = mnl_socket_open2(NETLINK_ROUTE, flags | SOCK_CLOEXEC);
	if (!s)
		return NULL;
	if (mnl_socket_bind(s, groups, MNL_SOCKET_AUTOPID) < 0) {
		err = errno;
		mnl_socket_close(s);
		errno = err;
		return NULL;
	}
	return s;
}

struct vn_nl *vn_nl_open(void)
{
	struct vn_nl *nl;
	int err;

	nl = calloc(1, sizeof(*nl));
	if (!nl)
		return NULL;
	nl->dump = nl_socket(0, 0);
	if (!nl->dump)
		goto fail;
	nl->event = nl_socket(SOCK_NONBLOCK, RTMGRP_LINK);
	if (!nl->event)
		goto fail;
	set_event_rcvbuf(nl->event);
	nl->portid = mnl_socket_get_portid(nl->dump);
	return nl;
fail:
	err = errno;
	vn_nl_close(nl);
	errno = err;
	return NULL;
}

void vn_nl_close(struct vn_nl *nl)
{
	if (!nl)
		return;
	if (nl->dump)
		mnl_socket_close(nl->dump);
	if (nl->event)
		mnl_socket_close(nl->event);
	free(nl);
}

int vn_nl_event_fd(const struct vn_nl *nl)
{
	return mnl_socket_get_fd(nl->event);
}

/*
 * Throw away whatever is queued on a socket. Used for the rest of a dump
 * that was cut short, and for events after an overflow: those are older
 * than the re-dump the caller is about to take and, replayed after it,
 * would resurrect links whose RTM_DELLINK was lost.
 */
static void drain(struct mnl_socket *s, void *buf)
{
	int fd = mnl_socket_get_fd(s);
	int i;

	for (i = 0; i < VN_NL_DRAIN_MAX; i++) {
		if (recv(fd, buf, VN_NL_BUF_SIZE, MSG_DONTWAIT) >= 0)
			continue;
		if (errno != EINTR && errno != ENOBUFS)
			return;
	}
}

/*
 * libmnl 1.0.4's mnl_cb_run() stops at the first message flagged
 * NLM_F_DUMP_INTR, leaving the rest of the dump unread. Note the flag and
 * clear it, so the whole dump is still consumed up to NLMSG_DONE (and its
 * messages handed to the callback: each is right, only the set may not
 * be a consistent snapshot) before the caller is told to re-dump.
 */
static void take_dump_intr(void *buf, size_t len, struct nl_run *run)
{
	struct nlmsghdr *nlh = buf;
	int rem = (int)len;

	for (; mnl_nlmsg_ok(nlh, rem); nlh = mnl_nlmsg_next(nlh, &rem)) {
		if (nlh->nlmsg_flags & NLM_F_DUMP_INTR) {
			run->intr = true;
			nlh->nlmsg_flags &= ~NLM_F_DUMP_INTR;
		}
	}
}

static int ctl_error(const struct nlmsghdr *nlh, void *data)
{
	const struct nlmsgerr *err = mnl_nlmsg_get_payload(nlh);

	(void)data;
	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*err))) {
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	if (err->error == 0) /* an ACK: not asked for, but final */
		return MNL_CB_STOP;
	errno = err->error < 0 ? -err->error : err->error;
	return MNL_CB_ERROR;
}

/* A dump that failed half-way ends with NLMSG_DONE carrying the error. */
static int ctl_done(const struct nlmsghdr *nlh, void *data)
{
	struct nl_run *run = data;
	int err;

	if (mnl_nlmsg_get_payload_len(nlh) >= sizeof(err)) {
		memcpy(&err, mnl_nlmsg_get_payload(nlh), sizeof(err));
		if (err < 0)
			run->done_err = err;
	}
	return MNL_CB_STOP;
}

static int ctl_ignore(const struct nlmsghdr *nlh, void *data)
{
	(void)nlh;
	(void)data;
	return MNL_CB_OK;
}

/* Given an array, mnl_cb_run2() uses none of its own control handlers. */
static mnl_cb_t ctl_cbs[NLMSG_MIN_TYPE] = {
	[NLMSG_NOOP] = ctl_ignore,
	[NLMSG_ERROR] = ctl_error,
	[NLMSG_DONE] = ctl_done,
	[NLMSG_OVERRUN] = ctl_ignore,
};

/* 1: from the kernel's request, 0: not ours to parse, -1: unparsable. */
static int link_msg_family(const struct nlmsghdr *nlh)
{
	const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);

	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*ifi)))
		return -1;
	return ifi->ifi_family == AF_UNSPEC;
}

static int link_msg(const struct nlmsghdr *nlh, void *data)
{
	struct nl_run *run = data;
	struct vn_link link;
	int fam;

	if (nlh->nlmsg_type != RTM_NEWLINK && nlh->nlmsg_type != RTM_DELLINK)
		return MNL_CB_OK;
	/* AF_BRIDGE port notifications share RTNLGRP_LINK: not for us. */
	fam = link_msg_family(nlh);
	if (fam == 0)
		return MNL_CB_OK;
	if (fam < 0 || vn_nl_parse_link(nlh, &link) < 0) {
		run->bad++;
		return MNL_CB_OK;
	}
	run->link_cb(nlh->nlmsg_type, &link, run->arg);
	return MNL_CB_OK;
}

static int stats_msg(const struct nlmsghdr *nlh, void *data)
{
	struct nl_run *run = data;
	struct vn_counters c;
	uint32_t ifindex;

	if (nlh->nlmsg_type != RTM_NEWSTATS)
		return MNL_CB_OK;
	if (vn_nl_parse_stats(nlh, &ifindex, &c) < 0) {
		run->bad++;
		return MNL_CB_OK;
	}
	run->stats_cb(ifindex, &c, run->arg);
	return MNL_CB_OK;
}

/* Log unparsable messages once, not every second while they persist. */
static void report_bad(unsigned int *last, const char *what, unsigned int bad)
{
	if (bad && bad != *last)
		vn_log(LOG_WARNING,
		       "netlink: %u unparsable messages in %s dump", bad, what);
	*last = bad;
}

static int send_all(struct mnl_socket *s, const struct nlmsghdr *nlh)
{
	ssize_t n;

	do {
		n = mnl_socket_sendto(s, nlh, nlh->nlmsg_len);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	return n == (ssize_t)nlh->nlmsg_len ? 0 : -EIO;
}

/* Receive until NLMSG_DONE (or an error), handing data to data_cb. */
static int recv_dump(struct vn_nl *nl, mnl_cb_t data_cb, struct nl_run *run)
{
	ssize_t n;
	int ret;

	for (;;) {
		n = mnl_socket_recvfrom(nl->dump, nl->buf, sizeof(nl->buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		take_dump_intr(nl->buf, (size_t)n, run);
		ret = mnl_cb_run2(nl->buf, (size_t)n, nl->seq, nl->portid,
				  data_cb, run, ctl_cbs, NLMSG_MIN_TYPE);
		if (ret == MNL_CB_ERROR)
			return -errno;
		if (ret == MNL_CB_STOP)
			return 0;
	}
}

static int run_dump(struct vn_nl *nl, struct nlmsghdr *(*req)(void *, uint32_t),
		    mnl_cb_t data_cb, struct nl_run *run)
{
	unsigned char rbuf[VN_NL_REQ_SIZE] __attribute__((aligned(8)));
	int ret;

	if (nl->dirty)
		drain(nl->dump, nl->buf);
	/* Never 0: mnl_cb_run2() would take it as "do not check". */
	if (++nl->seq == 0)
		nl->seq = 1;
	ret = send_all(nl->dump, req(rbuf, nl->seq));
	if (ret < 0)
		return ret;
	nl->dirty = true;
	ret = recv_dump(nl, data_cb, run);
	if (ret < 0)
		return ret;
	nl->dirty = false;
	if (run->done_err)
		return run->done_err;
	return run->intr ? -EINTR : 0;
}

int vn_nl_dump_links(struct vn_nl *nl, vn_link_cb cb, void *arg)
{
	struct nl_run run = { .link_cb = cb, .arg = arg };
	int ret;

	ret = run_dump(nl, vn_nl_req_getlink, link_msg, &run);
	report_bad(&nl->bad_links, "link", run.bad);
	return ret;
}

int vn_nl_dump_stats(struct vn_nl *nl, vn_stats_cb cb, void *arg)
{
	struct nl_run run = { .stats_cb = cb, .arg = arg };
	int ret;

	ret = run_dump(nl, vn_nl_req_getstats, stats_msg, &run);
	report_bad(&nl->bad_stats, "stats", run.bad);
	return ret;
}

/*
 * Events carry the seq and port of whoever caused them, so neither is
 * checked. A message too big for the buffer is lost like an overflow.
 */
int vn_nl_read_events(struct vn_nl *nl, vn_link_cb cb, void *arg)
{
	struct nl_run run = { .link_cb = cb, .arg = arg };
	ssize_t n;
	int i;

	for (i = 0; i < VN_NL_EVENT_BATCH; i++) {
		n = mnl_socket_recvfrom(nl->event, nl->buf, sizeof(nl->buf));
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN)
				break;
			if (errno == ENOBUFS || errno == ENOSPC) {
				drain(nl->event, nl->buf);
				return -ENOBUFS;
			}
			return -errno;
		}
		if (mnl_cb_run(nl->buf, (size_t)n, 0, 0, link_msg, &run) < 0)
			run.bad++;
	}
	if (run.bad)
		vn_log(LOG_WARNING,
		       "netlink: %u link events could not be parsed", run.bad);
	return 0;
}
