// SPDX-License-Identifier: GPL-2.0
/*
 * The SIOCETHTOOL requests bifurcctl makes, all through the backend's
 * ethtool() hook (the real ioctl, or the test fake):
 *
 *   ETHTOOL_GFLAGS       ntuple on/off (ETH_FLAG_NTUPLE)
 *   ETHTOOL_SFLAGS       ntuple on (apply's "ntuple IF on")
 *   ETHTOOL_GRXRINGS     RX rings a rule may steer to
 *   ETHTOOL_GRXCLSRLCNT  rule count
 *   ETHTOOL_GRXCLSRLALL  rule locations and table size
 *   ETHTOOL_GRXCLSRULE   one rule
 *   ETHTOOL_GDRVINFO     n_stats
 *   ETHTOOL_GSTRINGS     counter names (ETH_SS_STATS)
 *   ETHTOOL_GSTATS       counter values
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "bifurcctl.h"

/* 1 on, 0 off, -1 unknown (the driver does not say). */
int bctl_ntuple_state(const struct bctl *b, const char *ifname)
{
	struct ethtool_value v = { .cmd = ETHTOOL_GFLAGS };

	if (b->bk->ethtool(b, ifname, &v))
		return -1;
	return !!(v.data & ETH_FLAG_NTUPLE);
}

/*
 * Turn ntuple filters on, keeping the other flags.  ixgbe resets the
 * port to trade ATR for perfect filters, so this belongs before the
 * reservations.  0/-errno.
 */
int bctl_ntuple_on(const struct bctl *b, const char *ifname)
{
	struct ethtool_value v = { .cmd = ETHTOOL_GFLAGS };
	int err;

	err = b->bk->ethtool(b, ifname, &v);
	if (err || (v.data & ETH_FLAG_NTUPLE))
		return err;
	v.cmd = ETHTOOL_SFLAGS;
	v.data |= ETH_FLAG_NTUPLE;
	return b->bk->ethtool(b, ifname, &v);
}

int bctl_rx_rings(const struct bctl *b, const char *ifname, uint32_t *n)
{
	struct ethtool_rxnfc nfc = { .cmd = ETHTOOL_GRXRINGS };
	int err;

	err = b->bk->ethtool(b, ifname, &nfc);
	if (!err)
		*n = nfc.data;
	return err;
}

void bctl_rules_free(struct bctl_rules *r)
{
	free(r->fs);
	r->fs = NULL;
	r->n = 0;
}

static int cmp_loc(const void *x, const void *y)
{
	const struct ethtool_rx_flow_spec *a = x, *b = y;

	return (a->location > b->location) - (a->location < b->location);
}

int bctl_rules_get(const struct bctl *b, const char *ifname,
		   struct bctl_rules *r)
{
	struct ethtool_rxnfc cnt = { .cmd = ETHTOOL_GRXCLSRLCNT };
	struct ethtool_rxnfc *all = NULL;
	uint32_t i;
	int err;

	memset(r, 0, sizeof(*r));
	err = b->bk->ethtool(b, ifname, &cnt);
	if (err)
		return err;
	all = calloc(1, sizeof(*all) + cnt.rule_cnt * sizeof(__u32));
	r->fs = calloc(cnt.rule_cnt ?: 1, sizeof(*r->fs));
	if (!all || !r->fs) {
		err = -ENOMEM;
		goto out;
	}
	/*
	 * The table size comes with the location list, even an empty one:
	 * ixgbe sets it only for GRXCLSRLALL, and ethtool's own rule manager
	 * reads it there too.
	 */
	all->cmd = ETHTOOL_GRXCLSRLALL;
	all->rule_cnt = cnt.rule_cnt;
	err = b->bk->ethtool(b, ifname, all);
	if (err)
		goto out;
	r->table_size = all->data & ~RX_CLS_LOC_SPECIAL;
	for (i = 0; i < all->rule_cnt && i < cnt.rule_cnt; i++) {
		struct ethtool_rxnfc one = { .cmd = ETHTOOL_GRXCLSRULE };

		one.fs.location = all->rule_locs[i];
		err = b->bk->ethtool(b, ifname, &one);
		if (err == -ENOENT)	/* deleted meanwhile */
			continue;
		if (err)
			goto out;
		r->fs[r->n++] = one.fs;
	}
	qsort(r->fs, r->n, sizeof(*r->fs), cmp_loc);
	err = 0;
out:
	free(all);
	if (err)
		bctl_rules_free(r);
	return err;
}

/*
 * All ETH_SS_STATS counters.  The kernel writes as many names and values
 * as the driver reports *now*, which grows when a queue is reserved
 * between our calls, so every buffer has room for 640 extra entries and a
 * changed count means "read again".
 */
#define STATS_SLACK 640

int bctl_stats_get(const struct bctl *b, const char *ifname,
		   struct bctl_stat **out, size_t *nout)
{
	struct ethtool_gstrings *gs = NULL;
	struct ethtool_stats *st = NULL;
	struct bctl_stat *res = NULL;
	uint32_t n = 0, i;
	int err = -EAGAIN, tries;

	for (tries = 0; tries < 3 && err == -EAGAIN; tries++) {
		struct ethtool_drvinfo di = { .cmd = ETHTOOL_GDRVINFO };

		free(gs);
		free(st);
		gs = NULL;
		st = NULL;
		err = b->bk->ethtool(b, ifname, &di);
		if (err)
			break;
		n = di.n_stats;
		gs = calloc(1, sizeof(*gs) + (size_t)(n + STATS_SLACK) *
			    ETH_GSTRING_LEN);
		st = calloc(1, sizeof(*st) + (size_t)(n + STATS_SLACK) *
			    sizeof(__u64));
		if (!gs || !st) {
			err = -ENOMEM;
			break;
		}
		gs->cmd = ETHTOOL_GSTRINGS;
		gs->string_set = ETH_SS_STATS;
		gs->len = n;
		err = b->bk->ethtool(b, ifname, gs);
		if (err)
			break;
		st->cmd = ETHTOOL_GSTATS;
		st->n_stats = n;
		err = b->bk->ethtool(b, ifname, st);
		if (err)
			break;
		if (gs->len != n || st->n_stats != n)
			err = -EAGAIN;
	}
	if (err)
		goto out;
	res = calloc(n ? n : 1, sizeof(*res));
	if (!res) {
		err = -ENOMEM;
		goto out;
	}
	for (i = 0; i < n; i++) {
		memcpy(res[i].name, gs->data + (size_t)i * ETH_GSTRING_LEN,
		       ETH_GSTRING_LEN);
		res[i].name[ETH_GSTRING_LEN - 1] = '\0';
		res[i].value = st->data[i];
	}
	*out = res;
	*nout = n;
out:
	free(gs);
	free(st);
	return err;
}
