/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_history.c - the 60-of-64 ring, the window a pinned reader sees,
 * the max/avg summary and the agent-wide sample clock.
 *
 * Rows are generated from their sample number by a fixed mixing function,
 * so the tests always know what a row must hold without asking the ring;
 * windows and summaries are recomputed here in 64-bit arithmetic straight
 * from the contract (max(first, p - 59) .. min(last, p)).
 */
#include <config.h>

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#include <setjmp.h>
#include <cmocka.h>

#include "history.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* ---- helpers ---- */

static uint64_t mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

/* The row of sample s in a ring seeded with seed: every field distinct. */
static struct vn_row mkrow(uint32_t s, uint64_t seed)
{
	uint64_t h = mix(s ^ (seed << 32));
	struct vn_row r;

	memset(&r, 0, sizeof(r));
	r.a.bytes_sent = h % 1000000007ULL;
	r.a.bytes_recv = mix(h) % 999999937ULL;
	r.a.pkts_sent = UINT64_MAX - s;	/* never part of a summary */
	r.a.pkts_recv = UINT64_MAX - 2 * (uint64_t)s;
	r.a.pkts_dropped = s;
	r.total_sent = (uint64_t)s * 1000;
	r.total_recv = (uint64_t)s * 2000;
	r.disc_ms = 1700000000000LL + (int64_t)seed;
	r.sample = s;
	r.ports = (uint32_t)(h >> 60);
	r.ifindex = (int32_t)(seed & 0x7fffffff);
	return r;
}

static bool row_equal(const struct vn_row *x, const struct vn_row *y)
{
	return x->a.bytes_sent == y->a.bytes_sent &&
	       x->a.bytes_recv == y->a.bytes_recv &&
	       x->a.pkts_sent == y->a.pkts_sent &&
	       x->a.pkts_recv == y->a.pkts_recv &&
	       x->a.pkts_dropped == y->a.pkts_dropped &&
	       x->total_sent == y->total_sent &&
	       x->total_recv == y->total_recv && x->disc_ms == y->disc_ms &&
	       x->sample == y->sample && x->ports == y->ports &&
	       x->ifindex == y->ifindex;
}

static void push_ok(struct vn_ring *r, uint32_t s, uint64_t seed)
{
	struct vn_row row = mkrow(s, seed);

	if (vn_ring_push(r, &row) != 0)
		fail_msg("push of sample %u refused (first %u, last %u)", s,
			 r->first, r->last);
}

/* Push from..to (inclusive) into a fresh ring. */
static void fill(struct vn_ring *r, uint32_t from, uint32_t to, uint64_t seed)
{
	vn_ring_init(r);
	for (uint32_t s = from;; s++) {
		push_ok(r, s, seed);
		if (s == to)
			break;
	}
}

/* Every sample the ring claims to hold is the row pushed for it. */
static void check_contents(const struct vn_ring *r, uint64_t seed)
{
	for (uint64_t s = r->first; s <= r->last; s++) {
		const struct vn_row *got = vn_ring_get(r, (uint32_t)s);
		struct vn_row want = mkrow((uint32_t)s, seed);

		if (!got)
			fail_msg("sample %llu missing (first %u, last %u)",
				 (unsigned long long)s, r->first, r->last);
		if (!row_equal(got, &want))
			fail_msg("sample %llu holds sample %u's row",
				 (unsigned long long)s, got->sample);
	}
}

/* The contract's window, in 64 bits so nothing wraps. */
static bool ref_window(uint32_t first, uint32_t last, uint32_t p,
		       uint32_t *lo, uint32_t *hi)
{
	int64_t l = (int64_t)p - VN_HISTORY + 1;
	int64_t h = p;

	if (last == 0)
		return false;
	if (l < (int64_t)first)
		l = first;
	if (h > (int64_t)last)
		h = last;
	if (l > h)
		return false;
	*lo = (uint32_t)l;
	*hi = (uint32_t)h;
	return true;
}

/* Summary of lo..hi recomputed from the generator, not from the ring. */
static void ref_summary(uint32_t lo, uint32_t hi, uint64_t seed,
			struct vn_summary *s)
{
	unsigned __int128 sent = 0, recv = 0;
	uint64_t n = (uint64_t)hi - lo + 1;

	memset(s, 0, sizeof(*s));
	for (uint64_t i = lo; i <= hi; i++) {
		struct vn_row r = mkrow((uint32_t)i, seed);

		if (r.a.bytes_sent > s->sent_max)
			s->sent_max = r.a.bytes_sent;
		if (r.a.bytes_recv > s->recv_max)
			s->recv_max = r.a.bytes_recv;
		sent += r.a.bytes_sent;
		recv += r.a.bytes_recv;
	}
	s->sent_avg = (uint64_t)(sent / n);
	s->recv_avg = (uint64_t)(recv / n);
}

static void assert_summary(const struct vn_summary *got,
			   const struct vn_summary *want, uint32_t p)
{
	if (got->sent_max != want->sent_max ||
	    got->sent_avg != want->sent_avg ||
	    got->recv_max != want->recv_max ||
	    got->recv_avg != want->recv_avg)
		fail_msg("p=%u: summary sent max %llu avg %llu, recv max %llu "
			 "avg %llu; want %llu %llu %llu %llu",
			 p, (unsigned long long)got->sent_max,
			 (unsigned long long)got->sent_avg,
			 (unsigned long long)got->recv_max,
			 (unsigned long long)got->recv_avg,
			 (unsigned long long)want->sent_max,
			 (unsigned long long)want->sent_avg,
			 (unsigned long long)want->recv_max,
			 (unsigned long long)want->recv_avg);
}

/* ---- push and get ---- */

static void test_ring_init_empty(void **state)
{
	struct vn_ring r;
	struct vn_summary s;
	uint32_t lo = 7, hi = 7;
	static const uint32_t probes[] = { 0, 1, 2, 59, 60, 64, 65,
					   UINT32_MAX };

	(void)state;
	memset(&r, 0xa5, sizeof(r));
	vn_ring_init(&r);
	assert_int_equal(r.first, 0);
	assert_int_equal(r.last, 0);
	for (size_t i = 0; i < ARRAY_SIZE(probes); i++) {
		assert_null(vn_ring_get(&r, probes[i]));
		assert_false(vn_ring_window(&r, probes[i], &lo, &hi));
		memset(&s, 0xa5, sizeof(s));
		vn_ring_summary(&r, probes[i], &s);
		assert_int_equal(s.sent_max, 0);
		assert_int_equal(s.sent_avg, 0);
		assert_int_equal(s.recv_max, 0);
		assert_int_equal(s.recv_avg, 0);
	}
	assert_int_equal(lo, 7);	/* untouched when empty */
	assert_int_equal(hi, 7);
}

/* The first push may be at any sample (a network appearing late). */
static void test_push_first_any_sample(void **state)
{
	static const uint32_t firsts[] = {
		1, 2, 59, 60, 61, 63, 64, 65, 127, 128, 1000, 123456789,
		UINT32_MAX - 64, UINT32_MAX - 1, UINT32_MAX,
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(firsts); i++) {
		uint32_t s = firsts[i];
		struct vn_ring r;

		vn_ring_init(&r);
		push_ok(&r, s, i);
		assert_int_equal(r.first, s);
		assert_int_equal(r.last, s);
		check_contents(&r, i);
		assert_null(vn_ring_get(&r, s - 1));
		if (s != UINT32_MAX)
			assert_null(vn_ring_get(&r, s + 1));
		/* The next one, if there is a next one. */
		if (s != UINT32_MAX) {
			push_ok(&r, s + 1, i);
			assert_int_equal(r.first, s);
			assert_int_equal(r.last, s + 1);
			check_contents(&r, i);
		}
	}
}

/* Sample 0 does not exist: refused, empty or not. */
static void test_push_sample_zero(void **state)
{
	struct vn_ring r, before;
	struct vn_row row = mkrow(0, 1);

	(void)state;
	vn_ring_init(&r);
	memcpy(&before, &r, sizeof(r));
	assert_int_equal(vn_ring_push(&r, &row), -1);
	assert_memory_equal(&r, &before, sizeof(r));

	/* After UINT32_MAX the next would be 0: refused too. */
	fill(&r, UINT32_MAX - 2, UINT32_MAX, 3);
	memcpy(&before, &r, sizeof(r));
	assert_int_equal(vn_ring_push(&r, &row), -1);
	assert_memory_equal(&r, &before, sizeof(r));
	check_contents(&r, 3);
}

/* Anything but last + 1 is refused and leaves the ring as it was. */
static void test_push_not_consecutive(void **state)
{
	struct ring_case {
		uint32_t from, to;
	};
	static const struct ring_case rings[] = {
		{ 1, 10 },	/* young */
		{ 1, 64 },	/* exactly full */
		{ 1, 200 },	/* wrapped several times */
		{ 5000, 5070 },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(rings); i++) {
		uint32_t to = rings[i].to;
		const uint32_t bad[] = {
			to, to - 1, to + 2, to + 64, to + 65, rings[i].from,
			rings[i].from - 1, 0, UINT32_MAX, to - 64,
		};
		struct vn_ring r, before;

		fill(&r, rings[i].from, to, i);
		memcpy(&before, &r, sizeof(r));
		for (size_t b = 0; b < ARRAY_SIZE(bad); b++) {
			struct vn_row row = mkrow(bad[b], 99);

			if (vn_ring_push(&r, &row) != -1)
				fail_msg("ring %u..%u accepted sample %u",
					 rings[i].from, to, bad[b]);
			assert_memory_equal(&r, &before, sizeof(r));
		}
		/* And the right one is still accepted. */
		push_ok(&r, to + 1, i);
		check_contents(&r, i);
	}
}

/* The ring keeps the newest VN_RING samples; first follows. */
static void test_ring_keeps_last_64(void **state)
{
	struct vn_ring r;

	(void)state;
	assert_int_equal(VN_RING, 64);
	assert_int_equal(VN_HISTORY, 60);
	vn_ring_init(&r);
	for (uint32_t s = 1; s <= 300; s++) {
		uint32_t want_first = s > VN_RING ? s - VN_RING + 1 : 1;

		push_ok(&r, s, 7);
		assert_int_equal(r.last, s);
		assert_int_equal(r.first, want_first);
		check_contents(&r, 7);
		/* Everything older is gone, nothing newer is there. */
		for (uint32_t old = 0; old < want_first; old++)
			assert_null(vn_ring_get(&r, old));
		assert_null(vn_ring_get(&r, s + 1));
		assert_null(vn_ring_get(&r, s + VN_RING));
	}
}

/* Wrapping from a late first sample, across slot 0 of the array. */
static void test_ring_wraps_from_late_start(void **state)
{
	struct vn_ring r;

	(void)state;
	vn_ring_init(&r);
	for (uint32_t s = 1000; s < 1000 + 3 * VN_RING; s++) {
		push_ok(&r, s, 11);
		assert_int_equal(r.first,
				 s - 1000 >= VN_RING ? s - VN_RING + 1 : 1000);
		check_contents(&r, 11);
	}

	/* Up to the very last sample number. */
	fill(&r, UINT32_MAX - 200, UINT32_MAX, 12);
	assert_int_equal(r.last, UINT32_MAX);
	assert_int_equal(r.first, UINT32_MAX - VN_RING + 1);
	check_contents(&r, 12);
	assert_null(vn_ring_get(&r, UINT32_MAX - VN_RING));
	assert_null(vn_ring_get(&r, 0));
}

static void test_ring_get_edges(void **state)
{
	struct vn_ring r;
	const struct vn_row *row;

	(void)state;
	fill(&r, 1, 100, 5);	/* holds 37..100 */
	assert_int_equal(r.first, 37);
	assert_null(vn_ring_get(&r, 0));
	assert_null(vn_ring_get(&r, 36));
	assert_null(vn_ring_get(&r, 101));
	assert_null(vn_ring_get(&r, 100 + VN_RING)); /* 100's slot */
	assert_null(vn_ring_get(&r, UINT32_MAX));
	row = vn_ring_get(&r, 37);
	assert_non_null(row);
	assert_int_equal(row->sample, 37);
	row = vn_ring_get(&r, 100);
	assert_non_null(row);
	assert_int_equal(row->sample, 100);
	assert_int_equal(row->total_sent, 100000);
}

/* ---- the window ---- */

struct window_case {
	uint32_t from, to;	/* pushed */
	uint32_t p;
	bool ok;
	uint32_t lo, hi;
};

static const struct window_case window_cases[] = {
	/* Young ring 1..10. */
	{ 1, 10, 0, false, 0, 0 },
	{ 1, 10, 1, true, 1, 1 },
	{ 1, 10, 5, true, 1, 5 },
	{ 1, 10, 10, true, 1, 10 },
	{ 1, 10, 11, true, 1, 10 },
	{ 1, 10, 59, true, 1, 10 },
	{ 1, 10, 60, true, 1, 10 },
	{ 1, 10, 68, true, 9, 10 },
	{ 1, 10, 69, true, 10, 10 },
	{ 1, 10, 70, false, 0, 0 },
	{ 1, 10, 1000, false, 0, 0 },
	{ 1, 10, UINT32_MAX, false, 0, 0 },
	/* Exactly 60. */
	{ 1, 60, 59, true, 1, 59 },
	{ 1, 60, 60, true, 1, 60 },
	{ 1, 60, 61, true, 2, 60 },
	/* 1..100: holds 37..100. */
	{ 1, 100, 36, false, 0, 0 },
	{ 1, 100, 37, true, 37, 37 },
	{ 1, 100, 59, true, 37, 59 },
	{ 1, 100, 95, true, 37, 95 },	/* 59 rows: 36 is gone */
	{ 1, 100, 96, true, 37, 96 },	/* the oldest full window */
	{ 1, 100, 99, true, 40, 99 },
	{ 1, 100, 100, true, 41, 100 },
	{ 1, 100, 101, true, 42, 100 },
	{ 1, 100, 159, true, 100, 100 },
	{ 1, 100, 160, false, 0, 0 },
	/* A network first seen at sample 1000. */
	{ 1000, 1000, 999, false, 0, 0 },
	{ 1000, 1000, 1000, true, 1000, 1000 },
	{ 1000, 1000, 1059, true, 1000, 1000 },
	{ 1000, 1000, 1060, false, 0, 0 },
	{ 1000, 1030, 1020, true, 1000, 1020 },
	{ 1000, 1030, 1070, true, 1011, 1030 },
	/* Started at 5, p below VN_HISTORY and just above. */
	{ 5, 20, 4, false, 0, 0 },
	{ 5, 20, 30, true, 5, 20 },
	{ 5, 20, 64, true, 5, 20 },
	{ 5, 20, 65, true, 6, 20 },
	/* At the top of the sample numbers. */
	{ UINT32_MAX - 100, UINT32_MAX, UINT32_MAX, true, UINT32_MAX - 59,
	  UINT32_MAX },
	{ UINT32_MAX - 100, UINT32_MAX, UINT32_MAX - 63, true,
	  UINT32_MAX - 63, UINT32_MAX - 63 },
	{ UINT32_MAX - 100, UINT32_MAX, UINT32_MAX - 64, false, 0, 0 },
};

static void test_window_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(window_cases); i++) {
		const struct window_case *tc = &window_cases[i];
		uint32_t lo = 0xdead, hi = 0xbeef;
		struct vn_ring r;
		bool ok;

		fill(&r, tc->from, tc->to, i);
		ok = vn_ring_window(&r, tc->p, &lo, &hi);
		if (ok != tc->ok)
			fail_msg("ring %u..%u p=%u: window %s, want %s",
				 tc->from, tc->to, tc->p, ok ? "yes" : "no",
				 tc->ok ? "yes" : "no");
		if (ok && (lo != tc->lo || hi != tc->hi))
			fail_msg("ring %u..%u p=%u: window %u..%u, want %u..%u",
				 tc->from, tc->to, tc->p, lo, hi, tc->lo,
				 tc->hi);
	}
}

/*
 * Every p around several rings against the reference; a window is never
 * more than VN_HISTORY rows, never past p, and only holds what the ring
 * holds.
 */
static void test_window_sweep(void **state)
{
	struct sweep {
		uint32_t from, to;
	};
	static const struct sweep rings[] = {
		{ 1, 1 }, { 1, 30 }, { 1, 59 }, { 1, 60 }, { 1, 61 },
		{ 1, 64 }, { 1, 65 }, { 1, 500 }, { 40, 45 }, { 70, 200 },
		{ UINT32_MAX - 70, UINT32_MAX },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(rings); i++) {
		struct vn_ring r;
		int64_t pmin, pmax;

		fill(&r, rings[i].from, rings[i].to, i);
		pmin = (int64_t)r.first - 70;
		pmax = (int64_t)r.last + 70;
		if (pmin < 0)
			pmin = 0;
		if (pmax > UINT32_MAX)
			pmax = UINT32_MAX;
		for (int64_t pp = pmin; pp <= pmax; pp++) {
			uint32_t p = (uint32_t)pp;
			uint32_t lo, hi, wlo = 0, whi = 0;
			bool ok = vn_ring_window(&r, p, &lo, &hi);
			bool want = ref_window(r.first, r.last, p, &wlo, &whi);

			if (ok != want || (ok && (lo != wlo || hi != whi)))
				fail_msg("ring %u..%u p=%u: got %d %u..%u, "
					 "want %d %u..%u",
					 r.first, r.last, p, ok, ok ? lo : 0,
					 ok ? hi : 0, want, wlo, whi);
			if (!ok)
				continue;
			assert_true(lo <= hi);
			assert_true(hi - lo + 1 <= VN_HISTORY);
			assert_true(hi <= p);
			assert_true(lo >= r.first);
			assert_true(hi <= r.last);
			assert_non_null(vn_ring_get(&r, lo));
			assert_non_null(vn_ring_get(&r, hi));
			/* p < first has no window. */
			assert_true(p >= r.first);
		}
	}
}

/* ---- the summary ---- */

static void test_summary_hand(void **state)
{
	struct vn_ring r;
	struct vn_summary s;
	struct vn_row row;

	(void)state;
	vn_ring_init(&r);

	memset(&row, 0, sizeof(row));
	row.sample = 1;
	row.a.bytes_sent = 1;
	row.a.bytes_recv = 3;
	row.a.pkts_sent = 1000;	/* not a byte count: not summarised */
	assert_int_equal(vn_ring_push(&r, &row), 0);
	row.sample = 2;
	row.a.bytes_sent = 2;
	row.a.bytes_recv = 4;
	assert_int_equal(vn_ring_push(&r, &row), 0);

	vn_ring_summary(&r, 2, &s);
	assert_int_equal(s.sent_max, 2);
	assert_int_equal(s.sent_avg, 1);	/* 3 / 2, rounded down */
	assert_int_equal(s.recv_max, 4);
	assert_int_equal(s.recv_avg, 3);	/* 7 / 2 */

	vn_ring_summary(&r, 1, &s);	/* pinned before sample 2 */
	assert_int_equal(s.sent_max, 1);
	assert_int_equal(s.sent_avg, 1);
	assert_int_equal(s.recv_max, 3);
	assert_int_equal(s.recv_avg, 3);

	/* Zeros in the window pull the average down, not the max. */
	row.a.bytes_sent = 0;
	row.a.bytes_recv = 0;
	for (uint32_t i = 3; i <= 10; i++) {
		row.sample = i;
		assert_int_equal(vn_ring_push(&r, &row), 0);
	}
	vn_ring_summary(&r, 10, &s);
	assert_int_equal(s.sent_max, 2);
	assert_int_equal(s.sent_avg, 0);	/* 3 / 10 */
	assert_int_equal(s.recv_max, 4);
	assert_int_equal(s.recv_avg, 0);	/* 7 / 10 */

	/* All zero. */
	vn_ring_summary(&r, 69, &s);	/* window 10..10 */
	assert_int_equal(s.sent_max, 0);
	assert_int_equal(s.recv_avg, 0);

	/* Out of the window: zeros, whatever was there before. */
	memset(&s, 0xa5, sizeof(s));
	vn_ring_summary(&r, 70, &s);
	assert_int_equal(s.sent_max, 0);
	assert_int_equal(s.sent_avg, 0);
	assert_int_equal(s.recv_max, 0);
	assert_int_equal(s.recv_avg, 0);
	memset(&s, 0xa5, sizeof(s));
	vn_ring_summary(&r, 0, &s);
	assert_int_equal(s.sent_max, 0);
	assert_int_equal(s.sent_avg, 0);
	assert_int_equal(s.recv_max, 0);
	assert_int_equal(s.recv_avg, 0);
}

/* Sixty rows of the largest amount whose sum still fits in 64 bits. */
static void test_summary_large(void **state)
{
	const uint64_t big = UINT64_MAX / VN_HISTORY;
	struct vn_ring r;
	struct vn_summary s;
	struct vn_row row;

	(void)state;
	vn_ring_init(&r);
	memset(&row, 0, sizeof(row));
	for (uint32_t i = 1; i <= 100; i++) {
		row.sample = i;
		row.a.bytes_sent = big - (i % 2);
		row.a.bytes_recv = i == 77 ? big : 1;
		assert_int_equal(vn_ring_push(&r, &row), 0);
	}
	vn_ring_summary(&r, 100, &s);	/* 41..100: 30 odd, 30 even */
	assert_int_equal(s.sent_max, big);
	assert_int_equal(s.sent_avg, big - 1);	/* big - 30/60, floored */
	assert_int_equal(s.recv_max, big);
	/* (big + 59) / 60 */
	assert_int_equal(s.recv_avg, (big + 59) / 60);

	vn_ring_summary(&r, 76, &s);	/* 37..76: before the peak */
	assert_int_equal(s.recv_max, 1);
	assert_int_equal(s.recv_avg, 1);
}

/* Max and average over exactly the window, for every p around a ring. */
static void test_summary_sweep(void **state)
{
	struct sweep {
		uint32_t from, to;
	};
	static const struct sweep rings[] = {
		{ 1, 1 }, { 1, 2 }, { 1, 59 }, { 1, 60 }, { 1, 61 },
		{ 1, 64 }, { 1, 300 }, { 500, 530 },
		/* Ending at UINT32_MAX: test_summary_last_sample_number. */
		{ UINT32_MAX - 100, UINT32_MAX - 1 },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(rings); i++) {
		struct vn_ring r;

		fill(&r, rings[i].from, rings[i].to, 100 + i);
		int64_t pmin = (int64_t)r.first - 3;

		if (pmin < 0)
			pmin = 0;
		for (int64_t pp = pmin;
		     pp <= (int64_t)r.last + 62 && pp <= UINT32_MAX; pp++) {
			uint32_t p = (uint32_t)pp, lo, hi;
			struct vn_summary got, want;

			memset(&want, 0, sizeof(want));
			if (ref_window(r.first, r.last, p, &lo, &hi))
				ref_summary(lo, hi, 100 + i, &want);
			memset(&got, 0xa5, sizeof(got));
			vn_ring_summary(&r, p, &got);
			assert_summary(&got, &want, p);
		}
	}
}

/*
 * The summaries vn_ring_push keeps, against recomputation: random pushes
 * with value patterns chosen to move the maximum out of the window in every
 * way (falling runs, ties, plateaus, single spikes), stalls that start the
 * ring over, and after every push every pin a reader could hold and more
 * (last - 70 .. last + 3), each checked against the contract's window
 * recomputed from a copy of every value pushed.
 */
#define SHADOW 4096

struct shadow {
	uint64_t sent[SHADOW], recv[SHADOW]; /* by sample % SHADOW */
	uint32_t start; /* first sample since the last vn_ring_init */
};

static uint64_t rng;

static uint64_t rnd64(void)
{
	rng = mix(rng);
	return rng;
}

/* The next value of a run in one of several shapes. */
static uint64_t pattern_value(int shape, uint32_t s, uint64_t *state)
{
	switch (shape) {
	case 0: /* noise */
		return rnd64() % 1000000007ULL;
	case 1: /* falling: the maximum leaves with every push */
		return *state > 0 ? --*state : 0;
	case 2: /* ties: few distinct values, maxima repeat */
		return rnd64() % 3;
	case 3: /* constant */
		return 42;
	case 4: /* a spike now and then over a floor */
		return rnd64() % 61 == 0 ? (1ULL << 50) + s : 7;
	default: /* rising */
		return ++*state;
	}
}

static void shadow_summary(const struct shadow *sh, uint32_t lo, uint32_t hi,
			   struct vn_summary *want)
{
	unsigned __int128 sent = 0, recv = 0;

	memset(want, 0, sizeof(*want));
	for (uint64_t i = lo; i <= hi; i++) {
		uint64_t a = sh->sent[i % SHADOW], b = sh->recv[i % SHADOW];

		want->sent_max = a > want->sent_max ? a : want->sent_max;
		want->recv_max = b > want->recv_max ? b : want->recv_max;
		sent += a;
		recv += b;
	}
	want->sent_avg = (uint64_t)(sent / ((uint64_t)hi - lo + 1));
	want->recv_avg = (uint64_t)(recv / ((uint64_t)hi - lo + 1));
}

static void check_all_pins(const struct vn_ring *r, const struct shadow *sh,
			   uint32_t last)
{
	int64_t from = (int64_t)last - 70;
	uint32_t first = last - sh->start >= VN_RING ? last - VN_RING + 1
						      : sh->start;

	/* The ring's own bounds, from the test's bookkeeping. */
	assert_int_equal(r->last, last);
	assert_int_equal(r->first, first);
	for (int64_t pp = from < 0 ? 0 : from;
	     pp <= (int64_t)last + 3 && pp <= UINT32_MAX; pp++) {
		uint32_t p = (uint32_t)pp, lo, hi;
		struct vn_summary got, want;

		memset(&want, 0, sizeof(want));
		if (ref_window(first, last, p, &lo, &hi))
			shadow_summary(sh, lo, hi, &want);
		memset(&got, 0xa5, sizeof(got));
		vn_ring_summary(r, p, &got);
		assert_summary(&got, &want, p);
	}
}

static void test_summary_running_random(void **state)
{
	static const uint32_t starts[] = { 1, 2, 59, 1000, 123456,
					   UINT32_MAX - 700 };
	static struct shadow sh;

	(void)state;
	rng = 99;
	for (size_t k = 0; k < ARRAY_SIZE(starts); k++) {
		struct vn_ring r;
		uint32_t s = starts[k];
		uint64_t st_sent = 0, st_recv = 0;
		int shape_sent = 0, shape_recv = 0;

		vn_ring_init(&r);
		sh.start = s;
		for (int i = 0; i < 600; i++, s++) {
			struct vn_row row;

			if (rnd64() % 40 == 0) {
				shape_sent = (int)(rnd64() % 6);
				shape_recv = (int)(rnd64() % 6);
				st_sent = 1000 + rnd64() % 100;
				st_recv = 1000 + rnd64() % 100;
			}
			if (i > 0 && rnd64() % 150 == 0 &&
			    UINT32_MAX - s > 400) {
				/* a stall: the ring starts over further on */
				s += (uint32_t)(rnd64() % 200);
				vn_ring_init(&r);
				sh.start = s;
			}
			memset(&row, 0, sizeof(row));
			row.sample = s;
			row.a.bytes_sent = pattern_value(shape_sent, s,
							 &st_sent);
			row.a.bytes_recv = pattern_value(shape_recv, s,
							 &st_recv);
			sh.sent[s % SHADOW] = row.a.bytes_sent;
			sh.recv[s % SHADOW] = row.a.bytes_recv;
			assert_int_equal(vn_ring_push(&r, &row), 0);
			check_all_pins(&r, &sh, s);
			if (s == UINT32_MAX)
				break;
		}
	}
}

/*
 * Run vn_ring_summary(r, p) in a child that gets SIGALRM after a few
 * seconds, so that a summary that never returns fails this test instead
 * of hanging the whole binary. Returns false when the child did not
 * return a summary.
 */
static bool summary_in_child(const struct vn_ring *r, uint32_t p,
			     struct vn_summary *out)
{
	int fd[2], status;
	pid_t pid;
	ssize_t got;

	assert_int_equal(pipe(fd), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct vn_summary s;

		close(fd[0]);
		alarm(3);
		vn_ring_summary(r, p, &s);
		if (write(fd[1], &s, sizeof(s)) != (ssize_t)sizeof(s))
			_exit(1);
		_exit(0);
	}
	close(fd[1]);
	got = read(fd[0], out, sizeof(*out));
	close(fd[0]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	if (WIFSIGNALED(status) || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0)
		return false;
	return got == (ssize_t)sizeof(*out);
}

/*
 * vnetHistorySample runs to 4294967295, so a window may end there: the
 * summary must still cover exactly that window (and return).
 */
static void test_summary_last_sample_number(void **state)
{
	static const uint32_t ps[] = { UINT32_MAX - 63, UINT32_MAX - 59,
				       UINT32_MAX - 1, UINT32_MAX };
	struct vn_ring r;

	(void)state;
	fill(&r, UINT32_MAX - 100, UINT32_MAX, 77);
	for (size_t i = 0; i < ARRAY_SIZE(ps); i++) {
		struct vn_summary got, want;
		uint32_t lo, hi;

		assert_true(ref_window(r.first, r.last, ps[i], &lo, &hi));
		ref_summary(lo, hi, 77, &want);
		if (!summary_in_child(&r, ps[i], &got))
			fail_msg("vn_ring_summary(p=%u) over %u..%u did not "
				 "return (killed after 3 s)", ps[i], lo, hi);
		assert_summary(&got, &want, ps[i]);
	}
}

/*
 * The reason for 64 slots: a reader pinned at p keeps seeing exactly the
 * rows p-59..p, and the same summary, while the sampler pushes up to
 * VN_RING - VN_HISTORY more samples.
 */
static void test_pinned_reader_survives_four_pushes(void **state)
{
	static const uint32_t lasts[] = { 60, 61, 100, 64 * 5, 64 * 5 + 3,
					  1000 };

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(lasts); i++) {
		const uint32_t p = lasts[i];
		struct vn_row seen[VN_HISTORY];
		struct vn_summary sum0, sum;
		uint32_t lo, hi;
		struct vn_ring r;

		fill(&r, 1, p, 42);
		assert_true(vn_ring_window(&r, p, &lo, &hi));
		assert_int_equal(lo, p - VN_HISTORY + 1);
		assert_int_equal(hi, p);
		for (uint32_t s = lo; s <= hi; s++)
			seen[s - lo] = *vn_ring_get(&r, s);
		vn_ring_summary(&r, p, &sum0);

		for (uint32_t more = 1; more <= VN_RING - VN_HISTORY; more++) {
			uint32_t l2, h2;

			push_ok(&r, p + more, 42);
			assert_true(vn_ring_window(&r, p, &l2, &h2));
			assert_int_equal(l2, lo);
			assert_int_equal(h2, hi);
			for (uint32_t s = lo; s <= hi; s++) {
				const struct vn_row *row = vn_ring_get(&r, s);

				assert_non_null(row);
				if (!row_equal(row, &seen[s - lo]))
					fail_msg("p=%u, +%u pushed: sample %u "
						 "changed", p, more, s);
			}
			vn_ring_summary(&r, p, &sum);
			assert_summary(&sum, &sum0, p);
		}

		/*
		 * One more and the oldest row of p's window is overwritten:
		 * the ring no longer holds it, so the window shrinks (this is
		 * where the store re-pins).
		 */
		push_ok(&r, p + VN_RING - VN_HISTORY + 1, 42);
		assert_null(vn_ring_get(&r, lo));
		assert_true(vn_ring_window(&r, p, &lo, &hi));
		assert_int_equal(lo, p - VN_HISTORY + 2);
		assert_int_equal(hi, p);
		for (uint32_t s = lo; s <= hi; s++)
			assert_true(row_equal(vn_ring_get(&r, s),
					      &seen[s - (p - VN_HISTORY + 1)]));
	}
}

/* ---- the clock ---- */

static void test_clock_round_trip(void **state)
{
	struct vn_clock c;

	(void)state;
	memset(&c, 0, sizeof(c));
	for (uint32_t s = 1; s <= VN_RING; s++)
		vn_clock_set(&c, s, 1700000000000LL + 1000 * (int64_t)s,
			     s % 3 ? VN_STATUS_VALID : VN_STATUS_INTERPOLATED);
	for (uint32_t s = 1; s <= VN_RING; s++) {
		assert_int_equal(vn_clock_time(&c, s),
				 1700000000000LL + 1000 * (int64_t)s);
		assert_int_equal(vn_clock_status(&c, s),
				 s % 3 ? VN_STATUS_VALID :
					 VN_STATUS_INTERPOLATED);
	}

	/* Negative and extreme times survive. */
	vn_clock_set(&c, 5, -1, VN_STATUS_VALID);
	assert_int_equal(vn_clock_time(&c, 5), -1);
	vn_clock_set(&c, 6, INT64_MAX, VN_STATUS_INTERPOLATED);
	assert_int_equal(vn_clock_time(&c, 6), INT64_MAX);
	assert_int_equal(vn_clock_status(&c, 6), VN_STATUS_INTERPOLATED);
	vn_clock_set(&c, 7, INT64_MIN, VN_STATUS_VALID);
	assert_int_equal(vn_clock_time(&c, 7), INT64_MIN);
	assert_int_equal(vn_clock_status(&c, 7), VN_STATUS_VALID);
}

/* Sample s and s + 64 share a slot: the newer one wins; others keep. */
static void test_clock_wraps_at_64(void **state)
{
	struct vn_clock c;

	(void)state;
	memset(&c, 0, sizeof(c));
	vn_clock_set(&c, 1, 1000, VN_STATUS_VALID);
	vn_clock_set(&c, 2, 2000, VN_STATUS_INTERPOLATED);
	vn_clock_set(&c, 1 + VN_RING, 65000, VN_STATUS_INTERPOLATED);
	assert_int_equal(vn_clock_time(&c, 1 + VN_RING), 65000);
	assert_int_equal(vn_clock_status(&c, 1 + VN_RING),
			 VN_STATUS_INTERPOLATED);
	assert_int_equal(vn_clock_time(&c, 1), 65000);	/* overwritten */
	assert_int_equal(vn_clock_time(&c, 2), 2000);
	assert_int_equal(vn_clock_status(&c, 2), VN_STATUS_INTERPOLATED);

	/* A long run: the newest 64 are always readable. */
	for (uint32_t s = 1; s <= 1000; s++) {
		vn_clock_set(&c, s, (int64_t)s * 1000,
			     s % 7 ? VN_STATUS_VALID : VN_STATUS_INTERPOLATED);
		for (uint32_t t = s > VN_RING ? s - VN_RING + 1 : 1; t <= s;
		     t++) {
			assert_int_equal(vn_clock_time(&c, t),
					 (int64_t)t * 1000);
			assert_int_equal(vn_clock_status(&c, t),
					 t % 7 ? VN_STATUS_VALID :
						 VN_STATUS_INTERPOLATED);
		}
	}

	/* Across the top of the sample numbers. */
	vn_clock_set(&c, UINT32_MAX, 42, VN_STATUS_VALID);
	assert_int_equal(vn_clock_time(&c, UINT32_MAX), 42);
	vn_clock_set(&c, UINT32_MAX - 63, 43, VN_STATUS_INTERPOLATED);
	assert_int_equal(vn_clock_time(&c, UINT32_MAX), 42);
	assert_int_equal(vn_clock_time(&c, UINT32_MAX - 63), 43);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ring_init_empty),
		cmocka_unit_test(test_push_first_any_sample),
		cmocka_unit_test(test_push_sample_zero),
		cmocka_unit_test(test_push_not_consecutive),
		cmocka_unit_test(test_ring_keeps_last_64),
		cmocka_unit_test(test_ring_wraps_from_late_start),
		cmocka_unit_test(test_ring_get_edges),
		cmocka_unit_test(test_window_table),
		cmocka_unit_test(test_window_sweep),
		cmocka_unit_test(test_summary_hand),
		cmocka_unit_test(test_summary_large),
		cmocka_unit_test(test_summary_sweep),
		cmocka_unit_test(test_summary_last_sample_number),
		cmocka_unit_test(test_summary_running_random),
		cmocka_unit_test(test_pinned_reader_survives_four_pushes),
		cmocka_unit_test(test_clock_round_trip),
		cmocka_unit_test(test_clock_wraps_at_64),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
