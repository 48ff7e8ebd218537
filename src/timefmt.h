/* SPDX-License-Identifier: GPL-2.0-or-later */
/* timefmt.h - SNMPv2-TC DateAndTime encoding. */
#ifndef VN_TIMEFMT_H
#define VN_TIMEFMT_H

#include "vnet.h"

#define VN_DATEANDTIME_LEN 11

/*
 * Encode a UTC time given in milliseconds since the Unix epoch as the
 * 11-octet DateAndTime (year, month, day, hour, minutes, seconds,
 * deci-seconds, '+', 0, 0). Returns the length written (11).
 */
size_t vn_dateandtime(int64_t unix_ms, uint8_t out[VN_DATEANDTIME_LEN]);

#endif /* VN_TIMEFMT_H */
