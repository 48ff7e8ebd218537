/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * nlmsg.h - rtnetlink request building and message parsing.
 *
 * Pure: no sockets. Requests are built into a caller's buffer; parsers
 * take one netlink message and fill a plain struct, so tests can feed
 * them recorded kernel messages.
 */
#ifndef VN_NLMSG_H
#define VN_NLMSG_H

#include <linux/netlink.h>
#include <net/if.h>

#include "vnet.h"

/* What the agent needs to know about one link. */
struct vn_link {
	uint32_t ifindex;
	uint32_t master; /* IFLA_MASTER, 0 if none */
	bool is_bridge; /* IFLA_LINKINFO/IFLA_INFO_KIND == "bridge" */
	char name[IFNAMSIZ]; /* IFLA_IFNAME, NUL-terminated */
};

/*
 * Build an RTM_GETLINK dump request (AF_UNSPEC) into buf, which must hold
 * at least VN_NL_REQ_SIZE bytes. Returns the message.
 */
#define VN_NL_REQ_SIZE 64
struct nlmsghdr *vn_nl_req_getlink(void *buf, uint32_t seq);

/*
 * Build an RTM_GETSTATS dump request for IFLA_STATS_LINK_64 of every link.
 */
struct nlmsghdr *vn_nl_req_getstats(void *buf, uint32_t seq);

/*
 * Parse an RTM_NEWLINK or RTM_DELLINK message. Returns 0 and fills *out,
 * or -1 when the message is not a link message or is malformed (too short,
 * no ifindex, no name).
 */
int vn_nl_parse_link(const struct nlmsghdr *nlh, struct vn_link *out);

/*
 * Parse an RTM_NEWSTATS message carrying IFLA_STATS_LINK_64. Returns 0 and
 * fills *ifindex and *out, or -1 when it is not such a message or is
 * malformed.
 */
int vn_nl_parse_stats(const struct nlmsghdr *nlh, uint32_t *ifindex,
		      struct vn_counters *out);

#endif /* VN_NLMSG_H */
