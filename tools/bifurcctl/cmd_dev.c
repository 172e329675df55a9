// SPDX-License-Identifier: GPL-2.0
/*
 * bifurcctl dev [IF]: the adapters with bifurc support.
 *
 *   2: eth1: 0000:00:04.0 driver ixgbe state up
 *       queues 4 reserved 1,3 attached 3 mirrored none ntuple on
 *       granted 1 group 100 (users), 3 user 1000 (alice) ports 5300-5399
 *       owner 3: pid 812 (dns-fwd) uid 1000 (alice) up 120 s ring irq rx+tx rules 2045,2046
 *       chardev /dev/bifurc/0000:00:04.0
 *
 * Names next to the ids are this host's; the kernel keeps numbers.
 */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bifurcctl.h"

/* Seconds since @since (CLOCK_BOOTTIME, as the kernel gives it). */
static long long owner_age(const struct bctl_owner *o)
{
	struct timespec now;

	if (clock_gettime(CLOCK_BOOTTIME, &now))
		return 0;
	return now.tv_sec > o->since ? now.tv_sec - o->since : 0;
}

static void owners_text(const struct bctl_dev *d)
{
	const struct bctl_owner *o;
	const struct passwd *pw;
	unsigned int i;
	uint32_t q;

	for (q = 0; q < BIFURC_MAX_QUEUES; q++) {
		o = &d->owner[q];
		if (!o->pid)
			continue;
		pw = getpwuid(o->uid);
		printf("    owner %u: pid %d (%s) uid %u", q, o->pid, o->comm,
		       o->uid);
		if (pw)
			printf(" (%s)", pw->pw_name);
		printf(" up %lld s %s %s %s rules ", owner_age(o), o->mode[0],
		       o->mode[1], o->mode[2]);
		for (i = 0; i < o->nr_rules; i++)
			printf("%s%u", i ? "," : "", o->rules[i]);
		printf("%s\n", o->nr_rules ? "" : "none");
	}
}

static void grants_text(const struct bctl_dev *d)
{
	const struct bctl_grant *g;
	const struct passwd *pw;
	const struct group *gr;
	bool any = false;
	uint32_t q;

	printf("    granted ");
	if (d->grants == 0) {
		/* before the v3 series the node's mode was the only check */
		printf("n/a (kernel without per-queue grants)\n");
		return;
	}
	if (d->grants < 0) {
		printf("unknown\n");
		return;
	}
	for (q = 0; q < BIFURC_MAX_QUEUES; q++) {
		g = &d->grant[q];
		if (g->kind == BCTL_GRANT_NONE)
			continue;
		printf("%s%u %s %u", any ? ", " : "", q,
		       bctl_grant_kind_name(g->kind), g->id);
		pw = g->kind == BCTL_GRANT_USER ? getpwuid(g->id) : NULL;
		gr = g->kind == BCTL_GRANT_GROUP ? getgrgid(g->id) : NULL;
		if (pw || gr)
			printf(" (%s)", pw ? pw->pw_name : gr->gr_name);
		if (g->port_lo)
			printf(" ports %u-%u", g->port_lo, g->port_hi);
		any = true;
	}
	printf("%s\n", any ? "" : "none");
}

static void dev_text(const struct bctl_dev *d)
{
	printf("%d: %s: %s driver %s state %s\n", d->link.ifindex, d->link.name,
	       d->bdf[0] ? d->bdf : "-", d->driver[0] ? d->driver : "-",
	       d->link.operstate);
	printf("    queues %u reserved ", d->rx_queues);
	bctl_print_qlist(stdout, d->reserved);
	printf(" attached ");
	bctl_print_qlist(stdout, d->attached);
	if (d->mirrors) {
		printf(" mirrored ");
		bctl_print_qlist(stdout, d->mirrored);
	}
	printf(" ntuple %s\n", d->ntuple < 0 ? "unknown" : d->ntuple ? "on" : "off");
	grants_text(d);
	owners_text(d);
	printf("    chardev %s\n", d->chardev);
}

/* "owner": the holder of @o's queue, or null; "queue": @queue if >= 0. */
void bctl_owner_json(struct bctl_json *j, const struct bctl_owner *o,
		     int queue)
{
	unsigned int i;

	if (!o->pid) {
		bctl_json_null(j, "owner");
		return;
	}
	bctl_json_obj_open(j, "owner");
	if (queue >= 0)
		bctl_json_u64(j, "queue", queue);
	bctl_json_int(j, "pid", o->pid);
	bctl_json_str(j, "comm", o->comm);
	bctl_json_u64(j, "uid", o->uid);
	bctl_json_int(j, "since", o->since);
	bctl_json_arr_open(j, "mode");
	for (i = 0; i < 3; i++)
		bctl_json_str(j, NULL, o->mode[i]);
	bctl_json_arr_close(j);
	bctl_json_arr_open(j, "rules");
	for (i = 0; i < o->nr_rules; i++)
		bctl_json_u64(j, NULL, o->rules[i]);
	bctl_json_arr_close(j);
	bctl_json_obj_close(j);
}

/*
 * One object per reserved queue: {"queue": 3, "attached": true,
 * "mirror": false (null: a kernel without mirrors),
 * "granted": {"user": 1000}, "owner": {"pid": 812, "comm": "dns-fwd",
 * "uid": 1000, "since": 5231, "mode": ["ring", "irq", "rx+tx"], "rules":
 * [2045]}}, with "ports": [5300, 5399] in "granted" when the grant names
 * ports (one port is [53, 53]); "granted" is null when the queue has no
 * grant or the kernel none to report ("grants" says which), "owner" when
 * nobody holds the queue or the kernel does not say ("owners").
 */
static void queues_json(struct bctl_json *j, const struct bctl_dev *d)
{
	const struct bctl_grant *g;
	uint32_t q;

	bctl_json_arr_open(j, "reserved_queues");
	for (q = 0; q < BIFURC_MAX_QUEUES; q++) {
		if (!bctl_qbit(d->reserved, q))
			continue;
		g = &d->grant[q];
		bctl_json_obj_open(j, NULL);
		bctl_json_u64(j, "queue", q);
		bctl_json_bool(j, "attached", bctl_qbit(d->attached, q));
		if (d->mirrors)
			bctl_json_bool(j, "mirror", bctl_qbit(d->mirrored, q));
		else
			bctl_json_null(j, "mirror");
		if (g->kind == BCTL_GRANT_NONE) {
			bctl_json_null(j, "granted");
		} else {
			bctl_json_obj_open(j, "granted");
			bctl_json_u64(j, bctl_grant_kind_name(g->kind), g->id);
			if (g->port_lo) {
				bctl_json_arr_open(j, "ports");
				bctl_json_u64(j, NULL, g->port_lo);
				bctl_json_u64(j, NULL, g->port_hi);
				bctl_json_arr_close(j);
			}
			bctl_json_obj_close(j);
		}
		bctl_owner_json(j, &d->owner[q], -1);
		bctl_json_obj_close(j);
	}
	bctl_json_arr_close(j);
}

static void dev_json(struct bctl_json *j, const struct bctl_dev *d)
{
	bctl_json_obj_open(j, NULL);
	bctl_json_int(j, "ifindex", d->link.ifindex);
	bctl_json_str(j, "ifname", d->link.name);
	bctl_json_str(j, "operstate", d->link.operstate);
	bctl_json_str(j, "bdf", d->bdf);
	bctl_json_str(j, "driver", d->driver);
	bctl_json_u64(j, "queues", d->rx_queues);
	bctl_json_qlist(j, "reserved", d->reserved);
	bctl_json_qlist(j, "attached", d->attached);
	if (d->mirrors)
		bctl_json_qlist(j, "mirrored", d->mirrored);
	else
		bctl_json_null(j, "mirrored");
	if (d->ntuple < 0)
		bctl_json_null(j, "ntuple");
	else
		bctl_json_bool(j, "ntuple", d->ntuple);
	if (d->grants < 0)
		bctl_json_null(j, "grants");
	else
		bctl_json_bool(j, "grants", d->grants);
	if (d->owners < 0)
		bctl_json_null(j, "owners");
	else
		bctl_json_bool(j, "owners", d->owners);
	queues_json(j, d);
	bctl_json_str(j, "chardev", d->chardev);
	bctl_json_str(j, "classdev", d->classdev);
	bctl_json_obj_close(j);
}

int bctl_cmd_dev(struct bctl *b, struct bctl_args *a)
{
	struct bctl_link *links = NULL;
	const char *ifname = bctl_next(a);
	struct bctl_json j;
	struct bctl_dev d;
	size_t n = 0, i;
	int err;

	if (bctl_peek(a))
		return bctl_usage_err("unexpected argument \"%s\" after \"dev %s\"",
				      bctl_peek(a), ifname);
	if (ifname) {
		if (bctl_dev_open(b, ifname, &d, true))
			return BCTL_ERR;
		if (b->json) {
			bctl_json_init(&j, stdout, b->pretty);
			bctl_json_arr_open(&j, NULL);
			dev_json(&j, &d);
			bctl_json_arr_close(&j);
			bctl_json_end(&j);
		} else {
			dev_text(&d);
		}
		return BCTL_OK;
	}

	err = b->bk->link_list(b, &links, &n);
	if (err) {
		bctl_err("cannot list interfaces: %s", strerror(-err));
		return BCTL_ERR;
	}
	if (b->json) {
		bctl_json_init(&j, stdout, b->pretty);
		bctl_json_arr_open(&j, NULL);
	}
	for (i = 0; i < n; i++) {
		memset(&d, 0, sizeof(d));
		d.link = links[i];
		bctl_dev_fill(b, &d);
		if (!d.classdev[0])
			continue;
		if (b->json)
			dev_json(&j, &d);
		else
			dev_text(&d);
	}
	if (b->json) {
		bctl_json_arr_close(&j);
		bctl_json_end(&j);
	}
	free(links);
	return BCTL_OK;
}
