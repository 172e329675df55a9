#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Description: a sender faster than the receiver.  The model's packet
# source offers 40,000 frames to port B in bursts of 16,384 per 1 ms tick,
# far more than B's 512-descriptor ring takes before the guest can run.
# Every frame must be accounted for, exactly, by what the NIC and the
# driver count, as on an 82599 (datasheet 8.2.3.23):
#   offered = rx_pkts_nic (GPRC - MPC) + rx_missed_errors (MPC)
#   rx_pkts_nic = rx_packets (taken from the rings) + rx_no_dma_resources
#                 (QPRDC: dropped by a queue without descriptors)
# With pause frames on, ixgbe leaves SRRCTL.DROP_EN clear: frames wait in
# the packet buffer and, once it is full, are missed (MPC > 0, QPRDC 0).
# With pause off and two queues, ixgbe sets DROP_EN: the queue drops them
# at once (QPRDC > 0) and the packet buffer never fills (MPC 0).
cd "$(dirname "$0")" && . ../lib/ktap.sh && . ../lib/model.sh

FRAMES=40000
PORT=9200       # nothing listens: the stack counts and drops them
BALANCE=/tmp/overload.balance

ktap_print_header
ktap_set_plan 2
setup_pair

qom()
{
	hostctl "qom-$1" nic1 "pktgen-$2" ${3:+"$3"}
}

settled()
{
	[ "$(qom get run)" = false ] &&
	[ $(($(qom get delivered) + $(qom get dropped))) -eq "$(qom get offered)" ]
}

# counts: "rx_pkts_nic rx_missed_errors rx_packets rx_no_dma_resources"
counts()
{
	ip netns exec $NS_B ethtool -S "$B" | awk '
		$1 == "rx_pkts_nic:" { n = $2 } $1 == "rx_missed_errors:" { m = $2 }
		$1 == "rx_packets:" { p = $2 } $1 == "rx_no_dma_resources:" { d = $2 }
		END { print n + 0, m + 0, p + 0, d + 0 }'
}

# overload PAUSE: PAUSE is "on" or "off"; prints the balance (also to
# $BALANCE) and sets the deltas nic, missed, taken, qdrop and offered.
overload()
{
	local -a c0 c1
	local prev cur n

	ip netns exec $NS_B ethtool -A "$B" autoneg off rx "$1" tx "$1" || return 1
	wait_for 150 link_is_up $NS_B "$B" || { echo "$B did not come back"; return 1; }
	# nothing but the source on B's wire: A's port down
	ip -n $NS_A link set "$A" down
	read -ra c0 <<< "$(counts)"
	qom set dst-ip $ADDR_B && qom set src-ip 10.77.0.100 &&
	qom set dst-port $PORT && qom set flows 1 && qom set size 60 &&
	qom set rate 0 && qom set duration-ms 0 && qom set count $FRAMES &&
	qom set run true || return 1
	wait_for 300 settled || { echo "the source did not settle"; return 1; }
	# until the driver has taken what its rings hold
	cur=$(counts)
	for n in $(seq 50); do
		sleep 0.2
		prev=$cur cur=$(counts)
		[ "$cur" = "$prev" ] && break
	done
	read -ra c1 <<< "$cur"
	ip -n $NS_A link set "$A" up
	offered=$(qom get offered)
	nic=$((c1[0] - c0[0])) missed=$((c1[1] - c0[1]))
	taken=$((c1[2] - c0[2])) qdrop=$((c1[3] - c0[3]))
	echo "pause $1: offered $offered = rx_pkts_nic $nic + missed $missed;" \
	     "rx_pkts_nic = taken $taken + queue drops $qdrop;" \
	     "source: delivered $(qom get delivered), dropped $(qom get dropped)" |
		tee "$BALANCE"
	[ "$offered" -eq "$FRAMES" ] &&
	[ $((nic + missed)) -eq "$offered" ] && [ $((taken + qdrop)) -eq "$nic" ]
}

missed_when_paused()
{
	overload on && [ "$missed" -gt 0 ] && [ "$qdrop" -eq 0 ]
}
ktap_check "pause on (DROP_EN clear): offered = taken + missed (MPC > 0), exactly" missed_when_paused
ktap_print_msg "$(cat $BALANCE)"

dropped_by_queue()
{
	overload off && [ "$qdrop" -gt 0 ] && [ "$missed" -eq 0 ]
}
ktap_check "pause off (DROP_EN set): offered = taken + queue drops (QPRDC > 0), exactly" dropped_by_queue
ktap_print_msg "$(cat $BALANCE)"
ip netns exec $NS_B ethtool -A "$B" autoneg on rx on tx on

ktap_finished
