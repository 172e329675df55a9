// SPDX-License-Identifier: GPL-2.0
/* The test backend; see fake.h for the files it reads. */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

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

const struct bctl_backend bctl_backend_fake = {
	.link_list = fake_link_list,
	.link_get = fake_link_get,
	.ethtool = fake_ethtool,
};
