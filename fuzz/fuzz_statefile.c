/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fuzz_statefile.c - libFuzzer target for the state file (src/statefile.c).
 *
 * The input is written as a state file to a private temporary directory
 * (on /dev/shm when it can be, so that the fsync of every save costs
 * nothing), then:
 *
 *   1. vn_state_load(): 0 or 1 (a regular file never gives -1); the map
 *      holds valid names in strict name order, indexes in 1..2^31-1 that
 *      no two names share, all below the high-water mark "next"; and that
 *      mark is above every index number that could be read at the start
 *      of any line of the file (statefile.c's promise: a damaged file can
 *      lose names, never give one name's number to another);
 *   2. vn_state_save() and load again: a clean load (0) of the same map;
 *   3. vn_state_index() for a few names (some already there, some new,
 *      some invalid): a known name keeps its index, a new one gets the
 *      old mark and the mark moves on, an invalid one gets 0, and no two
 *      names ever share an index;
 *   4. save and load once more: the same map, loaded clean.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "statefile.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define INDEX_MAX 0x7fffffffu
#define NEXT_MAX 0x80000000u

static char dir[PATH_MAX];
static char in_path[PATH_MAX + 16];
static char out_path[PATH_MAX + 16];

static void fail(const char *what, const char *detail)
{
	fprintf(stderr, "fuzz_statefile: %s%s%s\n", what, detail ? ": " : "",
		detail ? detail : "");
	abort();
}

static void cleanup(void)
{
	unlink(in_path);
	unlink(out_path);
	rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *base = getenv("TMPDIR");

	(void)argc;
	(void)argv;
	if (access("/dev/shm", W_OK) == 0)
		base = "/dev/shm";
	else if (!base || !*base)
		base = "/tmp";
	snprintf(dir, sizeof(dir), "%s/vnet-fuzz-state.XXXXXX", base);
	if (!mkdtemp(dir))
		fail("mkdtemp failed", strerror(errno));
	snprintf(in_path, sizeof(in_path), "%s/input", dir);
	snprintf(out_path, sizeof(out_path), "%s/indexes", dir);
	atexit(cleanup);
	return 0;
}

static void write_file(const char *path, const uint8_t *data, size_t size)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

	if (fd < 0)
		fail("cannot create the input file", strerror(errno));
	while (size) {
		ssize_t n = write(fd, data, size);

		if (n <= 0)
			fail("cannot write the input file", strerror(errno));
		data += n;
		size -= (size_t)n;
	}
	close(fd);
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* The invariants of any map the code hands out. */
static void check_map(const struct vn_statemap *m, const char *when)
{
	uint32_t *idx;
	size_t i, j, len;

	if (m->n > m->cap)
		fail("more entries than room", when);
	if (m->next < 1 || m->next > NEXT_MAX)
		fail("the high-water mark is out of range", when);
	idx = malloc((m->n ? m->n : 1) * sizeof(*idx));
	if (!idx)
		abort();
	for (i = 0; i < m->n; i++) {
		const struct vn_stateent *e = &m->ents[i];

		len = strnlen(e->name, sizeof(e->name));
		if (!len || len > VN_NAME_MAX)
			fail("a name is empty or not terminated", when);
		for (j = 0; j < len; j++)
			if ((unsigned char)e->name[j] < 0x21 ||
			    (unsigned char)e->name[j] > 0x7e)
				fail("a name is not printable ASCII", when);
		if (i && strcmp(m->ents[i - 1].name, e->name) >= 0)
			fail("names not in strict order", when);
		if (e->index < 1 || e->index > INDEX_MAX)
			fail("an index is out of range", when);
		if (e->index >= m->next)
			fail("an index is not below the high-water mark", when);
		idx[i] = e->index;
	}
	if (m->n)
		qsort(idx, m->n, sizeof(*idx), cmp_u32);
	for (i = 1; i < m->n; i++)
		if (idx[i] == idx[i - 1])
			fail("two names share an index", when);
	free(idx);
}

/*
 * Every number at the start of a line of the file that could be an index
 * is below the mark: it may have been handed out to some name once.
 */
static void check_mark(const struct vn_statemap *m, const uint8_t *data,
		       size_t size)
{
	size_t pos = 0;

	while (pos < size) {
		const uint8_t *nl = memchr(data + pos, '\n', size - pos);
		size_t end = nl ? (size_t)(nl - data) : size;
		uint64_t v = 0;
		size_t i = pos;

		while (i < end && data[i] >= '0' && data[i] <= '9' &&
		       v <= INDEX_MAX)
			v = v * 10 + (uint64_t)(data[i++] - '0');
		if (i > pos && v >= 1 && v <= INDEX_MAX && v >= m->next) {
			char detail[64];

			snprintf(detail, sizeof(detail),
				 "index %llu on the line at byte %zu, next %u",
				 (unsigned long long)v, pos, m->next);
			fail("the high-water mark is not above an index in the "
			     "file",
			     detail);
		}
		pos = end + 1;
	}
}

static void same_map(const struct vn_statemap *a, const struct vn_statemap *b,
		     const char *when)
{
	size_t i;

	if (a->n != b->n || a->next != b->next)
		fail("the map changed", when);
	for (i = 0; i < a->n; i++)
		if (a->ents[i].index != b->ents[i].index ||
		    strcmp(a->ents[i].name, b->ents[i].name))
			fail("the map changed", when);
}

/* Save m, load it back: clean, and the same map. */
static void round_trip(const struct vn_statemap *m, const char *when)
{
	struct vn_statemap back;
	char err[256];
	int rc;

	if (vn_state_save(m, out_path, err, sizeof(err)) < 0)
		fail("save failed", err);
	vn_state_init(&back);
	rc = vn_state_load(&back, out_path, err, sizeof(err));
	if (rc != 0)
		fail("a saved map does not load clean", rc > 0 ? err : when);
	check_map(&back, when);
	same_map(m, &back, when);
	vn_state_free(&back);
}

static void index_name(struct vn_statemap *m, const char *name)
{
	uint32_t old_next = m->next, want = 0, got;
	size_t i, len = strlen(name);
	bool valid = len >= 1 && len <= VN_NAME_MAX, known = false, added;

	for (i = 0; i < len; i++)
		if ((unsigned char)name[i] < 0x21 ||
		    (unsigned char)name[i] > 0x7e)
			valid = false;
	for (i = 0; valid && i < m->n; i++)
		if (!strcmp(m->ents[i].name, name)) {
			known = true;
			want = m->ents[i].index;
		}
	got = vn_state_index(m, name, &added);
	if (!valid) {
		if (got || added || m->next != old_next)
			fail("an invalid name got an index", name);
		return;
	}
	if (known) {
		if (got != want || added || m->next != old_next)
			fail("a known name did not keep its index", name);
		return;
	}
	if (old_next > INDEX_MAX) { /* all used up */
		if (got || added || m->next != old_next)
			fail("an index given out past 2^31-1", name);
		return;
	}
	if (got != old_next || !added || m->next != old_next + 1)
		fail("a new name did not get the high-water mark", name);
	check_map(m, "after vn_state_index");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vn_statemap m;
	char err[256], from_input[VN_NAME_MAX + 2];
	int rc;
	size_t i, n;

	write_file(in_path, data, size);
	vn_state_init(&m);
	rc = vn_state_load(&m, in_path, err, sizeof(err));
	if (rc != 0 && rc != 1)
		fail("vn_state_load failed on a regular file", err);
	check_map(&m, "after loading the input");
	check_mark(&m, data, size);
	round_trip(&m, "after loading the input");

	/* A known name, new names, a name from the input, invalid names. */
	if (m.n) {
		char known[VN_NAME_MAX + 1];

		memcpy(known, m.ents[m.n / 2].name, sizeof(known));
		index_name(&m, known);
	}
	index_name(&m, "br0");
	index_name(&m, "virbr0");
	n = size < VN_NAME_MAX + 1 ? size : VN_NAME_MAX + 1;
	for (i = 0; i < n; i++)
		from_input[i] =
			data[size - n + i] ? (char)data[size - n + i] : '_';
	from_input[n] = '\0';
	index_name(&m, from_input);
	index_name(&m, "br0"); /* known by now */
	index_name(&m, "");
	index_name(&m, "two words");
	round_trip(&m, "after vn_state_index");

	vn_state_free(&m);
	return 0;
}
