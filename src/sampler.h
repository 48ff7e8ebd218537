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

/* Stop the thread and free everything but the store's networks. */
void vn_sampler_stop(struct vn_sampler *smp);

#endif /* VN_SAMPLER_H */
