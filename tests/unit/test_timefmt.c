/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_timefmt.c - DateAndTime encoding: known instants, the clamps, and
 * a sweep over four centuries checked against an independent calendar.
 */
#include <config.h>

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "timefmt.h"

struct known {
	const char *what;
	int64_t ms;
	uint8_t want[VN_DATEANDTIME_LEN];
};

#define DT(y, mo, d, h, mi, s, ds) \
	{ (y) >> 8, (y) & 0xff, mo, d, h, mi, s, ds, '+', 0, 0 }

static const struct known known[] = {
	{ "epoch", 0, DT(1970, 1, 1, 0, 0, 0, 0) },
	{ "epoch + 99 ms", 99, DT(1970, 1, 1, 0, 0, 0, 0) },
	{ "epoch + 100 ms", 100, DT(1970, 1, 1, 0, 0, 0, 1) },
	{ "epoch + 999 ms", 999, DT(1970, 1, 1, 0, 0, 0, 9) },
	{ "epoch + 1 s", 1000, DT(1970, 1, 1, 0, 0, 1, 0) },
	{ "the brief's example", INT64_C(1795437296789),
	  { 0x07, 0xEA, 11, 23, 12, 34, 56, 7, '+', 0, 0 } },
	{ "leap day, last ms", INT64_C(1709251199999),
	  DT(2024, 2, 29, 23, 59, 59, 9) },
	{ "the day after", INT64_C(1709251200000), DT(2024, 3, 1, 0, 0, 0, 0) },
	{ "2000 is a leap year", INT64_C(951782400000),
	  DT(2000, 2, 29, 0, 0, 0, 0) },
	{ "2100 is not", INT64_C(4107542400000), DT(2100, 3, 1, 0, 0, 0, 0) },
	{ "32-bit time_t ends", INT64_C(2147483647000),
	  DT(2038, 1, 19, 3, 14, 7, 0) },
	{ "and goes on", INT64_C(2147483648000),
	  DT(2038, 1, 19, 3, 14, 8, 0) },
	{ "unsigned 32-bit ends", INT64_C(4294967296000),
	  DT(2106, 2, 7, 6, 28, 16, 0) },
	{ "new year's eve", INT64_C(1798761599900),
	  DT(2026, 12, 31, 23, 59, 59, 9) },
	{ "4-digit years end", INT64_C(253402300799900),
	  DT(9999, 12, 31, 23, 59, 59, 9) },
	{ "year 10000", INT64_C(253402300800000), DT(10000, 1, 1, 0, 0, 0, 0) },
	/* DateAndTime's year is 2 octets: the last instant it can hold */
	{ "last of year 65535", INT64_C(2005949145599999),
	  DT(65535, 12, 31, 23, 59, 59, 9) },
	/* clamped: later than that */
	{ "year 65536", INT64_C(2005949145600000),
	  DT(65535, 12, 31, 23, 59, 59, 9) },
	{ "INT64_MAX", INT64_MAX, DT(65535, 12, 31, 23, 59, 59, 9) },
	/* clamped: before the epoch */
	{ "1 ms before the epoch", -1, DT(1970, 1, 1, 0, 0, 0, 0) },
	{ "1969", -INT64_C(86400000), DT(1970, 1, 1, 0, 0, 0, 0) },
	{ "INT64_MIN", INT64_MIN, DT(1970, 1, 1, 0, 0, 0, 0) },
};

static void test_known(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
		uint8_t out[VN_DATEANDTIME_LEN + 1];

		memset(out, 0xA5, sizeof(out));
		assert_int_equal(vn_dateandtime(known[i].ms, out),
				 VN_DATEANDTIME_LEN);
		if (memcmp(out, known[i].want, VN_DATEANDTIME_LEN))
			fail_msg("%s: %u-%u-%u,%u:%u:%u.%u", known[i].what,
				 out[0] << 8 | out[1], out[2], out[3], out[4],
				 out[5], out[6], out[7]);
		/* nothing written past the 11 octets */
		assert_int_equal(out[VN_DATEANDTIME_LEN], 0xA5);
	}
}

/*
 * Howard Hinnant's days_from_civil inverse: an independent proleptic
 * Gregorian calendar with no time_t in it.
 */
static void civil(int64_t days, int *y, int *m, int *d)
{
	int64_t z = days + 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;

	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

/* Every day from 1970 to 2400, at a time of day that moves each day. */
static void test_sweep(void **state)
{
	const int64_t last = 157054;	/* 2400-01-01 */
	int64_t day;

	(void)state;
	for (day = 0; day <= last; day++) {
		int64_t tod = (day * 7919 * 1000 + day % 1000) % 86400000;
		uint8_t out[VN_DATEANDTIME_LEN];
		int y, m, d;

		vn_dateandtime(day * 86400000 + tod, out);
		civil(day, &y, &m, &d);
		assert_int_equal(out[0] << 8 | out[1], y);
		assert_int_equal(out[2], m);
		assert_int_equal(out[3], d);
		assert_int_equal(out[4], tod / 3600000);
		assert_int_equal(out[5], tod / 60000 % 60);
		assert_int_equal(out[6], tod / 1000 % 60);
		assert_int_equal(out[7], tod % 1000 / 100);
		assert_int_equal(out[8], '+');
		assert_int_equal(out[9], 0);
		assert_int_equal(out[10], 0);
	}
}

/* Every deci-second boundary of one second, and every field's range. */
static void test_fields(void **state)
{
	const int64_t base = INT64_C(1795437296000);
	int64_t ms;

	(void)state;
	for (ms = 0; ms < 1000; ms++) {
		uint8_t out[VN_DATEANDTIME_LEN];

		vn_dateandtime(base + ms, out);
		assert_int_equal(out[6], 56);
		assert_int_equal(out[7], ms / 100);
	}
	for (ms = 0; ms < INT64_C(86400000); ms += 997) {
		uint8_t out[VN_DATEANDTIME_LEN];

		vn_dateandtime(base + ms, out);
		assert_in_range(out[2], 1, 12);
		assert_in_range(out[3], 1, 31);
		assert_in_range(out[4], 0, 23);
		assert_in_range(out[5], 0, 59);
		assert_in_range(out[6], 0, 59);
		assert_in_range(out[7], 0, 9);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known),
		cmocka_unit_test(test_sweep),
		cmocka_unit_test(test_fields),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
