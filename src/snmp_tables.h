/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * snmp_tables.h - VNET-MIB's objects registered with the agent.
 */
#ifndef VN_SNMP_TABLES_H
#define VN_SNMP_TABLES_H

#include "store.h"

/*
 * The MIB root, vnetMIB ::= { netSnmpPlaypen 2005 }. The project has no
 * IANA enterprise number yet: a distributor with one changes this and the
 * MODULE-IDENTITY line of VNET-MIB.
 */
#define VN_MIB_ROOT 1, 3, 6, 1, 4, 1, 8072, 9999, 9999, 2005

/* Register the scalars, vnetTable and vnetHistoryTable, read from store.
 * Returns 0, or -1 when a registration failed. */
int vn_snmp_tables_register(struct vn_store *store);

#endif /* VN_SNMP_TABLES_H */
