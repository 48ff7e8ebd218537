/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * nlmsg.c - rtnetlink request building and message parsing.
 *
 * The parsers trust nothing but nlmsg_len: the caller guarantees that
 * nlmsg_len bytes (and at least the header) are readable, as
 * mnl_cb_run() does for every message it hands out. Everything inside is
 * checked, so a malformed message is refused with -1 and never read past
 * its end. Attribute payloads are only 4-byte aligned: 64-bit fields are
 * copied out with memcpy(), never dereferenced in place.
 */
#include <config.h>

#include <string.h>
#include <sys/socket.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <libmnl/libmnl.h>

#include "nlmsg.h"

/*
 * The struct rtnl_link_stats64 of Linux 4.7, the first kernel that
 * answers RTM_GETSTATS: everything up to rx_nohandler. Newer kernels
 * append fields (rx_otherhost_dropped in 5.19), and the headers we are
 * built against may be newer than the kernel we run on, so a payload
 * this long is complete for us even if it is shorter than our struct.
 */
#define VN_STATS64_MIN                                                         \
	(offsetof(struct rtnl_link_stats64, rx_nohandler) +                    \
	 sizeof(((struct rtnl_link_stats64 *)0)->rx_nohandler))

/* A dump request of type with an empty family header of hdrlen bytes. */
static struct nlmsghdr *dump_request(void *buf, uint16_t type, uint32_t seq,
				     size_t hdrlen, void **hdr)
{
	struct nlmsghdr *nlh;

	memset(buf, 0, VN_NL_REQ_SIZE);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = seq;
	*hdr = mnl_nlmsg_put_extra_header(nlh, hdrlen);
	return nlh;
}

struct nlmsghdr *vn_nl_req_getlink(void *buf, uint32_t seq)
{
	struct ifinfomsg *ifi;
	struct nlmsghdr *nlh = dump_request(buf, RTM_GETLINK, seq, sizeof(*ifi),
					    (void **)&ifi);

	ifi->ifi_family = AF_UNSPEC;
	return nlh;
}

struct nlmsghdr *vn_nl_req_getstats(void *buf, uint32_t seq)
{
	struct if_stats_msg *ifsm;
	struct nlmsghdr *nlh = dump_request(buf, RTM_GETSTATS, seq,
					    sizeof(*ifsm), (void **)&ifsm);

	ifsm->family = AF_UNSPEC;
	ifsm->filter_mask = IFLA_STATS_FILTER_BIT(IFLA_STATS_LINK_64);
	return nlh;
}

/*
 * Index the attributes in [payload, payload + len) by type into tb[0..max].
 * Unknown types are skipped; a later duplicate wins, as in the kernel.
 * Unlike mnl_attr_parse(), bytes left over that cannot hold an attribute
 * make it fail: the kernel never sends them, a truncated message does.
 */
static int attr_table(const void *payload, int len, const struct nlattr **tb,
		      unsigned int max)
{
	const struct nlattr *attr = payload;
	int rem = len;

	memset(tb, 0, (max + 1) * sizeof(*tb));
	while (mnl_attr_ok(attr, rem)) {
		uint16_t type = mnl_attr_get_type(attr);

		if (type <= max)
			tb[type] = attr;
		rem -= (int)MNL_ALIGN(attr->nla_len);
		attr = mnl_attr_next(attr);
	}
	/* Negative when the last attribute is not padded: that is fine. */
	return rem > 0 ? -1 : 0;
}

/*
 * The attributes after the fixed header of hdrlen bytes. Computed from
 * nlmsg_len itself, not mnl_nlmsg_get_payload_tail(), which rounds an
 * unaligned (truncated) length up past the end of the message.
 */
static int msg_attr_table(const struct nlmsghdr *nlh, size_t hdrlen,
			  const struct nlattr **tb, unsigned int max)
{
	size_t off = MNL_NLMSG_HDRLEN + MNL_ALIGN(hdrlen);

	if (nlh->nlmsg_len < off)
		return -1;
	return attr_table((const char *)nlh + off, (int)(nlh->nlmsg_len - off),
			  tb, max);
}

/* A NUL-terminated string payload, or NULL. */
static const char *attr_str(const struct nlattr *attr)
{
	if (mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) < 0)
		return NULL;
	return mnl_attr_get_str(attr);
}

/* 1 if IFLA_LINKINFO says "bridge", 0 if not, -1 if it is malformed. */
static int linkinfo_is_bridge(const struct nlattr *linkinfo)
{
	const struct nlattr *tb[IFLA_INFO_MAX + 1];
	const char *kind;

	if (mnl_attr_validate(linkinfo, MNL_TYPE_NESTED) < 0)
		return -1;
	if (attr_table(mnl_attr_get_payload(linkinfo),
		       mnl_attr_get_payload_len(linkinfo), tb,
		       IFLA_INFO_MAX) < 0)
		return -1;
	if (!tb[IFLA_INFO_KIND])
		return 0;
	kind = attr_str(tb[IFLA_INFO_KIND]);
	if (!kind)
		return -1;
	return strcmp(kind, "bridge") == 0;
}

static int copy_ifname(const struct nlattr *attr, char name[IFNAMSIZ])
{
	const char *s;
	size_t len;

	if (!attr)
		return -1;
	s = attr_str(attr);
	if (!s)
		return -1;
	/* The NUL is there, but not necessarily at the first byte past. */
	len = strlen(s);
	if (len == 0 || len >= IFNAMSIZ)
		return -1;
	memcpy(name, s, len + 1);
	return 0;
}

int vn_nl_parse_link(const struct nlmsghdr *nlh, struct vn_link *out)
{
	const struct nlattr *tb[IFLA_MAX + 1];
	const struct ifinfomsg *ifi;
	struct vn_link l;
	int bridge = 0;

	if (nlh->nlmsg_type != RTM_NEWLINK && nlh->nlmsg_type != RTM_DELLINK)
		return -1;
	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*ifi)))
		return -1;
	ifi = mnl_nlmsg_get_payload(nlh);
	/*
	 * AF_BRIDGE messages (on RTNLGRP_LINK too) describe a bridge port's
	 * state, not the device: an AF_BRIDGE RTM_DELLINK means "left the
	 * bridge", and none carries IFLA_LINKINFO.
	 */
	if (ifi->ifi_family != AF_UNSPEC || ifi->ifi_index <= 0)
		return -1;
	if (msg_attr_table(nlh, sizeof(*ifi), tb, IFLA_MAX) < 0)
		return -1;

	memset(&l, 0, sizeof(l));
	l.ifindex = (uint32_t)ifi->ifi_index;
	if (copy_ifname(tb[IFLA_IFNAME], l.name) < 0)
		return -1;
	if (tb[IFLA_MASTER]) {
		if (mnl_attr_validate(tb[IFLA_MASTER], MNL_TYPE_U32) < 0)
			return -1;
		l.master = mnl_attr_get_u32(tb[IFLA_MASTER]);
	}
	if (tb[IFLA_LINKINFO]) {
		bridge = linkinfo_is_bridge(tb[IFLA_LINKINFO]);
		if (bridge < 0)
			return -1;
	}
	l.is_bridge = bridge;
	*out = l;
	return 0;
}

int vn_nl_parse_stats(const struct nlmsghdr *nlh, uint32_t *ifindex,
		      struct vn_counters *out)
{
	const struct nlattr *tb[IFLA_STATS_MAX + 1];
	const struct if_stats_msg *ifsm;
	struct rtnl_link_stats64 s;
	size_t len;

	if (nlh->nlmsg_type != RTM_NEWSTATS)
		return -1;
	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*ifsm)))
		return -1;
	ifsm = mnl_nlmsg_get_payload(nlh);
	if (ifsm->ifindex == 0 || ifsm->ifindex > INT32_MAX)
		return -1;
	if (msg_attr_table(nlh, sizeof(*ifsm), tb, IFLA_STATS_MAX) < 0)
		return -1;
	if (!tb[IFLA_STATS_LINK_64])
		return -1;

	len = mnl_attr_get_payload_len(tb[IFLA_STATS_LINK_64]);
	if (len < VN_STATS64_MIN)
		return -1;
	if (len > sizeof(s))
		len = sizeof(s);
	memset(&s, 0, sizeof(s));
	memcpy(&s, mnl_attr_get_payload(tb[IFLA_STATS_LINK_64]), len);

	*ifindex = ifsm->ifindex;
	out->rx_bytes = s.rx_bytes;
	out->tx_bytes = s.tx_bytes;
	out->rx_packets = s.rx_packets;
	out->tx_packets = s.tx_packets;
	out->rx_dropped = s.rx_dropped;
	out->tx_dropped = s.tx_dropped;
	return 0;
}
