// SPDX-License-Identifier: GPL-2.0
/*
 * bifurcctl steer add IF FLOW [MATCH]... {queue N|drop} [loc L]
 * bifurcctl steer del IF rule L
 * bifurcctl steer list IF
 *
 * Ordinary ntuple rules through SIOCETHTOOL (ETHTOOL_SRXCLSRLINS /
 * SRXCLSRLDEL / GRXCLSRL*), the same ones "ethtool -n" shows.  The one
 * thing bifurcctl adds over ethtool is explaining the 82599's single flow
 * mask per port when the driver refuses a rule (ixgbe returns EINVAL and
 * logs "Only one mask supported per port").
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "bifurcctl.h"

static const char *const steer_cmds[] = { "add", "del", "list", NULL };

/* Like ethtool's rule manager: the highest free location (lowest priority). */
static int pick_loc(const struct bctl_rules *r, uint32_t *loc)
{
	uint32_t l, i;

	for (l = r->table_size; l-- > 0;) {
		for (i = 0; i < r->n; i++)
			if (r->fs[i].location == l)
				break;
		if (i == r->n) {
			*loc = l;
			return 0;
		}
	}
	return -ENOSPC;
}

static const struct ethtool_rx_flow_spec *find_loc(const struct bctl_rules *r,
						   uint32_t loc)
{
	uint32_t i;

	for (i = 0; i < r->n; i++)
		if (r->fs[i].location == loc)
			return &r->fs[i];
	return NULL;
}

/*
 * SRXCLSRLINS said EINVAL.  If rules with another mask exist, that is the
 * one-mask-per-port limit: say which fields the rules in force compare,
 * which locations hold that mask, and how to get along with one mask.
 */
static bool explain_mask_conflict(const char *ifname,
				  const struct ethtool_rx_flow_spec *fs,
				  const struct bctl_rules *r)
{
	char want[256], have[256];
	bool *done, conflict = false;
	uint32_t i, k, first = 0;

	for (i = 0; i < r->n; i++) {
		if (r->fs[i].location == fs->location)
			continue;	/* would be replaced */
		if (!bctl_rule_same_mask(&r->fs[i], fs))
			conflict = true;
	}
	if (!conflict)
		return false;
	done = calloc(r->n ? r->n : 1, sizeof(*done));
	bctl_rule_mask_desc(fs, want, sizeof(want));
	bctl_err("%s refused the rule: the 82599 has one flow mask per port, "
		 "and the rules on %s compare other fields", ifname, ifname);
	for (i = 0; i < r->n; i++) {
		if (done && done[i])
			continue;
		bctl_rule_mask_desc(&r->fs[i], have, sizeof(have));
		fprintf(stderr, "  rules in force compare: %-24s (rule", have);
		for (k = i; k < r->n; k++) {
			if (!bctl_rule_same_mask(&r->fs[i], &r->fs[k]))
				continue;
			fprintf(stderr, "%s %u", k == i ? "" : ",", r->fs[k].location);
			if (done)
				done[k] = true;
		}
		fputs(")\n", stderr);
		if (!first)
			first = r->fs[i].location + 1;
	}
	fprintf(stderr,
		"  this rule compares:     %s\n"
		"  One mask serves several applications when every rule names the same\n"
		"  fields with different values, e.g. \"udp4 dst-port 53 queue 2\" and\n"
		"  \"udp4 dst-port 123 queue 3\". Write this rule with the fields the rules\n"
		"  in force use, or delete those rules first (bifurcctl steer del %s rule %u).\n",
		want, ifname, first - 1);
	free(done);
	return true;
}

static int steer_add(struct bctl *b, struct bctl_args *a)
{
	struct ethtool_rxnfc nfc = { .cmd = ETHTOOL_SRXCLSRLINS };
	struct bctl_rule_spec spec;
	struct bctl_rules rules;
	const char *ifname;
	struct bctl_dev d;
	uint32_t rings, q;
	int err, ret = BCTL_ERR;
	bool v6;

	if (bctl_need(a, "interface name", &ifname))
		return BCTL_USAGE;
	err = bctl_rule_parse(a, &spec);
	if (err)
		return err;
	if (bctl_dev_open(b, ifname, &d, false))
		return BCTL_ERR;
	if (d.ntuple == 0) {
		bctl_err("ntuple filters are off on %s; turn it on with: ethtool -K %s ntuple on",
			 ifname, ifname);
		return BCTL_ERR;
	}
	q = ethtool_get_flow_spec_ring(spec.fs.ring_cookie);
	if (spec.fs.ring_cookie != RX_CLS_FLOW_DISC) {
		err = bctl_rx_rings(b, ifname, &rings);
		if (!err && q >= rings) {
			bctl_err("queue %u out of range: %s has %u RX queues (0..%u)",
				 q, ifname, rings, rings - 1);
			return BCTL_ERR;
		}
		if (d.classdev[0] && !bctl_qbit(d.reserved, q))
			fprintf(stderr, "bifurcctl: note: queue %u of %s is not reserved for bifurc; "
				"its packets go to the kernel stack (bifurcctl reserve %s queue %u)\n",
				q, ifname, ifname, q);
	}

	err = bctl_rules_get(b, ifname, &rules);
	if (err) {
		if (err == -EOPNOTSUPP)
			bctl_err("%s (driver %s) has no ntuple rules", ifname,
				 d.driver[0] ? d.driver : "-");
		else
			bctl_err("cannot read the rules of %s: %s", ifname,
				 bctl_strerror_perm(err));
		return BCTL_ERR;
	}
	if (spec.have_loc) {
		if (rules.table_size && spec.fs.location >= rules.table_size) {
			bctl_err("loc %u out of range: the rule table of %s has locations 0..%u",
				 spec.fs.location, ifname, rules.table_size - 1);
			goto out;
		}
		if (find_loc(&rules, spec.fs.location)) {
			bctl_err("rule %u exists on %s; delete it first (bifurcctl steer del %s rule %u)",
				 spec.fs.location, ifname, ifname, spec.fs.location);
			goto out;
		}
	} else if (pick_loc(&rules, &spec.fs.location)) {
		bctl_err("the rule table of %s is full (%u rules)", ifname, rules.n);
		goto out;
	}

	nfc.fs = spec.fs;
	err = b->bk->ethtool(b, ifname, &nfc);
	switch (err) {
	case 0:
		printf("Added rule %u\n", nfc.fs.location);
		ret = BCTL_OK;
		break;
	case -EPERM:
	case -EACCES:
		bctl_err("cannot add a rule on %s: needs root (CAP_NET_ADMIN)", ifname);
		break;
	case -EOPNOTSUPP:
		bctl_err("%s refused the rule: ntuple filters are off or unsupported; "
			 "turn them on with: ethtool -K %s ntuple on", ifname, ifname);
		break;
	case -ENOSPC:
		bctl_err("the rule table of %s is full", ifname);
		break;
	case -EINVAL:
		v6 = spec.fs.flow_type == UDP_V6_FLOW ||
		     spec.fs.flow_type == TCP_V6_FLOW;
		/* ixgbe refuses IPv6 before it looks at the mask */
		if (!(v6 && !strcmp(d.driver, "ixgbe")) &&
		    explain_mask_conflict(ifname, &spec.fs, &rules))
			break;
		if (v6)
			bctl_err("%s refused the rule: driver %s has no IPv6 ntuple rules "
				 "(the 82599's perfect filters in ixgbe match IPv4 only)",
				 ifname, d.driver[0] ? d.driver : "-");
		else
			bctl_err("%s refused the rule (EINVAL); \"dmesg | tail\" has the driver's reason",
				 ifname);
		break;
	default:
		bctl_err("cannot add a rule on %s: %s", ifname, strerror(-err));
	}
out:
	bctl_rules_free(&rules);
	return ret;
}

static int steer_del(struct bctl *b, struct bctl_args *a)
{
	static const char *const kw[] = { "rule", NULL };
	struct ethtool_rxnfc nfc = { .cmd = ETHTOOL_SRXCLSRLDEL };
	const char *ifname, *w;
	struct bctl_dev d;
	uint32_t loc;
	int err;

	if (bctl_need(a, "interface name", &ifname) ||
	    bctl_need(a, "\"rule L\"", &w))
		return BCTL_USAGE;
	if (strcmp(w, "rule"))
		return bctl_bad_word(w, "keyword", kw);
	if (bctl_need(a, "rule location", &w) ||
	    bctl_parse_u32(w, "rule", 0xfffffffeU, &loc))
		return BCTL_USAGE;
	if ((w = bctl_next(a)))
		return bctl_usage_err("unexpected argument \"%s\"", w);
	if (bctl_dev_open(b, ifname, &d, false))
		return BCTL_ERR;
	nfc.fs.location = loc;
	err = b->bk->ethtool(b, ifname, &nfc);
	if (!err)
		return BCTL_OK;
	if (err == -ENOENT || err == -EINVAL)
		bctl_err("no rule %u on %s (see: bifurcctl steer list %s)", loc,
			 ifname, ifname);
	else if (err == -EOPNOTSUPP)
		bctl_err("%s has no ntuple rules (ntuple off or unsupported)", ifname);
	else
		bctl_err("cannot delete rule %u on %s: %s", loc, ifname,
			 bctl_strerror_perm(err));
	return BCTL_ERR;
}

/*
 * The attached queue whose app added rule @loc (the owners attribute of
 * the v10 series), or -1: the admin's rule, or a kernel that does not say.
 */
static int rule_owner(const struct bctl_dev *d, uint32_t loc)
{
	const struct bctl_owner *o;
	unsigned int i;
	uint32_t q;

	if (d->owners != 1)
		return -1;
	for (q = 0; q < BIFURC_MAX_QUEUES; q++) {
		o = &d->owner[q];
		for (i = 0; o->pid && i < o->nr_rules; i++)
			if (o->rules[i] == loc)
				return q;
	}
	return -1;
}

static int steer_list(struct bctl *b, struct bctl_args *a)
{
	struct bctl_rules rules;
	const char *ifname, *w;
	char text[512], mask[256];
	struct bctl_json j;
	struct bctl_dev d;
	uint32_t i;
	int err, q;

	if (bctl_need(a, "interface name", &ifname))
		return BCTL_USAGE;
	if ((w = bctl_next(a)))
		return bctl_usage_err("unexpected argument \"%s\"", w);
	if (bctl_dev_open(b, ifname, &d, false))
		return BCTL_ERR;
	err = bctl_rules_get(b, ifname, &rules);
	if (err == -EOPNOTSUPP) {
		bctl_err("%s (driver %s) has no ntuple rules", ifname,
			 d.driver[0] ? d.driver : "-");
		return BCTL_ERR;
	}
	if (err) {
		bctl_err("cannot read the rules of %s: %s", ifname,
			 bctl_strerror_perm(err));
		return BCTL_ERR;
	}
	if (b->json) {
		bctl_json_init(&j, stdout, b->pretty);
		bctl_json_obj_open(&j, NULL);
		bctl_json_str(&j, "ifname", ifname);
		if (d.ntuple < 0)
			bctl_json_null(&j, "ntuple");
		else
			bctl_json_bool(&j, "ntuple", d.ntuple);
		bctl_json_u64(&j, "table_size", rules.table_size);
		if (d.owners < 0)
			bctl_json_null(&j, "owners");
		else
			bctl_json_bool(&j, "owners", d.owners);
		bctl_json_arr_open(&j, "rules");
		for (i = 0; i < rules.n; i++) {
			bctl_json_obj_open(&j, NULL);
			bctl_rule_json(&j, &rules.fs[i]);
			q = rule_owner(&d, rules.fs[i].location);
			if (q >= 0)
				bctl_owner_json(&j, &d.owner[q], q);
			else
				bctl_json_null(&j, "owner");
			bctl_json_obj_close(&j);
		}
		bctl_json_arr_close(&j);
		bctl_json_obj_close(&j);
		bctl_json_end(&j);
	} else {
		printf("%s: %u rule%s, table size %u, ntuple %s", ifname, rules.n,
		       rules.n == 1 ? "" : "s", rules.table_size,
		       d.ntuple < 0 ? "unknown" : d.ntuple ? "on" : "off");
		if (rules.n) {
			bctl_rule_mask_desc(&rules.fs[0], mask, sizeof(mask));
			printf(", flow mask: %s", mask);
		}
		putchar('\n');
		for (i = 0; i < rules.n; i++) {
			bctl_rule_format(&rules.fs[i], text, sizeof(text));
			printf("rule %u: %s", rules.fs[i].location, text);
			q = rule_owner(&d, rules.fs[i].location);
			if (q >= 0)
				printf(" owner pid %d (%s) uid %u on queue %d",
				       d.owner[q].pid, d.owner[q].comm,
				       d.owner[q].uid, q);
			putchar('\n');
		}
	}
	bctl_rules_free(&rules);
	return BCTL_OK;
}

int bctl_cmd_steer(struct bctl *b, struct bctl_args *a)
{
	const char *w;

	if (bctl_need(a, "steer command (add, del or list)", &w))
		return BCTL_USAGE;
	if (!strcmp(w, "add"))
		return steer_add(b, a);
	if (!strcmp(w, "del"))
		return steer_del(b, a);
	if (!strcmp(w, "list") || !strcmp(w, "show"))
		return steer_list(b, a);
	return bctl_bad_word(w, "steer command", steer_cmds);
}
