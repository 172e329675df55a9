// SPDX-License-Identifier: GPL-2.0
/*
 * bifurcctl apply [FILE [IF]]
 * bifurcctl dump-config [IF]
 *
 * Reservations, grants and flow rules live in the kernel and end with the
 * driver; the configuration file (bifurc.conf(5), /etc/bifurc/bifurc.conf)
 * brings them back at boot and after a driver reload.  Its lines are the
 * words of the commands that make the state:
 *
 *	ntuple IF on
 *	reserve IF queue N
 *	grant IF queue N {user U|group G} [ports LO[-HI]]
 *	steer IF add FLOW [MATCH]... {queue N|drop} [loc L]
 *
 * apply parses the whole file first, so a typo changes nothing.  With IF,
 * only IF's lines are applied: udev starts bifurc@IF.service when an
 * ixgbe interface appears (at boot, or when the driver is loaded again).  Then each
 * line already in force is left alone and each other line runs as its
 * command would, in file order; a failed line does not stop the next one
 * (at boot, one missing interface must not cost the others their queues).
 * apply only adds: what the kernel holds beyond the file (a queue reserved
 * by hand, an application's rules) stays, and a reserved queue the file
 * does not name is reported.  Running it twice changes nothing the second
 * time.
 *
 * dump-config prints the live state in the same format: the file that,
 * applied after a reload, gives it back.  The kernel does not say which
 * rules an application added through its queue, so they are printed too,
 * and a rule with fields the command words cannot express is printed as
 * a comment.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "bifurcctl.h"

#define CONFIG_FILE	"/etc/bifurc/bifurc.conf"
#define MAX_WORDS	32

enum line_kind { LINE_NTUPLE, LINE_RESERVE, LINE_GRANT, LINE_STEER };

struct config_line {
	enum line_kind kind;
	unsigned int lineno;
	char *text;			/* the line, trimmed, for messages */
	char *buf;			/* the words point into this */
	char *words[MAX_WORDS];
	int nwords;
	const char *ifname;		/* words[1] */
	uint32_t queue;			/* reserve, grant */
	struct bctl_grant grant;	/* grant */
	struct bctl_rule_spec rule;	/* steer */
};

/* Split @line (modified) at blanks; a '#' outside a word starts a comment. */
static int split_words(char *line, char **words, int max)
{
	char *p = line;
	int n = 0;

	for (;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p || *p == '#')
			return n;
		if (n == max)
			return -E2BIG;
		words[n++] = p;
		while (*p && *p != ' ' && *p != '\t')
			p++;
		if (*p)
			*p++ = '\0';
	}
}

/* The words after the statement's first: "IF ...". */
static struct bctl_args line_args(const struct config_line *l)
{
	return (struct bctl_args){ l->nwords - 1, (char **)l->words + 1 };
}

/*
 * Parse one line into @l with the commands' own parsers, which print
 * their usage error; 0, 1 for a blank or comment line, or BCTL_USAGE.
 */
static int parse_line(struct config_line *l)
{
	static const char *const kw[] = { "ntuple", "reserve", "grant", "steer",
					  NULL };
	char canon[64];
	struct bctl_args a;
	int n;

	n = split_words(l->buf, l->words, MAX_WORDS);
	if (n < 0)
		return bctl_usage_err("more than %d words", MAX_WORDS);
	if (n == 0)
		return 1;
	l->nwords = n;
	if (!strcmp(l->words[0], "ntuple")) {
		l->kind = LINE_NTUPLE;
		if (n != 3 || strcmp(l->words[2], "on"))
			return bctl_usage_err("an ntuple line reads \"ntuple IF on\"");
	} else if (!strcmp(l->words[0], "reserve")) {
		l->kind = LINE_RESERVE;
	} else if (!strcmp(l->words[0], "grant")) {
		l->kind = LINE_GRANT;
	} else if (!strcmp(l->words[0], "steer")) {
		l->kind = LINE_STEER;
		/* "steer IF add ...": the interface first, as dump-config
		 * writes it, reads as a statement about IF */
		if (n < 3 || strcmp(l->words[2], "add"))
			return bctl_usage_err("a steer line reads \"steer IF add FLOW ...\"");
	} else {
		return bctl_bad_word(l->words[0], "statement", kw);
	}
	if (n < 2)
		return bctl_usage_err("missing interface name");
	l->ifname = l->words[1];

	a = line_args(l);
	switch (l->kind) {
	case LINE_NTUPLE:
		return 0;
	case LINE_RESERVE:
		if (bctl_parse_if_queue(&a, &l->ifname, &l->queue))
			return BCTL_USAGE;
		if (bctl_peek(&a))
			return bctl_usage_err("unexpected argument \"%s\"",
					      bctl_peek(&a));
		return 0;
	case LINE_GRANT:
		if (bctl_grant_parse(&a, &l->ifname, &l->queue, &l->grant,
				     canon, sizeof(canon)))
			return BCTL_USAGE;
		if (l->grant.kind == BCTL_GRANT_NONE)
			return bctl_usage_err("\"none\" has no place in a configuration: leave the grant out");
		return 0;
	case LINE_STEER:
		a.argc -= 2;	/* past IF and "add" */
		a.argv += 2;
		return bctl_rule_parse(&a, &l->rule) ? BCTL_USAGE : 0;
	}
	return BCTL_USAGE;
}

static void free_lines(struct config_line *lines, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(lines[i].text);
		free(lines[i].buf);
	}
	free(lines);
}

/* Read and parse @path; BCTL_OK, or an exit status after the message. */
static int read_config(const char *path, struct config_line **out,
		       size_t *count)
{
	struct config_line *lines = NULL, *l, *grown;
	unsigned int lineno = 0;
	size_t n = 0, len = 0;
	char *line = NULL, *s, *e;
	int err, ret = BCTL_OK;
	FILE *f;

	f = fopen(path, "re");
	if (!f) {
		bctl_err("cannot read %s: %s", path, strerror(errno));
		return BCTL_ERR;
	}
	while (getline(&line, &len, f) >= 0) {
		lineno++;
		line[strcspn(line, "\n")] = '\0';
		grown = realloc(lines, (n + 1) * sizeof(*lines));
		if (!grown) {
			bctl_err("out of memory");
			ret = BCTL_ERR;
			break;
		}
		lines = grown;
		l = memset(&lines[n], 0, sizeof(*l));
		for (s = line; *s == ' ' || *s == '\t'; s++)
			;
		for (e = s + strlen(s); e > s && (e[-1] == ' ' || e[-1] == '\t'); e--)
			;
		l->lineno = lineno;
		l->text = strndup(s, e - s);
		l->buf = strdup(line);
		if (!l->text || !l->buf) {
			n++;
			bctl_err("out of memory");
			ret = BCTL_ERR;
			break;
		}
		n++;
		err = parse_line(l);
		if (err == 1) {
			free(l->text);
			free(l->buf);
			n--;
		} else if (err) {
			bctl_err("%s:%u: %s: nothing applied", path, lineno,
				 l->text);
			ret = BCTL_USAGE;
		}
	}
	if (ferror(f)) {
		bctl_err("cannot read %s: %s", path, strerror(errno));
		ret = BCTL_ERR;
	}
	free(line);
	fclose(f);
	if (ret) {
		free_lines(lines, n);
		return ret;
	}
	*out = lines;
	*count = n;
	return BCTL_OK;
}

/* A live rule the steer line describes: the same words, and loc if given. */
static bool rule_in_force(const struct bctl_rules *r,
			  const struct bctl_rule_spec *spec)
{
	char want[512], have[512];
	uint32_t i;

	if (bctl_rule_format(&spec->fs, want, sizeof(want)))
		return false;
	for (i = 0; i < r->n; i++) {
		if (spec->have_loc && r->fs[i].location != spec->fs.location)
			continue;
		if (!bctl_rule_format(&r->fs[i], have, sizeof(have)) &&
		    !strcmp(want, have))
			return true;
	}
	return false;
}

/* 1 if @l is in force, 0 if not, -1 if the state cannot be read. */
static int line_in_force(const struct bctl *b, const struct config_line *l)
{
	struct bctl_rules rules;
	struct bctl_dev d;
	int ret;

	if (l->kind == LINE_NTUPLE) {
		if (bctl_dev_open(b, l->ifname, &d, false))
			return -1;
		return d.ntuple == 1;
	}
	if (l->kind != LINE_STEER) {
		if (bctl_dev_open(b, l->ifname, &d, true))
			return -1;
		if (l->kind == LINE_RESERVE)
			return bctl_qbit(d.reserved, l->queue);
		return d.grants == 1 &&
		       bctl_grant_same(&d.grant[l->queue], &l->grant);
	}
	if (bctl_dev_open(b, l->ifname, &d, false))
		return -1;
	/* ntuple off or no rules support: steer add says why */
	if (bctl_rules_get(b, l->ifname, &rules))
		return 0;
	ret = rule_in_force(&rules, &l->rule);
	bctl_rules_free(&rules);
	return ret;
}

static int run_line(struct bctl *b, const struct config_line *l)
{
	struct bctl_args a = line_args(l);
	char *words[MAX_WORDS];
	int err;

	switch (l->kind) {
	case LINE_NTUPLE:
		err = bctl_ntuple_on(b, l->ifname);
		if (err)
			bctl_err("cannot turn ntuple filters on on %s: %s",
				 l->ifname, bctl_strerror_perm(err));
		return err ? BCTL_ERR : BCTL_OK;
	case LINE_RESERVE:
		return bctl_cmd_reserve(b, &a, true);
	case LINE_GRANT:
		return bctl_cmd_grant(b, &a);
	case LINE_STEER:
		/* steer's own order: "add IF ..." */
		memcpy(words, l->words + 1, (l->nwords - 1) * sizeof(*words));
		words[0] = (char *)"add";
		words[1] = (char *)l->ifname;
		a = (struct bctl_args){ l->nwords - 1, words };
		return bctl_cmd_steer(b, &a);
	}
	return BCTL_ERR;
}

/* Reserved queues of the file's interfaces that the file does not name. */
static void report_extra(const struct bctl *b, const char *path,
			 const struct config_line *lines, size_t n)
{
	struct bctl_dev d;
	size_t i, k;
	uint32_t q;

	for (i = 0; i < n; i++) {
		for (k = 0; k < i; k++)
			if (!strcmp(lines[k].ifname, lines[i].ifname))
				break;
		if (k < i || bctl_dev_open(b, lines[i].ifname, &d, true))
			continue;
		for (q = 0; q < BIFURC_MAX_QUEUES; q++) {
			if (!bctl_qbit(d.reserved, q))
				continue;
			for (k = 0; k < n; k++)
				if (lines[k].kind == LINE_RESERVE &&
				    lines[k].queue == q &&
				    !strcmp(lines[k].ifname, d.link.name))
					break;
			if (k == n)
				printf("apply: note: queue %u of %s is reserved but "
				       "not in %s; left as it is\n", q,
				       d.link.name, path);
		}
	}
}

/* Keep only @ifname's lines (all if NULL); the new count. */
static size_t select_lines(struct config_line *lines, size_t n,
			   const char *ifname)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++) {
		if (!ifname || !strcmp(lines[i].ifname, ifname)) {
			lines[k++] = lines[i];
			continue;
		}
		free(lines[i].text);
		free(lines[i].buf);
	}
	return k;
}

int bctl_cmd_apply(struct bctl *b, struct bctl_args *a)
{
	const char *path = bctl_next(a), *ifname = bctl_next(a), *w;
	unsigned int changed = 0, kept = 0, failed = 0;
	struct config_line *lines = NULL;
	size_t n = 0, i;
	int ret, state;

	if ((w = bctl_next(a)))
		return bctl_usage_err("unexpected argument \"%s\"", w);
	if (!path)
		path = CONFIG_FILE;
	ret = read_config(path, &lines, &n);
	if (ret)
		return ret;
	n = select_lines(lines, n, ifname);

	for (i = 0; i < n; i++) {
		state = line_in_force(b, &lines[i]);
		if (state > 0) {
			printf("apply: %s:%u: in force: %s\n", path,
			       lines[i].lineno, lines[i].text);
			kept++;
			continue;
		}
		printf("apply: %s:%u: %s\n", path, lines[i].lineno,
		       lines[i].text);
		fflush(stdout);
		if (state == 0 && run_line(b, &lines[i]) == BCTL_OK) {
			changed++;
		} else {
			fflush(stdout);
			bctl_err("%s:%u: not applied: %s", path,
				 lines[i].lineno, lines[i].text);
			failed++;
		}
	}
	report_extra(b, path, lines, n);
	printf("apply: %s%s%s: %u changed, %u already in force, %u failed\n",
	       path, ifname ? " for " : "", ifname ? ifname : "", changed,
	       kept, failed);
	free_lines(lines, n);
	return failed ? BCTL_ERR : BCTL_OK;
}

static void dump_dev(const struct bctl *b, const struct bctl_dev *d)
{
	const char *name = d->link.name;
	struct bctl_rules rules;
	char text[512];
	uint32_t q, i;

	printf("# %s (%s)\n", name, d->bdf[0] ? d->bdf : "-");
	if (d->ntuple == 1)
		printf("ntuple %s on\n", name);
	for (q = 0; q < BIFURC_MAX_QUEUES; q++)
		if (bctl_qbit(d->reserved, q))
			printf("reserve %s queue %u\n", name, q);
	for (q = 0; d->grants == 1 && q < BIFURC_MAX_QUEUES; q++) {
		if (d->grant[q].kind == BCTL_GRANT_NONE)
			continue;
		bctl_grant_desc(&d->grant[q], false, text, sizeof(text));
		printf("grant %s queue %u %s\n", name, q, text);
	}
	if (d->ntuple != 1 || bctl_rules_get(b, name, &rules))
		return;
	for (i = 0; i < rules.n; i++) {
		bctl_rule_format(&rules.fs[i], text, sizeof(text));
		printf("%ssteer %s add %s loc %u\n",
		       strstr(text, "(+ fields") ? "# not expressible: " : "",
		       name, text, rules.fs[i].location);
	}
	bctl_rules_free(&rules);
}

int bctl_cmd_dump_config(struct bctl *b, struct bctl_args *a)
{
	const char *ifname = bctl_next(a), *w;
	struct bctl_link *links = NULL;
	struct bctl_dev d;
	size_t n = 0, i;
	int err;

	if ((w = bctl_next(a)))
		return bctl_usage_err("unexpected argument \"%s\"", w);
	printf("# bifurc.conf(5): the state to give back with bifurcctl apply.\n"
	       "# Rules an application added through its queue are listed too;\n"
	       "# remove them if the application adds its own.\n");
	if (ifname) {
		if (bctl_dev_open(b, ifname, &d, true))
			return BCTL_ERR;
		dump_dev(b, &d);
		return BCTL_OK;
	}
	err = b->bk->link_list(b, &links, &n);
	if (err) {
		bctl_err("cannot list interfaces: %s", strerror(-err));
		return BCTL_ERR;
	}
	for (i = 0; i < n; i++) {
		memset(&d, 0, sizeof(d));
		d.link = links[i];
		bctl_dev_fill(b, &d);
		if (d.classdev[0])
			dump_dev(b, &d);
	}
	free(links);
	return BCTL_OK;
}
