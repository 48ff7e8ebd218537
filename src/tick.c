/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tick.c - the arithmetic of one sampler tick; see tick.h.
 */
#include <config.h>

#include "tick.h"

uint32_t vn_tick_due(int64_t t0_ns, uint32_t tick, int64_t mono_ns)
{
	int64_t n;

	if (mono_ns < t0_ns)
		return 0;
	n = (mono_ns - t0_ns) / VN_NSEC_PER_SEC;
	if (n <= (int64_t)tick)
		return 0;
	/* Sample numbers end at 2^32 - 1 (vnetHistorySample's range). */
	if (n > (int64_t)UINT32_MAX)
		return 0;
	return (uint32_t)(n - tick);
}

int64_t vn_tick_wall_ms(int64_t t0_ns, uint32_t s, int64_t mono_ns,
			int64_t real_ns)
{
	int64_t grid = t0_ns + (int64_t)s * VN_NSEC_PER_SEC;

	return (real_ns - (mono_ns - grid)) / 1000000;
}

void vn_tick_account(struct vn_net *net, vn_lookup_fn lookup, void *arg,
		     int64_t now_ms)
{
	bool disc = vn_acct_tick(&net->acct, lookup, arg, &net->acct_sum);

	if (!net->baselined || disc)
		net->disc_ms = now_ms;
}

/* The part of v that happened in the first num of den nanoseconds. */
static uint64_t part_of(uint64_t v, int64_t num, int64_t den)
{
	if (den <= 0 || num >= den)
		return v;
	if (num <= 0)
		return 0;
	return (uint64_t)(((unsigned __int128)v * (uint64_t)num) /
			  (uint64_t)den);
}

/*
 * Split this tick's movement at the newest grid point: acct_sum becomes
 * what belongs to the completed samples (with the old carry), carry what
 * belongs to the next one.
 */
static void split_at_grid(struct vn_net *net, int64_t before_ns,
			  int64_t span_ns)
{
	struct vn_amounts *m = &net->acct_sum, *c = &net->carry, part;

	part.bytes_sent = part_of(m->bytes_sent, before_ns, span_ns);
	part.bytes_recv = part_of(m->bytes_recv, before_ns, span_ns);
	part.pkts_sent = part_of(m->pkts_sent, before_ns, span_ns);
	part.pkts_recv = part_of(m->pkts_recv, before_ns, span_ns);
	part.pkts_dropped = part_of(m->pkts_dropped, before_ns, span_ns);

	/* What is left of this movement waits for the next sample. */
	m->bytes_sent -= part.bytes_sent;
	m->bytes_recv -= part.bytes_recv;
	m->pkts_sent -= part.pkts_sent;
	m->pkts_recv -= part.pkts_recv;
	m->pkts_dropped -= part.pkts_dropped;
	vn_amounts_add(&part, c);
	*c = *m;
	*m = part;
}

void vn_tick_publish(struct vn_net *net, uint32_t tick, uint32_t k,
		     int64_t before_ns, int64_t span_ns)
{
	uint32_t skip = 0;

	if (!net->baselined) {
		/* Its first read is at this tick: nothing measured yet. */
		net->baselined = true;
		return;
	}
	split_at_grid(net, before_ns, span_ns);
	/*
	 * After a long stall only the newest VN_RING rows can be kept: the
	 * older ones still count in the totals, but are never built. The
	 * ring then starts over at the first row kept.
	 */
	if (k > VN_RING) {
		struct vn_amounts gone;

		skip = k - VN_RING;
		vn_amounts_share_prefix(&net->acct_sum, k, skip, &gone);
		net->total_sent += gone.bytes_sent;
		net->total_recv += gone.bytes_recv;
		vn_ring_init(&net->ring);
	}
	for (uint32_t i = skip; i < k; i++) {
		struct vn_row row = { 0 };

		vn_amounts_share(&net->acct_sum, k, i, &row.a);
		net->total_sent += row.a.bytes_sent;
		net->total_recv += row.a.bytes_recv;
		row.total_sent = net->total_sent;
		row.total_recv = net->total_recv;
		row.disc_ms = net->disc_ms;
		row.sample = tick + 1 + i;
		row.ports = net->ports;
		row.ifindex = net->ifindex;
		vn_ring_push(&net->ring, &row);
	}
}

void vn_tick_clock(struct vn_clock *c, int64_t t0_ns, uint32_t tick, uint32_t k,
		   int64_t mono_ns, int64_t real_ns)
{
	enum vn_status st = k > 1 ? VN_STATUS_INTERPOLATED : VN_STATUS_VALID;

	/* Only the newest VN_RING labels can still be read. */
	uint32_t from = k > VN_RING ? k - VN_RING + 1 : 1;

	for (uint32_t i = from; i <= k; i++)
		vn_clock_set(c, tick + i,
			     vn_tick_wall_ms(t0_ns, tick + i, mono_ns, real_ns),
			     st);
}
