// SPDX-License-Identifier: GPL-2.0
/*
 * bifurcctl reserve IF queue N
 * bifurcctl release IF queue N [force]
 *
 * A write of N to the class device's "reserve" / "release" attribute.
 * What can be checked from sysfs first (range, reserved, attached) is
 * checked first so that the message names the interface; the kernel's
 * answer is still the final word (bctl_reserve_errmsg()).  A release
 * also ends the queue's grant (the kernel clears it).
 */
#include <errno.h>
#include <string.h>

#include <linux/bifurc.h>

#include "bifurcctl.h"

/* "IF queue N": the words every per-queue command starts with. */
int bctl_parse_if_queue(struct bctl_args *a, const char **ifname,
			  uint32_t *queue)
{
	static const char *const kw[] = { "queue", NULL };
	const char *w;

	if (bctl_need(a, "interface name", ifname))
		return BCTL_USAGE;
	if (bctl_need(a, "\"queue N\"", &w))
		return BCTL_USAGE;
	if (strcmp(w, "queue"))
		return bctl_bad_word(w, "keyword", kw);
	if (bctl_need(a, "queue number", &w) ||
	    bctl_parse_u32(w, "queue", BIFURC_MAX_QUEUES - 1, queue))
		return BCTL_USAGE;
	return 0;
}

int bctl_check_queue(const struct bctl_dev *d, uint32_t q)
{
	if (d->rx_queues && q >= d->rx_queues) {
		bctl_err("queue %u out of range: %s has %u RX queues (0..%u)", q,
			 d->link.name, d->rx_queues, d->rx_queues - 1);
		return -ERANGE;
	}
	return 0;
}

int bctl_cmd_reserve(struct bctl *b, struct bctl_args *a, bool reserve)
{
	static const char *const kw_release[] = { "force", NULL };
	const char *ifname, *w, *verb = reserve ? "reserve" : "release";
	char rel[512], val[16];
	struct bctl_dev d;
	bool force = false;
	uint32_t q;
	int err;

	err = bctl_parse_if_queue(a, &ifname, &q);
	if (err)
		return err;
	while ((w = bctl_next(a))) {
		if (!reserve && !strcmp(w, "force") && !force)
			force = true;
		else
			return bctl_bad_word(w, "argument",
					     reserve ? NULL : kw_release);
	}
	if (bctl_dev_open(b, ifname, &d, true) || bctl_check_queue(&d, q))
		return BCTL_ERR;

	if (reserve && bctl_qbit(d.reserved, q)) {
		bctl_err("queue %u of %s is already reserved", q, ifname);
		return BCTL_ERR;
	}
	if (!reserve && !bctl_qbit(d.reserved, q)) {
		bctl_err("queue %u of %s is not reserved", q, ifname);
		return BCTL_ERR;
	}
	if (!reserve && bctl_qbit(d.attached, q) && !force) {
		bctl_err("queue %u of %s is attached by an application; releasing it "
			 "stops that application (ENETRESET). To do it anyway: "
			 "bifurcctl release %s queue %u force", q, ifname, ifname, q);
		return BCTL_ERR;
	}

	snprintf(rel, sizeof(rel), "class/net/%s/device/" BIFURC_CLASS_NAME
		 "/%s/%s", ifname, d.classdev, verb);
	snprintf(val, sizeof(val), "%u", q);
	err = b->bk->attr_write(b, rel, val);
	if (err) {
		const char *msg = bctl_reserve_errmsg(err, reserve);

		if (err == -ENOSPC)
			bctl_err("cannot reserve queue %u of %s: it is the last RSS queue "
				 "and the kernel stack needs one; add queues first "
				 "(ethtool -L %s combined N)", q, ifname, ifname);
		else
			bctl_err("cannot %s queue %u of %s: %s", verb, q, ifname, msg);
		return BCTL_ERR;
	}
	return BCTL_OK;
}
