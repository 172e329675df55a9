// SPDX-License-Identifier: GPL-2.0
/*
 * What sysfs says about an interface and its bifurc class device
 * (uapi bifurc.h section 1, discovery rule):
 *
 *   class/net/<if>/device            -> the PCI device (basename: bdf)
 *   class/net/<if>/device/driver     -> the driver (basename: name)
 *   class/net/<if>/device/bifurc/<bifurc-bdf>/
 *       uevent    DEVNAME=bifurc/<bdf>   the node is /dev/<DEVNAME>
 *       dev       major:minor
 *       reserved  "2 3"    queues reserved for bifurc
 *       attached  "3"      of those, attached by an application
 *       reserve   write N: reserve queue N     (CAP_NET_ADMIN)
 *       release   write N: release queue N    (CAP_NET_ADMIN)
 *       grant     "3 user 1000" lines: who may attach which queue
 *                 without CAP_NET_ADMIN, with " ports 5300-5399" when
 *                 the grant bounds the grantee's destination ports (v7
 *                 series); write "N user UID", "N group GID" (either
 *                 with " ports LO[-HI]") or "N none" (CAP_NET_ADMIN).
 *                 Absent before the v3 series: the node's file mode was
 *                 the only check.
 *       owners    "3 pid 812 uid 1000 since 5231 mode ring irq rx+tx
 *                 rules 2045 comm dns-fwd" lines: who holds each
 *                 attached queue (v10 series)
 *   class/net/<if>/queues/rx-<n>     one per RX queue of the netdev
 *
 * Every path is relative to the sysfs root so that tests can use a tree
 * of plain files and directories.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/bifurc.h>

#include "bifurcctl.h"

static void sys_path(const struct bctl *b, const char *rel, char *path,
		     size_t len)
{
	snprintf(path, len, "%s/%s", b->sysfs_root, rel);
}

int bctl_sys_read(const struct bctl *b, const char *rel, char *buf,
		  size_t len)
{
	char path[PATH_MAX];
	ssize_t n;
	int fd, err;

	sys_path(b, rel, path, sizeof(path));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	err = errno;
	close(fd);
	if (n < 0)
		return -err;
	buf[n] = '\0';
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		buf[--n] = '\0';
	return n;
}

/* One write() of the whole value: sysfs store methods see it at once. */
int bctl_sys_write(const struct bctl *b, const char *rel, const char *val)
{
	char path[PATH_MAX];
	size_t len = strlen(val);
	ssize_t n;
	int fd, err;

	sys_path(b, rel, path, sizeof(path));
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, val, len);
	err = n < 0 ? errno : 0;
	if (close(fd) && !err)
		err = errno;
	if (err)
		return -err;
	return (size_t)n == len ? 0 : -EIO;
}

static int sys_link_base(const struct bctl *b, const char *rel, char *out,
			 size_t len)
{
	char path[PATH_MAX], target[PATH_MAX];
	const char *base;
	ssize_t n;

	sys_path(b, rel, path, sizeof(path));
	n = readlink(path, target, sizeof(target) - 1);
	if (n < 0)
		return -errno;
	target[n] = '\0';
	base = strrchr(target, '/');
	base = base ? base + 1 : target;
	bctl_strlcpy(out, base, len);
	return 0;
}

/* "2 3" (or "2,3" / "") -> bit mask; -EINVAL on anything else. */
int bctl_parse_qlist(const char *s, uint64_t mask[2])
{
	unsigned long q;
	char *end;

	mask[0] = mask[1] = 0;
	while (*s) {
		if (*s == ' ' || *s == ',' || *s == '\n') {
			s++;
			continue;
		}
		if (*s < '0' || *s > '9')
			return -EINVAL;
		q = strtoul(s, &end, 10);
		if (q >= BIFURC_MAX_QUEUES)
			return -EINVAL;
		mask[q / 64] |= 1ULL << (q % 64);
		s = end;
	}
	return 0;
}

/* Digits only (no sign, no space: strtoul would take both); end or NULL. */
static const char *parse_dec(const char *s, unsigned long max,
			     unsigned long *v)
{
	char *end;

	if (*s < '0' || *s > '9')
		return NULL;
	errno = 0;
	*v = strtoul(s, &end, 10);
	if (errno || *v > max)
		return NULL;
	return end;
}

/*
 * The grant attribute, "3 user 1000 ports 5300-5399\n5 group 100\n"
 * (grant_show() in ixgbe_bifurc.c), into g[]; queues not listed are
 * BCTL_GRANT_NONE.  " ports LO-HI" is there when the grant names ports
 * (always both numbers, LO-LO for one port) and never before the v7
 * series.  -EINVAL on anything else, so that a format we do not know is
 * not shown as "not granted".
 */
int bctl_parse_grants(const char *s, struct bctl_grant g[BIFURC_MAX_QUEUES])
{
	enum bctl_grant_kind kind;
	unsigned long q, id, lo, hi;

	memset(g, 0, BIFURC_MAX_QUEUES * sizeof(*g));
	while (*s) {
		if (*s == '\n') {
			s++;
			continue;
		}
		s = parse_dec(s, BIFURC_MAX_QUEUES - 1, &q);
		if (!s || *s++ != ' ')
			return -EINVAL;
		if (!strncmp(s, "user ", 5)) {
			kind = BCTL_GRANT_USER;
			s += 5;
		} else if (!strncmp(s, "group ", 6)) {
			kind = BCTL_GRANT_GROUP;
			s += 6;
		} else {
			return -EINVAL;
		}
		s = parse_dec(s, UINT32_MAX, &id);
		if (!s)
			return -EINVAL;
		lo = hi = 0;
		if (!strncmp(s, " ports ", 7)) {
			s = parse_dec(s + 7, 65535, &lo);
			if (!s || *s++ != '-')
				return -EINVAL;
			s = parse_dec(s, 65535, &hi);
			if (!s || !lo || lo > hi)
				return -EINVAL;
		}
		if (*s && *s != '\n')
			return -EINVAL;
		g[q].kind = kind;
		g[q].id = id;
		g[q].port_lo = lo;
		g[q].port_hi = hi;
	}
	return 0;
}

/* " WORD" at @s: what follows it, or NULL. */
static const char *skip_word(const char *s, const char *word)
{
	size_t n = strlen(word);

	if (*s != ' ' || strncmp(s + 1, word, n))
		return NULL;
	return s + 1 + n;
}

/* One word up to a space into @buf; what follows it, or NULL. */
static const char *copy_word(const char *s, char *buf, size_t len)
{
	size_t n = strcspn(s, " \n");

	if (!n || n >= len)
		return NULL;
	memcpy(buf, s, n);
	buf[n] = '\0';
	return s + n;
}

/* "2045,2046" or "-" into @o's rules; what follows, or NULL. */
static const char *parse_rules(const char *s, struct bctl_owner *o)
{
	unsigned long id;

	if (*s == '-')
		return s + 1;
	for (;;) {
		s = parse_dec(s, UINT32_MAX, &id);
		if (!s || o->nr_rules == BCTL_OWNER_RULES)
			return NULL;
		o->rules[o->nr_rules++] = id;
		if (*s != ',')
			return s;
		s++;
	}
}

/*
 * The owners attribute (owners_show() in ixgbe_bifurc.c), one line per
 * attached queue: "3 pid 812 uid 1000 since 5231 mode ring irq rx+tx
 * rules 2045,2046 comm dns-fwd", the command name last and possibly with
 * spaces.  -EINVAL on anything else.
 */
int bctl_parse_owners(const char *s, struct bctl_owner o[BIFURC_MAX_QUEUES])
{
	unsigned long q, pid, uid, since;
	struct bctl_owner *w;
	size_t n;
	int i;

	memset(o, 0, BIFURC_MAX_QUEUES * sizeof(*o));
	while (*s) {
		if (*s == '\n') {
			s++;
			continue;
		}
		s = parse_dec(s, BIFURC_MAX_QUEUES - 1, &q);
		w = &o[q];
		if (s && (s = skip_word(s, "pid ")))
			s = parse_dec(s, INT32_MAX, &pid);
		if (s && (s = skip_word(s, "uid ")))
			s = parse_dec(s, UINT32_MAX, &uid);
		if (s && (s = skip_word(s, "since ")))
			s = parse_dec(s, LLONG_MAX, &since);
		if (s)
			s = skip_word(s, "mode");
		for (i = 0; s && i < 3; i++)
			if (*s++ == ' ')
				s = copy_word(s, w->mode[i], sizeof(w->mode[i]));
			else
				s = NULL;
		if (s && (s = skip_word(s, "rules ")))
			s = parse_rules(s, w);
		if (s)
			s = skip_word(s, "comm ");
		if (!s || !pid)
			return -EINVAL;
		n = strcspn(s, "\n");
		if (n >= sizeof(w->comm))
			return -EINVAL;
		memcpy(w->comm, s, n);
		w->comm[n] = '\0';
		w->pid = pid;
		w->uid = uid;
		w->since = since;
		s += n;
	}
	return 0;
}

const char *bctl_grant_kind_name(enum bctl_grant_kind kind)
{
	switch (kind) {
	case BCTL_GRANT_USER:
		return "user";
	case BCTL_GRANT_GROUP:
		return "group";
	default:
		return "none";
	}
}

void bctl_print_qlist(FILE *f, const uint64_t m[2])
{
	bool any = false;
	uint32_t q;

	for (q = 0; q < BIFURC_MAX_QUEUES; q++) {
		if (!bctl_qbit(m, q))
			continue;
		fprintf(f, "%s%u", any ? "," : "", q);
		any = true;
	}
	if (!any)
		fputs("none", f);
}

static uint32_t count_rx_queues(const struct bctl *b, const char *ifname)
{
	char path[PATH_MAX];
	struct dirent *de;
	uint32_t n = 0;
	DIR *dir;

	snprintf(path, sizeof(path), "%s/class/net/%s/queues", b->sysfs_root,
		 ifname);
	dir = opendir(path);
	if (!dir)
		return 0;
	while ((de = readdir(dir)))
		n += !strncmp(de->d_name, "rx-", 3);
	closedir(dir);
	return n;
}

/* The one entry of device/bifurc/ (discovery rule step 1). */
static int find_classdev(const struct bctl *b, const char *ifname, char *out,
			 size_t len)
{
	char path[PATH_MAX];
	struct dirent *de;
	DIR *dir;
	int err = -ENOENT;

	snprintf(path, sizeof(path), "%s/class/net/%s/device/" BIFURC_CLASS_NAME,
		 b->sysfs_root, ifname);
	dir = opendir(path);
	if (!dir)
		return -errno;
	while ((de = readdir(dir))) {
		if (strncmp(de->d_name, BIFURC_DEV_PREFIX,
			    strlen(BIFURC_DEV_PREFIX)))
			continue;
		bctl_strlcpy(out, de->d_name, len);
		err = 0;
		break;
	}
	closedir(dir);
	return err;
}

/*
 * Fill @d from sysfs for the interface already in d->link.  Returns 0
 * even without bifurc support (d->classdev is then empty).
 */
int bctl_dev_fill(const struct bctl *b, struct bctl_dev *d)
{
	const char *ifname = d->link.name;
	char rel[PATH_MAX], buf[256], table[4096], *p;
	int err;

	snprintf(rel, sizeof(rel), "class/net/%s/device", ifname);
	if (sys_link_base(b, rel, d->bdf, sizeof(d->bdf)))
		d->bdf[0] = '\0';
	snprintf(rel, sizeof(rel), "class/net/%s/device/driver", ifname);
	if (sys_link_base(b, rel, d->driver, sizeof(d->driver)))
		d->driver[0] = '\0';
	d->rx_queues = count_rx_queues(b, ifname);
	d->ntuple = bctl_ntuple_state(b, ifname);
	if (find_classdev(b, ifname, d->classdev, sizeof(d->classdev))) {
		d->classdev[0] = '\0';
		return 0;
	}

	snprintf(rel, sizeof(rel), "class/net/%s/device/" BIFURC_CLASS_NAME
		 "/%s/uevent", ifname, d->classdev);
	if (bctl_sys_read(b, rel, buf, sizeof(buf)) >= 0 &&
	    (p = strstr(buf, "DEVNAME="))) {
		p += strlen("DEVNAME=");
		p[strcspn(p, "\n")] = '\0';
		snprintf(d->chardev, sizeof(d->chardev), "%s/%s", b->dev_root,
			 p);
	} else {
		/* the kernel's devnode rule: bifurc/<bdf> */
		snprintf(d->chardev, sizeof(d->chardev), "%s/" BIFURC_DEV_DIR
			 "/%s", b->dev_root,
			 d->classdev + strlen(BIFURC_DEV_PREFIX));
	}
	snprintf(rel, sizeof(rel), "class/net/%s/device/" BIFURC_CLASS_NAME
		 "/%s/dev", ifname, d->classdev);
	if (bctl_sys_read(b, rel, d->devt, sizeof(d->devt)) < 0)
		d->devt[0] = '\0';

	snprintf(rel, sizeof(rel), "class/net/%s/device/" BIFURC_CLASS_NAME
		 "/%s/reserved", ifname, d->classdev);
	err = bctl_sys_read(b, rel, buf, sizeof(buf));
	if (err < 0 || bctl_parse_qlist(buf, d->reserved))
		d->reserved[0] = d->reserved[1] = 0;
	snprintf(rel, sizeof(rel), "class/net/%s/device/" BIFURC_CLASS_NAME
		 "/%s/attached", ifname, d->classdev);
	err = bctl_sys_read(b, rel, buf, sizeof(buf));
	if (err < 0 || bctl_parse_qlist(buf, d->attached))
		d->attached[0] = d->attached[1] = 0;
	snprintf(rel, sizeof(rel), "class/net/%s/device/" BIFURC_CLASS_NAME
		 "/%s/mirror", ifname, d->classdev);
	err = bctl_sys_read(b, rel, buf, sizeof(buf));
	d->mirrors = err != -ENOENT;
	if (err < 0 || bctl_parse_qlist(buf, d->mirrored))
		d->mirrored[0] = d->mirrored[1] = 0;

	/* one line per granted queue: 128 lines fit in a sysfs page */
	snprintf(rel, sizeof(rel), "class/net/%s/device/" BIFURC_CLASS_NAME
		 "/%s/grant", ifname, d->classdev);
	err = bctl_sys_read(b, rel, table, sizeof(table));
	if (err == -ENOENT)
		d->grants = 0;
	else if (err < 0 || bctl_parse_grants(table, d->grant))
		d->grants = -1;
	else
		d->grants = 1;
	if (d->grants != 1)
		memset(d->grant, 0, sizeof(d->grant));

	snprintf(rel, sizeof(rel), "class/net/%s/device/" BIFURC_CLASS_NAME
		 "/%s/owners", ifname, d->classdev);
	err = bctl_sys_read(b, rel, table, sizeof(table));
	if (err == -ENOENT)
		d->owners = 0;
	else if (err < 0 || bctl_parse_owners(table, d->owner))
		d->owners = -1;
	else
		d->owners = 1;
	if (d->owners != 1)
		memset(d->owner, 0, sizeof(d->owner));
	return 0;
}

/*
 * Look up @ifname (if_nametoindex in the real tool) and fill @d.  Prints the
 * error.  With @need_bifurc, an interface whose driver has no bifurc
 * class device is an error too.
 */
int bctl_dev_open(const struct bctl *b, const char *ifname,
		  struct bctl_dev *d, bool need_bifurc)
{
	int err;

	memset(d, 0, sizeof(*d));
	if (strlen(ifname) >= IF_NAMESIZE) {
		bctl_err("no interface \"%s\" (names are at most %d characters)",
			 ifname, IF_NAMESIZE - 1);
		return -ENODEV;
	}
	err = b->bk->link_get(b, ifname, &d->link);
	if (err == -ENODEV) {
		bctl_err("no interface \"%s\" (see \"ip link\")", ifname);
		return err;
	}
	if (err) {
		bctl_err("cannot look up %s: %s", ifname, strerror(-err));
		return err;
	}
	bctl_dev_fill(b, d);
	if (need_bifurc && !d->classdev[0]) {
		bctl_err("%s has no bifurc support: driver %s has no %s/class/net/%s/device/"
			 BIFURC_CLASS_NAME " (bifurc needs the patched ixgbe on an 82599)",
			 ifname, d->driver[0] ? d->driver : "(none)",
			 b->sysfs_root, ifname);
		return -EOPNOTSUPP;
	}
	return 0;
}

const char *bctl_strerror_perm(int err)
{
	if (err == -EPERM || err == -EACCES)
		return "needs root (CAP_NET_ADMIN)";
	return strerror(-err);
}
