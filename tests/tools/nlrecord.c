/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * nlrecord.c - record raw rtnetlink messages as C arrays, to feed the
 * parsers of src/nlmsg.c in tests/unit/test_nlmsg.c.
 *
 * Not built by make. It dumps RTM_GETLINK (AF_UNSPEC) and RTM_GETSTATS
 * (IFLA_STATS_LINK_64) in the current network namespace, then runs a
 * command while listening on RTNLGRP_LINK, and writes every message it
 * received, byte for byte, to OUTPUT as a C header.
 *
 * Build:
 *	cc -Wall -Wextra -o /tmp/nlrecord tests/tools/nlrecord.c -lmnl
 *
 * Run as root, in private network namespaces only (never on the host's
 * own links). tests/data/nl_records.h was made with exactly this:
 *
 *	R=vnrec A=vnrec-a B=vnrec-b
 *	for n in $R $A $B; do
 *		ip netns add $n
 *		ip netns exec $n sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
 *			net.ipv6.conf.default.disable_ipv6=1
 *		ip -n $n link set lo up
 *	done
 *	ip -n $R link add br0 type bridge
 *	ip -n $R link add veth0 type veth peer name eth0 netns $A
 *	ip -n $R link add veth1 type veth peer name eth0 netns $B
 *	ip -n $R link add vn-vxlan-abcdef type vxlan \
 *		id 42 dstport 4789
 *	ip -n $R link set veth0 master br0
 *	ip -n $R link set veth1 master br0
 *	for l in br0 veth0 veth1 vn-vxlan-abcdef; do
 *		ip -n $R link set $l up
 *	done
 *	ip -n $A addr add 192.0.2.1/24 dev eth0
 *	ip -n $B addr add 192.0.2.2/24 dev eth0
 *	ip -n $A link set eth0 up
 *	ip -n $B link set eth0 up
 *	ip netns exec $A bash -c 'for i in 1 2 3 4 5; do
 *		echo hello >/dev/udp/192.0.2.2/9; sleep 0.2; done'
 *	ip netns exec $R /tmp/nlrecord tests/data/nl_records.h \
 *		ip link del veth1
 *	for n in $R $A $B; do ip netns del $n; done
 *
 * (No ping(8) needed: bash's /dev/udp sends the datagrams, and B answers
 * each with an ICMP port unreachable.) IPv6 is off so that no
 * autoconfiguration traffic moves the counters while they are recorded:
 * every frame crossing br0 is one of those, or ARP for them.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <libmnl/libmnl.h>

#define MAX_RECORDS 256
#define BUF_SIZE    32768

struct record {
	const char *set; /* "link", "stats" or "event" */
	size_t len;
	unsigned char *data;
};

static struct record records[MAX_RECORDS];
static size_t nrecords;
static unsigned char buf[BUF_SIZE] __attribute__((aligned(8)));

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static int keep(const struct nlmsghdr *nlh, void *data)
{
	struct record *r;

	if (nrecords == MAX_RECORDS) {
		fprintf(stderr, "nlrecord: too many messages\n");
		exit(1);
	}
	r = &records[nrecords++];
	r->set = data;
	r->len = nlh->nlmsg_len;
	r->data = malloc(r->len);
	if (!r->data)
		die("malloc");
	memcpy(r->data, nlh, r->len);
	return MNL_CB_OK;
}

static void dump(struct mnl_socket *s, struct nlmsghdr *req, const char *set)
{
	unsigned int portid = mnl_socket_get_portid(s);
	int n, ret = MNL_CB_OK;

	if (mnl_socket_sendto(s, req, req->nlmsg_len) < 0)
		die("sendto");
	while (ret > MNL_CB_STOP) {
		n = mnl_socket_recvfrom(s, buf, sizeof(buf));
		if (n < 0)
			die("recvfrom");
		ret = mnl_cb_run(buf, n, req->nlmsg_seq, portid, keep,
				 (void *)set);
	}
	if (ret < 0)
		die("dump");
}

static void dump_links(struct mnl_socket *s)
{
	unsigned char req[64] __attribute__((aligned(8))) = {0};
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(req);
	struct ifinfomsg *ifi;

	nlh->nlmsg_type = RTM_GETLINK;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = 1;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	dump(s, nlh, "link");
}

static void dump_stats(struct mnl_socket *s)
{
	unsigned char req[64] __attribute__((aligned(8))) = {0};
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(req);
	struct if_stats_msg *ifsm;

	nlh->nlmsg_type = RTM_GETSTATS;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = 2;
	ifsm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifsm));
	ifsm->filter_mask = IFLA_STATS_FILTER_BIT(IFLA_STATS_LINK_64);
	dump(s, nlh, "stats");
}

static void run(char **argv)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		die("fork");
	if (pid == 0) {
		execvp(argv[0], argv);
		die(argv[0]);
	}
	if (waitpid(pid, &status, 0) < 0)
		die("waitpid");
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "nlrecord: %s failed\n", argv[0]);
		exit(1);
	}
}

/* Every event until the socket has been quiet for half a second. */
static void read_events(struct mnl_socket *s)
{
	struct pollfd pfd = {.fd = mnl_socket_get_fd(s), .events = POLLIN};
	int n;

	while (poll(&pfd, 1, 500) > 0) {
		n = mnl_socket_recvfrom(s, buf, sizeof(buf));
		if (n < 0)
			die("recvfrom (events)");
		if (mnl_cb_run(buf, n, 0, 0, keep, "event") < 0)
			die("events");
	}
}

static const char *type_name(const struct nlmsghdr *nlh)
{
	switch (nlh->nlmsg_type) {
	case RTM_NEWLINK:
		return "RTM_NEWLINK";
	case RTM_DELLINK:
		return "RTM_DELLINK";
	case RTM_NEWSTATS:
		return "RTM_NEWSTATS";
	}
	return "?";
}

static void write_set(FILE *f, const char *set)
{
	size_t i, n = 0;

	fprintf(f, "static const struct nl_record nl_%s_records[] = {\n", set);
	for (i = 0; i < nrecords; i++) {
		if (strcmp(records[i].set, set) != 0)
			continue;
		fprintf(f, "\t{ nl_rec_%zu, sizeof(nl_rec_%zu) },\n", i, i);
		n++;
	}
	fprintf(f, "};\n#define NL_N_%s_RECORDS %zu\n\n", set, n);
}

static void write_header(const char *path, char **cmd)
{
	FILE *f = fopen(path, "w");
	struct utsname u;
	size_t i, j;

	if (!f)
		die(path);
	if (uname(&u) < 0)
		die("uname");
	fprintf(f,
		"/* SPDX-License-Identifier: GPL-2.0-or-later */\n"
		"/*\n"
		" * Generated by tests/tools/nlrecord.c (see the recipe at"
		" its top);\n"
		" * do not edit. Raw rtnetlink messages, as Linux %s\n"
		" * sent them: the RTM_GETLINK and RTM_GETSTATS dumps of a"
		" test\n"
		" * namespace, then the RTNLGRP_LINK events of:",
		u.release);
	for (i = 0; cmd[i]; i++)
		fprintf(f, " %s", cmd[i]);
	fprintf(f, "\n */\n#ifndef NL_RECORDS_H\n#define NL_RECORDS_H\n\n"
		   "#include <stddef.h>\n\n"
		   "struct nl_record {\n\tconst unsigned char *data;\n"
		   "\tsize_t len;\n};\n\n");
	for (i = 0; i < nrecords; i++) {
		const struct record *r = &records[i];
		const struct nlmsghdr *nlh = (const void *)r->data;

		fprintf(f, "/* %s: %s, %zu bytes */\n", r->set, type_name(nlh),
			r->len);
		fprintf(f, "static const unsigned char nl_rec_%zu[] = {", i);
		for (j = 0; j < r->len; j++)
			fprintf(f, "%s0x%02x,", j % 12 ? " " : "\n\t",
				r->data[j]);
		fprintf(f, "\n};\n\n");
	}
	write_set(f, "link");
	write_set(f, "stats");
	write_set(f, "event");
	fprintf(f, "#endif /* NL_RECORDS_H */\n");
	if (fclose(f) != 0)
		die(path);
}

int main(int argc, char **argv)
{
	struct mnl_socket *dumps, *events;

	if (argc < 3) {
		fprintf(stderr, "usage: nlrecord OUTPUT.h COMMAND [ARG...]\n");
		return 2;
	}
	dumps = mnl_socket_open(NETLINK_ROUTE);
	events = mnl_socket_open(NETLINK_ROUTE);
	if (!dumps || !events)
		die("mnl_socket_open");
	if (mnl_socket_bind(dumps, 0, MNL_SOCKET_AUTOPID) < 0 ||
	    mnl_socket_bind(events, RTMGRP_LINK, MNL_SOCKET_AUTOPID) < 0)
		die("mnl_socket_bind");

	dump_links(dumps);
	dump_stats(dumps);
	/* Whatever came before the command is not its doing. */
	while (recv(mnl_socket_get_fd(events), buf, sizeof(buf),
		    MSG_DONTWAIT) >= 0)
		;
	run(argv + 2);
	read_events(events);
	write_header(argv[1], argv + 2);
	mnl_socket_close(dumps);
	mnl_socket_close(events);
	return 0;
}
