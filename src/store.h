/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * store.h - what the sampler publishes and the SNMP handlers read.
 *
 * The only data the two threads share, behind one short mutex: the
 * sampler takes it to append one sample to every network and to change
 * the set of networks; a handler takes it for one call and pins the
 * sample it reads, so that a request sees one second.
 */
#ifndef VN_STORE_H
#define VN_STORE_H

#include <pthread.h>

#include "account.h"
#include "history.h"
#include "oidnext.h"

struct vn_net {
	/*
	 * Published: written by the sampler under the lock. What a vnetTable
	 * varbind reads besides its row (index, type, a short name, the
	 * ring's first/last) shares the first cache lines.
	 */
	uint32_t index;
	enum vn_type type;
	char name[VN_NAME_MAX + 1];
	struct vn_ring ring;

	/* The sampler's own: never read by a handler. */
	struct vn_acct acct;
	uint64_t total_sent;
	uint64_t total_recv;
	int64_t disc_ms;
	uint32_t ports;
	int32_t ifindex;
	struct vn_amounts acct_sum; /* this tick's movement */
	struct vn_amounts carry; /* moved after the last grid point */
	bool baselined; /* has taken its first sample */
	bool seen; /* still in the topology (mark and sweep) */
};

struct vn_store {
	pthread_mutex_t lock;
	uint32_t current; /* newest completed sample; 0: none */
	struct vn_clock clock;
	struct vn_net **nets; /* sorted by index */
	struct vn_oidrow *rows; /* the same order, for oidnext */
	struct vn_idxmap map; /* vnetIndex -> position in both */
	size_t n;
	size_t cap;
	uint32_t nvisible; /* rows[] with last != 0 */

	/* The request the pin belongs to (main thread only). */
	uintptr_t pin_key1;
	long pin_key2;
	uint32_t pinned;
	bool pin_valid; /* pinned may be 0: before the first sample */
};

int vn_store_init(struct vn_store *s);
void vn_store_free(struct vn_store *s);

void vn_store_lock(struct vn_store *s);
void vn_store_unlock(struct vn_store *s);

/* The networks as oidnext sees them: rows[] and the index map. */
static inline struct vn_oidview vn_store_view(const struct vn_store *s)
{
	return (struct vn_oidview){ s->rows, s->n, &s->map };
}

/* Under the lock: the network at index, or NULL; and its position. O(1). */
struct vn_net *vn_store_find(const struct vn_store *s, uint32_t index,
			     size_t *pos);

/* Under the lock: insert a new network (index not present). 0 or -1. */
int vn_store_insert(struct vn_store *s, struct vn_net *net);

/* Under the lock: remove and return the network at pos. */
struct vn_net *vn_store_remove(struct vn_store *s, size_t pos);

/* Under the lock: refresh rows[pos] from nets[pos]'s ring. */
void vn_store_sync_row(struct vn_store *s, size_t pos);

/*
 * Under the lock: the sample a request reads. The same for every call of
 * one request (key identifies it: e.g. the agent session and its
 * transaction), the newest otherwise; never older than the ring holds.
 */
uint32_t vn_store_pin(struct vn_store *s, uintptr_t key1, long key2);

/*
 * Under the lock: the number of rows vnetTable has at pinned sample p;
 * O(1) for the newest sample, a scan only for an older pin.
 */
uint32_t vn_store_count(const struct vn_store *s, uint32_t p);

#endif /* VN_STORE_H */
