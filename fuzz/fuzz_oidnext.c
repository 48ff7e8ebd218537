/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fuzz_oidnext.c - libFuzzer target for GET/GETNEXT (src/oidnext.c).
 *
 * The input is decoded into a view of the networks (rows sorted by index,
 * each with the samples it holds), the pinned sample, the table's column
 * range, a request column and a request suffix of 0..8 arbitrary 64-bit
 * sub-identifiers. All four functions answer that request, and each
 * answer is checked:
 *   - against a reference that works from the contract in oidnext.h
 *     alone: it scans every instance of the request's column and the next
 *     one in OID order and takes the first greater than the request (GET:
 *     whether the instance exists);
 *   - GETNEXT's answer is strictly greater than the request, in range
 *     (column, row position, sample), and a GET of it finds it again;
 *   - a walk from the answer goes on strictly increasing.
 * Then the same request as a whole OID, which may also stop short of the
 * column, leave the table's subtree or change any sub-identifier, goes
 * through vn_table_locate() and GET/GETNEXT the way src/snmp_tables.c
 * puts them together (BEFORE: from the first instance; an inclusive
 * GETNEXT tries GET first), against the first instance whose whole OID is
 * greater (or equal), found by comparing whole OIDs.
 *
 * Numbers are decoded so that the edges come up often: each is either a
 * small value, a 16/32/64-bit one, a special (0, 1, 59, 60, 2^31-1, 2^31,
 * 2^32-1, 2^32, 2^64-1, ...) plus a small delta, or a value relative to a
 * row's index or to the pinned sample.
 */
#include <config.h>

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oidnext.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_ROWS 40
#define MAX_SUFFIX 8
#define MAX_INDEX 0x7fffffffu
#define WALK_STEPS 4
/* The tables' OIDs, as src/snmp_tables.c registers them. */
#define VNET_MIB 1, 3, 6, 1, 4, 1, 8072, 9999, 9999, 2005
#define ROOT_LEN 12
#define MAX_NAME (ROOT_LEN + 2 + MAX_SUFFIX)

enum which { TABLE, HIST };

struct in {
	const uint8_t *p;
	size_t left;
};

struct view {
	struct vn_oidrow rows[MAX_ROWS];
	size_t n;
	uint32_t pinned;
	struct vn_cols cols;
	/* As the agent's store hands them to the handlers: with an index
	 * map, or (no map) by binary search alone. */
	struct vn_idxmap map;
	struct vn_oidview ov;
};

static void fail(const char *what, enum which w, const struct view *v,
		 unsigned col, const vn_oid *suffix, size_t len)
{
	size_t i;

	fprintf(stderr, "fuzz_oidnext: %s (%s)\n", what,
		w == TABLE ? "vnetTable" : "vnetHistoryTable");
	fprintf(stderr, "  pinned %u, columns %u..%u, %zu rows:\n", v->pinned,
		v->cols.mincol, v->cols.maxcol, v->n);
	for (i = 0; i < v->n; i++)
		fprintf(stderr, "    [%zu] index %u first %u last %u\n", i,
			v->rows[i].index, v->rows[i].first, v->rows[i].last);
	fprintf(stderr, "  request: column %u, suffix", col);
	for (i = 0; i < len; i++)
		fprintf(stderr, " %lu", suffix[i]);
	fprintf(stderr, "\n");
	abort();
}

/* ---- decoding ---- */

static uint64_t take(struct in *in, size_t bytes)
{
	uint64_t v = 0;
	size_t i;

	for (i = 0; i < bytes && in->left; i++, in->p++, in->left--)
		v |= (uint64_t)in->p[0] << (8 * i);
	return v;
}

static const uint64_t specials[] = {
	0,
	1,
	2,
	VN_HISTORY - 1,
	VN_HISTORY,
	VN_HISTORY + 1,
	VN_RING,
	0x7fffffffull,
	0x80000000ull,
	0xffffffffull,
	0x100000000ull,
	0x100000001ull,
	0x7fffffffffffffffull,
	0xffffffffffffffffull,
};

/*
 * A number, the edges made likely. rel: values to be near (a row's index,
 * the pinned sample), nrel of them.
 */
static uint64_t number(struct in *in, const uint64_t *rel, size_t nrel)
{
	uint8_t tag = (uint8_t)take(in, 1);
	int64_t delta = (int8_t)(tag & 0xf8) >> 3; /* -16..15 */

	switch (tag & 7) {
	case 0:
		return take(in, 1);
	case 1:
		return take(in, 2);
	case 2:
		return take(in, 4);
	case 3:
		return take(in, 8);
	case 4:
	case 5:
		if (nrel) {
			uint64_t base = rel[take(in, 1) % nrel];

			return base + (uint64_t)delta;
		}
		/* fall through */
	default:
		return specials[take(in, 1) %
				(sizeof(specials) / sizeof(specials[0]))] +
		       (uint64_t)delta;
	}
}

static uint32_t clamp32(uint64_t v)
{
	return v > UINT32_MAX ? UINT32_MAX : (uint32_t)v;
}

/* Rows within the contract: ascending indexes in 1..2^31-1, first <= last. */
static void decode_view(struct in *in, struct view *v)
{
	uint64_t pin;
	uint64_t index = 0;
	size_t want, i;

	memset(v, 0, sizeof(*v));
	v->pinned = (uint32_t)number(in, NULL, 0);
	pin = v->pinned;
	v->cols.mincol = (unsigned)number(in, NULL, 0);
	v->cols.maxcol = (unsigned)number(in, NULL, 0);
	want = take(in, 1) % (MAX_ROWS + 1);
	for (i = 0; i < want; i++) {
		struct vn_oidrow *r = &v->rows[v->n];
		uint8_t kind = (uint8_t)take(in, 1);
		uint64_t step = (kind & 0x80) ? number(in, NULL, 0) : kind & 7;

		if (!step)
			step = 1;
		if (step > MAX_INDEX - index)
			break;
		index += step;
		r->index = (uint32_t)index;
		if ((kind & 0x18) == 0x18) { /* no sample yet */
			r->first = (uint32_t)number(in, &pin, 1);
			r->last = 0;
		} else {
			uint64_t first = number(in, &pin, 1);
			uint64_t span = number(in, NULL, 0);

			r->first = first ? clamp32(first) : 1;
			r->last = clamp32((uint64_t)r->first + span);
		}
		v->n++;
	}
}

static size_t decode_suffix(struct in *in, const struct view *v, vn_oid *suffix)
{
	uint64_t rel[MAX_ROWS + 1];
	size_t nrel = 0, len, i;

	rel[nrel++] = v->pinned;
	for (i = 0; i < v->n; i++)
		rel[nrel++] = v->rows[i].index;
	len = take(in, 1) % (MAX_SUFFIX + 1);
	for (i = 0; i < len; i++)
		suffix[i] = (vn_oid)number(in, rel, nrel);
	return len;
}

/* ---- the reference, from the contract in oidnext.h ---- */

/* Plain lexicographic order over whole OIDs, a proper prefix first. */
static int name_cmp(const vn_oid *a, size_t alen, const vn_oid *b, size_t blen)
{
	size_t i;

	for (i = 0; i < alen && i < blen; i++)
		if (a[i] != b[i])
			return a[i] < b[i] ? -1 : 1;
	if (alen != blen)
		return alen < blen ? -1 : 1;
	return 0;
}

/* Lexicographic order over [col, suffix...], a proper prefix first. */
static int oid_cmp(uint64_t acol, const vn_oid *a, size_t alen, uint64_t bcol,
		   const vn_oid *b, size_t blen)
{
	if (acol != bcol)
		return acol < bcol ? -1 : 1;
	return name_cmp(a, alen, b, blen);
}

static bool row_visible(const struct vn_oidrow *r, uint32_t pinned)
{
	return r->last != 0 && r->first <= pinned;
}

/* Samples shown against pinned: max(first, P - 59) .. min(last, P). */
static bool hist_range(const struct vn_oidrow *r, uint32_t pinned, int64_t *lo,
		       int64_t *hi)
{
	int64_t floor = (int64_t)pinned - VN_HISTORY + 1;

	if (r->last == 0)
		return false;
	*lo = r->first > floor ? r->first : floor;
	if (*lo < 1)
		*lo = 1; /* vnetHistorySample is 1..4294967295 */
	*hi = r->last < pinned ? r->last : pinned;
	return *lo <= *hi;
}

static bool ref_exists(enum which w, const struct view *v, uint64_t col,
		       const vn_oid *suffix, size_t len, size_t *pos)
{
	int64_t lo, hi;
	size_t i;

	if (col < v->cols.mincol || col > v->cols.maxcol)
		return false;
	if (len != (w == TABLE ? 1u : 2u))
		return false;
	for (i = 0; i < v->n; i++) {
		const struct vn_oidrow *r = &v->rows[i];

		if (r->index != suffix[0])
			continue;
		if (w == TABLE) {
			if (!row_visible(r, v->pinned))
				return false;
		} else {
			if (!hist_range(r, v->pinned, &lo, &hi))
				return false;
			if ((int64_t)suffix[1] < lo || suffix[1] > (vn_oid)hi)
				return false;
		}
		*pos = i;
		return true;
	}
	return false;
}

/*
 * The first instance greater than (col, suffix): it is in col itself (or
 * mincol, when col is below it) or else it is the first of the column
 * after, since every column holds the same instances.
 */
static bool ref_next(enum which w, const struct view *v, unsigned col,
		     const vn_oid *suffix, size_t len, struct vn_inst *out)
{
	uint64_t c, c0;

	if (v->cols.mincol > v->cols.maxcol || col > v->cols.maxcol)
		return false;
	c0 = col < v->cols.mincol ? v->cols.mincol : col;
	for (c = c0; c <= (uint64_t)v->cols.maxcol && c <= c0 + 1; c++) {
		size_t i;

		for (i = 0; i < v->n; i++) {
			const struct vn_oidrow *r = &v->rows[i];
			vn_oid inst[2] = { r->index, 0 };
			int64_t lo, hi, s;

			if (w == TABLE) {
				if (!row_visible(r, v->pinned))
					continue;
				if (oid_cmp(c, inst, 1, col, suffix, len) > 0) {
					out->col = (unsigned)c;
					out->pos = i;
					out->sample = 0;
					return true;
				}
				continue;
			}
			if (!hist_range(r, v->pinned, &lo, &hi))
				continue;
			for (s = lo; s <= hi; s++) {
				inst[1] = (vn_oid)s;
				if (oid_cmp(c, inst, 2, col, suffix, len) > 0) {
					out->col = (unsigned)c;
					out->pos = i;
					out->sample = (uint32_t)s;
					return true;
				}
			}
		}
	}
	return false;
}

/* ---- the checks ---- */

typedef int (*lookup_fn)(const struct vn_oidview *ov, uint32_t pinned,
			 const struct vn_cols *cols, unsigned col,
			 const vn_oid *suffix, size_t len, struct vn_inst *out);

static size_t inst_suffix(enum which w, const struct view *v,
			  const struct vn_inst *in, vn_oid *suffix)
{
	suffix[0] = v->rows[in->pos].index;
	if (w == TABLE)
		return 1;
	suffix[1] = in->sample;
	return 2;
}

static void check_get(enum which w, const struct view *v, unsigned col,
		      const vn_oid *suffix, size_t len)
{
	lookup_fn get = w == TABLE ? vn_table_get_view : vn_hist_get_view;
	struct vn_inst out;
	size_t pos = 0;
	bool want = ref_exists(w, v, col, suffix, len, &pos);
	int got;

	memset(&out, 0xee, sizeof(out));
	got = get(&v->ov, v->pinned, &v->cols, col, suffix, len, &out);
	if (got != 0 && got != 1)
		fail("GET returned neither 0 nor 1", w, v, col, suffix, len);
	if (got != want)
		fail(want ? "GET missed an instance that exists"
			  : "GET found an instance that does not exist",
		     w, v, col, suffix, len);
	if (got && (out.col != col || out.pos != pos ||
		    out.sample != (w == TABLE ? 0 : (uint32_t)suffix[1])))
		fail("GET answered with the wrong instance", w, v, col, suffix,
		     len);
}

/* GETNEXT of (col, suffix); fills the answer's OID. Returns found. */
static bool check_next(enum which w, const struct view *v, unsigned col,
		       const vn_oid *suffix, size_t len, unsigned *ncol,
		       vn_oid *nsuffix, size_t *nlen)
{
	lookup_fn next = w == TABLE ? vn_table_next_view : vn_hist_next_view;
	struct vn_inst out, want;
	bool expect = ref_next(w, v, col, suffix, len, &want);
	int64_t lo, hi;
	int got;

	memset(&out, 0xee, sizeof(out));
	got = next(&v->ov, v->pinned, &v->cols, col, suffix, len, &out);
	if (got != 0 && got != 1)
		fail("GETNEXT returned neither 0 nor 1", w, v, col, suffix,
		     len);
	if (got != expect)
		fail(expect ? "GETNEXT found no successor, but there is one"
			    : "GETNEXT found a successor, but there is none",
		     w, v, col, suffix, len);
	if (!got)
		return false;

	/* In range: a column of the table, a row, a sample it shows. */
	if (out.col < v->cols.mincol || out.col > v->cols.maxcol)
		fail("GETNEXT answered a column out of range", w, v, col,
		     suffix, len);
	if (out.pos >= v->n)
		fail("GETNEXT answered a row position out of range", w, v, col,
		     suffix, len);
	if (w == TABLE && !row_visible(&v->rows[out.pos], v->pinned))
		fail("GETNEXT answered a row that is not visible", w, v, col,
		     suffix, len);
	if (w == HIST && (!hist_range(&v->rows[out.pos], v->pinned, &lo, &hi) ||
			  (int64_t)out.sample < lo || (int64_t)out.sample > hi))
		fail("GETNEXT answered a sample that is not shown", w, v, col,
		     suffix, len);
	if (w == TABLE && out.sample != 0)
		fail("GETNEXT answered a sample in vnetTable", w, v, col,
		     suffix, len);

	/* Strictly greater than the request. */
	*nlen = inst_suffix(w, v, &out, nsuffix);
	*ncol = out.col;
	if (oid_cmp(out.col, nsuffix, *nlen, col, suffix, len) <= 0)
		fail("GETNEXT answer is not greater than the request", w, v,
		     col, suffix, len);

	/* The first greater one. */
	if (out.col != want.col || out.pos != want.pos ||
	    out.sample != want.sample)
		fail("GETNEXT skipped an instance (not the first greater)", w,
		     v, col, suffix, len);

	/* And a GET of it finds it. */
	{
		lookup_fn get = w == TABLE ? vn_table_get_view : vn_hist_get_view;
		struct vn_inst again;

		if (get(&v->ov, v->pinned, &v->cols, out.col, nsuffix,
			*nlen, &again) != 1 ||
		    again.col != out.col || again.pos != out.pos ||
		    again.sample != out.sample)
			fail("GET of a GETNEXT answer does not find it", w, v,
			     col, suffix, len);
	}
	return true;
}

static void one_table(enum which w, const struct view *v, unsigned col,
		      const vn_oid *suffix, size_t len)
{
	vn_oid cur[MAX_SUFFIX], nxt[MAX_SUFFIX];
	unsigned ccol = col, ncol;
	size_t clen = len, nlen, step;

	check_get(w, v, col, suffix, len);
	memcpy(cur, suffix, len * sizeof(*suffix));
	for (step = 0; step < WALK_STEPS; step++) {
		if (!check_next(w, v, ccol, cur, clen, &ncol, nxt, &nlen))
			break;
		ccol = ncol;
		clen = nlen;
		memcpy(cur, nxt, nlen * sizeof(*nxt));
	}
}

/* ---- whole OIDs: vn_table_locate() and the handler's composition ---- */

static const vn_oid table_root[ROOT_LEN] = { VNET_MIB, 1, 2 };
static const vn_oid hist_root[ROOT_LEN] = { VNET_MIB, 1, 3 };

/* The whole OID of an instance: root.1.col.index[.sample]. */
static size_t inst_name(enum which w, const struct view *v, const vn_oid *root,
			unsigned col, size_t pos, uint32_t sample, vn_oid *out)
{
	size_t len = ROOT_LEN;

	memcpy(out, root, ROOT_LEN * sizeof(*out));
	out[len++] = 1;
	out[len++] = col;
	out[len++] = v->rows[pos].index;
	if (w == HIST)
		out[len++] = sample;
	return len;
}

static void fail_name(const char *what, enum which w, const struct view *v,
		      const vn_oid *name, size_t len, bool inclusive)
{
	size_t i;

	fprintf(stderr,
		"fuzz_oidnext: request OID%s:", inclusive ? " (incl.)" : "");
	for (i = 0; i < len; i++)
		fprintf(stderr, "%s%lu", i ? "." : " ", name[i]);
	fprintf(stderr, "\n");
	fail(what, w, v, 0, NULL, 0);
}

/*
 * The reference: the first instance whose whole OID is greater than name
 * (or equal, inclusive). Its column is mincol, or the column name names,
 * or the one after: scan those.
 */
static bool ref_name_next(enum which w, const struct view *v,
			  const vn_oid *root, const vn_oid *name, size_t len,
			  bool inclusive, struct vn_inst *out)
{
	uint64_t cand[3];
	size_t ncand = 0, k, i;
	vn_oid best[MAX_NAME + 2], cur[MAX_NAME + 2];
	size_t blen = 0, clen;
	bool found = false;

	if (v->cols.mincol > v->cols.maxcol)
		return false;
	cand[ncand++] = v->cols.mincol;
	if (len >= ROOT_LEN + 2 && name[ROOT_LEN + 1] <= UINT_MAX) {
		cand[ncand++] = name[ROOT_LEN + 1];
		cand[ncand++] = name[ROOT_LEN + 1] + 1;
	}
	for (k = 0; k < ncand; k++) {
		unsigned c;

		if (cand[k] < v->cols.mincol || cand[k] > v->cols.maxcol)
			continue;
		c = (unsigned)cand[k];
		for (i = 0; i < v->n; i++) {
			const struct vn_oidrow *r = &v->rows[i];
			int64_t lo = 0, hi = 0, smp;
			int d;

			if (w == TABLE) {
				if (!row_visible(r, v->pinned))
					continue;
			} else if (!hist_range(r, v->pinned, &lo, &hi)) {
				continue;
			}
			for (smp = lo; smp <= hi; smp++) {
				clen = inst_name(w, v, root, c, i,
						 (uint32_t)smp, cur);
				d = name_cmp(cur, clen, name, len);
				if (d < 0 || (d == 0 && !inclusive))
					continue;
				if (!found ||
				    name_cmp(cur, clen, best, blen) < 0) {
					memcpy(best, cur, clen * sizeof(*cur));
					blen = clen;
					out->col = c;
					out->pos = i;
					out->sample =
						w == TABLE ? 0 : (uint32_t)smp;
				}
				found = true;
				break; /* later ones in this column are greater */
			}
			if (found && out->col == c)
				break;
		}
	}
	return found;
}

/* vn_table_locate() against its contract, by whole-OID comparison. */
static void check_locate(enum which w, const struct view *v, const vn_oid *root,
			 const vn_oid *name, size_t len, enum vn_where where,
			 unsigned col, const vn_oid *suffix, size_t slen)
{
	vn_oid edge[ROOT_LEN + 2];
	bool in_entry;

	memcpy(edge, root, ROOT_LEN * sizeof(*edge));
	edge[ROOT_LEN] = 1;
	/* Under root.1 with a column that fits an unsigned: a column. */
	in_entry = len >= ROOT_LEN + 2 &&
		   !name_cmp(name, ROOT_LEN + 1, edge, ROOT_LEN + 1) &&
		   name[ROOT_LEN + 1] <= UINT_MAX;
	switch (where) {
	case VN_INSIDE:
		if (!in_entry || col != name[ROOT_LEN + 1] ||
		    suffix != name + ROOT_LEN + 2 || slen != len - ROOT_LEN - 2)
			fail_name("vn_table_locate: INSIDE, wrongly", w, v,
				  name, len, false);
		return;
	case VN_BEFORE:
		edge[ROOT_LEN + 1] = 0; /* root.1.0: below every column */
		if (in_entry || name_cmp(name, len, edge, ROOT_LEN + 2) >= 0)
			fail_name("vn_table_locate: BEFORE, but it is not", w,
				  v, name, len, false);
		return;
	case VN_AFTER:
		edge[ROOT_LEN + 1] = UINT_MAX; /* root.1.UINT_MAX: the last */
		if (in_entry || name_cmp(name, len, edge, ROOT_LEN + 2) <= 0)
			fail_name("vn_table_locate: AFTER, but it is not", w, v,
				  name, len, false);
		return;
	default:
		fail_name("vn_table_locate: not BEFORE, INSIDE or AFTER", w, v,
			  name, len, false);
	}
}

/* GET and GETNEXT of a whole OID, as src/snmp_tables.c does them. */
static void one_name(enum which w, const struct view *v, const vn_oid *name,
		     size_t len, bool inclusive)
{
	const vn_oid *root = w == TABLE ? table_root : hist_root;
	lookup_fn get = w == TABLE ? vn_table_get_view : vn_hist_get_view;
	lookup_fn next = w == TABLE ? vn_table_next_view : vn_hist_next_view;
	const vn_oid *suffix = NULL;
	vn_oid want_name[MAX_NAME + 2], got_name[MAX_NAME + 2];
	struct vn_inst in, want;
	size_t slen = 0, wlen, glen;
	unsigned col = 0;
	enum vn_where where;
	bool expect;
	int found;

	where = vn_table_locate(root, ROOT_LEN, name, len, &col, &suffix,
				&slen);
	check_locate(w, v, root, name, len, where, col, suffix, slen);

	/* GET: an instance iff the whole OID is one. */
	found = where == VN_INSIDE && col >= v->cols.mincol &&
		col <= v->cols.maxcol &&
		get(&v->ov, v->pinned, &v->cols, col, suffix, slen, &in);
	expect = ref_name_next(w, v, root, name, len, true, &want);
	if (expect) {
		wlen = inst_name(w, v, root, want.col, want.pos, want.sample,
				 want_name);
		expect = !name_cmp(want_name, wlen, name, len);
	}
	if (!!found != expect)
		fail_name(expect ? "GET by OID missed an instance"
				 : "GET by OID found a non-instance",
			  w, v, name, len, false);

	/* GETNEXT (inclusive: GET first). */
	if (where == VN_AFTER) {
		found = 0;
	} else {
		if (where == VN_BEFORE) {
			col = 0;
			slen = 0;
		}
		found = inclusive && get(&v->ov, v->pinned, &v->cols,
					 col, suffix, slen, &in);
		if (!found)
			found = next(&v->ov, v->pinned, &v->cols, col,
				     suffix, slen, &in);
	}
	expect = ref_name_next(w, v, root, name, len, inclusive, &want);
	if (!!found != expect)
		fail_name(expect ? "GETNEXT by OID found no successor, but "
				   "there is one"
				 : "GETNEXT by OID found a successor, but "
				   "there is none",
			  w, v, name, len, inclusive);
	if (!found)
		return;
	glen = inst_name(w, v, root, in.col, in.pos, in.sample, got_name);
	wlen = inst_name(w, v, root, want.col, want.pos, want.sample,
			 want_name);
	if (name_cmp(got_name, glen, want_name, wlen))
		fail_name("GETNEXT by OID is not the first instance after it",
			  w, v, name, len, inclusive);
}

/*
 * The request as a whole OID: root.1.col.suffix, then maybe cut short
 * and one sub-identifier changed.
 */
static void whole_names(struct in *in, const struct view *v, unsigned col,
			const vn_oid *suffix, size_t len)
{
	uint8_t mode = (uint8_t)take(in, 1);
	enum which w;

	for (w = TABLE; w <= HIST; w++) {
		const vn_oid *root = w == TABLE ? table_root : hist_root;
		vn_oid name[MAX_NAME];
		size_t nlen = 0;

		memcpy(name, root, ROOT_LEN * sizeof(*name));
		nlen = ROOT_LEN;
		name[nlen++] = 1;
		name[nlen++] = col;
		memcpy(name + nlen, suffix, len * sizeof(*suffix));
		nlen += len;
		if (mode & 1) /* cut short */
			nlen = take(in, 1) % (nlen + 1);
		if (mode & 2 && nlen) { /* one sub-identifier changed */
			size_t k = take(in, 1) % nlen;
			uint64_t was = name[k];

			name[k] = (vn_oid)number(in, &was, 1);
		}
		one_name(w, v, name, nlen, mode & 4);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct in in = { data, size };
	struct view v;
	vn_oid suffix[MAX_SUFFIX];
	unsigned col;
	size_t len;

	decode_view(&in, &v);
	col = (unsigned)number(&in, NULL, 0);
	len = decode_suffix(&in, &v, suffix);
	/* Half the inputs with the map, half by binary search alone. */
	if ((take(&in, 1) & 1) && vn_idxmap_build(&v.map, v.rows, v.n) < 0)
		abort();
	v.ov = (struct vn_oidview){ v.rows, v.n, &v.map };

	one_table(TABLE, &v, col, suffix, len);
	one_table(HIST, &v, col, suffix, len);
	whole_names(&in, &v, col, suffix, len);
	vn_idxmap_free(&v.map);
	return 0;
}
