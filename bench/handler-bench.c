/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * handler-bench.c - per-varbind cost of GET and GETNEXT at 10 and 1,000
 * networks.
 *
 * Two paths are timed over the same stores:
 *
 *  - "pure": what the handlers compute, without net-snmp: vn_table_get/next
 *    and vn_hist_get/next over the store's view (rows and index map), then
 *    the value lookups (vn_ring_row, vn_ring_summary, the sample clock);
 *
 *  - "handler": the real thing, in process. net-snmp's agent library is
 *    initialised as a master with no transport, snmp_tables.c registers
 *    VNET-MIB exactly as the agent does, and each varbind is one crafted
 *    request handed to netsnmp_call_handlers() on the registration found
 *    in the agent's registry: whatever helpers the registration carries
 *    (net-snmp's table helper up to 8f8e46a, the scalar group helper for
 *    the scalars), then the agent's own handler, which pins a sample, finds
 *    the instance and fills the varbind. What is left out is the part that
 *    does not depend on the tables: PDU decoding, the registry lookup,
 *    encoding.
 *
 * Requests are drawn at random (seeded) from the visible instances, one
 * varbind per request (as a walk through snmpd delivers them: one AgentX
 * GetNext per repetition); "walk" GETNEXTs instead chain each answer into
 * the next request, in OID order, in segments of WALK_RUN that start at a
 * random instance (so that every column is in the mix at every size, and
 * the sizes compare like with like). Every figure is ns per varbind, the
 * minimum and the median over trials; sizes alternate within each trial so
 * that noise from the rest of the machine hits both.
 *
 * With -c, under valgrind --tool=callgrind, each figure is instead one
 * callgrind dump named "path|operation|size|iterations": instructions per
 * varbind, free of cache and scheduling noise (bench/run divides).
 *
 * Usage: handler-bench [-s SEED] [-t TRIALS] [-k SCALE] [-a NETS] [-b NETS]
 *                      [-c ITERATIONS]
 */
#include <config.h>

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#if defined(__has_include)
#if __has_include(<valgrind/callgrind.h>)
#include <valgrind/callgrind.h>
#define HAVE_CALLGRIND 1
#endif
#endif

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>

#include "history.h"
#include "oidnext.h"
#include "snmp_tables.h"
#include "store.h"

#define NREQ 4096 /* pre-drawn requests per operation */
#define WALK_RUN 64 /* chained GETNEXTs per walk segment */
#define MAX_TRIALS 31
#define SAMPLES_TAKEN 1000 /* the stores' current sample */

static const oid vnet_root[] = { VN_MIB_ROOT };
#define ROOT_LEN OID_LENGTH(vnet_root)

static const struct vn_cols table_cols = { 2, 17 };
static const struct vn_cols hist_cols = { 2, 8 };

/* ---- random numbers: xorshift64*, seeded ---- */

static uint64_t rng_state;

static uint64_t rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545F4914F6CDD1DULL;
}

static uint32_t rnd_below(uint32_t n)
{
	return (uint32_t)(rnd() % n);
}

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* ---- the stores ---- */

static struct vn_net *make_net(uint32_t index, uint32_t last)
{
	struct vn_net *net = calloc(1, sizeof(*net));

	if (!net)
		return NULL;
	net->index = index;
	snprintf(net->name, sizeof(net->name), "br%u", index);
	net->type = VN_TYPE_BRIDGE;
	vn_ring_init(&net->ring);
	vn_acct_init(&net->acct);
	/* A full ring: VN_RING samples ending at last. */
	for (uint32_t s = last - VN_RING + 1; s <= last; s++) {
		struct vn_row row = { 0 };

		row.a.bytes_sent = rnd() % 1000000000;
		row.a.bytes_recv = rnd() % 1000000000;
		row.a.pkts_sent = rnd() % 1000000;
		row.a.pkts_recv = rnd() % 1000000;
		row.a.pkts_dropped = rnd() % 100;
		row.total_sent = rnd();
		row.total_recv = rnd();
		row.disc_ms = 1700000000000LL;
		row.sample = s;
		row.ports = 2;
		row.ifindex = (int32_t)(index + 10);
		vn_ring_push(&net->ring, &row);
	}
	return net;
}

/*
 * N networks with full history. Indexes are 1..N with a hole now and then,
 * as a state file that has seen bridges come and go would give.
 */
static int build_store(struct vn_store *st, size_t n)
{
	uint32_t index = 0;

	if (vn_store_init(st) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		struct vn_net *net;

		index += 1 + (rnd_below(8) == 0);
		net = make_net(index, SAMPLES_TAKEN);
		if (!net || vn_store_insert(st, net) < 0)
			return -1;
	}
	for (uint32_t s = SAMPLES_TAKEN - VN_RING + 1; s <= SAMPLES_TAKEN; s++)
		vn_clock_set(&st->clock, s, 1700000000000LL + s * 1000LL,
			     VN_STATUS_VALID);
	st->current = SAMPLES_TAKEN;
	return 0;
}

/*
 * snmp_tables.c keeps one store pointer, registered once: point its
 * contents at one of the built stores (the lock stays its own).
 */
static void show_store(struct vn_store *live, const struct vn_store *src)
{
	live->current = src->current;
	live->clock = src->clock;
	live->nets = src->nets;
	live->rows = src->rows;
	live->map = src->map;
	live->n = src->n;
	live->cap = src->cap;
	live->pinned = 0;
	live->pin_key1 = 0;
	live->pin_key2 = 0;
}

/* ---- requests ---- */

enum table { T_HIST, T_TABLE, T_SCALAR };
enum op { OP_GET, OP_NEXT, OP_WALK };

struct req {
	unsigned col;
	size_t len;
	vn_oid suf[2];
};

/* A random visible instance of the table. */
static void draw(const struct vn_store *st, enum table t, struct req *r)
{
	size_t pos = rnd_below((uint32_t)st->n);

	if (t == T_HIST) {
		r->col = hist_cols.mincol +
			 rnd_below(hist_cols.maxcol - hist_cols.mincol + 1);
		r->len = 2;
		r->suf[0] = st->rows[pos].index;
		r->suf[1] = st->current - rnd_below(VN_HISTORY);
	} else {
		r->col = table_cols.mincol +
			 rnd_below(table_cols.maxcol - table_cols.mincol + 1);
		r->len = 1;
		r->suf[0] = st->rows[pos].index;
	}
}

/* ---- the pure path ---- */

static uint64_t hist_lookup(const struct vn_store *st, const struct vn_inst *in)
{
	/* As the handler: oidnext has checked the sample against rows[]. */
	const struct vn_row *row =
		vn_ring_row(&st->nets[in->pos]->ring, in->sample);

	switch (in->col) {
	case 2:
		return (uint64_t)vn_clock_time(&st->clock, in->sample);
	case 3:
		return vn_clock_status(&st->clock, in->sample);
	case 4:
		return row->a.bytes_sent;
	case 5:
		return row->a.bytes_recv;
	case 6:
		return row->a.pkts_sent;
	case 7:
		return row->a.pkts_recv;
	default:
		return row->a.pkts_dropped;
	}
}

static uint64_t table_lookup(const struct vn_store *st,
			     const struct vn_inst *in, uint32_t p)
{
	const struct vn_net *net = st->nets[in->pos];
	const struct vn_oidrow *orow = &st->rows[in->pos];
	const struct vn_row *row;
	struct vn_summary sum;

	if (orow->last == 0 || p < orow->first || p > orow->last)
		return 0;
	row = vn_ring_row(&net->ring, p);
	switch (in->col) {
	case 2:
		return (unsigned char)net->name[0];
	case 3:
		return (uint64_t)row->ifindex;
	case 4:
		return net->type;
	case 5:
		return row->ports;
	case 6:
		return row->a.bytes_sent;
	case 7:
		return row->a.bytes_recv;
	case 8:
		return row->a.pkts_sent;
	case 9:
		return row->a.pkts_recv;
	case 10:
		return row->a.pkts_dropped;
	case 15:
		return row->total_sent;
	case 16:
		return row->total_recv;
	case 17:
		return (uint64_t)row->disc_ms;
	}
	vn_ring_summary(&net->ring, p, &sum);
	switch (in->col) {
	case 11:
		return sum.sent_max;
	case 12:
		return sum.sent_avg;
	case 13:
		return sum.recv_max;
	default:
		return sum.recv_avg;
	}
}

static volatile uint64_t sink;

static double pure_run(const struct vn_store *st, enum table t, enum op op,
		       const struct req *reqs, long iters)
{
	const struct vn_cols *cols = t == T_HIST ? &hist_cols : &table_cols;
	struct vn_oidview v = vn_store_view(st);
	uint32_t p = st->current;
	struct req cur = { .col = cols->mincol, .len = 0 };
	uint64_t acc = 0;
	int64_t t0 = now_ns();

	for (long i = 0; i < iters; i++) {
		const struct req *r = &reqs[i % NREQ];
		struct vn_inst in;
		int found;

		if (op == OP_WALK) {
			if (i % WALK_RUN == 0)
				cur = reqs[(i / WALK_RUN) % NREQ];
			r = &cur;
		}

		if (t == T_SCALAR) {
			acc += vn_store_count(st, p);
			continue;
		}
		if (t == T_HIST)
			found = (op == OP_GET ? vn_hist_get_view
					      : vn_hist_next_view)(
				&v, p, cols, r->col, r->suf, r->len, &in);
		else
			found = (op == OP_GET ? vn_table_get_view
					      : vn_table_next_view)(
				&v, p, cols, r->col, r->suf, r->len, &in);
		if (!found) {
			cur.col = cols->mincol;
			cur.len = 0;
			continue;
		}
		acc += t == T_HIST ? hist_lookup(st, &in)
				   : table_lookup(st, &in, p);
		if (op == OP_WALK) {
			cur.col = in.col;
			cur.suf[0] = st->rows[in.pos].index;
			cur.suf[1] = in.sample;
			cur.len = t == T_HIST ? 2 : 1;
		}
	}
	sink += acc;
	return (double)(now_ns() - t0) / (double)iters;
}

/* ---- the net-snmp handler path ---- */

static netsnmp_handler_registration *reg_of(const oid *name, size_t len)
{
	netsnmp_subtree *sub = netsnmp_subtree_find(name, len, NULL, "");

	return sub ? sub->reginfo : NULL;
}

struct hpath {
	netsnmp_handler_registration *hist, *table, *scalars;
	netsnmp_agent_session asp;
	netsnmp_pdu pdu;
	netsnmp_agent_request_info reqinfo;
	netsnmp_request_info req;
	netsnmp_variable_list *vb;
	long answered;
};

static size_t req_oid(enum table t, const struct req *r, oid *name)
{
	size_t len = ROOT_LEN;

	memcpy(name, vnet_root, sizeof(vnet_root));
	name[len++] = 1; /* vnetObjects */
	if (t == T_SCALAR) {
		name[len++] = 1; /* vnetScalars */
		name[len++] = 1; /* vnetNumber */
		name[len++] = 0;
		return len;
	}
	name[len++] = t == T_HIST ? 3 : 2;
	name[len++] = 1; /* the Entry */
	name[len++] = r->col;
	for (size_t i = 0; i < r->len; i++)
		name[len++] = r->suf[i];
	return len;
}

/* The table's Entry: where a walk of it starts. */
static size_t entry_oid(enum table t, oid *name)
{
	memcpy(name, vnet_root, sizeof(vnet_root));
	name[ROOT_LEN] = 1;
	name[ROOT_LEN + 1] = t == T_HIST ? 3 : 2;
	name[ROOT_LEN + 2] = 1;
	return ROOT_LEN + 3;
}

/* One varbind, one request: the helpers and the agent's handler. */
static void call_one(struct hpath *h, netsnmp_handler_registration *reg,
		     int mode, const oid *name, size_t len)
{
	netsnmp_variable_list *vb = h->vb;

	snmp_set_var_objid(vb, name, len);
	snmp_set_var_typed_value(vb, ASN_NULL, NULL, 0);
	h->req.processed = 0;
	h->req.status = SNMP_ERR_NOERROR;
	h->pdu.reqid++;
	h->reqinfo.mode = mode;
	netsnmp_call_handlers(reg, &h->reqinfo, &h->req);
	if (vb->type != ASN_NULL && vb->type != SNMP_NOSUCHINSTANCE &&
	    vb->type != SNMP_NOSUCHOBJECT && h->req.status == 0)
		h->answered++;
	netsnmp_free_request_data_sets(&h->req);
}

static double handler_run(struct hpath *h, enum table t, enum op op,
			  const struct req *reqs, long iters)
{
	netsnmp_handler_registration *reg = t == T_HIST	   ? h->hist
					    : t == T_TABLE ? h->table
							   : h->scalars;
	int mode = op == OP_GET ? MODE_GET : MODE_GETNEXT;
	oid name[MAX_OID_LEN], walk[MAX_OID_LEN];
	size_t len, walk_len = entry_oid(t, walk);
	int64_t t0 = now_ns();

	for (long i = 0; i < iters; i++) {
		if (op == OP_WALK) {
			if (i % WALK_RUN == 0)
				walk_len = req_oid(
					t, &reqs[(i / WALK_RUN) % NREQ], walk);
			call_one(h, reg, mode, walk, walk_len);
			/* Past the table: start over at the table's root. */
			if (h->vb->type == ASN_NULL ||
			    snmp_oid_compare(h->vb->name, ROOT_LEN + 2, walk,
					     ROOT_LEN + 2) != 0) {
				walk_len = entry_oid(t, walk);
				continue;
			}
			walk_len = h->vb->name_length;
			memcpy(walk, h->vb->name, walk_len * sizeof(oid));
			continue;
		}
		len = req_oid(t, &reqs[i % NREQ], name);
		call_one(h, reg, mode, name, len);
	}
	return (double)(now_ns() - t0) / (double)iters;
}

static int hpath_init(struct hpath *h, struct vn_store *live)
{
	oid name[MAX_OID_LEN];
	struct req r = { .col = 2, .len = 0 };

	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID,
			       NETSNMP_DS_LIB_DONT_READ_CONFIGS, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID,
			       NETSNMP_DS_LIB_DISABLE_PERSISTENT_LOAD, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID,
			       NETSNMP_DS_LIB_DISABLE_PERSISTENT_SAVE, 1);
	setenv("MIBS", "", 1);
	snmp_disable_log();
	snmp_enable_stderrlog();
	/* A master with no transport: init_master_agent() is never called. */
	netsnmp_ds_set_boolean(NETSNMP_DS_APPLICATION_ID, NETSNMP_DS_AGENT_ROLE,
			       0);
	if (init_agent("vnet-handler-bench") != 0)
		return -1;
	if (vn_snmp_tables_register(live) < 0)
		return -1;

	h->hist = reg_of(name, req_oid(T_HIST, &r, name));
	h->table = reg_of(name, req_oid(T_TABLE, &r, name));
	h->scalars = reg_of(name, req_oid(T_SCALAR, &r, name));
	if (!h->hist || !h->table || !h->scalars)
		return -1;

	h->vb = calloc(1, sizeof(*h->vb));
	if (!h->vb)
		return -1;
	h->pdu.command = SNMP_MSG_GET;
	h->asp.pdu = &h->pdu;
	h->reqinfo.asp = &h->asp;
	h->req.requestvb = h->vb;
	h->req.agent_req_info = &h->reqinfo;
	return 0;
}

/* ---- the measurements ---- */

struct bench {
	const char *path;
	enum table t;
	enum op op;
	const char *what;
	long iters; /* per trial, at scale 1 */
};

static const struct bench benches[] = {
	{ "pure", T_HIST, OP_GET, "vnetHistoryTable GET", 2000000 },
	{ "pure", T_HIST, OP_NEXT, "vnetHistoryTable GETNEXT", 2000000 },
	{ "pure", T_HIST, OP_WALK, "vnetHistoryTable GETNEXT walk", 2000000 },
	{ "pure", T_TABLE, OP_GET, "vnetTable GET", 1000000 },
	{ "pure", T_TABLE, OP_NEXT, "vnetTable GETNEXT", 1000000 },
	{ "pure", T_TABLE, OP_WALK, "vnetTable GETNEXT walk", 1000000 },
	{ "pure", T_SCALAR, OP_GET, "vnetNumber.0 GET", 20000 },
	{ "handler", T_HIST, OP_GET, "vnetHistoryTable GET", 200000 },
	{ "handler", T_HIST, OP_NEXT, "vnetHistoryTable GETNEXT", 200000 },
	{ "handler", T_HIST, OP_WALK, "vnetHistoryTable GETNEXT walk", 200000 },
	{ "handler", T_TABLE, OP_GET, "vnetTable GET", 200000 },
	{ "handler", T_TABLE, OP_NEXT, "vnetTable GETNEXT", 200000 },
	{ "handler", T_TABLE, OP_WALK, "vnetTable GETNEXT walk", 200000 },
	{ "handler", T_SCALAR, OP_GET, "vnetNumber.0 GET", 20000 },
};
#define NBENCH (sizeof(benches) / sizeof(benches[0]))

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Callgrind mode: count each figure's instructions on their own. */
static void cg_start(void)
{
#ifdef HAVE_CALLGRIND
	CALLGRIND_ZERO_STATS;
#endif
}

static void cg_dump(const struct bench *bn, unsigned long n, long iters)
{
#ifdef HAVE_CALLGRIND
	char label[128];

	snprintf(label, sizeof(label), "%s|%s|%lu|%ld", bn->path, bn->what, n,
		 iters);
	CALLGRIND_DUMP_STATS_AT(label);
#else
	(void)bn;
	(void)n;
	(void)iters;
#endif
}

static double minimum(const double *v, int n)
{
	double m = v[0];

	for (int i = 1; i < n; i++)
		if (v[i] < m)
			m = v[i];
	return m;
}

/*
 * Check the harness: a walk of each table through the handlers, from its
 * Entry to the first answer outside it, must see every instance once.
 */
static int check_walk(struct hpath *h, enum table t, size_t n)
{
	netsnmp_handler_registration *reg = t == T_HIST ? h->hist : h->table;
	unsigned long want = t == T_HIST ? n * VN_HISTORY * 7 : n * 16;
	unsigned long got = 0;
	oid name[MAX_OID_LEN], entry[MAX_OID_LEN];
	size_t len = entry_oid(t, name);

	entry_oid(t, entry);
	for (;;) {
		call_one(h, reg, MODE_GETNEXT, name, len);
		if (h->vb->type == ASN_NULL ||
		    snmp_oid_compare(h->vb->name, ROOT_LEN + 3, entry,
				     ROOT_LEN + 3) != 0 ||
		    snmp_oid_compare(h->vb->name, h->vb->name_length, name,
				     len) <= 0)
			break;
		got++;
		len = h->vb->name_length;
		memcpy(name, h->vb->name, len * sizeof(oid));
	}
	printf("# check: a walk of %s through the handlers at %zu networks "
	       "saw %lu instances (expected %lu)\n",
	       t == T_HIST ? "vnetHistoryTable" : "vnetTable", n, got, want);
	return got == want ? 0 : -1;
}

static void usage(FILE *f)
{
	fprintf(f, "Usage: handler-bench [-s SEED] [-t TRIALS] [-k SCALE]"
		   " [-a NETS] [-b NETS]\n"
		   "  -s SEED    random seed (default 1)\n"
		   "  -t TRIALS  trials per figure (default 5)\n"
		   "  -k SCALE   iterations multiplier, e.g. 0.1 (default 1)\n"
		   "  -a, -b     the two sizes (default 10 and 1000)\n"
		   "  -c ITERS   callgrind mode: one dump per figure\n");
}

int main(int argc, char **argv)
{
	static struct req reqs[2][NBENCH][NREQ];
	static double res[2][NBENCH][MAX_TRIALS];
	unsigned long seed = 1, sizes[2] = { 10, 1000 };
	int trials = 5, c;
	long cg_iters = 0;
	double scale = 1.0;
	struct vn_store st[2], live;
	struct hpath h = { 0 };

	while ((c = getopt(argc, argv, "s:t:k:a:b:c:h")) != -1) {
		switch (c) {
		case 's':
			seed = strtoul(optarg, NULL, 0);
			break;
		case 't':
			trials = atoi(optarg);
			break;
		case 'k':
			scale = atof(optarg);
			break;
		case 'a':
			sizes[0] = strtoul(optarg, NULL, 0);
			break;
		case 'b':
			sizes[1] = strtoul(optarg, NULL, 0);
			break;
		case 'c':
			cg_iters = strtol(optarg, NULL, 0);
			trials = 1;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (cg_iters < 0 || trials < 1 || trials > MAX_TRIALS || scale <= 0 ||
	    !sizes[0] || !sizes[1] || sizes[0] > 1000000 ||
	    sizes[1] > 1000000) {
		usage(stderr);
		return 2;
	}
	rng_state = seed ? seed : 1;

	for (int s = 0; s < 2; s++) {
		if (build_store(&st[s], sizes[s]) < 0) {
			fprintf(stderr, "handler-bench: out of memory\n");
			return 1;
		}
		for (size_t b = 0; b < NBENCH; b++)
			for (int i = 0; i < NREQ; i++)
				draw(&st[s], benches[b].t, &reqs[s][b][i]);
	}
	if (vn_store_init(&live) < 0 || hpath_init(&h, &live) < 0) {
		fprintf(stderr, "handler-bench: cannot set up net-snmp's agent"
				" library and the registrations\n");
		return 1;
	}

	for (int s = 0; s < 2; s++) {
		show_store(&live, &st[s]);
		if (check_walk(&h, T_HIST, sizes[s]) < 0 ||
		    check_walk(&h, T_TABLE, sizes[s]) < 0) {
			fprintf(stderr, "handler-bench: the handler path does "
					"not walk the tables right\n");
			return 1;
		}
	}

	for (int tr = 0; tr < trials; tr++) {
		for (size_t b = 0; b < NBENCH; b++) {
			const struct bench *bn = &benches[b];
			long iters = (long)(bn->iters * scale);

			if (iters < 1000)
				iters = 1000;
			if (cg_iters)
				iters = cg_iters;
			for (int s = 0; s < 2; s++) {
				const struct req *rq = reqs[s][b];

				cg_start();
				if (strcmp(bn->path, "pure") == 0) {
					res[s][b][tr] =
						pure_run(&st[s], bn->t, bn->op,
							 rq, iters);
					cg_dump(bn, sizes[s], iters);
					continue;
				}
				show_store(&live, &st[s]);
				h.answered = 0;
				res[s][b][tr] = handler_run(&h, bn->t, bn->op,
							    rq, iters);
				cg_dump(bn, sizes[s], iters);
				if (h.answered < iters * 9 / 10) {
					fprintf(stderr,
						"handler-bench: %s %s:"
						" only %ld of %ld varbinds "
						"answered\n",
						bn->path, bn->what, h.answered,
						iters);
					return 1;
				}
			}
		}
	}

	printf("# handler-bench: seed %lu, %d trials; ns per varbind, min and "
	       "median over trials\n",
	       seed, trials);
	printf("# A = %lu networks, B = %lu networks, full history each\n",
	       sizes[0], sizes[1]);
	printf("%-8s %-30s %9s %9s %7s %9s %9s %7s\n", "path", "operation",
	       "A_min", "B_min", "B/A", "A_med", "B_med", "B/A");
	for (size_t b = 0; b < NBENCH; b++) {
		double amin = minimum(res[0][b], trials);
		double bmin = minimum(res[1][b], trials);
		double amed = median(res[0][b], trials);
		double bmed = median(res[1][b], trials);

		printf("%-8s %-30s %9.1f %9.1f %7.3f %9.1f %9.1f %7.3f\n",
		       benches[b].path, benches[b].what, amin, bmin,
		       bmin / amin, amed, bmed, bmed / amed);
	}
	show_store(&live, &st[0]);
	return 0;
}
