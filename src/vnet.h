/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vnet.h - types shared by every part of vnet-agentx.
 *
 * Nothing here knows about net-snmp or sockets: these are the plain
 * structs the pure cores (accounting, history, OID successor, parsers)
 * work on.
 */
#ifndef VNET_H
#define VNET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Samples kept per network: the MIB's vnetHistorySize. */
#define VN_HISTORY 60

/*
 * Slots in each network's ring. Larger than VN_HISTORY so that a reader
 * pinned to sample N still finds N-59..N intact while the sampler writes
 * N+1..N+(VN_RING-VN_HISTORY).
 */
#define VN_RING 64

/* vnetName is DisplayString (SIZE (1..64)). */
#define VN_NAME_MAX 64

/* One OID sub-identifier, the same width as net-snmp's oid on Linux. */
typedef unsigned long vn_oid;

/* A link's 64-bit counters as the kernel reports them (rtnl_link_stats64). */
struct vn_counters {
	uint64_t rx_bytes;
	uint64_t tx_bytes;
	uint64_t rx_packets;
	uint64_t tx_packets;
	uint64_t rx_dropped;
	uint64_t tx_dropped;
};

/* What a network did in one second, as the contract defines it. */
struct vn_amounts {
	uint64_t bytes_sent;
	uint64_t bytes_recv;
	uint64_t pkts_sent;
	uint64_t pkts_recv;
	uint64_t pkts_dropped;
};

/* vnetType */
enum vn_type {
	VN_TYPE_BRIDGE = 1, /* linuxBridge(1) */
	VN_TYPE_CONFIGURED = 2, /* configured(2) */
};

/* vnetHistoryStatus */
enum vn_status {
	VN_STATUS_VALID = 1,
	VN_STATUS_INTERPOLATED = 2,
};

#endif /* VNET_H */
