// SPDX-License-Identifier: GPL-2.0
/*
 * What a failed write to the bifurc sysfs attributes means.  The errno
 * values are the ones ixgbe_bifurc.c returns from reserve_store(),
 * release_store() and grant_store() (and open() of the attribute for
 * non-root).
 */
#include <errno.h>
#include <string.h>

#include "bifurcctl.h"

const char *bctl_reserve_errmsg(int err, bool reserve)
{
	switch (err) {
	case -EPERM:
	case -EACCES:
		return "needs root (CAP_NET_ADMIN)";
	case -ERANGE:
		return "queue out of range: the interface has fewer RX queues";
	case -EALREADY:
		return "queue already reserved";
	case -EADDRNOTAVAIL:
		return "queue not reserved";
	case -ENOSPC:
		return "it is the last RSS queue and the kernel stack needs one; "
		       "add queues with \"ethtool -L IF combined N\" first";
	case -EBUSY:
		return reserve ? "the queue is in use (an AF_XDP socket is bound to it)"
			       : "the queue is busy";
	case -EOPNOTSUPP:
		return "this adapter configuration cannot reserve queues: "
		       "SR-IOV, DCB, FCoE and macvlan offload must be off (see dmesg)";
	case -ENODEV:
		return "the device is going away";
	case -EINVAL:
		return "the kernel did not accept the queue number";
	}
	return strerror(-err);
}

/*
 * grant_store() checks in this order: the line (EINVAL), the id's mapping
 * into the writer's user namespace (EINVAL), CAP_NET_ADMIN (EPERM), the
 * queue (ERANGE, EADDRNOTAVAIL).  ENOENT is open() of an attribute that a
 * kernel before the v3 series does not have.
 */
const char *bctl_grant_errmsg(int err)
{
	switch (err) {
	case -EPERM:
	case -EACCES:
		return "needs root (CAP_NET_ADMIN)";
	case -ENOENT:
		return "this kernel's bifurc has no per-queue grants "
		       "(needs the v3 series)";
	case -ERANGE:
		return "queue out of range: the interface has fewer RX queues";
	case -EADDRNOTAVAIL:
		return "queue not reserved (a grant ends when the queue is released)";
	case -EINVAL:
		return "the kernel refused the id: it has no mapping in this "
		       "user namespace";
	case -ENODEV:
		return "the device is going away";
	}
	return strerror(-err);
}
