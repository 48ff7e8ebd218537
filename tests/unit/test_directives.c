/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_directives.c - the parsers of vnetInclude, vnetExclude, vnetNetwork
 * and vnetStateDir, and the include/exclude decision.
 *
 * Every case goes through dump(), a canonical text form of the whole
 * configuration, so that "cfg unchanged on error" is checked on all of it.
 */
#include <config.h>

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fnmatch.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "directives.h"

typedef int (*directive_fn)(struct vn_config *cfg, const char *args,
			    char *err, size_t errlen);

#define INC vn_config_include
#define EXC vn_config_exclude
#define NET vn_config_network
#define SDIR vn_config_statedir

static void dump_globs(FILE *f, const struct vn_globs *g)
{
	size_t i;

	for (i = 0; i < g->n; i++)
		fprintf(f, "%s%s", i ? "," : "", g->v[i]);
}

/* "inc=a,b exc=c nets=n1:x,y;n2:z dir=/p", dir=- when unset. */
static char *dump(const struct vn_config *cfg)
{
	char *s = NULL;
	size_t len, i;
	FILE *f = open_memstream(&s, &len);

	assert_non_null(f);
	fputs("inc=", f);
	dump_globs(f, &cfg->include);
	fputs(" exc=", f);
	dump_globs(f, &cfg->exclude);
	fputs(" nets=", f);
	for (i = 0; i < cfg->nnets; i++) {
		fprintf(f, "%s%s:", i ? ";" : "", cfg->nets[i].name);
		dump_globs(f, &cfg->nets[i].members);
	}
	fprintf(f, " dir=%s", cfg->state_dir ? cfg->state_dir : "-");
	assert_int_equal(fclose(f), 0);
	return s;
}

static void assert_dump(const struct vn_config *cfg, const char *want)
{
	char *got = dump(cfg);

	assert_string_equal(got, want);
	free(got);
}

/* ---- good input ---- */

struct step {
	directive_fn fn;
	const char *args;
};

struct good_case {
	struct step steps[4];
	const char *want;
};

static const struct good_case good_cases[] = {
	{ { { INC, "br0" } }, "inc=br0 exc= nets= dir=-" },
	{ { { INC, "br0 br1" } }, "inc=br0,br1 exc= nets= dir=-" },
	{ { { INC, "  br0\t\tbr1  \n" } }, "inc=br0,br1 exc= nets= dir=-" },
	{ { { INC, "\v\fbr0\r" } }, "inc=br0 exc= nets= dir=-" },
	/* repeated lines accumulate, in order */
	{ { { INC, "a*" }, { INC, "b* c*" }, { INC, "d" } },
	  "inc=a*,b*,c*,d exc= nets= dir=-" },
	{ { { EXC, "docker*" }, { EXC, "br-*" } },
	  "inc= exc=docker*,br-* nets= dir=-" },
	{ { { INC, "*" }, { EXC, "virbr*" } },
	  "inc=* exc=virbr* nets= dir=-" },
	/* the same glob twice is harmless */
	{ { { INC, "br0 br0" } }, "inc=br0,br0 exc= nets= dir=-" },
	/* globs at the edges of what can match an interface name */
	{ { { INC, "abcdefghijklmno" } },
	  "inc=abcdefghijklmno exc= nets= dir=-" },
	{ { { INC, "abcdefghijklmno*" } },
	  "inc=abcdefghijklmno* exc= nets= dir=-" },
	{ { { INC, "***************************" } },
	  "inc=*************************** exc= nets= dir=-" },
	{ { { INC, "???????????????" } },
	  "inc=??????????????? exc= nets= dir=-" },
	{ { { INC, "[a-z][a-z][a-z][a-z][a-z][a-z][a-z][a-z][a-z][a-z][a-z]"
		   "[a-z][a-z][a-z][a-z]" } },
	  "inc=[a-z][a-z][a-z][a-z][a-z][a-z][a-z][a-z][a-z][a-z][a-z]"
	  "[a-z][a-z][a-z][a-z] exc= nets= dir=-" },
	{ { { INC, "\\a\\b\\c\\d\\e\\f\\g\\h\\i\\j\\k\\l\\m\\n\\o" } },
	  "inc=\\a\\b\\c\\d\\e\\f\\g\\h\\i\\j\\k\\l\\m\\n\\o"
	  " exc= nets= dir=-" },
	/* bracket expressions */
	{ { { INC, "br[0-9]" } }, "inc=br[0-9] exc= nets= dir=-" },
	{ { { INC, "br[!0-9]*" } }, "inc=br[!0-9]* exc= nets= dir=-" },
	{ { { INC, "br[^0-9]*" } }, "inc=br[^0-9]* exc= nets= dir=-" },
	{ { { INC, "[]]" } }, "inc=[]] exc= nets= dir=-" },
	{ { { INC, "[!]]" } }, "inc=[!]] exc= nets= dir=-" },
	{ { { INC, "[]a]x" } }, "inc=[]a]x exc= nets= dir=-" },
	{ { { INC, "[a-]" } }, "inc=[a-] exc= nets= dir=-" },
	{ { { INC, "[\\]]" } }, "inc=[\\]] exc= nets= dir=-" },
	{ { { INC, "[[:alpha:]][[:digit:]]*" } },
	  "inc=[[:alpha:]][[:digit:]]* exc= nets= dir=-" },
	{ { { INC, "[[:alnum:][:punct:]]" } },
	  "inc=[[:alnum:][:punct:]] exc= nets= dir=-" },
	{ { { INC, "[[.a.]][[=b=]]" } },
	  "inc=[[.a.]][[=b=]] exc= nets= dir=-" },
	{ { { INC, "[[]" } }, "inc=[[] exc= nets= dir=-" },
	{ { { INC, "a]" } }, "inc=a] exc= nets= dir=-" },
	/* escapes */
	{ { { INC, "\\[x" } }, "inc=\\[x exc= nets= dir=-" },
	{ { { INC, "br\\*" } }, "inc=br\\* exc= nets= dir=-" },
	{ { { INC, "\\\\" } }, "inc=\\\\ exc= nets= dir=-" },
	/* quotes are not special: net-snmp hands us the raw line */
	{ { { INC, "\"br0\"" } }, "inc=\"br0\" exc= nets= dir=-" },
	/* networks */
	{ { { NET, "ovs eth0" } }, "inc= exc= nets=ovs:eth0 dir=-" },
	{ { { NET, " ovs\teth0 vnet* tap[0-9] " } },
	  "inc= exc= nets=ovs:eth0,vnet*,tap[0-9] dir=-" },
	{ { { NET, "a x" }, { NET, "b y" }, { NET, "A z" } },
	  "inc= exc= nets=a:x;b:y;A:z dir=-" },
	{ { { NET, "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~ x" } },
	  "inc= exc= nets=!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~:x dir=-" },
	{ { { NET, "0123456789012345678901234567890123456789012345678901234567"
		   "890123 eth0" } },
	  "inc= exc= nets=012345678901234567890123456789012345678901234567"
	  "8901234567890123:eth0 dir=-" },
	/* a network may reuse a bridge's glob or name: different namespaces */
	{ { { INC, "br0" }, { NET, "br0 br0" } },
	  "inc=br0 exc= nets=br0:br0 dir=-" },
	/* state directory: one path, the last line wins */
	{ { { SDIR, "/srv/vnet" } }, "inc= exc= nets= dir=/srv/vnet" },
	{ { { SDIR, "  /srv/vnet/\t" } }, "inc= exc= nets= dir=/srv/vnet/" },
	{ { { SDIR, "/a" }, { SDIR, "/b" } }, "inc= exc= nets= dir=/b" },
	{ { { SDIR, "/" } }, "inc= exc= nets= dir=/" },
	/* everything together */
	{ { { INC, "br*" }, { EXC, "br-tmp*" }, { NET, "ovs0 vnet*" },
	    { SDIR, "/var/lib/x" } },
	  "inc=br* exc=br-tmp* nets=ovs0:vnet* dir=/var/lib/x" },
};

static void test_good(void **state)
{
	size_t i, j;

	(void)state;
	for (i = 0; i < sizeof(good_cases) / sizeof(good_cases[0]); i++) {
		const struct good_case *c = &good_cases[i];
		struct vn_config cfg;
		char err[256];

		vn_config_init(&cfg);
		for (j = 0; j < 4 && c->steps[j].fn; j++) {
			strcpy(err, "untouched");
			if (c->steps[j].fn(&cfg, c->steps[j].args, err,
					   sizeof(err)) != 0)
				fail_msg("case %zu step %zu '%s': %s", i, j,
					 c->steps[j].args, err);
		}
		assert_dump(&cfg, c->want);
		vn_config_free(&cfg);
	}
}

/* ---- bad input ---- */

struct bad_case {
	directive_fn fn;
	const char *args;
	const char *err;	/* the whole message */
};

#define LONG65 "01234567890123456789012345678901234567890123456789" \
	       "012345678901234"

static const struct bad_case bad_cases[] = {
	/* missing arguments */
	{ INC, "", "vnetInclude needs at least one glob" },
	{ INC, " \t \n", "vnetInclude needs at least one glob" },
	{ INC, NULL, "vnetInclude needs at least one glob" },
	{ EXC, "", "vnetExclude needs at least one glob" },
	{ EXC, NULL, "vnetExclude needs at least one glob" },
	{ NET, "", "vnetNetwork needs a name and at least one interface glob" },
	{ NET, NULL,
	  "vnetNetwork needs a name and at least one interface glob" },
	{ NET, "ovs0",
	  "vnetNetwork needs a name and at least one interface glob" },
	{ NET, "  ovs0  ",
	  "vnetNetwork needs a name and at least one interface glob" },
	{ SDIR, "", "vnetStateDir needs a path" },
	{ SDIR, NULL, "vnetStateDir needs a path" },
	/* extra arguments */
	{ SDIR, "/a /b", "vnetStateDir takes exactly one path" },
	{ SDIR, "/a\t/b /c", "vnetStateDir takes exactly one path" },
	/* not absolute */
	{ SDIR, "var/lib/x",
	  "vnetStateDir: 'var/lib/x' is not an absolute path" },
	{ SDIR, "./x", "vnetStateDir: './x' is not an absolute path" },
	{ SDIR, "~/x", "vnetStateDir: '~/x' is not an absolute path" },
	/* bracket expressions */
	{ INC, "br[0-9",
	  "vnetInclude: glob 'br[0-9' has an unterminated '[' bracket "
	  "expression" },
	{ INC, "[", "vnetInclude: glob '[' has an unterminated '[' bracket "
		    "expression" },
	{ INC, "[]", "vnetInclude: glob '[]' has an unterminated '[' bracket "
		     "expression" },
	{ INC, "[!]", "vnetInclude: glob '[!]' has an unterminated '[' "
		      "bracket expression" },
	{ INC, "[^", "vnetInclude: glob '[^' has an unterminated '[' bracket "
		     "expression" },
	{ INC, "[\\]", "vnetInclude: glob '[\\]' has an unterminated '[' "
		       "bracket expression" },
	{ INC, "[[:digit:]", "vnetInclude: glob '[[:digit:]' has an "
			     "unterminated '[' bracket expression" },
	{ INC, "[[:digit]]", "vnetInclude: glob '[[:digit]]' has an "
			     "unterminated '[:', '[=' or '[.' in a bracket "
			     "expression" },
	{ INC, "[[=a]", "vnetInclude: glob '[[=a]' has an unterminated '[:', "
			"'[=' or '[.' in a bracket expression" },
	{ INC, "[[.a]", "vnetInclude: glob '[[.a]' has an unterminated '[:', "
			"'[=' or '[.' in a bracket expression" },
	{ INC, "[[:foo:]]", "vnetInclude: glob '[[:foo:]]' names an unknown "
			    "character class" },
	{ INC, "[[:DIGIT:]]", "vnetInclude: glob '[[:DIGIT:]]' names an "
			      "unknown character class" },
	{ INC, "[[::]]", "vnetInclude: glob '[[::]]' names an unknown "
			 "character class" },
	/* the first glob is good, the line is still refused as a whole */
	{ INC, "br0 br[", "vnetInclude: glob 'br[' has an unterminated '[' "
			  "bracket expression" },
	{ EXC, "x[a-", "vnetExclude: glob 'x[a-' has an unterminated '[' "
		       "bracket expression" },
	/* escapes */
	{ INC, "br\\", "vnetInclude: glob 'br\\' ends with a lone backslash" },
	{ INC, "\\", "vnetInclude: glob '\\' ends with a lone backslash" },
	/* can never match an interface name */
	{ INC, "abcdefghijklmnop",
	  "vnetInclude: glob 'abcdefghijklmnop' can never match: it needs "
	  "more characters than the 15 an interface name can have" },
	{ INC, "abcdefgh*ijklmnop",
	  "vnetInclude: glob 'abcdefgh*ijklmnop' can never match: it needs "
	  "more characters than the 15 an interface name can have" },
	{ EXC, "????????????????",
	  "vnetExclude: glob '\?\?\?\?\?\?\?\?\?\?\?\?\?\?\?\?' "
	  "can never match: it needs more characters than the 15 an "
	  "interface name can have" },
	{ INC, "[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]"
	       "[0-9][0-9][0-9][0-9]",
	  "vnetInclude: glob '[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]"
	  "[0-9][0-9][0-9][0-9][0-9][0-9][0-9]' can never match: it needs "
	  "more characters than the 15 an interface name can have" },
	{ INC, "eth0:1", "vnetInclude: glob 'eth0:1' can never match: "
			 "interface names cannot contain '/' or ':'" },
	{ INC, "a/b", "vnetInclude: glob 'a/b' can never match: interface "
		      "names cannot contain '/' or ':'" },
	{ INC, "a\\:*", "vnetInclude: glob 'a\\:*' can never match: interface "
			"names cannot contain '/' or ':'" },
	/* network names */
	{ NET, LONG65 " eth0", "vnetNetwork: name '01234567890123456789...' "
			       "is longer than 64 characters" },
	{ NET, "a\001b eth0", "vnetNetwork: name contains the character 0x01, "
			      "which is not printable ASCII" },
	{ NET, "a\177 eth0", "vnetNetwork: name contains the character 0x7f, "
			     "which is not printable ASCII" },
	{ NET, "caf\303\251 eth0", "vnetNetwork: name contains the character "
				   "0xc3, which is not printable ASCII" },
	/* member globs */
	{ NET, "ovs eth0 tap[", "vnetNetwork: glob 'tap[' has an unterminated "
				"'[' bracket expression" },
	{ NET, "ovs abcdefghijklmnop", "vnetNetwork: glob 'abcdefghijklmnop' "
				       "can never match: it needs more "
				       "characters than the 15 an interface "
				       "name can have" },
	{ NET, "ovs x\\", "vnetNetwork: glob 'x\\' ends with a lone "
			  "backslash" },
};

/* A configuration with something in every field, to see it stay put. */
static void populate(struct vn_config *cfg)
{
	char err[256];

	vn_config_init(cfg);
	assert_int_equal(vn_config_include(cfg, "br* virbr*", err,
					   sizeof(err)), 0);
	assert_int_equal(vn_config_exclude(cfg, "br-*", err, sizeof(err)), 0);
	assert_int_equal(vn_config_network(cfg, "ovs0 vnet* tap?", err,
					   sizeof(err)), 0);
	assert_int_equal(vn_config_statedir(cfg, "/srv/x", err, sizeof(err)),
			 0);
}

static const char populated[] =
	"inc=br*,virbr* exc=br-* nets=ovs0:vnet*,tap? dir=/srv/x";

static void test_bad(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		const struct bad_case *c = &bad_cases[i];
		struct vn_config cfg;
		char err[256];

		/* on an empty configuration and on a full one */
		vn_config_init(&cfg);
		err[0] = '\0';
		if (c->fn(&cfg, c->args, err, sizeof(err)) != -1)
			fail_msg("case %zu '%s' accepted", i, c->args);
		assert_string_equal(err, c->err);
		assert_dump(&cfg, "inc= exc= nets= dir=-");
		vn_config_free(&cfg);

		populate(&cfg);
		err[0] = '\0';
		assert_int_equal(c->fn(&cfg, c->args, err, sizeof(err)), -1);
		assert_string_equal(err, c->err);
		assert_dump(&cfg, populated);
		vn_config_free(&cfg);
	}
}

static void test_duplicate_network(void **state)
{
	struct vn_config cfg;
	char err[256];

	(void)state;
	populate(&cfg);
	assert_int_equal(vn_config_network(&cfg, "ovs0 eth0", err,
					   sizeof(err)), -1);
	assert_string_equal(err, "vnetNetwork: network 'ovs0' is already "
				 "defined");
	assert_dump(&cfg, populated);
	/* names are case sensitive, like interface names */
	assert_int_equal(vn_config_network(&cfg, "OVS0 eth0", err,
					   sizeof(err)), 0);
	assert_int_equal(vn_config_network(&cfg, "OVS0 eth1", err,
					   sizeof(err)), -1);
	assert_string_equal(err, "vnetNetwork: network 'OVS0' is already "
				 "defined");
	assert_int_equal(cfg.nnets, 2);
	vn_config_free(&cfg);
}

/* Every accepted glob must really be able to match some name. */
static void test_good_globs_match(void **state)
{
	static const struct {
		const char *glob;
		const char *name;
	} cases[] = {
		{ "br0", "br0" },
		{ "abcdefghijklmno", "abcdefghijklmno" },
		{ "abcdefghijklmno*", "abcdefghijklmno" },
		{ "[]]", "]" },
		{ "[!]]", "a" },
		{ "[]a]x", "ax" },
		{ "[a-]", "-" },
		{ "[\\]]", "]" },
		{ "[[:alpha:]][[:digit:]]*", "a1" },
		{ "[[.a.]][[=b=]]", "ab" },
		{ "[[]", "[" },
		{ "a]", "a]" },
		{ "\\[x", "[x" },
		{ "br\\*", "br*" },
		{ "\\\\", "\\" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct vn_config cfg;
		char err[256];

		vn_config_init(&cfg);
		if (vn_config_include(&cfg, cases[i].glob, err, sizeof(err)))
			fail_msg("'%s': %s", cases[i].glob, err);
		if (!vn_globs_match(&cfg.include, cases[i].name))
			fail_msg("'%s' does not match '%s'", cases[i].glob,
				 cases[i].name);
		vn_config_free(&cfg);
	}
}

/* ---- include / exclude ---- */

struct wanted_case {
	const char *include;	/* NULL: no vnetInclude line */
	const char *exclude;	/* NULL: no vnetExclude line */
	const char *name;
	bool want;
};

static const struct wanted_case wanted_cases[] = {
	/* no lines: every bridge */
	{ NULL, NULL, "br0", true },
	{ NULL, NULL, "virbr0", true },
	{ NULL, NULL, "x", true },
	/* include narrows */
	{ "br*", NULL, "br0", true },
	{ "br*", NULL, "br", true },
	{ "br*", NULL, "virbr0", false },
	{ "br*", NULL, "BR0", false },
	{ "br* virbr*", NULL, "virbr0", true },
	{ "br[0-9]", NULL, "br7", true },
	{ "br[0-9]", NULL, "br10", false },
	{ "br[!0-9]", NULL, "brx", true },
	{ "br[!0-9]", NULL, "br1", false },
	{ "br?", NULL, "br", false },
	{ "br\\*", NULL, "br*", true },
	{ "br\\*", NULL, "br0", false },
	{ "[[:digit:]]*", NULL, "0br", true },
	{ "[[:digit:]]*", NULL, "br0", false },
	/* a dot or a leading dot is nothing special without flags */
	{ "*", NULL, ".hidden", true },
	{ "br.*", NULL, "br.100", true },
	/* exclude alone removes */
	{ NULL, "docker*", "docker0", false },
	{ NULL, "docker*", "br0", true },
	{ NULL, "br-* docker0", "br-1234", false },
	{ NULL, "br-* docker0", "docker1", true },
	/* exclude wins over include */
	{ "*", "br1", "br1", false },
	{ "*", "br1", "br10", true },
	{ "br[0-9]", "br[5-9]", "br4", true },
	{ "br[0-9]", "br[5-9]", "br5", false },
	{ "br[0-9]", "br[5-9]", "br10", false },
	{ "br0", "br0", "br0", false },
	{ "br*", "*", "br0", false },
};

static void test_wanted(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(wanted_cases) / sizeof(wanted_cases[0]); i++) {
		const struct wanted_case *c = &wanted_cases[i];
		struct vn_config cfg;
		char err[256];

		vn_config_init(&cfg);
		if (c->include)
			assert_int_equal(vn_config_include(&cfg, c->include,
							   err, sizeof(err)),
					 0);
		if (c->exclude)
			assert_int_equal(vn_config_exclude(&cfg, c->exclude,
							   err, sizeof(err)),
					 0);
		if (vn_config_bridge_wanted(&cfg, c->name) != c->want)
			fail_msg("case %zu: include '%s' exclude '%s' name "
				 "'%s': want %d", i,
				 c->include ? c->include : "-",
				 c->exclude ? c->exclude : "-", c->name,
				 c->want);
		vn_config_free(&cfg);
	}
}

static void test_wanted_accumulates(void **state)
{
	struct vn_config cfg;
	char err[256];

	(void)state;
	vn_config_init(&cfg);
	assert_int_equal(vn_config_include(&cfg, "br0", err, sizeof(err)), 0);
	assert_false(vn_config_bridge_wanted(&cfg, "br1"));
	assert_int_equal(vn_config_include(&cfg, "br1", err, sizeof(err)), 0);
	assert_true(vn_config_bridge_wanted(&cfg, "br0"));
	assert_true(vn_config_bridge_wanted(&cfg, "br1"));
	assert_int_equal(vn_config_exclude(&cfg, "br0", err, sizeof(err)), 0);
	assert_false(vn_config_bridge_wanted(&cfg, "br0"));
	assert_true(vn_config_bridge_wanted(&cfg, "br1"));
	assert_int_equal(vn_config_exclude(&cfg, "br1", err, sizeof(err)), 0);
	assert_false(vn_config_bridge_wanted(&cfg, "br1"));
	/* a refused line changes nothing */
	assert_int_equal(vn_config_include(&cfg, "br2 br[", err, sizeof(err)),
			 -1);
	assert_false(vn_config_bridge_wanted(&cfg, "br2"));
	assert_false(vn_config_bridge_wanted(&cfg, NULL));
	vn_config_free(&cfg);
}

static void test_globs_match(void **state)
{
	struct vn_config cfg;
	char err[256];

	(void)state;
	vn_config_init(&cfg);
	/* an empty list matches nothing */
	assert_false(vn_globs_match(&cfg.include, "eth0"));
	assert_false(vn_globs_match(&cfg.include, ""));
	assert_int_equal(vn_config_network(&cfg, "ovs vnet* tap[0-9] eth0",
					   err, sizeof(err)), 0);
	assert_true(vn_globs_match(&cfg.nets[0].members, "vnet12"));
	assert_true(vn_globs_match(&cfg.nets[0].members, "tap3"));
	assert_true(vn_globs_match(&cfg.nets[0].members, "eth0"));
	assert_false(vn_globs_match(&cfg.nets[0].members, "tap"));
	assert_false(vn_globs_match(&cfg.nets[0].members, "eth00"));
	assert_false(vn_globs_match(&cfg.nets[0].members, "xvnet1"));
	assert_false(vn_globs_match(&cfg.nets[0].members, NULL));
	vn_config_free(&cfg);
}

static void test_state_dir(void **state)
{
	struct vn_config cfg;
	char err[256];

	(void)state;
	vn_config_init(&cfg);
	assert_string_equal(vn_config_state_dir(&cfg), "/var/lib/vnet-agentx");
	assert_string_equal(vn_config_state_dir(&cfg), VN_DEFAULT_STATE_DIR);
	assert_int_equal(vn_config_statedir(&cfg, "/tmp/a", err, sizeof(err)),
			 0);
	assert_string_equal(vn_config_state_dir(&cfg), "/tmp/a");
	assert_int_equal(vn_config_statedir(&cfg, "tmp/b", err, sizeof(err)),
			 -1);
	assert_string_equal(vn_config_state_dir(&cfg), "/tmp/a");
	vn_config_free(&cfg);
	assert_string_equal(vn_config_state_dir(&cfg), VN_DEFAULT_STATE_DIR);
}

static void test_state_dir_too_long(void **state)
{
	size_t len = PATH_MAX - 16;
	struct vn_config cfg;
	char *path = malloc(len + 2);
	char err[256];

	(void)state;
	assert_non_null(path);
	memset(path, 'a', len + 1);
	path[0] = '/';
	path[len] = '\0';
	vn_config_init(&cfg);
	assert_int_equal(vn_config_statedir(&cfg, path, err, sizeof(err)), 0);
	path[len] = 'a';
	path[len + 1] = '\0';
	assert_int_equal(vn_config_statedir(&cfg, path, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "vnetStateDir: path is longer than"));
	assert_int_equal(strlen(cfg.state_dir), len);
	vn_config_free(&cfg);
	free(path);
}

/* err is optional, and a short buffer gets a terminated prefix. */
static void test_err_buffer(void **state)
{
	struct vn_config cfg;
	char err[8];

	(void)state;
	vn_config_init(&cfg);
	assert_int_equal(vn_config_include(&cfg, "", NULL, 0), -1);
	assert_int_equal(vn_config_network(&cfg, "x", NULL, 0), -1);
	assert_int_equal(vn_config_statedir(&cfg, "x", err, 0), -1);
	memset(err, 'x', sizeof(err));
	assert_int_equal(vn_config_include(&cfg, "", err, sizeof(err)), -1);
	assert_string_equal(err, "vnetInc");
	vn_config_free(&cfg);
}

/* Free twice, reuse after free, free an untouched configuration. */
static void test_free_reuse(void **state)
{
	struct vn_config cfg;
	char err[256];

	(void)state;
	vn_config_init(&cfg);
	vn_config_free(&cfg);
	populate(&cfg);
	vn_config_free(&cfg);
	assert_dump(&cfg, "inc= exc= nets= dir=-");
	vn_config_free(&cfg);
	assert_int_equal(vn_config_network(&cfg, "ovs0 eth0", err,
					   sizeof(err)), 0);
	assert_dump(&cfg, "inc= exc= nets=ovs0:eth0 dir=-");
	vn_config_free(&cfg);
}

/* Many lines and networks: growth paths, and valgrind sees every free. */
static void test_many(void **state)
{
	struct vn_config cfg;
	char args[64], err[256];
	int i;

	(void)state;
	vn_config_init(&cfg);
	for (i = 0; i < 500; i++) {
		snprintf(args, sizeof(args), "net%d eth%d vnet%d*", i, i, i);
		assert_int_equal(vn_config_network(&cfg, args, err,
						   sizeof(err)), 0);
		snprintf(args, sizeof(args), "br%d x%d", i, i);
		assert_int_equal(vn_config_include(&cfg, args, err,
						   sizeof(err)), 0);
		assert_int_equal(vn_config_exclude(&cfg, args, err,
						   sizeof(err)), 0);
		snprintf(args, sizeof(args), "/s/%d", i);
		assert_int_equal(vn_config_statedir(&cfg, args, err,
						    sizeof(err)), 0);
	}
	assert_int_equal(cfg.nnets, 500);
	assert_int_equal(cfg.include.n, 1000);
	assert_int_equal(cfg.exclude.n, 1000);
	assert_string_equal(cfg.nets[499].name, "net499");
	assert_string_equal(cfg.nets[499].members.v[1], "vnet499*");
	assert_string_equal(vn_config_state_dir(&cfg), "/s/499");
	assert_int_equal(vn_config_network(&cfg, "net250 y", err, sizeof(err)),
			 -1);
	vn_config_free(&cfg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_bad),
		cmocka_unit_test(test_duplicate_network),
		cmocka_unit_test(test_good_globs_match),
		cmocka_unit_test(test_wanted),
		cmocka_unit_test(test_wanted_accumulates),
		cmocka_unit_test(test_globs_match),
		cmocka_unit_test(test_state_dir),
		cmocka_unit_test(test_state_dir_too_long),
		cmocka_unit_test(test_err_buffer),
		cmocka_unit_test(test_free_reuse),
		cmocka_unit_test(test_many),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
