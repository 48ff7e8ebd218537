/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * oidnext.h - GET and GETNEXT over vnetTable and vnetHistoryTable.
 *
 * Pure functions over a sorted view of the networks. The request suffix is
 * what follows the column number: the raw index part of the OID, which may
 * be empty, partial, carry extra sub-identifiers, or hold values above
 * 2^32. GETNEXT finds the first instance strictly greater than
 * (column, suffix) by OID order, moving to the next column when a column
 * is exhausted.
 */
#ifndef VN_OIDNEXT_H
#define VN_OIDNEXT_H

#include "vnet.h"

/*
 * One network as the successor logic sees it. rows[] is sorted by index,
 * strictly ascending. first..last is the range of history samples the
 * network holds (last == 0: none yet).
 *
 * Every function takes the sample the request is pinned to, so that one
 * request sees one second even while the sampler moves on. Against pinned
 * sample P a network
 *   - is a row of vnetTable iff it holds a sample <= P (last != 0 and
 *     first <= P);
 *   - shows the history samples max(first, P - VN_HISTORY + 1) ..
 *     min(last, P), and is skipped by vnetHistoryTable when that is empty.
 */
struct vn_oidrow {
	uint32_t index; /* vnetIndex, 1..2^31-1 */
	uint32_t first; /* oldest sample held */
	uint32_t last; /* newest sample held; 0: none */
};

/*
 * vnetIndex -> position in rows[], so that finding a row costs one probe
 * of a small hashed array instead of a binary search (about 10 dependent,
 * badly predicted loads at 1,000 networks). Open addressing with linear
 * probing, at most half full; rebuilt whole whenever rows[] changes shape
 * (a network comes or goes: rare, and O(n) already for rows[] itself).
 * Indexes are never reused (a new name gets a new one), so they spread
 * over time: a plain array indexed by vnetIndex could grow without bound.
 */
struct vn_idxslot {
	uint32_t index;
	uint32_t pos; /* VN_IDXMAP_EMPTY: free */
};

#define VN_IDXMAP_EMPTY UINT32_MAX

struct vn_idxmap {
	struct vn_idxslot *slots; /* NULL: no map, search rows[] */
	uint32_t shift; /* 32 - log2(slots) */
	size_t cap;
};

/*
 * (Re)build m for rows[0..n). 0, or -1 when out of memory: m is then
 * empty (slots NULL) and lookups fall back to binary search, so a failure
 * costs speed, never an answer.
 */
int vn_idxmap_build(struct vn_idxmap *m, const struct vn_oidrow *rows,
		    size_t n);
void vn_idxmap_free(struct vn_idxmap *m);

/* The networks as the lookups see them. map may be NULL or empty. */
struct vn_oidview {
	const struct vn_oidrow *rows;
	size_t n;
	const struct vn_idxmap *map;
};

/* Position of the row with index key, or v->n: O(1) with a map. */
size_t vn_oidview_find(const struct vn_oidview *v, vn_oid key);

/* A table's columns: mincol..maxcol, all present for every row. */
struct vn_cols {
	unsigned mincol;
	unsigned maxcol;
};

/* Where an instance is: column, position in rows[], and (history) sample. */
struct vn_inst {
	unsigned col;
	size_t pos;
	uint32_t sample;
};

/*
 * vnetTable (INDEX { vnetIndex }), over the networks of v.
 * GET: col must be within cols and suffix exactly one sub-identifier naming
 * a visible row. GETNEXT: the first instance strictly greater than
 * (col, suffix); a col below mincol starts at mincol's first row, a col
 * above maxcol has no successor. Return 1 and fill *out when found, 0 when
 * not. An exact index (every GET, and a GETNEXT from an instance, which is
 * how a walk proceeds) costs one probe of v's map; a GETNEXT from an index
 * no row has, or a view without a map, binary-searches: never a scan.
 */
int vn_table_get_view(const struct vn_oidview *v, uint32_t pinned,
		      const struct vn_cols *cols, unsigned col,
		      const vn_oid *suffix, size_t len, struct vn_inst *out);
int vn_table_next_view(const struct vn_oidview *v, uint32_t pinned,
		       const struct vn_cols *cols, unsigned col,
		       const vn_oid *suffix, size_t len, struct vn_inst *out);

/*
 * vnetHistoryTable (INDEX { vnetIndex, vnetHistorySample }): the same,
 * over the instances (index, sample) each network shows against pinned.
 */
int vn_hist_get_view(const struct vn_oidview *v, uint32_t pinned,
		     const struct vn_cols *cols, unsigned col,
		     const vn_oid *suffix, size_t len, struct vn_inst *out);
int vn_hist_next_view(const struct vn_oidview *v, uint32_t pinned,
		      const struct vn_cols *cols, unsigned col,
		      const vn_oid *suffix, size_t len, struct vn_inst *out);

/* Where a request's OID falls against a table's instances. */
enum vn_where {
	VN_BEFORE, /* before every instance of the table */
	VN_INSIDE, /* in entry.col: col and the index suffix are set */
	VN_AFTER, /* after every instance of the table */
};

/*
 * Locate name against the table rooted at root (instances are
 * root.1.col.index...). INSIDE gives the column and the raw index suffix
 * (a pointer into name); a column number that does not fit an unsigned is
 * AFTER. A GETNEXT from BEFORE starts at the first instance.
 */
enum vn_where vn_table_locate(const vn_oid *root, size_t rootlen,
			      const vn_oid *name, size_t len, unsigned *col,
			      const vn_oid **suffix, size_t *slen);

#endif /* VN_OIDNEXT_H */
