// SPDX-License-Identifier: GPL-2.0
/*
 * The real backend: interfaces from the libnl-route-3 link cache, ethtool
 * requests through the SIOCETHTOOL ioctl, attribute writes straight to
 * sysfs.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/sockios.h>
#include <netlink/netlink.h>
#include <netlink/route/link.h>

#include "bifurcctl.h"

static int link_cache(struct nl_sock **sk, struct nl_cache **cache)
{
	int err;

	*sk = nl_socket_alloc();
	if (!*sk)
		return -ENOMEM;
	err = nl_connect(*sk, NETLINK_ROUTE);
	if (!err)
		err = rtnl_link_alloc_cache(*sk, AF_UNSPEC, cache);
	if (err) {
		nl_socket_free(*sk);
		return err == -NLE_PERM ? -EPERM : -EIO;
	}
	return 0;
}

static void link_from_nl(struct rtnl_link *l, struct bctl_link *out)
{
	memset(out, 0, sizeof(*out));
	out->ifindex = rtnl_link_get_ifindex(l);
	snprintf(out->name, sizeof(out->name), "%s", rtnl_link_get_name(l));
	rtnl_link_operstate2str(rtnl_link_get_operstate(l), out->operstate,
				sizeof(out->operstate));
}

static int nl_link_list(const struct bctl *b, struct bctl_link **links,
			size_t *n)
{
	struct nl_cache *cache;
	struct nl_object *o;
	struct nl_sock *sk;
	size_t k = 0;
	int err;

	(void)b;
	err = link_cache(&sk, &cache);
	if (err)
		return err;
	*links = calloc(nl_cache_nitems(cache) + 1, sizeof(**links));
	if (!*links) {
		err = -ENOMEM;
		goto out;
	}
	for (o = nl_cache_get_first(cache); o; o = nl_cache_get_next(o))
		link_from_nl((struct rtnl_link *)o, &(*links)[k++]);
	*n = k;
out:
	nl_cache_free(cache);
	nl_socket_free(sk);
	return err;
}

static int nl_link_get(const struct bctl *b, const char *name,
		       struct bctl_link *link)
{
	struct nl_cache *cache;
	struct rtnl_link *l;
	struct nl_sock *sk;
	int err;

	(void)b;
	err = link_cache(&sk, &cache);
	if (err)
		return err;
	l = rtnl_link_get_by_name(cache, name);
	if (l) {
		link_from_nl(l, link);
		rtnl_link_put(l);
	} else {
		err = -ENODEV;
	}
	nl_cache_free(cache);
	nl_socket_free(sk);
	return err;
}

static int ioctl_ethtool(const struct bctl *b, const char *ifname, void *cmd)
{
	struct ifreq ifr;
	int fd, err = 0;

	(void)b;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	ifr.ifr_data = cmd;
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (ioctl(fd, SIOCETHTOOL, &ifr))
		err = -errno;
	close(fd);
	return err;
}

static const struct bctl_backend bctl_backend_real = {
	.link_list = nl_link_list,
	.link_get = nl_link_get,
	.ethtool = ioctl_ethtool,
	.attr_write = bctl_sys_write,
};

int main(int argc, char **argv)
{
	return bifurcctl_main(argc, argv, &bctl_backend_real);
}
