/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * nlsock.h - the rtnetlink sockets: dumps and link events.
 *
 * Two sockets: one for request/dump, one subscribed to RTNLGRP_LINK,
 * because events carry seq 0 and would mix into dump parsing. No
 * allocation after vn_nl_open(): one 32 KiB receive buffer is reused.
 */
#ifndef VN_NLSOCK_H
#define VN_NLSOCK_H

#include "nlmsg.h"

struct vn_nl;

typedef void (*vn_link_cb)(int msgtype, const struct vn_link *link, void *arg);
typedef void (*vn_stats_cb)(uint32_t ifindex, const struct vn_counters *c,
			    void *arg);

/* Open both sockets (in the caller's network namespace). NULL + errno. */
struct vn_nl *vn_nl_open(void);
void vn_nl_close(struct vn_nl *nl);

/*
 * Dump every link; cb gets msgtype RTM_NEWLINK for each.
 * Returns 0, -EINTR when the kernel flagged the dump NLM_F_DUMP_INTR (the
 * caller re-dumps), or another -errno.
 */
int vn_nl_dump_links(struct vn_nl *nl, vn_link_cb cb, void *arg);

/* Dump IFLA_STATS_LINK_64 of every link. Same return values. */
int vn_nl_dump_stats(struct vn_nl *nl, vn_stats_cb cb, void *arg);

/* The event socket's fd, to poll for POLLIN. */
int vn_nl_event_fd(const struct vn_nl *nl);

/*
 * Read every pending link event without blocking; cb gets RTM_NEWLINK or
 * RTM_DELLINK. Returns 0 when drained, -ENOBUFS when the kernel dropped
 * events (the caller must re-dump), or another -errno.
 */
int vn_nl_read_events(struct vn_nl *nl, vn_link_cb cb, void *arg);

#endif /* VN_NLSOCK_H */
