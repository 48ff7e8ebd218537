/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * snmp_config.h - our directives in net-snmp's configuration system.
 */
#ifndef VN_SNMP_CONFIG_H
#define VN_SNMP_CONFIG_H

#include "directives.h"

/*
 * Register vnetInclude, vnetExclude, vnetNetwork and vnetStateDir for the
 * application's config file, filling *cfg. Call after init_agent() (which
 * names the application) and before init_snmp(): it also hooks the end of
 * config reading, where any error found stops the agent (exit 1) before it
 * connects to the master; with check set, a clean configuration exits 0
 * there instead (-t).
 */
void vn_snmp_config_register(struct vn_config *cfg, bool check);

/* Start-up is over: cfg now belongs to the sampler; stop writing it. */
void vn_snmp_config_detach(void);

/*
 * Read the configuration files again (SIGHUP) into *fresh, which is
 * initialised here. Returns 0, or -1 when they have errors (each logged
 * with file and line); *fresh must be freed either way by its owner.
 */
int vn_snmp_config_reread(struct vn_config *fresh);

#endif /* VN_SNMP_CONFIG_H */
