/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fuzz_directives.c - libFuzzer target for the configuration directives
 * (src/directives.c).
 *
 * The input is a list of records, one a line: the first byte picks what
 * to do, the rest of the line is the text it gets:
 *
 *	I GLOB...        vn_config_include
 *	E GLOB...        vn_config_exclude
 *	N NAME GLOB...   vn_config_network
 *	S PATH           vn_config_statedir
 *	W NAME           vn_config_bridge_wanted
 *	M NAME           vn_globs_match against every configured network
 *
 * (any other first byte picks one of these by its value). All records act
 * on one configuration, freed at the end, so LeakSanitizer sees every
 * allocation. Checked after each record:
 *   - a directive returns 0 or -1; on -1 the configuration is exactly as
 *     it was (a canonical dump compares all of it) and err holds a
 *     reason; err is never written past errlen, whatever errlen is;
 *   - on 0 the words of the text, split the way net-snmp splits them,
 *     were added as they are (vnetStateDir: replaced the path);
 *   - every network name stays unique and a valid vnetName;
 *   - the include/exclude decision and glob matching agree with
 *     fnmatch(3) over the globs held. A name is cut to the 15 characters
 *     an interface name can have: that is all the agent ever asks about.
 */
#include <config.h>

#include <fnmatch.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "directives.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_RECORDS 64
#define IFNAME_MAX 15
#define ERR_ROOM 300
#define ERR_FILL 0x5a

static void fail(const char *what, char op, const char *text)
{
	fprintf(stderr, "fuzz_directives: %s\n  record: %c '%s'\n", what, op,
		text);
	abort();
}

static void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		abort();
	return p;
}

/* ---- a canonical dump of the whole configuration ---- */

static void dump_globs(FILE *f, const struct vn_globs *g)
{
	size_t i;

	fprintf(f, "%zu:", g->n);
	for (i = 0; i < g->n; i++) {
		fputs(g->v[i], f);
		fputc('\0', f);
	}
}

static char *dump(const struct vn_config *cfg, size_t *len)
{
	char *s = NULL;
	size_t i;
	FILE *f = open_memstream(&s, len);

	if (!f)
		abort();
	dump_globs(f, &cfg->include);
	dump_globs(f, &cfg->exclude);
	fprintf(f, "%zu:", cfg->nnets);
	for (i = 0; i < cfg->nnets; i++) {
		fputs(cfg->nets[i].name, f);
		fputc('\0', f);
		dump_globs(f, &cfg->nets[i].members);
	}
	fputs(cfg->state_dir ? cfg->state_dir : "(none)", f);
	if (fclose(f))
		abort();
	return s;
}

/* ---- the words of a text, as the directives must split it ---- */

struct words {
	char **v;
	size_t n;
};

static bool sep(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' ||
	       c == '\r';
}

static void split(const char *s, struct words *w)
{
	w->v = xmalloc((strlen(s) / 2 + 1) * sizeof(*w->v));
	w->n = 0;
	for (;;) {
		const char *start;

		while (*s && sep(*s))
			s++;
		if (!*s)
			return;
		start = s;
		while (*s && !sep(*s))
			s++;
		w->v[w->n++] = strndup(start, (size_t)(s - start));
		if (!w->v[w->n - 1])
			abort();
	}
}

static void words_free(struct words *w)
{
	size_t i;

	for (i = 0; i < w->n; i++)
		free(w->v[i]);
	free(w->v);
}

/* The last n globs of g are the words from the first on. */
static bool ends_with(const struct vn_globs *g, const struct words *w,
		      size_t first)
{
	size_t n = w->n - first, i;

	if (g->n < n)
		return false;
	for (i = 0; i < n; i++)
		if (strcmp(g->v[g->n - n + i], w->v[first + i]))
			return false;
	return true;
}

/* ---- checks ---- */

static bool any_match(const struct vn_globs *g, const char *name)
{
	size_t i;

	for (i = 0; i < g->n; i++)
		if (!fnmatch(g->v[i], name, 0))
			return true;
	return false;
}

static void check_nets(const struct vn_config *cfg, char op, const char *text)
{
	size_t i, j, len;

	for (i = 0; i < cfg->nnets; i++) {
		const char *name = cfg->nets[i].name;

		len = strnlen(name, sizeof(cfg->nets[i].name));
		if (!len || len > VN_NAME_MAX)
			fail("a network name is empty or too long", op, text);
		for (j = 0; j < len; j++)
			if ((unsigned char)name[j] < 0x21 ||
			    (unsigned char)name[j] > 0x7e)
				fail("a network name is not printable ASCII",
				     op, text);
		if (!cfg->nets[i].members.n)
			fail("a network has no member glob", op, text);
		for (j = 0; j < i; j++)
			if (!strcmp(cfg->nets[j].name, name))
				fail("two networks have one name", op, text);
	}
}

/* After a directive that succeeded: its words are in the configuration. */
static void check_added(const struct vn_config *cfg,
			const struct vn_config *before_counts, char op,
			const struct words *w, const char *text)
{
	switch (op) {
	case 'I':
	case 'E': {
		const struct vn_globs *g =
			op == 'I' ? &cfg->include : &cfg->exclude;
		size_t was = op == 'I' ? before_counts->include.n
				       : before_counts->exclude.n;

		if (!w->n || g->n != was + w->n || !ends_with(g, w, 0))
			fail("the globs added are not the words given", op,
			     text);
		break;
	}
	case 'N': {
		const struct vn_confnet *net;

		if (w->n < 2 || cfg->nnets != before_counts->nnets + 1)
			fail("no network added, or from too few words", op,
			     text);
		net = &cfg->nets[cfg->nnets - 1];
		if (strcmp(net->name, w->v[0]) || net->members.n != w->n - 1 ||
		    !ends_with(&net->members, w, 1))
			fail("the network added is not the words given", op,
			     text);
		break;
	}
	case 'S':
		if (w->n != 1 || !cfg->state_dir ||
		    strcmp(cfg->state_dir, w->v[0]) || w->v[0][0] != '/' ||
		    strcmp(vn_config_state_dir(cfg), w->v[0]))
			fail("the state directory is not the path given", op,
			     text);
		break;
	}
}

static int directive(struct vn_config *cfg, char op, const char *args,
		     char *err, size_t errlen)
{
	switch (op) {
	case 'I':
		return vn_config_include(cfg, args, err, errlen);
	case 'E':
		return vn_config_exclude(cfg, args, err, errlen);
	case 'N':
		return vn_config_network(cfg, args, err, errlen);
	default:
		return vn_config_statedir(cfg, args, err, errlen);
	}
}

static void run_directive(struct vn_config *cfg, char op, const char *text,
			  size_t errlen)
{
	char err[ERR_ROOM];
	struct vn_config counts = *cfg; /* only its counts are read */
	struct words w;
	char *before, *after;
	size_t blen, alen, i;
	int rc;

	memset(err, ERR_FILL, sizeof(err));
	before = dump(cfg, &blen);
	rc = directive(cfg, op, text, err, errlen);
	for (i = errlen; i < sizeof(err); i++)
		if ((unsigned char)err[i] != ERR_FILL)
			fail("err written past errlen", op, text);
	if (rc != 0 && rc != -1)
		fail("a directive returned neither 0 nor -1", op, text);
	after = dump(cfg, &alen);
	if (rc < 0) {
		if (blen != alen || memcmp(before, after, blen))
			fail("a directive that failed changed the "
			     "configuration",
			     op, text);
		if (errlen && !memchr(err, '\0', errlen))
			fail("err is not terminated within errlen", op, text);
		if (errlen > 1 && !err[0])
			fail("a directive failed with no reason", op, text);
	} else {
		split(text, &w);
		check_added(cfg, &counts, op, &w, text);
		words_free(&w);
	}
	free(before);
	free(after);
	check_nets(cfg, op, text);
}

static void run_query(const struct vn_config *cfg, char op, const char *text)
{
	char name[IFNAME_MAX + 1];
	size_t i;

	snprintf(name, sizeof(name), "%s", text);
	if (op == 'W') {
		bool want =
			(!cfg->include.n || any_match(&cfg->include, name)) &&
			!any_match(&cfg->exclude, name);

		if (vn_config_bridge_wanted(cfg, name) != want)
			fail("vn_config_bridge_wanted disagrees with fnmatch",
			     op, text);
		if (vn_config_bridge_wanted(cfg, NULL))
			fail("vn_config_bridge_wanted(NULL) is true", op, text);
		return;
	}
	for (i = 0; i < cfg->nnets; i++)
		if (vn_globs_match(&cfg->nets[i].members, name) !=
		    any_match(&cfg->nets[i].members, name))
			fail("vn_globs_match disagrees with fnmatch", op, text);
	if (vn_globs_match(&cfg->include, name) !=
	    any_match(&cfg->include, name))
		fail("vn_globs_match disagrees with fnmatch", op, text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char ops[] = "IENSWM";
	static const size_t errlens[] = { 256, 256, 9, 1, 0 };
	struct vn_config cfg;
	size_t pos = 0, nrec = 0;

	vn_config_init(&cfg);
	while (pos < size && nrec < MAX_RECORDS) {
		const uint8_t *nl = memchr(data + pos, '\n', size - pos);
		size_t end = nl ? (size_t)(nl - data) : size;
		char op;
		char *text;

		if (end == pos) { /* an empty line */
			pos++;
			continue;
		}
		op = (char)data[pos];
		if (!op || !strchr(ops, op))
			op = ops[(uint8_t)op % (sizeof(ops) - 1)];
		/* The text after the op byte; a NUL ends it, as in C. */
		text = xmalloc(end - pos);
		memcpy(text, data + pos + 1, end - pos - 1);
		text[end - pos - 1] = '\0';

		if (op == 'W' || op == 'M')
			run_query(&cfg, op, text);
		else
			run_directive(&cfg, op, text,
				      errlens[nrec % (sizeof(errlens) /
						      sizeof(errlens[0]))]);
		free(text);
		pos = end + 1;
		nrec++;
	}
	vn_config_free(&cfg);
	if (cfg.include.n || cfg.exclude.n || cfg.nnets || cfg.state_dir)
		fail("vn_config_free left something behind", '-', "");
	return 0;
}
