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

struct vn_ring {
	struct vn_row rows[VN_RING];
	uint32_t first; /* oldest sample held */
	uint32_t last; /* newest sample held; 0: empty */
};

/* The agent-wide clock: when each sample ended, and how it was taken. */
struct vn_clock {
	int64_t time_ms[VN_RING]; /* wall-clock end, Unix ms */
	uint8_t status[VN_RING]; /* enum vn_status */
};

struct vn_summary {
	uint64_t sent_max;
	uint64_t sent_avg;
	uint64_t recv_max;
	uint64_t recv_avg;
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
 * The window a reader pinned to sample p sees: samples
 * max(first, p - VN_HISTORY + 1) .. min(last, p). Returns false when empty.
 */
bool vn_ring_window(const struct vn_ring *r, uint32_t p, uint32_t *lo,
		    uint32_t *hi);

/* Max and mean (rounded down) of bytes sent/received over that window. */
void vn_ring_summary(const struct vn_ring *r, uint32_t p, struct vn_summary *s);

void vn_clock_set(struct vn_clock *c, uint32_t s, int64_t time_ms,
		  enum vn_status st);
int64_t vn_clock_time(const struct vn_clock *c, uint32_t s);
enum vn_status vn_clock_status(const struct vn_clock *c, uint32_t s);

#endif /* VN_HISTORY_H */
