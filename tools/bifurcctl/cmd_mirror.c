// SPDX-License-Identifier: GPL-2.0
/*
 * bifurcctl mirror IF queue N {on|off}
 *
 * A write of "N on" or "N off" to the class device's "mirror" attribute
 * (the v11 series).  While a queue's mirror is on, the kernel hands a copy
 * of every frame the queue's application receives or sends to the
 * interface's packet taps, so "tcpdump -i IF" sees the bypassed flow; the
 * stack does not process the copies.  Releasing the queue ends its mirror.
 */
#include <errno.h>
#include <string.h>

#include <linux/bifurc.h>

#include "bifurcctl.h"

int bctl_cmd_mirror(struct bctl *b, struct bctl_args *a)
{
	static const char *const kw[] = { "on", "off", NULL };
	const char *ifname, *w;
	char rel[512], val[32];
	struct bctl_dev d;
	uint32_t q;
	bool on;
	int err;

	err = bctl_parse_if_queue(a, &ifname, &q);
	if (err)
		return err;
	if (bctl_need(a, "\"on\" or \"off\"", &w))
		return BCTL_USAGE;
	if (strcmp(w, "on") && strcmp(w, "off"))
		return bctl_bad_word(w, "mirror state", kw);
	on = !strcmp(w, "on");
	if ((w = bctl_next(a)))
		return bctl_usage_err("unexpected argument \"%s\"", w);
	if (bctl_dev_open(b, ifname, &d, true) || bctl_check_queue(&d, q))
		return BCTL_ERR;
	if (d.mirrors == 0) {
		bctl_err("the kernel's bifurc cannot mirror queues (the mirror "
			 "attribute came with the v11 series)");
		return BCTL_ERR;
	}
	if (!bctl_qbit(d.reserved, q)) {
		bctl_err("queue %u of %s is not reserved; its frames already go "
			 "to the stack, where tcpdump sees them", q, ifname);
		return BCTL_ERR;
	}

	snprintf(rel, sizeof(rel), "class/net/%s/device/" BIFURC_CLASS_NAME
		 "/%s/mirror", ifname, d.classdev);
	snprintf(val, sizeof(val), "%u %s", q, on ? "on" : "off");
	err = b->bk->attr_write(b, rel, val);
	if (err) {
		bctl_err("cannot turn the mirror of queue %u of %s %s: %s", q,
			 ifname, on ? "on" : "off",
			 bctl_reserve_errmsg(err, false));
		return BCTL_ERR;
	}
	return BCTL_OK;
}
