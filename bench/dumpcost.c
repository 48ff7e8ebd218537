/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * dumpcost.c - what one bare RTM_GETSTATS dump of every link costs.
 *
 * The floor under the agent's sampling cost: the same request the sampler
 * sends each second (IFLA_STATS_LINK_64 of every link in the namespace),
 * received into a 32 KiB buffer like the agent's, each message checked and
 * its rtnl_link_stats64 copied out - and nothing else. Run in the
 * namespace to measure (ip netns exec NS dumpcost).
 *
 * CPU time is this thread's (CLOCK_THREAD_CPUTIME_ID: user and system, and
 * the dump is built by the kernel in the context of our recvmsg() calls),
 * per dump; also the wall time and the user/system split from
 * getrusage(RUSAGE_THREAD).
 *
 * Usage: dumpcost [-n DUMPS] [-w WARMUP] [-g GAP_MS]
 * Output: key=value lines (dumps, links, cpu_ns_mean, cpu_ns_median, ...).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <libmnl/libmnl.h>

#define BUF_SIZE 32768
#define MAX_DUMPS 100000

struct run {
	unsigned int links;
	unsigned int bad;
	uint64_t sum; /* keeps the copies from being optimised out */
	bool intr;
};

static int64_t ts_ns(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int64_t tv_ns(const struct timeval *tv)
{
	return (int64_t)tv->tv_sec * 1000000000LL + tv->tv_usec * 1000LL;
}

static int on_msg(const struct nlmsghdr *nlh, void *data)
{
	struct run *run = data;
	const struct if_stats_msg *ifsm;
	const struct nlattr *attr;
	struct rtnl_link_stats64 st;

	if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
		run->intr = true;
	if (nlh->nlmsg_type != RTM_NEWSTATS)
		return MNL_CB_OK;
	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*ifsm))) {
		run->bad++;
		return MNL_CB_OK;
	}
	ifsm = mnl_nlmsg_get_payload(nlh);
	mnl_attr_for_each (attr, nlh, sizeof(*ifsm)) {
		uint16_t len = mnl_attr_get_payload_len(attr);

		if (mnl_attr_get_type(attr) != IFLA_STATS_LINK_64)
			continue;
		memset(&st, 0, sizeof(st));
		memcpy(&st, mnl_attr_get_payload(attr),
		       len < sizeof(st) ? len : sizeof(st));
		run->sum += st.rx_bytes + st.tx_bytes + st.rx_packets +
			    st.tx_packets + st.rx_dropped + st.tx_dropped +
			    ifsm->ifindex;
		run->links++;
	}
	return MNL_CB_OK;
}

static int one_dump(struct mnl_socket *nl, uint32_t portid, uint32_t seq,
		    void *buf, struct run *run)
{
	char req[MNL_ALIGN(sizeof(struct nlmsghdr)) +
		 MNL_ALIGN(sizeof(struct if_stats_msg))]
		__attribute__((aligned(8)));
	struct nlmsghdr *nlh;
	struct if_stats_msg *ifsm;
	ssize_t n;
	int ret;

	memset(req, 0, sizeof(req));
	nlh = mnl_nlmsg_put_header(req);
	nlh->nlmsg_type = RTM_GETSTATS;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = seq;
	ifsm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifsm));
	ifsm->family = AF_UNSPEC;
	ifsm->filter_mask = IFLA_STATS_FILTER_BIT(IFLA_STATS_LINK_64);
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	for (;;) {
		n = mnl_socket_recvfrom(nl, buf, BUF_SIZE);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		ret = mnl_cb_run(buf, (size_t)n, seq, portid, on_msg, run);
		if (ret == MNL_CB_ERROR)
			return -errno;
		if (ret == MNL_CB_STOP)
			return 0;
	}
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

static void usage(FILE *f)
{
	fprintf(f, "Usage: dumpcost [-n DUMPS] [-w WARMUP] [-g GAP_MS]\n"
		   "  -n DUMPS   dumps measured (default 200)\n"
		   "  -w WARMUP  dumps first, not measured (default 10)\n"
		   "  -g GAP_MS  pause between dumps (default 0), e.g. 1000\n"
		   "             to take them the way the sampler does\n");
}

int main(int argc, char **argv)
{
	static int64_t cpu[MAX_DUMPS], wall[MAX_DUMPS];
	static unsigned char buf[BUF_SIZE] __attribute__((aligned(8)));
	long dumps = 200, warmup = 10, gap_ms = 0;
	struct mnl_socket *nl;
	struct rusage ru0, ru1;
	unsigned int links = 0;
	int64_t cpu_sum = 0, wall_sum = 0;
	uint64_t sum = 0;
	uint32_t portid, seq = 1;
	int c, ret;

	while ((c = getopt(argc, argv, "n:w:g:h")) != -1) {
		switch (c) {
		case 'n':
			dumps = strtol(optarg, NULL, 10);
			break;
		case 'w':
			warmup = strtol(optarg, NULL, 10);
			break;
		case 'g':
			gap_ms = strtol(optarg, NULL, 10);
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (dumps < 1 || dumps > MAX_DUMPS || warmup < 0 || gap_ms < 0) {
		usage(stderr);
		return 2;
	}

	nl = mnl_socket_open(NETLINK_ROUTE);
	if (!nl || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		perror("dumpcost: netlink");
		return 1;
	}
	portid = mnl_socket_get_portid(nl);

	for (long i = 0; i < warmup; i++) {
		struct run run = { 0 };

		ret = one_dump(nl, portid, seq++, buf, &run);
		if (ret < 0) {
			fprintf(stderr, "dumpcost: dump: %s\n", strerror(-ret));
			return 1;
		}
	}
	getrusage(RUSAGE_THREAD, &ru0);
	for (long i = 0; i < dumps; i++) {
		struct run run = { 0 };
		int64_t c0, w0;

		if (gap_ms) {
			struct timespec gap = { gap_ms / 1000,
						gap_ms % 1000 * 1000000 };

			nanosleep(&gap, NULL);
		}
		w0 = ts_ns(CLOCK_MONOTONIC);
		c0 = ts_ns(CLOCK_THREAD_CPUTIME_ID);
		ret = one_dump(nl, portid, seq++, buf, &run);
		cpu[i] = ts_ns(CLOCK_THREAD_CPUTIME_ID) - c0;
		wall[i] = ts_ns(CLOCK_MONOTONIC) - w0;
		if (ret < 0) {
			fprintf(stderr, "dumpcost: dump: %s\n", strerror(-ret));
			return 1;
		}
		if (run.intr) {
			/* A link changed mid-dump: the cost still counts. */
			fprintf(stderr, "dumpcost: dump %ld interrupted\n", i);
		}
		cpu_sum += cpu[i];
		wall_sum += wall[i];
		links = run.links;
		sum += run.sum;
	}
	getrusage(RUSAGE_THREAD, &ru1);
	mnl_socket_close(nl);

	printf("dumps=%ld\n", dumps);
	printf("links=%u\n", links);
	printf("cpu_ns_mean=%lld\n", (long long)(cpu_sum / dumps));
	printf("wall_ns_mean=%lld\n", (long long)(wall_sum / dumps));
	printf("user_ns_mean=%lld\n",
	       (long long)((tv_ns(&ru1.ru_utime) - tv_ns(&ru0.ru_utime)) /
			   dumps));
	printf("sys_ns_mean=%lld\n",
	       (long long)((tv_ns(&ru1.ru_stime) - tv_ns(&ru0.ru_stime)) /
			   dumps));
	qsort(cpu, (size_t)dumps, sizeof(*cpu), cmp_i64);
	qsort(wall, (size_t)dumps, sizeof(*wall), cmp_i64);
	printf("cpu_ns_min=%lld\n", (long long)cpu[0]);
	printf("cpu_ns_median=%lld\n", (long long)cpu[dumps / 2]);
	printf("cpu_ns_p90=%lld\n", (long long)cpu[dumps * 9 / 10]);
	printf("wall_ns_median=%lld\n", (long long)wall[dumps / 2]);
	printf("checksum=%llu\n", (unsigned long long)(sum & 0xffff));
	return 0;
}
