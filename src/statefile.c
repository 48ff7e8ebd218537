/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * statefile.c - the name -> vnetIndex map and its file.
 *
 * The file is plain text, written only by vn_state_save():
 *
 *	# vnet-agentx indexes v1
 *	next 7
 *	3 br0
 *	1 virbr0
 *
 * "next" is the high-water mark: every index ever handed out is below it,
 * so a name seen for the first time never gets the number of one that is
 * gone. Entries follow in name order, one "INDEX NAME" per line, with
 * exactly one space; names are vnetNames without blanks (1..64 bytes of
 * printable ASCII other than space).
 *
 * Reading is forgiving but never unsafe: whatever is well formed is kept,
 * and the high-water mark ends up above every index number that could be
 * read anywhere in the file, so a damaged file can lose names (they get
 * new numbers) but can never make two names share one.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"
#include "statefile.h"

/* vnetIndex is (1..2147483647); next == VN_NEXT_MAX: all used up */
#define VN_INDEX_MAX 2147483647u
#define VN_NEXT_MAX (VN_INDEX_MAX + 1u)
#define VN_HEADER "# vnet-agentx indexes v1"
#define VN_TMP_SUFFIX ".XXXXXX"

/* A vnetName as we store it: 1..64 bytes in '!'..'~'. */
static bool name_ok(const char *s, size_t len)
{
	size_t i;

	if (!len || len > VN_NAME_MAX)
		return false;
	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] < 0x21 || (unsigned char)s[i] > 0x7e)
			return false;
	return true;
}

void vn_state_init(struct vn_statemap *m)
{
	m->ents = NULL;
	m->n = 0;
	m->cap = 0;
	m->next = 1;
}

void vn_state_free(struct vn_statemap *m)
{
	free(m->ents);
	vn_state_init(m);
}

/*
 * Binary search by name. Returns true if found; *pos is where name is or
 * where it would be inserted to keep the array sorted.
 */
static bool find(const struct vn_statemap *m, const char *name, size_t *pos)
{
	size_t lo = 0, hi = m->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(m->ents[mid].name, name);

		if (!c) {
			*pos = mid;
			return true;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*pos = lo;
	return false;
}

static int grow(struct vn_statemap *m)
{
	size_t cap = m->cap ? m->cap * 2 : 16;
	struct vn_stateent *ents;

	if (m->n < m->cap)
		return 0;
	if (cap > SIZE_MAX / sizeof(*ents))
		return -1;
	ents = realloc(m->ents, cap * sizeof(*ents));
	if (!ents)
		return -1;
	m->ents = ents;
	m->cap = cap;
	return 0;
}

uint32_t vn_state_index(struct vn_statemap *m, const char *name, bool *added)
{
	struct vn_stateent *e;
	size_t pos, len;

	if (added)
		*added = false;
	if (!name)
		return 0;
	len = strlen(name);
	if (!name_ok(name, len))
		return 0;
	if (find(m, name, &pos))
		return m->ents[pos].index;
	if (m->next < 1) /* never initialised: be safe, not sorry */
		m->next = 1;
	if (m->next > VN_INDEX_MAX || grow(m) < 0)
		return 0;
	memmove(&m->ents[pos + 1], &m->ents[pos],
		(m->n - pos) * sizeof(*m->ents));
	e = &m->ents[pos];
	memset(e, 0, sizeof(*e)); /* no stale bytes after the name */
	memcpy(e->name, name, len + 1);
	e->index = m->next++;
	m->n++;
	if (added)
		*added = true;
	return e->index;
}

/* ---- loading ---- */

/* One entry as read, before duplicates are weeded out. */
struct loaded {
	struct vn_stateent e;
	unsigned int line;
	bool drop;
};

struct loadctx {
	struct loaded *v;
	size_t n, cap;
	uint64_t next; /* from the "next" line; 0: none valid */
	uint64_t high; /* largest index number read anywhere */
	bool seen_next;
	unsigned int bad_line; /* the first problem; 0: none */
	char bad[160];
};

static void problem(struct loadctx *c, unsigned int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Remember the problem on the earliest line: that is the one reported. */
static void problem(struct loadctx *c, unsigned int line, const char *fmt, ...)
{
	va_list ap;

	if (c->bad_line && c->bad_line <= line)
		return;
	c->bad_line = line;
	va_start(ap, fmt);
	vsnprintf(c->bad, sizeof(c->bad), fmt, ap);
	va_end(ap);
}

/* Decimal digits only (no sign, no blanks); false if none or > 2^32-1. */
static bool parse_num(const char **s, uint64_t *val)
{
	const char *p = *s;
	uint64_t v = 0;

	if (*p < '0' || *p > '9')
		return false;
	while (*p >= '0' && *p <= '9') {
		v = v * 10 + (uint64_t)(*p - '0');
		if (v > UINT32_MAX)
			return false;
		p++;
	}
	*s = p;
	*val = v;
	return true;
}

static void parse_next(struct loadctx *c, const char *s, unsigned int line)
{
	uint64_t v;

	s += strlen("next");
	if (*s++ != ' ' || !parse_num(&s, &v) || *s || v < 1 ||
	    v > VN_NEXT_MAX) {
		problem(c, line, "bad 'next' line");
		return;
	}
	if (line != 2 || c->seen_next)
		problem(c, line, "unexpected 'next' line");
	/* Even a misplaced one only ever raises the mark: still safe. */
	c->seen_next = true;
	if (v > c->next)
		c->next = v;
}

/*
 * "INDEX NAME". The index counts towards the high-water mark as soon as
 * the number itself could be read, whatever follows it, so that it is
 * never handed out to another name. Returns true if e is usable.
 */
static bool parse_entry(struct loadctx *c, const char *s, unsigned int line,
			struct vn_stateent *e)
{
	const char *name;
	uint64_t v;

	if (!parse_num(&s, &v) || v < 1 || v > VN_INDEX_MAX) {
		problem(c, line, "bad index");
		return false;
	}
	if (v > c->high)
		c->high = v;
	if (*s != ' ') {
		problem(c, line, "expected 'INDEX NAME'");
		return false;
	}
	name = s + 1;
	if (!name_ok(name, strlen(name))) {
		problem(c, line, "bad name");
		return false;
	}
	if (c->next && v >= c->next)
		problem(c, line, "index %u is not below next %u",
			(unsigned int)v, (unsigned int)c->next);
	memset(e, 0, sizeof(*e));
	e->index = (uint32_t)v;
	memcpy(e->name, name, strlen(name) + 1);
	return true;
}

static int add_loaded(struct loadctx *c, const struct vn_stateent *e,
		      unsigned int line)
{
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 64;
		struct loaded *v;

		if (cap > SIZE_MAX / sizeof(*v))
			return -1;
		v = realloc(c->v, cap * sizeof(*v));
		if (!v)
			return -1;
		c->v = v;
		c->cap = cap;
	}
	c->v[c->n].e = *e;
	c->v[c->n].line = line;
	c->v[c->n].drop = false;
	c->n++;
	return 0;
}

/* One line without its newline; complete is false for a cut-off last one. */
static int parse_line(struct loadctx *c, const char *s, size_t len,
		      unsigned int line, bool complete)
{
	struct vn_stateent e;
	bool ok;

	if (strlen(s) != len) {
		const char *p = s;
		uint64_t v;

		problem(c, line, "NUL byte in line");
		/*
		 * The entry is lost, but a readable index before the NUL
		 * (what a crash leaves in blocks never written) must still
		 * raise the mark, so it never goes to another name.
		 */
		if (parse_num(&p, &v) && v >= 1 && v <= VN_INDEX_MAX &&
		    v > c->high)
			c->high = v;
		return 0;
	}
	if (line == 1 && !strcmp(s, VN_HEADER) && complete)
		return 0;
	if (line == 1)
		problem(c, line, "not a vnet-agentx index file (bad header)");
	else if (line == 2 && strncmp(s, "next", 4))
		problem(c, line, "expected 'next N'");

	if (!len) {
		problem(c, line, "empty line");
		return 0;
	}
	if (s[0] == '#') {
		if (line != 1)
			problem(c, line, "unexpected comment");
		return 0;
	}
	if (!strncmp(s, "next", 4)) {
		parse_next(c, s, line);
		return 0;
	}
	ok = parse_entry(c, s, line, &e);
	/* A cut-off line may hold a cut-off name: "br1" from "br10". */
	if (!complete)
		return 0;
	return ok ? add_loaded(c, &e, line) : 0;
}

static int by_index(const void *a, const void *b)
{
	const struct loaded *x = a, *y = b;

	if (x->e.index != y->e.index)
		return x->e.index < y->e.index ? -1 : 1;
	return x->line < y->line ? -1 : x->line > y->line;
}

static int by_name(const void *a, const void *b)
{
	const struct loaded *x = a, *y = b;
	int c = strcmp(x->e.name, y->e.name);

	if (c)
		return c;
	return x->line < y->line ? -1 : x->line > y->line;
}

/*
 * Each index and each name belongs to its first line: a later line that
 * repeats an index is dropped, then a later line that repeats the name of
 * a line still standing. Leaves c->v sorted by name.
 */
static void drop_duplicates(struct loadctx *c)
{
	size_t i, keep = 0;

	if (!c->n) /* qsort() wants a real array, even empty */
		return;
	qsort(c->v, c->n, sizeof(*c->v), by_index);
	for (i = 1; i < c->n; i++) {
		if (c->v[i].e.index != c->v[keep].e.index) {
			keep = i;
			continue;
		}
		c->v[i].drop = true;
		problem(c, c->v[i].line, "index %u already used on line %u",
			c->v[i].e.index, c->v[keep].line);
	}
	qsort(c->v, c->n, sizeof(*c->v), by_name);
	keep = SIZE_MAX;
	for (i = 0; i < c->n; i++) {
		if (c->v[i].drop)
			continue;
		if (keep != SIZE_MAX &&
		    !strcmp(c->v[keep].e.name, c->v[i].e.name)) {
			c->v[i].drop = true;
			problem(c, c->v[i].line,
				"name '%s' already used on line %u",
				c->v[i].e.name, c->v[keep].line);
			continue;
		}
		keep = i;
	}
}

/* Move the surviving entries, already sorted by name, into m. */
static int fill_map(struct vn_statemap *m, struct loadctx *c)
{
	size_t i, n = 0;

	for (i = 0; i < c->n; i++)
		n += !c->v[i].drop;
	if (n) {
		m->ents = malloc(n * sizeof(*m->ents));
		if (!m->ents)
			return -1;
		m->cap = n;
	}
	for (i = 0; i < c->n; i++)
		if (!c->v[i].drop)
			m->ents[m->n++] = c->v[i].e;
	m->next = 1;
	if (c->next > m->next)
		m->next = (uint32_t)c->next;
	if (c->high + 1 > m->next)
		m->next = (uint32_t)(c->high + 1);
	return 0;
}

static int read_lines(FILE *f, struct loadctx *c)
{
	char *buf = NULL;
	size_t size = 0;
	unsigned int line = 0;
	ssize_t len;
	int ret = 0;

	while ((len = getline(&buf, &size, f)) >= 0) {
		bool complete = len > 0 && buf[len - 1] == '\n';

		if (complete)
			buf[--len] = '\0';
		line++;
		if (!complete)
			problem(c, line, "truncated (no newline at the end)");
		if (parse_line(c, buf, (size_t)len, line, complete) < 0) {
			ret = -1;
			break;
		}
	}
	free(buf);
	if (!ret && ferror(f))
		ret = -1;
	if (!line)
		problem(c, 1, "empty file");
	else if (line == 1)
		problem(c, 2, "missing 'next' line");
	return ret;
}

int vn_state_load(struct vn_statemap *m, const char *path, char *err,
		  size_t errlen)
{
	struct loadctx c;
	FILE *f;
	int ret;

	vn_state_free(m);
	memset(&c, 0, sizeof(c));
	f = fopen(path, "re");
	if (!f) {
		if (errno == ENOENT)
			return 0;
		vn_seterr(err, errlen, "cannot open %s: %s", path,
			  strerror(errno));
		return -1;
	}
	errno = 0;
	ret = read_lines(f, &c);
	if (ret < 0) {
		vn_seterr(err, errlen, "cannot read %s: %s", path,
			  strerror(errno ? errno : EIO));
		goto out;
	}
	drop_duplicates(&c);
	if (fill_map(m, &c) < 0) {
		vn_seterr(err, errlen, "cannot load %s: %s", path,
			  strerror(ENOMEM));
		ret = -1;
		goto out;
	}
	if (c.bad_line) {
		vn_seterr(err, errlen, "%s: line %u: %s", path, c.bad_line,
			  c.bad);
		ret = 1;
	}
out:
	if (ret < 0)
		vn_state_free(m);
	fclose(f);
	free(c.v);
	return ret;
}

/* ---- saving ---- */

static int write_map(FILE *f, const struct vn_statemap *m)
{
	uint64_t next = m->next ? m->next : 1;
	size_t i;

	/* Keep the file's promise even for a map put together by hand. */
	for (i = 0; i < m->n; i++)
		if (m->ents[i].index >= next)
			next = (uint64_t)m->ents[i].index + 1;
	fprintf(f, "%s\nnext %llu\n", VN_HEADER, (unsigned long long)next);
	for (i = 0; i < m->n; i++)
		fprintf(f, "%u %s\n", (unsigned int)m->ents[i].index,
			m->ents[i].name);
	return fflush(f) || ferror(f) ? -1 : 0;
}

/* The directory part of path, for fsync after the rename. */
static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		return strdup(".");
	if (slash == path)
		return strdup("/");
	return strndup(path, slash - path);
}

/*
 * Make the rename itself durable: until the directory is synced a crash
 * can bring back the old file (or, on some file systems, none).
 */
static int fsync_dir(const char *path)
{
	char *dir = dir_of(path);
	int fd, ret, saved;

	if (!dir) {
		errno = ENOMEM;
		return -1;
	}
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	free(dir);
	if (fd < 0)
		return -1;
	ret = fsync(fd);
	saved = errno;
	close(fd);
	errno = saved;
	return ret;
}

/* Write m into the fresh temp file fd; closes fd. */
static int write_tmp(int fd, const struct vn_statemap *m)
{
	FILE *f;
	int saved;

	/* mkstemp makes it 0600; the map is no secret. */
	if (fchmod(fd, 0644) < 0)
		goto fail_fd;
	f = fdopen(fd, "w");
	if (!f)
		goto fail_fd;
	if (write_map(f, m) < 0 || fsync(fileno(f)) < 0) {
		saved = errno ? errno : EIO;
		fclose(f);
		errno = saved;
		return -1;
	}
	return fclose(f) ? -1 : 0;
fail_fd:
	saved = errno;
	close(fd);
	errno = saved;
	return -1;
}

int vn_state_save(const struct vn_statemap *m, const char *path, char *err,
		  size_t errlen)
{
	size_t len = strlen(path);
	const char *what;
	char *tmp;
	int fd, saved;

	tmp = malloc(len + sizeof(VN_TMP_SUFFIX));
	if (!tmp) {
		vn_seterr(err, errlen, "cannot write %s: %s", path,
			  strerror(ENOMEM));
		return -1;
	}
	memcpy(tmp, path, len);
	memcpy(tmp + len, VN_TMP_SUFFIX, sizeof(VN_TMP_SUFFIX));
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0) {
		vn_seterr(err, errlen,
			  "cannot create a temporary file for %s: %s", path,
			  strerror(errno));
		free(tmp);
		return -1;
	}
	errno = 0;
	what = "write";
	if (write_tmp(fd, m) < 0)
		goto fail;
	what = "rename the temporary file to";
	if (rename(tmp, path) < 0)
		goto fail;
	free(tmp);
	if (fsync_dir(path) < 0) {
		vn_seterr(err, errlen, "cannot sync the directory of %s: %s",
			  path, strerror(errno));
		return -1;
	}
	return 0;
fail:
	saved = errno ? errno : EIO;
	unlink(tmp);
	free(tmp);
	vn_seterr(err, errlen, "cannot %s %s: %s", what, path, strerror(saved));
	return -1;
}

/* ---- start-up check ---- */

/* mkdir -p: every missing component with mode 0755. */
static int mkdir_p(char *path, char *err, size_t errlen)
{
	char *p = path;

	for (;;) {
		char c;

		p += strspn(p, "/");
		if (!*p)
			return 0;
		p += strcspn(p, "/");
		c = *p;
		*p = '\0';
		if (mkdir(path, 0755) < 0 && errno != EEXIST) {
			vn_seterr(err, errlen,
				  "cannot create state directory %s:"
				  " %s",
				  path, strerror(errno));
			*p = c;
			return -1;
		}
		*p = c;
	}
}

static int check_state_file(const char *dir, char *err, size_t errlen)
{
	struct stat st;
	char *file;

	if (asprintf(&file, "%s/%s", dir, VN_STATE_FILE) < 0) {
		vn_seterr(err, errlen, "state directory %s: %s", dir,
			  strerror(ENOMEM));
		return -1;
	}
	if (stat(file, &st) == 0 && !S_ISREG(st.st_mode)) {
		vn_seterr(err, errlen, "state file %s is not a regular file",
			  file);
		free(file);
		return -1;
	}
	free(file);
	return 0;
}

/* Prove that a temp file can be made (and removed) where saves make one. */
static int check_writable(const char *dir, char *err, size_t errlen)
{
	char *tmp;
	int fd;

	if (asprintf(&tmp, "%s/%s%s", dir, VN_STATE_FILE, VN_TMP_SUFFIX) < 0) {
		vn_seterr(err, errlen, "state directory %s: %s", dir,
			  strerror(ENOMEM));
		return -1;
	}
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0) {
		vn_seterr(err, errlen,
			  "cannot create a file in state directory "
			  "%s: %s",
			  dir, strerror(errno));
		free(tmp);
		return -1;
	}
	close(fd);
	if (unlink(tmp) < 0) {
		vn_seterr(err, errlen, "cannot remove %s: %s", tmp,
			  strerror(errno));
		free(tmp);
		return -1;
	}
	free(tmp);
	return 0;
}

int vn_state_check_dir(const char *dir, char *err, size_t errlen)
{
	struct stat st;
	char *copy;
	int ret;

	if (!dir || !*dir) {
		vn_seterr(err, errlen, "state directory not set");
		return -1;
	}
	copy = strdup(dir);
	if (!copy) {
		vn_seterr(err, errlen, "state directory %s: %s", dir,
			  strerror(ENOMEM));
		return -1;
	}
	ret = mkdir_p(copy, err, errlen);
	free(copy);
	if (ret < 0)
		return -1;
	if (stat(dir, &st) < 0) {
		vn_seterr(err, errlen, "state directory %s: %s", dir,
			  strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		vn_seterr(err, errlen, "state directory %s is not a directory",
			  dir);
		return -1;
	}
	if (check_state_file(dir, err, errlen) < 0)
		return -1;
	return check_writable(dir, err, errlen);
}
