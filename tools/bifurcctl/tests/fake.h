/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The test backend: interfaces come from the fake sysfs tree
 * (<root>/class/net/<if>/ifindex, operstate), and ethtool requests are
 * answered from files in <root>/fake-ethtool/<if>/:
 *
 *   ntuple     "0" / "1" (ETHTOOL_GFLAGS); absent: EOPNOTSUPP
 *   rings      ETHTOOL_GRXRINGS
 *   table      rule table size; absent: every rule request EOPNOTSUPP
 *   rules      struct ethtool_rx_flow_spec[], binary, any order
 *   ins_errno  if present, SRXCLSRLINS fails with this errno
 *   stats      "name value" lines (GDRVINFO n_stats, GSTRINGS, GSTATS)
 *   step       if present, every GSTATS adds this to each value after
 *              reporting it (so "-w" sees a rate)
 *   grant_errno  if present, a write to the grant attribute with a
 *              well-formed line fails with this errno (1: EPERM, the
 *              writer without CAP_NET_ADMIN)
 *   writes     if present, every write to a class device attribute
 *              (attr_write) appends "<attr> <value>" to it, refused or
 *              not, so that a test can tell nothing was written
 *
 * SRXCLSRLINS behaves like ixgbe: IPv4 TCP/UDP only (EINVAL otherwise),
 * one mask per port (EINVAL when the new rule's mask differs from the
 * existing rules'), a rule at an existing location replaces it.
 *
 * Writes to the class device's attributes (attr_write) get the answers
 * of ixgbe_bifurc.c, and the plain files of the tree change as the
 * kernel's state would:
 *   any        ENOENT if the file is absent (a kernel without it)
 *   reserve    ERANGE (no such RX queue: "rings"), EALREADY, ENOSPC (the
 *              last unreserved queue); adds the queue to "reserved"
 *   release    EADDRNOTAVAIL; takes the queue out of "reserved" and
 *              "attached" and ends its grant
 *   grant      EINVAL (malformed line, id 4294967295, a port range
 *              outside 1 <= lo <= hi <= 65535), grant_errno, ERANGE,
 *              EADDRNOTAVAIL; rewrites "grant" as grant_show() (v7
 *              series) prints it: "<queue> user|group <id>" lines, with
 *              " ports <lo>-<hi>" when the grant names ports, queue order
 * reserve and release keep the last value written, for the tests.
 */
#ifndef BIFURCCTL_FAKE_H
#define BIFURCCTL_FAKE_H

#include "bifurcctl.h"

extern const struct bctl_backend bctl_backend_fake;

#endif
