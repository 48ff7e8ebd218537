/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tick.h - what one sampler tick does to the networks, as plain arithmetic.
 *
 * Sample N ends at t0 + N seconds on CLOCK_MONOTONIC. A tick that finds
 * k grid points passed since the last sample (k > 1 after a stall)
 * accounts each network once and publishes k rows sharing the movement
 * evenly. The wall clock only labels the rows: a step of it moves
 * vnetHistoryTime, never the grid. The sampler thread drives these; the
 * tests drive them with synthetic clocks and counters.
 */
#ifndef VN_TICK_H
#define VN_TICK_H

#include "store.h"

#define VN_NSEC_PER_SEC 1000000000LL

/*
 * Grid points passed since sample tick at monotonic time mono_ns: the
 * number of samples due now (0: none, also when the sample number would
 * pass 2^32 - 1).
 */
uint32_t vn_tick_due(int64_t t0_ns, uint32_t tick, int64_t mono_ns);

/*
 * Wall-clock time (Unix ms) at the end of sample s, from one reading of
 * both clocks (mono_ns, real_ns) taken at about the same instant.
 */
int64_t vn_tick_wall_ms(int64_t t0_ns, uint32_t s, int64_t mono_ns,
			int64_t real_ns);

/*
 * Account one tick for one network, outside the store lock: its movement
 * since the previous tick into net->acct_sum. now_ms is the wall time of
 * the newest sample of this tick: it becomes vnetDiscontinuityTime when
 * the network is new or a member's counters went backwards.
 */
void vn_tick_account(struct vn_net *net, vn_lookup_fn lookup, void *arg,
		     int64_t now_ms);

/*
 * Publish samples tick+1 .. tick+k of one network, under the store lock.
 * A network's first tick is its baseline and gives no row.
 *
 * The movement was measured over span_ns, of which before_ns lie before
 * the end of sample tick+k (the newest grid point). That part, with what
 * was carried from the last tick, is shared over the k rows; the rest
 * happened in the sample now being collected and is carried into it. So
 * a late read moves bytes to the second they belong to, never drops or
 * doubles one.
 */
void vn_tick_publish(struct vn_net *net, uint32_t tick, uint32_t k,
		     int64_t before_ns, int64_t span_ns);

/* Label samples tick+1 .. tick+k on the agent-wide clock. */
void vn_tick_clock(struct vn_clock *c, int64_t t0_ns, uint32_t tick, uint32_t k,
		   int64_t mono_ns, int64_t real_ns);

#endif /* VN_TICK_H */
