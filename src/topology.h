/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * topology.h - the links the kernel has and the networks they make.
 *
 * The link table is kept current from RTM_NEWLINK/RTM_DELLINK; from it
 * and the configuration come the networks: one per served Linux bridge
 * (its ports, plus the bridge device as the host port) and one per
 * configured vnetNetwork (the links matching its globs).
 */
#ifndef VN_TOPOLOGY_H
#define VN_TOPOLOGY_H

#include "account.h"
#include "directives.h"
#include "nlmsg.h"

struct vn_linkent {
	struct vn_link link;
	struct vn_counters c; /* from the latest stats dump */
	uint32_t stats_tick; /* the tick c belongs to */
};

struct vn_linktab {
	struct vn_linkent *v; /* sorted by ifindex */
	size_t n;
	size_t cap;
	uint64_t gen; /* bumped whenever a link changes */
};

struct vn_netspec {
	char name[VN_NAME_MAX + 1];
	enum vn_type type;
	int32_t ifindex; /* bridge device; 0 for configured */
	uint32_t nports; /* vnetPortCount */
	struct vn_member_spec *members; /* ports, and the bridge device */
	size_t nmembers;
};

struct vn_netspecs {
	struct vn_netspec *v; /* sorted by name */
	size_t n;
};

void vn_links_init(struct vn_linktab *t);
void vn_links_free(struct vn_linktab *t);
void vn_links_clear(struct vn_linktab *t);

/* Add or update a link. Returns 0, or -1 on allocation failure. */
int vn_links_upsert(struct vn_linktab *t, const struct vn_link *l);
void vn_links_delete(struct vn_linktab *t, uint32_t ifindex);
struct vn_linkent *vn_links_find(const struct vn_linktab *t, uint32_t ifindex);

/*
 * The same, for links asked for in ascending ifindex order (the kernel
 * dumps them so, from its ifindex xarray): *cursor (0 at the start) is
 * where the next one is looked for first, one comparison instead of a
 * binary search; any other order is answered right, by the search.
 */
struct vn_linkent *vn_links_find_next(const struct vn_linktab *t,
				      uint32_t ifindex, size_t *cursor);

/*
 * The networks the links and the configuration define. A configured
 * network whose name is also a bridge's wins, and the bridge is not served.
 * Returns 0, or -1 on allocation failure.
 */
int vn_topology_networks(const struct vn_linktab *t,
			 const struct vn_config *cfg, struct vn_netspecs *out);
void vn_netspecs_free(struct vn_netspecs *s);

#endif /* VN_TOPOLOGY_H */
