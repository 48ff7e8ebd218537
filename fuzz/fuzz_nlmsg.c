/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fuzz_nlmsg.c - libFuzzer target for the rtnetlink parsers (src/nlmsg.c).
 *
 * The input is a receive buffer: one or more netlink messages back to
 * back, walked the way src/nlsock.c walks one (mnl_nlmsg_ok() and
 * mnl_nlmsg_next(), 4-byte aligned). The parsers trust nlmsg_len: their
 * caller guarantees that many readable bytes, at least a header's worth.
 * A mutated buffer rarely keeps its lengths right, so an nlmsg_len past
 * the end of the input is cut down to what is left (as if the kernel had
 * said so) instead of ending the walk; that keeps every message reachable
 * while never promising more bytes than there are.
 *
 * Every message is parsed from two copies of exactly nlmsg_len bytes:
 *   - a heap copy, so that AddressSanitizer reports any read past the end
 *     by our own (instrumented) code;
 *   - a copy that ends against a PROT_NONE page, so that a read past the
 *     end by libmnl (not instrumented: it is the system's library) faults
 *     too (up to the 3 bytes of padding that keep the header aligned).
 * Both must give the same answer, and neither may change the message.
 * Each message is also parsed as RTM_NEWLINK and as RTM_NEWSTATS, so that
 * a mutated type does not hide the rest of it from the parsers.
 */
#include <config.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <linux/rtnetlink.h>
#include <libmnl/libmnl.h>

#include "nlmsg.h"

/* Larger than any input libFuzzer is asked to make (fuzz/run: -max_len). */
#define MAX_MSG (1u << 16)

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static unsigned char *guard_end; /* first byte of the PROT_NONE page */

static void die(const char *what)
{
	fprintf(stderr, "fuzz_nlmsg: %s\n", what);
	abort();
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	size_t room = (MAX_MSG + page - 1) / page * page;
	unsigned char *map;

	(void)argc;
	(void)argv;
	map = mmap(NULL, room + page, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (map == MAP_FAILED)
		die("mmap failed");
	if (mprotect(map + room, page, PROT_NONE) < 0)
		die("mprotect failed");
	guard_end = map + room;
	return 0;
}

struct result {
	int link_rc;
	struct vn_link link;
	int stats_rc;
	uint32_t ifindex;
	struct vn_counters counters;
};

static void parse(const struct nlmsghdr *nlh, struct result *r)
{
	memset(r, 0, sizeof(*r));
	r->link_rc = vn_nl_parse_link(nlh, &r->link);
	r->stats_rc = vn_nl_parse_stats(nlh, &r->ifindex, &r->counters);
}

static void check(const struct nlmsghdr *nlh, const struct result *r)
{
	size_t len;

	if (r->link_rc != 0 && r->link_rc != -1)
		die("vn_nl_parse_link returned neither 0 nor -1");
	if (r->stats_rc != 0 && r->stats_rc != -1)
		die("vn_nl_parse_stats returned neither 0 nor -1");
	if (!r->link_rc) {
		if (nlh->nlmsg_type != RTM_NEWLINK &&
		    nlh->nlmsg_type != RTM_DELLINK)
			die("a link parsed from a message of another type");
		if (!r->link.ifindex || r->link.ifindex > INT32_MAX)
			die("a link with an ifindex out of range");
		len = strnlen(r->link.name, sizeof(r->link.name));
		if (len == 0 || len >= sizeof(r->link.name))
			die("a link name that is empty or not terminated");
	}
	if (!r->stats_rc) {
		if (nlh->nlmsg_type != RTM_NEWSTATS)
			die("stats parsed from a message of another type");
		if (!r->ifindex || r->ifindex > INT32_MAX)
			die("stats with an ifindex out of range");
	}
	if (!r->link_rc && !r->stats_rc)
		die("one message parsed as both a link and stats");
}

/* Parse msg (len bytes, a header at least) as type, from both copies. */
static void one(const unsigned char *msg, uint32_t len, uint16_t type)
{
	uint32_t padded = MNL_ALIGN(len);
	unsigned char *heap = malloc(len);
	unsigned char *edge = guard_end - padded;
	struct result a, b;

	if (!heap)
		die("out of memory");
	memcpy(heap, msg, len);
	((struct nlmsghdr *)heap)->nlmsg_type = type;
	((struct nlmsghdr *)heap)->nlmsg_len = len;
	memset(edge, 0xa5, padded); /* never a NUL in the padding */
	memcpy(edge, heap, len);

	parse((const struct nlmsghdr *)heap, &a);
	check((const struct nlmsghdr *)heap, &a);
	parse((const struct nlmsghdr *)edge, &b);
	if (memcmp(&a, &b, sizeof(a)))
		die("the two copies of one message parse differently");
	if (memcmp(heap, edge, len))
		die("a parser wrote into the message");
	free(heap);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned char *buf;
	struct nlmsghdr *nlh;
	int rem;

	if (size < sizeof(struct nlmsghdr) || size > MAX_MSG)
		return 0;
	/* A receive buffer is aligned; libFuzzer's data need not be. */
	buf = malloc(size);
	if (!buf)
		die("out of memory");
	memcpy(buf, data, size);

	nlh = (struct nlmsghdr *)buf;
	rem = (int)size;
	while (rem >= (int)sizeof(*nlh)) {
		if (nlh->nlmsg_len > (uint32_t)rem)
			nlh->nlmsg_len = (uint32_t)rem;
		if (!mnl_nlmsg_ok(nlh, rem))
			break; /* nlmsg_len below a header: nlsock.c stops */
		one((const unsigned char *)nlh, nlh->nlmsg_len,
		    nlh->nlmsg_type);
		one((const unsigned char *)nlh, nlh->nlmsg_len, RTM_NEWLINK);
		one((const unsigned char *)nlh, nlh->nlmsg_len, RTM_NEWSTATS);
		nlh = mnl_nlmsg_next(nlh, &rem);
	}
	free(buf);
	return 0;
}
