// SPDX-License-Identifier: GPL-2.0
/*
 * bifurcctl dev [IF]: the adapters with bifurc support.
 *
 *   2: eth1: 0000:00:04.0 driver ixgbe state up
 *       queues 4 reserved 3 attached none ntuple on
 *       chardev /dev/bifurc/0000:00:04.0
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "bifurcctl.h"

static void dev_text(const struct bctl_dev *d)
{
	printf("%d: %s: %s driver %s state %s\n", d->link.ifindex, d->link.name,
	       d->bdf[0] ? d->bdf : "-", d->driver[0] ? d->driver : "-",
	       d->link.operstate);
	printf("    queues %u reserved ", d->rx_queues);
	bctl_print_qlist(stdout, d->reserved);
	printf(" attached ");
	bctl_print_qlist(stdout, d->attached);
	printf(" ntuple %s\n", d->ntuple < 0 ? "unknown" : d->ntuple ? "on" : "off");
	printf("    chardev %s\n", d->chardev);
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
	if (d->ntuple < 0)
		bctl_json_null(j, "ntuple");
	else
		bctl_json_bool(j, "ntuple", d->ntuple);
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
