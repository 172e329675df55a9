// SPDX-License-Identifier: GPL-2.0
/*
 * bifurcctl grant IF queue N {user U|group G}
 *
 * chown/chmod of the adapter's device node, and the udev rule that makes
 * it persistent.  The kernel has one node per adapter, not per queue
 * (uapi bifurc.h section 1: "anyone who may open the node may attach any
 * reserved queue of that adapter"), so the grant covers every reserved
 * queue of IF; the command says so.  Grants add up: a user grant keeps
 * an earlier group grant and the other way round.
 */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "bifurcctl.h"

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

int bctl_cmd_grant(struct bctl *b, struct bctl_args *a)
{
	static const char *const kw[] = { "user", "group", NULL };
	const char *ifname, *w, *who;
	char canon[64];
	struct bctl_dev d;
	struct stat st;
	unsigned int maj, min;
	mode_t mode;
	uint32_t q, id;
	bool user;
	int err;

	err = bctl_parse_if_queue(a, &ifname, &q);
	if (err)
		return err;
	if (bctl_need(a, "\"user U\" or \"group G\"", &w))
		return BCTL_USAGE;
	if (strcmp(w, "user") && strcmp(w, "group"))
		return bctl_bad_word(w, "keyword", kw);
	user = !strcmp(w, "user");
	if (bctl_need(a, user ? "user name" : "group name", &who))
		return BCTL_USAGE;
	if ((w = bctl_next(a)))
		return bctl_usage_err("unexpected argument \"%s\"", w);
	if (lookup_id(who, user, &id, canon, sizeof(canon)))
		return bctl_usage_err("no %s \"%s\"", user ? "user" : "group", who);

	if (bctl_dev_open(b, ifname, &d, true) || bctl_check_queue(&d, q))
		return BCTL_ERR;
	if (!bctl_qbit(d.reserved, q)) {
		bctl_err("queue %u of %s is not reserved; reserve it first: "
			 "bifurcctl reserve %s queue %u", q, ifname, ifname, q);
		return BCTL_ERR;
	}
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

	mode = (st.st_mode & 07777) | (user ? 0600 : 0060);
	if (chown(d.chardev, user ? (uid_t)id : (uid_t)-1,
		  user ? (gid_t)-1 : (gid_t)id) || chmod(d.chardev, mode)) {
		err = errno;
		bctl_err("cannot grant %s to %s %s: %s", d.chardev,
			 user ? "user" : "group", canon,
			 err == EPERM || err == EACCES ? "needs root" : strerror(err));
		return BCTL_ERR;
	}
	printf("%s: %s %s, mode %04o\n", d.chardev, user ? "owner" : "group",
	       canon, (unsigned int)mode);
	printf("note: the node serves every reserved queue of %s, not only queue %u\n",
	       ifname, q);
	printf("To keep this across reboots and driver reloads, add to "
	       "/etc/udev/rules.d/70-bifurc.rules:\n");
	printf("SUBSYSTEM==\"bifurc\", KERNEL==\"%s\", %s=\"%s\", MODE=\"%04o\"\n",
	       d.classdev, user ? "OWNER" : "GROUP", canon, (unsigned int)mode);
	return BCTL_OK;
}
