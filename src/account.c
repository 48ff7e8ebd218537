/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * account.c - per-member deltas and per-network sums.
 *
 * See account.h and the contract's "What sent means". Everything here is
 * plain arithmetic on plain structs, driven by the sampler once a second.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "account.h"

int vn_member_delta(const struct vn_counters *prev,
		    const struct vn_counters *cur, enum vn_role role,
		    struct vn_amounts *out)
{
	memset(out, 0, sizeof(*out));

	/*
	 * 64-bit counters do not wrap in practice: any counter going back
	 * means the device was re-created or its driver reset the stats.
	 * Taking the difference would be a wrap-around spike.
	 */
	if (cur->rx_bytes < prev->rx_bytes || cur->tx_bytes < prev->tx_bytes ||
	    cur->rx_packets < prev->rx_packets ||
	    cur->tx_packets < prev->tx_packets ||
	    cur->rx_dropped < prev->rx_dropped ||
	    cur->tx_dropped < prev->tx_dropped)
		return -1;

	uint64_t rxb = cur->rx_bytes - prev->rx_bytes;
	uint64_t txb = cur->tx_bytes - prev->tx_bytes;
	uint64_t rxp = cur->rx_packets - prev->rx_packets;
	uint64_t txp = cur->tx_packets - prev->tx_packets;

	/*
	 * A port sends what it transmits. The bridge device is the port to
	 * the host stack: what it receives from the stack, the switch sends.
	 */
	if (role == VN_ROLE_HOST) {
		out->bytes_sent = rxb;
		out->bytes_recv = txb;
		out->pkts_sent = rxp;
		out->pkts_recv = txp;
	} else {
		out->bytes_sent = txb;
		out->bytes_recv = rxb;
		out->pkts_sent = txp;
		out->pkts_recv = rxp;
	}
	out->pkts_dropped = (cur->rx_dropped - prev->rx_dropped) +
			    (cur->tx_dropped - prev->tx_dropped);
	return 0;
}

void vn_amounts_add(struct vn_amounts *sum, const struct vn_amounts *a)
{
	sum->bytes_sent += a->bytes_sent;
	sum->bytes_recv += a->bytes_recv;
	sum->pkts_sent += a->pkts_sent;
	sum->pkts_recv += a->pkts_recv;
	sum->pkts_dropped += a->pkts_dropped;
}

static uint64_t share(uint64_t total, uint32_t k, uint32_t i)
{
	return total / k + (i < total % k ? 1 : 0);
}

void vn_amounts_share(const struct vn_amounts *total, uint32_t k, uint32_t i,
		      struct vn_amounts *out)
{
	if (k == 0) {
		memset(out, 0, sizeof(*out));
		return;
	}
	out->bytes_sent = share(total->bytes_sent, k, i);
	out->bytes_recv = share(total->bytes_recv, k, i);
	out->pkts_sent = share(total->pkts_sent, k, i);
	out->pkts_recv = share(total->pkts_recv, k, i);
	out->pkts_dropped = share(total->pkts_dropped, k, i);
}

static uint64_t share_prefix(uint64_t total, uint32_t k, uint32_t m)
{
	uint64_t r = total % k;

	return (total / k) * m + (m < r ? m : r);
}

void vn_amounts_share_prefix(const struct vn_amounts *total, uint32_t k,
			     uint32_t m, struct vn_amounts *out)
{
	if (k == 0 || m == 0) {
		memset(out, 0, sizeof(*out));
		return;
	}
	if (m > k)
		m = k;
	out->bytes_sent = share_prefix(total->bytes_sent, k, m);
	out->bytes_recv = share_prefix(total->bytes_recv, k, m);
	out->pkts_sent = share_prefix(total->pkts_sent, k, m);
	out->pkts_recv = share_prefix(total->pkts_recv, k, m);
	out->pkts_dropped = share_prefix(total->pkts_dropped, k, m);
}

void vn_acct_init(struct vn_acct *a)
{
	memset(a, 0, sizeof(*a));
}

void vn_acct_free(struct vn_acct *a)
{
	free(a->m);
	vn_acct_init(a);
}

static int cmp_member(const void *x, const void *y)
{
	const struct vn_member *a = x, *b = y;

	if (a->ifindex != b->ifindex)
		return a->ifindex < b->ifindex ? -1 : 1;
	return (int)a->role - (int)b->role;
}

static const struct vn_member *find_member(const struct vn_acct *a,
					   uint32_t ifindex, enum vn_role role)
{
	struct vn_member key = { .ifindex = ifindex, .role = role };

	if (a->n == 0)
		return NULL;
	return bsearch(&key, a->m, a->n, sizeof(*a->m), cmp_member);
}

int vn_acct_set_members(struct vn_acct *a, const struct vn_member_spec *specs,
			size_t n)
{
	struct vn_member *m = NULL;

	if (n > 0) {
		m = calloc(n, sizeof(*m));
		if (!m)
			return -1;
	}
	for (size_t i = 0; i < n; i++) {
		const struct vn_member *old =
			find_member(a, specs[i].ifindex, specs[i].role);

		if (old) {
			m[i] = *old;
			continue;
		}
		m[i].ifindex = specs[i].ifindex;
		m[i].role = specs[i].role;
	}
	if (n > 1)
		qsort(m, n, sizeof(*m), cmp_member);
	free(a->m);
	a->m = m;
	a->n = n;
	a->cap = n;
	return 0;
}

bool vn_acct_tick(struct vn_acct *a, vn_lookup_fn lookup, void *arg,
		  struct vn_amounts *sum)
{
	bool disc = false;

	memset(sum, 0, sizeof(*sum));
	for (size_t i = 0; i < a->n; i++) {
		struct vn_member *mb = &a->m[i];
		const struct vn_counters *cur = lookup(mb->ifindex, arg);
		struct vn_amounts d;

		if (!cur) {
			/* Not in this sample: gone, or not yet in the dump. */
			mb->has_prev = false;
			continue;
		}
		if (mb->has_prev) {
			if (vn_member_delta(&mb->prev, cur, mb->role, &d) < 0)
				disc = true;
			else
				vn_amounts_add(sum, &d);
		}
		mb->prev = *cur;
		mb->has_prev = true;
	}
	return disc;
}
