/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * sampler.c - the one-second sampler thread.
 *
 * Sample N is the N-th second since the agent started: it ends at
 * t0 + N seconds on CLOCK_MONOTONIC, whatever the wall clock does. The
 * thread sleeps on a timerfd armed on that absolute grid; when it wakes it
 * works out from the clock how many grid points have passed (k), so a
 * stall of the whole process still gives one row per second: the counters'
 * movement is shared evenly over the k rows, marked interpolated.
 *
 * Per tick: drain link events, rebuild the networks if the topology
 * changed, one RTM_GETSTATS dump, per-member deltas, and one short critical
 * section that appends the rows and moves vnetCurrentSample.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include <linux/rtnetlink.h>

#include "log.h"
#include "nlsock.h"
#include "sampler.h"
#include "statefile.h"
#include "tick.h"
#include "topology.h"

/*
 * A dump the kernel flags as interrupted (links changed meanwhile) is
 * taken again; under hundreds of link changes a second three tries were
 * seen to fail in a row, and a failed tick costs an interpolated second.
 */
#define DUMP_TRIES 5

/*
 * A counter read is timed by the clock read right after the dump, so the
 * dump must have been quick: one that took longer (it waited for the RTNL
 * lock, or the process was stopped inside it: a SIGSTOP only takes effect
 * when the dump's syscall returns) read the counters at some unknown point
 * of that time, and is taken again.  A 5,000-link dump takes ~3 ms.
 */
#define SLOW_READ_NS (50 * 1000 * 1000LL)
#define READ_TRIES 3

struct vn_sampler {
	struct vn_store *store;
	struct vn_config *cfg;
	pthread_mutex_t reload_lock;
	struct vn_config *reload; /* handed over by SIGHUP, taken at a tick */
	struct vn_nl *nl;
	struct vn_linktab links;
	uint64_t built_gen; /* links.gen the networks were built from */
	bool resync; /* re-dump the links before the next tick */
	uint32_t stats_gen; /* which stats dump linkent.c belongs to */
	size_t stats_cursor; /* where on_stats looks first */

	struct vn_statemap state;
	bool state_dirty;
	char state_path[PATH_MAX];

	int timerfd;
	int stopfd;
	pthread_t thread;
	bool running;

	int64_t t0_ns; /* CLOCK_MONOTONIC at sample 0 */
	int64_t read_ns; /* CLOCK_MONOTONIC of the last counter read */
	uint32_t tick; /* newest sample taken */

	int ticklog; /* VNET_AGENTX_TICKLOG: per-tick timing, or -1 */
};

static int64_t now_ns(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return (int64_t)ts.tv_sec * VN_NSEC_PER_SEC + ts.tv_nsec;
}

/* ---- topology ---- */

static void on_link(int type, const struct vn_link *l, void *arg)
{
	struct vn_sampler *smp = arg;

	if (type == RTM_DELLINK) {
		vn_links_delete(&smp->links, l->ifindex);
		return;
	}
	if (vn_links_upsert(&smp->links, l) < 0) {
		vn_log(LOG_ERR, "out of memory for link %s", l->name);
		smp->resync = true;
	}
}

static int dump_links(struct vn_sampler *smp)
{
	int rc = -EINTR;

	for (int i = 0; i < DUMP_TRIES && rc == -EINTR; i++) {
		vn_links_clear(&smp->links);
		rc = vn_nl_dump_links(smp->nl, on_link, smp);
	}
	if (rc < 0) {
		vn_log(LOG_ERR, "link dump failed: %s", strerror(-rc));
		return rc;
	}
	smp->resync = false;
	return 0;
}

static void drain_events(struct vn_sampler *smp)
{
	int rc = vn_nl_read_events(smp->nl, on_link, smp);

	if (rc == -ENOBUFS) {
		/* The kernel dropped events: only a full dump is right now. */
		if (!smp->resync)
			vn_log(LOG_WARNING,
			       "link events overran, resynchronising");
		smp->resync = true;
	} else if (rc < 0) {
		vn_log(LOG_ERR, "reading link events: %s", strerror(-rc));
		smp->resync = true;
	}
}

static struct vn_net *new_net(uint32_t index, const struct vn_netspec *sp)
{
	struct vn_net *net = calloc(1, sizeof(*net));

	if (!net)
		return NULL;
	net->index = index;
	snprintf(net->name, sizeof(net->name), "%s", sp->name);
	net->type = sp->type;
	vn_ring_init(&net->ring);
	vn_acct_init(&net->acct);
	return net;
}

/* Bring one network in line with its spec, creating it if new. */
static int apply_spec(struct vn_sampler *smp, const struct vn_netspec *sp)
{
	bool added = false;
	uint32_t index = vn_state_index(&smp->state, sp->name, &added);
	struct vn_net *net;

	if (index == 0) {
		/* Not a DisplayString (Linux allows any byte but '/', ':'
		 * and blanks), or the index space is used up. */
		vn_log(LOG_WARNING,
		       "cannot serve network '%s': no vnetIndex "
		       "for that name",
		       sp->name);
		return -1;
	}
	smp->state_dirty |= added;

	net = vn_store_find(smp->store, index, NULL);
	if (!net) {
		net = new_net(index, sp);
		if (!net)
			return -1;
		vn_store_lock(smp->store);
		int rc = vn_store_insert(smp->store, net);
		vn_store_unlock(smp->store);
		if (rc < 0) {
			free(net);
			return -1;
		}
		vn_log(LOG_INFO, "network %s appeared, vnetIndex %u", sp->name,
		       index);
	}
	if (vn_acct_set_members(&net->acct, sp->members, sp->nmembers) < 0)
		return -1;
	if (net->type != sp->type) {
		vn_store_lock(smp->store);
		net->type = sp->type;
		vn_store_unlock(smp->store);
	}
	net->ports = sp->nports;
	net->ifindex = sp->ifindex;
	net->seen = true;
	return 0;
}

/* Remove the networks the last rebuild did not see. */
static void sweep(struct vn_sampler *smp)
{
	struct vn_store *st = smp->store;

	for (size_t i = st->n; i-- > 0;) {
		struct vn_net *net = st->nets[i];

		if (net->seen) {
			net->seen = false;
			continue;
		}
		vn_store_lock(st);
		vn_store_remove(st, i);
		vn_store_unlock(st);
		vn_log(LOG_INFO, "network %s is gone", net->name);
		vn_acct_free(&net->acct);
		free(net);
	}
}

static void rebuild(struct vn_sampler *smp)
{
	struct vn_netspecs specs;

	if (smp->links.gen == smp->built_gen)
		return;
	if (vn_topology_networks(&smp->links, smp->cfg, &specs) < 0) {
		vn_log(LOG_ERR, "out of memory rebuilding the networks");
		return;
	}
	for (size_t i = 0; i < specs.n; i++)
		apply_spec(smp, &specs.v[i]);
	vn_netspecs_free(&specs);
	sweep(smp);
	smp->built_gen = smp->links.gen;
}

static void save_state(struct vn_sampler *smp)
{
	char err[512];

	if (!smp->state_dirty)
		return;
	if (vn_state_save(&smp->state, smp->state_path, err, sizeof(err)) < 0) {
		vn_log(LOG_ERR, "%s", err);
		return;
	}
	smp->state_dirty = false;
}

/* ---- counters ---- */

static void on_stats(uint32_t ifindex, const struct vn_counters *c, void *arg)
{
	struct vn_sampler *smp = arg;
	struct vn_linkent *e =
		vn_links_find_next(&smp->links, ifindex, &smp->stats_cursor);

	/* A link we have no event for yet joins at the next tick. */
	if (!e)
		return;
	e->c = *c;
	e->stats_tick = smp->stats_gen;
}

static const struct vn_counters *lookup(uint32_t ifindex, void *arg)
{
	struct vn_sampler *smp = arg;
	const struct vn_linkent *e = vn_links_find(&smp->links, ifindex);

	if (!e || e->stats_tick != smp->stats_gen)
		return NULL;
	return &e->c;
}

static int dump_stats(struct vn_sampler *smp)
{
	int rc = -EINTR;

	for (int i = 0; i < DUMP_TRIES && rc == -EINTR; i++) {
		/* Start over: counters of an interrupted dump may be torn. */
		smp->stats_gen++;
		if (smp->stats_gen == 0)
			smp->stats_gen = 1;
		smp->stats_cursor = 0;
		rc = vn_nl_dump_stats(smp->nl, on_stats, smp);
	}
	if (rc < 0)
		vn_log(LOG_ERR, "stats dump failed: %s", strerror(-rc));
	return rc;
}

static void config_free(struct vn_config *cfg)
{
	if (!cfg)
		return;
	vn_config_free(cfg);
	free(cfg);
}

/* Take a configuration SIGHUP handed over, if any: rebuild with it. */
static void take_reload(struct vn_sampler *smp)
{
	struct vn_config *cfg;

	pthread_mutex_lock(&smp->reload_lock);
	cfg = smp->reload;
	smp->reload = NULL;
	pthread_mutex_unlock(&smp->reload_lock);
	if (!cfg)
		return;
	config_free(smp->cfg);
	smp->cfg = cfg;
	smp->built_gen = (uint64_t)-1;
	vn_log(LOG_INFO, "configuration reloaded");
}

void vn_sampler_reload(struct vn_sampler *smp, struct vn_config *cfg)
{
	pthread_mutex_lock(&smp->reload_lock);
	config_free(smp->reload);
	smp->reload = cfg;
	pthread_mutex_unlock(&smp->reload_lock);
}

/*
 * Read the counters and the time they were read at (*mono): the dump is
 * repeated while it was slow, then the last one is taken as it is.
 */
static int read_counters(struct vn_sampler *smp, int64_t *mono)
{
	for (int i = 0; i < READ_TRIES; i++) {
		int64_t start = now_ns(CLOCK_MONOTONIC);

		if (dump_stats(smp) < 0)
			return -1;
		*mono = now_ns(CLOCK_MONOTONIC);
		if (*mono - start <= SLOW_READ_NS)
			break;
	}
	return 0;
}

/*
 * Take the samples due: tick+1 .. tick+k, k > 1 only after a stall.
 * Returns k, or 0 when the counters could not be read: then nothing is
 * published and the next tick covers these seconds too, as interpolated
 * rows, so no byte is lost.
 */
static uint32_t take_samples(struct vn_sampler *smp)
{
	struct vn_store *st = smp->store;
	int64_t mono, real, now_ms, before, span;
	uint32_t k;

	drain_events(smp);
	if (smp->resync && dump_links(smp) < 0)
		return 0;
	take_reload(smp);
	rebuild(smp);
	if (read_counters(smp, &mono) < 0)
		return 0;
	real = now_ns(CLOCK_REALTIME);

	/*
	 * The counters are as of now, not as of the wake-up: a dump that
	 * waited seconds (another process holding the kernel's RTNL lock)
	 * covers every second that has ended since the last sample, and
	 * its movement is shared over all of them.
	 */
	k = vn_tick_due(smp->t0_ns, smp->tick, mono);
	if (k == 0)
		return 0;
	now_ms = vn_tick_wall_ms(smp->t0_ns, smp->tick + k, mono, real);

	/* Accounting outside the lock: only the sampler's own fields. */
	for (size_t i = 0; i < st->n; i++)
		vn_tick_account(st->nets[i], lookup, smp, now_ms);

	/* Of the time since the last read, how much before the grid point. */
	before = smp->t0_ns + (int64_t)(smp->tick + k) * VN_NSEC_PER_SEC -
		 smp->read_ns;
	span = mono - smp->read_ns;
	smp->read_ns = mono;

	vn_store_lock(st);
	vn_tick_clock(&st->clock, smp->t0_ns, smp->tick, k, mono, real);
	for (size_t i = 0; i < st->n; i++) {
		vn_tick_publish(st->nets[i], smp->tick, k, before, span);
		vn_store_sync_row(st, i);
	}
	smp->tick += k;
	st->current = smp->tick;
	vn_store_unlock(st);

	save_state(smp);
	return k;
}

/* ---- the thread ---- */

/*
 * With VNET_AGENTX_TICKLOG=FILE in the environment, each tick appends
 * "SAMPLE K LATE_NS WORK_NS": the newest sample taken, how many, how long
 * after the first one's grid point the sampler woke, and how long the
 * tick took. For the benchmarks; one write(2) per
 * tick from a stack buffer, nothing when unset.
 */
static void ticklog_open(struct vn_sampler *smp)
{
	const char *path = getenv("VNET_AGENTX_TICKLOG");

	smp->ticklog = -1;
	if (!path || !*path)
		return;
	smp->ticklog =
		open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (smp->ticklog < 0)
		vn_log(LOG_WARNING, "VNET_AGENTX_TICKLOG %s: %s", path,
		       strerror(errno));
}

static void ticklog_write(const struct vn_sampler *smp, uint32_t k,
			  int64_t woke, int64_t done)
{
	char line[96];
	/* Lateness is from the grid point of the first sample due. */
	int64_t grid =
		smp->t0_ns + (int64_t)(smp->tick - k + 1) * VN_NSEC_PER_SEC;
	int len;

	if (smp->ticklog < 0)
		return;
	len = snprintf(line, sizeof(line), "%u %u %lld %lld\n", smp->tick, k,
		       (long long)(woke - grid), (long long)(done - woke));
	if (write(smp->ticklog, line, (size_t)len) < 0)
		return;
}

static int arm_timer(struct vn_sampler *smp)
{
	struct itimerspec its = { 0 };
	int64_t first = smp->t0_ns + VN_NSEC_PER_SEC;

	its.it_value.tv_sec = first / VN_NSEC_PER_SEC;
	its.it_value.tv_nsec = first % VN_NSEC_PER_SEC;
	its.it_interval.tv_sec = 1;
	return timerfd_settime(smp->timerfd, TFD_TIMER_ABSTIME, &its, NULL);
}

static void on_timer(struct vn_sampler *smp)
{
	uint64_t expirations;
	int64_t woke;
	uint32_t k;

	/* The count is not used: the clock says how many samples are due. */
	if (read(smp->timerfd, &expirations, sizeof(expirations)) < 0 &&
	    errno != EAGAIN)
		vn_log(LOG_ERR, "timerfd: %s", strerror(errno));
	woke = now_ns(CLOCK_MONOTONIC);
	if (vn_tick_due(smp->t0_ns, smp->tick, woke) == 0)
		return;
	k = take_samples(smp);
	if (k > 0)
		ticklog_write(smp, k, woke, now_ns(CLOCK_MONOTONIC));
}

static void *run(void *arg)
{
	struct vn_sampler *smp = arg;
	struct pollfd pfd[3] = {
		{ .fd = smp->timerfd, .events = POLLIN },
		{ .fd = vn_nl_event_fd(smp->nl), .events = POLLIN },
		{ .fd = smp->stopfd, .events = POLLIN },
	};

	for (;;) {
		if (poll(pfd, 3, -1) < 0) {
			if (errno == EINTR)
				continue;
			vn_log(LOG_ERR, "sampler poll: %s", strerror(errno));
			break;
		}
		if (pfd[2].revents)
			break;
		/* Keep the link table current between ticks, so a burst of
		 * events does not overrun the socket buffer. */
		if (pfd[1].revents)
			drain_events(smp);
		if (pfd[0].revents)
			on_timer(smp);
	}
	return NULL;
}

/* ---- start and stop ---- */

static int load_state(struct vn_sampler *smp, char *err, size_t errlen)
{
	const char *dir = vn_config_state_dir(smp->cfg);
	char why[512];
	int rc;

	if (vn_state_check_dir(dir, err, errlen) < 0)
		return -1;
	if ((size_t)snprintf(smp->state_path, sizeof(smp->state_path), "%s/%s",
			     dir, VN_STATE_FILE) >= sizeof(smp->state_path)) {
		snprintf(err, errlen, "state directory path too long: %s", dir);
		return -1;
	}
	rc = vn_state_load(&smp->state, smp->state_path, why, sizeof(why));
	if (rc < 0) {
		snprintf(err, errlen, "%s", why);
		return -1;
	}
	if (rc > 0) {
		/* Keep what could be read; the next save writes it clean. */
		vn_log(LOG_WARNING, "%s; rebuilding it", why);
		smp->state_dirty = true;
	}
	return 0;
}

static void destroy(struct vn_sampler *smp)
{
	if (smp->ticklog >= 0)
		close(smp->ticklog);
	if (smp->timerfd >= 0)
		close(smp->timerfd);
	if (smp->stopfd >= 0)
		close(smp->stopfd);
	if (smp->nl)
		vn_nl_close(smp->nl);
	vn_links_free(&smp->links);
	vn_state_free(&smp->state);
	config_free(smp->cfg);
	config_free(smp->reload);
	pthread_mutex_destroy(&smp->reload_lock);
	free(smp);
}

/* Sample 0: the baseline every network's first row is measured from. */
static int baseline(struct vn_sampler *smp, char *err, size_t errlen)
{
	int64_t now_ms;

	if (dump_links(smp) < 0) {
		snprintf(err, errlen, "cannot read the kernel's links");
		return -1;
	}
	smp->t0_ns = now_ns(CLOCK_MONOTONIC);
	rebuild(smp);
	if (read_counters(smp, &smp->read_ns) < 0) {
		snprintf(err, errlen, "cannot read the kernel's link counters");
		return -1;
	}
	now_ms = now_ns(CLOCK_REALTIME) / 1000000;
	for (size_t i = 0; i < smp->store->n; i++) {
		vn_tick_account(smp->store->nets[i], lookup, smp, now_ms);
		vn_tick_publish(smp->store->nets[i], 0, 0, 0, 0);
	}
	save_state(smp);
	return 0;
}

struct vn_sampler *vn_sampler_start(struct vn_store *store,
				    struct vn_config *cfg, char *err,
				    size_t errlen)
{
	struct vn_sampler *smp = calloc(1, sizeof(*smp));

	if (!smp) {
		snprintf(err, errlen, "out of memory");
		config_free(cfg);
		return NULL;
	}
	pthread_mutex_init(&smp->reload_lock, NULL);
	smp->store = store;
	smp->cfg = cfg;
	smp->timerfd = -1;
	smp->stopfd = -1;
	ticklog_open(smp);
	vn_links_init(&smp->links);
	vn_state_init(&smp->state);
	smp->built_gen = (uint64_t)-1;

	if (load_state(smp, err, errlen) < 0)
		goto fail;
	smp->nl = vn_nl_open();
	if (!smp->nl) {
		snprintf(err, errlen, "cannot open rtnetlink: %s",
			 strerror(errno));
		goto fail;
	}
	smp->timerfd =
		timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	smp->stopfd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (smp->timerfd < 0 || smp->stopfd < 0) {
		snprintf(err, errlen, "timerfd/eventfd: %s", strerror(errno));
		goto fail;
	}
	if (baseline(smp, err, errlen) < 0)
		goto fail;
	if (arm_timer(smp) < 0) {
		snprintf(err, errlen, "timerfd_settime: %s", strerror(errno));
		goto fail;
	}
	if (pthread_create(&smp->thread, NULL, run, smp) != 0) {
		snprintf(err, errlen, "cannot start the sampler thread");
		goto fail;
	}
	smp->running = true;
	return smp;
fail:
	destroy(smp);
	return NULL;
}

void vn_sampler_stop_request(struct vn_sampler *smp)
{
	uint64_t one = 1;

	if (!smp || !smp->running)
		return;
	if (write(smp->stopfd, &one, sizeof(one)) < 0)
		vn_log(LOG_ERR, "stopping the sampler: %s", strerror(errno));
}

bool vn_sampler_stop_wait(struct vn_sampler *smp,
			  const struct timespec *deadline)
{
	if (!smp)
		return true;
	if (smp->running &&
	    pthread_clockjoin_np(smp->thread, NULL, CLOCK_MONOTONIC,
				 deadline) == ETIMEDOUT)
		return false;
	destroy(smp);
	return true;
}
