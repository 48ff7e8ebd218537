/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_account.c - per-member deltas, sharing over k rows, member sets.
 *
 * Every expected value here is worked out by hand from the contract's
 * "What sent means": a port sends what it transmits, the bridge device
 * (the host port) sends what it receives, drops are rx + tx on every
 * member, a member counts from its second sample, and counters going
 * backwards give 0 and a discontinuity, never a spike.
 */
#include <config.h>

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <setjmp.h>
#include <cmocka.h>

#include "account.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* ---- helpers ---- */

static struct vn_counters ctr(uint64_t rxb, uint64_t txb, uint64_t rxp,
			      uint64_t txp, uint64_t rxd, uint64_t txd)
{
	struct vn_counters c = {
		.rx_bytes = rxb,
		.tx_bytes = txb,
		.rx_packets = rxp,
		.tx_packets = txp,
		.rx_dropped = rxd,
		.tx_dropped = txd,
	};

	return c;
}

static struct vn_amounts amt(uint64_t bs, uint64_t br, uint64_t ps,
			     uint64_t pr, uint64_t pd)
{
	struct vn_amounts a = {
		.bytes_sent = bs,
		.bytes_recv = br,
		.pkts_sent = ps,
		.pkts_recv = pr,
		.pkts_dropped = pd,
	};

	return a;
}

static void assert_amounts(const struct vn_amounts *got,
			   const struct vn_amounts *want)
{
	assert_int_equal(got->bytes_sent, want->bytes_sent);
	assert_int_equal(got->bytes_recv, want->bytes_recv);
	assert_int_equal(got->pkts_sent, want->pkts_sent);
	assert_int_equal(got->pkts_recv, want->pkts_recv);
	assert_int_equal(got->pkts_dropped, want->pkts_dropped);
}

static void assert_amounts_zero(const struct vn_amounts *got)
{
	struct vn_amounts zero = amt(0, 0, 0, 0, 0);

	assert_amounts(got, &zero);
}

/* The six counters, addressable by number for the "one at a time" tests. */
static uint64_t *ctr_field(struct vn_counters *c, int i)
{
	switch (i) {
	case 0:
		return &c->rx_bytes;
	case 1:
		return &c->tx_bytes;
	case 2:
		return &c->rx_packets;
	case 3:
		return &c->tx_packets;
	case 4:
		return &c->rx_dropped;
	default:
		return &c->tx_dropped;
	}
}

#define NFIELDS 6

/*
 * A fake stats dump: the links present in one sample and their counters.
 * lookup() answers from it; a link not in it is missing from the dump.
 */
#define DUMP_MAX 16

struct dump {
	size_t n;
	uint32_t ifindex[DUMP_MAX];
	struct vn_counters c[DUMP_MAX];
	unsigned lookups;
};

static struct vn_counters *dump_slot(struct dump *d, uint32_t ifindex)
{
	for (size_t i = 0; i < d->n; i++)
		if (d->ifindex[i] == ifindex)
			return &d->c[i];
	return NULL;
}

static void dump_set(struct dump *d, uint32_t ifindex, struct vn_counters c)
{
	struct vn_counters *slot = dump_slot(d, ifindex);

	if (!slot) {
		assert_true(d->n < DUMP_MAX);
		d->ifindex[d->n] = ifindex;
		slot = &d->c[d->n++];
	}
	*slot = c;
}

/* Add traffic to a link already in the dump. */
static void dump_move(struct dump *d, uint32_t ifindex, uint64_t rxb,
		      uint64_t txb, uint64_t rxp, uint64_t txp, uint64_t rxd,
		      uint64_t txd)
{
	struct vn_counters *c = dump_slot(d, ifindex);

	assert_non_null(c);
	c->rx_bytes += rxb;
	c->tx_bytes += txb;
	c->rx_packets += rxp;
	c->tx_packets += txp;
	c->rx_dropped += rxd;
	c->tx_dropped += txd;
}

static void dump_del(struct dump *d, uint32_t ifindex)
{
	for (size_t i = 0; i < d->n; i++) {
		if (d->ifindex[i] != ifindex)
			continue;
		d->n--;
		d->ifindex[i] = d->ifindex[d->n];
		d->c[i] = d->c[d->n];
		return;
	}
	fail_msg("ifindex %u not in the dump", ifindex);
}

static const struct vn_counters *dump_lookup(uint32_t ifindex, void *arg)
{
	struct dump *d = arg;

	d->lookups++;
	return dump_slot(d, ifindex);
}

static void set_members(struct vn_acct *a, const struct vn_member_spec *s,
			size_t n)
{
	assert_int_equal(vn_acct_set_members(a, s, n), 0);
	assert_int_equal(a->n, n);
}

static bool amounts_equal(const struct vn_amounts *x,
			  const struct vn_amounts *y)
{
	return x->bytes_sent == y->bytes_sent &&
	       x->bytes_recv == y->bytes_recv &&
	       x->pkts_sent == y->pkts_sent && x->pkts_recv == y->pkts_recv &&
	       x->pkts_dropped == y->pkts_dropped;
}

static const char *fmt_amounts(char *buf, size_t size,
			       const struct vn_amounts *x)
{
	snprintf(buf, size, "{sent %llu, recv %llu, psent %llu, precv %llu, "
		 "dropped %llu}",
		 (unsigned long long)x->bytes_sent,
		 (unsigned long long)x->bytes_recv,
		 (unsigned long long)x->pkts_sent,
		 (unsigned long long)x->pkts_recv,
		 (unsigned long long)x->pkts_dropped);
	return buf;
}

/*
 * One tick; the sum and the discontinuity flag must be exactly these.
 * A macro, so that a failure names the line of the tick in the test.
 */
#define tick_expect(a, d, want, disc) \
	tick_expect_at(__LINE__, (a), (d), (want), (disc))

/* Extra context for tick failures (e.g. the second of a script). */
static char tick_ctx[64];

static void tick_expect_at(int line, struct vn_acct *a, struct dump *d,
			   struct vn_amounts want, bool want_disc)
{
	struct vn_amounts got;
	char b1[160], b2[160];
	bool disc;

	memset(&got, 0xa5, sizeof(got));
	disc = vn_acct_tick(a, dump_lookup, d, &got);
	if (!amounts_equal(&got, &want))
		fail_msg("line %d%s: tick summed %s, want %s", line, tick_ctx,
			 fmt_amounts(b1, sizeof(b1), &got),
			 fmt_amounts(b2, sizeof(b2), &want));
	if (disc != want_disc)
		fail_msg("line %d%s: discontinuity %d, want %d", line,
			 tick_ctx, disc, want_disc);
}

static const struct vn_member *member_of(const struct vn_acct *a,
					 uint32_t ifindex, enum vn_role role)
{
	for (size_t i = 0; i < a->n; i++)
		if (a->m[i].ifindex == ifindex && a->m[i].role == role)
			return &a->m[i];
	return NULL;
}

/* ---- vn_member_delta ---- */

struct delta_case {
	const char *what;
	struct vn_counters prev;
	struct vn_counters cur;
	struct vn_amounts port;	/* expected for VN_ROLE_PORT */
	struct vn_amounts host;	/* expected for VN_ROLE_HOST */
};

#define C(rxb, txb, rxp, txp, rxd, txd) \
	{ (rxb), (txb), (rxp), (txp), (rxd), (txd) }
#define A(bs, br, ps, pr, pd) { (bs), (br), (ps), (pr), (pd) }

static const struct delta_case delta_cases[] = {
	{
		"all zero",
		C(0, 0, 0, 0, 0, 0), C(0, 0, 0, 0, 0, 0),
		A(0, 0, 0, 0, 0), A(0, 0, 0, 0, 0),
	},
	{
		"equal, non-zero",
		C(11, 22, 33, 44, 55, 66), C(11, 22, 33, 44, 55, 66),
		A(0, 0, 0, 0, 0), A(0, 0, 0, 0, 0),
	},
	{
		"every counter moves by a different amount",
		C(1000, 2000, 10, 20, 1, 2),
		C(1500, 2700, 13, 27, 4, 10),
		/* port: sent = tx, recv = rx, dropped = rx + tx */
		A(700, 500, 7, 3, 3 + 8),
		/* host: sent = rx, recv = tx, dropped the same */
		A(500, 700, 3, 7, 3 + 8),
	},
	{
		"only rx moves",
		C(5, 5, 5, 5, 5, 5), C(105, 5, 6, 5, 5, 5),
		A(0, 100, 0, 1, 0), A(100, 0, 1, 0, 0),
	},
	{
		"only tx moves",
		C(5, 5, 5, 5, 5, 5), C(5, 905, 5, 14, 5, 5),
		A(900, 0, 9, 0, 0), A(0, 900, 0, 9, 0),
	},
	{
		"only rx_dropped moves",
		C(0, 0, 0, 0, 7, 0), C(0, 0, 0, 0, 19, 0),
		A(0, 0, 0, 0, 12), A(0, 0, 0, 0, 12),
	},
	{
		"only tx_dropped moves",
		C(0, 0, 0, 0, 0, 7), C(0, 0, 0, 0, 0, 8),
		A(0, 0, 0, 0, 1), A(0, 0, 0, 0, 1),
	},
	{
		"from zero",
		C(0, 0, 0, 0, 0, 0), C(1, 2, 3, 4, 5, 6),
		A(2, 1, 4, 3, 11), A(1, 2, 3, 4, 11),
	},
	{
		"UINT64_MAX - 10 to UINT64_MAX",
		C(UINT64_MAX - 10, UINT64_MAX - 10, UINT64_MAX - 10,
		  UINT64_MAX - 10, UINT64_MAX - 10, UINT64_MAX - 10),
		C(UINT64_MAX, UINT64_MAX, UINT64_MAX, UINT64_MAX, UINT64_MAX,
		  UINT64_MAX),
		A(10, 10, 10, 10, 20), A(10, 10, 10, 10, 20),
	},
	{
		"near 2^64, asymmetric",
		C(UINT64_MAX - 100, UINT64_MAX - 1000, UINT64_MAX - 3,
		  UINT64_MAX - 7, UINT64_MAX - 1, UINT64_MAX - 2),
		C(UINT64_MAX - 40, UINT64_MAX, UINT64_MAX - 1, UINT64_MAX,
		  UINT64_MAX, UINT64_MAX),
		A(1000, 60, 7, 2, 3), A(60, 1000, 2, 7, 3),
	},
	{
		"0 to UINT64_MAX in bytes (a huge but forward step)",
		C(0, 0, 0, 0, 0, 0), C(UINT64_MAX, UINT64_MAX, 0, 0, 0, 0),
		A(UINT64_MAX, UINT64_MAX, 0, 0, 0),
		A(UINT64_MAX, UINT64_MAX, 0, 0, 0),
	},
	{
		"2^32 boundary is not a wrap",
		C(0xfffffff0ULL, 0xffffffffULL, 0, 0, 0, 0),
		C(0x100000010ULL, 0x100000000ULL, 0, 0, 0, 0),
		A(1, 0x20, 0, 0, 0), A(0x20, 1, 0, 0, 0),
	},
};

static void test_delta_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(delta_cases); i++) {
		const struct delta_case *tc = &delta_cases[i];
		struct vn_amounts out;

		char b1[160], b2[160];

		memset(&out, 0xa5, sizeof(out));
		if (vn_member_delta(&tc->prev, &tc->cur, VN_ROLE_PORT, &out))
			fail_msg("%s: port delta failed", tc->what);
		if (!amounts_equal(&out, &tc->port))
			fail_msg("%s: port %s, want %s", tc->what,
				 fmt_amounts(b1, sizeof(b1), &out),
				 fmt_amounts(b2, sizeof(b2), &tc->port));

		memset(&out, 0xa5, sizeof(out));
		if (vn_member_delta(&tc->prev, &tc->cur, VN_ROLE_HOST, &out))
			fail_msg("%s: host delta failed", tc->what);
		if (!amounts_equal(&out, &tc->host))
			fail_msg("%s: host %s, want %s", tc->what,
				 fmt_amounts(b1, sizeof(b1), &out),
				 fmt_amounts(b2, sizeof(b2), &tc->host));
	}
}

/* HOST is PORT with sent and received swapped; dropped is the same. */
static void test_delta_host_is_swapped_port(void **state)
{
	uint64_t x = 0x9e3779b97f4a7c15ULL;

	(void)state;
	for (int i = 0; i < 1000; i++) {
		struct vn_counters prev, cur;
		struct vn_amounts p, h;

		for (int f = 0; f < NFIELDS; f++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			*ctr_field(&prev, f) = x >> 2;
			*ctr_field(&cur, f) = (x >> 2) + (x & 0xffff);
		}
		assert_int_equal(vn_member_delta(&prev, &cur, VN_ROLE_PORT, &p),
				 0);
		assert_int_equal(vn_member_delta(&prev, &cur, VN_ROLE_HOST, &h),
				 0);
		assert_int_equal(p.bytes_sent, cur.tx_bytes - prev.tx_bytes);
		assert_int_equal(p.bytes_recv, cur.rx_bytes - prev.rx_bytes);
		assert_int_equal(p.pkts_sent, cur.tx_packets - prev.tx_packets);
		assert_int_equal(p.pkts_recv, cur.rx_packets - prev.rx_packets);
		assert_int_equal(h.bytes_sent, p.bytes_recv);
		assert_int_equal(h.bytes_recv, p.bytes_sent);
		assert_int_equal(h.pkts_sent, p.pkts_recv);
		assert_int_equal(h.pkts_recv, p.pkts_sent);
		assert_int_equal(p.pkts_dropped,
				 (cur.rx_dropped - prev.rx_dropped) +
					 (cur.tx_dropped - prev.tx_dropped));
		assert_int_equal(h.pkts_dropped, p.pkts_dropped);
	}
}

/*
 * Each counter going backwards on its own, while every other counter
 * moves forward: -1 and all zero, for both roles.
 */
static void test_delta_backwards_each_counter(void **state)
{
	static const enum vn_role roles[] = { VN_ROLE_PORT, VN_ROLE_HOST };

	(void)state;
	for (int f = 0; f < NFIELDS; f++) {
		for (size_t r = 0; r < ARRAY_SIZE(roles); r++) {
			struct vn_counters prev = ctr(1000, 2000, 30, 40, 5, 6);
			struct vn_counters cur = ctr(1100, 2200, 33, 44, 7, 9);
			struct vn_amounts out;

			/* Backwards by exactly one. */
			*ctr_field(&cur, f) = *ctr_field(&prev, f) - 1;
			memset(&out, 0xa5, sizeof(out));
			assert_int_equal(vn_member_delta(&prev, &cur, roles[r],
							 &out),
					 -1);
			assert_amounts_zero(&out);

			/* Backwards to zero. */
			*ctr_field(&cur, f) = 0;
			memset(&out, 0xa5, sizeof(out));
			assert_int_equal(vn_member_delta(&prev, &cur, roles[r],
							 &out),
					 -1);
			assert_amounts_zero(&out);

			/* Equal in that field alone is fine. */
			*ctr_field(&cur, f) = *ctr_field(&prev, f);
			assert_int_equal(vn_member_delta(&prev, &cur, roles[r],
							 &out),
					 0);
		}
	}
}

/* UINT64_MAX -> 5 is a reset (device re-created), never a wrap of 6. */
static void test_delta_backwards_near_max(void **state)
{
	(void)state;
	for (int f = 0; f < NFIELDS; f++) {
		struct vn_counters prev = ctr(10, 10, 10, 10, 10, 10);
		struct vn_counters cur = ctr(10, 10, 10, 10, 10, 10);
		struct vn_amounts out;

		*ctr_field(&prev, f) = UINT64_MAX;
		*ctr_field(&cur, f) = 5;
		memset(&out, 0xa5, sizeof(out));
		assert_int_equal(vn_member_delta(&prev, &cur, VN_ROLE_PORT,
						 &out),
				 -1);
		assert_amounts_zero(&out);
		memset(&out, 0xa5, sizeof(out));
		assert_int_equal(vn_member_delta(&prev, &cur, VN_ROLE_HOST,
						 &out),
				 -1);
		assert_amounts_zero(&out);
	}

	/* All of them at once. */
	struct vn_counters prev = ctr(UINT64_MAX, UINT64_MAX, UINT64_MAX,
				      UINT64_MAX, UINT64_MAX, UINT64_MAX);
	struct vn_counters cur = ctr(5, 5, 5, 5, 5, 5);
	struct vn_amounts out;

	memset(&out, 0xa5, sizeof(out));
	assert_int_equal(vn_member_delta(&prev, &cur, VN_ROLE_PORT, &out), -1);
	assert_amounts_zero(&out);
}

/* ---- vn_amounts_add ---- */

static void test_amounts_add(void **state)
{
	struct vn_amounts sum = amt(1, 2, 3, 4, 5);
	struct vn_amounts a = amt(10, 20, 30, 40, 50);
	struct vn_amounts want = amt(11, 22, 33, 44, 55);

	(void)state;
	vn_amounts_add(&sum, &a);
	assert_amounts(&sum, &want);
	assert_int_equal(a.bytes_sent, 10);	/* a is untouched */

	struct vn_amounts zero = amt(0, 0, 0, 0, 0);

	vn_amounts_add(&sum, &zero);
	assert_amounts(&sum, &want);
}

/* ---- vn_amounts_share ---- */

/*
 * Share total over k rows and check the parts: they add up to total
 * exactly, no two differ by more than one, and they never increase (the
 * larger ones first). Five totals at once, one per field.
 */
static void check_share(const uint64_t total[5], uint32_t k)
{
	struct vn_amounts t = amt(total[0], total[1], total[2], total[3],
				  total[4]);
	uint64_t sum[5] = { 0 }, lo[5], hi[5], prev[5];

	for (uint32_t i = 0; i < k; i++) {
		struct vn_amounts out;
		uint64_t part[5];

		vn_amounts_share(&t, k, i, &out);
		part[0] = out.bytes_sent;
		part[1] = out.bytes_recv;
		part[2] = out.pkts_sent;
		part[3] = out.pkts_recv;
		part[4] = out.pkts_dropped;
		for (int f = 0; f < 5; f++) {
			if (i == 0) {
				lo[f] = hi[f] = part[f];
			} else {
				if (part[f] > prev[f])
					fail_msg("k=%u total=%llu: row %u "
						 "(%llu) larger than row %u "
						 "(%llu)",
						 k,
						 (unsigned long long)total[f],
						 i, (unsigned long long)part[f],
						 i - 1,
						 (unsigned long long)prev[f]);
				if (part[f] < lo[f])
					lo[f] = part[f];
				if (part[f] > hi[f])
					hi[f] = part[f];
			}
			/* Cannot overflow: the parts add up to total. */
			assert_true(part[f] <= total[f] - sum[f]);
			sum[f] += part[f];
			prev[f] = part[f];
		}
	}
	for (int f = 0; f < 5; f++) {
		if (sum[f] != total[f])
			fail_msg("k=%u: parts add up to %llu, not %llu", k,
				 (unsigned long long)sum[f],
				 (unsigned long long)total[f]);
		if (hi[f] - lo[f] > 1)
			fail_msg("k=%u total=%llu: parts from %llu to %llu", k,
				 (unsigned long long)total[f],
				 (unsigned long long)lo[f],
				 (unsigned long long)hi[f]);
		/* The smaller part is floor(total / k). */
		assert_int_equal(lo[f], total[f] / k);
	}
}

static void test_share_every_k(void **state)
{
	(void)state;
	for (uint32_t k = 1; k <= 3600; k++) {
		const uint64_t a[5] = { 0, 1, k - 1, k, k + 1 };
		const uint64_t b[5] = {
			UINT64_MAX,
			UINT64_MAX - 1,
			12345678901234567ULL,
			(uint64_t)k * 1000 + 7,
			(uint64_t)k * 2 - 1,
		};

		check_share(a, k);
		check_share(b, k);
	}
}

struct share_case {
	uint64_t total;
	uint32_t k;
	uint64_t want[8];	/* the first min(k, 8) parts */
};

static const struct share_case share_cases[] = {
	{ 0, 1, { 0 } },
	{ 7, 1, { 7 } },
	{ 7, 2, { 4, 3 } },
	{ 7, 3, { 3, 2, 2 } },
	{ 10, 4, { 3, 3, 2, 2 } },
	{ 3, 5, { 1, 1, 1, 0, 0 } },
	{ 1, 8, { 1, 0, 0, 0, 0, 0, 0, 0 } },
	{ 16, 8, { 2, 2, 2, 2, 2, 2, 2, 2 } },
	{ 23, 8, { 3, 3, 3, 3, 3, 3, 3, 2 } },
	{ UINT64_MAX, 2, { 0x8000000000000000ULL, 0x7fffffffffffffffULL } },
	{ UINT64_MAX, 3, { 0x5555555555555555ULL, 0x5555555555555555ULL,
			   0x5555555555555555ULL } },
};

static void test_share_exact_values(void **state)
{
	(void)state;
	for (size_t c = 0; c < ARRAY_SIZE(share_cases); c++) {
		const struct share_case *tc = &share_cases[c];
		struct vn_amounts t = amt(tc->total, tc->total, tc->total,
					  tc->total, tc->total);

		for (uint32_t i = 0; i < tc->k && i < 8; i++) {
			struct vn_amounts out;
			struct vn_amounts want = amt(tc->want[i], tc->want[i],
						     tc->want[i], tc->want[i],
						     tc->want[i]);

			vn_amounts_share(&t, tc->k, i, &out);
			assert_amounts(&out, &want);
		}
	}
}

/* The fields are shared independently of one another. */
static void test_share_fields_independent(void **state)
{
	struct vn_amounts t = amt(10, 11, 12, 13, 14);
	struct vn_amounts want[4] = {
		A(3, 3, 3, 4, 4),
		A(3, 3, 3, 3, 4),
		A(2, 3, 3, 3, 3),
		A(2, 2, 3, 3, 3),
	};

	(void)state;
	for (uint32_t i = 0; i < 4; i++) {
		struct vn_amounts out;

		vn_amounts_share(&t, 4, i, &out);
		assert_amounts(&out, &want[i]);
	}
}

static void test_share_k_zero(void **state)
{
	struct vn_amounts t = amt(100, UINT64_MAX, 1, 2, 3);
	struct vn_amounts out;

	(void)state;
	for (uint32_t i = 0; i < 3; i++) {
		memset(&out, 0xa5, sizeof(out));
		vn_amounts_share(&t, 0, i, &out);
		assert_amounts_zero(&out);
	}
}

/* ---- vn_acct: member sets and ticks ---- */

static void test_acct_init_free(void **state)
{
	struct vn_acct a;
	struct dump d = { 0 };
	struct vn_member_spec s[] = { { 3, VN_ROLE_PORT } };

	(void)state;
	memset(&a, 0x5a, sizeof(a));
	vn_acct_init(&a);
	assert_null(a.m);
	assert_int_equal(a.n, 0);

	/* An empty network sums to zero without a lookup. */
	tick_expect(&a, &d, amt(0, 0, 0, 0, 0), false);
	assert_int_equal(d.lookups, 0);

	set_members(&a, s, 1);
	vn_acct_free(&a);
	assert_null(a.m);
	assert_int_equal(a.n, 0);
	/* Freeing twice is harmless: free leaves an initialised set. */
	vn_acct_free(&a);
}

static void test_acct_empty_set(void **state)
{
	struct vn_acct a;
	struct dump d = { 0 };
	struct vn_member_spec s[] = { { 1, VN_ROLE_HOST },
				      { 2, VN_ROLE_PORT } };

	(void)state;
	vn_acct_init(&a);
	set_members(&a, s, 2);
	dump_set(&d, 1, ctr(1, 1, 1, 1, 1, 1));
	dump_set(&d, 2, ctr(1, 1, 1, 1, 1, 1));
	tick_expect(&a, &d, amt(0, 0, 0, 0, 0), false);

	/* Set to nothing: no members, no lookups, zero sums. */
	set_members(&a, NULL, 0);
	d.lookups = 0;
	dump_move(&d, 1, 100, 100, 1, 1, 1, 1);
	tick_expect(&a, &d, amt(0, 0, 0, 0, 0), false);
	assert_int_equal(d.lookups, 0);

	/* And back: the members start over. */
	set_members(&a, s, 2);
	dump_move(&d, 1, 100, 100, 1, 1, 1, 1);
	tick_expect(&a, &d, amt(0, 0, 0, 0, 0), false);
	dump_move(&d, 2, 5, 7, 1, 2, 0, 0);
	tick_expect(&a, &d, amt(7, 5, 2, 1, 0), false);
	vn_acct_free(&a);
}

/*
 * The contract's bridge: bridge device 10 (HOST) and ports 11, 12, 13.
 * bytes sent = ports' tx + bridge rx, received = ports' rx + bridge tx,
 * dropped = everyone's rx + tx drops.
 */
static void test_acct_bridge_sums(void **state)
{
	struct vn_acct a;
	struct dump d = { 0 };
	struct vn_member_spec s[] = {
		{ 10, VN_ROLE_HOST },
		{ 11, VN_ROLE_PORT },
		{ 12, VN_ROLE_PORT },
		{ 13, VN_ROLE_PORT },
	};

	(void)state;
	vn_acct_init(&a);
	set_members(&a, s, ARRAY_SIZE(s));
	dump_set(&d, 10, ctr(1000000, 2000000, 1000, 2000, 10, 20));
	dump_set(&d, 11, ctr(5, 6, 7, 8, 9, 10));
	dump_set(&d, 12, ctr(0, 0, 0, 0, 0, 0));
	dump_set(&d, 13, ctr(UINT64_MAX - 1000, UINT64_MAX - 1000, 50, 50,
			     0, 0));
	dump_set(&d, 99, ctr(0, 0, 0, 0, 0, 0));	/* not a member */

	/* First sample: a baseline, nothing to count yet. */
	tick_expect(&a, &d, amt(0, 0, 0, 0, 0), false);
	assert_int_equal(d.lookups, 4);

	/*             rxb     txb    rxp  txp rxd txd */
	dump_move(&d, 10, 1000, 300, 10, 3, 1, 2);
	dump_move(&d, 11, 700, 5000, 7, 50, 0, 4);
	dump_move(&d, 12, 80000, 20, 80, 1, 5, 0);
	dump_move(&d, 99, 1u << 30, 1u << 30, 9, 9, 9, 9);
	/*
	 * sent:    bridge rx 1000 + port tx 5000 + 20 + 0      = 6020
	 * recv:    bridge tx  300 + port rx  700 + 80000 + 0  = 81000
	 * pkts:    sent 10 + 50 + 1 = 61, recv 3 + 7 + 80 = 90
	 * dropped: (1 + 2) + (0 + 4) + (5 + 0) + 0 = 12
	 */
	tick_expect(&a, &d, amt(6020, 81000, 61, 90, 12), false);

	/* Only port 13, near 2^64: exactly its tx. */
	dump_move(&d, 13, 1000, 999, 0, 1, 0, 0);
	tick_expect(&a, &d, amt(999, 1000, 1, 0, 0), false);

	/* Only the bridge device: host traffic, swapped. */
	dump_move(&d, 10, 4096, 64, 4, 1, 0, 0);
	tick_expect(&a, &d, amt(4096, 64, 4, 1, 0), false);

	/* Nothing moved. */
	tick_expect(&a, &d, amt(0, 0, 0, 0, 0), false);

	/* Everyone, once more. */
	dump_move(&d, 10, 1, 2, 3, 4, 5, 6);
	dump_move(&d, 11, 10, 20, 30, 40, 50, 60);
	dump_move(&d, 12, 100, 200, 300, 400, 500, 600);
	dump_move(&d, 13, 0, 1, 0, 1, 0, 0);	/* now at UINT64_MAX tx */
	/*
	 * sent:  1 + 20 + 200 + 1 = 222;     recv: 2 + 10 + 100 + 0 = 112
	 * psent: 3 + 40 + 400 + 1 = 444;     precv: 4 + 30 + 300 + 0 = 334
	 * drop:  11 + 110 + 1100 + 0 = 1221
	 */
	tick_expect(&a, &d, amt(222, 112, 444, 334, 1221), false);
	assert_int_equal(member_of(&a, 13, VN_ROLE_PORT)->prev.tx_bytes,
			 UINT64_MAX);
	vn_acct_free(&a);
}

/* A member contributes from its second sample: 0 on its first. */
static void test_acct_member_joins(void **state)
{
	struct vn_acct a;
	struct dump d = { 0 };
	struct vn_member_spec one[] = { { 4, VN_ROLE_PORT } };
	struct vn_member_spec two[] = { { 4, VN_ROLE_PORT },
					{ 8, VN_ROLE_PORT } };

	(void)state;
	vn_acct_init(&a);
	set_members(&a, one, 1);
	dump_set(&d, 4, ctr(100, 100, 1, 1, 0, 0));
	dump_set(&d, 8, ctr(1ULL << 40, 1ULL << 40, 1ULL << 20, 1ULL << 20,
			    77, 77));
	tick_expect(&a, &d, amt(0, 0, 0, 0, 0), false);
	dump_move(&d, 4, 10, 20, 1, 2, 0, 0);
	tick_expect(&a, &d, amt(20, 10, 2, 1, 0), false);

	/* 8 joins with large counters: no spike on its first sample. */
	set_members(&a, two, 2);
	dump_move(&d, 4, 10, 20, 1, 2, 0, 0);
	dump_move(&d, 8, 5, 5, 5, 5, 5, 5);
	tick_expect(&a, &d, amt(20, 10, 2, 1, 0), false);

	/* Its second sample counts. */
	dump_move(&d, 4, 10, 20, 1, 2, 0, 0);
	dump_move(&d, 8, 3, 9, 1, 3, 2, 1);
	tick_expect(&a, &d, amt(29, 13, 5, 2, 3), false);
	vn_acct_free(&a);
}

/* A member that left contributes nothing, whatever its link does. */
static void test_acct_member_leaves(void **state)
{
	struct vn_acct a;
	struct dump d = { 0 };
	struct vn_member_spec two[] = { { 4, VN_ROLE_PORT },
					{ 8, VN_ROLE_PORT } };
	struct vn_member_spec one[] = { { 4, VN_ROLE_PORT } };

	(void)state;
	vn_acct_init(&a);
	set_members(&a, two, 2);
	dump_set(&d, 4, ctr(0, 0, 0, 0, 0, 0));
	dump_set(&d, 8, ctr(0, 0, 0, 0, 0, 0));
	tick_expect(&a, &d, amt(0, 0, 0, 0, 0), false);
	dump_move(&d, 4, 1, 2, 3, 4, 5, 6);
	dump_move(&d, 8, 10, 20, 30, 40, 50, 60);
	tick_expect(&a, &d, amt(22, 11, 44, 33, 121), false);

	/* 8 leaves the bridge but stays a link, and keeps moving. */
	set_members(&a, one, 1);
	assert_null(member_of(&a, 8, VN_ROLE_PORT));
	dump_move(&d, 4, 1, 2, 3, 4, 5, 6);
	dump_move(&d, 8, 10, 20, 30, 40, 50, 60);
	tick_expect(&a, &d, amt(2, 1, 4, 3, 11), false);

	/* Its counters even go backwards: no concern of this network. */
	dump_set(&d, 8, ctr(0, 0, 0, 0, 0, 0));
	dump_move(&d, 4, 1, 2, 3, 4, 5, 6);
	tick_expect(&a, &d, amt(2, 1, 4, 3, 11), false);

	/* The link is deleted: likewise. */
	dump_del(&d, 8);
	dump_move(&d, 4, 1, 2, 3, 4, 5, 6);
	tick_expect(&a, &d, amt(2, 1, 4, 3, 11), false);
	vn_acct_free(&a);
}

/*
 * A port re-created (veth of a restarted VM) comes back under a new
 * ifindex with small counters: it starts over, no spike, no negative.
 */
static void test_acct_recreated_new_ifindex(void **state)
{
	struct vn_acct a;
	struct dump d = { 0 };
	struct vn_member_spec before[] = { { 1, VN_ROLE_HOST },
					   { 7, VN_ROLE_PORT } };
	struct vn_member_spec after[] = { { 12, VN_ROLE_PORT },
					  { 1, VN_ROLE_HOST } };

	(void)state;
	vn_acct_init(&a);
	set_members(&a, before, 2);
	dump_set(&d, 1, ctr(0, 0, 0, 0, 0, 0));
	dump_set(&d, 7, ctr(900000000, 800000000, 90000, 80000, 9, 8));
	tick_expect(&a, &d, amt(0, 0, 0, 0, 0), false);
	dump_move(&d, 7, 100, 200, 1, 2, 0, 0);
	tick_expect(&a, &d, amt(200, 100, 2, 1, 0), false);

	/* 7 goes away, 12 appears with fresh counters. */
	dump_del(&d, 7);
	dump_set(&d, 12, ctr(60, 70, 1, 1, 0, 0));
	set_members(&a, after, 2);
	dump_move(&d, 1, 5, 0, 1, 0, 0, 0);
	tick_expect(&a, &d, amt(5, 0, 1, 0, 0), false);

	dump_move(&d, 12, 40, 30, 2, 3, 0, 1);
	tick_expect(&a, &d, amt(30, 40, 3, 2, 1), false);
	vn_acct_free(&a);
}

/*
 * Counters going backwards: 0 for that member in that tick, a
 * discontinuity, and the next tick counts from the new base.
 */
static void test_acct_backwards_member(void **state)
{
	struct vn_acct a;
	struct dump d = { 0 };
	struct vn_member_spec s[] = { { 2, VN_ROLE_HOST },
				      { 3, VN_ROLE_PORT },
				      { 5, VN_ROLE_PORT } };

	(void)state;
	vn_acct_init(&a);
	set_members(&a, s, 3);
	dump_set(&d, 2, ctr(500, 500, 5, 5, 0, 0));
	dump_set(&d, 3, ctr(1000, 1000, 10, 10, 1, 1));
	dump_set(&d, 5, ctr(UINT64_MAX - 10, UINT64_MAX - 10, 100, 100, 0,
			    0));
	tick_expect(&a, &d, amt(0, 0, 0, 0, 0), false);

	/* 3's driver resets its stats; the others move normally. */
	dump_set(&d, 3, ctr(40, 30, 2, 1, 0, 0));
	dump_move(&d, 2, 10, 20, 1, 2, 0, 0);
	dump_move(&d, 5, 7, 10, 1, 1, 0, 0);
	/* sent: host rx 10 + port 5 tx 10; recv: host tx 20 + port 5 rx 7 */
	tick_expect(&a, &d, amt(20, 27, 2, 3, 0), true);

	/* From the new base, normally. */
	dump_move(&d, 3, 100, 300, 1, 3, 2, 2);
	tick_expect(&a, &d, amt(300, 100, 3, 1, 4), false);

	/* Only a drop counter goes back: still the whole member is 0. */
	dump_move(&d, 3, 100, 300, 1, 3, 0, 0);
	dump_slot(&d, 3)->tx_dropped = 0;	/* was 2 */
	tick_expect(&a, &d, amt(0, 0, 0, 0, 0), true);

	/* 5 reaches UINT64_MAX, then wraps "backwards" to 5. */
	dump_move(&d, 5, 3, 0, 0, 0, 0, 0);
	tick_expect(&a, &d, amt(0, 3, 0, 0, 0), false);
	assert_int_equal(dump_slot(&d, 5)->rx_bytes, UINT64_MAX);
	dump_slot(&d, 5)->rx_bytes = 5;
	dump_move(&d, 2, 1, 1, 1, 1, 1, 1);
	tick_expect(&a, &d, amt(1, 1, 1, 1, 2), true);
	dump_move(&d, 5, 6, 0, 0, 0, 0, 0);
	tick_expect(&a, &d, amt(0, 6, 0, 0, 0), false);

	/* The host port going backwards, alone. */
	dump_set(&d, 2, ctr(0, 0, 0, 0, 0, 0));
	tick_expect(&a, &d, amt(0, 0, 0, 0, 0), true);
	dump_move(&d, 2, 8, 9, 1, 1, 0, 0);
	tick_expect(&a, &d, amt(8, 9, 1, 1, 0), false);

	/* Two members backwards in one tick: one discontinuity. */
	dump_set(&d, 2, ctr(0, 0, 0, 0, 0, 0));
	dump_set(&d, 3, ctr(0, 0, 0, 0, 0, 0));
	dump_move(&d, 5, 1, 0, 1, 0, 0, 0);	/* its tx is at UINT64_MAX */
	tick_expect(&a, &d, amt(0, 1, 0, 1, 0), true);
	vn_acct_free(&a);
}

/*
 * A member missing from the dump (lookup returns NULL) contributes
 * nothing and starts over: when it is back, its first sample is a
 * baseline, not the movement over the gap.
 */
static void test_acct_missing_from_dump(void **state)
{
	struct vn_acct a;
	struct dump d = { 0 };
	struct vn_member_spec s[] = { { 6, VN_ROLE_PORT },
				      { 9, VN_ROLE_HOST } };

	(void)state;
	vn_acct_init(&a);
	set_members(&a, s, 2);
	dump_set(&d, 6, ctr(10, 10, 1, 1, 0, 0));
	/* 9 is not in the first dump at all. */
	tick_expect(&a, &d, amt(0, 0, 0, 0, 0), false);
	assert_false(member_of(&a, 9, VN_ROLE_HOST)->has_prev);
	assert_true(member_of(&a, 6, VN_ROLE_PORT)->has_prev);

	dump_set(&d, 9, ctr(1000, 2000, 10, 20, 0, 0));
	dump_move(&d, 6, 1, 2, 1, 1, 0, 0);
	tick_expect(&a, &d, amt(2, 1, 1, 1, 0), false);

	dump_move(&d, 9, 5, 6, 1, 1, 0, 0);
	tick_expect(&a, &d, amt(5, 6, 1, 1, 0), false);

	/* 6 misses a dump while its counters run on. */
	struct vn_counters saved = *dump_slot(&d, 6);

	dump_del(&d, 6);
	dump_move(&d, 9, 5, 6, 1, 1, 0, 0);
	tick_expect(&a, &d, amt(5, 6, 1, 1, 0), false);
	assert_false(member_of(&a, 6, VN_ROLE_PORT)->has_prev);

	saved.tx_bytes += 1000000;
	saved.rx_bytes += 1000000;
	dump_set(&d, 6, saved);
	tick_expect(&a, &d, amt(0, 0, 0, 0, 0), false);	/* no spike */

	dump_move(&d, 6, 3, 4, 1, 1, 1, 0);
	tick_expect(&a, &d, amt(4, 3, 1, 1, 1), false);

	/* Every member missing: zero. */
	dump_del(&d, 6);
	dump_del(&d, 9);
	tick_expect(&a, &d, amt(0, 0, 0, 0, 0), false);
	vn_acct_free(&a);
}

/*
 * set_members keeps the counters of members whose (ifindex, role) is
 * unchanged, takes its input in any order, and keeps the set sorted.
 */
static void test_acct_set_members_keeps_prev(void **state)
{
	struct vn_acct a;
	struct dump d = { 0 };
	struct vn_member_spec s1[] = {
		{ 30, VN_ROLE_PORT }, { 10, VN_ROLE_HOST },
		{ 20, VN_ROLE_PORT }, { 40, VN_ROLE_PORT },
	};
	/* 40 leaves, 25 joins, 20 is now the host port; shuffled. */
	struct vn_member_spec s2[] = {
		{ 25, VN_ROLE_PORT }, { 30, VN_ROLE_PORT },
		{ 20, VN_ROLE_HOST }, { 10, VN_ROLE_HOST },
	};

	(void)state;
	vn_acct_init(&a);
	set_members(&a, s1, ARRAY_SIZE(s1));
	for (size_t i = 1; i < a.n; i++)
		assert_true(a.m[i - 1].ifindex < a.m[i].ifindex);
	for (size_t i = 0; i < a.n; i++)
		assert_false(a.m[i].has_prev);

	for (uint32_t ifi = 10; ifi <= 40; ifi += 5)
		dump_set(&d, ifi, ctr(ifi * 1000, ifi * 2000, ifi, ifi, 0, 0));
	tick_expect(&a, &d, amt(0, 0, 0, 0, 0), false);
	assert_int_equal(d.lookups, 4);

	set_members(&a, s2, ARRAY_SIZE(s2));
	for (size_t i = 1; i < a.n; i++)
		assert_true(a.m[i - 1].ifindex < a.m[i].ifindex);
	assert_true(member_of(&a, 10, VN_ROLE_HOST)->has_prev);
	assert_int_equal(member_of(&a, 10, VN_ROLE_HOST)->prev.rx_bytes,
			 10000);
	assert_true(member_of(&a, 30, VN_ROLE_PORT)->has_prev);
	assert_int_equal(member_of(&a, 30, VN_ROLE_PORT)->prev.tx_bytes,
			 60000);
	assert_false(member_of(&a, 20, VN_ROLE_HOST)->has_prev);
	assert_false(member_of(&a, 25, VN_ROLE_PORT)->has_prev);
	assert_null(member_of(&a, 20, VN_ROLE_PORT));
	assert_null(member_of(&a, 40, VN_ROLE_PORT));

	/*
	 * Everyone moves by (rx 1, tx 2, rxp 1, txp 1). Counted: 10 as host
	 * (sent 1, recv 2) and 30 as port (sent 2, recv 1). 20 (new role)
	 * and 25 (new member) are on their first sample.
	 */
	for (uint32_t ifi = 10; ifi <= 40; ifi += 5)
		dump_move(&d, ifi, 1, 2, 1, 1, 0, 0);
	tick_expect(&a, &d, amt(3, 3, 2, 2, 0), false);

	/* Now all four count. */
	for (uint32_t ifi = 10; ifi <= 40; ifi += 5)
		dump_move(&d, ifi, 1, 2, 1, 1, 0, 0);
	/* hosts 10, 20: sent 1 + 1, recv 2 + 2; ports 25, 30: sent 2 + 2 */
	tick_expect(&a, &d, amt(6, 6, 4, 4, 0), false);

	/* The same set again, in another order: nothing is lost. */
	struct vn_member_spec s3[] = {
		{ 10, VN_ROLE_HOST }, { 30, VN_ROLE_PORT },
		{ 25, VN_ROLE_PORT }, { 20, VN_ROLE_HOST },
	};

	set_members(&a, s3, ARRAY_SIZE(s3));
	for (size_t i = 0; i < a.n; i++)
		assert_true(a.m[i].has_prev);
	for (uint32_t ifi = 10; ifi <= 40; ifi += 5)
		dump_move(&d, ifi, 1, 2, 1, 1, 0, 0);
	tick_expect(&a, &d, amt(6, 6, 4, 4, 0), false);
	vn_acct_free(&a);
}

/* Counters indexed by ifindex, all present: for sets bigger than a dump. */
static const struct vn_counters *array_lookup(uint32_t ifindex, void *arg)
{
	const struct vn_counters *c = arg;

	return &c[ifindex];
}

/* A long reverse-sorted set: sorted afterwards, every member counts. */
static void test_acct_many_members(void **state)
{
	enum { N = 200 };
	struct vn_member_spec s[N];
	struct vn_counters c[N + 1];
	struct vn_acct a;
	struct vn_amounts sum;

	(void)state;
	for (size_t i = 0; i < N; i++) {
		s[i].ifindex = (uint32_t)(N - i);
		s[i].role = i == N - 1 ? VN_ROLE_HOST : VN_ROLE_PORT;
	}
	vn_acct_init(&a);
	set_members(&a, s, N);
	for (size_t i = 0; i < a.n; i++)
		assert_int_equal(a.m[i].ifindex, i + 1);
	assert_non_null(member_of(&a, 1, VN_ROLE_HOST));

	memset(c, 0, sizeof(c));
	assert_false(vn_acct_tick(&a, array_lookup, c, &sum));
	assert_amounts_zero(&sum);
	for (uint32_t ifi = 1; ifi <= N; ifi++) {
		c[ifi].rx_bytes += ifi;
		c[ifi].tx_bytes += 2 * ifi;
		c[ifi].rx_packets += 1;
		c[ifi].tx_packets += 3;
		c[ifi].tx_dropped += ifi % 2;
	}
	assert_false(vn_acct_tick(&a, array_lookup, c, &sum));
	/*
	 * Host 1: sent = its rx 1, recv = its tx 2, packets 1 / 3.
	 * Ports 2..200: sent = sum of 2 * ifi = 2 * (20100 - 1) = 40198,
	 * recv = sum of ifi = 20099, packets 3 * 199 / 199.
	 * Dropped: the odd ifindexes 1..199, 100 of them.
	 */
	struct vn_amounts want = amt(1 + 40198, 2 + 20099, 1 + 597, 3 + 199,
				     100);

	assert_amounts(&sum, &want);
	vn_acct_free(&a);
}

/*
 * A scripted minute of a bridge: members join, leave, go missing and
 * reset; the per-second sums are checked against a reference computed
 * straight from the script's own per-member movements.
 */
struct script_step {
	uint32_t members;	/* bitmask of ifindex 1..8 in the set */
	uint32_t present;	/* bitmask of ifindex 1..8 in the dump */
	uint32_t reset;		/* bitmask: counters set back to 0 */
};

static const struct script_step script[] = {
	{ 0x03, 0x03, 0 },	/* 1 host, 2 port: baseline */
	{ 0x03, 0x03, 0 },
	{ 0x07, 0x07, 0 },	/* 3 joins */
	{ 0x07, 0x07, 0 },
	{ 0x07, 0x05, 0 },	/* 2 missing from the dump */
	{ 0x07, 0x07, 0 },	/* 2 back: baseline */
	{ 0x07, 0x07, 0x04 },	/* 3 resets */
	{ 0x07, 0x07, 0 },
	{ 0x0d, 0x0f, 0 },	/* 2 leaves, 4 joins */
	{ 0x0d, 0x0f, 0x01 },	/* the bridge device resets */
	{ 0x0f, 0x0f, 0 },	/* 2 rejoins */
	{ 0x0f, 0x0f, 0 },
	{ 0x01, 0x0f, 0 },	/* all ports leave */
	{ 0x01, 0x0f, 0 },
	{ 0x0f, 0x0f, 0x0e },	/* rejoin, and all were reset meanwhile */
	{ 0x0f, 0x0f, 0 },
};

static void test_acct_script(void **state)
{
	struct vn_counters cnt[9] = { { 0 } };
	bool counted[9] = { false };	/* reference has_prev */
	struct vn_acct a;
	uint32_t prev_members = 0;

	(void)state;
	vn_acct_init(&a);
	for (size_t t = 0; t < ARRAY_SIZE(script); t++) {
		const struct script_step *st = &script[t];
		struct vn_member_spec specs[8];
		struct vn_amounts want = amt(0, 0, 0, 0, 0);
		bool want_disc = false;
		struct dump d = { 0 };
		size_t n = 0;

		/* The member set, listed from high ifindex to low. */
		if (st->members != prev_members || t == 0) {
			for (uint32_t i = 8; i >= 1; i--) {
				if (!(st->members & (1u << (i - 1))))
					continue;
				specs[n].ifindex = i;
				specs[n].role = i == 1 ? VN_ROLE_HOST :
							 VN_ROLE_PORT;
				n++;
				if (!(prev_members & (1u << (i - 1))))
					counted[i] = false;
			}
			for (uint32_t i = 1; i <= 8; i++)
				if (!(st->members & (1u << (i - 1))))
					counted[i] = false;
			set_members(&a, specs, n);
			prev_members = st->members;
		}

		for (uint32_t i = 1; i <= 8; i++) {
			uint32_t bit = 1u << (i - 1);
			/* Movement of link i in second t. */
			uint64_t rx = 100 * i + t, tx = 1000 * i + 3 * t;
			uint64_t rxp = i + t, txp = 2 * i;
			uint64_t rxd = t % 3, txd = i % 2;

			if (st->reset & bit) {
				cnt[i] = ctr(rx, tx, rxp, txp, rxd, txd);
			} else {
				cnt[i].rx_bytes += rx;
				cnt[i].tx_bytes += tx;
				cnt[i].rx_packets += rxp;
				cnt[i].tx_packets += txp;
				cnt[i].rx_dropped += rxd;
				cnt[i].tx_dropped += txd;
			}
			if (!(st->present & bit)) {
				counted[i] = false;
				continue;
			}
			dump_set(&d, i, cnt[i]);
			if (!(st->members & bit))
				continue;
			if (counted[i] && (st->reset & bit)) {
				want_disc = true;
			} else if (counted[i]) {
				/* Straight from the contract. */
				bool host = i == 1;

				want.bytes_sent += host ? rx : tx;
				want.bytes_recv += host ? tx : rx;
				want.pkts_sent += host ? rxp : txp;
				want.pkts_recv += host ? txp : rxp;
				want.pkts_dropped += rxd + txd;
			}
			counted[i] = true;
		}
		snprintf(tick_ctx, sizeof(tick_ctx), " (second %zu)", t);
		tick_expect(&a, &d, want, want_disc);
	}
	tick_ctx[0] = '\0';
	vn_acct_free(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_delta_table),
		cmocka_unit_test(test_delta_host_is_swapped_port),
		cmocka_unit_test(test_delta_backwards_each_counter),
		cmocka_unit_test(test_delta_backwards_near_max),
		cmocka_unit_test(test_amounts_add),
		cmocka_unit_test(test_share_every_k),
		cmocka_unit_test(test_share_exact_values),
		cmocka_unit_test(test_share_fields_independent),
		cmocka_unit_test(test_share_k_zero),
		cmocka_unit_test(test_acct_init_free),
		cmocka_unit_test(test_acct_empty_set),
		cmocka_unit_test(test_acct_bridge_sums),
		cmocka_unit_test(test_acct_member_joins),
		cmocka_unit_test(test_acct_member_leaves),
		cmocka_unit_test(test_acct_recreated_new_ifindex),
		cmocka_unit_test(test_acct_backwards_member),
		cmocka_unit_test(test_acct_missing_from_dump),
		cmocka_unit_test(test_acct_set_members_keeps_prev),
		cmocka_unit_test(test_acct_many_members),
		cmocka_unit_test(test_acct_script),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
