/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_store.c - the published networks: sorted insert, find, remove,
 * the rows[] mirror oidnext reads, the per-request pin and vnetNumber.
 *
 * Networks are built the way the sampler builds them: calloc, an empty
 * ring with samples pushed, an accounting set with members. The store
 * frees what it still holds; whatever a test removes, the test frees.
 */
#include <config.h>

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <setjmp.h>
#include <cmocka.h>

#include "store.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define MAX_INDEX 2147483647u

/* ---- helpers ---- */

static void push_rows(struct vn_net *net, uint32_t from, uint32_t to)
{
	for (uint32_t s = from; s <= to; s++) {
		struct vn_row row;

		memset(&row, 0, sizeof(row));
		row.sample = s;
		row.a.bytes_sent = (uint64_t)net->index * 1000 + s;
		assert_int_equal(vn_ring_push(&net->ring, &row), 0);
	}
}

/*
 * A network with index and samples first..last pushed (last == 0: none),
 * and two accounting members so that freeing it has something to free.
 */
static struct vn_net *mknet(uint32_t index, uint32_t first, uint32_t last)
{
	struct vn_net *net = calloc(1, sizeof(*net));
	struct vn_member_spec m[] = { { index % 1000 + 1, VN_ROLE_HOST },
				      { index % 1000 + 2, VN_ROLE_PORT } };

	assert_non_null(net);
	net->index = index;
	snprintf(net->name, sizeof(net->name), "net%u", index);
	net->type = VN_TYPE_BRIDGE;
	vn_ring_init(&net->ring);
	if (last != 0)
		push_rows(net, first, last);
	vn_acct_init(&net->acct);
	assert_int_equal(vn_acct_set_members(&net->acct, m, 2), 0);
	return net;
}

static void freenet(struct vn_net *net)
{
	vn_acct_free(&net->acct);
	free(net);
}

static void insert_ok(struct vn_store *s, struct vn_net *net)
{
	size_t n = s->n;

	if (vn_store_insert(s, net) != 0)
		fail_msg("insert of index %u refused", net->index);
	assert_int_equal(s->n, n + 1);
}

/* rows[] mirrors nets[], and both are strictly ascending by index. */
static void check_mirror(const struct vn_store *s)
{
	for (size_t i = 0; i < s->n; i++) {
		const struct vn_net *net = s->nets[i];

		assert_non_null(net);
		if (s->rows[i].index != net->index)
			fail_msg("rows[%zu].index %u, nets[%zu]->index %u", i,
				 s->rows[i].index, i, net->index);
		assert_int_equal(s->rows[i].first, net->ring.first);
		assert_int_equal(s->rows[i].last, net->ring.last);
		if (i > 0 && s->nets[i - 1]->index >= net->index)
			fail_msg("nets[%zu] = %u after nets[%zu] = %u", i,
				 net->index, i - 1, s->nets[i - 1]->index);
	}
	assert_true(s->n <= s->cap);
}

/* ---- init, free, lock ---- */

static void test_init_free_empty(void **state)
{
	struct vn_store s;
	size_t pos = 12345;

	(void)state;
	memset(&s, 0xa5, sizeof(s));
	assert_int_equal(vn_store_init(&s), 0);
	assert_int_equal(s.n, 0);
	assert_int_equal(s.current, 0);
	assert_null(s.nets);
	assert_null(s.rows);
	assert_null(vn_store_find(&s, 1, &pos));
	assert_null(vn_store_find(&s, 0, NULL));
	assert_int_equal(pos, 12345);
	assert_int_equal(vn_store_count(&s, 0), 0);
	assert_int_equal(vn_store_count(&s, UINT32_MAX), 0);
	vn_store_free(&s);
	assert_int_equal(s.n, 0);
	assert_null(s.nets);
}

static void test_free_with_networks(void **state)
{
	struct vn_store s;

	(void)state;
	assert_int_equal(vn_store_init(&s), 0);
	/* Enough to grow the arrays several times; valgrind sees the rest. */
	for (uint32_t i = 1; i <= 100; i++)
		insert_ok(&s, mknet(i * 7, 1, i % 3 ? i : 0));
	check_mirror(&s);
	vn_store_free(&s);
	assert_int_equal(s.n, 0);
	assert_null(s.nets);
	assert_null(s.rows);
}

static void test_lock_unlock(void **state)
{
	struct vn_store s;

	(void)state;
	assert_int_equal(vn_store_init(&s), 0);
	vn_store_lock(&s);
	assert_int_equal(pthread_mutex_trylock(&s.lock), EBUSY);
	vn_store_unlock(&s);
	assert_int_equal(pthread_mutex_trylock(&s.lock), 0);
	assert_int_equal(pthread_mutex_unlock(&s.lock), 0);
	vn_store_lock(&s);
	vn_store_unlock(&s);
	vn_store_free(&s);
}

/* ---- insert, find, remove ---- */

static void test_insert_keeps_sorted(void **state)
{
	/* Every order class: ascending, descending, middle, extremes. */
	static const uint32_t order[] = {
		50, 10, 90, 30, 70, 20, 80, 40, 60, 1, MAX_INDEX, 100, 99,
		51, 49, 2, MAX_INDEX - 1, 1000000, 11, 12, 13,
	};
	struct vn_store s;

	(void)state;
	assert_int_equal(vn_store_init(&s), 0);
	for (size_t i = 0; i < ARRAY_SIZE(order); i++) {
		insert_ok(&s, mknet(order[i], 1, (uint32_t)i + 1));
		check_mirror(&s);
	}
	assert_int_equal(s.n, ARRAY_SIZE(order));
	assert_int_equal(s.nets[0]->index, 1);
	assert_int_equal(s.nets[1]->index, 2);
	assert_int_equal(s.nets[s.n - 1]->index, MAX_INDEX);
	assert_int_equal(s.nets[s.n - 2]->index, MAX_INDEX - 1);
	vn_store_free(&s);
}

/* A thousand indexes in a scrambled order (a permutation of 1..1000). */
static void test_insert_many(void **state)
{
	struct vn_store s;

	(void)state;
	assert_int_equal(vn_store_init(&s), 0);
	for (uint32_t i = 0; i < 1000; i++) {
		/* 389 is prime: a permutation of 1..1000. */
		uint32_t index = (i * 389u) % 1000u + 1;

		insert_ok(&s, mknet(index, 1, 1));
	}
	check_mirror(&s);
	for (uint32_t i = 0; i < 1000; i++) {
		size_t pos = SIZE_MAX;

		assert_int_equal(s.nets[i]->index, i + 1);
		assert_ptr_equal(vn_store_find(&s, i + 1, &pos), s.nets[i]);
		assert_int_equal(pos, i);
	}
	assert_null(vn_store_find(&s, 1001, NULL));
	assert_null(vn_store_find(&s, 0, NULL));
	vn_store_free(&s);
}

static void test_insert_duplicate(void **state)
{
	struct vn_store s;
	struct vn_net *a = mknet(5, 1, 3);
	struct vn_net *b = mknet(9, 1, 3);
	struct vn_net *dup = mknet(5, 1, 10);
	struct vn_oidrow before[2];

	(void)state;
	assert_int_equal(vn_store_init(&s), 0);
	insert_ok(&s, a);
	insert_ok(&s, b);
	memcpy(before, s.rows, sizeof(before));
	assert_int_equal(vn_store_insert(&s, dup), -1);
	assert_int_equal(s.n, 2);
	assert_ptr_equal(s.nets[0], a);
	assert_ptr_equal(s.nets[1], b);
	assert_memory_equal(s.rows, before, sizeof(before));
	assert_ptr_equal(vn_store_find(&s, 5, NULL), a);

	/* Duplicates of the last and of a lone entry, too. */
	struct vn_net *dup9 = mknet(9, 1, 1);

	assert_int_equal(vn_store_insert(&s, dup9), -1);
	assert_int_equal(s.n, 2);
	check_mirror(&s);
	freenet(dup);
	freenet(dup9);
	vn_store_free(&s);
}

static void test_find_and_pos(void **state)
{
	static const uint32_t idx[] = { 3, 8, 9, 20, 1000, MAX_INDEX };
	static const uint32_t absent[] = { 0, 1, 2, 4, 10, 19, 21, 999, 1001,
					   MAX_INDEX - 1, MAX_INDEX + 1u,
					   UINT32_MAX };
	struct vn_store s;

	(void)state;
	assert_int_equal(vn_store_init(&s), 0);
	for (size_t i = ARRAY_SIZE(idx); i-- > 0;)
		insert_ok(&s, mknet(idx[i], 1, 1));
	for (size_t i = 0; i < ARRAY_SIZE(idx); i++) {
		size_t pos = SIZE_MAX;
		struct vn_net *net = vn_store_find(&s, idx[i], &pos);

		assert_non_null(net);
		assert_int_equal(net->index, idx[i]);
		assert_int_equal(pos, i);
		assert_ptr_equal(vn_store_find(&s, idx[i], NULL), net);
	}
	for (size_t i = 0; i < ARRAY_SIZE(absent); i++) {
		size_t pos = 777;

		assert_null(vn_store_find(&s, absent[i], &pos));
		assert_int_equal(pos, 777);	/* untouched */
	}
	vn_store_free(&s);
}

static void test_remove(void **state)
{
	struct vn_store s;
	struct vn_net *net;
	size_t pos;

	(void)state;
	assert_int_equal(vn_store_init(&s), 0);
	for (uint32_t i = 1; i <= 7; i++)
		insert_ok(&s, mknet(i * 10, i, i + 5));	/* 10..70 */

	/* Middle. */
	assert_non_null(vn_store_find(&s, 40, &pos));
	assert_int_equal(pos, 3);
	net = vn_store_remove(&s, pos);
	assert_int_equal(net->index, 40);
	freenet(net);
	assert_int_equal(s.n, 6);
	check_mirror(&s);
	assert_null(vn_store_find(&s, 40, NULL));
	assert_non_null(vn_store_find(&s, 30, &pos));
	assert_int_equal(pos, 2);
	assert_non_null(vn_store_find(&s, 50, &pos));
	assert_int_equal(pos, 3);

	/* First. */
	net = vn_store_remove(&s, 0);
	assert_int_equal(net->index, 10);
	freenet(net);
	check_mirror(&s);
	assert_int_equal(s.nets[0]->index, 20);
	assert_int_equal(s.rows[0].index, 20);

	/* Last. */
	net = vn_store_remove(&s, s.n - 1);
	assert_int_equal(net->index, 70);
	freenet(net);
	check_mirror(&s);
	assert_int_equal(s.n, 4);
	assert_int_equal(s.nets[s.n - 1]->index, 60);
	assert_null(vn_store_find(&s, 70, NULL));

	/* 20 30 50 60: the ring data travelled with them. */
	static const uint32_t left[] = { 20, 30, 50, 60 };

	for (size_t i = 0; i < ARRAY_SIZE(left); i++) {
		assert_int_equal(s.rows[i].index, left[i]);
		assert_int_equal(s.rows[i].first, left[i] / 10);
		assert_int_equal(s.rows[i].last, left[i] / 10 + 5);
	}

	/* A removed index can come back, in its place. */
	insert_ok(&s, mknet(40, 100, 101));
	check_mirror(&s);
	assert_non_null(vn_store_find(&s, 40, &pos));
	assert_int_equal(pos, 2);
	assert_int_equal(s.rows[2].first, 100);

	/* Down to nothing, then up again. */
	while (s.n > 0) {
		net = vn_store_remove(&s, s.n / 2);
		freenet(net);
		check_mirror(&s);
	}
	assert_null(vn_store_find(&s, 20, NULL));
	assert_int_equal(vn_store_count(&s, UINT32_MAX), 0);
	insert_ok(&s, mknet(5, 1, 1));
	check_mirror(&s);
	vn_store_free(&s);
}

/* rows[pos] follows the ring only when synced (the sampler does it). */
/*
 * Networks come and go at random, as bridges do: after every insert and
 * remove, vn_store_find (the index map) and oidnext's view of the store
 * must agree with a linear search of nets[], for every index present,
 * its neighbours and indexes long gone.
 */
static uint64_t rng;

static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static void check_find_vs_linear(const struct vn_store *s, uint32_t key)
{
	struct vn_oidview v = vn_store_view(s);
	size_t want = s->n, pos = SIZE_MAX;
	struct vn_net *net;

	for (size_t i = 0; i < s->n; i++)
		if (s->nets[i]->index == key)
			want = i;
	net = vn_store_find(s, key, &pos);
	assert_int_equal(vn_oidview_find(&v, key), want);
	if (want == s->n) {
		assert_null(net);
		assert_int_equal(pos, SIZE_MAX);
		return;
	}
	assert_ptr_equal(net, s->nets[want]);
	assert_int_equal(pos, want);
}

static void test_find_through_churn(void **state)
{
	static uint32_t gone[4096];
	size_t ngone = 0;
	uint32_t next = 1;
	struct vn_store s;

	(void)state;
	rng = 88172645463325252ULL;
	assert_int_equal(vn_store_init(&s), 0);
	for (int step = 0; step < 2500; step++) {
		if (s.n == 0 || (s.n < 400 && rnd() % 100 < 60)) {
			/* mostly the next new index; now and then the top */
			uint32_t idx = rnd() % 8 ? next++
						 : MAX_INDEX - (uint32_t)(rnd() % 64);

			if (vn_store_find(&s, idx, NULL))
				continue;
			insert_ok(&s, mknet(idx, 1, (uint32_t)(rnd() % 3)));
		} else {
			size_t pos = (size_t)(rnd() % s.n);
			struct vn_net *net = vn_store_remove(&s, pos);

			if (ngone < ARRAY_SIZE(gone))
				gone[ngone++] = net->index;
			freenet(net);
		}
		check_mirror(&s);
		for (size_t i = 0; i < s.n; i++) {
			check_find_vs_linear(&s, s.nets[i]->index);
			check_find_vs_linear(&s, s.nets[i]->index + 1);
		}
		for (size_t i = 0; i < ngone; i += 1 + ngone / 32)
			check_find_vs_linear(&s, gone[i]);
		check_find_vs_linear(&s, 0);
		check_find_vs_linear(&s, UINT32_MAX);
	}
	vn_store_free(&s);
}

static void test_sync_row(void **state)
{
	struct vn_store s;
	struct vn_net *a = mknet(1, 0, 0);	/* no samples yet */
	struct vn_net *b = mknet(2, 1, 10);
	size_t pos;

	(void)state;
	assert_int_equal(vn_store_init(&s), 0);
	insert_ok(&s, a);
	insert_ok(&s, b);
	check_mirror(&s);	/* insert syncs */
	assert_int_equal(s.rows[0].last, 0);
	assert_int_equal(s.rows[1].first, 1);
	assert_int_equal(s.rows[1].last, 10);

	push_rows(a, 11, 11);
	push_rows(b, 11, 100);
	/* Not yet published. */
	assert_int_equal(s.rows[0].first, 0);
	assert_int_equal(s.rows[0].last, 0);
	assert_int_equal(s.rows[1].last, 10);

	assert_non_null(vn_store_find(&s, 2, &pos));
	vn_store_sync_row(&s, pos);
	assert_int_equal(s.rows[1].index, 2);
	assert_int_equal(s.rows[1].first, 37);
	assert_int_equal(s.rows[1].last, 100);
	assert_int_equal(s.rows[0].last, 0);	/* the other is untouched */

	vn_store_sync_row(&s, 0);
	assert_int_equal(s.rows[0].first, 11);
	assert_int_equal(s.rows[0].last, 11);
	check_mirror(&s);
	vn_store_free(&s);
}

/* ---- the pin ---- */

struct pin_step {
	uint32_t current;
	uintptr_t key1;
	long key2;
	uint32_t want;
	const char *why;
};

#define KA ((uintptr_t)0x1000)
#define KB ((uintptr_t)0x2000)

static const struct pin_step pin_steps[] = {
	{ 10, KA, 1, 10, "first call: the newest" },
	{ 10, KA, 1, 10, "same request" },
	{ 11, KA, 1, 10, "sampler moved 1" },
	{ 14, KA, 1, 10, "sampler moved VN_RING - VN_HISTORY" },
	{ 15, KA, 1, 15, "moved 5: the ring lost the window, re-pinned" },
	{ 19, KA, 1, 15, "the new pin holds" },
	{ 19, KA, 2, 19, "another transaction of the session" },
	{ 20, KA, 1, 20, "the old request is not pinned any more" },
	{ 20, KB, 1, 20, "another session" },
	{ 21, KB, 1, 20, "held" },
	{ 22, KA, 1, 22, "A again: new" },
	{ 22, KB, 1, 22, "B lost its pin to A" },
	{ 26, KB, 1, 22, "held for 4" },
	{ 27, KB, 1, 27, "not for 5" },
	{ 27, KB, -1, 27, "negative key2" },
	{ 31, KB, -1, 27, "held" },
	{ 31, UINTPTR_MAX, LONG_MIN, 31, "extreme keys" },
	{ 35, UINTPTR_MAX, LONG_MIN, 31, "held" },
	{ 1000, UINTPTR_MAX, LONG_MIN, 1000, "far beyond: re-pinned" },
	{ 1000, UINTPTR_MAX, LONG_MAX, 1000, "key2 differs" },
	{ 1004, UINTPTR_MAX, LONG_MAX, 1000, "held" },
	{ 1004, UINTPTR_MAX - 1, LONG_MAX, 1004, "key1 differs" },
};

static void test_pin_steps(void **state)
{
	struct vn_store s;

	(void)state;
	assert_int_equal(vn_store_init(&s), 0);
	for (size_t i = 0; i < ARRAY_SIZE(pin_steps); i++) {
		const struct pin_step *st = &pin_steps[i];
		uint32_t got;

		s.current = st->current;
		got = vn_store_pin(&s, st->key1, st->key2);
		if (got != st->want)
			fail_msg("step %zu (%s): pinned %u, want %u", i,
				 st->why, got, st->want);
	}
	vn_store_free(&s);
}

/*
 * Whatever the pin, a reader finds its whole window: for every distance
 * 0..VN_RING - VN_HISTORY the window at the pin is the full 60 rows.
 */
static void test_pin_keeps_window_intact(void **state)
{
	struct vn_store s;
	struct vn_net *net = mknet(1, 1, 100);
	uint32_t p;

	(void)state;
	assert_int_equal(vn_store_init(&s), 0);
	insert_ok(&s, net);
	s.current = 100;
	p = vn_store_pin(&s, KA, 7);
	assert_int_equal(p, 100);
	for (uint32_t cur = 101; cur <= 140; cur++) {
		uint32_t lo, hi, got;

		push_rows(net, cur, cur);
		vn_store_sync_row(&s, 0);
		s.current = cur;
		got = vn_store_pin(&s, KA, 7);
		if (cur - p > VN_RING - VN_HISTORY) {
			assert_int_equal(got, cur);
			p = got;
		} else {
			assert_int_equal(got, p);
		}
		assert_true(vn_ring_window(&net->ring, got, &lo, &hi));
		assert_int_equal(hi - lo + 1, VN_HISTORY);
		assert_int_equal(hi, got);
		assert_int_equal(vn_store_count(&s, got), 1);
	}
	vn_store_free(&s);
}

/*
 * A request that starts before the first sample is published (current 0)
 * must keep seeing sample 0 (an empty table) for all its calls, as every
 * other request keeps its sample: "the same for every call of one
 * request".
 */
static void test_pin_before_first_sample(void **state)
{
	struct vn_store s;

	(void)state;
	assert_int_equal(vn_store_init(&s), 0);
	s.current = 0;
	assert_int_equal(vn_store_pin(&s, KA, 1), 0);
	s.current = 1;	/* the sampler publishes sample 1 meanwhile */
	assert_int_equal(vn_store_pin(&s, KA, 1), 0);
	/* A new request sees it. */
	assert_int_equal(vn_store_pin(&s, KB, 1), 1);
	vn_store_free(&s);
}

/* ---- vnetNumber ---- */

struct count_net {
	uint32_t index;
	uint32_t from, to;	/* pushed; to == 0: nothing */
};

static const struct count_net count_nets[] = {
	{ 1, 0, 0 },		/* no sample yet: never a row */
	{ 2, 1, 10 },		/* holds 1..10 */
	{ 3, 5, 70 },		/* holds 7..70 */
	{ 4, 50, 50 },
	{ 5, 100, 120 },
	{ 6, 0, 0 },
};

struct count_case {
	uint32_t p;
	uint32_t want;
};

static const struct count_case count_cases[] = {
	{ 0, 0 }, { 1, 1 }, { 6, 1 }, { 7, 2 }, { 10, 2 }, { 11, 2 },
	{ 49, 2 }, { 50, 3 }, { 99, 3 }, { 100, 4 }, { 120, 4 },
	{ 1000, 4 }, { UINT32_MAX, 4 },
};

static void test_count(void **state)
{
	struct vn_store s;

	(void)state;
	assert_int_equal(vn_store_init(&s), 0);
	for (size_t i = 0; i < ARRAY_SIZE(count_nets); i++)
		insert_ok(&s, mknet(count_nets[i].index, count_nets[i].from,
				    count_nets[i].to));
	assert_int_equal(s.nets[2]->ring.first, 7);
	for (size_t i = 0; i < ARRAY_SIZE(count_cases); i++) {
		uint32_t got = vn_store_count(&s, count_cases[i].p);

		if (got != count_cases[i].want)
			fail_msg("count at p=%u: %u, want %u",
				 count_cases[i].p, got, count_cases[i].want);
	}

	/* Net 1 takes its first sample, at 130: a row from p = 130 on. */
	struct vn_net *n1 = vn_store_find(&s, 1, NULL);

	push_rows(n1, 130, 130);
	assert_int_equal(vn_store_count(&s, 130), 4);	/* not synced */
	vn_store_sync_row(&s, 0);
	assert_int_equal(vn_store_count(&s, 129), 4);
	assert_int_equal(vn_store_count(&s, 130), 5);
	/* The same from the kept count, as the agent reads it at current. */
	assert_int_equal(s.nvisible, 5);
	s.current = 130;
	assert_int_equal(vn_store_count(&s, 130), 5);

	/* Removing a network removes its row. */
	size_t pos;
	struct vn_net *gone = vn_store_find(&s, 2, &pos);

	assert_ptr_equal(vn_store_remove(&s, pos), gone);
	freenet(gone);
	assert_int_equal(vn_store_count(&s, 130), 4);
	assert_int_equal(s.nvisible, 4);
	assert_int_equal(vn_store_count(&s, 6), 0);
	vn_store_free(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init_free_empty),
		cmocka_unit_test(test_free_with_networks),
		cmocka_unit_test(test_lock_unlock),
		cmocka_unit_test(test_insert_keeps_sorted),
		cmocka_unit_test(test_insert_many),
		cmocka_unit_test(test_insert_duplicate),
		cmocka_unit_test(test_find_and_pos),
		cmocka_unit_test(test_remove),
		cmocka_unit_test(test_find_through_churn),
		cmocka_unit_test(test_sync_row),
		cmocka_unit_test(test_pin_steps),
		cmocka_unit_test(test_pin_keeps_window_intact),
		cmocka_unit_test(test_pin_before_first_sample),
		cmocka_unit_test(test_count),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
