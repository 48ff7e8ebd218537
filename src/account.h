/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * account.h - per-member accounting, the contract's "what sent means".
 *
 * Each network is a set of members (links). Per second, each member's
 * contribution is the delta of its own counters since the previous sample,
 * and the network's amounts are the sum. A member contributes from its
 * second sample on; one that left contributes nothing; one whose counters
 * went backwards contributes 0 and marks a discontinuity.
 */
#ifndef VN_ACCOUNT_H
#define VN_ACCOUNT_H

#include "vnet.h"

enum vn_role {
	VN_ROLE_PORT = 0, /* a port: what it transmits, the network sent */
	VN_ROLE_HOST = 1, /* the bridge device: what it receives, the
				 * network sent (to the host stack) */
};

struct vn_member_spec {
	uint32_t ifindex;
	enum vn_role role;
};

struct vn_member {
	uint32_t ifindex;
	enum vn_role role;
	bool has_prev;
	struct vn_counters prev;
};

/* One network's accounting state, owned by the sampler thread. */
struct vn_acct {
	struct vn_member *m; /* sorted by ifindex */
	size_t n;
	size_t cap;
};

/* Current counters of a link, or NULL when it was not in this sample. */
typedef const struct vn_counters *(*vn_lookup_fn)(uint32_t ifindex, void *arg);

/*
 * One member's amounts from prev to cur. Returns 0, or -1 when any counter
 * went backwards: then *out is all zero.
 */
int vn_member_delta(const struct vn_counters *prev,
		    const struct vn_counters *cur, enum vn_role role,
		    struct vn_amounts *out);

void vn_amounts_add(struct vn_amounts *sum, const struct vn_amounts *a);

/*
 * Row i (0..k-1) of an amount spread evenly over k rows: total / k each,
 * the remainder going one unit each to the first rows, so the k parts add
 * up to total exactly.
 */
void vn_amounts_share(const struct vn_amounts *total, uint32_t k, uint32_t i,
		      struct vn_amounts *out);

/* The sum of rows 0..m-1 of that spread (m <= k), in O(1). */
void vn_amounts_share_prefix(const struct vn_amounts *total, uint32_t k,
			     uint32_t m, struct vn_amounts *out);

void vn_acct_init(struct vn_acct *a);
void vn_acct_free(struct vn_acct *a);

/*
 * Replace the member set (on a topology change). Members with the same
 * ifindex and role keep their previous counters; new ones start without.
 * specs need not be sorted. Returns 0, or -1 on allocation failure (the
 * old set is kept).
 */
int vn_acct_set_members(struct vn_acct *a, const struct vn_member_spec *specs,
			size_t n);

/*
 * Account one sample: fill *sum with the network's amounts since the
 * previous sample and remember the current counters. Returns true when a
 * member's counters went backwards (a discontinuity).
 */
bool vn_acct_tick(struct vn_acct *a, vn_lookup_fn lookup, void *arg,
		  struct vn_amounts *sum);

#endif /* VN_ACCOUNT_H */
