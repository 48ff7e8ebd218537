/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * topology.c - the link table and the networks it makes.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "topology.h"

void vn_links_init(struct vn_linktab *t)
{
	memset(t, 0, sizeof(*t));
}

void vn_links_free(struct vn_linktab *t)
{
	free(t->v);
	vn_links_init(t);
}

void vn_links_clear(struct vn_linktab *t)
{
	t->n = 0;
	t->gen++;
}

/* Position of the first entry whose ifindex is >= ifindex. */
static size_t lower_bound(const struct vn_linktab *t, uint32_t ifindex)
{
	size_t lo = 0, hi = t->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (t->v[mid].link.ifindex < ifindex)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

struct vn_linkent *vn_links_find(const struct vn_linktab *t, uint32_t ifindex)
{
	size_t i = lower_bound(t, ifindex);

	if (i == t->n || t->v[i].link.ifindex != ifindex)
		return NULL;
	return &t->v[i];
}

struct vn_linkent *vn_links_find_next(const struct vn_linktab *t,
				      uint32_t ifindex, size_t *cursor)
{
	size_t i = *cursor;

	if (i >= t->n || t->v[i].link.ifindex != ifindex) {
		i = lower_bound(t, ifindex);
		if (i == t->n || t->v[i].link.ifindex != ifindex)
			return NULL;
	}
	*cursor = i + 1;
	return &t->v[i];
}

static bool same_link(const struct vn_link *a, const struct vn_link *b)
{
	return a->master == b->master && a->is_bridge == b->is_bridge &&
	       strcmp(a->name, b->name) == 0;
}

int vn_links_upsert(struct vn_linktab *t, const struct vn_link *l)
{
	size_t i = lower_bound(t, l->ifindex);

	if (i < t->n && t->v[i].link.ifindex == l->ifindex) {
		if (!same_link(&t->v[i].link, l)) {
			t->v[i].link = *l;
			t->gen++;
		}
		return 0;
	}
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 64;
		struct vn_linkent *v = realloc(t->v, cap * sizeof(*v));

		if (!v)
			return -1;
		t->v = v;
		t->cap = cap;
	}
	memmove(&t->v[i + 1], &t->v[i], (t->n - i) * sizeof(*t->v));
	memset(&t->v[i], 0, sizeof(t->v[i]));
	t->v[i].link = *l;
	t->n++;
	t->gen++;
	return 0;
}

void vn_links_delete(struct vn_linktab *t, uint32_t ifindex)
{
	size_t i = lower_bound(t, ifindex);

	if (i == t->n || t->v[i].link.ifindex != ifindex)
		return;
	memmove(&t->v[i], &t->v[i + 1], (t->n - i - 1) * sizeof(*t->v));
	t->n--;
	t->gen++;
}

void vn_netspecs_free(struct vn_netspecs *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i].members);
	free(s->v);
	s->v = NULL;
	s->n = 0;
}

/* A port: (master, ifindex), to find every bridge's ports by bsearch. */
struct port {
	uint32_t master;
	uint32_t ifindex;
};

static int cmp_port(const void *x, const void *y)
{
	const struct port *a = x, *b = y;

	if (a->master != b->master)
		return a->master < b->master ? -1 : 1;
	if (a->ifindex != b->ifindex)
		return a->ifindex < b->ifindex ? -1 : 1;
	return 0;
}

static int cmp_spec(const void *x, const void *y)
{
	const struct vn_netspec *a = x, *b = y;

	return strcmp(a->name, b->name);
}

static struct port *ports_by_master(const struct vn_linktab *t, size_t *n)
{
	struct port *p = malloc((t->n ? t->n : 1) * sizeof(*p));
	size_t k = 0;

	if (!p)
		return NULL;
	for (size_t i = 0; i < t->n; i++) {
		if (t->v[i].link.master == 0)
			continue;
		p[k].master = t->v[i].link.master;
		p[k].ifindex = t->v[i].link.ifindex;
		k++;
	}
	qsort(p, k, sizeof(*p), cmp_port);
	*n = k;
	return p;
}

static bool is_configured(const struct vn_config *cfg, const char *name)
{
	for (size_t i = 0; i < cfg->nnets; i++)
		if (strcmp(cfg->nets[i].name, name) == 0)
			return true;
	return false;
}

static int bridge_spec(struct vn_netspec *sp, const struct vn_link *br,
		       const struct port *ports, size_t nports)
{
	struct port key = { .master = br->ifindex, .ifindex = 0 };
	size_t lo = 0, hi = nports;

	/* First port of this bridge. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (cmp_port(&ports[mid], &key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	size_t end = lo;

	while (end < nports && ports[end].master == br->ifindex)
		end++;

	memset(sp, 0, sizeof(*sp));
	snprintf(sp->name, sizeof(sp->name), "%s", br->name);
	sp->type = VN_TYPE_BRIDGE;
	sp->ifindex = (int32_t)br->ifindex;
	sp->nports = (uint32_t)(end - lo);
	sp->members = calloc(end - lo + 1, sizeof(*sp->members));
	if (!sp->members)
		return -1;
	sp->members[0].ifindex = br->ifindex;
	sp->members[0].role = VN_ROLE_HOST;
	for (size_t i = lo; i < end; i++) {
		sp->members[i - lo + 1].ifindex = ports[i].ifindex;
		sp->members[i - lo + 1].role = VN_ROLE_PORT;
	}
	sp->nmembers = end - lo + 1;
	return 0;
}

static int configured_spec(struct vn_netspec *sp, const struct vn_confnet *cn,
			   const struct vn_linktab *t)
{
	size_t k = 0;

	memset(sp, 0, sizeof(*sp));
	snprintf(sp->name, sizeof(sp->name), "%s", cn->name);
	sp->type = VN_TYPE_CONFIGURED;
	sp->members = calloc(t->n ? t->n : 1, sizeof(*sp->members));
	if (!sp->members)
		return -1;
	for (size_t i = 0; i < t->n; i++) {
		if (!vn_globs_match(&cn->members, t->v[i].link.name))
			continue;
		sp->members[k].ifindex = t->v[i].link.ifindex;
		sp->members[k].role = VN_ROLE_PORT;
		k++;
	}
	sp->nmembers = k;
	sp->nports = (uint32_t)k;
	return 0;
}

int vn_topology_networks(const struct vn_linktab *t,
			 const struct vn_config *cfg, struct vn_netspecs *out)
{
	size_t nports = 0, cap = cfg->nnets;
	struct port *ports = ports_by_master(t, &nports);

	out->v = NULL;
	out->n = 0;
	if (!ports)
		return -1;
	for (size_t i = 0; i < t->n; i++)
		if (t->v[i].link.is_bridge)
			cap++;
	out->v = calloc(cap ? cap : 1, sizeof(*out->v));
	if (!out->v)
		goto fail;

	for (size_t i = 0; i < t->n; i++) {
		const struct vn_link *l = &t->v[i].link;

		if (!l->is_bridge || !vn_config_bridge_wanted(cfg, l->name) ||
		    is_configured(cfg, l->name))
			continue;
		if (bridge_spec(&out->v[out->n], l, ports, nports) < 0)
			goto fail;
		out->n++;
	}
	for (size_t i = 0; i < cfg->nnets; i++) {
		if (configured_spec(&out->v[out->n], &cfg->nets[i], t) < 0)
			goto fail;
		out->n++;
	}
	qsort(out->v, out->n, sizeof(*out->v), cmp_spec);
	free(ports);
	return 0;
fail:
	free(ports);
	vn_netspecs_free(out);
	return -1;
}
