// SPDX-License-Identifier: GPL-2.0
/*
 * bifurcctl grant IF queue N {user U|group G|none}
 *
 * A user without CAP_NET_ADMIN needs two things to use a queue (uapi
 * bifurc.h section 1): file permission on the adapter's device node, to
 * open it, and the kernel's grant of that queue, to attach it.  "user"
 * and "group" give both.  The kernel grant is a write to the class
 * device's "grant" attribute; a queue has one grant, so it replaces the
 * queue's earlier one.  Then the node's owner or group and mode change,
 * and the udev rule that keeps them across reboots is printed.  Node
 * permissions add up (a user grant keeps an earlier group grant and the
 * other way round), because the node serves every queue of the adapter
 * and the kernel grant now says which queue is whose.
 *
 * "none" revokes the kernel grant only: the node keeps its owner and mode,
 * which the adapter's other grants may still need.
 *
 * The kernel grant is written first: it is the step a kernel before the
 * v3 series cannot do, and it fails without CAP_NET_ADMIN, so a refusal
 * leaves everything as it was.  If the node cannot be changed afterwards,
 * the queue's earlier grant is put back.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
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

/* "user nobody (uid 65534)", or "user 1000" for an id without a name. */
static void who(const struct bctl_grant *g, char *buf, size_t len)
{
	const struct passwd *pw = NULL;
	const struct group *gr = NULL;

	if (g->kind == BCTL_GRANT_USER)
		pw = getpwuid(g->id);
	else
		gr = getgrgid(g->id);
	if (pw)
		snprintf(buf, len, "user %s (uid %u)", pw->pw_name, g->id);
	else if (gr)
		snprintf(buf, len, "group %s (gid %u)", gr->gr_name, g->id);
	else
		snprintf(buf, len, "%s %u", bctl_grant_kind_name(g->kind),
			 g->id);
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

/* "N user UID" / "N group GID" / "N none" to the grant attribute. */
static int write_grant(const struct bctl *b, const struct bctl_dev *d,
		       uint32_t q, const struct bctl_grant *g)
{
	char rel[512], val[48];

	snprintf(rel, sizeof(rel), "class/net/%s/device/" BIFURC_CLASS_NAME
		 "/%s/grant", d->link.name, d->classdev);
	if (g->kind == BCTL_GRANT_NONE)
		snprintf(val, sizeof(val), "%u none", q);
	else
		snprintf(val, sizeof(val), "%u %s %u", q,
			 bctl_grant_kind_name(g->kind), g->id);
	return b->bk->attr_write(b, rel, val);
}

static int grant_revoke(const struct bctl *b, const struct bctl_dev *d,
			uint32_t q)
{
	const struct bctl_grant none = { .kind = BCTL_GRANT_NONE };
	const struct bctl_grant *old = &d->grant[q];
	char was[96];
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
		who(old, was, sizeof(was));
		/* the kernel checks the grant at ATTACH only */
		printf("queue %u of %s: revoked the grant to %s; an application "
		       "attached now stays attached until it closes the queue\n",
		       q, d->link.name, was);
	}
	printf("note: the device node %s keeps its owner and mode\n",
	       d->chardev);
	return BCTL_OK;
}

/* What the grantee may do now, and the rule that limits its flow rules. */
static void print_note(const struct bctl_dev *d, uint32_t q, bool user,
		       const char *canon)
{
	long port = unpriv_port_start();

	printf("note: %s %s may attach queue %u of %s only; %s flow rules must "
	       "match one whole destination port",
	       user ? "user" : "members of group", canon, q, d->link.name,
	       user ? "its" : "their");
	if (port < 0)
		printf(" of 1024 or above (the default ip_unprivileged_port_start)\n");
	else if (port == 0)
		printf(" (any port: ip_unprivileged_port_start is 0)\n");
	else
		printf(" of %ld or above (ip_unprivileged_port_start)\n", port);
}

int bctl_cmd_grant(struct bctl *b, struct bctl_args *a)
{
	static const char *const kw[] = { "user", "group", "none", NULL };
	const char *ifname, *w, *name = NULL;
	struct bctl_grant g = { .kind = BCTL_GRANT_NONE }, old;
	char canon[64], desc[96], was[96];
	struct bctl_dev d;
	struct stat st;
	unsigned int maj, min;
	mode_t mode;
	uint32_t q;
	bool user;
	int err, rerr;

	err = bctl_parse_if_queue(a, &ifname, &q);
	if (err)
		return err;
	if (bctl_need(a, "\"user U\", \"group G\" or \"none\"", &w))
		return BCTL_USAGE;
	if (!strcmp(w, "user"))
		g.kind = BCTL_GRANT_USER;
	else if (!strcmp(w, "group"))
		g.kind = BCTL_GRANT_GROUP;
	else if (strcmp(w, "none"))
		return bctl_bad_word(w, "keyword", kw);
	user = g.kind == BCTL_GRANT_USER;
	if (g.kind != BCTL_GRANT_NONE &&
	    bctl_need(a, user ? "user name" : "group name", &name))
		return BCTL_USAGE;
	if ((w = bctl_next(a)))
		return bctl_usage_err("unexpected argument \"%s\"", w);
	if (name && lookup_id(name, user, &g.id, canon, sizeof(canon)))
		return bctl_usage_err("no %s \"%s\"", user ? "user" : "group",
				      name);

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

	if (lstat(d.chardev, &st)) {
		bctl_err("no device node %s (%s); is udev or devtmpfs running?",
			 d.chardev, strerror(errno));
		return BCTL_ERR;
	}
	if (S_ISCHR(st.st_mode)) {
		if (d.devt[0] && sscanf(d.devt, "%u:%u", &maj, &min) == 2 &&
		    (major(st.st_rdev) != maj || minor(st.st_rdev) != min)) {
			bctl_err("%s is device %u:%u, but %s's bifurc device is %s; not touching it",
				 d.chardev, major(st.st_rdev), minor(st.st_rdev),
				 ifname, d.devt);
			return BCTL_ERR;
		}
	} else if (!(b->dev_root_set && S_ISREG(st.st_mode))) {
		bctl_err("%s is not a character device; not touching it", d.chardev);
		return BCTL_ERR;
	}

	/* an unreadable attribute told us nothing: put back "none" */
	old = d.grants == 1 ? d.grant[q] : (struct bctl_grant){ 0 };
	who(&g, desc, sizeof(desc));
	err = write_grant(b, &d, q, &g);
	if (err) {
		bctl_err("cannot grant queue %u of %s to %s: %s", q, ifname,
			 desc, bctl_grant_errmsg(err));
		return BCTL_ERR;
	}

	mode = (st.st_mode & 07777) | (user ? 0600 : 0060);
	if (chown(d.chardev, user ? (uid_t)g.id : (uid_t)-1,
		  user ? (gid_t)-1 : (gid_t)g.id) || chmod(d.chardev, mode)) {
		err = errno;
		rerr = write_grant(b, &d, q, &old);
		bctl_err("cannot grant %s to %s %s: %s%s%s", d.chardev,
			 user ? "user" : "group", canon,
			 err == EPERM || err == EACCES ? "needs root" :
							 strerror(err),
			 rerr ? "; and the kernel grant of the queue stays: " :
				"",
			 rerr ? bctl_grant_errmsg(rerr) : "");
		return BCTL_ERR;
	}

	printf("queue %u of %s: granted to %s", q, ifname, desc);
	if (old.kind != BCTL_GRANT_NONE &&
	    (old.kind != g.kind || old.id != g.id)) {
		who(&old, was, sizeof(was));
		printf(", replacing %s", was);
	}
	printf("\n%s: %s %s, mode %04o\n", d.chardev, user ? "owner" : "group",
	       canon, (unsigned int)mode);
	print_note(&d, q, user, canon);
	printf("The queue's grant ends when the queue is released.  To keep the "
	       "node's %s across reboots and driver reloads, add to "
	       "/etc/udev/rules.d/70-bifurc.rules:\n", user ? "owner" : "group");
	printf("SUBSYSTEM==\"bifurc\", KERNEL==\"%s\", %s=\"%s\", MODE=\"%04o\"\n",
	       d.classdev, user ? "OWNER" : "GROUP", canon, (unsigned int)mode);
	return BCTL_OK;
}
