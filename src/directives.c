/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * directives.c - parse the argument text of our configuration directives.
 *
 * Pure: no net-snmp, no I/O. Every directive first parses and checks all
 * of its words into scratch storage and only then moves them into the
 * configuration, so that an error leaves the configuration as it was.
 */
#include <config.h>

#include <fnmatch.h>
#include <limits.h>
#include <net/if.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "directives.h"
#include "log.h"

/* Longest interface name the kernel accepts (IFNAMSIZ counts the NUL). */
#define VN_IFNAME_MAX (IFNAMSIZ - 1)

/* Room the state file code needs after the directory: "/indexes.XXXXXX". */
#define VN_STATE_DIR_MAX (PATH_MAX - 16)

/*
 * The separators net-snmp's own parser uses. Spelled out rather than
 * isspace() so that the agent's locale cannot change what a word is.
 */
static bool is_sep(char c)
{
	return c && strchr(" \t\n\v\f\r", c);
}

static void globs_free(struct vn_globs *g)
{
	size_t i;

	for (i = 0; i < g->n; i++)
		free(g->v[i]);
	free(g->v);
	g->v = NULL;
	g->n = 0;
}

/* Append the words of args to words. 0, or -1 when out of memory. */
static int split_words(const char *args, struct vn_globs *words)
{
	const char *p = args ? args : "";

	for (;;) {
		const char *start;
		char **v;
		char *w;

		while (is_sep(*p))
			p++;
		if (!*p)
			return 0;
		start = p;
		while (*p && !is_sep(*p))
			p++;
		w = strndup(start, p - start);
		if (!w)
			return -1;
		v = realloc(words->v, (words->n + 1) * sizeof(*v));
		if (!v) {
			free(w);
			return -1;
		}
		v[words->n++] = w;
		words->v = v;
	}
}

static bool valid_class(const char *name, size_t len)
{
	static const char *const classes[] = {
		"alnum", "alpha", "blank", "cntrl", "digit", "graph",
		"lower", "print", "punct", "space", "upper", "xdigit",
	};
	size_t i;

	for (i = 0; i < sizeof(classes) / sizeof(classes[0]); i++)
		if (strlen(classes[i]) == len && !memcmp(classes[i], name, len))
			return true;
	return false;
}

/*
 * Skip a bracket expression; p points just past its '['. Returns the
 * character after the closing ']', or NULL with *why set. fnmatch(3)
 * silently reads an unterminated '[' as a literal, which is never what
 * someone writing br[0-9 meant, so that is an error here.
 */
static const char *skip_bracket(const char *p, const char **why)
{
	if (*p == '!' || *p == '^')
		p++;
	if (*p == ']') /* a ']' first is a member, not the end */
		p++;
	for (;;) {
		if (!*p) {
			*why = "has an unterminated '[' bracket expression";
			return NULL;
		}
		if (*p == ']')
			return p + 1;
		if (*p == '[' && (p[1] == ':' || p[1] == '=' || p[1] == '.')) {
			char close[3] = { p[1], ']', '\0' };
			const char *end = strstr(p + 2, close);

			if (!end) {
				*why = "has an unterminated '[:', '[=' or '[.' "
				       "in a bracket expression";
				return NULL;
			}
			if (p[1] == ':' && !valid_class(p + 2, end - p - 2)) {
				*why = "names an unknown character class";
				return NULL;
			}
			p = end + 2;
			continue;
		}
		if (*p == '\\' && p[1])
			p++;
		p++;
	}
}

/*
 * Check a glob's syntax the way fnmatch(3) without flags reads it and
 * make sure it can match some interface name: the shortest name it
 * matches must fit in IFNAMSIZ, and a literal '/' or ':' can never
 * appear in one (the kernel refuses such names). NULL if fine, else the
 * reason, worded to follow "glob 'X' ".
 */
static const char *glob_problem(const char *g)
{
	const char *why = NULL;
	const char *p = g;
	size_t minlen = 0;

	if (!*g)
		return "is empty";
	while (*p) {
		switch (*p) {
		case '*':
			p++;
			continue;
		case '[':
			p = skip_bracket(p + 1, &why);
			if (!p)
				return why;
			break;
		default:
			/* A backslash makes the next character a literal. */
			if (*p == '\\' && !*++p)
				return "ends with a lone backslash";
			if (*p == '/' || *p == ':')
				return "can never match: interface names "
				       "cannot contain '/' or ':'";
			p++;
			break;
		}
		minlen++;
	}
	if (minlen > VN_IFNAME_MAX)
		return "can never match: it needs more characters than the "
		       "15 an interface name can have";
	return NULL;
}

static int check_globs(const struct vn_globs *g, const char *what, char *err,
		       size_t errlen)
{
	size_t i;

	for (i = 0; i < g->n; i++) {
		const char *why = glob_problem(g->v[i]);

		if (why) {
			vn_seterr(err, errlen, "%s: glob '%s' %s", what,
				  g->v[i], why);
			return -1;
		}
	}
	return 0;
}

/* Move every word of src to the end of dst; src is left empty. */
static int globs_take(struct vn_globs *dst, struct vn_globs *src)
{
	char **v;

	if (!src->n)
		return 0;
	v = realloc(dst->v, (dst->n + src->n) * sizeof(*v));
	if (!v)
		return -1;
	memcpy(v + dst->n, src->v, src->n * sizeof(*v));
	dst->v = v;
	dst->n += src->n;
	free(src->v);
	src->v = NULL;
	src->n = 0;
	return 0;
}

static int oom(char *err, size_t errlen, const char *what)
{
	vn_seterr(err, errlen, "%s: out of memory", what);
	return -1;
}

void vn_config_init(struct vn_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
}

void vn_config_free(struct vn_config *cfg)
{
	size_t i;

	globs_free(&cfg->include);
	globs_free(&cfg->exclude);
	for (i = 0; i < cfg->nnets; i++)
		globs_free(&cfg->nets[i].members);
	free(cfg->nets);
	free(cfg->state_dir);
	vn_config_init(cfg);
}

static int add_globs(struct vn_globs *dst, const char *what, const char *args,
		     char *err, size_t errlen)
{
	struct vn_globs words = { NULL, 0 };
	int ret = -1;

	if (split_words(args, &words) < 0) {
		oom(err, errlen, what);
		goto out;
	}
	if (!words.n) {
		vn_seterr(err, errlen, "%s needs at least one glob", what);
		goto out;
	}
	if (check_globs(&words, what, err, errlen) < 0)
		goto out;
	if (globs_take(dst, &words) < 0) {
		oom(err, errlen, what);
		goto out;
	}
	ret = 0;
out:
	globs_free(&words);
	return ret;
}

int vn_config_include(struct vn_config *cfg, const char *args, char *err,
		      size_t errlen)
{
	return add_globs(&cfg->include, "vnetInclude", args, err, errlen);
}

int vn_config_exclude(struct vn_config *cfg, const char *args, char *err,
		      size_t errlen)
{
	return add_globs(&cfg->exclude, "vnetExclude", args, err, errlen);
}

/* vnetName is a DisplayString (SIZE (1..64)) with no blanks in it. */
static int check_net_name(const struct vn_config *cfg, const char *name,
			  char *err, size_t errlen)
{
	size_t len = strlen(name);
	size_t i;

	if (len > VN_NAME_MAX) {
		vn_seterr(err, errlen,
			  "vnetNetwork: name '%.20s...' is longer than %d "
			  "characters",
			  name, VN_NAME_MAX);
		return -1;
	}
	for (i = 0; i < len; i++) {
		unsigned char c = name[i];

		if (c < 0x21 || c > 0x7e) {
			vn_seterr(
				err, errlen,
				"vnetNetwork: name contains the character 0x%02x"
				", which is not printable ASCII",
				c);
			return -1;
		}
	}
	for (i = 0; i < cfg->nnets; i++) {
		if (!strcmp(cfg->nets[i].name, name)) {
			vn_seterr(
				err, errlen,
				"vnetNetwork: network '%s' is already defined",
				name);
			return -1;
		}
	}
	return 0;
}

int vn_config_network(struct vn_config *cfg, const char *args, char *err,
		      size_t errlen)
{
	static const char what[] = "vnetNetwork";
	struct vn_globs words = { NULL, 0 };
	struct vn_globs members;
	struct vn_confnet *nets, *net;
	int ret = -1;

	if (split_words(args, &words) < 0) {
		oom(err, errlen, what);
		goto out;
	}
	if (words.n < 2) {
		vn_seterr(err, errlen,
			  "%s needs a name and at least one "
			  "interface glob",
			  what);
		goto out;
	}
	if (check_net_name(cfg, words.v[0], err, errlen) < 0)
		goto out;
	/* The member globs are words 1..n-1: look at them without copying. */
	members.v = words.v + 1;
	members.n = words.n - 1;
	if (check_globs(&members, what, err, errlen) < 0)
		goto out;

	nets = realloc(cfg->nets, (cfg->nnets + 1) * sizeof(*nets));
	if (!nets) {
		oom(err, errlen, what);
		goto out;
	}
	cfg->nets = nets;
	net = &nets[cfg->nnets];
	memset(net, 0, sizeof(*net));
	memcpy(net->name, words.v[0], strlen(words.v[0]) + 1);
	/* Hand the member strings over; words keeps only the name. */
	net->members.v = malloc(members.n * sizeof(char *));
	if (!net->members.v) {
		oom(err, errlen, what);
		goto out;
	}
	memcpy(net->members.v, members.v, members.n * sizeof(char *));
	net->members.n = members.n;
	words.n = 1;
	cfg->nnets++;
	ret = 0;
out:
	globs_free(&words);
	return ret;
}

int vn_config_statedir(struct vn_config *cfg, const char *args, char *err,
		       size_t errlen)
{
	static const char what[] = "vnetStateDir";
	struct vn_globs words = { NULL, 0 };
	int ret = -1;

	if (split_words(args, &words) < 0) {
		oom(err, errlen, what);
		goto out;
	}
	if (words.n != 1) {
		vn_seterr(err, errlen,
			  words.n ? "%s takes exactly one path"
				  : "%s needs a path",
			  what);
		goto out;
	}
	if (words.v[0][0] != '/') {
		vn_seterr(err, errlen, "%s: '%s' is not an absolute path", what,
			  words.v[0]);
		goto out;
	}
	if (strlen(words.v[0]) > VN_STATE_DIR_MAX) {
		vn_seterr(err, errlen, "%s: path is longer than %d characters",
			  what, VN_STATE_DIR_MAX);
		goto out;
	}
	/* The last vnetStateDir wins, as with any net-snmp setting. */
	free(cfg->state_dir);
	cfg->state_dir = words.v[0];
	words.n = 0;
	ret = 0;
out:
	globs_free(&words);
	return ret;
}

bool vn_globs_match(const struct vn_globs *g, const char *name)
{
	size_t i;

	if (!name)
		return false;
	for (i = 0; i < g->n; i++)
		if (!fnmatch(g->v[i], name, 0))
			return true;
	return false;
}

bool vn_config_bridge_wanted(const struct vn_config *cfg, const char *name)
{
	if (!name)
		return false;
	if (cfg->include.n && !vn_globs_match(&cfg->include, name))
		return false;
	return !vn_globs_match(&cfg->exclude, name);
}

const char *vn_config_state_dir(const struct vn_config *cfg)
{
	return cfg->state_dir ? cfg->state_dir : VN_DEFAULT_STATE_DIR;
}
