/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * sampler.h - the one-second sampler thread.
 *
 * Owns the kernel side: topology from rtnetlink, one RTM_GETSTATS dump per
 * tick on an absolute CLOCK_MONOTONIC grid, the accounting, and publishing
 * each completed sample into the store.
 */
#ifndef VN_SAMPLER_H
#define VN_SAMPLER_H

#include <stdbool.h>
#include <time.h>

#include "directives.h"
#include "store.h"

struct vn_sampler;

/*
 * Prepare (open netlink, load the state file, take the first dump: sample
 * 0, the baseline) and start the thread. The sampler owns cfg (allocated
 * with malloc) from here on, also on failure. Returns NULL with a reason
 * in err.
 */
struct vn_sampler *vn_sampler_start(struct vn_store *store,
				    struct vn_config *cfg, char *err,
				    size_t errlen);

/*
 * Use cfg from the next tick on (SIGHUP): networks that stay keep their
 * index and history, the others come and go. The sampler owns cfg. The
 * state directory is the one it started with.
 */
void vn_sampler_reload(struct vn_sampler *smp, struct vn_config *cfg);

/* Ask the thread to stop; it sees this between ticks. Returns at once. */
void vn_sampler_stop_request(struct vn_sampler *smp);

/*
 * Wait for the thread to end, until deadline (CLOCK_MONOTONIC), and free
 * everything but the store's networks. Returns false, freeing nothing, if
 * the thread is still inside a tick at the deadline: its netlink dump can
 * wait, uninterruptibly, for the kernel's RTNL lock, which a namespace
 * teardown elsewhere holds for a second or more. The thread may then still
 * write the store: the caller must exit at once.
 */
bool vn_sampler_stop_wait(struct vn_sampler *smp,
			  const struct timespec *deadline);

#endif /* VN_SAMPLER_H */
