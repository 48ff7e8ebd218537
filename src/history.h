/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * history.h - the per-network ring of the newest samples.
 *
 * A row, once pushed, never changes. The ring holds VN_RING rows so that a
 * reader pinned a few samples back still sees its whole window.
 */
#ifndef VN_HISTORY_H
#define VN_HISTORY_H

#include "vnet.h"

struct vn_row {
	struct vn_amounts a; /* this second */
	uint64_t total_sent; /* cumulative, this row included */
	uint64_t total_recv;
	int64_t disc_ms; /* vnetDiscontinuityTime as of this row */
	uint32_t sample;
	uint32_t ports; /* vnetPortCount as of this row */
	int32_t ifindex; /* vnetIfIndex as of this row */
};

struct vn_summary {
	uint64_t sent_max;
	uint64_t sent_avg;
	uint64_t recv_max;
	uint64_t recv_avg;
};

/*
 * Summaries of the newest samples' windows, kept by vn_ring_push so that a
 * reader gets Max/Avg from one slot instead of scanning 60 rows. A reader
 * can be pinned at most VN_RING - VN_HISTORY samples back, so that many
 * plus one slots cover every pin; and a slot still tagged with its sample
 * proves that sample is among the newest VN_SUMSLOTS, whose windows no
 * later push has cut (see vn_ring_summary).
 */
#define VN_SUMSLOTS (VN_RING - VN_HISTORY + 1)

struct vn_sumslot {
	uint32_t sample; /* whose window this is; 0: none */
	struct vn_summary sum;
};

/*
 * first/last lead, next to the summaries, so that the checks of a lookup
 * do not cost a cache line at the far end of the rows.
 */
struct vn_ring {
	uint32_t first; /* oldest sample held */
	uint32_t last; /* newest sample held; 0: empty */
	/* Sums over the window of last: vn_ring_push's running state. */
	uint64_t sent_sum;
	uint64_t recv_sum;
	struct vn_sumslot recent[VN_SUMSLOTS];
	struct vn_row rows[VN_RING];
};

/* The agent-wide clock: when each sample ended, and how it was taken. */
struct vn_clock {
	int64_t time_ms[VN_RING]; /* wall-clock end, Unix ms */
	uint8_t status[VN_RING]; /* enum vn_status */
};

void vn_ring_init(struct vn_ring *r);

/*
 * Append a row; row->sample must be r->last + 1 unless the ring is empty.
 * Returns 0, or -1 (ring unchanged) when it is not.
 */
int vn_ring_push(struct vn_ring *r, const struct vn_row *row);

/* The row of sample s, or NULL when the ring does not hold it. */
const struct vn_row *vn_ring_get(const struct vn_ring *r, uint32_t s);

/*
 * The row of sample s when the caller already knows first <= s <= last
 * (the store's vn_oidrow copy of them): reads nothing but the row.
 */
static inline const struct vn_row *vn_ring_row(const struct vn_ring *r,
					       uint32_t s)
{
	return &r->rows[s % VN_RING];
}

/*
 * The window a reader pinned to sample p sees: samples
 * max(first, p - VN_HISTORY + 1) .. min(last, p). Returns false when empty.
 */
bool vn_ring_window(const struct vn_ring *r, uint32_t p, uint32_t *lo,
		    uint32_t *hi);

/*
 * Max and mean (rounded down) of bytes sent/received over that window.
 * O(1) for the pins a reader can hold (p within VN_RING - VN_HISTORY of
 * last); any other p is answered exactly too, by scanning the window.
 */
void vn_ring_summary(const struct vn_ring *r, uint32_t p, struct vn_summary *s);

void vn_clock_set(struct vn_clock *c, uint32_t s, int64_t time_ms,
		  enum vn_status st);
int64_t vn_clock_time(const struct vn_clock *c, uint32_t s);
enum vn_status vn_clock_status(const struct vn_clock *c, uint32_t s);

#endif /* VN_HISTORY_H */
