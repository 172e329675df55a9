// SPDX-License-Identifier: GPL-2.0
/* The test backend; see fake.h for the files it reads. */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <linux/bifurc.h>

#include "fake.h"

static int read_file(const struct bctl *b, const char *ifname,
		     const char *name, char *buf, size_t len)
{
	char rel[PATH_MAX];

	snprintf(rel, sizeof(rel), "fake-ethtool/%s/%s", ifname, name);
	return bctl_sys_read(b, rel, buf, len);
}

static int read_u32(const struct bctl *b, const char *ifname,
		    const char *name, uint32_t *v)
{
	char buf[32];
	int err = read_file(b, ifname, name, buf, sizeof(buf));

	if (err < 0)
		return err;
	*v = strtoul(buf, NULL, 0);
	return 0;
}

static FILE *open_file(const struct bctl *b, const char *ifname,
		       const char *name, const char *mode)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/fake-ethtool/%s/%s", b->sysfs_root,
		 ifname, name);
	return fopen(path, mode);
}

static int fake_link_get(const struct bctl *b, const char *name,
			 struct bctl_link *l)
{
	char rel[PATH_MAX], buf[32];

	memset(l, 0, sizeof(*l));
	snprintf(rel, sizeof(rel), "class/net/%s/ifindex", name);
	if (bctl_sys_read(b, rel, buf, sizeof(buf)) < 0)
		return -ENODEV;
	l->ifindex = atoi(buf);
	bctl_strlcpy(l->name, name, sizeof(l->name));
	snprintf(rel, sizeof(rel), "class/net/%s/operstate", name);
	if (bctl_sys_read(b, rel, l->operstate, sizeof(l->operstate)) < 0)
		bctl_strlcpy(l->operstate, "unknown", sizeof(l->operstate));
	return 0;
}

static int cmp_ifindex(const void *x, const void *y)
{
	const struct bctl_link *a = x, *c = y;

	return a->ifindex - c->ifindex;
}

static int fake_link_list(const struct bctl *b, struct bctl_link **links,
			  size_t *n)
{
	char path[PATH_MAX];
	struct dirent *de;
	size_t k = 0, cap = 0;
	struct bctl_link *v = NULL, *nv;
	DIR *dir;

	snprintf(path, sizeof(path), "%s/class/net", b->sysfs_root);
	dir = opendir(path);
	if (!dir)
		return -errno;
	while ((de = readdir(dir))) {
		if (de->d_name[0] == '.')
			continue;
		if (k == cap) {
			cap = cap ? 2 * cap : 8;
			nv = realloc(v, cap * sizeof(*v));
			if (!nv) {
				free(v);
				closedir(dir);
				return -ENOMEM;
			}
			v = nv;
		}
		if (!fake_link_get(b, de->d_name, &v[k]))
			k++;
	}
	closedir(dir);
	if (k)
		qsort(v, k, sizeof(*v), cmp_ifindex);
	*links = v;
	*n = k;
	return 0;
}

struct rules {
	struct ethtool_rx_flow_spec fs[64];
	size_t n;
};

static void load_rules(const struct bctl *b, const char *ifname,
		       struct rules *r)
{
	FILE *f = open_file(b, ifname, "rules", "rb");

	r->n = 0;
	if (!f)
		return;
	r->n = fread(r->fs, sizeof(r->fs[0]), 64, f);
	fclose(f);
}

static int save_rules(const struct bctl *b, const char *ifname,
		      const struct rules *r)
{
	FILE *f = open_file(b, ifname, "rules", "wb");

	if (!f)
		return -errno;
	fwrite(r->fs, sizeof(r->fs[0]), r->n, f);
	fclose(f);
	return 0;
}

/* ixgbe's check, written independently of rule.c on purpose. */
static bool fake_same_mask(const struct ethtool_rx_flow_spec *a,
			   const struct ethtool_rx_flow_spec *c)
{
	return !memcmp(&a->m_u.tcp_ip4_spec, &c->m_u.tcp_ip4_spec,
		       sizeof(a->m_u.tcp_ip4_spec));
}

static int fake_rules(const struct bctl *b, const char *ifname,
		      struct ethtool_rxnfc *nfc)
{
	uint32_t table, v;
	struct rules r;
	size_t i;

	if (read_u32(b, ifname, "table", &table))
		return -EOPNOTSUPP;
	load_rules(b, ifname, &r);
	switch (nfc->cmd) {
	case ETHTOOL_GRXCLSRLCNT:
		/* like ixgbe: the table size only comes with GRXCLSRLALL */
		nfc->rule_cnt = r.n;
		return 0;
	case ETHTOOL_GRXCLSRLALL:
		if (nfc->rule_cnt < r.n)
			return -EMSGSIZE;
		for (i = 0; i < r.n; i++)
			nfc->rule_locs[i] = r.fs[i].location;
		nfc->rule_cnt = r.n;
		nfc->data = table;
		return 0;
	case ETHTOOL_GRXCLSRULE:
		for (i = 0; i < r.n; i++) {
			if (r.fs[i].location == nfc->fs.location) {
				nfc->fs = r.fs[i];
				return 0;
			}
		}
		return -ENOENT;
	case ETHTOOL_SRXCLSRLDEL:
		for (i = 0; i < r.n; i++) {
			if (r.fs[i].location == nfc->fs.location) {
				r.fs[i] = r.fs[--r.n];
				return save_rules(b, ifname, &r);
			}
		}
		return -EINVAL;	/* what ixgbe returns */
	case ETHTOOL_SRXCLSRLINS:
		if (!read_u32(b, ifname, "ins_errno", &v))
			return -(int)v;
		if (nfc->fs.flow_type != TCP_V4_FLOW &&
		    nfc->fs.flow_type != UDP_V4_FLOW)
			return -EINVAL;
		if (nfc->fs.location >= table)
			return -EINVAL;
		if (r.n && !fake_same_mask(&r.fs[0], &nfc->fs))
			return -EINVAL;
		for (i = 0; i < r.n; i++)
			if (r.fs[i].location == nfc->fs.location)
				break;
		if (i == 64)
			return -ENOSPC;
		r.fs[i] = nfc->fs;
		if (i == r.n)
			r.n++;
		return save_rules(b, ifname, &r);
	}
	return -EOPNOTSUPP;
}

struct stats {
	char name[256][ETH_GSTRING_LEN];
	uint64_t value[256];
	size_t n;
};

static int load_stats(const struct bctl *b, const char *ifname,
		      struct stats *s)
{
	FILE *f = open_file(b, ifname, "stats", "r");
	unsigned long long v;
	char name[64];

	s->n = 0;
	if (!f)
		return -EOPNOTSUPP;
	while (s->n < 256 && fscanf(f, "%63s %llu", name, &v) == 2) {
		bctl_strlcpy(s->name[s->n], name, ETH_GSTRING_LEN);
		s->value[s->n++] = v;
	}
	fclose(f);
	return 0;
}

static int fake_stats(const struct bctl *b, const char *ifname, void *cmd)
{
	struct stats *s = calloc(1, sizeof(*s));
	uint32_t step = 0, c = *(uint32_t *)cmd;
	struct ethtool_gstrings *gs = cmd;
	struct ethtool_stats *st = cmd;
	struct ethtool_drvinfo *di = cmd;
	int err;
	size_t i;
	FILE *f;

	if (!s)
		return -ENOMEM;
	err = load_stats(b, ifname, s);
	if (err)
		goto out;
	switch (c) {
	case ETHTOOL_GDRVINFO:
		bctl_strlcpy(di->driver, "fake", sizeof(di->driver));
		di->n_stats = s->n;
		break;
	case ETHTOOL_GSTRINGS:
		if (gs->string_set != ETH_SS_STATS) {
			err = -EOPNOTSUPP;
			break;
		}
		gs->len = s->n;
		memcpy(gs->data, s->name, s->n * ETH_GSTRING_LEN);
		break;
	case ETHTOOL_GSTATS:
		st->n_stats = s->n;
		memcpy(st->data, s->value, s->n * sizeof(uint64_t));
		if (read_u32(b, ifname, "step", &step) || !step)
			break;
		f = open_file(b, ifname, "stats", "w");
		if (!f) {
			err = -errno;
			break;
		}
		for (i = 0; i < s->n; i++)
			fprintf(f, "%s %llu\n", s->name[i],
				(unsigned long long)(s->value[i] + step));
		fclose(f);
		break;
	}
out:
	free(s);
	return err;
}

static int fake_ethtool(const struct bctl *b, const char *ifname, void *cmd)
{
	uint32_t c = *(uint32_t *)cmd, v;
	struct ethtool_value *ev = cmd;
	struct ethtool_rxnfc *nfc = cmd;
	char rel[PATH_MAX], buf[8];

	snprintf(rel, sizeof(rel), "class/net/%s/ifindex", ifname);
	if (bctl_sys_read(b, rel, buf, sizeof(buf)) < 0)
		return -ENODEV;
	switch (c) {
	case ETHTOOL_GFLAGS:
		if (read_u32(b, ifname, "ntuple", &v))
			return -EOPNOTSUPP;
		ev->data = v ? ETH_FLAG_NTUPLE : 0;
		return 0;
	case ETHTOOL_SFLAGS: {
		FILE *f;

		if (read_u32(b, ifname, "ntuple", &v))
			return -EOPNOTSUPP;
		if (ev->data & ~ETH_FLAG_NTUPLE)
			return -EINVAL;	/* the fake has no other flags */
		f = open_file(b, ifname, "ntuple", "w");
		if (!f)
			return -EIO;
		fprintf(f, "%d\n", !!(ev->data & ETH_FLAG_NTUPLE));
		fclose(f);
		return 0;
	}
	case ETHTOOL_GRXRINGS:
		if (read_u32(b, ifname, "rings", &v))
			return -EOPNOTSUPP;
		nfc->data = v;
		return 0;
	case ETHTOOL_GRXCLSRLCNT:
	case ETHTOOL_GRXCLSRLALL:
	case ETHTOOL_GRXCLSRULE:
	case ETHTOOL_SRXCLSRLINS:
	case ETHTOOL_SRXCLSRLDEL:
		return fake_rules(b, ifname, nfc);
	case ETHTOOL_GDRVINFO:
	case ETHTOOL_GSTRINGS:
	case ETHTOOL_GSTATS:
		return fake_stats(b, ifname, cmd);
	}
	return -EOPNOTSUPP;
}

/* ---- class device attributes, as ixgbe_bifurc.c answers writes ---- */

/* The attributes of one class device, found from the path of one of them. */
struct attrs {
	const struct bctl *b;
	char ifname[IF_NAMESIZE];
	char dir[PATH_MAX];		/* relative to the sysfs root */
	uint32_t nqueues;		/* the netdev's RX queues */
	uint64_t reserved[2];
};

static int attrs_load(const struct bctl *b, const char *rel, struct attrs *at)
{
	char rel2[PATH_MAX + 16], buf[512];
	const char *slash = strrchr(rel, '/');

	at->b = b;
	if (!slash || sscanf(rel, "class/net/%15[^/]/", at->ifname) != 1)
		return -ENOENT;
	snprintf(at->dir, sizeof(at->dir), "%.*s", (int)(slash - rel), rel);
	if (read_u32(b, at->ifname, "rings", &at->nqueues))
		at->nqueues = BIFURC_MAX_QUEUES;
	snprintf(rel2, sizeof(rel2), "%s/reserved", at->dir);
	if (bctl_sys_read(b, rel2, buf, sizeof(buf)) < 0 ||
	    bctl_parse_qlist(buf, at->reserved))
		at->reserved[0] = at->reserved[1] = 0;
	return 0;
}

/* Does the file exist?  A kernel without an attribute has no file. */
static int access_rel(const struct bctl *b, const char *rel)
{
	char path[PATH_MAX * 2];

	snprintf(path, sizeof(path), "%s/%s", b->sysfs_root, rel);
	return access(path, F_OK) ? -errno : 0;
}

static int access_attr(const struct attrs *at, const char *name)
{
	char rel[PATH_MAX + 16];

	snprintf(rel, sizeof(rel), "%s/%s", at->dir, name);
	return access_rel(at->b, rel);
}

/* Replace the content of attribute @name (the real ones are generated). */
static int attr_put(const struct attrs *at, const char *name,
		    const char *content)
{
	char path[PATH_MAX * 2];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s/%s", at->b->sysfs_root, at->dir,
		 name);
	f = fopen(path, "w");
	if (!f)
		return -errno;
	fputs(content, f);
	return fclose(f) ? -errno : 0;
}

/* Rewrite a queue list attribute ("reserved", "attached") from a mask. */
static int attr_put_qlist(const struct attrs *at, const char *name,
			  const uint64_t m[2])
{
	char buf[512];
	size_t len = 0;
	uint32_t q;

	buf[0] = '\0';
	for (q = 0; q < BIFURC_MAX_QUEUES; q++)
		if (bctl_qbit(m, q))
			len += snprintf(buf + len, sizeof(buf) - len, "%s%u",
					len ? " " : "", q);
	snprintf(buf + len, sizeof(buf) - len, "\n");
	return attr_put(at, name, buf);
}

/* kstrtou32(buf, 0, ...): one number, one optional newline. */
static int fake_u32(const char *s, uint32_t *v)
{
	unsigned long long x;
	char *end;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	x = strtoull(s, &end, 0);
	if (errno || x > UINT32_MAX || (*end && strcmp(end, "\n")))
		return -EINVAL;
	*v = x;
	return 0;
}

/* The grant table: kind 0 none, 'u' user, 'g' group; lo 0: no ports. */
struct grants {
	char kind[BIFURC_MAX_QUEUES];
	uint32_t id[BIFURC_MAX_QUEUES];
	uint16_t lo[BIFURC_MAX_QUEUES], hi[BIFURC_MAX_QUEUES];
};

static void grants_load(const struct attrs *at, struct grants *g)
{
	char rel[PATH_MAX + 8], buf[4096], word[8], *line, *save = NULL;
	unsigned int q, id, lo, hi;
	int n;

	memset(g, 0, sizeof(*g));
	snprintf(rel, sizeof(rel), "%s/grant", at->dir);
	if (bctl_sys_read(at->b, rel, buf, sizeof(buf)) < 0)
		return;
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		n = sscanf(line, "%u %7s %u ports %u-%u", &q, word, &id, &lo,
			   &hi);
		if (n < 3 || q >= BIFURC_MAX_QUEUES)
			continue;
		g->kind[q] = word[0];
		g->id[q] = id;
		g->lo[q] = n == 5 ? lo : 0;
		g->hi[q] = n == 5 ? hi : 0;
	}
}

/*
 * grant_show(): the grants of reserved queues, in queue order, with
 * " ports <lo>-<hi>" (also for lo == hi) when the grant names ports.
 */
static int grants_save(const struct attrs *at, const struct grants *g)
{
	char buf[8192];
	size_t len = 0;
	uint32_t q;

	buf[0] = '\0';
	for (q = 0; q < BIFURC_MAX_QUEUES; q++) {
		if (!g->kind[q] || !bctl_qbit(at->reserved, q))
			continue;
		len += snprintf(buf + len, sizeof(buf) - len, "%u %s %u", q,
				g->kind[q] == 'u' ? "user" : "group", g->id[q]);
		if (g->lo[q])
			len += snprintf(buf + len, sizeof(buf) - len,
					" ports %u-%u", g->lo[q], g->hi[q]);
		len += snprintf(buf + len, sizeof(buf) - len, "\n");
	}
	return attr_put(at, "grant", buf);
}

/* One port of "ports": decimal digits, 1..65535, then @stop; end or NULL. */
static const char *fake_port(const char *p, char stop, unsigned long *v)
{
	char *end;

	if (*p < '0' || *p > '9')
		return NULL;
	errno = 0;
	*v = strtoul(p, &end, 10);
	if (errno || !*v || *v > 65535 || *end != stop)
		return NULL;
	return end;
}

/*
 * grant_store(): "<queue> user <uid> [ports <lo>[-<hi>]]", "<queue> group
 * <gid> [ports <lo>[-<hi>]]", "<queue> none"; single spaces, decimal,
 * 1 <= lo <= hi <= 65535, whitespace around the line ignored (strim()).
 * Checked in the kernel's order: the line, the id (-1 is no id),
 * CAP_NET_ADMIN (grant_errno stands for it), the queue.
 */
static int fake_grant(struct attrs *at, const char *val, int inject)
{
	char line[64], word[8], *end;
	unsigned long q, id = 0, lo = 0, hi = 0;
	struct grants g;
	const char *p;
	size_t len;

	while (*val == ' ' || *val == '\t' || *val == '\n')
		val++;
	len = strlen(val);
	while (len && (val[len - 1] == ' ' || val[len - 1] == '\t' ||
		       val[len - 1] == '\n'))
		len--;
	if (len >= sizeof(line) || !len)
		return -EINVAL;
	memcpy(line, val, len);
	line[len] = '\0';
	if (line[0] < '0' || line[0] > '9')
		return -EINVAL;
	errno = 0;
	q = strtoul(line, &end, 10);
	if (errno || q > UINT32_MAX || *end != ' ')
		return -EINVAL;
	p = end + 1;
	if (!strcmp(p, "none")) {
		word[0] = 0;
	} else if (!strncmp(p, "user ", 5) || !strncmp(p, "group ", 6)) {
		word[0] = p[0];
		p += p[0] == 'u' ? 5 : 6;
		if (*p < '0' || *p > '9')
			return -EINVAL;
		errno = 0;
		id = strtoul(p, &end, 10);
		if (errno || id >= UINT32_MAX)
			return -EINVAL;
		if (!strncmp(end, " ports ", 7)) {
			p = fake_port(end + 7, strchr(end + 7, '-') ? '-' : '\0',
				      &lo);
			if (!p)
				return -EINVAL;
			hi = lo;
			if (*p == '-' && !(p = fake_port(p + 1, '\0', &hi)))
				return -EINVAL;
			if (lo > hi)
				return -EINVAL;
		} else if (*end) {
			return -EINVAL;
		}
	} else {
		return -EINVAL;
	}
	if (inject)
		return -inject;
	if (q >= at->nqueues)
		return -ERANGE;
	if (!bctl_qbit(at->reserved, q))
		return -EADDRNOTAVAIL;
	grants_load(at, &g);
	g.kind[q] = word[0];
	g.id[q] = id;
	g.lo[q] = lo;
	g.hi[q] = hi;
	return grants_save(at, &g);
}

/* reserve_store() and release_store(); a release ends the grant. */
static int fake_queue(struct attrs *at, const char *val, bool reserve)
{
	uint64_t attached[2];
	char rel[PATH_MAX + 16], buf[512];
	struct grants g;
	uint32_t q, i;
	int err;

	err = fake_u32(val, &q);
	if (err)
		return err;
	if (reserve) {
		if (q >= at->nqueues)
			return -ERANGE;
		if (bctl_qbit(at->reserved, q))
			return -EALREADY;
		for (i = 0; i < at->nqueues; i++)
			if (i != q && !bctl_qbit(at->reserved, i))
				break;
		if (i == at->nqueues)
			return -ENOSPC;
		at->reserved[q / 64] |= 1ULL << (q % 64);
		return attr_put_qlist(at, "reserved", at->reserved);
	}
	if (q >= BIFURC_MAX_QUEUES || !bctl_qbit(at->reserved, q))
		return -EADDRNOTAVAIL;
	grants_load(at, &g);
	at->reserved[q / 64] &= ~(1ULL << (q % 64));
	snprintf(rel, sizeof(rel), "%s/attached", at->dir);
	if (bctl_sys_read(at->b, rel, buf, sizeof(buf)) >= 0 &&
	    !bctl_parse_qlist(buf, attached)) {
		attached[q / 64] &= ~(1ULL << (q % 64));
		err = attr_put_qlist(at, "attached", attached);
		if (err)
			return err;
	}
	err = attr_put_qlist(at, "reserved", at->reserved);
	if (!err && !access_attr(at, "grant"))
		err = grants_save(at, &g);
	return err;
}

/* mirror_store(): "3 on" / "3 off" on a reserved queue, as a queue list. */
static int fake_mirror(struct attrs *at, const char *val)
{
	char rel[PATH_MAX + 16], buf[512], word[8];
	uint64_t m[2];
	unsigned int q;
	int n = 0;

	if (sscanf(val, "%u %7s%n", &q, word, &n) != 2 ||
	    (val[n] && strcmp(val + n, "\n")) ||
	    (strcmp(word, "on") && strcmp(word, "off")))
		return -EINVAL;
	if (q >= at->nqueues)
		return -ERANGE;
	if (!bctl_qbit(at->reserved, q))
		return -EADDRNOTAVAIL;
	snprintf(rel, sizeof(rel), "%s/mirror", at->dir);
	if (bctl_sys_read(at->b, rel, buf, sizeof(buf)) < 0 ||
	    bctl_parse_qlist(buf, m))
		m[0] = m[1] = 0;
	if (!strcmp(word, "on"))
		m[q / 64] |= 1ULL << (q % 64);
	else
		m[q / 64] &= ~(1ULL << (q % 64));
	return attr_put_qlist(at, "mirror", m);
}

/* "<attr> <value>" to fake-ethtool/<if>/writes, if the test made it. */
static void log_write(const struct attrs *at, const char *name,
		      const char *val)
{
	char rel[PATH_MAX];
	FILE *f;

	snprintf(rel, sizeof(rel), "fake-ethtool/%s/writes", at->ifname);
	if (access_rel(at->b, rel))
		return;
	f = open_file(at->b, at->ifname, "writes", "a");
	if (!f)
		return;
	fprintf(f, "%s %s\n", name, val);
	fclose(f);
}

static int fake_attr_write(const struct bctl *b, const char *rel,
			   const char *val)
{
	const char *name = strrchr(rel, '/');
	struct attrs at;
	uint32_t inject = 0;
	int err;

	/* an attribute this kernel lacks cannot be opened */
	if (!name || access_rel(b, rel))
		return -ENOENT;
	name++;
	err = attrs_load(b, rel, &at);
	if (err)
		return err;
	log_write(&at, name, val);
	if (!strcmp(name, "grant")) {
		read_u32(b, at.ifname, "grant_errno", &inject);
		return fake_grant(&at, val, (int)inject);
	}
	if (!strcmp(name, "mirror")) {
		read_u32(b, at.ifname, "mirror_errno", &inject);
		return inject ? -(int)inject : fake_mirror(&at, val);
	}
	if (!strcmp(name, "reserve") || !strcmp(name, "release")) {
		err = fake_queue(&at, val, !strcmp(name, "reserve"));
		/* what was written stays readable, for the tests */
		return err ? err : attr_put(&at, name, val);
	}
	return bctl_sys_write(b, rel, val);
}

const struct bctl_backend bctl_backend_fake = {
	.link_list = fake_link_list,
	.link_get = fake_link_get,
	.ethtool = fake_ethtool,
	.attr_write = fake_attr_write,
};
