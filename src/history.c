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

int vn_ring_push(struct vn_ring *r, const struct vn_row *row)
{
	if (row->sample == 0)
		return -1;
	if (r->last != 0 && row->sample != r->last + 1)
		return -1;

	r->rows[row->sample % VN_RING] = *row;
	if (r->last == 0)
		r->first = row->sample;
	r->last = row->sample;
	if (r->last - r->first >= VN_RING)
		r->first = r->last - VN_RING + 1;
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
	l = p >= VN_HISTORY ? p - VN_HISTORY + 1 : 1;
	if (l < r->first)
		l = r->first;
	if (l > h)
		return false;
	*lo = l;
	*hi = h;
	return true;
}

void vn_ring_summary(const struct vn_ring *r, uint32_t p, struct vn_summary *s)
{
	uint64_t sent = 0, recv = 0;
	uint32_t lo, hi;

	memset(s, 0, sizeof(*s));
	if (!vn_ring_window(r, p, &lo, &hi))
		return;
	/* 64-bit: hi may be the last sample number, 2^32 - 1. */
	for (uint64_t i = lo; i <= hi; i++) {
		const struct vn_row *row = &r->rows[i % VN_RING];

		if (row->a.bytes_sent > s->sent_max)
			s->sent_max = row->a.bytes_sent;
		if (row->a.bytes_recv > s->recv_max)
			s->recv_max = row->a.bytes_recv;
		/*
		 * 60 one-second values of a 64-bit counter delta cannot
		 * overflow 64 bits unless a link moves 3e17 bytes a second.
		 */
		sent += row->a.bytes_sent;
		recv += row->a.bytes_recv;
	}
	s->sent_avg = sent / (hi - lo + 1);
	s->recv_avg = recv / (hi - lo + 1);
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
