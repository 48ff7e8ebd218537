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
static bool check_only;
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

/*
 * net-snmp frees our settings before it reads the files (and at
 * shutdown): start from scratch. Once the agent runs, the configuration
 * belongs to the sampler and config is NULL here.
 */
static void reset(void)
{
	if (!config)
		return;
	vn_config_free(config);
	vn_config_init(config);
}

static void count_errors_start(void)
{
	errors = 0;
	snmp_register_callback(SNMP_CALLBACK_LIBRARY, SNMP_CALLBACK_LOGGING,
			       count_error, NULL);
	error_counter = netsnmp_register_loghandler(NETSNMP_LOGHANDLER_CALLBACK,
						    LOG_ERR);
}

static void count_errors_stop(void)
{
	if (error_counter)
		netsnmp_remove_loghandler(error_counter);
	error_counter = NULL;
	snmp_unregister_callback(SNMP_CALLBACK_LIBRARY, SNMP_CALLBACK_LOGGING,
				 count_error, NULL, 1);
}

static void check_state_dir(void)
{
	char err[512];

	if (errors == 0 && vn_state_check_dir(vn_config_state_dir(config), err,
					      sizeof(err)) < 0) {
		snmp_log(LOG_ERR, "vnetStateDir: %s\n", err);
		errors++;
	}
}

/*
 * Runs once the files are read, before the AgentX connection is opened:
 * registered at the highest priority, ahead of the subagent's own
 * callback that connects to the master.
 */
static int after_config(int major, int minor, void *server, void *client)
{
	(void)major;
	(void)minor;
	(void)server;
	(void)client;
	if (!config)
		return SNMPERR_SUCCESS;
	check_state_dir();
	count_errors_stop();
	if (errors) {
		snmp_log(LOG_ERR,
			 "vnet-agentx: configuration errors, not starting\n");
		exit(1);
	}
	if (check_only) {
		printf("vnet-agentx: configuration OK\n");
		exit(0);
	}
	return SNMPERR_SUCCESS;
}

void vn_snmp_config_register(struct vn_config *cfg, bool check)
{
	config = cfg;
	check_only = check;
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
	count_errors_start();
}

void vn_snmp_config_detach(void)
{
	config = NULL;
}

static void read_optional(const char *optional, const char *type)
{
	char *list = strdup(optional), *file, *save = NULL;

	if (!list)
		return;
	for (file = strtok_r(list, ",", &save); file;
	     file = strtok_r(NULL, ",", &save))
		read_config_with_type(file, type);
	free(list);
}

/*
 * The files init_snmp() reads, in its order: the default ones (none with
 * -C) and -c's list, which comes first when it starts with '-'.
 */
static void read_files(void)
{
	const char *optional = netsnmp_ds_get_string(
		NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_OPTIONALCONFIG);
	const char *type = netsnmp_ds_get_string(NETSNMP_DS_LIBRARY_ID,
						 NETSNMP_DS_LIB_APPTYPE);
	bool first = optional && *optional == '-';

	if (first && type)
		read_optional(optional + 1, type);
	read_config_files(NORMAL_CONFIG);
	if (optional && !first && type)
		read_optional(optional, type);
}

int vn_snmp_config_reread(struct vn_config *fresh)
{
	vn_config_init(fresh);
	config = fresh;
	count_errors_start();
	read_files();
	check_state_dir();
	count_errors_stop();
	config = NULL;
	return errors ? -1 : 0;
}
