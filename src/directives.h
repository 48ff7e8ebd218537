/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * directives.h - vnet-agentx's own configuration directives.
 *
 * Pure parsing of the argument text of each directive into struct
 * vn_config; the net-snmp glue (snmp_config.c) hands the text over and
 * reports errors with file and line. No net-snmp in here.
 *
 *   vnetInclude GLOB...            bridges served (default: all)
 *   vnetExclude GLOB...            bridges not served (wins over include)
 *   vnetNetwork NAME IFACE-GLOB... a configured network of member links
 *   vnetStateDir PATH              where the name -> index map lives
 */
#ifndef VN_DIRECTIVES_H
#define VN_DIRECTIVES_H

#include "vnet.h"

#define VN_DEFAULT_STATE_DIR "/var/lib/vnet-agentx"

struct vn_globs {
	char **v;
	size_t n;
};

struct vn_confnet {
	char name[VN_NAME_MAX + 1];
	struct vn_globs members;
};

struct vn_config {
	struct vn_globs include; /* empty: every bridge */
	struct vn_globs exclude;
	struct vn_confnet *nets;
	size_t nnets;
	char *state_dir; /* NULL: VN_DEFAULT_STATE_DIR */
};

void vn_config_init(struct vn_config *cfg);
void vn_config_free(struct vn_config *cfg);

/*
 * Each takes the directive's argument text (everything after the token)
 * and returns 0, or -1 with a one-line reason in err (no file/line: the
 * caller adds those). On error cfg is unchanged.
 */
int vn_config_include(struct vn_config *cfg, const char *args, char *err,
		      size_t errlen);
int vn_config_exclude(struct vn_config *cfg, const char *args, char *err,
		      size_t errlen);
int vn_config_network(struct vn_config *cfg, const char *args, char *err,
		      size_t errlen);
int vn_config_statedir(struct vn_config *cfg, const char *args, char *err,
		       size_t errlen);

/* Is the bridge called name served under this configuration? */
bool vn_config_bridge_wanted(const struct vn_config *cfg, const char *name);

/* Does link name match one of the globs? */
bool vn_globs_match(const struct vn_globs *g, const char *name);

/* The state directory in force. */
const char *vn_config_state_dir(const struct vn_config *cfg);

#endif /* VN_DIRECTIVES_H */
