// SPDX-License-Identifier: GPL-2.0
/*
 * bifurcctl [OPTIONS] OBJECT COMMAND ...: option parsing, dispatch, usage
 * texts and the shared error helpers.
 *
 * Usage errors print one line naming the offending word and exit 2;
 * runtime errors print what went wrong and what to do, and exit 1.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "bifurcctl.h"

static const char usage_main[] =
"Usage: bifurcctl [OPTIONS] OBJECT COMMAND ...\n"
"       bifurcctl [OPTIONS] dev [IF]\n"
"       bifurcctl reserve IF queue N\n"
"       bifurcctl release IF queue N [force]\n"
"       bifurcctl steer add IF {udp4|tcp4|udp6|tcp6} [src-ip A[/LEN]] [dst-ip A[/LEN]]\n"
"                             [src-port P] [dst-port P] {queue N|drop} [loc L]\n"
"       bifurcctl steer del IF rule L\n"
"       bifurcctl [OPTIONS] steer list IF\n"
"       bifurcctl [OPTIONS] stats IF [queue N] [-w SECONDS]\n"
"       bifurcctl [OPTIONS] top [IF] [-d SECONDS] [-n COUNT]\n"
"       bifurcctl grant IF queue N {user U|group G} [ports LO[-HI]]\n"
"       bifurcctl grant IF queue N none\n"
"       bifurcctl mirror IF queue N {on|off}\n"
"       bifurcctl apply [FILE [IF]]\n"
"       bifurcctl dump-config [IF]\n"
"OPTIONS := { -j|--json | -p|--pretty | -h|--help | -V|--version | --sysfs-root DIR }\n"
"OPTIONS may also follow OBJECT (\"bifurcctl dev -j\").\n"
"Every OBJECT takes -h (\"bifurcctl steer -h\").\n";

static const char *const bctl_usage_dev =
"Usage: bifurcctl [-j] dev [IF]\n"
"List the adapters with bifurc support: interface, PCI address, driver,\n"
"RX queues, reserved and attached queues, ntuple state, who each reserved\n"
"queue is granted to, device node.\n";
static const char *const bctl_usage_reserve =
"Usage: bifurcctl reserve IF queue N\n"
"       bifurcctl release IF queue N [force]\n"
"reserve takes RX queue N out of RSS and the stack and holds it for bifurc;\n"
"release gives it back (force: even while an application is attached).\n";
static const char *const bctl_usage_steer =
"Usage: bifurcctl steer add IF FLOW [MATCH]... ACTION [loc L]\n"
"       bifurcctl steer del IF rule L\n"
"       bifurcctl [-j] steer list IF\n"
"FLOW   := { udp4 | tcp4 | udp6 | tcp6 }\n"
"MATCH  := { src-ip A[/LEN] | dst-ip A[/LEN] | src-port P | dst-port P }\n"
"ACTION := { queue N | drop }\n"
"Rules are ordinary ntuple rules (\"ethtool -n IF\" lists them).  The 82599\n"
"has one flow mask per port: every rule must match the same fields.\n";
static const char *const bctl_usage_mirror =
"Usage: bifurcctl mirror IF queue N {on|off}\n"
"While on, the kernel copies every frame reserved queue N receives or sends\n"
"to the packet taps of IF (tcpdump -i IF); the stack does not process them.\n";
static const char *const bctl_usage_stats =
"Usage: bifurcctl [-j] stats IF [queue N] [-w SECONDS]\n"
"Per-queue bifurc counters (ethtool -S IF | grep bifurc); with -w, the\n"
"rates over SECONDS seconds.\n";
static const char *const bctl_usage_top =
"Usage: bifurcctl [-j] top [IF] [-d SECONDS] [-n COUNT]\n"
"Live view of the reserved queues of IF (or of every adapter with bifurc):\n"
"every SECONDS (default 1), one line per queue with RX and TX packets/s and\n"
"bits/s, frames dropped for want of buffers/s, ids and frames the kernel\n"
"refused/s and kicks/s; with -j one JSON object per interval.  Stops after\n"
"COUNT intervals, or on SIGINT.\n";
static const char *const bctl_usage_grant =
"Usage: bifurcctl grant IF queue N {user U|group G} [ports LO[-HI]]\n"
"       bifurcctl grant IF queue N none\n"
"Let user U (or group G) attach reserved queue N of IF: the kernel's grant\n"
"of queue N.  Opening IF's device node takes membership in group bifurc\n"
"(udev's 60-bifurc.rules); grant says whether the grantee has it.  Its flow\n"
"rules must match one destination port: with ports, one in LO..HI\n"
"(1..65535); without, one it could bind (ip_unprivileged_port_start, 1024\n"
"by default, or above).  A port a socket has bound on IF is refused.  none\n"
"revokes the grant of queue N.  Changing or revoking a grant ends the\n"
"grantee's attachment of queue N.\n";
static const char *const bctl_usage_apply =
"Usage: bifurcctl apply [FILE [IF]]\n"
"Bring the state in FILE (default /etc/bifurc/bifurc.conf; bifurc.conf(5))\n"
"into force: lines \"ntuple IF on\", \"reserve IF queue N\", \"grant IF queue\n"
"N ...\" and \"steer IF add ...\", in order; with IF, only IF's lines.  Lines\n"
"in force are left alone, nothing is removed, and a typo anywhere applies\n"
"nothing.\n";
static const char *const bctl_usage_dump_config =
"Usage: bifurcctl dump-config [IF]\n"
"Print the live reservations, grants and rules of IF (or of every adapter\n"
"with bifurc) as bifurc.conf(5) lines, for bifurcctl apply.\n";

/* The object being run, so a usage error can point at its own help. */
static const char *cur_object;

void bctl_err(const char *fmt, ...)
{
	va_list ap;

	fputs("bifurcctl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int bctl_usage_err(const char *fmt, ...)
{
	va_list ap;

	fputs("bifurcctl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	if (cur_object)
		fprintf(stderr, "; try \"bifurcctl %s -h\"", cur_object);
	else
		fputs("; try \"bifurcctl -h\"", stderr);
	fputc('\n', stderr);
	return BCTL_USAGE;
}

/* Edit distance, for "did you mean". Words here are short. */
static unsigned int distance(const char *a, const char *b)
{
	unsigned int row[32], i, j, prev, tmp, la = strlen(a), lb = strlen(b);

	if (la >= 31 || lb >= 31)
		return 99;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		prev = row[0];
		row[0] = i;
		for (j = 1; j <= lb; j++) {
			tmp = row[j];
			row[j] = prev + (a[i - 1] != b[j - 1]);
			if (row[j - 1] + 1 < row[j])
				row[j] = row[j - 1] + 1;
			if (tmp + 1 < row[j])
				row[j] = tmp + 1;
			prev = tmp;
		}
	}
	return row[lb];
}

int bctl_bad_word(const char *word, const char *what,
		  const char *const *choices)
{
	const char *best = NULL;
	unsigned int d, bestd = 3;

	for (; choices && *choices; choices++) {
		d = distance(word, *choices);
		if (d < bestd) {
			bestd = d;
			best = *choices;
		}
	}
	if (best)
		return bctl_usage_err("unknown %s \"%s\" (did you mean \"%s\"?)",
				      what, word, best);
	return bctl_usage_err("unknown %s \"%s\"", what, word);
}

int bctl_parse_u32(const char *s, const char *what, uint32_t max,
		   uint32_t *out)
{
	unsigned long v;
	char *end;

	errno = 0;
	if (!s || !*s || *s == '-' || *s == '+')
		goto bad;
	v = strtoul(s, &end, 0);
	if (errno || *end || v > max)
		goto bad;
	*out = v;
	return 0;
bad:
	return bctl_usage_err("%s \"%s\" is not a number in 0..%u", what,
			      s ? s : "", max);
}

bool bctl_is_help(const char *s)
{
	return s && (!strcmp(s, "-h") || !strcmp(s, "--help") ||
		     !strcmp(s, "help"));
}

const char *bctl_next(struct bctl_args *a)
{
	if (a->argc <= 0)
		return NULL;
	a->argc--;
	return *a->argv++;
}

const char *bctl_peek(const struct bctl_args *a)
{
	return a->argc > 0 ? a->argv[0] : NULL;
}

int bctl_need(struct bctl_args *a, const char *what, const char **out)
{
	*out = bctl_next(a);
	if (!*out)
		return bctl_usage_err("missing %s", what);
	return 0;
}

struct object {
	const char *name;
	const char *const *usage;
	int (*run)(struct bctl *b, struct bctl_args *a);
	/* dash words the object takes itself, each with a value */
	const char *const *own_opts;
};

static int run_reserve(struct bctl *b, struct bctl_args *a)
{
	return bctl_cmd_reserve(b, a, true);
}

static int run_release(struct bctl *b, struct bctl_args *a)
{
	return bctl_cmd_reserve(b, a, false);
}

static const char *const stats_opts[] = { "-w", NULL };
static const char *const top_opts[] = { "-d", "-n", NULL };

static const struct object objects[] = {
	{ "dev", &bctl_usage_dev, bctl_cmd_dev, NULL },
	{ "reserve", &bctl_usage_reserve, run_reserve, NULL },
	{ "release", &bctl_usage_reserve, run_release, NULL },
	{ "steer", &bctl_usage_steer, bctl_cmd_steer, NULL },
	{ "stats", &bctl_usage_stats, bctl_cmd_stats, stats_opts },
	{ "top", &bctl_usage_top, bctl_cmd_top, top_opts },
	{ "grant", &bctl_usage_grant, bctl_cmd_grant, NULL },
	{ "mirror", &bctl_usage_mirror, bctl_cmd_mirror, NULL },
	{ "apply", &bctl_usage_apply, bctl_cmd_apply, NULL },
	{ "dump-config", &bctl_usage_dump_config, bctl_cmd_dump_config, NULL },
};
static const char *const object_names[] = {
	"dev", "reserve", "release", "steer", "stats", "top", "grant", "mirror",
	"apply", "dump-config", NULL
};

enum { OPT_SYSFS = 256 };
static const struct option longopts[] = {
	{ "json", no_argument, NULL, 'j' },
	{ "pretty", no_argument, NULL, 'p' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ "sysfs-root", required_argument, NULL, OPT_SYSFS },
	{ NULL, 0, NULL, 0 },
};

/* One global option; -1 to go on, else the exit status. */
static int apply_opt(struct bctl *b, int c, const char *arg,
		     const char *usage)
{
	switch (c) {
	case 'j':
		b->json = true;
		break;
	case 'p':
		b->pretty = true;
		break;
	case 'h':
		fputs(usage, stdout);
		return BCTL_OK;
	case 'V':
		printf("bifurcctl %s\n", BCTL_VERSION);
		return BCTL_OK;
	case OPT_SYSFS:
		b->sysfs_root = arg;
		break;
	}
	return -1;
}

/*
 * "--name", "--name=value" or "--name value" after the object, matched
 * as getopt_long() does before it: the full name or a unique prefix.
 * *i is the word's index and moves past a separate value.
 */
static int late_long(struct bctl *b, struct bctl_args *a, int *i,
		     const char *usage)
{
	const char *w = a->argv[*i] + 2, *eq = strchr(w, '='), *arg = NULL;
	const struct option *o, *hit = NULL;
	size_t len = eq ? (size_t)(eq - w) : strlen(w);
	int n = 0;

	for (o = longopts; o->name; o++) {
		if (strncmp(o->name, w, len))
			continue;
		if (strlen(o->name) == len) {
			hit = o;
			n = 1;
			break;
		}
		hit = o;
		n++;
	}
	if (n != 1 || (eq && hit->has_arg == no_argument))
		return bctl_usage_err("unknown option \"%s\"", a->argv[*i]);
	if (hit->has_arg == required_argument) {
		if (eq)
			arg = eq + 1;
		else if (*i + 1 < a->argc)
			arg = a->argv[++*i];
		if (!arg || !*arg)
			return bctl_usage_err("option \"--%s\" needs a directory",
					      hit->name);
	}
	return apply_opt(b, hit->val, arg, usage);
}

/*
 * Global options after the object word ("bifurcctl dev -j").  ip(8) stops
 * at the object, but here no command word starts with '-' apart from the
 * few listed in own_opts, so an option after the object is unambiguous,
 * and "dev -j" used to be read as an interface named "-j".  The options
 * are taken out of the command's words, so that each command parses only
 * its own.  Left in place: the object's
 * own dash words with their value ("-w SECONDS" of stats), negative
 * numbers (a bad value, which the command names) and everything after
 * "--".  Any other word starting with '-' is an unknown option: a usage
 * error, never an interface or user name.  -1 to go on, else the exit
 * status.
 */
static int late_options(struct bctl *b, struct bctl_args *a,
			const struct object *obj)
{
	const char *const *own;
	const char *w, *c;
	bool opts = true;
	int i, k = 0, ret;

	for (i = 0; i < a->argc; i++) {
		w = a->argv[i];
		if (!opts || w[0] != '-' || !w[1] ||
		    (w[1] >= '0' && w[1] <= '9')) {
			a->argv[k++] = a->argv[i];
			continue;
		}
		if (!strcmp(w, "--")) {
			opts = false;
			continue;
		}
		for (own = obj->own_opts; own && *own && strcmp(*own, w); own++)
			;
		if (own && *own) {
			a->argv[k++] = a->argv[i];
			if (i + 1 < a->argc)
				a->argv[k++] = a->argv[++i];
			continue;
		}
		if (w[1] == '-') {
			ret = late_long(b, a, &i, *obj->usage);
			if (ret >= 0)
				return ret;
			continue;
		}
		for (c = w + 1; *c; c++) {
			if (!strchr("jphV", *c))
				return bctl_usage_err("unknown option \"-%c\"", *c);
			ret = apply_opt(b, *c, NULL, *obj->usage);
			if (ret >= 0)
				return ret;
		}
	}
	a->argc = k;
	return -1;
}

int bifurcctl_main(int argc, char **argv, const struct bctl_backend *bk)
{
	struct bctl b = { .bk = bk, .sysfs_root = "/sys", .dev_root = "/dev" };
	struct bctl_args a;
	const char *env;
	size_t i;
	int c, k, ret;

	env = getenv("BIFURC_SYSFS_ROOT");
	if (env && *env)
		b.sysfs_root = env;
	env = getenv("BIFURC_DEV_ROOT");
	if (env && *env) {
		b.dev_root = env;
		b.dev_root_set = true;
	}
	cur_object = NULL;
	opterr = 0;
	optind = 1;
	/* "+": stop at the object word; late_options() takes the rest. */
	while ((c = getopt_long(argc, argv, "+jphV", longopts, NULL)) != -1) {
		switch (c) {
		case 'j':
		case 'p':
		case 'h':
		case 'V':
		case OPT_SYSFS:
			ret = apply_opt(&b, c, optarg, usage_main);
			if (ret >= 0)
				return ret;
			break;
		default:
			if (optopt == OPT_SYSFS)
				return bctl_usage_err("option \"--sysfs-root\" needs a directory");
			if (optopt)
				return bctl_usage_err("unknown option \"-%c\"", optopt);
			return bctl_usage_err("unknown option \"%s\"",
					      argv[optind - 1]);
		}
	}
	a.argc = argc - optind;
	a.argv = argv + optind;
	if (!a.argc) {
		fputs(usage_main, stderr);
		return BCTL_USAGE;
	}
	if (bctl_is_help(a.argv[0])) {
		fputs(usage_main, stdout);
		return BCTL_OK;
	}
	for (i = 0; i < sizeof(objects) / sizeof(objects[0]); i++) {
		if (strcmp(a.argv[0], objects[i].name))
			continue;
		/* "-h" anywhere after the object prints that object's usage. */
		for (k = 1; k < a.argc; k++) {
			if (bctl_is_help(a.argv[k])) {
				fputs(*objects[i].usage, stdout);
				return BCTL_OK;
			}
		}
		bctl_next(&a);
		cur_object = objects[i].name;
		ret = late_options(&b, &a, &objects[i]);
		if (ret >= 0)
			return ret;
		return objects[i].run(&b, &a);
	}
	return bctl_bad_word(a.argv[0], "object", object_names);
}
