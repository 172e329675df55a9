#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Description: the port survives what admins do to it: a link flap from the
# QEMU monitor is seen by the driver (carrier off, then on), and after
# `ethtool -L`, `ethtool -G`, `ip link set down/up` and an ixgbe reload the
# two ports still pass traffic.
cd "$(dirname "$0")" && . ../lib/ktap.sh && . ../lib/model.sh

ktap_print_header
ktap_set_plan 6
setup_pair

carrier_is()
{
	[ "$(ip netns exec $NS_A cat /sys/class/net/$A/carrier)" = "$1" ]
}

flap()
{
	hostctl set_link nic0 "$1" && wait_for 100 carrier_is "$2"
}
ktap_check "set_link off drops the carrier" flap off 0
ktap_check "set_link on restores it" flap on 1

pings()
{
	wait_for 100 link_is_up $NS_A "$A" && wait_for 100 link_is_up $NS_B "$B" &&
	ip netns exec $NS_A ping -c 3 -i 0.3 -W 2 $ADDR_B
}

channels()
{
	ip netns exec $NS_A ethtool -L "$A" combined 1 &&
	ip netns exec $NS_B ethtool -L "$B" combined 1 && pings
}
ktap_check "traffic after ethtool -L combined 1" channels

rings()
{
	ip netns exec $NS_A ethtool -G "$A" rx 1024 tx 1024 && pings
}
ktap_check "traffic after ethtool -G rx 1024 tx 1024" rings

down_up()
{
	ip -n $NS_A link set "$A" down && ip -n $NS_A link set "$A" up && pings
}
ktap_check "traffic after ip link set down/up" down_up

reload_and_ping()
{
	join_ports && unload_ixgbe && setup_pair && pings
}
ktap_check "traffic after rmmod ixgbe and a new load" reload_and_ping

ktap_finished
