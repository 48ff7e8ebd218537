/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_statefile.c - the name -> vnetIndex map and its file.
 *
 * Each test gets a fresh mkdtemp directory. Failures of fsync(2) and
 * rename(2) are injected by defining those two functions here: the
 * executable's definitions win over libc's for the code in libvnetcore.a,
 * and pass through to the system calls unless a failure is armed. That is
 * how "the old file survives a failed save" is tested without chmod
 * (which does not stop root).
 */
#include <config.h>

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "statefile.h"

#define HDR "# vnet-agentx indexes v1\n"
#define IDX_MAX 2147483647u

/* ---- fault injection ---- */

static int fsync_calls, fsync_fail_at;	/* fail the Nth call (1-based) */
static int rename_fail_errno;

int fsync(int fd)
{
	if (++fsync_calls == fsync_fail_at) {
		errno = EIO;
		return -1;
	}
	return (int)syscall(SYS_fsync, fd);
}

int rename(const char *from, const char *to)
{
	if (rename_fail_errno) {
		errno = rename_fail_errno;
		return -1;
	}
	return renameat(AT_FDCWD, from, AT_FDCWD, to);
}

/* ---- fixture ---- */

struct fx {
	char dir[64];
	char path[128];		/* dir/indexes */
};

static int setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));

	if (!fx)
		return -1;
	strcpy(fx->dir, "/tmp/test_statefile.XXXXXX");
	if (!mkdtemp(fx->dir)) {
		free(fx);
		return -1;
	}
	snprintf(fx->path, sizeof(fx->path), "%s/%s", fx->dir, VN_STATE_FILE);
	fsync_calls = 0;
	fsync_fail_at = 0;
	rename_fail_errno = 0;
	*state = fx;
	return 0;
}

static int rm_one(const char *path, const struct stat *st, int flag,
		  struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static int teardown(void **state)
{
	struct fx *fx = *state;
	int ret = nftw(fx->dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);

	free(fx);
	return ret;
}

static void write_bytes(const char *path, const char *data, size_t len)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

static void write_str(const char *path, const char *s)
{
	write_bytes(path, s, strlen(s));
}

static char *read_all(const char *path)
{
	char *s = NULL;
	size_t cap = 0;
	FILE *f = fopen(path, "r");
	ssize_t n;

	assert_non_null(f);
	n = getdelim(&s, &cap, '\0', f);
	assert_true(n >= 0 || feof(f));
	if (n < 0) {
		free(s);
		s = strdup("");
	}
	fclose(f);
	return s;
}

/* The names in dir other than "." and "..", sorted, comma-separated. */
static char *list_dir(const char *dir)
{
	struct dirent **ents;
	char *s = NULL;
	size_t len;
	FILE *f = open_memstream(&s, &len);
	int n, i;

	assert_non_null(f);
	n = scandir(dir, &ents, NULL, alphasort);
	assert_true(n >= 0);
	for (i = 0; i < n; i++) {
		const char *name = ents[i]->d_name;

		if (strcmp(name, ".") && strcmp(name, ".."))
			fprintf(f, "%s%s", ftell(f) ? "," : "", name);
		free(ents[i]);
	}
	free(ents);
	fclose(f);
	return s;
}

static void assert_dir_is(const char *dir, const char *want)
{
	char *got = list_dir(dir);

	assert_string_equal(got, want);
	free(got);
}

/* "a=1,b=2 next=3", the whole map in order. */
static char *show(const struct vn_statemap *m)
{
	char *s = NULL;
	size_t len, i;
	FILE *f = open_memstream(&s, &len);

	assert_non_null(f);
	for (i = 0; i < m->n; i++)
		fprintf(f, "%s%s=%u", i ? "," : "", m->ents[i].name,
			m->ents[i].index);
	fprintf(f, " next=%u", m->next);
	fclose(f);
	return s;
}

static void assert_map(const struct vn_statemap *m, const char *want)
{
	char *got = show(m);

	assert_string_equal(got, want);
	free(got);
}

/* What must hold for any map, whatever file it came from. */
static void assert_sane(const struct vn_statemap *m)
{
	size_t i, j;

	assert_true(m->next >= 1 && m->next <= IDX_MAX + 1u);
	assert_true(m->n <= m->cap || (m->n == 0 && m->cap == 0));
	for (i = 0; i < m->n; i++) {
		assert_true(m->ents[i].index >= 1);
		assert_true(m->ents[i].index < m->next);
		if (i)
			assert_true(strcmp(m->ents[i - 1].name,
					   m->ents[i].name) < 0);
		for (j = 0; j < i; j++)
			assert_int_not_equal(m->ents[i].index,
					     m->ents[j].index);
	}
}

static void assert_same(const struct vn_statemap *a,
			const struct vn_statemap *b)
{
	size_t i;

	assert_int_equal(a->n, b->n);
	assert_int_equal(a->next, b->next);
	for (i = 0; i < a->n; i++) {
		assert_string_equal(a->ents[i].name, b->ents[i].name);
		assert_int_equal(a->ents[i].index, b->ents[i].index);
	}
}

/* ---- index assignment ---- */

static void test_assign(void **state)
{
	struct vn_statemap m;
	bool added;

	(void)state;
	vn_state_init(&m);
	assert_map(&m, " next=1");
	assert_int_equal(vn_state_index(&m, "virbr0", &added), 1);
	assert_true(added);
	assert_int_equal(vn_state_index(&m, "br0", &added), 2);
	assert_true(added);
	assert_int_equal(vn_state_index(&m, "docker0", NULL), 3);
	assert_int_equal(vn_state_index(&m, "virbr0", &added), 1);
	assert_false(added);
	assert_int_equal(vn_state_index(&m, "br0", NULL), 2);
	assert_map(&m, "br0=2,docker0=3,virbr0=1 next=4");
	assert_sane(&m);
	vn_state_free(&m);
	assert_map(&m, " next=1");
	vn_state_free(&m);
}

static void test_assign_bad_names(void **state)
{
	static const char *const bad[] = {
		"", "a b", " a", "a ", "a\tb", "a\nb", "a\001", "a\177",
		"caf\303\251",
		"0123456789012345678901234567890123456789"
		"0123456789012345678901234",
	};
	struct vn_statemap m;
	bool added = true;
	size_t i;

	(void)state;
	vn_state_init(&m);
	assert_int_equal(vn_state_index(&m, "x", NULL), 1);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		added = true;
		assert_int_equal(vn_state_index(&m, bad[i], &added), 0);
		assert_false(added);
	}
	assert_int_equal(vn_state_index(&m, NULL, &added), 0);
	/* 64 characters and every printable one are fine */
	assert_int_equal(vn_state_index(&m,
		"0123456789012345678901234567890123456789"
		"012345678901234567890123", NULL), 2);
	assert_int_equal(vn_state_index(&m,
		"!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~", NULL), 3);
	assert_map(&m, "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~=3,"
		   "0123456789012345678901234567890123456789012345678901234567"
		   "890123=2,x=1 next=4");
	vn_state_free(&m);
}

static void test_exhaustion(void **state)
{
	struct fx *fx = *state;
	struct vn_statemap m;
	char err[512];
	bool added;

	vn_state_init(&m);
	write_str(fx->path, HDR "next 2147483646\n1 a\n");
	assert_int_equal(vn_state_load(&m, fx->path, err, sizeof(err)), 0);
	assert_int_equal(vn_state_index(&m, "b", &added), 2147483646);
	assert_int_equal(vn_state_index(&m, "c", &added), IDX_MAX);
	assert_true(added);
	assert_int_equal(m.next, IDX_MAX + 1u);
	assert_int_equal(vn_state_index(&m, "d", &added), 0);
	assert_false(added);
	/* the names that have one keep it */
	assert_int_equal(vn_state_index(&m, "c", &added), IDX_MAX);
	assert_false(added);
	assert_int_equal(vn_state_index(&m, "a", NULL), 1);
	assert_sane(&m);

	/* and it survives a round trip, still used up, still no error */
	assert_int_equal(vn_state_save(&m, fx->path, err, sizeof(err)), 0);
	assert_int_equal(vn_state_load(&m, fx->path, err, sizeof(err)), 0);
	assert_map(&m, "a=1,b=2147483646,c=2147483647 next=2147483648");
	assert_int_equal(vn_state_index(&m, "d", NULL), 0);

	/* an entry at the top is enough to use everything up */
	write_str(fx->path, HDR "next 5\n2147483647 a\n");
	assert_int_equal(vn_state_load(&m, fx->path, err, sizeof(err)), 1);
	assert_int_equal(m.next, IDX_MAX + 1u);
	assert_int_equal(vn_state_index(&m, "b", NULL), 0);
	vn_state_free(&m);
}

/* Many names in random order: growth, insertion order, lookup. */
static void test_many(void **state)
{
	struct fx *fx = *state;
	struct vn_statemap m, m2;
	enum { N = 3000 };
	char name[32], err[512];
	uint32_t *idx = calloc(N, sizeof(*idx));
	unsigned int i, k;
	bool added;

	assert_non_null(idx);
	vn_state_init(&m);
	for (i = 0; i < N; i++) {
		k = (i * 7919u) % N;	/* a permutation: 7919 is prime */
		snprintf(name, sizeof(name), "br-%08x", k * 2654435761u);
		idx[k] = vn_state_index(&m, name, &added);
		assert_true(added);
		assert_int_equal(idx[k], i + 1);
	}
	assert_int_equal(m.n, N);
	assert_sane(&m);
	assert_int_equal(vn_state_save(&m, fx->path, err, sizeof(err)), 0);
	vn_state_init(&m2);
	assert_int_equal(vn_state_load(&m2, fx->path, err, sizeof(err)), 0);
	assert_int_equal(m2.n, N);
	assert_int_equal(m2.next, N + 1);
	assert_same(&m, &m2);
	for (k = 0; k < N; k++) {
		snprintf(name, sizeof(name), "br-%08x", k * 2654435761u);
		assert_int_equal(vn_state_index(&m2, name, &added), idx[k]);
		assert_false(added);
	}
	assert_int_equal(vn_state_index(&m2, "new", &added), N + 1);
	vn_state_free(&m);
	vn_state_free(&m2);
	free(idx);
}

/* ---- save and load ---- */

static void test_missing_file(void **state)
{
	struct fx *fx = *state;
	struct vn_statemap m;
	char err[512] = "untouched";

	vn_state_init(&m);
	assert_int_equal(vn_state_index(&m, "old", NULL), 1);
	/* load resets the map first */
	assert_int_equal(vn_state_load(&m, fx->path, err, sizeof(err)), 0);
	assert_map(&m, " next=1");
	assert_int_equal(vn_state_index(&m, "br0", NULL), 1);
	vn_state_free(&m);
}

static void test_save_format(void **state)
{
	struct fx *fx = *state;
	struct vn_statemap m;
	char err[512];
	struct stat st;
	char *s;

	vn_state_init(&m);
	vn_state_index(&m, "virbr0", NULL);
	vn_state_index(&m, "br0", NULL);
	vn_state_index(&m, "ovs", NULL);
	assert_int_equal(vn_state_save(&m, fx->path, err, sizeof(err)), 0);
	s = read_all(fx->path);
	assert_string_equal(s, HDR "next 4\n2 br0\n3 ovs\n1 virbr0\n");
	free(s);
	assert_int_equal(stat(fx->path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0644);
	assert_dir_is(fx->dir, "indexes");
	/* the file fsynced, then the directory */
	assert_int_equal(fsync_calls, 2);

	/* an empty map still records the high-water mark */
	vn_state_free(&m);
	m.next = 17;
	assert_int_equal(vn_state_save(&m, fx->path, err, sizeof(err)), 0);
	s = read_all(fx->path);
	assert_string_equal(s, HDR "next 17\n");
	free(s);
	vn_state_free(&m);
}

static void test_round_trip(void **state)
{
	struct fx *fx = *state;
	struct vn_statemap m;
	char err[512];
	bool added;

	vn_state_init(&m);
	/* a mark above every index survives (names that are gone) */
	write_str(fx->path, HDR "next 100\n7 br0\n99 virbr0\n");
	assert_int_equal(vn_state_load(&m, fx->path, err, sizeof(err)), 0);
	assert_map(&m, "br0=7,virbr0=99 next=100");
	assert_int_equal(vn_state_index(&m, "ovs", &added), 100);
	assert_true(added);
	assert_int_equal(vn_state_save(&m, fx->path, err, sizeof(err)), 0);
	assert_int_equal(vn_state_load(&m, fx->path, err, sizeof(err)), 0);
	assert_map(&m, "br0=7,ovs=100,virbr0=99 next=101");
	/* loading twice into the same map gives the same map */
	assert_int_equal(vn_state_load(&m, fx->path, err, sizeof(err)), 0);
	assert_map(&m, "br0=7,ovs=100,virbr0=99 next=101");
	vn_state_free(&m);
}

/* A map built by hand with next too low is still saved safely. */
static void test_save_fixes_next(void **state)
{
	struct fx *fx = *state;
	struct vn_statemap m;
	char err[512];
	char *s;

	vn_state_init(&m);
	vn_state_index(&m, "a", NULL);
	vn_state_index(&m, "b", NULL);
	m.next = 1;
	assert_int_equal(vn_state_save(&m, fx->path, err, sizeof(err)), 0);
	s = read_all(fx->path);
	assert_string_equal(s, HDR "next 3\n1 a\n2 b\n");
	free(s);
	vn_state_free(&m);
}

/* ---- save failures: the old file stays, no temp file is left ---- */

static const char old_file[] = HDR "next 2\n1 old\n";

static void prepare_old(struct fx *fx, struct vn_statemap *m)
{
	write_str(fx->path, old_file);
	vn_state_init(m);
	vn_state_index(m, "new1", NULL);
	vn_state_index(m, "new2", NULL);
}

static void assert_old_intact(struct fx *fx)
{
	char *s = read_all(fx->path);

	assert_string_equal(s, old_file);
	free(s);
	assert_dir_is(fx->dir, "indexes");
}

static void test_save_fsync_fails(void **state)
{
	struct fx *fx = *state;
	struct vn_statemap m;
	char err[512];

	prepare_old(fx, &m);
	fsync_fail_at = 1;
	assert_int_equal(vn_state_save(&m, fx->path, err, sizeof(err)), -1);
	assert_non_null(strstr(err, fx->path));
	assert_non_null(strstr(err, "Input/output error"));
	assert_old_intact(fx);
	vn_state_free(&m);
}

static void test_save_rename_fails(void **state)
{
	struct fx *fx = *state;
	struct vn_statemap m;
	char err[512], want[256];

	prepare_old(fx, &m);
	rename_fail_errno = ENOSPC;
	assert_int_equal(vn_state_save(&m, fx->path, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "cannot rename the temporary file to "
		 "%s: No space left on device", fx->path);
	assert_string_equal(err, want);
	assert_old_intact(fx);
	vn_state_free(&m);
}

/* After the rename the new file is in place, but it is not yet durable. */
static void test_save_dir_fsync_fails(void **state)
{
	struct fx *fx = *state;
	struct vn_statemap m;
	char err[512], want[256];
	char *s;

	prepare_old(fx, &m);
	fsync_fail_at = 2;
	assert_int_equal(vn_state_save(&m, fx->path, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "cannot sync the directory of %s: "
		 "Input/output error", fx->path);
	assert_string_equal(err, want);
	s = read_all(fx->path);
	assert_string_equal(s, HDR "next 3\n1 new1\n2 new2\n");
	free(s);
	assert_dir_is(fx->dir, "indexes");
	vn_state_free(&m);
}

static void test_save_target_is_dir(void **state)
{
	struct fx *fx = *state;
	struct vn_statemap m;
	char err[512], want[256];

	vn_state_init(&m);
	vn_state_index(&m, "a", NULL);
	assert_int_equal(mkdir(fx->path, 0755), 0);
	assert_int_equal(vn_state_save(&m, fx->path, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "cannot rename the temporary file to "
		 "%s: Is a directory", fx->path);
	assert_string_equal(err, want);
	assert_dir_is(fx->dir, "indexes");
	vn_state_free(&m);
}

static void test_save_dir_missing(void **state)
{
	struct fx *fx = *state;
	struct vn_statemap m;
	char path[256], err[512], want[512];

	vn_state_init(&m);
	snprintf(path, sizeof(path), "%s/gone/indexes", fx->dir);
	assert_int_equal(vn_state_save(&m, path, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "cannot create a temporary file for %s: "
		 "No such file or directory", path);
	assert_string_equal(err, want);
	assert_dir_is(fx->dir, "");
	vn_state_free(&m);
}

/* A successful save replaces the old file whole. */
static void test_save_replaces(void **state)
{
	struct fx *fx = *state;
	struct vn_statemap m;
	char err[512];
	char *s;

	prepare_old(fx, &m);
	assert_int_equal(vn_state_save(&m, fx->path, err, sizeof(err)), 0);
	s = read_all(fx->path);
	assert_string_equal(s, HDR "next 3\n1 new1\n2 new2\n");
	free(s);
	assert_dir_is(fx->dir, "indexes");
	vn_state_free(&m);
}

/* ---- load errors ---- */

static void test_load_io_error(void **state)
{
	struct fx *fx = *state;
	struct vn_statemap m;
	char err[512], want[256];

	vn_state_init(&m);
	vn_state_index(&m, "a", NULL);
	assert_int_equal(mkdir(fx->path, 0755), 0);
	assert_int_equal(vn_state_load(&m, fx->path, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "cannot read %s: Is a directory",
		 fx->path);
	assert_string_equal(err, want);
	assert_map(&m, " next=1");
	vn_state_free(&m);
}

struct garbled {
	const char *name;
	const char *data;
	size_t len;		/* 0: strlen(data) */
	int ret;
	const char *err;	/* after "PATH: " */
	const char *map;	/* as show() prints it */
};

#define G(n, d, r, e, m) { n, d, sizeof(d) - 1, r, e, m }

static const struct garbled garbled[] = {
	/* good files */
	G("minimal", HDR "next 1\n", 0, NULL, " next=1"),
	G("one", HDR "next 2\n1 a\n", 0, NULL, "a=1 next=2"),
	G("unsorted is fine", HDR "next 9\n5 z\n2 a\n", 0, NULL,
	  "a=2,z=5 next=9"),
	G("leading zeros", HDR "next 09\n007 a\n", 0, NULL, "a=7 next=9"),
	G("exhausted", HDR "next 2147483648\n", 0, NULL, " next=2147483648"),

	/* the header and the next line */
	G("empty", "", 1, "line 1: empty file", " next=1"),
	G("header only", HDR, 1, "line 2: missing 'next' line", " next=1"),
	G("bad header", "# vnet-agentx indexes v2\nnext 3\n1 a\n", 1,
	  "line 1: not a vnet-agentx index file (bad header)", "a=1 next=3"),
	G("no header", "next 3\n1 a\n", 1,
	  "line 1: not a vnet-agentx index file (bad header)", "a=1 next=3"),
	G("entry on line 1", "4 a\nnext 3\n", 1,
	  "line 1: not a vnet-agentx index file (bad header)", "a=4 next=5"),
	G("no next", HDR "1 a\n", 1, "line 2: expected 'next N'",
	  "a=1 next=2"),
	G("next late", HDR "1 a\nnext 7\n", 1, "line 2: expected 'next N'",
	  "a=1 next=7"),
	G("next twice", HDR "next 3\nnext 9\n1 a\n", 1,
	  "line 3: unexpected 'next' line", "a=1 next=9"),
	G("next twice lower", HDR "next 9\nnext 3\n1 a\n", 1,
	  "line 3: unexpected 'next' line", "a=1 next=9"),
	G("next word", HDR "next x\n1 a\n", 1, "line 2: bad 'next' line",
	  "a=1 next=2"),
	G("next 0", HDR "next 0\n", 1, "line 2: bad 'next' line", " next=1"),
	G("next too big", HDR "next 2147483649\n1 a\n", 1,
	  "line 2: bad 'next' line", "a=1 next=2"),
	G("next huge", HDR "next 99999999999999999999\n", 1,
	  "line 2: bad 'next' line", " next=1"),
	G("next negative", HDR "next -5\n", 1, "line 2: bad 'next' line",
	  " next=1"),
	G("next plus", HDR "next +5\n", 1, "line 2: bad 'next' line",
	  " next=1"),
	G("next two blanks", HDR "next  5\n", 1, "line 2: bad 'next' line",
	  " next=1"),
	G("next tab", HDR "next\t5\n", 1, "line 2: bad 'next' line",
	  " next=1"),
	G("next glued", HDR "next5\n", 1, "line 2: bad 'next' line",
	  " next=1"),
	G("next trailing", HDR "next 5 \n", 1, "line 2: bad 'next' line",
	  " next=1"),
	G("next hex", HDR "next 0x10\n", 1, "line 2: bad 'next' line",
	  " next=1"),
	G("header CRLF", "# vnet-agentx indexes v1\r\nnext 3\n", 1,
	  "line 1: not a vnet-agentx index file (bad header)", " next=3"),

	/* entry lines */
	G("index word", HDR "next 5\nx a\n2 b\n", 1, "line 3: bad index",
	  "b=2 next=5"),
	G("index 0", HDR "next 5\n0 a\n", 1, "line 3: bad index", " next=5"),
	G("index 2^31", HDR "next 5\n2147483648 a\n", 1, "line 3: bad index",
	  " next=5"),
	G("index 2^32", HDR "next 5\n4294967296 a\n", 1, "line 3: bad index",
	  " next=5"),
	G("index negative", HDR "next 5\n-1 a\n", 1, "line 3: bad index",
	  " next=5"),
	G("index blank first", HDR "next 5\n 1 a\n", 1, "line 3: bad index",
	  " next=5"),
	G("index only", HDR "next 5\n77\n", 1, "line 3: expected 'INDEX NAME'",
	  " next=78"),
	G("index tab", HDR "next 5\n8\ta\n", 1,
	  "line 3: expected 'INDEX NAME'", " next=9"),
	G("index glued", HDR "next 5\n8a\n", 1,
	  "line 3: expected 'INDEX NAME'", " next=9"),
	G("name empty", HDR "next 5\n8 \n", 1, "line 3: bad name", " next=9"),
	G("two blanks", HDR "next 5\n8  a\n", 1, "line 3: bad name",
	  " next=9"),
	G("name blank", HDR "next 5\n8 a b\n", 1, "line 3: bad name",
	  " next=9"),
	G("name trailing", HDR "next 5\n8 a \n", 1, "line 3: bad name",
	  " next=9"),
	G("name CR", HDR "next 5\n3 a\r\n", 1, "line 3: bad name", " next=5"),
	G("name control", HDR "next 5\n3 a\001\n", 1, "line 3: bad name",
	  " next=5"),
	G("name DEL", HDR "next 5\n3 a\177\n", 1, "line 3: bad name",
	  " next=5"),
	G("name UTF-8", HDR "next 5\n3 caf\303\251\n", 1, "line 3: bad name",
	  " next=5"),
	G("name 65", HDR "next 5\n9 0123456789012345678901234567890123456789"
	  "0123456789012345678901234\n", 1, "line 3: bad name", " next=10"),
	G("name 64", HDR "next 5\n9 0123456789012345678901234567890123456789"
	  "012345678901234567890123\n", 1,
	  "line 3: index 9 is not below next 5",
	  "0123456789012345678901234567890123456789012345678901234567890123=9"
	  " next=10"),
	G("NUL", HDR "next 5\n1 a\0x\n2 b\n", 1, "line 3: NUL byte in line",
	  "b=2 next=5"),
	G("empty line", HDR "next 5\n\n1 a\n", 1, "line 3: empty line",
	  "a=1 next=5"),
	G("comment", HDR "next 5\n1 a\n# hi\n", 1, "line 4: unexpected comment",
	  "a=1 next=5"),
	G("second header", HDR "next 5\n" HDR "1 a\n", 1,
	  "line 3: unexpected comment", "a=1 next=5"),

	/* duplicates and the high-water mark */
	G("dup name", HDR "next 5\n1 a\n2 a\n", 1,
	  "line 4: name 'a' already used on line 3", "a=1 next=5"),
	G("dup name thrice", HDR "next 5\n3 a\n2 a\n1 a\n", 1,
	  "line 4: name 'a' already used on line 3", "a=3 next=5"),
	G("dup index", HDR "next 5\n1 a\n1 b\n", 1,
	  "line 4: index 1 already used on line 3", "a=1 next=5"),
	G("dup index thrice", HDR "next 5\n1 c\n1 b\n1 a\n", 1,
	  "line 4: index 1 already used on line 3", "c=1 next=5"),
	G("dup whole line", HDR "next 5\n1 a\n1 a\n", 1,
	  "line 4: index 1 already used on line 3", "a=1 next=5"),
	G("dup chain", HDR "next 9\n5 a\n5 b\n6 b\n", 1,
	  "line 4: index 5 already used on line 3", "a=5,b=6 next=9"),
	G("index at next", HDR "next 2\n1 a\n2 b\n", 1,
	  "line 4: index 2 is not below next 2", "a=1,b=2 next=3"),
	G("index above next", HDR "next 2\n1 a\n5 b\n", 1,
	  "line 4: index 5 is not below next 2", "a=1,b=5 next=6"),
	G("first problem wins", HDR "next 5\n1 a\nx\n1 b\n", 1,
	  "line 4: bad index", "a=1 next=5"),
	G("earlier dup wins", HDR "next 5\n1 a\n1 b\nzz\n", 1,
	  "line 4: index 1 already used on line 3", "a=1 next=5"),

	/* cut off: the last line has no newline */
	G("cut header", "# vnet-agentx", 1,
	  "line 1: truncated (no newline at the end)", " next=1"),
	G("cut whole header", HDR "next 5", 1,
	  "line 2: truncated (no newline at the end)", " next=5"),
	G("cut entry", HDR "next 5\n1 a\n2 b", 1,
	  "line 4: truncated (no newline at the end)", "a=1 next=5"),
	G("cut entry big", HDR "next 5\n1 a\n9 b", 1,
	  "line 4: truncated (no newline at the end)", "a=1 next=10"),
	G("cut index", HDR "next 5\n1 a\n12", 1,
	  "line 4: truncated (no newline at the end)", "a=1 next=13"),

	/* not ours at all */
	G("binary", "\177ELF\002\001\001\0\0\0\n\0\0\0\0\0", 1,
	  "line 1: NUL byte in line", " next=1"),
	G("text", "hello world\nthis is not it\n", 1,
	  "line 1: not a vnet-agentx index file (bad header)", " next=1"),
};

static void test_garbled(void **state)
{
	struct fx *fx = *state;
	size_t i;

	for (i = 0; i < sizeof(garbled) / sizeof(garbled[0]); i++) {
		const struct garbled *g = &garbled[i];
		struct vn_statemap m, m2;
		char err[512], want[512];
		uint32_t fresh;
		size_t j;
		char *s;
		int ret;

		write_bytes(fx->path, g->data, g->len);
		vn_state_init(&m);
		vn_state_index(&m, "stale", NULL);
		strcpy(err, "untouched");
		ret = vn_state_load(&m, fx->path, err, sizeof(err));
		if (ret != g->ret)
			fail_msg("%s: returned %d: %s", g->name, ret, err);
		if (g->err) {
			snprintf(want, sizeof(want), "%s: %s", fx->path,
				 g->err);
			if (strcmp(err, want))
				fail_msg("%s: err '%s'", g->name, err);
		}
		s = show(&m);
		if (strcmp(s, g->map))
			fail_msg("%s: map '%s', want '%s'", g->name, s, g->map);
		free(s);
		assert_sane(&m);

		/* a new name never gets a number seen in the file */
		fresh = vn_state_index(&m, "fresh-name", NULL);
		for (j = 0; j < m.n; j++)
			if (strcmp(m.ents[j].name, "fresh-name"))
				assert_int_not_equal(m.ents[j].index, fresh);

		/* and what the caller then saves loads cleanly */
		assert_int_equal(vn_state_save(&m, fx->path, err,
					       sizeof(err)), 0);
		vn_state_init(&m2);
		assert_int_equal(vn_state_load(&m2, fx->path, err,
					       sizeof(err)), 0);
		assert_same(&m, &m2);
		vn_state_free(&m2);
		vn_state_free(&m);
	}
}

/*
 * Cut a valid file at every byte offset: never a crash, never an entry
 * that was not in the original, never a number handed out twice.
 */
static void test_truncated_everywhere(void **state)
{
	struct fx *fx = *state;
	struct vn_statemap orig, m;
	char err[512], name[32];
	size_t len, cut, i, j;
	size_t next_end;	/* offset just past "next N\n" */
	char *data;
	int ret;

	vn_state_init(&orig);
	for (i = 0; i < 40; i++) {
		snprintf(name, sizeof(name), "net%zu", (i * 17) % 40);
		vn_state_index(&orig, name, NULL);
	}
	/* numbers of several widths, and a mark above them all */
	orig.ents[3].index = 1234567;
	orig.ents[5].index = 2147483647u - 1;
	orig.next = 2147483647u;
	assert_int_equal(vn_state_save(&orig, fx->path, err, sizeof(err)), 0);
	data = read_all(fx->path);
	len = strlen(data);
	next_end = strchr(strchr(data, '\n') + 1, '\n') + 1 - data;

	for (cut = 0; cut <= len; cut++) {
		bool at_line_end = cut == len || (cut && data[cut - 1] == '\n');

		write_bytes(fx->path, data, cut);
		vn_state_init(&m);
		ret = vn_state_load(&m, fx->path, err, sizeof(err));
		assert_true(ret == 0 || ret == 1);
		if (cut >= next_end && at_line_end)
			assert_int_equal(ret, 0);
		else
			assert_int_equal(ret, 1);
		assert_sane(&m);
		/* every entry kept is exactly one of the original's */
		for (i = 0; i < m.n; i++) {
			size_t pos = orig.n;

			for (j = 0; j < orig.n; j++)
				if (!strcmp(orig.ents[j].name, m.ents[i].name))
					pos = j;
			assert_true(pos < orig.n);
			assert_int_equal(m.ents[i].index, orig.ents[pos].index);
		}
		/* once the mark is read, nothing old is ever reissued */
		if (cut >= next_end)
			assert_int_equal(m.next, orig.next);
		vn_state_free(&m);
	}
	free(data);
	vn_state_free(&orig);
}

/* ---- the start-up check ---- */

static void test_check_dir(void **state)
{
	struct fx *fx = *state;
	char path[256], err[512];
	struct stat st;

	/* there and writable */
	assert_int_equal(vn_state_check_dir(fx->dir, err, sizeof(err)), 0);
	assert_dir_is(fx->dir, "");

	/* made with its parents, trailing and doubled slashes allowed */
	snprintf(path, sizeof(path), "%s/a//b/c/", fx->dir);
	assert_int_equal(vn_state_check_dir(path, err, sizeof(err)), 0);
	snprintf(path, sizeof(path), "%s/a/b/c", fx->dir);
	assert_int_equal(stat(path, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	assert_int_equal(st.st_mode & 0700, 0700);
	assert_dir_is(path, "");
	/* and again, now that it exists */
	assert_int_equal(vn_state_check_dir(path, err, sizeof(err)), 0);

	/* an existing state file is fine */
	snprintf(path, sizeof(path), "%s/indexes", fx->dir);
	write_str(path, old_file);
	assert_int_equal(vn_state_check_dir(fx->dir, err, sizeof(err)), 0);
	assert_dir_is(fx->dir, "a,indexes");
	assert_int_equal(unlink(path), 0);
}

static void test_check_dir_errors(void **state)
{
	struct fx *fx = *state;
	char path[256], file[128], err[512], want[512];

	assert_int_equal(vn_state_check_dir(NULL, err, sizeof(err)), -1);
	assert_string_equal(err, "state directory not set");
	assert_int_equal(vn_state_check_dir("", err, sizeof(err)), -1);

	/* the directory is a file */
	snprintf(file, sizeof(file), "%s/file", fx->dir);
	write_str(file, "x");
	assert_int_equal(vn_state_check_dir(file, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "state directory %s is not a directory",
		 file);
	assert_string_equal(err, want);

	/* a parent is a file */
	snprintf(path, sizeof(path), "%s/sub/dir", file);
	assert_int_equal(vn_state_check_dir(path, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "cannot create state directory %s/sub: "
		 "Not a directory", file);
	assert_string_equal(err, want);

	/* the state file is a directory: a save could never replace it */
	snprintf(path, sizeof(path), "%s/indexes", fx->dir);
	assert_int_equal(mkdir(path, 0755), 0);
	assert_int_equal(vn_state_check_dir(fx->dir, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "state file %s is not a regular file",
		 path);
	assert_string_equal(err, want);
	assert_dir_is(fx->dir, "file,indexes");

	/* a file system where nothing can be created */
	assert_int_equal(vn_state_check_dir("/proc/self/fd", err,
					    sizeof(err)), -1);
	assert_non_null(strstr(err, "/proc/self/fd"));
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_assign),
		T(test_assign_bad_names),
		T(test_exhaustion),
		T(test_many),
		T(test_missing_file),
		T(test_save_format),
		T(test_round_trip),
		T(test_save_fixes_next),
		T(test_save_fsync_fails),
		T(test_save_rename_fails),
		T(test_save_dir_fsync_fails),
		T(test_save_target_is_dir),
		T(test_save_dir_missing),
		T(test_save_replaces),
		T(test_load_io_error),
		T(test_garbled),
		T(test_truncated_everywhere),
		T(test_check_dir),
		T(test_check_dir_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
