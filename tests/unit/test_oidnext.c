/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_oidnext.c - GET and GETNEXT over vnetTable and vnetHistoryTable.
 *
 * Three kinds of evidence: cases worked out by hand from the rules (the
 * odd suffixes a manager may send), complete walks that feed each answer
 * back as the next request, and seeded random tables checked against a
 * brute-force reference that enumerates every instance, sorts the OIDs and
 * compares them one by one. The reference shares no code with oidnext.c.
 */
#include <config.h>

#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <setjmp.h>
#include <cmocka.h>

#include "oidnext.h"

/* Accessible columns, as the MIB contract numbers them. */
static const struct vn_cols table_cols = { 2, 17 };
static const struct vn_cols hist_cols = { 2, 8 };

#define TWO31 ((vn_oid)0x80000000UL)
#define MAXIDX ((vn_oid)0x7fffffffUL)
#define MAX32 ((vn_oid)0xffffffffUL)

/* The 64-bit cases only mean something where an oid is wider than 32 bits. */
#if ULONG_MAX > 0xffffffffUL
#define WIDE_OID 1
#define TWO32 ((vn_oid)0x100000000UL)
#else
#define WIDE_OID 0
#endif

enum which { TABLE, HIST };

typedef int (*lookup_fn)(const struct vn_oidview *v, uint32_t pinned,
			 const struct vn_cols *cols, unsigned col,
			 const vn_oid *suffix, size_t len, struct vn_inst *out);

static lookup_fn next_fn(enum which w)
{
	return w == TABLE ? vn_table_next_view : vn_hist_next_view;
}

static lookup_fn get_fn(enum which w)
{
	return w == TABLE ? vn_table_get_view : vn_hist_get_view;
}

/* Sub-identifiers in an instance OID below the entry: col, index[, sample]. */
static size_t inst_len(enum which w)
{
	return w == TABLE ? 2 : 3;
}

/* A table as a test sees it. */
struct tab {
	const struct vn_oidrow *rows;
	size_t n;
	uint32_t pinned;
	const struct vn_cols *cols;
	/* over rows[0..n), or NULL: ask() builds one for each question */
	const struct vn_idxmap *map;
};

/* ---- printing, for failure messages ---- */

static const char *fmt_oid(char *buf, size_t size, const vn_oid *oid,
			   size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < len && used < size; i++)
		used += snprintf(buf + used, size - used, "%s%lu", i ? "." : "",
				 oid[i]);
	return buf;
}

static const char *fmt_req(char *buf, size_t size, unsigned col,
			   const vn_oid *suffix, size_t len)
{
	vn_oid oid[8] = { col };

	assert_true(len < 8);
	memcpy(oid + 1, suffix, len * sizeof(*suffix));
	return fmt_oid(buf, size, oid, len + 1);
}

/*
 * Every question is asked twice: of the bare rows[] (binary search) and
 * of a view with an index map over them, which must answer the same.
 */
static int ask(lookup_fn fn, const struct tab *t, unsigned col,
	       const vn_oid *suffix, size_t len, struct vn_inst *out)
{
	struct vn_idxmap map = { 0 };
	struct vn_oidview bare = { t->rows, t->n, NULL };
	struct vn_oidview v = { t->rows, t->n, t->map ? t->map : &map };
	struct vn_inst vout = { 0 };
	int got = fn(&bare, t->pinned, t->cols, col, suffix, len, out);
	int vgot;

	if (!t->map)
		assert_int_equal(vn_idxmap_build(&map, t->rows, t->n), 0);
	vgot = fn(&v, t->pinned, t->cols, col, suffix, len, &vout);
	vn_idxmap_free(&map);
	if (vgot != got ||
	    (got && (vout.col != out->col || vout.pos != out->pos ||
		     vout.sample != out->sample)))
		fail_msg("with an index map: %d (col %u pos %zu sample %u), "
			 "without: %d (col %u pos %zu sample %u)",
			 vgot, vout.col, vout.pos, vout.sample, got,
			 got ? out->col : 0, got ? out->pos : 0,
			 got ? out->sample : 0);
	return got;
}

/* ---- the brute-force reference ---- */

struct ref_inst {
	vn_oid oid[3];	/* col, index, sample (HIST only) */
	size_t pos;	/* in rows[] */
};

struct ref {
	struct ref_inst *v;
	size_t cnt;
	size_t len;	/* sub-identifiers per instance */
};

/* Plain lexicographic OID order, a proper prefix first. */
static int oid_cmp(const vn_oid *a, size_t alen, const vn_oid *b, size_t blen)
{
	for (size_t i = 0; i < alen && i < blen; i++) {
		if (a[i] != b[i])
			return a[i] < b[i] ? -1 : 1;
	}
	if (alen != blen)
		return alen < blen ? -1 : 1;
	return 0;
}

static size_t ref_cmp_len;

static int ref_qsort_cmp(const void *a, const void *b)
{
	const struct ref_inst *x = a, *y = b;

	return oid_cmp(x->oid, ref_cmp_len, y->oid, ref_cmp_len);
}

/*
 * Is sample s of this row visible? Straight from the contract, in 64 bits
 * so nothing wraps: the row holds it, it is not newer than pinned, it is
 * one of the newest VN_HISTORY at pinned, and it is a legal
 * vnetHistorySample (1..4294967295).
 */
static int ref_sample_visible(const struct vn_oidrow *r, uint32_t pinned,
			      int64_t s)
{
	return s >= 1 && s >= r->first && s <= r->last && s <= pinned &&
	       s > (int64_t)pinned - VN_HISTORY;
}

static void ref_add(struct ref *ref, size_t *cap, const vn_oid *oid,
		    size_t pos)
{
	if (ref->cnt == *cap) {
		*cap = *cap ? *cap * 2 : 64;
		ref->v = realloc(ref->v, *cap * sizeof(*ref->v));
		assert_non_null(ref->v);
	}
	memcpy(ref->v[ref->cnt].oid, oid, sizeof(ref->v[0].oid));
	ref->v[ref->cnt].pos = pos;
	ref->cnt++;
}

/* Every instance the table has at pinned, in OID order. */
static void ref_build(enum which w, const struct tab *t, struct ref *ref)
{
	size_t cap = 0;

	memset(ref, 0, sizeof(*ref));
	ref->len = inst_len(w);
	for (vn_oid c = t->cols->mincol; c <= t->cols->maxcol; c++) {
		for (size_t p = 0; p < t->n; p++) {
			const struct vn_oidrow *r = &t->rows[p];

			if (w == TABLE) {
				vn_oid oid[3] = { c, r->index, 0 };

				if (r->last != 0 && r->first <= t->pinned)
					ref_add(ref, &cap, oid, p);
				continue;
			}
			/* Only the newest VN_HISTORY can be visible. */
			for (int64_t s = (int64_t)t->pinned - VN_HISTORY + 1;
			     s <= t->pinned; s++) {
				vn_oid oid[3] = { c, r->index, (vn_oid)s };

				if (ref_sample_visible(r, t->pinned, s))
					ref_add(ref, &cap, oid, p);
			}
		}
	}
	ref_cmp_len = ref->len;
	if (ref->cnt)
		qsort(ref->v, ref->cnt, sizeof(*ref->v), ref_qsort_cmp);
}

static void ref_free(struct ref *ref)
{
	free(ref->v);
	ref->v = NULL;
	ref->cnt = 0;
}

/* Index in ref of the first instance strictly greater than q, or cnt. */
static size_t ref_next(const struct ref *ref, const vn_oid *q, size_t qlen)
{
	for (size_t i = 0; i < ref->cnt; i++) {
		if (oid_cmp(ref->v[i].oid, ref->len, q, qlen) > 0)
			return i;
	}
	return ref->cnt;
}

/* Index in ref of the instance equal to q, or cnt. */
static size_t ref_get(const struct ref *ref, const vn_oid *q, size_t qlen)
{
	for (size_t i = 0; i < ref->cnt; i++) {
		if (oid_cmp(ref->v[i].oid, ref->len, q, qlen) == 0)
			return i;
	}
	return ref->cnt;
}

/* ---- comparing an answer with what is wanted ---- */

struct want {
	int found;
	unsigned col;
	uint32_t index;
	uint32_t sample;
};

#define HIT(c, i, s) { 1, (c), (i), (s) }
#define NONE { 0, 0, 0, 0 }

static void check_answer(enum which w, const char *op, const struct tab *t,
			 unsigned col, const vn_oid *suffix, size_t len,
			 int ret, const struct vn_inst *got,
			 const struct want *want)
{
	char req[256];
	int ok = ret == want->found;

	if (ok && ret) {
		ok = got->col == want->col && got->pos < t->n &&
		     t->rows[got->pos].index == want->index &&
		     (w == TABLE || got->sample == want->sample);
	}
	if (ok)
		return;
	fmt_req(req, sizeof(req), col, suffix, len);
	if (!ret)
		fail_msg("%s %s(%s) pinned %u: got none, want %u.%u.%u",
			 w == TABLE ? "table" : "hist", op, req, t->pinned,
			 want->col, want->index, want->sample);
	fail_msg("%s %s(%s) pinned %u: got %d %u.%u.%u (pos %zu), "
		 "want %d %u.%u.%u",
		 w == TABLE ? "table" : "hist", op, req, t->pinned, ret,
		 got->col, got->pos < t->n ? t->rows[got->pos].index : 0,
		 got->sample, got->pos, want->found, want->col, want->index,
		 want->sample);
}

static void want_from_ref(const struct ref *ref, size_t k, struct want *want)
{
	memset(want, 0, sizeof(*want));
	if (k == ref->cnt)
		return;
	want->found = 1;
	want->col = (unsigned)ref->v[k].oid[0];
	want->index = (uint32_t)ref->v[k].oid[1];
	want->sample = (uint32_t)ref->v[k].oid[2];
}

/* Ask the function under test and the reference the same question. */
static void check_vs_ref(enum which w, int is_get, const struct tab *t,
			 const struct ref *ref, unsigned col,
			 const vn_oid *suffix, size_t len)
{
	lookup_fn fn = is_get ? get_fn(w) : next_fn(w);
	struct vn_inst got = { 0, SIZE_MAX, 0 };
	vn_oid q[8] = { col };
	struct want want;
	size_t k;
	int ret;

	assert_true(len < 8);
	memcpy(q + 1, suffix, len * sizeof(*suffix));
	k = is_get ? ref_get(ref, q, len + 1) : ref_next(ref, q, len + 1);
	want_from_ref(ref, k, &want);
	ret = ask(fn, t, col, suffix, len, &got);
	check_answer(w, is_get ? "get" : "next", t, col, suffix, len, ret,
		     &got, &want);
	if (ret)
		assert_int_equal(got.pos, ref->v[k].pos);
}

/* ---- hand-worked cases ---- */

struct ocase {
	unsigned col;
	size_t len;
	vn_oid sub[4];
	struct want want;
};

static void run_cases(enum which w, int is_get, const struct tab *t,
		      const struct ocase *c, size_t cnt)
{
	lookup_fn fn = is_get ? get_fn(w) : next_fn(w);

	for (size_t i = 0; i < cnt; i++) {
		struct vn_inst got = { 0, SIZE_MAX, 0 };
		int ret;

		ret = ask(fn, t, c[i].col, c[i].sub, c[i].len, &got);
		check_answer(w, is_get ? "get" : "next", t, c[i].col, c[i].sub,
			     c[i].len, ret, &got, &c[i].want);
	}
}

#define RUN(w, get, t, c) \
	run_cases((w), (get), (t), (c), sizeof(c) / sizeof((c)[0]))

/* Two networks, both with samples: vnetTable rows {3, 7}. */
static const struct vn_oidrow two_rows[] = {
	{ 3, 10, 69 },
	{ 7, 12, 71 },
};

static void test_table_next_cases(void **state)
{
	static const struct ocase c[] = {
		{ 2, 0, { 0 }, HIT(2, 3, 0) },
		{ 2, 1, { 3 }, HIT(2, 7, 0) },
		/* [3] < [3, 0]: an extra sub-identifier moves past row 3 */
		{ 2, 2, { 3, 0 }, HIT(2, 7, 0) },
		{ 2, 2, { 2, 99 }, HIT(2, 3, 0) },
		{ 2, 2, { 6, ULONG_MAX }, HIT(2, 7, 0) },
		{ 2, 1, { 0 }, HIT(2, 3, 0) },
		{ 2, 3, { 0, 0, 0 }, HIT(2, 3, 0) },
		{ 2, 1, { 4 }, HIT(2, 7, 0) },
		{ 2, 1, { 7 }, HIT(3, 3, 0) },
		{ 2, 2, { 7, 0 }, HIT(3, 3, 0) },
		{ 2, 1, { MAXIDX }, HIT(3, 3, 0) },
		{ 2, 1, { TWO31 }, HIT(3, 3, 0) },
		{ 2, 1, { MAX32 }, HIT(3, 3, 0) },
		{ 2, 1, { ULONG_MAX }, HIT(3, 3, 0) },
		{ 16, 2, { 7, 5 }, HIT(17, 3, 0) },
		{ 17, 0, { 0 }, HIT(17, 3, 0) },
		{ 17, 1, { 3 }, HIT(17, 7, 0) },
		{ 17, 1, { 7 }, NONE },
		{ 17, 1, { ULONG_MAX }, NONE },
		/* below the first column: before everything, suffix ignored */
		{ 0, 0, { 0 }, HIT(2, 3, 0) },
		{ 0, 1, { 7 }, HIT(2, 3, 0) },
		{ 1, 2, { 99, 1 }, HIT(2, 3, 0) },
		/* above the last column: nothing in this table */
		{ 18, 0, { 0 }, NONE },
		{ 18, 1, { 1 }, NONE },
		{ UINT_MAX, 0, { 0 }, NONE },
	};
	struct tab t = { two_rows, 2, 71, &table_cols, NULL };

	(void)state;
	RUN(TABLE, 0, &t, c);
}

static void test_table_next_wide(void **state)
{
#if WIDE_OID
	/* values a 32-bit truncation would turn into 0, 3 or 7 */
	static const struct ocase c[] = {
		{ 2, 1, { TWO32 }, HIT(3, 3, 0) },
		{ 2, 1, { TWO32 + 3 }, HIT(3, 3, 0) },
		{ 2, 2, { TWO32 + 2, 0 }, HIT(3, 3, 0) },
		{ 2, 1, { (TWO32 << 8) + 3 }, HIT(3, 3, 0) },
		{ 17, 1, { TWO32 }, NONE },
	};
	struct tab t = { two_rows, 2, 71, &table_cols, NULL };

	RUN(TABLE, 0, &t, c);
#endif
	(void)state;
}

static void test_table_get_cases(void **state)
{
	static const struct ocase c[] = {
		{ 2, 1, { 3 }, HIT(2, 3, 0) },
		{ 2, 1, { 7 }, HIT(2, 7, 0) },
		{ 17, 1, { 7 }, HIT(17, 7, 0) },
		{ 9, 1, { 3 }, HIT(9, 3, 0) },
		{ 1, 1, { 3 }, NONE },	/* vnetIndex: not-accessible */
		{ 0, 1, { 3 }, NONE },
		{ 18, 1, { 3 }, NONE },
		{ UINT_MAX, 1, { 3 }, NONE },
		{ 2, 0, { 0 }, NONE },
		{ 2, 2, { 3, 0 }, NONE },
		{ 2, 1, { 0 }, NONE },
		{ 2, 1, { 4 }, NONE },
		{ 2, 1, { MAXIDX }, NONE },
		{ 2, 1, { TWO31 }, NONE },
		{ 2, 1, { MAX32 }, NONE },
		{ 2, 1, { ULONG_MAX }, NONE },
#if WIDE_OID
		{ 2, 1, { TWO32 }, NONE },
		{ 2, 1, { TWO32 + 3 }, NONE },
		{ 2, 1, { (TWO32 << 4) + 7 }, NONE },
#endif
	};
	struct tab t = { two_rows, 2, 71, &table_cols, NULL };

	(void)state;
	RUN(TABLE, 1, &t, c);
}

/*
 * History at pinned 71: the window is 71-60+1 = 12 .. 71. Network 3 holds
 * 10..69 and shows 12..69; network 7 holds 12..71 and shows all of it.
 */
static void test_hist_next_cases(void **state)
{
	static const struct ocase c[] = {
		{ 2, 0, { 0 }, HIT(2, 3, 12) },
		{ 2, 1, { 0 }, HIT(2, 3, 12) },
		{ 2, 1, { 2 }, HIT(2, 3, 12) },
		{ 2, 2, { 2, ULONG_MAX }, HIT(2, 3, 12) },
		{ 2, 1, { 3 }, HIT(2, 3, 12) },
		{ 2, 2, { 3, 0 }, HIT(2, 3, 12) },
		{ 2, 2, { 3, 5 }, HIT(2, 3, 12) },
		{ 2, 2, { 3, 10 }, HIT(2, 3, 12) },	/* held, not shown */
		{ 2, 3, { 3, 11, 5 }, HIT(2, 3, 12) },
		{ 2, 2, { 3, 12 }, HIT(2, 3, 13) },
		{ 2, 3, { 3, 12, 0 }, HIT(2, 3, 13) },
		{ 2, 3, { 3, 68, 1 }, HIT(2, 3, 69) },
		{ 2, 2, { 3, 69 }, HIT(2, 7, 12) },
		{ 2, 3, { 3, 69, 0 }, HIT(2, 7, 12) },
		{ 2, 2, { 3, 70 }, HIT(2, 7, 12) },
		{ 2, 2, { 3, MAXIDX }, HIT(2, 7, 12) },
		{ 2, 2, { 3, TWO31 }, HIT(2, 7, 12) },
		{ 2, 2, { 3, MAX32 }, HIT(2, 7, 12) },
		{ 2, 2, { 3, ULONG_MAX }, HIT(2, 7, 12) },
		{ 2, 1, { 4 }, HIT(2, 7, 12) },
		{ 2, 1, { 7 }, HIT(2, 7, 12) },
		{ 2, 2, { 7, 70 }, HIT(2, 7, 71) },
		{ 2, 2, { 7, 71 }, HIT(3, 3, 12) },
		{ 2, 1, { 8 }, HIT(3, 3, 12) },
		{ 2, 1, { MAXIDX }, HIT(3, 3, 12) },
		{ 2, 1, { TWO31 }, HIT(3, 3, 12) },
		{ 2, 2, { MAX32, MAX32 }, HIT(3, 3, 12) },
		{ 2, 2, { ULONG_MAX, ULONG_MAX }, HIT(3, 3, 12) },
		{ 7, 2, { 7, 71 }, HIT(8, 3, 12) },
		{ 8, 2, { 7, 70 }, HIT(8, 7, 71) },
		{ 8, 2, { 7, 71 }, NONE },
		{ 8, 1, { 8 }, NONE },
		{ 0, 2, { 7, 71 }, HIT(2, 3, 12) },
		{ 1, 0, { 0 }, HIT(2, 3, 12) },
		{ 9, 0, { 0 }, NONE },
		{ UINT_MAX, 2, { 3, 12 }, NONE },
	};
	struct tab t = { two_rows, 2, 71, &hist_cols, NULL };

	(void)state;
	RUN(HIST, 0, &t, c);
}

static void test_hist_next_wide(void **state)
{
#if WIDE_OID
	static const struct ocase c[] = {
		{ 2, 1, { TWO32 }, HIT(3, 3, 12) },
		{ 2, 1, { TWO32 + 3 }, HIT(3, 3, 12) },
		{ 2, 2, { TWO32 + 3, 0 }, HIT(3, 3, 12) },
		/* 2^32 + 12 is not sample 12: past all of network 3 */
		{ 2, 2, { 3, TWO32 + 12 }, HIT(2, 7, 12) },
		{ 2, 2, { 3, TWO32 }, HIT(2, 7, 12) },
		{ 2, 2, { 7, TWO32 + 20 }, HIT(3, 3, 12) },
		{ 8, 2, { 7, TWO32 }, NONE },
	};
	struct tab t = { two_rows, 2, 71, &hist_cols, NULL };

	RUN(HIST, 0, &t, c);
#endif
	(void)state;
}

static void test_hist_get_cases(void **state)
{
	static const struct ocase c[] = {
		{ 2, 2, { 3, 12 }, HIT(2, 3, 12) },
		{ 2, 2, { 3, 40 }, HIT(2, 3, 40) },
		{ 2, 2, { 3, 69 }, HIT(2, 3, 69) },
		{ 8, 2, { 7, 12 }, HIT(8, 7, 12) },
		{ 5, 2, { 7, 71 }, HIT(5, 7, 71) },
		{ 2, 2, { 3, 10 }, NONE },	/* held, before the window */
		{ 2, 2, { 3, 11 }, NONE },
		{ 2, 2, { 3, 70 }, NONE },	/* not held */
		{ 2, 2, { 7, 72 }, NONE },	/* newer than pinned */
		{ 2, 2, { 7, 11 }, NONE },
		{ 2, 2, { 3, 0 }, NONE },
		{ 2, 2, { 5, 40 }, NONE },
		{ 2, 2, { 0, 40 }, NONE },
		{ 2, 1, { 3 }, NONE },
		{ 2, 0, { 0 }, NONE },
		{ 2, 3, { 3, 12, 0 }, NONE },
		{ 1, 2, { 3, 12 }, NONE },	/* vnetHistorySample */
		{ 0, 2, { 3, 12 }, NONE },
		{ 9, 2, { 3, 12 }, NONE },
		{ 2, 2, { 3, MAX32 }, NONE },
		{ 2, 2, { 3, ULONG_MAX }, NONE },
		{ 2, 2, { MAX32, 12 }, NONE },
#if WIDE_OID
		{ 2, 2, { 3, TWO32 + 12 }, NONE },
		{ 2, 2, { TWO32 + 3, 12 }, NONE },
		{ 2, 2, { TWO32 + 7, TWO32 + 71 }, NONE },
#endif
	};
	struct tab t = { two_rows, 2, 71, &hist_cols, NULL };

	(void)state;
	RUN(HIST, 1, &t, c);
}

/* ---- edges: empty, single, invisible rows, young agent, stale rows ---- */

static void test_empty(void **state)
{
	static const vn_oid s[] = { 3, 12 };
	static const uint32_t pinned[] = { 0, 1, 71, UINT32_MAX };
	struct vn_inst out;

	(void)state;
	for (size_t i = 0; i < sizeof(pinned) / sizeof(pinned[0]); i++) {
		struct tab t = { NULL, 0, pinned[i], &table_cols, NULL };
		struct tab h = { NULL, 0, pinned[i], &hist_cols, NULL };

		assert_int_equal(ask(vn_table_next_view, &t, 0, s, 0, &out), 0);
		assert_int_equal(ask(vn_table_next_view, &t, 2, s, 1, &out), 0);
		assert_int_equal(ask(vn_table_get_view, &t, 2, s, 1, &out), 0);
		assert_int_equal(ask(vn_hist_next_view, &h, 0, s, 0, &out), 0);
		assert_int_equal(ask(vn_hist_next_view, &h, 2, s, 2, &out), 0);
		assert_int_equal(ask(vn_hist_get_view, &h, 2, s, 2, &out), 0);
	}
}

static void test_single_row(void **state)
{
	static const struct vn_oidrow rows[] = { { 5, 1, 100 } };
	static const struct ocase tnext[] = {
		{ 0, 0, { 0 }, HIT(2, 5, 0) },
		{ 2, 1, { 4 }, HIT(2, 5, 0) },
		{ 2, 1, { 5 }, HIT(3, 5, 0) },
		{ 2, 2, { 4, MAX32 }, HIT(2, 5, 0) },
		{ 17, 0, { 0 }, HIT(17, 5, 0) },
		{ 17, 1, { 5 }, NONE },
	};
	static const struct ocase hnext[] = {
		{ 0, 0, { 0 }, HIT(2, 5, 41) },
		{ 2, 2, { 5, 41 }, HIT(2, 5, 42) },
		{ 2, 2, { 5, 99 }, HIT(2, 5, 100) },
		{ 2, 2, { 5, 100 }, HIT(3, 5, 41) },
		{ 8, 2, { 5, 99 }, HIT(8, 5, 100) },
		{ 8, 2, { 5, 100 }, NONE },
	};
	static const struct ocase hget[] = {
		{ 2, 2, { 5, 40 }, NONE },
		{ 2, 2, { 5, 41 }, HIT(2, 5, 41) },
		{ 2, 2, { 5, 100 }, HIT(2, 5, 100) },
		{ 2, 2, { 5, 101 }, NONE },
	};
	struct tab t = { rows, 1, 100, &table_cols, NULL };
	struct tab h = { rows, 1, 100, &hist_cols, NULL };

	(void)state;
	RUN(TABLE, 0, &t, tnext);
	RUN(HIST, 0, &h, hnext);
	RUN(HIST, 1, &h, hget);
}

/*
 * At pinned 100: 1 has no sample yet, 2 only samples after pinned (the
 * sampler moved on), 4 holds 1..39 (a row of vnetTable, but nothing in the
 * window 41..100), 6 is fully visible, 8 has no sample, 9 holds 95..104.
 */
static const struct vn_oidrow mixed_rows[] = {
	{ 1, 0, 0 },
	{ 2, 101, 103 },
	{ 4, 1, 39 },
	{ 6, 41, 100 },
	{ 8, 0, 0 },
	{ 9, 95, 104 },
	{ 10, 200, 0 },
};

static void test_invisible_rows(void **state)
{
	static const struct ocase tnext[] = {
		{ 2, 0, { 0 }, HIT(2, 4, 0) },
		{ 2, 1, { 1 }, HIT(2, 4, 0) },
		{ 2, 1, { 4 }, HIT(2, 6, 0) },
		{ 2, 1, { 6 }, HIT(2, 9, 0) },
		{ 2, 1, { 7 }, HIT(2, 9, 0) },
		{ 2, 1, { 9 }, HIT(3, 4, 0) },
		{ 17, 1, { 9 }, NONE },
	};
	static const struct ocase tget[] = {
		{ 2, 1, { 1 }, NONE },
		{ 2, 1, { 2 }, NONE },
		{ 2, 1, { 4 }, HIT(2, 4, 0) },
		{ 2, 1, { 8 }, NONE },
		{ 2, 1, { 9 }, HIT(2, 9, 0) },
		{ 2, 1, { 10 }, NONE },
	};
	static const struct ocase hnext[] = {
		{ 2, 0, { 0 }, HIT(2, 6, 41) },
		{ 2, 1, { 2 }, HIT(2, 6, 41) },
		{ 2, 2, { 4, 39 }, HIT(2, 6, 41) },
		{ 2, 2, { 6, 100 }, HIT(2, 9, 95) },
		{ 2, 2, { 9, 99 }, HIT(2, 9, 100) },
		{ 2, 2, { 9, 100 }, HIT(3, 6, 41) },
		{ 8, 2, { 9, 100 }, NONE },
	};
	static const struct ocase hget[] = {
		{ 2, 2, { 4, 39 }, NONE },
		{ 2, 2, { 2, 101 }, NONE },
		{ 2, 2, { 9, 101 }, NONE },
		{ 2, 2, { 9, 95 }, HIT(2, 9, 95) },
	};
	struct tab t = { mixed_rows, 7, 100, &table_cols, NULL };
	struct tab h = { mixed_rows, 7, 100, &hist_cols, NULL };

	(void)state;
	RUN(TABLE, 0, &t, tnext);
	RUN(TABLE, 1, &t, tget);
	RUN(HIST, 0, &h, hnext);
	RUN(HIST, 1, &h, hget);
}

/* The agent is younger than VN_HISTORY seconds: pinned - 59 would wrap. */
static void test_young_agent(void **state)
{
	static const struct vn_oidrow rows[] = {
		{ 1, 1, 5 },
		{ 2, 3, 9 },
		{ 3, 6, 9 },
	};
	static const struct ocase hnext5[] = {
		{ 0, 0, { 0 }, HIT(2, 1, 1) },
		{ 2, 2, { 1, 5 }, HIT(2, 2, 3) },
		{ 2, 2, { 2, 5 }, HIT(3, 1, 1) },
		{ 2, 1, { 3 }, HIT(3, 1, 1) },
	};
	static const struct ocase tnext5[] = {
		{ 2, 1, { 2 }, HIT(3, 1, 0) },
	};
	static const struct ocase hnext0[] = {
		{ 0, 0, { 0 }, NONE },
	};
	static const struct ocase hget59[] = {
		{ 2, 2, { 1, 1 }, HIT(2, 1, 1) },
		{ 2, 2, { 3, 9 }, HIT(2, 3, 9) },
		{ 2, 2, { 3, 0 }, NONE },
	};
	/* at 61 the window starts at 2 */
	static const struct ocase hget61[] = {
		{ 2, 2, { 1, 1 }, NONE },
		{ 2, 2, { 1, 2 }, HIT(2, 1, 2) },
	};
	static const struct ocase hnext61[] = {
		{ 2, 0, { 0 }, HIT(2, 1, 2) },
		{ 2, 2, { 1, 1 }, HIT(2, 1, 2) },
	};
	struct tab h = { rows, 3, 5, &hist_cols, NULL };
	struct tab t = { rows, 3, 5, &table_cols, NULL };

	(void)state;
	RUN(HIST, 0, &h, hnext5);
	RUN(TABLE, 0, &t, tnext5);
	h.pinned = 0;
	t.pinned = 0;
	RUN(HIST, 0, &h, hnext0);
	RUN(TABLE, 0, &t, hnext0);
	h.pinned = 59;
	RUN(HIST, 1, &h, hget59);
	/* 60 still shows sample 1 */
	h.pinned = 60;
	RUN(HIST, 1, &h, hget59);
	h.pinned = 61;
	RUN(HIST, 1, &h, hget61);
	RUN(HIST, 0, &h, hnext61);
}

/* Long after the newest sample, and at the very end of the sample space. */
static void test_far_pinned(void **state)
{
	static const struct vn_oidrow rows[] = {
		{ 1, 10, 69 },
		{ 2, 0xffffff00U, 0xffffffffU },
		{ 3, 0xffffffc0U, 0xfffffff0U },
	};
	static const struct ocase tnext[] = {
		{ 2, 0, { 0 }, HIT(2, 1, 0) },
		{ 2, 1, { 1 }, HIT(3, 1, 0) },
	};
	static const struct ocase hnext1000[] = {
		{ 0, 0, { 0 }, NONE },
		{ 2, 1, { 1 }, NONE },
	};
	static const struct ocase hnextmax[] = {
		{ 0, 0, { 0 }, HIT(2, 2, 0xffffffc4U) },
		{ 2, 2, { 2, 0xfffffffeU }, HIT(2, 2, 0xffffffffU) },
		{ 2, 2, { 2, MAX32 }, HIT(2, 3, 0xffffffc4U) },
		{ 2, 2, { 3, 0xffffffefU }, HIT(2, 3, 0xfffffff0U) },
		{ 2, 2, { 3, 0xfffffff0U }, HIT(3, 2, 0xffffffc4U) },
		{ 8, 2, { 3, 0xfffffff0U }, NONE },
	};
	struct tab t = { rows, 1, 1000, &table_cols, NULL };
	struct tab h = { rows, 1, 1000, &hist_cols, NULL };

	(void)state;
	RUN(TABLE, 0, &t, tnext);
	RUN(HIST, 0, &h, hnext1000);
	h.n = 3;
	h.pinned = UINT32_MAX;
	RUN(HIST, 0, &h, hnextmax);
}

/* Degenerate column ranges, and col + 1 where col is UINT_MAX. */
static void test_cols_edges(void **state)
{
	static const struct vn_cols bad = { 5, 4 };
	static const struct vn_cols top = { UINT_MAX - 1, UINT_MAX };
	static const struct vn_cols one = { 3, 3 };
	static const vn_oid s[] = { 7, 71 };
	struct tab b = { two_rows, 2, 71, &bad, NULL };
	struct tab t = { two_rows, 2, 71, &top, NULL };
	struct tab o = { two_rows, 2, 71, &one, NULL };
	struct vn_inst out;

	(void)state;
	assert_int_equal(ask(vn_table_next_view, &b, 0, s, 0, &out), 0);
	assert_int_equal(ask(vn_table_get_view, &b, 4, s, 1, &out), 0);
	assert_int_equal(ask(vn_hist_next_view, &b, 0, s, 0, &out), 0);
	assert_int_equal(ask(vn_hist_get_view, &b, 5, s, 2, &out), 0);

	assert_int_equal(ask(vn_table_next_view, &t, UINT_MAX, s, 1, &out), 0);
	assert_int_equal(ask(vn_hist_next_view, &t, UINT_MAX, s, 2, &out), 0);
	assert_int_equal(ask(vn_table_next_view, &t, UINT_MAX - 1, s, 1, &out), 1);
	assert_int_equal(out.col, UINT_MAX);
	assert_int_equal(out.pos, 0);

	assert_int_equal(ask(vn_table_next_view, &o, 3, s, 1, &out), 0);
	assert_int_equal(ask(vn_hist_next_view, &o, 2, s, 2, &out), 1);
	assert_int_equal(out.col, 3);
	assert_int_equal(out.pos, 0);
	assert_int_equal(out.sample, 12);
}

/* ---- complete walks ---- */

/*
 * Walk the table as a manager does, each answer fed back as the next
 * request, and check it visits the reference's instances exactly once,
 * in order, and then stops. Each instance must also answer a GET.
 */
static void walk(enum which w, const struct tab *t, unsigned start)
{
	struct ref ref;
	vn_oid sub[2] = { 0, 0 };
	unsigned col = start;
	size_t len = 0, steps = 0;
	struct vn_inst out;

	ref_build(w, t, &ref);
	while (ask(next_fn(w), t, col, sub, len, &out)) {
		struct want want;
		struct vn_inst again;

		assert_true(steps < ref.cnt);
		want_from_ref(&ref, steps, &want);
		check_answer(w, "walk", t, col, sub, len, 1, &out, &want);

		col = out.col;
		sub[0] = t->rows[out.pos].index;
		sub[1] = out.sample;
		len = w == TABLE ? 1 : 2;
		assert_int_equal(ask(get_fn(w), t, col, sub, len, &again), 1);
		assert_int_equal(again.col, out.col);
		assert_int_equal(again.pos, out.pos);
		if (w == HIST)
			assert_int_equal(again.sample, out.sample);
		steps++;
	}
	assert_int_equal(steps, ref.cnt);
	ref_free(&ref);
}

static const struct vn_oidrow walk_rows[] = {
	{ 1, 1, 130 },
	{ 2, 0, 0 },
	{ 3, 5, 40 },
	{ 4, 40, 45 },
	{ 5, 70, 70 },
	{ 6, 90, 153 },
	{ 11, 131, 140 },
	{ 12, 0, 0 },
	{ 20, 60, 123 },
	{ 0x7ffffffeU, 100, 163 },
	{ 0x7fffffffU, 2, 65 },
};

static void test_walk(void **state)
{
	size_t n = sizeof(walk_rows) / sizeof(walk_rows[0]);

	(void)state;
	/* every pinned value from an agent just started to long after */
	for (uint32_t p = 0; p <= 240; p++) {
		struct tab t = { walk_rows, n, p, &table_cols, NULL };
		struct tab h = { walk_rows, n, p, &hist_cols, NULL };

		walk(TABLE, &t, 0);
		walk(TABLE, &t, t.cols->mincol - 1);
		walk(HIST, &h, 0);
		walk(HIST, &h, h.cols->mincol - 1);
	}
}

/*
 * Many rows: a walk is O(n log n) here, and would be quadratic (minutes)
 * if a GETNEXT scanned the rows.
 */
static void test_walk_large(void **state)
{
	size_t n = 40000;
	struct vn_oidrow *rows = calloc(n, sizeof(*rows));
	struct vn_idxmap tmap = { 0 }, hmap = { 0 };
	struct tab t = { rows, n, 1000, &table_cols, &tmap };
	struct tab h = { rows, 2000, 1000, &hist_cols, &hmap };

	(void)state;
	assert_non_null(rows);
	for (size_t i = 0; i < n; i++) {
		rows[i].index = (uint32_t)(3 * i + 1);
		rows[i].first = 900 + (uint32_t)(i % 50);
		rows[i].last = 1003;
	}
	assert_int_equal(vn_idxmap_build(&tmap, rows, n), 0);
	assert_int_equal(vn_idxmap_build(&hmap, rows, 2000), 0);
	walk(TABLE, &t, 0);
	walk(HIST, &h, 0);
	vn_idxmap_free(&tmap);
	vn_idxmap_free(&hmap);
	free(rows);
}

/* ---- seeded random tables against the reference ---- */

static uint64_t rng_state;

/* splitmix64: small, good enough, the same sequence everywhere */
static uint64_t rnd(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint64_t rnd_below(uint64_t n)
{
	return rnd() % n;
}

static uint32_t clamp32(int64_t v)
{
	if (v < 0)
		return 0;
	if (v > UINT32_MAX)
		return UINT32_MAX;
	return (uint32_t)v;
}

static uint32_t rnd_pinned(void)
{
	static const uint32_t pick[] = {
		0, 1, 2, 5, 58, 59, 60, 61, 62, 100, 1000,
		UINT32_MAX - 100, UINT32_MAX - 1, UINT32_MAX,
	};

	if (rnd_below(4) == 0)
		return (uint32_t)rnd_below(500);
	return pick[rnd_below(sizeof(pick) / sizeof(pick[0]))];
}

/* Up to 12 networks, indexes from both ends of 1..2^31-1. */
static size_t rnd_table(struct vn_oidrow *rows, uint32_t pinned)
{
	static const uint32_t pool[] = {
		1, 2, 3, 4, 5, 7, 8, 11, 12, 100,
		0x7ffffff0U, 0x7ffffffdU, 0x7ffffffeU, 0x7fffffffU,
	};
	unsigned keep = (unsigned)rnd_below(5);
	size_t n = 0;

	for (size_t i = 0; i < sizeof(pool) / sizeof(pool[0]) && n < 12; i++) {
		struct vn_oidrow *r = &rows[n];
		int64_t first;

		if (rnd_below(4) >= keep)
			continue;
		r->index = pool[i];
		switch (rnd_below(8)) {
		case 0:		/* no sample yet */
			r->first = (uint32_t)rnd_below(3);
			r->last = 0;
			break;
		case 1:		/* junk: first after last */
			first = (int64_t)pinned - (int64_t)rnd_below(70);
			r->last = clamp32(first);
			r->first = clamp32(first + 1 + (int64_t)rnd_below(3));
			break;
		default:	/* a range somewhere around pinned */
			first = (int64_t)pinned - 130 + (int64_t)rnd_below(136);
			r->first = clamp32(first);
			r->last = clamp32(first + (int64_t)rnd_below(70));
			break;
		}
		n++;
	}
	return n;
}

static vn_oid rnd_subid(const struct vn_oidrow *rows, size_t n,
			uint32_t pinned)
{
	switch (rnd_below(12)) {
	case 0:
		return 0;
	case 1:
		return MAXIDX + rnd_below(3) - 1;	/* 2^31-2 .. 2^31 */
	case 2:
		return MAX32 - rnd_below(2);
	case 3:
#if WIDE_OID
		return TWO32 + rnd_below(4);
#else
		return MAX32;
#endif
	case 4:
		return ULONG_MAX - rnd_below(2);
	case 5:
		return rnd_below(16);
	case 6:
		return (vn_oid)rnd();
	case 7:
	case 8:
		if (n) {
			const struct vn_oidrow *r = &rows[rnd_below(n)];

			return (vn_oid)r->index + rnd_below(3) - 1;
		}
		return 1;
	default:	/* around the window's edges */
		return clamp32((int64_t)pinned - 62 + (int64_t)rnd_below(66));
	}
}

static unsigned rnd_col(const struct vn_cols *cols)
{
	switch (rnd_below(8)) {
	case 0:
		return (unsigned)rnd_below(cols->mincol + 1);
	case 1:
		return cols->maxcol + 1;
	case 2:
		return UINT_MAX;
	default:
		return cols->mincol +
		       (unsigned)rnd_below(cols->maxcol - cols->mincol + 1);
	}
}

static void rnd_cols(struct vn_cols *cols)
{
	cols->mincol = 1 + (unsigned)rnd_below(3);
	cols->maxcol = cols->mincol + (unsigned)rnd_below(4);
}

static void test_random_vs_reference(void **state)
{
	struct vn_oidrow rows[12];
	struct vn_cols cols;
	struct ref ref;

	(void)state;
	rng_state = 20050101;
	for (int round = 0; round < 1500; round++) {
		enum which w = (round & 1) ? HIST : TABLE;
		uint32_t pinned = rnd_pinned();
		size_t n = rnd_table(rows, pinned);
		struct tab t = { rows, n, pinned, &cols, NULL };

		rnd_cols(&cols);
		ref_build(w, &t, &ref);
		for (int q = 0; q < 100; q++) {
			vn_oid sub[4];
			size_t len = (size_t)rnd_below(5);
			unsigned col = rnd_col(&cols);

			for (size_t i = 0; i < len; i++)
				sub[i] = rnd_subid(rows, n, pinned);
			check_vs_ref(w, 0, &t, &ref, col, sub, len);
			check_vs_ref(w, 1, &t, &ref, col, sub, len);

			/* an existing instance, as is or nudged */
			if (!ref.cnt)
				continue;
			len = ref.len - 1;
			memcpy(sub, ref.v[rnd_below(ref.cnt)].oid + 1,
			       len * sizeof(vn_oid));
			col = (unsigned)ref.v[rnd_below(ref.cnt)].oid[0];
			switch (rnd_below(4)) {
			case 0:
				sub[len - 1] += rnd_below(3) - 1;
				break;
			case 1:
				sub[len++] = rnd_below(2);
				break;
			case 2:
				len--;
				break;
			}
			check_vs_ref(w, 0, &t, &ref, col, sub, len);
			check_vs_ref(w, 1, &t, &ref, col, sub, len);
		}
		ref_free(&ref);
	}
}

/* Random tables walked end to end, both tables, real column ranges. */
static void test_random_walks(void **state)
{
	struct vn_oidrow rows[12];

	(void)state;
	rng_state = 71;
	for (int round = 0; round < 300; round++) {
		uint32_t pinned = rnd_pinned();
		size_t n = rnd_table(rows, pinned);
		struct tab t = { rows, n, pinned, &table_cols, NULL };
		struct tab h = { rows, n, pinned, &hist_cols, NULL };

		walk(TABLE, &t, 0);
		walk(HIST, &h, 1);
	}
}

/* ---- the index map (vn_idxmap) against a linear search ---- */

/* Position of key in rows[0..n) by looking at every row, or n. */
static size_t brute_find(const struct vn_oidrow *rows, size_t n, vn_oid key)
{
	for (size_t i = 0; i < n; i++)
		if ((vn_oid)rows[i].index == key)
			return i;
	return n;
}

/* Every index, its neighbours and the keys no row can have. */
static void check_map(const struct vn_idxmap *m, const struct vn_oidrow *rows,
		      size_t n)
{
	struct vn_oidview v = { rows, n, m };
	static const vn_oid odd[] = { 0, 1, 2, MAXIDX, TWO31, MAX32,
#if WIDE_OID
				      TWO32, TWO32 + 1, TWO32 + 2,
#endif
				      ULONG_MAX };

	/* At most half full, so a probe always ends. */
	assert_non_null(m->slots);
	assert_true(m->cap >= 2 * n);
	for (size_t i = 0; i < n; i++) {
		for (int d = -1; d <= 1; d++) {
			vn_oid key = (vn_oid)rows[i].index + (vn_oid)(long)d;
			size_t want = brute_find(rows, n, key);
			size_t got = vn_oidview_find(&v, key);

			if (got != want)
				fail_msg("n %zu: key %lu at %zu, want %zu", n,
					 key, got, want);
		}
#if WIDE_OID
		/* 2^32 + index must not alias index */
		assert_int_equal(vn_oidview_find(&v, TWO32 + rows[i].index), n);
#endif
	}
	for (size_t i = 0; i < sizeof(odd) / sizeof(odd[0]); i++)
		assert_int_equal(vn_oidview_find(&v, odd[i]),
				 brute_find(rows, n, odd[i]));
}

/* A sorted set of n indexes drawn in one of several shapes. */
static size_t rnd_index_set(struct vn_oidrow *rows, size_t max)
{
	size_t n = (size_t)rnd_below(max + 1);
	uint32_t step = 1 + (uint32_t)rnd_below(4);
	uint32_t idx;

	switch (rnd_below(5)) {
	case 0: /* dense from 1, as a young state file gives */
		idx = 1;
		break;
	case 1: /* at the top of the index space */
		idx = 0x7fffffffU - (uint32_t)n * 4;
		break;
	case 2: /* multiples of a power of two: a poor hash collides */
		step = 1u << (8 + rnd_below(12));
		if ((uint64_t)n * step > 0x7fffffffULL)
			n = 0x7fffffffU / step;
		idx = step;
		break;
	default: /* somewhere, with gaps */
		idx = 1 + (uint32_t)rnd_below(1000000);
		break;
	}
	for (size_t i = 0; i < n; i++) {
		rows[i].index = idx;
		rows[i].first = 1;
		rows[i].last = 1;
		idx += step;
		if (step < 256 && rnd_below(6) == 0)
			idx += (uint32_t)rnd_below(50); /* a hole */
	}
	return n;
}

static void test_idxmap_vs_linear(void **state)
{
	static struct vn_oidrow rows[1500];
	struct vn_idxmap map = { 0 };

	(void)state;
	rng_state = 4242;
	/* One map object rebuilt over and over, growing and shrinking. */
	for (int round = 0; round < 300; round++) {
		size_t n = rnd_index_set(rows, round % 50 == 0 ? 1500 : 70);

		assert_int_equal(vn_idxmap_build(&map, rows, n), 0);
		check_map(&map, rows, n);
	}
	vn_idxmap_free(&map);
	assert_null(map.slots);
	assert_int_equal(map.cap, 0);
}

/*
 * Networks come and go one at a time, as in the store: after each insert
 * or remove the map is rebuilt and must find exactly what a linear search
 * finds.
 */
static void test_idxmap_insert_remove(void **state)
{
	static struct vn_oidrow rows[300];
	struct vn_idxmap map = { 0 };
	size_t n = 0;

	(void)state;
	rng_state = 777;
	for (int step = 0; step < 1500; step++) {
		if (n < 300 && (n == 0 || rnd_below(100) < 55)) {
			/* a new index: mostly fresh at the top, some anywhere */
			uint32_t idx = rnd_below(4) ? (uint32_t)(step + 1)
						    : 1 + (uint32_t)rnd_below(
							      0x7ffffffeU);
			size_t at = 0;

			while (at < n && rows[at].index < idx)
				at++;
			if (at < n && rows[at].index == idx)
				continue;
			memmove(&rows[at + 1], &rows[at],
				(n - at) * sizeof(*rows));
			rows[at].index = idx;
			rows[at].first = 1;
			rows[at].last = 1;
			n++;
		} else {
			size_t at = (size_t)rnd_below(n);

			memmove(&rows[at], &rows[at + 1],
				(n - at - 1) * sizeof(*rows));
			n--;
		}
		assert_int_equal(vn_idxmap_build(&map, rows, n), 0);
		check_map(&map, rows, n);
	}
	vn_idxmap_free(&map);
}

/* No map (or one whose allocation failed): the same answers, searched. */
static void test_idxmap_absent(void **state)
{
	static const struct vn_oidrow rows[] = {
		{ 3, 1, 1 }, { 9, 1, 1 }, { 0x7fffffff, 1, 1 },
	};
	struct vn_idxmap none = { 0 };
	struct vn_oidview bare = { rows, 3, NULL };
	struct vn_oidview empty = { rows, 3, &none };

	(void)state;
	for (vn_oid key = 0; key < 12; key++) {
		assert_int_equal(vn_oidview_find(&bare, key),
				 brute_find(rows, 3, key));
		assert_int_equal(vn_oidview_find(&empty, key),
				 brute_find(rows, 3, key));
	}
	assert_int_equal(vn_oidview_find(&bare, 0x7fffffff), 2);
	assert_int_equal(vn_oidview_find(&empty, MAX32), 3);
}

/* ---- where a request falls against a table (vn_table_locate) ---- */

static void test_locate(void **state)
{
	static const vn_oid root[] = { 1, 3, 6, 1, 4, 1, 8072, 9999, 9999,
				       2005, 1, 2 };
	const size_t rl = sizeof(root) / sizeof(root[0]);
	vn_oid name[32];
	const vn_oid *suffix = NULL;
	size_t slen = 0;
	unsigned col = 0;

	(void)state;
	memcpy(name, root, sizeof(root));
	/* Above the table, the table OID itself, the Entry OID: before. */
	assert_int_equal(vn_table_locate(root, rl, name, 5, &col, &suffix,
					 &slen), VN_BEFORE);
	assert_int_equal(vn_table_locate(root, rl, name, rl, &col, &suffix,
					 &slen), VN_BEFORE);
	name[rl] = 1;
	assert_int_equal(vn_table_locate(root, rl, name, rl + 1, &col,
					 &suffix, &slen), VN_BEFORE);
	/* entry.0..: before; entry 2..: after. */
	name[rl] = 0;
	name[rl + 1] = 9;
	assert_int_equal(vn_table_locate(root, rl, name, rl + 2, &col,
					 &suffix, &slen), VN_BEFORE);
	name[rl] = 2;
	assert_int_equal(vn_table_locate(root, rl, name, rl + 1, &col,
					 &suffix, &slen), VN_AFTER);
	/* A smaller or larger sibling subtree. */
	name[rl - 1] = 1;
	assert_int_equal(vn_table_locate(root, rl, name, rl + 3, &col,
					 &suffix, &slen), VN_BEFORE);
	name[rl - 1] = 3;
	assert_int_equal(vn_table_locate(root, rl, name, rl, &col, &suffix,
					 &slen), VN_AFTER);
	name[rl - 1] = 2;
	/* Inside: column and the raw suffix, whatever its length. */
	name[rl] = 1;
	name[rl + 1] = 5;
	name[rl + 2] = 7;
	name[rl + 3] = 4294967295UL;
	name[rl + 4] = 0;
	assert_int_equal(vn_table_locate(root, rl, name, rl + 5, &col,
					 &suffix, &slen), VN_INSIDE);
	assert_int_equal(col, 5);
	assert_int_equal(slen, 3);
	assert_ptr_equal(suffix, name + rl + 2);
	assert_int_equal(vn_table_locate(root, rl, name, rl + 2, &col,
					 &suffix, &slen), VN_INSIDE);
	assert_int_equal(slen, 0);
#if ULONG_MAX > 0xffffffffUL
	/* A column that does not fit an unsigned is past every column. */
	name[rl + 1] = (vn_oid)UINT_MAX + 1;
	assert_int_equal(vn_table_locate(root, rl, name, rl + 2, &col,
					 &suffix, &slen), VN_AFTER);
#endif
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_locate),
		cmocka_unit_test(test_idxmap_vs_linear),
		cmocka_unit_test(test_idxmap_insert_remove),
		cmocka_unit_test(test_idxmap_absent),
		cmocka_unit_test(test_table_next_cases),
		cmocka_unit_test(test_table_next_wide),
		cmocka_unit_test(test_table_get_cases),
		cmocka_unit_test(test_hist_next_cases),
		cmocka_unit_test(test_hist_next_wide),
		cmocka_unit_test(test_hist_get_cases),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_single_row),
		cmocka_unit_test(test_invisible_rows),
		cmocka_unit_test(test_young_agent),
		cmocka_unit_test(test_far_pinned),
		cmocka_unit_test(test_cols_edges),
		cmocka_unit_test(test_walk),
		cmocka_unit_test(test_walk_large),
		cmocka_unit_test(test_random_vs_reference),
		cmocka_unit_test(test_random_walks),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
