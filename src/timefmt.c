/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * timefmt.c - SNMPv2-TC DateAndTime from Unix milliseconds.
 *
 * Always UTC, so always the 11-octet form with direction '+' and a zero
 * offset: managers need no knowledge of the host's time zone.
 *
 * Out-of-range inputs are clamped rather than refused, because every
 * caller is filling a varbind and an answer is better than an error:
 *  - before the epoch (a real-time clock that was never set, or a bug):
 *    1970-01-01,00:00:00.0, the conventional "clock not set" instant;
 *  - from 65536-01-01 on, which the 2-octet year cannot hold:
 *    65535-12-31,23:59:59.9, the last instant DateAndTime can express.
 */
#include <config.h>

#include <time.h>

#include "timefmt.h"

/* 65536-01-01T00:00:00Z in milliseconds: the first unrepresentable time. */
#define VN_DAT_END_MS INT64_C(2005949145600000)

size_t vn_dateandtime(int64_t unix_ms, uint8_t out[VN_DATEANDTIME_LEN])
{
	int64_t ms = unix_ms;
	struct tm tm;
	time_t secs;
	int year;

	if (ms < 0)
		ms = 0;
	if (ms >= VN_DAT_END_MS)
		ms = VN_DAT_END_MS - 100;
	secs = (time_t)(ms / 1000);
	/* A 32-bit time_t cannot reach the clamp: fall back to the epoch. */
	if ((int64_t)secs != ms / 1000 || !gmtime_r(&secs, &tm)) {
		ms = 0;
		secs = 0;
		gmtime_r(&secs, &tm);
	}
	year = tm.tm_year + 1900;
	out[0] = (uint8_t)(year >> 8);
	out[1] = (uint8_t)year;
	out[2] = (uint8_t)(tm.tm_mon + 1);
	out[3] = (uint8_t)tm.tm_mday;
	out[4] = (uint8_t)tm.tm_hour;
	out[5] = (uint8_t)tm.tm_min;
	out[6] = (uint8_t)tm.tm_sec;
	out[7] = (uint8_t)(ms % 1000 / 100);
	out[8] = '+';
	out[9] = 0;
	out[10] = 0;
	return VN_DATEANDTIME_LEN;
}
