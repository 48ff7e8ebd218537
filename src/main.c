/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * main.c - vnet-agentx: command line, start-up order, the event loop.
 *
 * The main thread owns every net-snmp call; the sampler thread owns the
 * kernel side (see sampler.c). Start-up order matters for net-snmp: role,
 * socket and persistence before init_agent(); the ping interval after it
 * (init_agent resets it); registrations; then init_snmp(), which reads the
 * configuration and connects to the master.
 */
#include <config.h>

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>

#include "directives.h"
#include "logpipe.h"
#include "sampler.h"
#include "snmp_config.h"
#include "snmp_tables.h"
#include "store.h"

#define APP_NAME "vnet-agentx"
#define DEFAULT_PING_INTERVAL 5

/*
 * SIGTERM/SIGINT must close the AgentX session and exit within 1 s. Two
 * waits are not ours to shorten, so each gets a bound: the master's answer
 * to our AgentX Close, and the sampler thread's last tick (both counted
 * from the signal: they run at the same time).
 */
#define CLOSE_WAIT_MS 300
#define SAMPLER_WAIT_MS 400

/*
 * net-snmp's AgentX session to the master (declared in its
 * agent_global_vars.h, which is not installed); NULL when not connected.
 */
extern netsnmp_session *main_session;

static volatile sig_atomic_t stop;
static struct vn_sampler *sampler;
static char *state_dir; /* the one in use: a reload cannot move it */

struct options {
	bool foreground;
	bool logging_set;
	bool check_only;
	const char *agentx_socket;
};

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: " APP_NAME " [OPTIONS]\n"
		"AgentX subagent serving VNET-MIB: per-second traffic history of\n"
		"the host's virtual networks (Linux bridges, configured networks).\n"
		"\n"
		"  -f              stay in the foreground\n"
		"  -x ADDRESS      AgentX master socket (e.g. unix:/var/agentx/master,\n"
		"                  tcp:localhost:705)\n"
		"  -c FILE         read FILE as configuration\n"
		"  -C              read no default configuration files\n"
		"  -L[eo]          log to stderr / stdout\n"
		"  -Lf FILE        log to FILE\n"
		"  -Ls FACILITY    log to syslog (daemon, local0..local7, ...)\n"
		"  -D TOKENS       debug output for comma-separated tokens (ALL: all)\n"
		"  -t, --check-config\n"
		"                  check the configuration, print the result, exit\n"
		"  -V, --version   print the version and exit\n"
		"  -h, --help      print this help and exit\n"
		"\n"
		"Configuration: %s.conf in net-snmp's configuration path\n"
		"(e.g. /etc/snmp/%s.conf); see " APP_NAME "(8).\n",
		APP_NAME, APP_NAME);
}

static void version(void)
{
	printf(APP_NAME " %s (net-snmp %s)\n", PACKAGE_VERSION,
	       netsnmp_get_version());
}

/* Returns -1 to exit with failure, 1 to exit with success, 0 to run. */
static int parse_args(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{ "version", no_argument, NULL, 'V' },
		{ "check-config", no_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, "fCc:x:L:D:tVh", longopts, NULL)) !=
	       -1) {
		switch (c) {
		case 'f':
			o->foreground = true;
			break;
		case 'C':
			netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID,
					       NETSNMP_DS_LIB_DONT_READ_CONFIGS,
					       1);
			break;
		case 'c':
			netsnmp_ds_set_string(NETSNMP_DS_LIBRARY_ID,
					      NETSNMP_DS_LIB_OPTIONALCONFIG,
					      optarg);
			break;
		case 'x':
			o->agentx_socket = optarg;
			break;
		case 'L':
			if (snmp_log_options(optarg, argc, argv) < 0) {
				fprintf(stderr, APP_NAME ": bad -L option\n");
				return -1;
			}
			o->logging_set = true;
			break;
		case 'D':
			debug_register_tokens(optarg);
			snmp_set_do_debugging(1);
			break;
		case 't':
			o->check_only = true;
			break;
		case 'V':
			version();
			return 1;
		case 'h':
			usage(stdout);
			return 1;
		default:
			usage(stderr);
			return -1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, APP_NAME ": unexpected argument '%s'\n",
			argv[optind]);
		usage(stderr);
		return -1;
	}
	return 0;
}

/*
 * SIGHUP: read the files again. A configuration with errors is logged
 * (file and line) and the running one stays; a good one goes to the
 * sampler, which applies it at its next tick.
 */
static void reload(void)
{
	struct vn_config *fresh = malloc(sizeof(*fresh));

	if (!fresh) {
		snmp_log(LOG_ERR, "SIGHUP: out of memory, not reloading\n");
		return;
	}
	if (vn_snmp_config_reread(fresh) < 0) {
		snmp_log(LOG_ERR, "SIGHUP: configuration errors, keeping the "
				  "running configuration\n");
		vn_config_free(fresh);
		free(fresh);
		return;
	}
	if (strcmp(vn_config_state_dir(fresh), state_dir) != 0)
		snmp_log(LOG_WARNING,
			 "SIGHUP: vnetStateDir stays %s until a restart\n",
			 state_dir);
	vn_sampler_reload(sampler, fresh);
	snmp_log(LOG_INFO, "SIGHUP: configuration read\n");
}

static void on_signal(int fd, void *arg)
{
	struct signalfd_siginfo si;

	(void)arg;
	while (read(fd, &si, sizeof(si)) == sizeof(si)) {
		if (si.ssi_signo == SIGHUP) {
			reload();
			continue;
		}
		snmp_log(LOG_INFO, "signal %u: shutting down\n", si.ssi_signo);
		stop = 1;
	}
}

/*
 * Block the signals we handle before any thread exists, so the sampler
 * inherits the mask and they are only ever read from the signalfd.
 */
static int signals_init(void)
{
	sigset_t set;
	int fd;

	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0)
		return -1;
	fd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	if (fd < 0)
		return -1;
	return register_readfd(fd, on_signal, NULL) < 0 ? -1 : fd;
}

static void logging_init(const struct options *o)
{
	if (o->logging_set)
		return;
	if (o->foreground)
		snmp_enable_stderrlog();
	else
		snmp_enable_syslog_ident(APP_NAME, LOG_DAEMON);
}

static void agent_init(const struct options *o, struct vn_store *store,
		       struct vn_config *cfg)
{
	netsnmp_ds_set_boolean(NETSNMP_DS_APPLICATION_ID, NETSNMP_DS_AGENT_ROLE,
			       1);
	if (o->agentx_socket)
		netsnmp_ds_set_string(NETSNMP_DS_APPLICATION_ID,
				      NETSNMP_DS_AGENT_X_SOCKET,
				      o->agentx_socket);
	/*
	 * A subagent has no persistent state of net-snmp's to load or save.
	 * Not NETSNMP_DS_LIB_DONT_PERSIST_STATE: in net-snmp 5.9 that also
	 * stops every default config file being read, ours included.
	 */
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID,
			       NETSNMP_DS_LIB_DISABLE_PERSISTENT_LOAD, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID,
			       NETSNMP_DS_LIB_DISABLE_PERSISTENT_SAVE, 1);
	/*
	 * A subagent needs no MIB text: it serves numeric OIDs. Without
	 * this, a run with -C loads net-snmp's default MIB list and logs
	 * every module Debian does not ship. MIBS set by the user wins.
	 */
	setenv("MIBS", "", 0);

	init_agent(APP_NAME);
	vn_snmp_config_register(cfg, o->check_only);
	/* init_agent() set net-snmp's default (15 s); a config line wins. */
	netsnmp_ds_set_int(NETSNMP_DS_APPLICATION_ID,
			   NETSNMP_DS_AGENT_AGENTX_PING_INTERVAL,
			   DEFAULT_PING_INTERVAL);
	if (vn_snmp_tables_register(store) < 0) {
		snmp_log(LOG_ERR, "cannot register VNET-MIB\n");
		exit(1);
	}
	init_snmp(APP_NAME);
}

/*
 * Close the AgentX session and shut net-snmp down. net-snmp waits for the
 * master's answer to the Close with the session's timeout and retries (the
 * library's defaults, 1 s and 5): a master that is stopped, or too busy to
 * answer, held the exit for up to 6 s. One try of CLOSE_WAIT_MS is enough
 * for a master that is there; one that is not learns of it from the
 * socket's close.
 */
static void agentx_close(void)
{
	if (main_session) {
		main_session->timeout = CLOSE_WAIT_MS * 1000L;
		main_session->retries = 0;
	}
	snmp_shutdown(APP_NAME);
}

/* CLOCK_MONOTONIC ms from now. */
static struct timespec deadline_in(int ms)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	t.tv_sec += ms / 1000;
	t.tv_nsec += (ms % 1000) * 1000000L;
	if (t.tv_nsec >= 1000000000L) {
		t.tv_sec++;
		t.tv_nsec -= 1000000000L;
	}
	return t;
}

int main(int argc, char **argv)
{
	struct options opts = { 0 };
	struct vn_config *cfg;
	struct vn_store store;
	struct timespec sampler_deadline;
	char err[512];
	int rc;

	rc = parse_args(argc, argv, &opts);
	if (rc != 0)
		return rc < 0 ? 1 : 0;
	if (opts.check_only && !opts.logging_set) {
		snmp_enable_stderrlog();
		opts.logging_set = true;
	}
	logging_init(&opts);

	cfg = malloc(sizeof(*cfg));
	if (!cfg || vn_store_init(&store) < 0) {
		snmp_log(LOG_ERR, "cannot initialise\n");
		return 1;
	}
	vn_config_init(cfg);
	agent_init(&opts, &store, cfg);
	/* From here the sampler owns the configuration. */
	vn_snmp_config_detach();
	state_dir = strdup(vn_config_state_dir(cfg));

	if (!opts.foreground && netsnmp_daemonize(1, 0) != 0) {
		snmp_log(LOG_ERR, "cannot become a daemon\n");
		return 1;
	}
	if (signals_init() < 0 || vn_logpipe_init() < 0) {
		snmp_log(LOG_ERR, "start-up: %s\n", strerror(errno));
		return 1;
	}
	sampler = vn_sampler_start(&store, cfg, err, sizeof(err));
	if (!sampler) {
		snmp_log(LOG_ERR, "%s\n", err);
		return 1;
	}
	snmp_log(LOG_INFO, APP_NAME " %s started\n", PACKAGE_VERSION);

	while (!stop)
		agent_check_and_process(1);

	/*
	 * The sampler stops while the master is told, so that the master
	 * stops sending us requests at once; the sampler's lines so far still
	 * reach the log (net-snmp's logging ends with its shutdown: later
	 * lines go to stderr).
	 */
	vn_logpipe_flush();
	sampler_deadline = deadline_in(SAMPLER_WAIT_MS);
	vn_sampler_stop_request(sampler);
	agentx_close();
	if (!vn_sampler_stop_wait(sampler, &sampler_deadline)) {
		snmp_log(LOG_WARNING,
			 "the sampler did not stop within %d ms (a netlink "
			 "dump waiting for the kernel): exiting without it\n",
			 SAMPLER_WAIT_MS);
		_exit(0);
	}
	vn_logpipe_close();
	vn_store_free(&store);
	free(state_dir);
	return 0;
}
