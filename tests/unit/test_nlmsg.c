/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_nlmsg.c - the rtnetlink request builders and parsers.
 *
 * The parsers are fed messages a real kernel sent (tests/data/
 * nl_records.h, made by tests/tools/nlrecord.c: see the recipe there)
 * and messages built here, well-formed and not. Every message is parsed
 * from a heap copy exactly nlmsg_len bytes long, so that a read past its
 * end shows under valgrind or -fsanitize=address.
 */
#include <config.h>

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <libmnl/libmnl.h>

#include "nlmsg.h"
#include "../data/nl_records.h"

/* The recorded namespace (tests/tools/nlrecord.c). */
#define REC_BRIDGE "br0"
#define REC_PORT0  "veth0"	     /* peer in namespace A, 192.0.2.1 */
#define REC_PORT1  "veth1"	     /* peer in namespace B, 192.0.2.2 */
#define REC_LONG   "vn-vxlan-abcdef" /* IFNAMSIZ - 1 characters */
#define REC_NLINKS 5

/* rtnl_link_stats64 as the kernel ABI lays it out, independently of us. */
#define ST_RX_PACKETS 0
#define ST_TX_PACKETS 8
#define ST_RX_BYTES   16
#define ST_TX_BYTES   24
#define ST_RX_DROPPED 48
#define ST_TX_DROPPED 56

/* ---- helpers ---- */

/* A heap copy of exactly len bytes (at least a header's worth). */
static struct nlmsghdr *exact_copy(const void *msg, size_t len)
{
	size_t size =
		len < sizeof(struct nlmsghdr) ? sizeof(struct nlmsghdr) : len;
	struct nlmsghdr *nlh = malloc(size);

	assert_non_null(nlh);
	memset(nlh, 0, size);
	memcpy(nlh, msg, len);
	nlh->nlmsg_len = (uint32_t)len;
	return nlh;
}

static int parse_link(const void *msg, size_t len, struct vn_link *l)
{
	struct nlmsghdr *nlh = exact_copy(msg, len);
	int ret = vn_nl_parse_link(nlh, l);

	free(nlh);
	return ret;
}

static int parse_stats(const void *msg, size_t len, uint32_t *ifindex,
		       struct vn_counters *c)
{
	struct nlmsghdr *nlh = exact_copy(msg, len);
	int ret = vn_nl_parse_stats(nlh, ifindex, c);

	free(nlh);
	return ret;
}

static uint32_t get32(const unsigned char *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static uint64_t get64(const unsigned char *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static uint16_t get16(const unsigned char *p)
{
	uint16_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

/*
 * A second, deliberately naive attribute walk over a recorded message,
 * to check the parser against: the payload of the first top-level
 * attribute of the given type, or NULL.
 */
static const unsigned char *raw_attr(const struct nl_record *r, size_t hdr,
				     uint16_t type, size_t *plen)
{
	size_t off = 16 + hdr;

	while (off + 4 <= r->len) {
		uint16_t alen = get16(r->data + off);
		uint16_t atype = get16(r->data + off + 2) & 0x3fff;

		assert_true(alen >= 4 && off + alen <= r->len);
		if (atype == type) {
			*plen = alen - 4u;
			return r->data + off + 4;
		}
		off += (alen + 3u) & ~3u;
	}
	return NULL;
}

struct rec_links {
	struct vn_link l[REC_NLINKS];
	size_t n;
};

static void recorded_links(struct rec_links *rl)
{
	size_t i;

	assert_int_equal(NL_N_link_RECORDS, REC_NLINKS);
	rl->n = 0;
	for (i = 0; i < NL_N_link_RECORDS; i++) {
		const struct nl_record *r = &nl_link_records[i];

		assert_int_equal(parse_link(r->data, r->len, &rl->l[rl->n]), 0);
		rl->n++;
	}
}

static const struct vn_link *by_name(const struct rec_links *rl,
				     const char *name)
{
	size_t i;

	for (i = 0; i < rl->n; i++)
		if (strcmp(rl->l[i].name, name) == 0)
			return &rl->l[i];
	fail_msg("no link %s in the recording", name);
	return NULL;
}

/* ---- request builders ---- */

static void put16(unsigned char *p, uint16_t v)
{
	memcpy(p, &v, sizeof(v));
}

static void put32(unsigned char *p, uint32_t v)
{
	memcpy(p, &v, sizeof(v));
}

static void test_req_getlink(void **state)
{
	unsigned char buf[VN_NL_REQ_SIZE] __attribute__((aligned(8)));
	unsigned char want[32];
	struct nlmsghdr *nlh;

	(void)state;
	memset(buf, 0xa5, sizeof(buf));
	nlh = vn_nl_req_getlink(buf, 0x01020304);
	assert_ptr_equal(nlh, buf);

	/* nlmsghdr, then a zeroed ifinfomsg: family AF_UNSPEC, index 0. */
	memset(want, 0, sizeof(want));
	put32(want + 0, 32);
	put16(want + 4, RTM_GETLINK);
	put16(want + 6, NLM_F_REQUEST | NLM_F_DUMP);
	put32(want + 8, 0x01020304);
	assert_int_equal(nlh->nlmsg_len, sizeof(want));
	assert_memory_equal(buf, want, sizeof(want));
	assert_int_equal(RTM_GETLINK, 18);
	assert_int_equal(NLM_F_REQUEST | NLM_F_DUMP, 0x301);
}

static void test_req_getstats(void **state)
{
	unsigned char buf[VN_NL_REQ_SIZE] __attribute__((aligned(8)));
	unsigned char want[28];
	struct nlmsghdr *nlh;

	(void)state;
	memset(buf, 0xa5, sizeof(buf));
	nlh = vn_nl_req_getstats(buf, 7);
	assert_ptr_equal(nlh, buf);

	/* if_stats_msg: family, pad1, pad2, ifindex 0, filter_mask. */
	memset(want, 0, sizeof(want));
	put32(want + 0, 28);
	put16(want + 4, RTM_GETSTATS);
	put16(want + 6, NLM_F_REQUEST | NLM_F_DUMP);
	put32(want + 8, 7);
	put32(want + 24, 1u << (IFLA_STATS_LINK_64 - 1));
	assert_int_equal(nlh->nlmsg_len, sizeof(want));
	assert_memory_equal(buf, want, sizeof(want));
	assert_int_equal(RTM_GETSTATS, 94);
	assert_int_equal(IFLA_STATS_FILTER_BIT(IFLA_STATS_LINK_64), 1);
}

static void test_req_seq_differs(void **state)
{
	unsigned char a[VN_NL_REQ_SIZE] __attribute__((aligned(8)));
	unsigned char b[VN_NL_REQ_SIZE] __attribute__((aligned(8)));

	(void)state;
	vn_nl_req_getstats(a, 1);
	vn_nl_req_getstats(b, 2);
	assert_int_equal(((struct nlmsghdr *)a)->nlmsg_seq, 1);
	assert_int_equal(((struct nlmsghdr *)b)->nlmsg_seq, 2);
	/* The requests themselves must parse as neither reply type. */
	assert_int_equal(vn_nl_parse_stats((void *)a, &(uint32_t){0},
					   &(struct vn_counters){0}),
			 -1);
	vn_nl_req_getlink(a, 1);
	assert_int_equal(vn_nl_parse_link((void *)a, &(struct vn_link){0}), -1);
}

/* ---- recorded link dump ---- */

static void test_recorded_links_raw(void **state)
{
	size_t i, plen;

	(void)state;
	for (i = 0; i < NL_N_link_RECORDS; i++) {
		const struct nl_record *r = &nl_link_records[i];
		const unsigned char *p;
		struct vn_link l;

		assert_int_equal(parse_link(r->data, r->len, &l), 0);
		/* ifinfomsg.ifi_index sits at byte 20 of the message. */
		assert_int_equal(l.ifindex, get32(r->data + 20));
		p = raw_attr(r, 16, IFLA_IFNAME, &plen);
		assert_non_null(p);
		assert_string_equal(l.name, (const char *)p);
		p = raw_attr(r, 16, IFLA_MASTER, &plen);
		assert_int_equal(l.master, p ? get32(p) : 0);
	}
}

static void test_recorded_topology(void **state)
{
	const struct vn_link *br, *p0, *p1, *lo, *lng;
	struct rec_links rl;

	(void)state;
	recorded_links(&rl);
	br = by_name(&rl, REC_BRIDGE);
	p0 = by_name(&rl, REC_PORT0);
	p1 = by_name(&rl, REC_PORT1);
	lo = by_name(&rl, "lo");
	lng = by_name(&rl, REC_LONG);

	assert_true(br->is_bridge);
	assert_int_equal(br->master, 0);
	assert_int_not_equal(br->ifindex, 0);
	assert_int_equal(p0->master, br->ifindex);
	assert_int_equal(p1->master, br->ifindex);
	assert_false(p0->is_bridge);
	assert_false(p1->is_bridge);
	assert_false(lo->is_bridge);
	assert_int_equal(lo->master, 0);
	assert_int_equal(lo->ifindex, 1);
	assert_false(lng->is_bridge);
	assert_int_equal(lng->master, 0);
	assert_int_equal(strlen(lng->name), IFNAMSIZ - 1);
}

/* ---- recorded stats dump ---- */

static void check_raw_stats(const struct nl_record *r, uint32_t ifindex,
			    const struct vn_counters *c)
{
	const unsigned char *s;
	size_t plen;

	/* if_stats_msg.ifindex sits at byte 20 of the message. */
	assert_int_equal(ifindex, get32(r->data + 20));
	s = raw_attr(r, 12, IFLA_STATS_LINK_64, &plen);
	assert_non_null(s);
	assert_true(plen >= 192);
	assert_int_equal(c->rx_packets, get64(s + ST_RX_PACKETS));
	assert_int_equal(c->tx_packets, get64(s + ST_TX_PACKETS));
	assert_int_equal(c->rx_bytes, get64(s + ST_RX_BYTES));
	assert_int_equal(c->tx_bytes, get64(s + ST_TX_BYTES));
	assert_int_equal(c->rx_dropped, get64(s + ST_RX_DROPPED));
	assert_int_equal(c->tx_dropped, get64(s + ST_TX_DROPPED));
}

static void test_recorded_stats(void **state)
{
	struct vn_counters c[REC_NLINKS], *br = NULL, *p0 = NULL, *p1 = NULL;
	struct rec_links rl;
	size_t i, j;

	(void)state;
	recorded_links(&rl);
	/* One stats message per link, in the same order. */
	assert_int_equal(NL_N_stats_RECORDS, rl.n);
	for (i = 0; i < NL_N_stats_RECORDS; i++) {
		const struct nl_record *r = &nl_stats_records[i];
		uint32_t ifindex;

		assert_int_equal(parse_stats(r->data, r->len, &ifindex, &c[i]),
				 0);
		check_raw_stats(r, ifindex, &c[i]);
		for (j = 0; j < rl.n; j++)
			if (rl.l[j].ifindex == ifindex)
				break;
		assert_true(j < rl.n);
		if (!strcmp(rl.l[j].name, REC_BRIDGE))
			br = &c[i];
		else if (!strcmp(rl.l[j].name, REC_PORT0))
			p0 = &c[i];
		else if (!strcmp(rl.l[j].name, REC_PORT1))
			p1 = &c[i];
	}
	assert_non_null(br);
	assert_non_null(p0);
	assert_non_null(p1);

	/*
	 * Namespace A sent one ARP request (42 bytes) and five 6-byte UDP
	 * datagrams (48 bytes each) into veth0.
	 */
	assert_int_equal(p0->rx_packets, 6);
	assert_int_equal(p0->rx_bytes, 42 + 5 * 48);
	/*
	 * A two-port bridge forwards all a port receives out of the other
	 * port, and floods what the bridge device sends out of both: rx
	 * and tx cannot be swapped, nor bytes and packets, without this
	 * failing.
	 */
	assert_int_equal(p1->tx_packets, p0->rx_packets + br->tx_packets);
	assert_int_equal(p1->tx_bytes, p0->rx_bytes + br->tx_bytes);
	assert_int_equal(p0->tx_packets, p1->rx_packets + br->tx_packets);
	assert_int_equal(p0->tx_bytes, p1->rx_bytes + br->tx_bytes);
	assert_true(p1->rx_packets > 0);
	assert_true(p0->rx_bytes > p0->rx_packets * 14);
	assert_true(p1->rx_bytes > p1->rx_packets * 14);
}

/* ---- recorded events ---- */

static void test_recorded_events(void **state)
{
	const struct vn_link *p1;
	struct rec_links rl;
	size_t i, ndel = 0, nbridge = 0;

	(void)state;
	recorded_links(&rl);
	p1 = by_name(&rl, REC_PORT1);
	for (i = 0; i < NL_N_event_RECORDS; i++) {
		const struct nl_record *r = &nl_event_records[i];
		struct vn_link l;
		int ret = parse_link(r->data, r->len, &l);

		/* ifinfomsg.ifi_family is byte 16. */
		if (r->data[16] == AF_BRIDGE) {
			/* Port state, not the device: never a link. */
			assert_int_equal(ret, -1);
			nbridge++;
			continue;
		}
		assert_int_equal(ret, 0);
		assert_int_equal(l.ifindex, get32(r->data + 20));
		/* nlmsg_type is bytes 4-5. */
		if (get16(r->data + 4) == RTM_DELLINK) {
			assert_int_equal(l.ifindex, p1->ifindex);
			assert_string_equal(l.name, REC_PORT1);
			ndel++;
		}
	}
	assert_int_equal(ndel, 1);
	/* The recording holds the port's removal from the bridge too. */
	assert_true(nbridge > 0);
}

/* ---- truncation and corruption of every recorded message ---- */

static void sweep_record(const struct nl_record *r, bool stats_only_attr)
{
	struct vn_counters c;
	struct vn_link l;
	uint32_t ifindex;
	unsigned char *m;
	size_t len, i;

	for (len = 0; len < r->len; len++) {
		int ls = parse_link(r->data, len, &l);
		int ss = parse_stats(r->data, len, &ifindex, &c);

		assert_true(ls == -1 || ls == 0);
		assert_true(ss == -1 || ss == 0);
		/* IFLA_STATS_LINK_64 is the only attribute: any cut hurts. */
		if (stats_only_attr)
			assert_int_equal(ss, -1);
		/* Too short for a name attribute: no link. */
		if (len < 16 + 16 + 4 + 2)
			assert_int_equal(ls, -1);
	}
	/* Every byte inverted in turn: any answer but a crash is fine. */
	m = malloc(r->len);
	assert_non_null(m);
	for (i = 0; i < r->len; i++) {
		memcpy(m, r->data, r->len);
		m[i] ^= 0xff;
		if (i < 4)
			continue; /* exact_copy() restores nlmsg_len */
		(void)parse_link(m, r->len, &l);
		(void)parse_stats(m, r->len, &ifindex, &c);
	}
	free(m);
}

static void test_recorded_truncated(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < NL_N_link_RECORDS; i++)
		sweep_record(&nl_link_records[i], false);
	for (i = 0; i < NL_N_stats_RECORDS; i++)
		sweep_record(&nl_stats_records[i], true);
	for (i = 0; i < NL_N_event_RECORDS; i++)
		sweep_record(&nl_event_records[i], false);
}

static void test_wrong_parser(void **state)
{
	struct vn_counters c;
	struct vn_link l;
	uint32_t ifindex;
	size_t i;

	(void)state;
	for (i = 0; i < NL_N_link_RECORDS; i++) {
		const struct nl_record *r = &nl_link_records[i];

		assert_int_equal(parse_stats(r->data, r->len, &ifindex, &c),
				 -1);
	}
	for (i = 0; i < NL_N_stats_RECORDS; i++) {
		const struct nl_record *r = &nl_stats_records[i];

		assert_int_equal(parse_link(r->data, r->len, &l), -1);
	}
}

/* Right body, wrong nlmsg_type: refused. */
static void test_wrong_type(void **state)
{
	const struct nl_record *r = &nl_link_records[0];
	static const uint16_t types[] = {
		NLMSG_NOOP,  NLMSG_ERROR, NLMSG_DONE,	RTM_GETLINK,
		RTM_SETLINK, RTM_NEWADDR, RTM_NEWSTATS, RTM_GETSTATS,
	};
	struct vn_link l;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		struct nlmsghdr *nlh = exact_copy(r->data, r->len);

		nlh->nlmsg_type = types[i];
		assert_int_equal(vn_nl_parse_link(nlh, &l), -1);
		nlh->nlmsg_type = RTM_DELLINK;
		assert_int_equal(vn_nl_parse_link(nlh, &l), 0);
		free(nlh);
	}
}

/* ---- hand-built link messages ---- */

struct msgbuf {
	unsigned char b[1024] __attribute__((aligned(8)));
};

static struct nlmsghdr *link_msg(struct msgbuf *mb, uint16_t type,
				 uint8_t family, int ifindex)
{
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifi;

	memset(mb, 0, sizeof(*mb));
	nlh = mnl_nlmsg_put_header(mb->b);
	nlh->nlmsg_type = type;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = family;
	ifi->ifi_index = ifindex;
	return nlh;
}

static int parse_built_link(const struct nlmsghdr *nlh, struct vn_link *l)
{
	return parse_link(nlh, nlh->nlmsg_len, l);
}

/* An attribute with an exact payload, padded as the kernel pads. */
static void put_raw(struct nlmsghdr *nlh, uint16_t type, const void *p,
		    size_t len)
{
	mnl_attr_put(nlh, type, len, p);
}

static void test_link_minimal(void **state)
{
	struct msgbuf mb;
	struct nlmsghdr *nlh;
	struct vn_link l;

	(void)state;
	nlh = link_msg(&mb, RTM_NEWLINK, AF_UNSPEC, 42);
	mnl_attr_put_strz(nlh, IFLA_IFNAME, "x");
	memset(&l, 0x5a, sizeof(l));
	assert_int_equal(parse_built_link(nlh, &l), 0);
	assert_int_equal(l.ifindex, 42);
	assert_int_equal(l.master, 0);
	assert_false(l.is_bridge);
	assert_string_equal(l.name, "x");

	nlh->nlmsg_type = RTM_DELLINK;
	assert_int_equal(parse_built_link(nlh, &l), 0);
}

static void test_link_bad_header(void **state)
{
	struct msgbuf mb;
	struct nlmsghdr *nlh;
	struct vn_link l;

	(void)state;
	nlh = link_msg(&mb, RTM_NEWLINK, AF_UNSPEC, 0);
	mnl_attr_put_strz(nlh, IFLA_IFNAME, "x");
	assert_int_equal(parse_built_link(nlh, &l), -1); /* no ifindex */
	nlh = link_msg(&mb, RTM_NEWLINK, AF_UNSPEC, -3);
	mnl_attr_put_strz(nlh, IFLA_IFNAME, "x");
	assert_int_equal(parse_built_link(nlh, &l), -1);
	nlh = link_msg(&mb, RTM_NEWLINK, AF_BRIDGE, 3);
	mnl_attr_put_strz(nlh, IFLA_IFNAME, "x");
	assert_int_equal(parse_built_link(nlh, &l), -1);
	nlh = link_msg(&mb, RTM_NEWLINK, AF_INET, 3);
	mnl_attr_put_strz(nlh, IFLA_IFNAME, "x");
	assert_int_equal(parse_built_link(nlh, &l), -1);

	/* nlmsg_len claims less than the header and the ifinfomsg. */
	nlh = link_msg(&mb, RTM_NEWLINK, AF_UNSPEC, 3);
	mnl_attr_put_strz(nlh, IFLA_IFNAME, "x");
	assert_int_equal(parse_link(nlh, 0, &l), -1);
	assert_int_equal(parse_link(nlh, 15, &l), -1);
	assert_int_equal(parse_link(nlh, 16, &l), -1);
	assert_int_equal(parse_link(nlh, 31, &l), -1);
	/* Header only, no attributes: no name. */
	assert_int_equal(parse_link(nlh, 32, &l), -1);
}

static void test_link_names(void **state)
{
	static const char nonul[] = {'e', 't', 'h', '0'};
	static const char inner[] = "eth0\0garbage"; /* NUL inside */
	static const char empty[] = "";
	struct msgbuf mb;
	struct nlmsghdr *nlh;
	struct vn_link l;
	char name[64];

	(void)state;
	/* No IFLA_IFNAME at all. */
	nlh = link_msg(&mb, RTM_NEWLINK, AF_UNSPEC, 3);
	mnl_attr_put_u32(nlh, IFLA_MASTER, 2);
	assert_int_equal(parse_built_link(nlh, &l), -1);

	/* IFLA_IFNAME without its NUL. */
	nlh = link_msg(&mb, RTM_NEWLINK, AF_UNSPEC, 3);
	put_raw(nlh, IFLA_IFNAME, nonul, sizeof(nonul));
	assert_int_equal(parse_built_link(nlh, &l), -1);

	/* Zero-length payload, and the empty string. */
	nlh = link_msg(&mb, RTM_NEWLINK, AF_UNSPEC, 3);
	put_raw(nlh, IFLA_IFNAME, NULL, 0);
	assert_int_equal(parse_built_link(nlh, &l), -1);
	nlh = link_msg(&mb, RTM_NEWLINK, AF_UNSPEC, 3);
	put_raw(nlh, IFLA_IFNAME, empty, sizeof(empty));
	assert_int_equal(parse_built_link(nlh, &l), -1);

	/* A NUL before the last byte ends the name there. */
	nlh = link_msg(&mb, RTM_NEWLINK, AF_UNSPEC, 3);
	put_raw(nlh, IFLA_IFNAME, inner, sizeof(inner));
	assert_int_equal(parse_built_link(nlh, &l), 0);
	assert_string_equal(l.name, "eth0");

	/* IFNAMSIZ - 1 characters fit, IFNAMSIZ do not. */
	memset(name, 'n', sizeof(name));
	name[IFNAMSIZ - 1] = '\0';
	nlh = link_msg(&mb, RTM_NEWLINK, AF_UNSPEC, 3);
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	assert_int_equal(parse_built_link(nlh, &l), 0);
	assert_string_equal(l.name, name);

	memset(name, 'n', sizeof(name));
	name[IFNAMSIZ] = '\0';
	nlh = link_msg(&mb, RTM_NEWLINK, AF_UNSPEC, 3);
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	assert_int_equal(parse_built_link(nlh, &l), -1);

	memset(name, 'n', sizeof(name));
	name[sizeof(name) - 1] = '\0';
	nlh = link_msg(&mb, RTM_NEWLINK, AF_UNSPEC, 3);
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	assert_int_equal(parse_built_link(nlh, &l), -1);
}

static void test_link_master(void **state)
{
	static const uint16_t shortv = 2;
	struct msgbuf mb;
	struct nlmsghdr *nlh;
	struct vn_link l;

	(void)state;
	nlh = link_msg(&mb, RTM_NEWLINK, AF_UNSPEC, 3);
	mnl_attr_put_strz(nlh, IFLA_IFNAME, "veth0");
	mnl_attr_put_u32(nlh, IFLA_MASTER, 7);
	assert_int_equal(parse_built_link(nlh, &l), 0);
	assert_int_equal(l.master, 7);

	nlh = link_msg(&mb, RTM_NEWLINK, AF_UNSPEC, 3);
	mnl_attr_put_strz(nlh, IFLA_IFNAME, "veth0");
	put_raw(nlh, IFLA_MASTER, &shortv, sizeof(shortv));
	assert_int_equal(parse_built_link(nlh, &l), -1);

	nlh = link_msg(&mb, RTM_NEWLINK, AF_UNSPEC, 3);
	mnl_attr_put_strz(nlh, IFLA_IFNAME, "veth0");
	put_raw(nlh, IFLA_MASTER, NULL, 0);
	assert_int_equal(parse_built_link(nlh, &l), -1);
}

static struct nlmsghdr *kind_msg(struct msgbuf *mb, const void *kind,
				 size_t kindlen, uint16_t nest_flags)
{
	struct nlmsghdr *nlh = link_msg(mb, RTM_NEWLINK, AF_UNSPEC, 5);
	struct nlattr *nest;

	mnl_attr_put_strz(nlh, IFLA_IFNAME, "br0");
	nest = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	nest->nla_type = IFLA_LINKINFO | nest_flags;
	if (kind)
		put_raw(nlh, IFLA_INFO_KIND, kind, kindlen);
	mnl_attr_nest_end(nlh, nest);
	return nlh;
}

static void test_link_kind(void **state)
{
	static const char nonul[] = {'b', 'r', 'i', 'd', 'g', 'e'};
	struct msgbuf mb;
	struct vn_link l;

	(void)state;
	assert_int_equal(parse_built_link(kind_msg(&mb, "bridge", 7, 0), &l),
			 0);
	assert_true(l.is_bridge);
	/* The kernel may flag the nest NLA_F_NESTED. */
	assert_int_equal(
		parse_built_link(kind_msg(&mb, "bridge", 7, NLA_F_NESTED), &l),
		0);
	assert_true(l.is_bridge);

	assert_int_equal(parse_built_link(kind_msg(&mb, "veth", 5, 0), &l), 0);
	assert_false(l.is_bridge);
	assert_int_equal(parse_built_link(kind_msg(&mb, "bridgex", 8, 0), &l),
			 0);
	assert_false(l.is_bridge);
	assert_int_equal(parse_built_link(kind_msg(&mb, "brid", 5, 0), &l), 0);
	assert_false(l.is_bridge);
	/* An empty nest, or one without IFLA_INFO_KIND. */
	assert_int_equal(parse_built_link(kind_msg(&mb, NULL, 0, 0), &l), 0);
	assert_false(l.is_bridge);

	/* IFLA_INFO_KIND without NUL, or empty. */
	assert_int_equal(
		parse_built_link(kind_msg(&mb, nonul, sizeof(nonul), 0), &l),
		-1);
	assert_int_equal(parse_built_link(kind_msg(&mb, "", 0, 0), &l), -1);
}

static void test_link_linkinfo_malformed(void **state)
{
	struct msgbuf mb;
	struct nlmsghdr *nlh;
	struct nlattr *nest, *inner;
	struct vn_link l;

	(void)state;
	/* A nest of 2 bytes: shorter than an attribute header. */
	nlh = link_msg(&mb, RTM_NEWLINK, AF_UNSPEC, 5);
	mnl_attr_put_strz(nlh, IFLA_IFNAME, "br0");
	put_raw(nlh, IFLA_LINKINFO, "ab", 2);
	assert_int_equal(parse_built_link(nlh, &l), -1);

	/* The inner attribute claims more than the nest holds. */
	nlh = kind_msg(&mb, "bridge", 7, 0);
	nest = (struct nlattr *)((char *)nlh + 16 + 16 + 8);
	assert_int_equal(nest->nla_type, IFLA_LINKINFO);
	inner = mnl_attr_get_payload(nest);
	inner->nla_len = nest->nla_len;
	assert_int_equal(parse_built_link(nlh, &l), -1);

	/* ... or less than its own header. */
	nlh = kind_msg(&mb, "bridge", 7, 0);
	nest = (struct nlattr *)((char *)nlh + 16 + 16 + 8);
	inner = mnl_attr_get_payload(nest);
	inner->nla_len = 2;
	assert_int_equal(parse_built_link(nlh, &l), -1);

	/* The nest claims more than the message holds. */
	nlh = kind_msg(&mb, "bridge", 7, 0);
	nest = (struct nlattr *)((char *)nlh + 16 + 16 + 8);
	nest->nla_len += 8;
	assert_int_equal(parse_built_link(nlh, &l), -1);

	/* Bytes left over in the nest after the last attribute. */
	nlh = kind_msg(&mb, "bridge", 7, 0);
	nest = (struct nlattr *)((char *)nlh + 16 + 16 + 8);
	nlh->nlmsg_len += 4;
	nest->nla_len += 3;
	assert_int_equal(parse_built_link(nlh, &l), -1);
}

static void test_link_attr_bounds(void **state)
{
	struct msgbuf mb;
	struct nlmsghdr *nlh;
	struct nlattr *a;
	struct vn_link l;

	(void)state;
	/* An attribute longer than the message. */
	nlh = link_msg(&mb, RTM_NEWLINK, AF_UNSPEC, 3);
	mnl_attr_put_strz(nlh, IFLA_IFNAME, "eth0");
	a = (struct nlattr *)((char *)nlh + 32);
	a->nla_len = 200;
	assert_int_equal(parse_built_link(nlh, &l), -1);

	/* nla_len 0 and 3: would loop or read a partial header. */
	a->nla_len = 0;
	assert_int_equal(parse_built_link(nlh, &l), -1);
	a->nla_len = 3;
	assert_int_equal(parse_built_link(nlh, &l), -1);

	/* Two stray bytes after the last attribute. */
	nlh = link_msg(&mb, RTM_NEWLINK, AF_UNSPEC, 3);
	mnl_attr_put_strz(nlh, IFLA_IFNAME, "eth0");
	nlh->nlmsg_len += 2;
	assert_int_equal(parse_built_link(nlh, &l), -1);

	/* An unpadded last attribute (nlmsg_len not a multiple of 4). */
	nlh = link_msg(&mb, RTM_NEWLINK, AF_UNSPEC, 3);
	mnl_attr_put_strz(nlh, IFLA_IFNAME, "eth0");
	nlh->nlmsg_len -= 3;
	assert_int_equal(parse_built_link(nlh, &l), 0);
	assert_string_equal(l.name, "eth0");

	/* Unknown and out-of-range attribute types are skipped. */
	nlh = link_msg(&mb, RTM_NEWLINK, AF_UNSPEC, 3);
	mnl_attr_put_u32(nlh, IFLA_MAX + 1, 1);
	mnl_attr_put_u32(nlh, 0x3fff, 1);
	mnl_attr_put_strz(nlh, IFLA_IFNAME, "eth0");
	assert_int_equal(parse_built_link(nlh, &l), 0);
}

/* ---- hand-built stats messages ---- */

static struct nlmsghdr *stats_msg(struct msgbuf *mb, uint32_t ifindex,
				  size_t plen, bool pad)
{
	unsigned char payload[512];
	struct nlmsghdr *nlh;
	struct if_stats_msg *ifsm;
	size_t i;

	/* Every u64 field distinct: field i holds 0x0i0i0i0i0i0i0i0i + i. */
	for (i = 0; i < sizeof(payload); i++)
		payload[i] = (unsigned char)(i / 8 + 1);
	memset(mb, 0, sizeof(*mb));
	nlh = mnl_nlmsg_put_header(mb->b);
	nlh->nlmsg_type = RTM_NEWSTATS;
	ifsm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifsm));
	ifsm->ifindex = ifindex;
	ifsm->filter_mask = IFLA_STATS_FILTER_BIT(IFLA_STATS_LINK_64);
	/* The pad attribute leaves the u64s only 4-byte aligned. */
	if (pad)
		put_raw(nlh, IFLA_STATS_UNSPEC, NULL, 0);
	put_raw(nlh, IFLA_STATS_LINK_64, payload, plen);
	return nlh;
}

static uint64_t field(unsigned int i)
{
	return 0x0101010101010101ull * (i + 1);
}

static int parse_built_stats(const struct nlmsghdr *nlh, uint32_t *ifindex,
			     struct vn_counters *c)
{
	return parse_stats(nlh, nlh->nlmsg_len, ifindex, c);
}

static void test_stats_fields(void **state)
{
	struct msgbuf mb;
	struct vn_counters c;
	uint32_t ifindex;
	int pad;

	(void)state;
	for (pad = 0; pad < 2; pad++) {
		const struct nlmsghdr *nlh = stats_msg(&mb, 9, 200, pad);

		memset(&c, 0, sizeof(c));
		assert_int_equal(parse_built_stats(nlh, &ifindex, &c), 0);
		assert_int_equal(ifindex, 9);
		assert_int_equal(c.rx_packets, field(0));
		assert_int_equal(c.tx_packets, field(1));
		assert_int_equal(c.rx_bytes, field(2));
		assert_int_equal(c.tx_bytes, field(3));
		assert_int_equal(c.rx_dropped, field(6));
		assert_int_equal(c.tx_dropped, field(7));
	}
}

static void test_stats_lengths(void **state)
{
	struct msgbuf mb;
	struct vn_counters c;
	uint32_t ifindex;

	(void)state;
	/* Linux 4.7..5.18 send 192 bytes, 5.19+ 200, later maybe more. */
	assert_int_equal(
		parse_built_stats(stats_msg(&mb, 9, 192, false), &ifindex, &c),
		0);
	assert_int_equal(c.tx_dropped, field(7));
	assert_int_equal(
		parse_built_stats(stats_msg(&mb, 9, 400, true), &ifindex, &c),
		0);
	assert_int_equal(c.rx_bytes, field(2));
	/* Shorter than any kernel's struct rtnl_link_stats64. */
	assert_int_equal(
		parse_built_stats(stats_msg(&mb, 9, 191, false), &ifindex, &c),
		-1);
	assert_int_equal(
		parse_built_stats(stats_msg(&mb, 9, 64, false), &ifindex, &c),
		-1);
	assert_int_equal(
		parse_built_stats(stats_msg(&mb, 9, 0, false), &ifindex, &c),
		-1);
}

static void test_stats_malformed(void **state)
{
	struct msgbuf mb;
	struct nlmsghdr *nlh;
	struct nlattr *a;
	struct vn_counters c;
	uint32_t ifindex;

	(void)state;
	/* No ifindex. */
	assert_int_equal(
		parse_built_stats(stats_msg(&mb, 0, 200, false), &ifindex, &c),
		-1);

	/* No IFLA_STATS_LINK_64: only another statistics attribute. */
	nlh = stats_msg(&mb, 9, 0, false);
	nlh->nlmsg_len = 16 + 12;
	mnl_attr_put_u32(nlh, IFLA_STATS_LINK_XSTATS, 0);
	assert_int_equal(parse_built_stats(nlh, &ifindex, &c), -1);

	/* The attribute runs past the message. */
	nlh = stats_msg(&mb, 9, 200, false);
	a = (struct nlattr *)((char *)nlh + 28);
	a->nla_len += 4;
	assert_int_equal(parse_built_stats(nlh, &ifindex, &c), -1);

	/* Header cut short. */
	nlh = stats_msg(&mb, 9, 200, false);
	assert_int_equal(parse_stats(nlh, 27, &ifindex, &c), -1);
	assert_int_equal(parse_stats(nlh, 28, &ifindex, &c), -1);

	/* A link message's type on a stats body. */
	nlh = stats_msg(&mb, 9, 200, false);
	nlh->nlmsg_type = RTM_NEWLINK;
	assert_int_equal(parse_built_stats(nlh, &ifindex, &c), -1);
	nlh->nlmsg_type = RTM_GETSTATS;
	assert_int_equal(parse_built_stats(nlh, &ifindex, &c), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_req_getlink),
		cmocka_unit_test(test_req_getstats),
		cmocka_unit_test(test_req_seq_differs),
		cmocka_unit_test(test_recorded_links_raw),
		cmocka_unit_test(test_recorded_topology),
		cmocka_unit_test(test_recorded_stats),
		cmocka_unit_test(test_recorded_events),
		cmocka_unit_test(test_recorded_truncated),
		cmocka_unit_test(test_wrong_parser),
		cmocka_unit_test(test_wrong_type),
		cmocka_unit_test(test_link_minimal),
		cmocka_unit_test(test_link_bad_header),
		cmocka_unit_test(test_link_names),
		cmocka_unit_test(test_link_master),
		cmocka_unit_test(test_link_kind),
		cmocka_unit_test(test_link_linkinfo_malformed),
		cmocka_unit_test(test_link_attr_bounds),
		cmocka_unit_test(test_stats_fields),
		cmocka_unit_test(test_stats_lengths),
		cmocka_unit_test(test_stats_malformed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
