// SPDX-License-Identifier: GPL-2.0
/*
 * bifurcctl grant IF queue N {user U|group G} [ports LO[-HI]]
 * bifurcctl grant IF queue N none
 *
 * A user without CAP_NET_ADMIN needs two things to use a queue (uapi
 * bifurc.h section 1): file permission on the adapter's device node, to
 * open it, and the kernel's grant of that queue, to attach it.  grant
 * writes the second only, to the class device's "grant" attribute; a
 * queue has one grant, so it replaces the queue's earlier one.  With
 * "ports", the grant also bounds the destination ports the grantee's
 * flow rules may name (the v7 series; an older kernel refuses the line
 * with EINVAL and nothing changes).
 *
 * The node serves every queue of the adapter, so its permission is one
 * setting for all of them: udev's (60-bifurc.rules gives it to group
 * "bifurc", mode 0660).  grant never changes it, since a node has one
 * owner and one group and handing it to one grantee would take it from
 * the others; it only says whether the grantee can open it, and how to
 * fix that when it cannot.
 *
 * From the v7 series, changing or revoking a grant ends the grantee's
 * attachment of the queue; before it, an attachment lived until the
 * application closed it.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bifurcctl.h"

/* Where the kernel's "port below it needs CAP_NET_BIND_SERVICE" comes from. */
#define UNPRIV_PORT_START "/proc/sys/net/ipv4/ip_unprivileged_port_start"

static int lookup_id(const char *name, bool user, uint32_t *id,
		     char *canon, size_t len)
{
	struct passwd *pw;
	struct group *gr;
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(name, &end, 10);
	if (*name && !*end && v < 0xffffffffUL) {
		*id = v;
		snprintf(canon, len, "%lu", v);
		return 0;
	}
	if (user) {
		pw = getpwnam(name);
		if (!pw)
			return -ENOENT;
		*id = pw->pw_uid;
		snprintf(canon, len, "%s", pw->pw_name);
	} else {
		gr = getgrnam(name);
		if (!gr)
			return -ENOENT;
		*id = gr->gr_gid;
		snprintf(canon, len, "%s", gr->gr_name);
	}
	return 0;
}

/*
 * A grant in words, the name where the id has one.  For a message (@ids):
 * "user nobody (uid 65534) ports 53-53", "user 1000".  For a grant line
 * of bifurc.conf: "user nobody ports 53", as grant takes it.
 */
void bctl_grant_desc(const struct bctl_grant *g, bool ids, char *buf,
		     size_t len)
{
	const struct passwd *pw = NULL;
	const struct group *gr = NULL;
	int n;

	if (g->kind == BCTL_GRANT_USER)
		pw = getpwuid(g->id);
	else
		gr = getgrgid(g->id);
	if (pw)
		n = snprintf(buf, len, ids ? "user %s (uid %u)" : "user %s",
			     pw->pw_name, g->id);
	else if (gr)
		n = snprintf(buf, len, ids ? "group %s (gid %u)" : "group %s",
			     gr->gr_name, g->id);
	else
		n = snprintf(buf, len, "%s %u", bctl_grant_kind_name(g->kind),
			     g->id);
	if (!g->port_lo || n < 0 || (size_t)n >= len)
		return;
	if (!ids && g->port_lo == g->port_hi)
		snprintf(buf + n, len - n, " ports %u", g->port_lo);
	else
		snprintf(buf + n, len - n, " ports %u-%u", g->port_lo,
			 g->port_hi);
}

bool bctl_grant_same(const struct bctl_grant *a, const struct bctl_grant *c)
{
	return a->kind == c->kind && (a->kind == BCTL_GRANT_NONE ||
		(a->id == c->id && a->port_lo == c->port_lo &&
		 a->port_hi == c->port_hi));
}

/* One port number of a range: decimal digits, 1..65535. */
static int parse_port(const char *s, const char *end, const char *range,
		      uint16_t *port)
{
	unsigned long v = 0;
	const char *p;

	if (s == end)
		return bctl_usage_err("ports \"%s\": expected LO or LO-HI, "
				      "ports 1..65535", range);
	for (p = s; p < end; p++) {
		if (*p < '0' || *p > '9')
			return bctl_usage_err("ports \"%s\": \"%.*s\" is not a "
					      "port number (1..65535)", range,
					      (int)(end - s), s);
		if (v <= 65535)
			v = v * 10 + (*p - '0');
	}
	if (v < 1 || v > 65535)
		return bctl_usage_err("ports \"%s\": port %.*s is out of range "
				      "(1..65535)", range, (int)(end - s), s);
	*port = v;
	return 0;
}

/*
 * "53" or "5300-5399" (the kernel's "ports" word takes both); decimal
 * only, no sign, no space.  Prints the usage error.
 */
int bctl_parse_port_range(const char *s, uint16_t *lo, uint16_t *hi)
{
	const char *dash = strchr(s, '-'), *end = s + strlen(s);
	uint16_t a, c;

	if (parse_port(s, dash ? dash : end, s, &a))
		return BCTL_USAGE;
	if (!dash) {
		c = a;
	} else if (parse_port(dash + 1, end, s, &c)) {
		return BCTL_USAGE;
	} else if (a > c) {
		return bctl_usage_err("ports \"%s\": the first port is above "
				      "the last (%u > %u)", s, a, c);
	}
	*lo = a;
	*hi = c;
	return 0;
}

/* The namespace's ip_unprivileged_port_start, or -1 if unreadable. */
static long unpriv_port_start(void)
{
	char buf[16];
	ssize_t n;
	char *end;
	long v;
	int fd;

	fd = open(UNPRIV_PORT_START, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	v = strtol(buf, &end, 10);
	if (end == buf || v < 0 || v > 65535)
		return -1;
	return v;
}

/*
 * "N user UID" / "N group GID" (with " ports LO-HI" if the grant names
 * ports; without, the line any kernel since the v3 series takes) / "N
 * none" to the grant attribute.
 */
static int write_grant(const struct bctl *b, const struct bctl_dev *d,
		       uint32_t q, const struct bctl_grant *g)
{
	char rel[512], val[64];
	int n;

	snprintf(rel, sizeof(rel), "class/net/%s/device/" BIFURC_CLASS_NAME
		 "/%s/grant", d->link.name, d->classdev);
	if (g->kind == BCTL_GRANT_NONE) {
		snprintf(val, sizeof(val), "%u none", q);
	} else {
		n = snprintf(val, sizeof(val), "%u %s %u", q,
			     bctl_grant_kind_name(g->kind), g->id);
		if (g->port_lo)
			snprintf(val + n, sizeof(val) - n, " ports %u-%u",
				 g->port_lo, g->port_hi);
	}
	return b->bk->attr_write(b, rel, val);
}

/* The kernel's answer to a grant line, with what "ports" adds to EINVAL. */
static const char *grant_errmsg(int err, const struct bctl_grant *g)
{
	if (err == -EINVAL && g->port_lo)
		return "the kernel refused the line: a kernel before the v7 "
		       "series has no port ranges in grants (or the id has no "
		       "mapping in this user namespace)";
	return bctl_grant_errmsg(err);
}

/*
 * The v7 series ends the grantee's attachment when its grant changes or
 * goes; an administrator's attachment stays, and an older kernel left
 * every attachment alone.  Only said when the queue is attached now.
 */
static void print_attach_note(const struct bctl_dev *d, uint32_t q,
			      const char *was)
{
	if (!bctl_qbit(d->attached, q))
		return;
	printf("note: queue %u of %s is attached: if %s attached it, the kernel "
	       "ends that attachment (a kernel before the v7 series leaves it "
	       "until the application closes the queue); an administrator's "
	       "attachment stays\n", q, d->link.name, was);
}

static int grant_revoke(const struct bctl *b, const struct bctl_dev *d,
			uint32_t q)
{
	const struct bctl_grant none = { .kind = BCTL_GRANT_NONE };
	const struct bctl_grant *old = &d->grant[q];
	char was[128];
	int err;

	err = write_grant(b, d, q, &none);
	if (err) {
		bctl_err("cannot revoke the grant of queue %u of %s: %s", q,
			 d->link.name, bctl_grant_errmsg(err));
		return BCTL_ERR;
	}
	if (old->kind == BCTL_GRANT_NONE) {
		printf("queue %u of %s was not granted; nothing to revoke\n", q,
		       d->link.name);
	} else {
		bctl_grant_desc(old, true, was, sizeof(was));
		printf("queue %u of %s: revoked the grant to %s\n", q,
		       d->link.name, was);
		print_attach_note(d, q, old->kind == BCTL_GRANT_USER ?
				  "that user" : "a member of that group");
	}
	return BCTL_OK;
}

/* What the grantee may do now, and the rule that limits its flow rules. */
static void print_note(const struct bctl_dev *d, uint32_t q,
		       const struct bctl_grant *g, const char *canon)
{
	bool user = g->kind == BCTL_GRANT_USER;
	long port;

	printf("note: %s %s may attach queue %u of %s only; %s flow rules must "
	       "match one whole destination port",
	       user ? "user" : "members of group", canon, q, d->link.name,
	       user ? "its" : "their");
	if (g->port_lo && g->port_lo == g->port_hi) {
		printf(", %u (the grant's port)\n", g->port_lo);
	} else if (g->port_lo) {
		printf(" in %u-%u (the grant's ports)\n", g->port_lo,
		       g->port_hi);
	} else {
		port = unpriv_port_start();
		if (port < 0)
			printf(" of 1024 or above (the default ip_unprivileged_port_start)\n");
		else if (port == 0)
			printf(" (any port: ip_unprivileged_port_start is 0)\n");
		else
			printf(" of %ld or above (ip_unprivileged_port_start)\n", port);
	}
	printf("note: from the v7 series, a rule for a port that a socket has "
	       "bound on %s (or on all interfaces) is refused, and while the "
	       "rule lives other users cannot bind that port\n", d->link.name);
}

/*
 * How @g's grantee can open the node @st: as its owner, through its group
 * or as anyone; NULL if it cannot.  A user's groups are those of its
 * passwd entry, as login and setpriv --init-groups give them.
 */
static const char *node_access(const struct stat *st,
			       const struct bctl_grant *g)
{
	const struct passwd *pw;
	gid_t groups[256];
	int n = 256, i;

	if ((st->st_mode & 0006) == 0006)
		return "as anyone (mode o+rw)";
	if (g->kind == BCTL_GRANT_GROUP)
		return st->st_gid == g->id && (st->st_mode & 0060) == 0060 ?
		       "as its group" : NULL;
	if (st->st_uid == g->id && (st->st_mode & 0600) == 0600)
		return "as its owner";
	if ((st->st_mode & 0060) != 0060)
		return NULL;
	pw = getpwuid(g->id);
	if (!pw || getgrouplist(pw->pw_name, pw->pw_gid, groups, &n) < 0)
		return NULL;
	for (i = 0; i < n; i++)
		if (groups[i] == st->st_gid)
			return "as a member of its group";
	return NULL;
}

/* Whether the grantee can open the node, and what to do if not. */
static void print_node_note(const struct bctl_dev *d,
			    const struct bctl_grant *g, const char *canon)
{
	const struct group *gr;
	const char *how;
	char owner[64];
	struct stat st;

	if (stat(d->chardev, &st)) {
		printf("note: no device node %s (%s): udev or devtmpfs creates it "
		       "when the driver loads\n", d->chardev, strerror(errno));
		return;
	}
	gr = getgrgid(st.st_gid);
	if (gr)
		snprintf(owner, sizeof(owner), "%s", gr->gr_name);
	else
		snprintf(owner, sizeof(owner), "%u", (unsigned int)st.st_gid);
	how = node_access(&st, g);
	if (how) {
		printf("%s: group %s, mode %04o: %s %s can open it %s\n",
		       d->chardev, owner, (unsigned int)(st.st_mode & 07777),
		       g->kind == BCTL_GRANT_USER ? "user" : "group", canon,
		       how);
		return;
	}
	printf("note: %s %s cannot open %s (group %s, mode %04o) yet: ",
	       g->kind == BCTL_GRANT_USER ? "user" : "group", canon,
	       d->chardev, owner, (unsigned int)(st.st_mode & 07777));
	if (gr && !strcmp(gr->gr_name, BCTL_NODE_GROUP) &&
	    (st.st_mode & 0060) == 0060)
		printf(g->kind == BCTL_GRANT_USER ?
		       "add it to group " BCTL_NODE_GROUP " (usermod -aG "
		       BCTL_NODE_GROUP " %s)\n" :
		       "add its members to group " BCTL_NODE_GROUP
		       " (usermod -aG " BCTL_NODE_GROUP " USER for each; not %s)\n",
		       canon);
	else
		printf("the node should be group " BCTL_NODE_GROUP ", mode 0660, "
		       "from udev's 60-bifurc.rules (installed by the bifurcctl "
		       "package, or make -C tools/bifurcctl install-udev)\n");
}

/*
 * "IF queue N {user U|group G} [ports LO[-HI]]" or "IF queue N none":
 * @g and, for a user or group, its name as @canon.  0 or BCTL_USAGE.
 */
int bctl_grant_parse(struct bctl_args *a, const char **ifname, uint32_t *q,
		     struct bctl_grant *g, char *canon, size_t len)
{
	static const char *const kw[] = { "user", "group", "none", NULL };
	static const char *const kw_ports[] = { "ports", NULL };
	const char *w, *name = NULL;
	bool user;
	int err;

	*g = (struct bctl_grant){ .kind = BCTL_GRANT_NONE };
	err = bctl_parse_if_queue(a, ifname, q);
	if (err)
		return err;
	if (bctl_need(a, "\"user U\", \"group G\" or \"none\"", &w))
		return BCTL_USAGE;
	if (!strcmp(w, "user"))
		g->kind = BCTL_GRANT_USER;
	else if (!strcmp(w, "group"))
		g->kind = BCTL_GRANT_GROUP;
	else if (strcmp(w, "none"))
		return bctl_bad_word(w, "keyword", kw);
	user = g->kind == BCTL_GRANT_USER;
	if (g->kind != BCTL_GRANT_NONE &&
	    bctl_need(a, user ? "user name" : "group name", &name))
		return BCTL_USAGE;
	if (name && (w = bctl_next(a))) {
		if (strcmp(w, "ports"))
			return bctl_bad_word(w, "argument", kw_ports);
		if (bctl_need(a, "port range (LO or LO-HI)", &w) ||
		    bctl_parse_port_range(w, &g->port_lo, &g->port_hi))
			return BCTL_USAGE;
	}
	if ((w = bctl_next(a)))
		return bctl_usage_err("unexpected argument \"%s\"", w);
	if (name && lookup_id(name, user, &g->id, canon, len))
		return bctl_usage_err("no %s \"%s\"", user ? "user" : "group",
				      name);
	return 0;
}

int bctl_cmd_grant(struct bctl *b, struct bctl_args *a)
{
	struct bctl_grant g, old;
	char canon[64], desc[128], was[128];
	const char *ifname;
	struct bctl_dev d;
	uint32_t q;
	int err;

	err = bctl_grant_parse(a, &ifname, &q, &g, canon, sizeof(canon));
	if (err)
		return err;
	if (bctl_dev_open(b, ifname, &d, true) || bctl_check_queue(&d, q))
		return BCTL_ERR;
	if (!bctl_qbit(d.reserved, q)) {
		if (g.kind == BCTL_GRANT_NONE)
			bctl_err("queue %u of %s is not reserved, so it has no grant "
				 "(a grant ends when the queue is released)",
				 q, ifname);
		else
			bctl_err("queue %u of %s is not reserved; reserve it first: "
				 "bifurcctl reserve %s queue %u", q, ifname, ifname, q);
		return BCTL_ERR;
	}
	if (!d.grants) {
		bctl_err("cannot %s queue %u of %s: %s",
			 g.kind == BCTL_GRANT_NONE ? "revoke the grant of" :
						     "grant",
			 q, ifname, bctl_grant_errmsg(-ENOENT));
		return BCTL_ERR;
	}
	if (g.kind == BCTL_GRANT_NONE)
		return grant_revoke(b, &d, q);

	/* an unreadable attribute told us nothing: say nothing was replaced */
	old = d.grants == 1 ? d.grant[q] : (struct bctl_grant){ 0 };
	bctl_grant_desc(&g, true, desc, sizeof(desc));
	err = write_grant(b, &d, q, &g);
	if (err) {
		bctl_err("cannot grant queue %u of %s to %s: %s", q, ifname,
			 desc, grant_errmsg(err, &g));
		return BCTL_ERR;
	}

	printf("queue %u of %s: granted to %s", q, ifname, desc);
	if (old.kind != BCTL_GRANT_NONE && !bctl_grant_same(&old, &g)) {
		bctl_grant_desc(&old, true, was, sizeof(was));
		printf(", replacing %s\n", was);
		print_attach_note(&d, q, old.kind == BCTL_GRANT_USER ?
				  "the user of the old grant" :
				  "a member of the old grant's group");
	} else {
		printf("\n");
	}
	print_note(&d, q, &g, canon);
	print_node_note(&d, &g, canon);
	return BCTL_OK;
}
