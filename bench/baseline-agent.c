/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * baseline-agent.c - the ceiling reference for the walk benchmark.
 *
 * A net-snmp AgentX subagent that serves one table shaped like
 * vnetHistoryTable - INDEX { network, sample }, columns 2..8, N networks of
 * 60 samples each - where every instance is a Counter64, and does nothing
 * else: no sampler thread, no lock, no table helper. It registers one raw
 * handler and computes GET and the GETNEXT successor by arithmetic on the
 * request OID, so each varbind costs O(1) and next to nothing. What a walk
 * of it achieves through snmpd is what AgentX itself allows.
 *
 * It lives under netSnmpPlaypen.2006 (VNET-MIB is .2005), at the same depth
 * as vnetHistoryTable, so the instance OIDs have the same length:
 *   1.3.6.1.4.1.8072.9999.9999.2006.1.3.1.COL.NET.SAMPLE
 *
 * Usage: baseline-agent -x unix:/path/agentx.sock [-n NETS] [-s FIRST]
 *                       [-p PING_S] [-L LOGFILE]
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>

#define APP_NAME "vnet-bench-baseline"

#define COL_MIN 2
#define COL_MAX 8
#define SAMPLES 60

static const oid table_oid[] = {
	1, 3, 6, 1, 4, 1, 8072, 9999, 9999, 2006, 1, 3
};
#define ROOT_LEN OID_LENGTH(table_oid)

static unsigned long nets = 100; /* networks 1..nets */
static unsigned long first = 1; /* samples first..first+59 */
static volatile sig_atomic_t stop;

struct inst {
	unsigned long col;
	unsigned long net;
	unsigned long sample;
};

static unsigned long last_sample(void)
{
	return first + SAMPLES - 1;
}

/* The first instance of column col (col <= COL_MAX). */
static void col_start(struct inst *in, unsigned long col)
{
	in->col = col;
	in->net = 1;
	in->sample = first;
}

/* The instance after (col, net, last sample), if any. */
static bool after_row(struct inst *in, unsigned long col, unsigned long net)
{
	if (net < nets) {
		in->col = col;
		in->net = net + 1;
		in->sample = first;
		return true;
	}
	if (col < COL_MAX) {
		col_start(in, col + 1);
		return true;
	}
	return false;
}

/*
 * The first instance strictly greater than name, which is at or below the
 * table's root (the caller checked the root prefix).
 */
static bool successor(const oid *name, size_t len, struct inst *in)
{
	const oid *s = name + ROOT_LEN;
	size_t n = len - ROOT_LEN;
	unsigned long col, net;

	/* table itself, or table.0: before every instance */
	if (n == 0 || s[0] < 1) {
		col_start(in, COL_MIN);
		return true;
	}
	if (s[0] > 1)
		return false;
	if (n == 1 || s[1] < COL_MIN) {
		col_start(in, COL_MIN);
		return true;
	}
	if (s[1] > COL_MAX)
		return false;
	col = s[1];
	if (n == 2 || s[2] < 1) {
		col_start(in, col);
		return true;
	}
	if (s[2] > nets) {
		if (col == COL_MAX)
			return false;
		col_start(in, col + 1);
		return true;
	}
	net = s[2];
	/* [net] alone, or [net, s] with s below the window: the row's first */
	if (n == 3 || s[3] < first) {
		in->col = col;
		in->net = net;
		in->sample = first;
		return true;
	}
	/* [net, s, ...] with s inside: the next sample, or the next row */
	if (s[3] < last_sample()) {
		in->col = col;
		in->net = net;
		in->sample = s[3] + 1;
		return true;
	}
	return after_row(in, col, net);
}

static bool exact(const oid *name, size_t len, struct inst *in)
{
	const oid *s = name + ROOT_LEN;

	if (len != ROOT_LEN + 4 || s[0] != 1 || s[1] < COL_MIN ||
	    s[1] > COL_MAX || s[2] < 1 || s[2] > nets || s[3] < first ||
	    s[3] > last_sample())
		return false;
	in->col = s[1];
	in->net = s[2];
	in->sample = s[3];
	return true;
}

static void set_value(netsnmp_variable_list *vb, const struct inst *in)
{
	/* Some number that is not always zero; the encoding is 8 octets in
	 * AgentX whatever the value. */
	uint64_t v = (uint64_t)in->net * 1000 + in->sample + in->col;
	struct counter64 c = { .high = (u_long)(v >> 32),
			       .low = (u_long)(v & 0xffffffffu) };

	snmp_set_var_typed_value(vb, ASN_COUNTER64, &c, sizeof(c));
}

static void set_name(netsnmp_variable_list *vb, const struct inst *in)
{
	oid name[ROOT_LEN + 4];

	memcpy(name, table_oid, sizeof(table_oid));
	name[ROOT_LEN] = 1;
	name[ROOT_LEN + 1] = in->col;
	name[ROOT_LEN + 2] = in->net;
	name[ROOT_LEN + 3] = in->sample;
	snmp_set_var_objid(vb, name, ROOT_LEN + 4);
}

/* name sorts before the root, is under it (0), or after its subtree. */
static int vs_root(const oid *name, size_t len)
{
	size_t n = len < ROOT_LEN ? len : ROOT_LEN;
	int c = snmp_oid_compare(name, n, table_oid, ROOT_LEN);

	if (c == 0 && len < ROOT_LEN)
		return -1;
	return c;
}

static int handler(netsnmp_mib_handler *h, netsnmp_handler_registration *reg,
		   netsnmp_agent_request_info *reqinfo,
		   netsnmp_request_info *requests)
{
	(void)h;
	(void)reg;
	for (netsnmp_request_info *r = requests; r; r = r->next) {
		netsnmp_variable_list *vb = r->requestvb;
		struct inst in;
		int where;

		if (r->processed)
			continue;
		where = vs_root(vb->name, vb->name_length);
		switch (reqinfo->mode) {
		case MODE_GET:
			if (where == 0 && exact(vb->name, vb->name_length, &in))
				set_value(vb, &in);
			else
				netsnmp_set_request_error(reqinfo, r,
							  SNMP_NOSUCHINSTANCE);
			break;
		case MODE_GETNEXT:
			/* No successor: leave vb alone, the agent moves on. */
			if (where > 0 || nets == 0)
				break;
			if (where < 0)
				col_start(&in, COL_MIN);
			else if (!successor(vb->name, vb->name_length, &in))
				break;
			set_name(vb, &in);
			set_value(vb, &in);
			break;
		default:
			break;
		}
	}
	return SNMP_ERR_NOERROR;
}

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void usage(FILE *f)
{
	fprintf(f, "Usage: " APP_NAME " -x AGENTX_SOCKET [-n NETS] [-s FIRST]"
		   " [-p PING_S] [-L LOGFILE]\n");
}

static int parse_ulong(const char *s, unsigned long *out)
{
	char *end;

	errno = 0;
	*out = strtoul(s, &end, 10);
	return (errno || end == s || *end) ? -1 : 0;
}

int main(int argc, char **argv)
{
	const char *sock = NULL, *logfile = NULL;
	unsigned long ping = 5;
	netsnmp_handler_registration *reg;
	struct sigaction sa;
	int c;

	while ((c = getopt(argc, argv, "x:n:s:p:L:h")) != -1) {
		switch (c) {
		case 'x':
			sock = optarg;
			break;
		case 'n':
			if (parse_ulong(optarg, &nets) < 0 ||
			    nets > 2147483647UL)
				goto bad;
			break;
		case 's':
			if (parse_ulong(optarg, &first) < 0 || first < 1 ||
			    first > 4294967295UL - SAMPLES)
				goto bad;
			break;
		case 'p':
			if (parse_ulong(optarg, &ping) < 0)
				goto bad;
			break;
		case 'L':
			logfile = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			goto bad;
		}
	}
	if (!sock || optind != argc)
		goto bad;

	if (logfile)
		snmp_enable_filelog(logfile, 1);
	else
		snmp_enable_stderrlog();

	/* The same start-up as vnet-agentx: subagent, no config files, no
	 * persistent state, no MIB text. */
	netsnmp_ds_set_boolean(NETSNMP_DS_APPLICATION_ID, NETSNMP_DS_AGENT_ROLE,
			       1);
	netsnmp_ds_set_string(NETSNMP_DS_APPLICATION_ID,
			      NETSNMP_DS_AGENT_X_SOCKET, sock);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID,
			       NETSNMP_DS_LIB_DONT_READ_CONFIGS, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID,
			       NETSNMP_DS_LIB_DISABLE_PERSISTENT_LOAD, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID,
			       NETSNMP_DS_LIB_DISABLE_PERSISTENT_SAVE, 1);
	setenv("MIBS", "", 1);

	init_agent(APP_NAME);
	netsnmp_ds_set_int(NETSNMP_DS_APPLICATION_ID,
			   NETSNMP_DS_AGENT_AGENTX_PING_INTERVAL, (int)ping);
	reg = netsnmp_create_handler_registration("benchHistoryTable", handler,
						  table_oid, ROOT_LEN,
						  HANDLER_CAN_RONLY);
	if (!reg || netsnmp_register_handler(reg) != MIB_REGISTERED_OK) {
		snmp_log(LOG_ERR, "cannot register the table\n");
		return 1;
	}
	init_snmp(APP_NAME);

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal; /* no SA_RESTART: select returns */
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	snmp_log(LOG_INFO,
		 APP_NAME ": %lu networks x %d samples x %d columns"
			  " = %lu instances\n",
		 nets, SAMPLES, COL_MAX - COL_MIN + 1,
		 nets * SAMPLES * (COL_MAX - COL_MIN + 1));
	while (!stop)
		agent_check_and_process(1);
	snmp_shutdown(APP_NAME);
	return 0;
bad:
	usage(stderr);
	return 2;
}
