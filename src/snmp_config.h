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
 * config reading, where any error found stops the agent (exit 1) before
 * it connects to the master.
 */
void vn_snmp_config_register(struct vn_config *cfg);

/* Number of errors found in our directives so far. */
int vn_snmp_config_errors(void);

#endif /* VN_SNMP_CONFIG_H */
