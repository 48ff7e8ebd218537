/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * oidnext.c - GET and GETNEXT over vnetTable and vnetHistoryTable.
 *
 * An instance OID below a column is the index suffix: [vnetIndex] for
 * vnetTable, [vnetIndex, vnetHistorySample] for vnetHistoryTable. OID order
 * is lexicographic over sub-identifiers, a proper prefix sorting first, so
 * a request suffix that is partial, carries extra sub-identifiers or holds
 * values no index can take still has a well-defined successor.
 *
 * Suffix sub-identifiers are vn_oid (64 bits here): every comparison is
 * done at that width, never after a narrowing cast, so 2^32 does not alias
 * index 0.
 */
#include <config.h>

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "oidnext.h"

/* Lowest sample a reader pinned to @pinned may see: P - VN_HISTORY + 1. */
static uint32_t window_floor(uint32_t pinned)
{
	/*
	 * Below VN_HISTORY the subtraction would wrap. Sample numbers start
	 * at 1 (vnetHistorySample is 1..4294967295), so 1 is the floor then.
	 */
	if (pinned < VN_HISTORY)
		return 1;
	return pinned - VN_HISTORY + 1;
}

/* Is @r a row of vnetTable against @pinned? */
static bool table_visible(const struct vn_oidrow *r, uint32_t pinned)
{
	return r->last != 0 && r->first <= pinned;
}

/*
 * The history samples @r shows against @pinned, as [*lo, *hi].
 * Returns false when there are none (the network is skipped).
 */
static bool hist_window(const struct vn_oidrow *r, uint32_t pinned,
			uint32_t *lo, uint32_t *hi)
{
	uint32_t from = window_floor(pinned);

	if (r->last == 0)
		return false;
	*lo = r->first > from ? r->first : from;
	*hi = r->last < pinned ? r->last : pinned;
	return *lo <= *hi;
}

/* First position whose index is >= @key (n if none): O(log n). */
static size_t lower_bound(const struct vn_oidrow *rows, size_t n, vn_oid key)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if ((vn_oid)rows[mid].index < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Position of the row with index @key, or n. */
static size_t find_exact(const struct vn_oidrow *rows, size_t n, vn_oid key)
{
	size_t pos = lower_bound(rows, n, key);

	if (pos < n && (vn_oid)rows[pos].index == key)
		return pos;
	return n;
}

/* Fibonacci hashing: consecutive indexes land far apart. */
static size_t idx_hash(uint32_t index, uint32_t shift)
{
	return (uint32_t)(index * 0x9E3779B1u) >> shift;
}

void vn_idxmap_free(struct vn_idxmap *m)
{
	free(m->slots);
	memset(m, 0, sizeof(*m));
}

int vn_idxmap_build(struct vn_idxmap *m, const struct vn_oidrow *rows, size_t n)
{
	uint32_t bits = 4;
	size_t cap = (size_t)1 << bits;

	/* Positions must stay below VN_IDXMAP_EMPTY, the slots at most half full. */
	if (n >= VN_IDXMAP_EMPTY / 4) {
		vn_idxmap_free(m);
		return -1;
	}
	while (cap < 2 * n) {
		cap <<= 1;
		bits++;
	}
	if (cap != m->cap || !m->slots) {
		free(m->slots);
		m->slots = malloc(cap * sizeof(*m->slots));
		if (!m->slots) {
			vn_idxmap_free(m);
			return -1;
		}
		m->cap = cap;
		m->shift = 32 - bits;
	}
	memset(m->slots, 0xff, cap * sizeof(*m->slots));
	for (size_t i = 0; i < n; i++) {
		size_t h = idx_hash(rows[i].index, m->shift);

		while (m->slots[h].pos != VN_IDXMAP_EMPTY)
			h = (h + 1) & (cap - 1);
		m->slots[h].index = rows[i].index;
		m->slots[h].pos = (uint32_t)i;
	}
	return 0;
}

size_t vn_oidview_find(const struct vn_oidview *v, vn_oid key)
{
	const struct vn_idxmap *m = v->map;

	if (!m || !m->slots)
		return find_exact(v->rows, v->n, key);
	/* No index is that large; and the hash must not see it truncated. */
	if (key > UINT32_MAX)
		return v->n;
	/* At most half full: the probe ends at a free slot. */
	for (size_t h = idx_hash((uint32_t)key, m->shift);;
	     h = (h + 1) & (m->cap - 1)) {
		const struct vn_idxslot *sl = &m->slots[h];

		if (sl->pos == VN_IDXMAP_EMPTY)
			return v->n;
		if (sl->index == key)
			return sl->pos;
	}
}

/* The first position whose row sorts after [key]: past key itself. */
static size_t after_key(const struct vn_oidview *v, vn_oid key, size_t *exact)
{
	*exact = vn_oidview_find(v, key);
	if (*exact < v->n)
		return *exact + 1;
	return lower_bound(v->rows, v->n, key);
}

/*
 * Step forward from @pos to the first vnetTable row. The only linear part:
 * it passes over networks with no sample yet at @pinned, which are few.
 */
static size_t table_skip(const struct vn_oidrow *rows, size_t n, size_t pos,
			 uint32_t pinned)
{
	while (pos < n && !table_visible(&rows[pos], pinned))
		pos++;
	return pos;
}

/*
 * The same for vnetHistoryTable, which also passes over networks whose
 * samples all fell out of the window; *lo gets the first one shown.
 */
static size_t hist_skip(const struct vn_oidrow *rows, size_t n, size_t pos,
			uint32_t pinned, uint32_t *lo)
{
	uint32_t hi;

	while (pos < n && !hist_window(&rows[pos], pinned, lo, &hi))
		pos++;
	return pos;
}

static bool cols_ok(const struct vn_cols *cols, unsigned col)
{
	return cols->mincol <= col && col <= cols->maxcol;
}

/*
 * Where a GETNEXT starts. A column below mincol (the entry, the
 * not-accessible index column) sorts before every instance, whatever
 * follows it; a column above maxcol sorts after all of them.
 */
static bool start_col(const struct vn_cols *cols, unsigned *col, size_t *len)
{
	if (cols->mincol > cols->maxcol || *col > cols->maxcol)
		return false;
	if (*col < cols->mincol) {
		*col = cols->mincol;
		*len = 0;
	}
	return true;
}

static void set_inst(struct vn_inst *out, unsigned col, size_t pos,
		     uint32_t sample)
{
	out->col = col;
	out->pos = pos;
	out->sample = sample;
}

int vn_table_get_view(const struct vn_oidview *v, uint32_t pinned,
		      const struct vn_cols *cols, unsigned col,
		      const vn_oid *suffix, size_t len, struct vn_inst *out)
{
	size_t pos;

	if (!cols_ok(cols, col) || len != 1)
		return 0;
	pos = vn_oidview_find(v, suffix[0]);
	if (pos == v->n || !table_visible(&v->rows[pos], pinned))
		return 0;
	set_inst(out, col, pos, 0);
	return 1;
}

int vn_table_next_view(const struct vn_oidview *v, uint32_t pinned,
		       const struct vn_cols *cols, unsigned col,
		       const vn_oid *suffix, size_t len, struct vn_inst *out)
{
	const struct vn_oidrow *rows = v->rows;
	size_t n = v->n, pos = 0, exact;

	if (!start_col(cols, &col, &len))
		return 0;

	/*
	 * [index] > suffix iff index > suffix[0]: with equal first
	 * sub-identifiers, [index] is the suffix itself or a prefix of it.
	 */
	if (len)
		pos = after_key(v, suffix[0], &exact);
	pos = table_skip(rows, n, pos, pinned);
	if (pos < n) {
		set_inst(out, col, pos, 0);
		return 1;
	}

	/* Column exhausted: every column has the same rows, take the first. */
	if (col == cols->maxcol)
		return 0;
	pos = table_skip(rows, n, 0, pinned);
	if (pos == n)
		return 0;
	set_inst(out, col + 1, pos, 0);
	return 1;
}

int vn_hist_get_view(const struct vn_oidview *v, uint32_t pinned,
		     const struct vn_cols *cols, unsigned col,
		     const vn_oid *suffix, size_t len, struct vn_inst *out)
{
	uint32_t lo, hi;
	size_t pos;

	if (!cols_ok(cols, col) || len != 2)
		return 0;
	pos = vn_oidview_find(v, suffix[0]);
	if (pos == v->n || !hist_window(&v->rows[pos], pinned, &lo, &hi))
		return 0;
	if (suffix[1] < lo || suffix[1] > hi)
		return 0;
	set_inst(out, col, pos, (uint32_t)suffix[1]);
	return 1;
}

/*
 * Within the row whose index equals suffix[0], the first sample whose
 * instance is greater than the suffix. With the suffix [index] alone every
 * sample is; otherwise [index, s] > [index, s1, ...] iff s > s1 (equal s
 * makes the instance the suffix or a prefix of it).
 */
static bool hist_next_in_row(const struct vn_oidrow *r, uint32_t pinned,
			     const vn_oid *suffix, size_t len, uint32_t *sample)
{
	uint32_t lo, hi;

	if (!hist_window(r, pinned, &lo, &hi))
		return false;
	if (len == 1 || suffix[1] < lo) {
		*sample = lo;
		return true;
	}
	if (suffix[1] >= hi)
		return false;
	*sample = (uint32_t)suffix[1] + 1;
	return true;
}

int vn_hist_next_view(const struct vn_oidview *v, uint32_t pinned,
		      const struct vn_cols *cols, unsigned col,
		      const vn_oid *suffix, size_t len, struct vn_inst *out)
{
	const struct vn_oidrow *rows = v->rows;
	size_t n = v->n, pos = 0, exact = n;
	uint32_t sample;

	if (!start_col(cols, &col, &len))
		return 0;

	/* Rows below suffix[0] sort before it, rows above it after it. */
	if (len)
		pos = after_key(v, suffix[0], &exact);
	if (exact < n &&
	    hist_next_in_row(&rows[exact], pinned, suffix, len, &sample)) {
		set_inst(out, col, exact, sample);
		return 1;
	}
	pos = hist_skip(rows, n, pos, pinned, &sample);
	if (pos < n) {
		set_inst(out, col, pos, sample);
		return 1;
	}

	if (col == cols->maxcol)
		return 0;
	pos = hist_skip(rows, n, 0, pinned, &sample);
	if (pos == n)
		return 0;
	set_inst(out, col + 1, pos, sample);
	return 1;
}

enum vn_where vn_table_locate(const vn_oid *root, size_t rootlen,
			      const vn_oid *name, size_t len, unsigned *col,
			      const vn_oid **suffix, size_t *slen)
{
	size_t n = len < rootlen ? len : rootlen;

	for (size_t i = 0; i < n; i++) {
		if (name[i] != root[i])
			return name[i] < root[i] ? VN_BEFORE : VN_AFTER;
	}
	/* The table OID itself, or an OID above it, or the Entry OID. */
	if (len <= rootlen + 1) {
		if (len == rootlen + 1 && name[rootlen] > 1)
			return VN_AFTER;
		return VN_BEFORE;
	}
	if (name[rootlen] != 1)
		return name[rootlen] < 1 ? VN_BEFORE : VN_AFTER;
	if (name[rootlen + 1] > UINT_MAX)
		return VN_AFTER;
	*col = (unsigned)name[rootlen + 1];
	*suffix = name + rootlen + 2;
	*slen = len - rootlen - 2;
	return VN_INSIDE;
}
