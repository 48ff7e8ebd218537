/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * history.c - the ring of a network's newest samples, and the agent-wide
 * sample clock.
 */
#include <config.h>

#include <string.h>

#include "history.h"

void vn_ring_init(struct vn_ring *r)
{
	memset(r, 0, sizeof(*r));
}

/* The lowest sample of the window a reader pinned to p sees (p held). */
static uint32_t window_lo(uint32_t first, uint32_t p)
{
	uint32_t lo = p >= VN_HISTORY ? p - VN_HISTORY + 1 : 1;

	return lo < first ? first : lo;
}

struct window_acc {
	uint64_t sent_sum, recv_sum;
	uint64_t sent_max, recv_max;
};

/* Sums and maxima of bytes sent/received over samples lo..hi, all held. */
static void scan(const struct vn_ring *r, uint32_t lo, uint32_t hi,
		 struct window_acc *w)
{
	memset(w, 0, sizeof(*w));
	/* 64-bit: hi may be the last sample number, 2^32 - 1. */
	for (uint64_t i = lo; i <= hi; i++) {
		const struct vn_row *row = &r->rows[i % VN_RING];

		if (row->a.bytes_sent > w->sent_max)
			w->sent_max = row->a.bytes_sent;
		if (row->a.bytes_recv > w->recv_max)
			w->recv_max = row->a.bytes_recv;
		/*
		 * 60 one-second values of a 64-bit counter delta cannot
		 * overflow 64 bits unless a link moves 3e17 bytes a second.
		 */
		w->sent_sum += row->a.bytes_sent;
		w->recv_sum += row->a.bytes_recv;
	}
}

/*
 * The window's maximum after it moved by one sample: v came in and, when
 * @gone, o went out. Only when o was the maximum and v is below it does
 * the window have to be looked at again (*rescan).
 */
static uint64_t slide_max(uint64_t max, uint64_t v, bool gone, uint64_t o,
			  bool *rescan)
{
	if (v >= max)
		return v;
	if (gone && o == max)
		*rescan = true;
	return max;
}

/*
 * Bring the running sums and the summary of the window of s (just pushed)
 * up to date. The window of s - 1 lost at most its oldest sample, so this
 * is O(1) but when the maximum left it.
 */
static void summarise(struct vn_ring *r, uint32_t s, uint32_t prev_lo)
{
	const struct vn_row *in = &r->rows[s % VN_RING];
	const struct vn_sumslot *prev = &r->recent[(s - 1) % VN_SUMSLOTS];
	struct vn_sumslot *slot = &r->recent[s % VN_SUMSLOTS];
	uint32_t lo = window_lo(r->first, s);
	struct window_acc w;
	bool rescan = false;

	if (prev_lo == 0 || prev->sample != s - 1) {
		/* A new ring (or one whose state is lost): start over. */
		scan(r, lo, s, &w);
	} else {
		bool gone = lo > prev_lo;
		const struct vn_row *out = &r->rows[prev_lo % VN_RING];

		/* Exact modulo 2^64, like the sum it stands for. */
		w.sent_sum = r->sent_sum + in->a.bytes_sent -
			     (gone ? out->a.bytes_sent : 0);
		w.recv_sum = r->recv_sum + in->a.bytes_recv -
			     (gone ? out->a.bytes_recv : 0);
		w.sent_max = slide_max(prev->sum.sent_max, in->a.bytes_sent,
				       gone, out->a.bytes_sent, &rescan);
		w.recv_max = slide_max(prev->sum.recv_max, in->a.bytes_recv,
				       gone, out->a.bytes_recv, &rescan);
		if (rescan) {
			struct window_acc all;

			scan(r, lo, s, &all);
			w.sent_max = all.sent_max;
			w.recv_max = all.recv_max;
		}
	}
	r->sent_sum = w.sent_sum;
	r->recv_sum = w.recv_sum;
	slot->sample = s;
	slot->sum.sent_max = w.sent_max;
	slot->sum.recv_max = w.recv_max;
	slot->sum.sent_avg = w.sent_sum / (s - lo + 1);
	slot->sum.recv_avg = w.recv_sum / (s - lo + 1);
}

int vn_ring_push(struct vn_ring *r, const struct vn_row *row)
{
	uint32_t prev_lo = 0;

	if (row->sample == 0)
		return -1;
	if (r->last != 0 && row->sample != r->last + 1)
		return -1;

	if (r->last != 0)
		prev_lo = window_lo(r->first, r->last);
	r->rows[row->sample % VN_RING] = *row;
	if (r->last == 0)
		r->first = row->sample;
	r->last = row->sample;
	if (r->last - r->first >= VN_RING)
		r->first = r->last - VN_RING + 1;
	summarise(r, r->last, prev_lo);
	return 0;
}

const struct vn_row *vn_ring_get(const struct vn_ring *r, uint32_t s)
{
	if (r->last == 0 || s < r->first || s > r->last)
		return NULL;
	return &r->rows[s % VN_RING];
}

bool vn_ring_window(const struct vn_ring *r, uint32_t p, uint32_t *lo,
		    uint32_t *hi)
{
	uint32_t l, h;

	if (r->last == 0 || p < r->first)
		return false;
	h = p < r->last ? p : r->last;
	l = window_lo(r->first, p);
	if (l > h)
		return false;
	*lo = l;
	*hi = h;
	return true;
}

void vn_ring_summary(const struct vn_ring *r, uint32_t p, struct vn_summary *s)
{
	const struct vn_sumslot *slot = &r->recent[p % VN_SUMSLOTS];
	struct window_acc w;
	uint32_t lo, hi;

	/*
	 * A slot tagged p was written when p was pushed and not since, so
	 * at most VN_SUMSLOTS - 1 samples came after p: the ring dropped
	 * nothing of p's window since (it keeps VN_RING - VN_HISTORY
	 * samples more than a window), and p's summary stands as written.
	 * vn_ring_init clears the tags, so a slot never speaks for an
	 * older ring.
	 */
	if (p != 0 && slot->sample == p) {
		*s = slot->sum;
		return;
	}
	memset(s, 0, sizeof(*s));
	if (!vn_ring_window(r, p, &lo, &hi))
		return;
	scan(r, lo, hi, &w);
	s->sent_max = w.sent_max;
	s->recv_max = w.recv_max;
	s->sent_avg = w.sent_sum / (hi - lo + 1);
	s->recv_avg = w.recv_sum / (hi - lo + 1);
}

void vn_clock_set(struct vn_clock *c, uint32_t s, int64_t time_ms,
		  enum vn_status st)
{
	c->time_ms[s % VN_RING] = time_ms;
	c->status[s % VN_RING] = (uint8_t)st;
}

int64_t vn_clock_time(const struct vn_clock *c, uint32_t s)
{
	return c->time_ms[s % VN_RING];
}

enum vn_status vn_clock_status(const struct vn_clock *c, uint32_t s)
{
	return (enum vn_status)c->status[s % VN_RING];
}
