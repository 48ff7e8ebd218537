/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_topology.c - the link table and the networks derived from it.
 *
 * Link tables are built by hand; configurations go through the public
 * directive parsers (vn_config_*) with the text a user would write. The
 * member sets are compared as sets: the header does not promise an order
 * of members, only which links and in which role.
 */
#include <config.h>

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <setjmp.h>
#include <cmocka.h>

#include "topology.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* ---- helpers ---- */

static struct vn_link mklink(uint32_t ifindex, uint32_t master,
			     bool is_bridge, const char *name)
{
	struct vn_link l;

	memset(&l, 0, sizeof(l));
	l.ifindex = ifindex;
	l.master = master;
	l.is_bridge = is_bridge;
	snprintf(l.name, sizeof(l.name), "%s", name);
	return l;
}

static void add(struct vn_linktab *t, uint32_t ifindex, uint32_t master,
		bool is_bridge, const char *name)
{
	struct vn_link l = mklink(ifindex, master, is_bridge, name);

	assert_int_equal(vn_links_upsert(t, &l), 0);
}

#define BRIDGE(t, ifindex, name) add((t), (ifindex), 0, true, (name))
#define PORT(t, ifindex, master, name) add((t), (ifindex), (master), false, \
					   (name))
#define LINK(t, ifindex, name) add((t), (ifindex), 0, false, (name))

static void cfg_ok(int rc, const char *err, const char *what)
{
	if (rc != 0)
		fail_msg("%s refused: %s", what, err);
}

static void include(struct vn_config *cfg, const char *args)
{
	char err[256] = "";

	cfg_ok(vn_config_include(cfg, args, err, sizeof(err)), err, args);
}

static void exclude(struct vn_config *cfg, const char *args)
{
	char err[256] = "";

	cfg_ok(vn_config_exclude(cfg, args, err, sizeof(err)), err, args);
}

static void network(struct vn_config *cfg, const char *args)
{
	char err[256] = "";

	cfg_ok(vn_config_network(cfg, args, err, sizeof(err)), err, args);
}

static void networks(const struct vn_linktab *t, const struct vn_config *cfg,
		     struct vn_netspecs *out)
{
	memset(out, 0x5a, sizeof(*out));
	assert_int_equal(vn_topology_networks(t, cfg, out), 0);
	for (size_t i = 1; i < out->n; i++)
		if (strcmp(out->v[i - 1].name, out->v[i].name) >= 0)
			fail_msg("networks not sorted: '%s' before '%s'",
				 out->v[i - 1].name, out->v[i].name);
}

static const struct vn_netspec *spec_named(const struct vn_netspecs *s,
					   const char *name)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->v[i].name, name) == 0)
			return &s->v[i];
	return NULL;
}

static int cmp_member(const void *x, const void *y)
{
	const struct vn_member_spec *a = x, *b = y;

	if (a->ifindex != b->ifindex)
		return a->ifindex < b->ifindex ? -1 : 1;
	return (int)a->role - (int)b->role;
}

/* Members given as a list of ifindexes: the HOST one (0: none), ports. */
#define MAXM 16

struct want_spec {
	const char *name;
	enum vn_type type;
	int32_t ifindex;
	uint32_t host;		/* HOST member, 0 if none */
	uint32_t ports[MAXM];	/* PORT members, 0-terminated */
};

static void check_spec(const struct vn_netspecs *s, const struct want_spec *w)
{
	const struct vn_netspec *sp = spec_named(s, w->name);
	struct vn_member_spec want[MAXM + 1], got[MAXM + 1];
	size_t nw = 0, np = 0;

	if (!sp)
		fail_msg("no network '%s'", w->name);
	if (sp->type != w->type)
		fail_msg("'%s': type %d, want %d", w->name, sp->type, w->type);
	if (sp->ifindex != w->ifindex)
		fail_msg("'%s': ifindex %d, want %d", w->name, sp->ifindex,
			 w->ifindex);
	if (w->host) {
		want[nw].ifindex = w->host;
		want[nw++].role = VN_ROLE_HOST;
	}
	while (np < MAXM && w->ports[np]) {
		want[nw].ifindex = w->ports[np++];
		want[nw++].role = VN_ROLE_PORT;
	}
	if (sp->nports != np)
		fail_msg("'%s': nports %u, want %zu", w->name, sp->nports, np);
	if (sp->nmembers != nw)
		fail_msg("'%s': %zu members, want %zu", w->name, sp->nmembers,
			 nw);
	if (nw == 0)
		return;
	assert_non_null(sp->members);
	memcpy(got, sp->members, nw * sizeof(*got));
	qsort(got, nw, sizeof(*got), cmp_member);
	qsort(want, nw, sizeof(*want), cmp_member);
	for (size_t i = 0; i < nw; i++)
		if (got[i].ifindex != want[i].ifindex ||
		    got[i].role != want[i].role)
			fail_msg("'%s': member %zu is (%u, %s), want (%u, %s)",
				 w->name, i, got[i].ifindex,
				 got[i].role == VN_ROLE_HOST ? "host" : "port",
				 want[i].ifindex,
				 want[i].role == VN_ROLE_HOST ? "host" :
								"port");
}

/* Extra context for check_names failures. */
static char names_ctx[64];

/* Exactly these networks, by name, in this (sorted) order. */
static void check_names(const struct vn_netspecs *s, const char *const *names,
			size_t n)
{
	for (size_t i = 0; i < s->n && i < n; i++)
		if (strcmp(s->v[i].name, names[i]) != 0)
			fail_msg("network %zu is '%s', want '%s'%s", i,
				 s->v[i].name, names[i], names_ctx);
	if (s->n != n)
		fail_msg("%zu networks, want %zu%s", s->n, n, names_ctx);
}

static void check_sorted_links(const struct vn_linktab *t)
{
	for (size_t i = 1; i < t->n; i++)
		if (t->v[i - 1].link.ifindex >= t->v[i].link.ifindex)
			fail_msg("links not sorted at %zu: %u, %u", i,
				 t->v[i - 1].link.ifindex,
				 t->v[i].link.ifindex);
	assert_true(t->n <= t->cap);
}

/* ---- the link table ---- */

/* The cursor lookup answers exactly as the plain one, in any order. */
static void test_links_find_next(void **state)
{
	struct vn_linktab t;
	uint32_t asks[64];
	size_t cursor;

	(void)state;
	vn_links_init(&t);
	for (uint32_t i = 0; i < 40; i++)
		add(&t, 3 * i + 1, 0, false, "x");
	srand(7);
	for (int round = 0; round < 2000; round++) {
		size_t n = (size_t)(rand() % 64);

		/* Mostly ascending, with holes, unknowns and steps back. */
		for (size_t i = 0; i < n; i++) {
			uint32_t prev = i ? asks[i - 1] : 0;

			asks[i] = round % 4 == 0 ? (uint32_t)(rand() % 130)
						 : prev + 1 + (uint32_t)(rand() % 4);
		}
		cursor = (size_t)(rand() % 50); /* even a stale one */
		for (size_t i = 0; i < n; i++) {
			struct vn_linkent *want = vn_links_find(&t, asks[i]);

			assert_ptr_equal(vn_links_find_next(&t, asks[i], &cursor),
					 want);
			if (want)
				assert_int_equal(cursor, (size_t)(want - t.v) + 1);
		}
	}
	/* In order, every link is found at the cursor. */
	cursor = 0;
	for (size_t i = 0; i < t.n; i++)
		assert_ptr_equal(vn_links_find_next(&t, t.v[i].link.ifindex,
						    &cursor),
				 &t.v[i]);
	assert_int_equal(cursor, t.n);
	assert_null(vn_links_find_next(&t, UINT32_MAX, &cursor));
	vn_links_free(&t);
}

static void test_links_upsert_new(void **state)
{
	static const uint32_t order[] = { 7, 3, 11, 1, 5, 100, 2, 9,
					  UINT32_MAX, 4 };
	struct vn_linktab t;

	(void)state;
	memset(&t, 0x5a, sizeof(t));
	vn_links_init(&t);
	assert_int_equal(t.n, 0);
	assert_null(vn_links_find(&t, 1));
	for (size_t i = 0; i < ARRAY_SIZE(order); i++) {
		uint64_t gen = t.gen;
		char name[IFNAMSIZ];
		struct vn_linkent *e;

		snprintf(name, sizeof(name), "if%u", order[i]);
		add(&t, order[i], i % 2 ? 1 : 0, i == 3, name);
		assert_int_equal(t.n, i + 1);
		assert_int_equal(t.gen, gen + 1);
		check_sorted_links(&t);
		e = vn_links_find(&t, order[i]);
		assert_non_null(e);
		assert_string_equal(e->link.name, name);
		assert_int_equal(e->link.master, i % 2 ? 1 : 0);
		assert_int_equal(e->link.is_bridge, i == 3);
		/* A new entry starts without counters. */
		assert_int_equal(e->c.rx_bytes, 0);
		assert_int_equal(e->c.tx_dropped, 0);
		assert_int_equal(e->stats_tick, 0);
	}
	assert_null(vn_links_find(&t, 0));
	assert_null(vn_links_find(&t, 6));
	assert_null(vn_links_find(&t, 101));
	assert_null(vn_links_find(&t, UINT32_MAX - 1));
	vn_links_free(&t);
	assert_int_equal(t.n, 0);
	assert_null(t.v);
}

/* Unchanged: no gen bump. Any change: one bump. Counters survive. */
static void test_links_upsert_changed(void **state)
{
	struct vn_linktab t;
	struct vn_linkent *e;
	uint64_t gen;

	(void)state;
	vn_links_init(&t);
	BRIDGE(&t, 3, "br0");
	PORT(&t, 4, 3, "veth0");
	LINK(&t, 5, "eth0");

	e = vn_links_find(&t, 4);
	e->c.rx_bytes = 12345;
	e->c.tx_packets = 678;
	e->stats_tick = 42;

	gen = t.gen;
	PORT(&t, 4, 3, "veth0");	/* the same again */
	assert_int_equal(t.gen, gen);
	BRIDGE(&t, 3, "br0");
	assert_int_equal(t.gen, gen);
	assert_int_equal(t.n, 3);

	PORT(&t, 4, 3, "veth0-new");	/* renamed */
	assert_int_equal(t.gen, gen + 1);
	e = vn_links_find(&t, 4);
	assert_string_equal(e->link.name, "veth0-new");
	assert_int_equal(e->c.rx_bytes, 12345);	/* stats kept */
	assert_int_equal(e->c.tx_packets, 678);
	assert_int_equal(e->stats_tick, 42);

	PORT(&t, 4, 5, "veth0-new");	/* new master */
	assert_int_equal(t.gen, gen + 2);
	assert_int_equal(vn_links_find(&t, 4)->link.master, 5);

	PORT(&t, 4, 0, "veth0-new");	/* released */
	assert_int_equal(t.gen, gen + 3);
	assert_int_equal(vn_links_find(&t, 4)->link.master, 0);

	BRIDGE(&t, 5, "eth0");		/* kind changes */
	assert_int_equal(t.gen, gen + 4);
	assert_true(vn_links_find(&t, 5)->link.is_bridge);

	LINK(&t, 5, "eth0");
	assert_int_equal(t.gen, gen + 5);
	assert_false(vn_links_find(&t, 5)->link.is_bridge);

	LINK(&t, 5, "eth0");
	assert_int_equal(t.gen, gen + 5);
	assert_int_equal(t.n, 3);
	assert_int_equal(vn_links_find(&t, 4)->c.rx_bytes, 12345);
	vn_links_free(&t);
}

static void test_links_delete(void **state)
{
	struct vn_linktab t;
	uint64_t gen;

	(void)state;
	vn_links_init(&t);
	for (uint32_t i = 1; i <= 9; i++) {
		char name[IFNAMSIZ];

		snprintf(name, sizeof(name), "l%u", i * 10);
		add(&t, i * 10, 0, false, name);
	}
	vn_links_find(&t, 60)->c.tx_bytes = 600;
	vn_links_find(&t, 70)->c.tx_bytes = 700;

	gen = t.gen;
	vn_links_delete(&t, 55);		/* absent */
	vn_links_delete(&t, 0);
	vn_links_delete(&t, 1000);
	assert_int_equal(t.n, 9);
	assert_int_equal(t.gen, gen);

	vn_links_delete(&t, 50);		/* middle */
	assert_int_equal(t.n, 8);
	assert_int_equal(t.gen, gen + 1);
	assert_null(vn_links_find(&t, 50));
	check_sorted_links(&t);
	/* The neighbours kept their own data. */
	assert_int_equal(vn_links_find(&t, 60)->c.tx_bytes, 600);
	assert_int_equal(vn_links_find(&t, 70)->c.tx_bytes, 700);
	assert_string_equal(vn_links_find(&t, 60)->link.name, "l60");

	vn_links_delete(&t, 10);		/* first */
	vn_links_delete(&t, 90);		/* last */
	assert_int_equal(t.n, 6);
	assert_int_equal(t.gen, gen + 3);
	check_sorted_links(&t);
	assert_int_equal(t.v[0].link.ifindex, 20);
	assert_int_equal(t.v[t.n - 1].link.ifindex, 80);

	vn_links_delete(&t, 50);		/* again: absent now */
	assert_int_equal(t.gen, gen + 3);

	add(&t, 50, 0, false, "back");
	check_sorted_links(&t);
	assert_string_equal(vn_links_find(&t, 50)->link.name, "back");
	assert_int_equal(vn_links_find(&t, 50)->c.tx_bytes, 0);

	while (t.n)
		vn_links_delete(&t, t.v[t.n / 2].link.ifindex);
	assert_null(vn_links_find(&t, 20));
	vn_links_free(&t);
}

static void test_links_clear(void **state)
{
	struct vn_linktab t;
	uint64_t gen;

	(void)state;
	vn_links_init(&t);
	BRIDGE(&t, 1, "br0");
	PORT(&t, 2, 1, "p0");
	gen = t.gen;
	vn_links_clear(&t);
	assert_int_equal(t.n, 0);
	assert_true(t.gen > gen);
	assert_null(vn_links_find(&t, 1));
	assert_null(vn_links_find(&t, 2));

	/* Usable again (a resync after a netlink overrun). */
	gen = t.gen;
	PORT(&t, 2, 1, "p0");
	BRIDGE(&t, 1, "br0");
	assert_int_equal(t.n, 2);
	assert_int_equal(t.gen, gen + 2);
	check_sorted_links(&t);
	assert_int_equal(vn_links_find(&t, 2)->c.rx_bytes, 0);
	vn_links_clear(&t);
	vn_links_clear(&t);	/* clearing an empty table is fine */
	assert_int_equal(t.n, 0);
	vn_links_free(&t);
	vn_links_free(&t);	/* free leaves an initialised table */
}

static void test_links_many(void **state)
{
	enum { N = 5000 };
	struct vn_linktab t;

	(void)state;
	vn_links_init(&t);
	for (uint32_t i = 0; i < N; i++) {
		uint32_t ifi = (i * 2399u) % N + 1;	/* a permutation */
		char name[IFNAMSIZ];

		snprintf(name, sizeof(name), "x%u", ifi);
		add(&t, ifi, ifi / 2, false, name);
	}
	assert_int_equal(t.n, N);
	check_sorted_links(&t);
	for (uint32_t ifi = 1; ifi <= N; ifi++) {
		struct vn_linkent *e = vn_links_find(&t, ifi);
		char name[IFNAMSIZ];

		snprintf(name, sizeof(name), "x%u", ifi);
		assert_non_null(e);
		assert_string_equal(e->link.name, name);
		assert_int_equal(e->link.master, ifi / 2);
	}
	assert_null(vn_links_find(&t, N + 1));
	vn_links_free(&t);
}

/* ---- networks ---- */

static void test_networks_empty(void **state)
{
	struct vn_linktab t;
	struct vn_config cfg;
	struct vn_netspecs s;

	(void)state;
	vn_links_init(&t);
	vn_config_init(&cfg);
	networks(&t, &cfg, &s);
	assert_int_equal(s.n, 0);
	vn_netspecs_free(&s);
	assert_int_equal(s.n, 0);
	assert_null(s.v);
	vn_netspecs_free(&s);	/* twice is harmless */

	/* Links but no bridge: nothing. */
	LINK(&t, 1, "lo");
	LINK(&t, 2, "eth0");
	PORT(&t, 3, 2, "macvtap0");	/* master is not a bridge */
	networks(&t, &cfg, &s);
	assert_int_equal(s.n, 0);
	vn_netspecs_free(&s);
	vn_config_free(&cfg);
	vn_links_free(&t);
}

/*
 * Two bridges, a bond that is a port of one of them (its slaves are not),
 * a port whose master is gone, links on no bridge.
 */
static void test_networks_bridges(void **state)
{
	struct vn_linktab t;
	struct vn_config cfg;
	struct vn_netspecs s;
	static const struct want_spec br0 = {
		"br0", VN_TYPE_BRIDGE, 3, 3, { 4, 5, 30 },
	};
	static const struct want_spec br1 = {
		"br1", VN_TYPE_BRIDGE, 10, 10, { 11, 20 },
	};
	static const struct want_spec empty = {
		"br-empty", VN_TYPE_BRIDGE, 40, 40, { 0 },
	};
	static const char *const names[] = { "br-empty", "br0", "br1" };

	(void)state;
	vn_links_init(&t);
	vn_config_init(&cfg);
	/* Deliberately out of order. */
	PORT(&t, 30, 3, "tap0");
	PORT(&t, 21, 20, "eth1");	/* slave of bond0: not a port */
	LINK(&t, 2, "eth0");
	PORT(&t, 5, 3, "veth1");
	BRIDGE(&t, 10, "br1");
	PORT(&t, 22, 20, "eth2");
	add(&t, 20, 10, false, "bond0");	/* bond0 is a port of br1 */
	BRIDGE(&t, 3, "br0");
	PORT(&t, 4, 3, "veth0");
	PORT(&t, 11, 10, "vnet0");
	PORT(&t, 50, 99, "orphan");	/* master 99 does not exist */
	BRIDGE(&t, 40, "br-empty");
	LINK(&t, 1, "lo");

	networks(&t, &cfg, &s);
	check_names(&s, names, ARRAY_SIZE(names));
	check_spec(&s, &br0);
	check_spec(&s, &br1);
	check_spec(&s, &empty);

	/* The bridge device is the only HOST member, and comes with them. */
	for (size_t i = 0; i < s.n; i++) {
		size_t hosts = 0;

		for (size_t m = 0; m < s.v[i].nmembers; m++)
			if (s.v[i].members[m].role == VN_ROLE_HOST) {
				hosts++;
				assert_int_equal(s.v[i].members[m].ifindex,
						 (uint32_t)s.v[i].ifindex);
			}
		assert_int_equal(hosts, 1);
		assert_int_equal(s.v[i].nports, s.v[i].nmembers - 1);
	}
	vn_netspecs_free(&s);
	vn_config_free(&cfg);
	vn_links_free(&t);
}

/* vnetInclude / vnetExclude: which bridges are served. */
struct filter_case {
	const char *include[2];
	const char *exclude[2];
	const char *want[8];	/* NULL-terminated, sorted */
};

static const struct filter_case filter_cases[] = {
	{ { NULL }, { NULL },
	  { "br0", "br1", "br10", "docker0", "lxcbr0", "virbr0" } },
	{ { "br*" }, { NULL }, { "br0", "br1", "br10" } },
	{ { "br* virbr*" }, { NULL }, { "br0", "br1", "br10", "virbr0" } },
	{ { "br*", "docker0" }, { NULL },
	  { "br0", "br1", "br10", "docker0" } },
	{ { NULL }, { "br1*" }, { "br0", "docker0", "lxcbr0", "virbr0" } },
	{ { "br*" }, { "br1" }, { "br0", "br10" } },
	{ { "*br0" }, { "virbr0" }, { "br0", "lxcbr0" } },
	{ { "nomatch" }, { NULL }, { NULL } },
	{ { NULL }, { "*" }, { NULL } },
	{ { "br?" }, { NULL }, { "br0", "br1" } },
	{ { "br[0-9]" }, { "br0" }, { "br1" } },
	{ { "*" }, { "docker*", "lxc* virbr*" }, { "br0", "br1", "br10" } },
	/* Exclude wins over include. */
	{ { "br0" }, { "br0" }, { NULL } },
	/* Globs are about bridges: a non-bridge link never becomes one. */
	{ { "eth*" }, { NULL }, { NULL } },
};

static void test_networks_include_exclude(void **state)
{
	struct vn_linktab t;

	(void)state;
	vn_links_init(&t);
	BRIDGE(&t, 1, "br0");
	BRIDGE(&t, 2, "br1");
	BRIDGE(&t, 3, "br10");
	BRIDGE(&t, 4, "virbr0");
	BRIDGE(&t, 5, "docker0");
	BRIDGE(&t, 6, "lxcbr0");
	LINK(&t, 7, "eth0");
	PORT(&t, 8, 2, "veth8");
	PORT(&t, 9, 4, "vnet9");

	for (size_t c = 0; c < ARRAY_SIZE(filter_cases); c++) {
		const struct filter_case *fc = &filter_cases[c];
		struct vn_config cfg;
		struct vn_netspecs s;
		size_t n = 0;

		vn_config_init(&cfg);
		for (size_t i = 0; i < 2; i++) {
			if (fc->include[i])
				include(&cfg, fc->include[i]);
			if (fc->exclude[i])
				exclude(&cfg, fc->exclude[i]);
		}
		networks(&t, &cfg, &s);
		while (n < 8 && fc->want[n])
			n++;
		snprintf(names_ctx, sizeof(names_ctx),
			 " (filter case %zu)", c);
		check_names(&s, fc->want, n);

		/* A served bridge keeps its ports whatever the globs. */
		const struct vn_netspec *br1 = spec_named(&s, "br1");

		if (br1) {
			assert_int_equal(br1->nports, 1);
			assert_int_equal(br1->nmembers, 2);
		}
		vn_netspecs_free(&s);
		vn_config_free(&cfg);
	}
	names_ctx[0] = '\0';
	vn_links_free(&t);
}

/*
 * vnetNetwork lan0 veth* tap1: the network called lan0 has exactly the
 * links matching veth* or tap1, as ports; the link that happens to be
 * called lan0 is not one of them.
 */
static void test_networks_configured(void **state)
{
	struct vn_linktab t;
	struct vn_config cfg;
	struct vn_netspecs s;
	static const struct want_spec lan0 = {
		"lan0", VN_TYPE_CONFIGURED, 0, 0, { 4, 5, 6, 10 },
	};
	static const struct want_spec br0 = {
		"br0", VN_TYPE_BRIDGE, 3, 3, { 4, 10 },
	};
	static const char *const names[] = { "br0", "lan0" };

	(void)state;
	vn_links_init(&t);
	vn_config_init(&cfg);
	network(&cfg, "lan0 veth* tap1");
	LINK(&t, 1, "lo");
	LINK(&t, 2, "eth0");
	BRIDGE(&t, 3, "br0");
	PORT(&t, 4, 3, "veth0");	/* in both networks */
	LINK(&t, 5, "veth1");
	LINK(&t, 6, "tap1");
	LINK(&t, 7, "tap10");		/* tap1 is not a prefix glob */
	LINK(&t, 8, "lan0");
	LINK(&t, 9, "lan01");
	PORT(&t, 10, 3, "vethA");
	LINK(&t, 11, "xveth0");
	PORT(&t, 12, 2, "veth");	/* "veth*" matches "veth" */

	networks(&t, &cfg, &s);
	check_names(&s, names, ARRAY_SIZE(names));
	/* veth (12) too. */
	struct want_spec lan0_all = lan0;

	lan0_all.ports[4] = 12;
	check_spec(&s, &lan0_all);
	check_spec(&s, &br0);
	vn_netspecs_free(&s);

	/* veth1 is deleted; tap10 is renamed veth9, which then matches. */
	vn_links_delete(&t, 5);
	LINK(&t, 7, "veth9");
	networks(&t, &cfg, &s);
	struct want_spec lan0_now = {
		"lan0", VN_TYPE_CONFIGURED, 0, 0, { 4, 6, 7, 10, 12 },
	};

	check_spec(&s, &lan0_now);
	vn_netspecs_free(&s);
	vn_config_free(&cfg);
	vn_links_free(&t);
}

/* Several configured networks; one matches nothing (still published). */
static void test_networks_configured_several(void **state)
{
	struct vn_linktab t;
	struct vn_config cfg;
	struct vn_netspecs s;
	static const struct want_spec ovs = {
		"ovs-int", VN_TYPE_CONFIGURED, 0, 0, { 20, 21, 22 },
	};
	static const struct want_spec mv = {
		"macvtaps", VN_TYPE_CONFIGURED, 0, 0, { 30, 31 },
	};
	static const struct want_spec none = {
		"nothing", VN_TYPE_CONFIGURED, 0, 0, { 0 },
	};
	static const struct want_spec every = {
		"every-tap", VN_TYPE_CONFIGURED, 0, 0, { 20, 21, 22 },
	};
	static const char *const names[] = { "every-tap", "macvtaps",
					     "nothing", "ovs-int" };

	(void)state;
	vn_links_init(&t);
	vn_config_init(&cfg);
	network(&cfg, "ovs-int tap*");
	network(&cfg, "nothing   nomatch*  \t also-none");
	network(&cfg, "macvtaps macvtap[0-9]");
	/* A glob given twice. */
	network(&cfg, "every-tap tap0 tap1 tap2 tap0");
	LINK(&t, 20, "tap0");
	LINK(&t, 21, "tap1");
	PORT(&t, 22, 1, "tap2");
	LINK(&t, 30, "macvtap0");
	LINK(&t, 31, "macvtap1");
	LINK(&t, 32, "macvtap10");

	networks(&t, &cfg, &s);
	check_names(&s, names, ARRAY_SIZE(names));
	check_spec(&s, &ovs);
	check_spec(&s, &mv);
	check_spec(&s, &none);
	check_spec(&s, &every);	/* each link once, however many globs */
	vn_netspecs_free(&s);

	/* No links at all: the configured networks are still there. */
	vn_links_clear(&t);
	networks(&t, &cfg, &s);
	check_names(&s, names, ARRAY_SIZE(names));
	for (size_t i = 0; i < s.n; i++) {
		assert_int_equal(s.v[i].nmembers, 0);
		assert_int_equal(s.v[i].nports, 0);
		assert_int_equal(s.v[i].ifindex, 0);
		assert_int_equal(s.v[i].type, VN_TYPE_CONFIGURED);
	}
	vn_netspecs_free(&s);
	vn_config_free(&cfg);
	vn_links_free(&t);
}

/* A configured network named like a bridge wins; the bridge is gone. */
static void test_networks_configured_shadows_bridge(void **state)
{
	struct vn_linktab t;
	struct vn_config cfg;
	struct vn_netspecs s;
	static const struct want_spec br0 = {
		"br0", VN_TYPE_CONFIGURED, 0, 0, { 6, 7 },
	};
	static const struct want_spec br1 = {
		"br1", VN_TYPE_BRIDGE, 10, 10, { 11 },
	};
	static const char *const names[] = { "br0", "br1" };

	(void)state;
	vn_links_init(&t);
	vn_config_init(&cfg);
	network(&cfg, "br0 tap*");
	BRIDGE(&t, 3, "br0");
	PORT(&t, 4, 3, "veth0");
	PORT(&t, 5, 3, "veth1");
	LINK(&t, 6, "tap0");
	LINK(&t, 7, "tap1");
	BRIDGE(&t, 10, "br1");
	PORT(&t, 11, 10, "veth2");

	networks(&t, &cfg, &s);
	check_names(&s, names, ARRAY_SIZE(names));
	check_spec(&s, &br0);
	check_spec(&s, &br1);
	vn_netspecs_free(&s);

	/* Shadowing does not depend on the bridge being served. */
	exclude(&cfg, "br0");
	networks(&t, &cfg, &s);
	check_names(&s, names, ARRAY_SIZE(names));
	check_spec(&s, &br0);
	vn_netspecs_free(&s);
	vn_config_free(&cfg);

	/* A configured network may take the bridge's own links. */
	vn_config_init(&cfg);
	network(&cfg, "br1 br1 veth*");
	networks(&t, &cfg, &s);
	static const struct want_spec br1c = {
		"br1", VN_TYPE_CONFIGURED, 0, 0, { 4, 5, 10, 11 },
	};
	static const struct want_spec br0b = {
		"br0", VN_TYPE_BRIDGE, 3, 3, { 4, 5 },
	};

	check_names(&s, names, ARRAY_SIZE(names));
	check_spec(&s, &br1c);	/* the bridge device as a PORT member */
	check_spec(&s, &br0b);
	vn_netspecs_free(&s);
	vn_config_free(&cfg);
	vn_links_free(&t);
}

/* Sorted by name (strcmp), bridges and configured networks together. */
static void test_networks_sorted(void **state)
{
	struct vn_linktab t;
	struct vn_config cfg;
	struct vn_netspecs s;
	static const char *const names[] = { "0net", "B", "Br", "a", "br-a",
					     "br-b", "m", "zz" };

	(void)state;
	vn_links_init(&t);
	vn_config_init(&cfg);
	BRIDGE(&t, 1, "zz");
	BRIDGE(&t, 2, "br-b");
	BRIDGE(&t, 3, "Br");
	BRIDGE(&t, 4, "a");
	BRIDGE(&t, 5, "br-a");
	network(&cfg, "m eth*");
	network(&cfg, "B eth*");
	network(&cfg, "0net eth*");
	networks(&t, &cfg, &s);
	check_names(&s, names, ARRAY_SIZE(names));
	vn_netspecs_free(&s);
	vn_config_free(&cfg);
	vn_links_free(&t);
}

/* vnetName may be 64 characters: a configured name keeps all of them. */
static void test_networks_long_names(void **state)
{
	struct vn_linktab t;
	struct vn_config cfg;
	struct vn_netspecs s;
	char args[128], name[VN_NAME_MAX + 1];

	(void)state;
	memset(name, 'n', VN_NAME_MAX);
	name[VN_NAME_MAX] = '\0';
	snprintf(args, sizeof(args), "%s eth0", name);
	vn_links_init(&t);
	vn_config_init(&cfg);
	network(&cfg, args);
	LINK(&t, 2, "eth0");
	BRIDGE(&t, 3, "br-fifteen-char");	/* IFNAMSIZ - 1 */
	networks(&t, &cfg, &s);
	assert_int_equal(s.n, 2);
	assert_string_equal(s.v[0].name, "br-fifteen-char");
	assert_int_equal(strlen(s.v[1].name), VN_NAME_MAX);
	assert_string_equal(s.v[1].name, name);
	assert_int_equal(s.v[1].nmembers, 1);
	vn_netspecs_free(&s);
	vn_config_free(&cfg);
	vn_links_free(&t);
}

/* Networks follow the links: ports move, bridges go, names change. */
static void test_networks_follow_changes(void **state)
{
	struct vn_linktab t;
	struct vn_config cfg;
	struct vn_netspecs s;

	(void)state;
	vn_links_init(&t);
	vn_config_init(&cfg);
	BRIDGE(&t, 3, "br0");
	PORT(&t, 4, 3, "p4");
	PORT(&t, 5, 3, "p5");
	BRIDGE(&t, 6, "br1");
	PORT(&t, 7, 6, "p7");

	/* 5 moves to br1. */
	PORT(&t, 5, 6, "p5");
	networks(&t, &cfg, &s);
	{
		static const struct want_spec a = {
			"br0", VN_TYPE_BRIDGE, 3, 3, { 4 },
		};
		static const struct want_spec b = {
			"br1", VN_TYPE_BRIDGE, 6, 6, { 5, 7 },
		};

		check_spec(&s, &a);
		check_spec(&s, &b);
	}
	vn_netspecs_free(&s);

	/* br1 is deleted; its ports still name it as master (stale). */
	vn_links_delete(&t, 6);
	networks(&t, &cfg, &s);
	{
		static const char *const names[] = { "br0" };
		static const struct want_spec a = {
			"br0", VN_TYPE_BRIDGE, 3, 3, { 4 },
		};

		check_names(&s, names, 1);
		check_spec(&s, &a);
	}
	vn_netspecs_free(&s);

	/* br0 renamed; a new bridge reuses ifindex 6 under another name. */
	BRIDGE(&t, 3, "lan");
	BRIDGE(&t, 6, "br9");
	networks(&t, &cfg, &s);
	{
		static const char *const names[] = { "br9", "lan" };
		static const struct want_spec a = {
			"lan", VN_TYPE_BRIDGE, 3, 3, { 4 },
		};
		static const struct want_spec b = {
			"br9", VN_TYPE_BRIDGE, 6, 6, { 5, 7 },
		};

		check_names(&s, names, 2);
		check_spec(&s, &a);
		check_spec(&s, &b);
	}
	vn_netspecs_free(&s);

	/* br9 stops being a bridge: its former ports are nobody's. */
	LINK(&t, 6, "br9");
	networks(&t, &cfg, &s);
	{
		static const char *const names[] = { "lan" };

		check_names(&s, names, 1);
	}
	vn_netspecs_free(&s);
	vn_config_free(&cfg);
	vn_links_free(&t);
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/*
 * A host with 1000 bridges of 2 ports each, plus unrelated links and a
 * bond with slaves, inserted in a scrambled order. Every member set is
 * checked; the time is printed, not asserted.
 */
static void test_networks_many_bridges(void **state)
{
	enum { NBR = 1000, NOTHER = 500 };
	struct vn_linktab t;
	struct vn_config cfg;
	struct vn_netspecs s;
	const uint32_t total = 3 * NBR;
	double t0, t1;

	(void)state;
	vn_links_init(&t);
	vn_config_init(&cfg);
	/* Bridge i: ifindex 10 + 3i, ports 11 + 3i and 12 + 3i. */
	for (uint32_t k = 0; k < total; k++) {
		uint32_t j = (k * 1597u) % total;	/* a permutation */
		uint32_t i = j / 3, ifi = 10 + j;
		char name[IFNAMSIZ];

		if (j % 3 == 0) {
			snprintf(name, sizeof(name), "br%u", i);
			BRIDGE(&t, ifi, name);
		} else {
			snprintf(name, sizeof(name), "vb%u-%u", i, j % 3);
			PORT(&t, ifi, 10 + 3 * i, name);
		}
	}
	for (uint32_t k = 0; k < NOTHER; k++) {
		char name[IFNAMSIZ];

		snprintf(name, sizeof(name), "eth%u", k);
		/* Half of them are slaves of a non-bridge (a bond). */
		add(&t, 100000 + k, k % 2 ? 100000 : 0, false, name);
	}
	assert_int_equal(t.n, total + NOTHER);

	t0 = now_ms();
	networks(&t, &cfg, &s);
	t1 = now_ms();
	print_message("%u bridges x 2 ports, %zu links: networks in %.3f ms\n",
		      NBR, t.n, t1 - t0);

	assert_int_equal(s.n, NBR);
	for (size_t k = 0; k < s.n; k++) {
		const struct vn_netspec *sp = &s.v[k];
		unsigned i;
		struct want_spec w;

		assert_int_equal(sscanf(sp->name, "br%u", &i), 1);
		assert_true(i < NBR);
		memset(&w, 0, sizeof(w));
		w.name = sp->name;
		w.type = VN_TYPE_BRIDGE;
		w.ifindex = (int32_t)(10 + 3 * i);
		w.host = 10 + 3 * i;
		w.ports[0] = 11 + 3 * i;
		w.ports[1] = 12 + 3 * i;
		check_spec(&s, &w);
	}
	/* A few by name, in full. */
	{
		static const struct want_spec first = {
			"br0", VN_TYPE_BRIDGE, 10, 10, { 11, 12 },
		};
		static const struct want_spec mid = {
			"br500", VN_TYPE_BRIDGE, 1510, 1510, { 1511, 1512 },
		};
		static const struct want_spec last = {
			"br999", VN_TYPE_BRIDGE, 3007, 3007, { 3008, 3009 },
		};

		check_spec(&s, &first);
		check_spec(&s, &mid);
		check_spec(&s, &last);
	}
	vn_netspecs_free(&s);

	/* With a filter and a configured network on top. */
	include(&cfg, "br1?");	/* br10..br19 */
	network(&cfg, "all-ports vb*");
	t0 = now_ms();
	networks(&t, &cfg, &s);
	t1 = now_ms();
	print_message("  filtered, with a %u-member configured network: "
		      "%.3f ms\n", 2 * NBR, t1 - t0);
	assert_int_equal(s.n, 11);
	assert_string_equal(s.v[0].name, "all-ports");
	assert_int_equal(s.v[0].nmembers, 2 * NBR);
	assert_int_equal(s.v[0].nports, 2 * NBR);
	for (size_t k = 1; k < s.n; k++) {
		assert_int_equal(s.v[k].nmembers, 3);
		assert_int_equal(s.v[k].nports, 2);
	}
	assert_string_equal(s.v[1].name, "br10");
	assert_string_equal(s.v[10].name, "br19");
	vn_netspecs_free(&s);
	vn_config_free(&cfg);
	vn_links_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_links_upsert_new),
		cmocka_unit_test(test_links_upsert_changed),
		cmocka_unit_test(test_links_delete),
		cmocka_unit_test(test_links_clear),
		cmocka_unit_test(test_links_many),
		cmocka_unit_test(test_links_find_next),
		cmocka_unit_test(test_networks_empty),
		cmocka_unit_test(test_networks_bridges),
		cmocka_unit_test(test_networks_include_exclude),
		cmocka_unit_test(test_networks_configured),
		cmocka_unit_test(test_networks_configured_several),
		cmocka_unit_test(test_networks_configured_shadows_bridge),
		cmocka_unit_test(test_networks_sorted),
		cmocka_unit_test(test_networks_long_names),
		cmocka_unit_test(test_networks_follow_changes),
		cmocka_unit_test(test_networks_many_bridges),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
