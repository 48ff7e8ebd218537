/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * mkseeds.c - write the binary seed inputs of fuzz_nlmsg and fuzz_oidnext.
 *
 *	mkseeds DIR
 *
 * writes DIR/nlmsg/ (every message of tests/data/nl_records.h, as the
 * kernel sent it, alone and as whole dumps) and DIR/oidnext/ (a few
 * tables and requests in fuzz_oidnext.c's encoding). fuzz/run builds and
 * runs it before fuzzing, so the seeds always follow the recordings and
 * the encoding, and no binary file is kept in the repository. The text
 * seeds of the other targets are in fuzz/corpus/.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../tests/data/nl_records.h"

static const char *top;

static void die(const char *what, const char *path)
{
	fprintf(stderr, "mkseeds: %s %s: %s\n", what, path, strerror(errno));
	exit(1);
}

static void make_dir(const char *sub)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s", top, sub);
	if (mkdir(path, 0755) < 0 && errno != EEXIST)
		die("cannot create", path);
}

static void put_file(const char *sub, const char *name, const void *data,
		     size_t len)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s/%s", top, sub, name);
	f = fopen(path, "wb");
	if (!f)
		die("cannot create", path);
	if (len && fwrite(data, 1, len, f) != len)
		die("cannot write", path);
	if (fclose(f))
		die("cannot write", path);
}

/* ---- nlmsg: the recorded messages ---- */

static void dump_set(const char *set, const struct nl_record *recs, size_t n)
{
	unsigned char *all;
	size_t total = 0, i;
	char name[64];

	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "%s-%zu", set, i);
		put_file("nlmsg", name, recs[i].data, recs[i].len);
		total += (recs[i].len + 3) & ~(size_t)3;
	}
	all = calloc(1, total);
	if (!all)
		exit(1);
	total = 0;
	for (i = 0; i < n; i++) {
		memcpy(all + total, recs[i].data, recs[i].len);
		total += (recs[i].len + 3) & ~(size_t)3;
	}
	snprintf(name, sizeof(name), "%s-all", set);
	put_file("nlmsg", name, all, total);
	free(all);
}

/* ---- oidnext: fuzz_oidnext.c's encoding ---- */

struct seed {
	unsigned char b[256];
	size_t len;
};

static void byte(struct seed *s, unsigned v)
{
	s->b[s->len++] = (unsigned char)v;
}

/* A number: tag 0 + 1 byte, tag 2 + 4 bytes, tag 3 + 8 bytes. */
static void num(struct seed *s, uint64_t v)
{
	int bytes = v <= 0xff ? 1 : v <= 0xffffffffu ? 4 : 8;
	int i;

	byte(s, bytes == 1 ? 0 : bytes == 4 ? 2 : 3);
	for (i = 0; i < bytes; i++)
		byte(s, (unsigned)(v >> (8 * i)) & 0xff);
}

static void head(struct seed *s, uint32_t pinned, unsigned mincol,
		 unsigned maxcol, unsigned nrows)
{
	s->len = 0;
	num(s, pinned);
	num(s, mincol);
	num(s, maxcol);
	byte(s, nrows);
}

/* A row step indexes past the previous one, holding first..first+span. */
static void row(struct seed *s, uint64_t step, uint64_t first, uint64_t span)
{
	if (step <= 7) {
		byte(s, (unsigned)step);
	} else {
		byte(s, 0x80);
		num(s, step);
	}
	num(s, first);
	num(s, span);
}

/* A row with no sample yet. */
static void empty_row(struct seed *s, unsigned step)
{
	byte(s, 0x18 | (step & 7));
	num(s, 0);
}

static void request(struct seed *s, unsigned col, const uint64_t *suffix,
		    unsigned len)
{
	unsigned i;

	num(s, col);
	byte(s, len);
	for (i = 0; i < len; i++)
		num(s, suffix[i]);
}

static void oidnext_seeds(void)
{
	struct seed s;

	/* vnetTable: three networks with a full minute, walk from the top. */
	head(&s, 100, 2, 17, 3);
	row(&s, 1, 41, 59);
	row(&s, 1, 41, 59);
	row(&s, 3, 95, 5);
	request(&s, 2, NULL, 0);
	put_file("oidnext", "table-walk", s.b, s.len);

	/* vnetHistoryTable: one full, one empty, one ahead of pinned. */
	head(&s, 100, 2, 8, 3);
	row(&s, 1, 1, 99);
	empty_row(&s, 2);
	row(&s, 1, 90, 20);
	request(&s, 3, (const uint64_t[]){ 1, 70 }, 2);
	put_file("oidnext", "hist-mid", s.b, s.len);

	/* The top of every range: index 2^31-1, samples near 2^32-1. */
	head(&s, 0xffffffffu, 2, 17, 1);
	row(&s, 0x7fffffff, 0xffffffffu - 59, 59);
	request(&s, 2, (const uint64_t[]){ 0x100000000ull, 1ull << 63 }, 2);
	put_file("oidnext", "huge", s.b, s.len);

	/* Nothing sampled yet; a request below the first column. */
	head(&s, 0, 2, 8, 1);
	row(&s, 1, 1, 0);
	request(&s, 1, (const uint64_t[]){ 0 }, 1);
	put_file("oidnext", "before-first", s.b, s.len);

	/* Extra sub-identifiers, in the last column, pinned at 59. */
	head(&s, 59, 2, 8, 2);
	row(&s, 1, 1, 58);
	row(&s, 5, 30, 40);
	request(&s, 8, (const uint64_t[]){ 1, 59, 7 }, 3);
	put_file("oidnext", "extra-subids", s.b, s.len);

	/*
	 * As a whole OID, cut after the column (root.1.3) and inclusive:
	 * mode 5, then the length kept (12 + 2).
	 */
	head(&s, 100, 2, 8, 2);
	row(&s, 1, 41, 59);
	row(&s, 1, 50, 50);
	request(&s, 3, (const uint64_t[]){ 2, 60 }, 2);
	byte(&s, 5);
	byte(&s, 14);
	put_file("oidnext", "whole-oid-cut", s.b, s.len);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: mkseeds DIR\n");
		return 2;
	}
	top = argv[1];
	make_dir("");
	make_dir("nlmsg");
	make_dir("oidnext");
	dump_set("link", nl_link_records, NL_N_link_RECORDS);
	dump_set("stats", nl_stats_records, NL_N_stats_RECORDS);
	dump_set("event", nl_event_records, NL_N_event_RECORDS);
	oidnext_seeds();
	return 0;
}
