/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * store.c - the published networks, sorted by vnetIndex.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "store.h"

int vn_store_init(struct vn_store *s)
{
	memset(s, 0, sizeof(*s));
	return pthread_mutex_init(&s->lock, NULL) == 0 ? 0 : -1;
}

void vn_store_free(struct vn_store *s)
{
	for (size_t i = 0; i < s->n; i++) {
		vn_acct_free(&s->nets[i]->acct);
		free(s->nets[i]);
	}
	free(s->nets);
	free(s->rows);
	vn_idxmap_free(&s->map);
	pthread_mutex_destroy(&s->lock);
	memset(s, 0, sizeof(*s));
}

void vn_store_lock(struct vn_store *s)
{
	pthread_mutex_lock(&s->lock);
}

void vn_store_unlock(struct vn_store *s)
{
	pthread_mutex_unlock(&s->lock);
}

/* Position of the first network whose index is >= index. */
static size_t lower_bound(const struct vn_store *s, uint32_t index)
{
	size_t lo = 0, hi = s->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (s->rows[mid].index < index)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

struct vn_net *vn_store_find(const struct vn_store *s, uint32_t index,
			     size_t *pos)
{
	struct vn_oidview v = vn_store_view(s);
	size_t i = vn_oidview_find(&v, index);

	if (i == s->n)
		return NULL;
	if (pos)
		*pos = i;
	return s->nets[i];
}

static int grow(struct vn_store *s)
{
	size_t cap = s->cap ? s->cap * 2 : 16;
	struct vn_net **nets = realloc(s->nets, cap * sizeof(*nets));

	if (!nets)
		return -1;
	s->nets = nets;

	struct vn_oidrow *rows = realloc(s->rows, cap * sizeof(*rows));

	if (!rows)
		return -1;
	s->rows = rows;
	s->cap = cap;
	return 0;
}

int vn_store_insert(struct vn_store *s, struct vn_net *net)
{
	size_t i = lower_bound(s, net->index);

	if (i < s->n && s->rows[i].index == net->index)
		return -1;
	if (s->n == s->cap && grow(s) < 0)
		return -1;
	memmove(&s->nets[i + 1], &s->nets[i], (s->n - i) * sizeof(*s->nets));
	memmove(&s->rows[i + 1], &s->rows[i], (s->n - i) * sizeof(*s->rows));
	s->nets[i] = net;
	s->rows[i].last = 0;
	s->n++;
	vn_store_sync_row(s, i);
	/* Out of memory leaves no map: slower lookups, the same answers. */
	vn_idxmap_build(&s->map, s->rows, s->n);
	return 0;
}

struct vn_net *vn_store_remove(struct vn_store *s, size_t pos)
{
	struct vn_net *net = s->nets[pos];

	if (s->rows[pos].last != 0)
		s->nvisible--;
	memmove(&s->nets[pos], &s->nets[pos + 1],
		(s->n - pos - 1) * sizeof(*s->nets));
	memmove(&s->rows[pos], &s->rows[pos + 1],
		(s->n - pos - 1) * sizeof(*s->rows));
	s->n--;
	vn_idxmap_build(&s->map, s->rows, s->n);
	return net;
}

void vn_store_sync_row(struct vn_store *s, size_t pos)
{
	const struct vn_net *net = s->nets[pos];

	if (s->rows[pos].last == 0 && net->ring.last != 0)
		s->nvisible++;
	else if (s->rows[pos].last != 0 && net->ring.last == 0)
		s->nvisible--;
	s->rows[pos].index = net->index;
	s->rows[pos].first = net->ring.first;
	s->rows[pos].last = net->ring.last;
}

uint32_t vn_store_pin(struct vn_store *s, uintptr_t key1, long key2)
{
	/*
	 * Keep the pin only while the ring still holds its whole window:
	 * the sampler may have moved on at most VN_RING - VN_HISTORY samples.
	 */
	if (s->pin_valid && s->pin_key1 == key1 && s->pin_key2 == key2 &&
	    s->current - s->pinned <= VN_RING - VN_HISTORY)
		return s->pinned;
	s->pin_key1 = key1;
	s->pin_key2 = key2;
	s->pinned = s->current;
	s->pin_valid = true;
	return s->pinned;
}

uint32_t vn_store_count(const struct vn_store *s, uint32_t p)
{
	uint32_t count = 0;

	/*
	 * At the newest sample every network with a row is a row (the
	 * sampler never holds a sample beyond current).
	 */
	if (p == s->current && p != 0)
		return s->nvisible;
	for (size_t i = 0; i < s->n; i++)
		if (s->rows[i].last != 0 && s->rows[i].first <= p)
			count++;
	return count;
}
