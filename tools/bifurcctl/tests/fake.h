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
 *
 * SRXCLSRLINS behaves like ixgbe: IPv4 TCP/UDP only (EINVAL otherwise),
 * one mask per port (EINVAL when the new rule's mask differs from the
 * existing rules'), a rule at an existing location replaces it.
 */
#ifndef BIFURCCTL_FAKE_H
#define BIFURCCTL_FAKE_H

#include "bifurcctl.h"

extern const struct bctl_backend bctl_backend_fake;

#endif
