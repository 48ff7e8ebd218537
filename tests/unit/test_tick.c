// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_tick.c - the sampler's per-tick arithmetic: sample grid, stalls,
 * wall-clock steps, baselines, discontinuities and totals, driven with
 * synthetic clocks and counters.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "tick.h"

#define SEC VN_NSEC_PER_SEC
#define T0 (5 * SEC + 123456789LL)	/* an arbitrary monotonic start */
#define WALL0 (1795000000000LL * 1000000LL) /* Unix ns, in 2026 */

/* ---- a fake kernel: counters per ifindex ---- */

#define MAXLINK 8

struct fake {
	struct vn_counters c[MAXLINK];
	bool present[MAXLINK];
};

static const struct vn_counters *fake_lookup(uint32_t ifindex, void *arg)
{
	struct fake *f = arg;

	if (ifindex >= MAXLINK || !f->present[ifindex])
		return NULL;
	return &f->c[ifindex];
}

/* Port a sends n bytes (in packets of 1000) to port b through the switch. */
static void forward(struct fake *f, uint32_t a, uint32_t b, uint64_t n)
{
	f->c[a].rx_bytes += n;
	f->c[a].rx_packets += n / 1000;
	f->c[b].tx_bytes += n;
	f->c[b].tx_packets += n / 1000;
}

/* A bridge (ifindex 1, the host port) with ports 2 and 3. */
static struct vn_net *bridge_net(struct fake *f)
{
	static const struct vn_member_spec m[] = {
		{ 1, VN_ROLE_HOST }, { 2, VN_ROLE_PORT }, { 3, VN_ROLE_PORT },
	};
	struct vn_net *net = calloc(1, sizeof(*net));

	assert_non_null(net);
	vn_ring_init(&net->ring);
	vn_acct_init(&net->acct);
	assert_int_equal(vn_acct_set_members(&net->acct, m, 3), 0);
	net->ports = 2;
	net->ifindex = 1;
	for (int i = 1; i <= 3; i++)
		f->present[i] = true;
	return net;
}

static void free_net(struct vn_net *net)
{
	vn_acct_free(&net->acct);
	free(net);
}

/* One tick as the sampler does it: account, label, publish. */
struct sim {
	struct fake f;
	struct vn_net *net;
	struct vn_clock clock;
	uint32_t tick;
	int64_t mono;
	int64_t real_off;	/* real = mono + real_off */
	int64_t read;		/* monotonic time of the last read */
};

static uint32_t sim_tick(struct sim *s, int64_t mono)
{
	uint32_t k = vn_tick_due(T0, s->tick, mono);
	int64_t real = mono + s->real_off;

	s->mono = mono;
	if (k == 0)
		return 0;
	vn_tick_account(s->net, fake_lookup, &s->f,
			vn_tick_wall_ms(T0, s->tick + k, mono, real));
	vn_tick_clock(&s->clock, T0, s->tick, k, mono, real);
	vn_tick_publish(s->net, s->tick, k,
			T0 + (int64_t)(s->tick + k) * SEC - s->read,
			mono - s->read);
	s->read = mono;
	s->tick += k;
	return k;
}

static void sim_start(struct sim *s)
{
	memset(s, 0, sizeof(*s));
	s->real_off = WALL0 - T0;
	s->net = bridge_net(&s->f);
	/* Sample 0, the baseline, taken at t0. */
	vn_tick_account(s->net, fake_lookup, &s->f, (T0 + s->real_off) / 1000000);
	vn_tick_publish(s->net, 0, 0, 0, 0);
	s->read = T0;
}

/*
 * Every row consecutive, totals the running sum of the rows. The rows
 * before the first one held add up to what the first row's total says
 * came before it; when the ring starts at sample 1 that is 0.
 */
static void check_ring(const struct vn_ring *r)
{
	const struct vn_row *first = vn_ring_get(r, r->first);
	uint64_t sent;

	assert_non_null(first);
	sent = first->total_sent - first->a.bytes_sent;
	if (r->first == 1)
		assert_int_equal(sent, 0);

	for (uint32_t s = r->first; s <= r->last && r->last; s++) {
		const struct vn_row *row = vn_ring_get(r, s);

		assert_non_null(row);
		assert_int_equal(row->sample, s);
		sent += row->a.bytes_sent;
		assert_int_equal(row->total_sent, sent);
	}
}

/* ---- the grid ---- */

static void test_due(void **state)
{
	(void)state;
	assert_int_equal(vn_tick_due(T0, 0, T0 - 1), 0);
	assert_int_equal(vn_tick_due(T0, 0, T0), 0);
	assert_int_equal(vn_tick_due(T0, 0, T0 + SEC - 1), 0);
	assert_int_equal(vn_tick_due(T0, 0, T0 + SEC), 1);
	assert_int_equal(vn_tick_due(T0, 1, T0 + SEC + SEC / 2), 0);
	assert_int_equal(vn_tick_due(T0, 1, T0 + 5 * SEC + 200), 4);
	assert_int_equal(vn_tick_due(T0, 7, T0 + 3 * SEC), 0);
	assert_int_equal(vn_tick_due(T0, 0, T0 + 3600 * SEC), 3600);
	/* The last sample number is 2^32 - 1; beyond it nothing is due. */
	assert_int_equal(vn_tick_due(T0, UINT32_MAX - 1,
				     T0 + (int64_t)UINT32_MAX * SEC),
			 1);
	assert_int_equal(vn_tick_due(T0, UINT32_MAX,
				     T0 + ((int64_t)UINT32_MAX + 5) * SEC),
			 0);
}

static void test_wall_time(void **state)
{
	int64_t mono = T0 + 10 * SEC + 300 * 1000000LL; /* woke 300 ms late */
	int64_t real = WALL0 + 10 * SEC + 300 * 1000000LL;

	(void)state;
	/* The end of sample 10 is t0 + 10 s, whenever we looked. */
	assert_int_equal(vn_tick_wall_ms(T0, 10, mono, real),
			 (WALL0 + 10 * SEC) / 1000000);
	assert_int_equal(vn_tick_wall_ms(T0, 9, mono, real),
			 (WALL0 + 9 * SEC) / 1000000);
}

/* A wall-clock step moves the labels, never the sample numbers. */
static void test_clock_step(void **state)
{
	struct sim s;

	(void)state;
	sim_start(&s);
	for (int i = 1; i <= 5; i++)
		assert_int_equal(sim_tick(&s, T0 + i * SEC + 1000), 1);
	s.real_off += 3600 * SEC; /* NTP steps the clock an hour forward */
	for (int i = 6; i <= 8; i++)
		assert_int_equal(sim_tick(&s, T0 + i * SEC + 1000), 1);
	s.real_off -= 7200 * SEC; /* and two hours back */
	assert_int_equal(sim_tick(&s, T0 + 9 * SEC + 1000), 1);

	assert_int_equal(s.tick, 9);
	assert_int_equal(s.net->ring.first, 1);
	assert_int_equal(s.net->ring.last, 9);
	assert_int_equal(vn_clock_time(&s.clock, 5),
			 (WALL0 + 5 * SEC) / 1000000);
	assert_int_equal(vn_clock_time(&s.clock, 6),
			 (WALL0 + 3606 * SEC) / 1000000);
	assert_int_equal(vn_clock_time(&s.clock, 9),
			 (WALL0 - 3591 * SEC) / 1000000);
	for (uint32_t i = 1; i <= 9; i++)
		assert_int_equal(vn_clock_status(&s.clock, i), VN_STATUS_VALID);
	free_net(s.net);
}

/* ---- rows ---- */

/* The first tick of a network is its baseline: rows start after it. */
static void test_baseline_then_rows(void **state)
{
	struct sim s;

	(void)state;
	sim_start(&s);
	assert_int_equal(s.net->ring.last, 0);
	assert_int_equal(s.net->disc_ms, WALL0 / 1000000);

	forward(&s.f, 2, 3, 5000);
	assert_int_equal(sim_tick(&s, T0 + SEC), 1);
	const struct vn_row *row = vn_ring_get(&s.net->ring, 1);

	assert_non_null(row);
	/* Ports: tx of 3 is sent, rx of 2 is received. */
	assert_int_equal(row->a.bytes_sent, 5000);
	assert_int_equal(row->a.bytes_recv, 5000);
	assert_int_equal(row->a.pkts_sent, 5);
	assert_int_equal(row->total_sent, 5000);
	assert_int_equal(row->ports, 2);
	assert_int_equal(row->ifindex, 1);
	assert_int_equal(row->disc_ms, WALL0 / 1000000);
	free_net(s.net);
}

/* A network that appears mid-run: no row for the tick it was found. */
static void test_new_network_mid_run(void **state)
{
	struct fake f = { 0 };
	struct vn_net *net = bridge_net(&f);

	(void)state;
	forward(&f, 2, 3, 1000);
	vn_tick_account(net, fake_lookup, &f, 42000);
	vn_tick_publish(net, 100, 1, 0, 0);
	assert_int_equal(net->ring.last, 0);
	assert_int_equal(net->disc_ms, 42000);

	forward(&f, 2, 3, 3000);
	vn_tick_account(net, fake_lookup, &f, 43000);
	vn_tick_publish(net, 101, 1, 0, 0);
	assert_int_equal(net->ring.first, 102);
	assert_int_equal(net->ring.last, 102);
	assert_int_equal(vn_ring_get(&net->ring, 102)->a.bytes_sent, 3000);
	/* First seen is the discontinuity, not this tick. */
	assert_int_equal(net->disc_ms, 42000);
	free_net(net);
}

/*
 * A stall of k seconds: one row per second, the movement shared evenly
 * and exactly, every row interpolated, totals unbroken.
 */
static void stall(uint32_t k)
{
	struct sim s;
	uint64_t moved = (uint64_t)k * 1000 + 7; /* not a multiple of k */
	uint64_t before;

	sim_start(&s);
	for (int i = 1; i <= 3; i++) {
		forward(&s.f, 2, 3, 1000);
		assert_int_equal(sim_tick(&s, T0 + i * SEC), 1);
	}
	before = s.net->total_sent;
	assert_int_equal(before, 3000);

	forward(&s.f, 2, 3, moved);
	assert_int_equal(sim_tick(&s, T0 + (3 + k) * SEC), k);

	assert_int_equal(s.tick, 3 + k);
	assert_int_equal(s.net->ring.last, 3 + k);
	assert_int_equal(s.net->total_sent, before + moved);

	/* The rows kept are the last min(k, VN_RING) parts of the spread. */
	uint32_t kept = k < VN_RING ? k : VN_RING;
	uint64_t sum_kept = 0;

	for (uint32_t i = k - kept; i < k; i++) {
		uint32_t smp = 3 + 1 + i;
		const struct vn_row *row = vn_ring_get(&s.net->ring, smp);
		uint64_t part = moved / k + (i < moved % k ? 1 : 0);

		assert_non_null(row);
		assert_int_equal(row->a.bytes_sent, part);
		assert_int_equal(vn_clock_status(&s.clock, smp),
				 k > 1 ? VN_STATUS_INTERPOLATED
				       : VN_STATUS_VALID);
		assert_int_equal(vn_clock_time(&s.clock, smp),
				 (WALL0 + (int64_t)smp * SEC) / 1000000);
		sum_kept += part;
	}
	/* What fell off the ring still counts, exactly once. */
	const struct vn_row *last = vn_ring_get(&s.net->ring, 3 + k);

	assert_int_equal(last->total_sent, before + moved);
	check_ring(&s.net->ring);
	if (k >= VN_RING) {
		/* The ring starts over at the first row kept. */
		assert_int_equal(s.net->ring.first, 3 + 1 + k - VN_RING);
		assert_int_equal(vn_ring_get(&s.net->ring, s.net->ring.first)
						 ->total_sent -
					 vn_ring_get(&s.net->ring,
						     s.net->ring.first)
						 ->a.bytes_sent,
				 before + moved - sum_kept);
	}

	/* The next second is a plain one again. */
	forward(&s.f, 2, 3, 1000);
	assert_int_equal(sim_tick(&s, T0 + (4 + k) * SEC), 1);
	assert_int_equal(vn_clock_status(&s.clock, 4 + k), VN_STATUS_VALID);
	assert_int_equal(vn_ring_get(&s.net->ring, 4 + k)->a.bytes_sent, 1000);
	free_net(s.net);
}

static void test_stalls(void **state)
{
	static const uint32_t ks[] = { 1,  2,  3,  4,   5,   10,  59,  60,
				       61, 62, 63, 64,  65,  66,  100, 127,
				       128, 129, 600, 1000, 3599, 3600 };

	(void)state;
	for (size_t i = 0; i < sizeof(ks) / sizeof(ks[0]); i++)
		stall(ks[i]);
	for (uint32_t k = 1; k <= 200; k++)
		stall(k);
}

static void test_stall_with_no_traffic(void **state)
{
	struct sim s;

	(void)state;
	sim_start(&s);
	assert_int_equal(sim_tick(&s, T0 + 10 * SEC), 10);
	for (uint32_t i = 1; i <= 10; i++)
		assert_int_equal(vn_ring_get(&s.net->ring, i)->a.bytes_sent, 0);
	assert_int_equal(s.net->total_sent, 0);
	free_net(s.net);
}

/* A late wake-up short of a second is one row, not interpolated. */
static void test_late_but_not_missed(void **state)
{
	struct sim s;

	(void)state;
	sim_start(&s);
	assert_int_equal(sim_tick(&s, T0 + SEC + 999999999LL), 1);
	assert_int_equal(vn_clock_status(&s.clock, 1), VN_STATUS_VALID);
	/* A spurious wake-up before the next grid point does nothing. */
	assert_int_equal(sim_tick(&s, T0 + 2 * SEC - 1), 0);
	assert_int_equal(s.net->ring.last, 1);
	free_net(s.net);
}

/*
 * A read late by 400 ms: the 400 ms after the grid point belong to the
 * next sample and go there; nothing is lost or counted twice.
 */
static void test_late_read_carries(void **state)
{
	struct sim s;

	(void)state;
	sim_start(&s);
	forward(&s.f, 2, 3, 1000);
	sim_tick(&s, T0 + SEC);
	/* 1400 bytes moved in the 1.4 s up to a read 400 ms late. */
	forward(&s.f, 2, 3, 1400);
	assert_int_equal(sim_tick(&s, T0 + 2 * SEC + 400 * 1000000LL), 1);
	assert_int_equal(vn_ring_get(&s.net->ring, 2)->a.bytes_sent, 1000);
	assert_int_equal(s.net->carry.bytes_sent, 400);
	/* 600 more in the 600 ms to an on-time read: 400 + 600. */
	forward(&s.f, 2, 3, 600);
	assert_int_equal(sim_tick(&s, T0 + 3 * SEC), 1);
	assert_int_equal(vn_ring_get(&s.net->ring, 3)->a.bytes_sent, 1000);
	assert_int_equal(s.net->carry.bytes_sent, 0);
	assert_int_equal(s.net->total_sent, 3000);

	/* A stall that ends 800 ms into a second: k rows, then the rest. */
	forward(&s.f, 2, 3, 5800);
	assert_int_equal(sim_tick(&s, T0 + 8 * SEC + 800 * 1000000LL), 5);
	for (uint32_t i = 4; i <= 8; i++)
		assert_int_equal(vn_ring_get(&s.net->ring, i)->a.bytes_sent,
				 1000);
	forward(&s.f, 2, 3, 200);
	assert_int_equal(sim_tick(&s, T0 + 9 * SEC), 1);
	assert_int_equal(vn_ring_get(&s.net->ring, 9)->a.bytes_sent, 1000);
	assert_int_equal(s.net->total_sent, 9000);
	check_ring(&s.net->ring);
	free_net(s.net);
}

/* A member's counters going back: 0 from it, a discontinuity, no spike. */
static void test_reset_moves_discontinuity(void **state)
{
	struct sim s;

	(void)state;
	sim_start(&s);
	forward(&s.f, 2, 3, 1000);
	sim_tick(&s, T0 + SEC);
	int64_t first = s.net->disc_ms;

	/* Port 3's driver resets its stats while port 2 keeps counting. */
	memset(&s.f.c[3], 0, sizeof(s.f.c[3]));
	s.f.c[2].rx_bytes += 700;
	sim_tick(&s, T0 + 2 * SEC);
	const struct vn_row *row = vn_ring_get(&s.net->ring, 2);

	assert_int_equal(row->a.bytes_sent, 0);
	assert_int_equal(row->a.bytes_recv, 700);
	assert_int_equal(row->disc_ms, (WALL0 + 2 * SEC) / 1000000);
	assert_true(row->disc_ms > first);
	assert_int_equal(vn_ring_get(&s.net->ring, 1)->disc_ms, first);

	/* From the new base it counts normally. */
	forward(&s.f, 2, 3, 2000);
	sim_tick(&s, T0 + 3 * SEC);
	assert_int_equal(vn_ring_get(&s.net->ring, 3)->a.bytes_sent, 2000);
	assert_int_equal(vn_ring_get(&s.net->ring, 3)->disc_ms,
			 (WALL0 + 2 * SEC) / 1000000);
	check_ring(&s.net->ring);
	free_net(s.net);
}

/* A port deleted and re-created under a new ifindex: no spike. */
static void test_recreated_port(void **state)
{
	static const struct vn_member_spec m2[] = {
		{ 1, VN_ROLE_HOST }, { 2, VN_ROLE_PORT }, { 5, VN_ROLE_PORT },
	};
	struct sim s;

	(void)state;
	sim_start(&s);
	forward(&s.f, 2, 3, 1000);
	sim_tick(&s, T0 + SEC);

	/* Port 3 goes; port 5 comes with large counters of its own past. */
	s.f.present[3] = false;
	s.f.present[5] = true;
	s.f.c[5].tx_bytes = 1ULL << 40;
	assert_int_equal(vn_acct_set_members(&s.net->acct, m2, 3), 0);
	sim_tick(&s, T0 + 2 * SEC);
	assert_int_equal(vn_ring_get(&s.net->ring, 2)->a.bytes_sent, 0);

	forward(&s.f, 2, 5, 4000);
	sim_tick(&s, T0 + 3 * SEC);
	assert_int_equal(vn_ring_get(&s.net->ring, 3)->a.bytes_sent, 4000);
	free_net(s.net);
}

/* Counters near 2^64 move on normally. */
static void test_counters_near_2_64(void **state)
{
	struct sim s;

	(void)state;
	memset(&s, 0, sizeof(s));
	s.real_off = WALL0 - T0;
	s.net = bridge_net(&s.f);
	s.f.c[3].tx_bytes = UINT64_MAX - 5000;
	s.f.c[2].rx_bytes = UINT64_MAX - 5000;
	vn_tick_account(s.net, fake_lookup, &s.f, 0);
	vn_tick_publish(s.net, 0, 0, 0, 0);
	s.read = T0;
	forward(&s.f, 2, 3, 5000);
	sim_tick(&s, T0 + SEC);
	assert_int_equal(vn_ring_get(&s.net->ring, 1)->a.bytes_sent, 5000);
	free_net(s.net);
}

/* The clock labels of a long stall: only the newest VN_RING are set. */
static void test_clock_labels_long_stall(void **state)
{
	struct vn_clock c;

	(void)state;
	memset(&c, 0, sizeof(c));
	vn_tick_clock(&c, T0, 10, 1000, T0 + 1010 * SEC, WALL0 + 1010 * SEC);
	for (uint32_t s = 1010 - VN_RING + 1; s <= 1010; s++) {
		assert_int_equal(vn_clock_time(&c, s),
				 (WALL0 + (int64_t)s * SEC) / 1000000);
		assert_int_equal(vn_clock_status(&c, s),
				 VN_STATUS_INTERPOLATED);
	}
}

/* The O(1) prefix of a spread equals the sum of its parts. */
static void test_share_prefix(void **state)
{
	static const uint64_t totals[] = { 0, 1, 2, 59, 60, 61, 1000003,
					   UINT64_MAX - 1, UINT64_MAX };

	(void)state;
	for (size_t t = 0; t < sizeof(totals) / sizeof(totals[0]); t++) {
		for (uint32_t k = 1; k <= 130; k++) {
			struct vn_amounts total = { totals[t], totals[t] / 3,
						    k, 0, 1 };
			struct vn_amounts sum = { 0 }, pre, part;

			for (uint32_t m = 0; m <= k; m++) {
				vn_amounts_share_prefix(&total, k, m, &pre);
				assert_memory_equal(&pre, &sum, sizeof(sum));
				if (m == k)
					break;
				vn_amounts_share(&total, k, m, &part);
				vn_amounts_add(&sum, &part);
			}
			assert_memory_equal(&sum, &total, sizeof(sum));
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_due),
		cmocka_unit_test(test_wall_time),
		cmocka_unit_test(test_clock_step),
		cmocka_unit_test(test_baseline_then_rows),
		cmocka_unit_test(test_new_network_mid_run),
		cmocka_unit_test(test_stalls),
		cmocka_unit_test(test_stall_with_no_traffic),
		cmocka_unit_test(test_late_but_not_missed),
		cmocka_unit_test(test_late_read_carries),
		cmocka_unit_test(test_reset_moves_discontinuity),
		cmocka_unit_test(test_recreated_port),
		cmocka_unit_test(test_counters_near_2_64),
		cmocka_unit_test(test_clock_labels_long_stall),
		cmocka_unit_test(test_share_prefix),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
