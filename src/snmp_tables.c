/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * snmp_tables.c - the handlers for vnetScalars, vnetTable and
 * vnetHistoryTable.
 *
 * Raw table handlers: column and index come straight from the request's
 * OID, and GET and GETNEXT are computed by oidnext.c (the store's index
 * map over networks, arithmetic over samples).
 * Each call holds the store's lock for its duration and reads the sample
 * the request is pinned to.
 */
#include <config.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>

#include "oidnext.h"
#include "snmp_tables.h"
#include "timefmt.h"

_Static_assert(sizeof(oid) == sizeof(vn_oid), "oid width");

enum {
	COL_NAME = 2,
	COL_IFINDEX,
	COL_TYPE,
	COL_PORTCOUNT,
	COL_BYTES_SENT,
	COL_BYTES_RECV,
	COL_PKTS_SENT,
	COL_PKTS_RECV,
	COL_PKTS_DROPPED,
	COL_BYTES_SENT_MAX,
	COL_BYTES_SENT_AVG,
	COL_BYTES_RECV_MAX,
	COL_BYTES_RECV_AVG,
	COL_BYTES_SENT_TOTAL,
	COL_BYTES_RECV_TOTAL,
	COL_DISC_TIME,
};

enum {
	HCOL_TIME = 2,
	HCOL_STATUS,
	HCOL_BYTES_SENT,
	HCOL_BYTES_RECV,
	HCOL_PKTS_SENT,
	HCOL_PKTS_RECV,
	HCOL_PKTS_DROPPED,
};

enum {
	SC_NUMBER = 1,
	SC_CURRENT_SAMPLE,
	SC_HISTORY_SIZE,
};

static const struct vn_cols table_cols = { COL_NAME, COL_DISC_TIME };
static const struct vn_cols hist_cols = { HCOL_TIME, HCOL_PKTS_DROPPED };

static struct vn_store *store;

/* ---- value setters ---- */

static void set_u64(netsnmp_variable_list *vb, uint64_t v)
{
	struct counter64 c = { .high = (u_long)(v >> 32),
			       .low = (u_long)(v & 0xffffffffu) };

	snmp_set_var_typed_value(vb, ASN_COUNTER64, &c, sizeof(c));
}

static void set_int(netsnmp_variable_list *vb, u_char type, long v)
{
	snmp_set_var_typed_value(vb, type, &v, sizeof(v));
}

static void set_time(netsnmp_variable_list *vb, int64_t unix_ms)
{
	uint8_t buf[VN_DATEANDTIME_LEN];
	size_t len = vn_dateandtime(unix_ms, buf);

	snmp_set_var_typed_value(vb, ASN_OCTET_STR, buf, len);
}

/* The sample this request reads: the same for all its varbinds. */
static uint32_t pin(netsnmp_agent_request_info *reqinfo)
{
	netsnmp_agent_session *asp = reqinfo->asp;
	long reqid = asp && asp->pdu ? asp->pdu->reqid : 0;

	return vn_store_pin(store, (uintptr_t)asp, reqid);
}

/* ---- vnetTable ---- */

/*
 * The row's first/last come from rows[] (the store's copy, in step with
 * the ring under the lock, and already read by oidnext), not from the
 * ring: at 1,000 networks each line of a network touched is a cache miss.
 */
static void table_value(netsnmp_variable_list *vb, unsigned col,
			const struct vn_net *net, const struct vn_oidrow *orow,
			uint32_t p)
{
	const struct vn_row *row;
	struct vn_summary sum;

	if (orow->last == 0 || p < orow->first || p > orow->last) {
		/* Cannot happen for a visible row; be explicit if it does. */
		snmp_set_var_typed_value(vb, SNMP_NOSUCHINSTANCE, NULL, 0);
		return;
	}
	row = vn_ring_row(&net->ring, p);
	switch (col) {
	case COL_NAME:
		snmp_set_var_typed_value(vb, ASN_OCTET_STR, net->name,
					 strlen(net->name));
		return;
	case COL_IFINDEX:
		set_int(vb, ASN_INTEGER, row->ifindex);
		return;
	case COL_TYPE:
		set_int(vb, ASN_INTEGER, net->type);
		return;
	case COL_PORTCOUNT:
		set_int(vb, ASN_GAUGE, row->ports);
		return;
	case COL_BYTES_SENT:
		set_u64(vb, row->a.bytes_sent);
		return;
	case COL_BYTES_RECV:
		set_u64(vb, row->a.bytes_recv);
		return;
	case COL_PKTS_SENT:
		set_u64(vb, row->a.pkts_sent);
		return;
	case COL_PKTS_RECV:
		set_u64(vb, row->a.pkts_recv);
		return;
	case COL_PKTS_DROPPED:
		set_u64(vb, row->a.pkts_dropped);
		return;
	case COL_BYTES_SENT_TOTAL:
		set_u64(vb, row->total_sent);
		return;
	case COL_BYTES_RECV_TOTAL:
		set_u64(vb, row->total_recv);
		return;
	case COL_DISC_TIME:
		set_time(vb, row->disc_ms);
		return;
	}
	vn_ring_summary(&net->ring, p, &sum);
	switch (col) {
	case COL_BYTES_SENT_MAX:
		set_u64(vb, sum.sent_max);
		return;
	case COL_BYTES_SENT_AVG:
		set_u64(vb, sum.sent_avg);
		return;
	case COL_BYTES_RECV_MAX:
		set_u64(vb, sum.recv_max);
		return;
	case COL_BYTES_RECV_AVG:
		set_u64(vb, sum.recv_avg);
		return;
	}
}

/* ---- vnetHistoryTable ---- */

/* oidnext has found sample within the row's first..last (rows[]). */
static void hist_value(netsnmp_variable_list *vb, unsigned col,
		       const struct vn_net *net, uint32_t sample)
{
	const struct vn_row *row = vn_ring_row(&net->ring, sample);

	switch (col) {
	case HCOL_TIME:
		set_time(vb, vn_clock_time(&store->clock, sample));
		return;
	case HCOL_STATUS:
		set_int(vb, ASN_INTEGER,
			vn_clock_status(&store->clock, sample));
		return;
	case HCOL_BYTES_SENT:
		set_u64(vb, row->a.bytes_sent);
		return;
	case HCOL_BYTES_RECV:
		set_u64(vb, row->a.bytes_recv);
		return;
	case HCOL_PKTS_SENT:
		set_u64(vb, row->a.pkts_sent);
		return;
	case HCOL_PKTS_RECV:
		set_u64(vb, row->a.pkts_recv);
		return;
	case HCOL_PKTS_DROPPED:
		set_u64(vb, row->a.pkts_dropped);
		return;
	}
}

/* ---- the shared request loop ---- */

typedef int (*find_fn)(const struct vn_oidview *v, uint32_t pinned,
		       const struct vn_cols *cols, unsigned col,
		       const vn_oid *suffix, size_t len, struct vn_inst *out);

struct table_kind {
	const struct vn_cols *cols;
	find_fn get;
	find_fn next;
	bool two_indexes; /* vnetHistoryTable: index and sample */
};

/* Point vb at the instance found: entry.col.index[.sample]. */
static void set_instance_oid(netsnmp_variable_list *vb,
			     netsnmp_handler_registration *reg,
			     const struct table_kind *kind,
			     const struct vn_inst *in)
{
	oid name[MAX_OID_LEN];
	size_t len = reg->rootoid_len;

	memcpy(name, reg->rootoid, len * sizeof(oid));
	name[len++] = 1; /* the Entry */
	name[len++] = in->col;
	name[len++] = store->rows[in->pos].index;
	if (kind->two_indexes)
		name[len++] = in->sample;
	snmp_set_var_objid(vb, name, len);
}

static void fill(netsnmp_variable_list *vb, const struct table_kind *kind,
		 const struct vn_inst *in, uint32_t p)
{
	const struct vn_net *net = store->nets[in->pos];

	if (kind->two_indexes)
		hist_value(vb, in->col, net, in->sample);
	else
		table_value(vb, in->col, net, &store->rows[in->pos], p);
}

/*
 * GET: noSuchObject outside the table's columns, noSuchInstance for a row
 * or sample that is not there.
 */
static void get_one(netsnmp_request_info *req,
		    netsnmp_handler_registration *reg,
		    const struct table_kind *kind, uint32_t p)
{
	netsnmp_variable_list *vb = req->requestvb;
	struct vn_oidview v = vn_store_view(store);
	const vn_oid *suffix;
	struct vn_inst in;
	size_t slen;
	unsigned col;

	if (vn_table_locate(reg->rootoid, reg->rootoid_len, vb->name,
			    vb->name_length, &col, &suffix,
			    &slen) != VN_INSIDE ||
	    col < kind->cols->mincol || col > kind->cols->maxcol) {
		netsnmp_set_request_error(NULL, req, SNMP_NOSUCHOBJECT);
		return;
	}
	if (!kind->get(&v, p, kind->cols, col, suffix, slen, &in)) {
		netsnmp_set_request_error(NULL, req, SNMP_NOSUCHINSTANCE);
		return;
	}
	fill(vb, kind, &in, p);
}

/*
 * GETNEXT: the first instance strictly greater than the request (or equal
 * to it, for an inclusive AgentX search range). No successor here leaves
 * vb untouched, and the agent moves on to what is registered after us.
 */
static void next_one(netsnmp_request_info *req,
		     netsnmp_handler_registration *reg,
		     const struct table_kind *kind, uint32_t p)
{
	netsnmp_variable_list *vb = req->requestvb;
	struct vn_oidview v = vn_store_view(store);
	const vn_oid *suffix = NULL;
	struct vn_inst in;
	size_t slen = 0;
	unsigned col = 0;
	int found;

	switch (vn_table_locate(reg->rootoid, reg->rootoid_len, vb->name,
				vb->name_length, &col, &suffix, &slen)) {
	case VN_AFTER:
		return;
	case VN_BEFORE:
		col = 0;
		slen = 0;
		break;
	case VN_INSIDE:
		break;
	}
	found = req->inclusive &&
		kind->get(&v, p, kind->cols, col, suffix, slen, &in);
	if (!found)
		found = kind->next(&v, p, kind->cols, col, suffix, slen, &in);
	if (!found)
		return;
	set_instance_oid(vb, reg, kind, &in);
	fill(vb, kind, &in, p);
}

static int table_handler(netsnmp_mib_handler *handler,
			 netsnmp_handler_registration *reg,
			 netsnmp_agent_request_info *reqinfo,
			 netsnmp_request_info *requests)
{
	const struct table_kind *kind = handler->myvoid;
	uint32_t p;

	if (reqinfo->mode != MODE_GET && reqinfo->mode != MODE_GETNEXT)
		return SNMP_ERR_NOERROR;

	vn_store_lock(store);
	p = pin(reqinfo);
	for (netsnmp_request_info *r = requests; r; r = r->next) {
		if (r->processed)
			continue;
		if (reqinfo->mode == MODE_GET)
			get_one(r, reg, kind, p);
		else
			next_one(r, reg, kind, p);
	}
	vn_store_unlock(store);
	return SNMP_ERR_NOERROR;
}

/* ---- scalars ---- */

static void scalar_value(netsnmp_variable_list *vb, oid which, uint32_t p)
{
	switch (which) {
	case SC_NUMBER:
		set_int(vb, ASN_GAUGE, vn_store_count(store, p));
		return;
	case SC_CURRENT_SAMPLE:
		set_int(vb, ASN_UNSIGNED, p);
		return;
	case SC_HISTORY_SIZE:
		set_int(vb, ASN_UNSIGNED, VN_HISTORY);
		return;
	}
}

static int scalars_handler(netsnmp_mib_handler *handler,
			   netsnmp_handler_registration *reg,
			   netsnmp_agent_request_info *reqinfo,
			   netsnmp_request_info *requests)
{
	uint32_t p;

	(void)handler;
	(void)reg;
	/*
	 * The scalar group and instance helpers have already turned GETNEXT
	 * into GET of the right instance and checked it: the name is
	 * vnetScalars.X.0.
	 */
	if (reqinfo->mode != MODE_GET)
		return SNMP_ERR_NOERROR;

	vn_store_lock(store);
	p = pin(reqinfo);
	for (netsnmp_request_info *r = requests; r; r = r->next) {
		netsnmp_variable_list *vb = r->requestvb;

		if (r->processed || vb->name_length < 2)
			continue;
		scalar_value(vb, vb->name[vb->name_length - 2], p);
	}
	vn_store_unlock(store);
	return SNMP_ERR_NOERROR;
}

/* ---- registration ---- */

static const oid scalars_oid[] = { VN_MIB_ROOT, 1, 1 };
static const oid table_oid[] = { VN_MIB_ROOT, 1, 2 };
static const oid hist_oid[] = { VN_MIB_ROOT, 1, 3 };

static struct table_kind table_kind = {
	.cols = &table_cols,
	.get = vn_table_get_view,
	.next = vn_table_next_view,
};
static struct table_kind hist_kind = {
	.cols = &hist_cols,
	.get = vn_hist_get_view,
	.next = vn_hist_next_view,
	.two_indexes = true,
};

static int register_scalars(void)
{
	netsnmp_handler_registration *reg = netsnmp_create_handler_registration(
		"vnetScalars", scalars_handler, scalars_oid,
		OID_LENGTH(scalars_oid), HANDLER_CAN_RONLY);

	if (!reg)
		return -1;
	return netsnmp_register_scalar_group(reg, SC_NUMBER, SC_HISTORY_SIZE) ==
			       MIB_REGISTERED_OK
		       ? 0
		       : -1;
}

/*
 * A plain handler on the table's subtree, without net-snmp's table helper:
 * the helper allocated and parsed per varbind (about 3,700 instructions,
 * more than all the rest of our handler), and oidnext.c works on the raw
 * index suffix anyway.
 */
static int register_table(const char *name, const oid *root, size_t len,
			  struct table_kind *kind)
{
	netsnmp_handler_registration *reg;

	reg = netsnmp_create_handler_registration(name, table_handler, root,
						  len, HANDLER_CAN_RONLY);
	if (!reg)
		return -1;
	reg->handler->myvoid = kind;
	return netsnmp_register_handler(reg) == MIB_REGISTERED_OK ? 0 : -1;
}

int vn_snmp_tables_register(struct vn_store *s)
{
	store = s;
	if (register_scalars() < 0)
		return -1;
	if (register_table("vnetTable", table_oid, OID_LENGTH(table_oid),
			   &table_kind) < 0)
		return -1;
	return register_table("vnetHistoryTable", hist_oid,
			      OID_LENGTH(hist_oid), &hist_kind);
}
