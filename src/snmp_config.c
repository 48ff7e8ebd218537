/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * snmp_config.c - glue between net-snmp's config reader and directives.c.
 *
 * net-snmp reads the file and calls us per line; config_perror() prefixes
 * the file and line, so every error names where it is.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>

#include "snmp_config.h"
#include "statefile.h"

typedef int (*directive_fn)(struct vn_config *cfg, const char *args, char *err,
			    size_t errlen);

static struct vn_config *config;
static int errors;
static netsnmp_log_handler *error_counter;

/*
 * Every configuration error, ours or net-snmp's (a token with no
 * arguments: "Blank line following ... token"), is logged through
 * netsnmp_config_error() as "FILE: line N: Error: ...". net-snmp keeps
 * its count private, so count the messages while the files are read.
 */
static int count_error(int major, int minor, void *server, void *client)
{
	const struct snmp_log_message *m = server;

	(void)major;
	(void)minor;
	(void)client;
	if (m && m->msg && strstr(m->msg, ": Error: "))
		errors++;
	return SNMPERR_SUCCESS;
}

static void apply(directive_fn fn, char *line)
{
	char err[512];

	if (fn(config, line ? line : "", err, sizeof(err)) == 0)
		return;
	config_perror(err);
}

static void parse_include(const char *token, char *line)
{
	(void)token;
	apply(vn_config_include, line);
}

static void parse_exclude(const char *token, char *line)
{
	(void)token;
	apply(vn_config_exclude, line);
}

static void parse_network(const char *token, char *line)
{
	(void)token;
	apply(vn_config_network, line);
}

static void parse_statedir(const char *token, char *line)
{
	(void)token;
	apply(vn_config_statedir, line);
}

/* net-snmp frees our settings before a re-read: start from scratch. */
static void reset(void)
{
	vn_config_free(config);
	vn_config_init(config);
	errors = 0;
}

/*
 * Runs once the files are read, before the AgentX connection is opened:
 * registered at the highest priority, ahead of the subagent's own
 * callback that connects to the master.
 */
static int after_config(int major, int minor, void *server, void *client)
{
	char err[512];

	(void)major;
	(void)minor;
	(void)server;
	(void)client;
	if (errors == 0 && vn_state_check_dir(vn_config_state_dir(config), err,
					      sizeof(err)) < 0) {
		snmp_log(LOG_ERR, "vnetStateDir: %s\n", err);
		errors++;
	}
	if (error_counter) {
		netsnmp_remove_loghandler(error_counter);
		error_counter = NULL;
	}
	if (errors == 0)
		return SNMPERR_SUCCESS;
	snmp_log(LOG_ERR, "vnet-agentx: configuration errors, not starting\n");
	exit(1);
}

void vn_snmp_config_register(struct vn_config *cfg)
{
	config = cfg;
	register_app_config_handler("vnetInclude", parse_include, reset,
				    "GLOB [GLOB...]");
	register_app_config_handler("vnetExclude", parse_exclude, NULL,
				    "GLOB [GLOB...]");
	register_app_config_handler("vnetNetwork", parse_network, NULL,
				    "NAME IFACE-GLOB [IFACE-GLOB...]");
	register_app_config_handler("vnetStateDir", parse_statedir, NULL,
				    "PATH");
	netsnmp_register_callback(SNMP_CALLBACK_LIBRARY,
				  SNMP_CALLBACK_POST_READ_CONFIG, after_config,
				  NULL, NETSNMP_CALLBACK_HIGHEST_PRIORITY);
	snmp_register_callback(SNMP_CALLBACK_LIBRARY, SNMP_CALLBACK_LOGGING,
			       count_error, NULL);
	error_counter = netsnmp_register_loghandler(NETSNMP_LOGHANDLER_CALLBACK,
						    LOG_ERR);
}

int vn_snmp_config_errors(void)
{
	return errors;
}
