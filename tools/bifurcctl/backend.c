// SPDX-License-Identifier: GPL-2.0
/*
 * The real backend: interfaces from if_nameindex(3) (their state from
 * sysfs), ethtool requests through the SIOCETHTOOL ioctl, attribute
 * writes straight to sysfs.
 */
#include <errno.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/sockios.h>

#include "bifurcctl.h"

/* One interface: its index from the kernel, its state from sysfs. */
static int link_fill(const struct bctl *b, unsigned int ifindex,
		     const char *name, struct bctl_link *link)
{
	char rel[64 + IF_NAMESIZE];

	memset(link, 0, sizeof(*link));
	link->ifindex = (int)ifindex;
	bctl_strlcpy(link->name, name, sizeof(link->name));
	snprintf(rel, sizeof(rel), "class/net/%s/operstate", name);
	if (bctl_sys_read(b, rel, link->operstate, sizeof(link->operstate)) < 0)
		bctl_strlcpy(link->operstate, "unknown", sizeof(link->operstate));
	return 0;
}

static int cmp_ifindex(const void *x, const void *y)
{
	const struct bctl_link *a = x, *c = y;

	return (a->ifindex > c->ifindex) - (a->ifindex < c->ifindex);
}

static int real_link_list(const struct bctl *b, struct bctl_link **links,
			  size_t *n)
{
	struct if_nameindex *ni, *p;
	size_t k = 0;

	ni = if_nameindex();
	if (!ni)
		return -errno;
	for (p = ni; p->if_index; p++)
		k++;
	*links = calloc(k + 1, sizeof(**links));
	if (!*links) {
		if_freenameindex(ni);
		return -ENOMEM;
	}
	for (k = 0, p = ni; p->if_index; p++)
		link_fill(b, p->if_index, p->if_name, &(*links)[k++]);
	if_freenameindex(ni);
	qsort(*links, k, sizeof(**links), cmp_ifindex);
	*n = k;
	return 0;
}

static int real_link_get(const struct bctl *b, const char *name,
			 struct bctl_link *link)
{
	unsigned int ifindex;

	if (strlen(name) >= IF_NAMESIZE)
		return -ENODEV;
	ifindex = if_nametoindex(name);
	if (!ifindex)
		return errno == ENODEV || errno == ENXIO ? -ENODEV : -errno;
	return link_fill(b, ifindex, name, link);
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
	.link_list = real_link_list,
	.link_get = real_link_get,
	.ethtool = ioctl_ethtool,
	.attr_write = bctl_sys_write,
};

int main(int argc, char **argv)
{
	return bifurcctl_main(argc, argv, &bctl_backend_real);
}
