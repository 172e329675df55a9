#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Description: RSS (Toeplitz over the TCP/UDP 4-tuple, RETA) spreads many
# flows over every RX queue, and `ethtool -X ... weight` with a zero takes a
# queue out of the table.  Uses as many queues as the driver offers, up to 4.
cd "$(dirname "$0")" && . ../lib/ktap.sh && . ../lib/model.sh && . ../lib/queues.sh

ktap_print_header
ktap_set_plan 4
setup_pair
setup_queues

# 64 TCP connection attempts to closed ports: 64 flows, each a SYN that B
# receives on the queue its hash picks (and answers with a RST).
tcp_flows()
{
	ip netns exec $NS_A python3 "$FLOWS" syn $ADDR_B 20000 64
}

all_queues_used()
{
	local d

	for d in $1; do
		[ "$d" -gt 0 ] || return 1
	done
}

spread()
{
	local before after deltas

	before=$(rx_queue_packets $NS_B "$B")
	"$@"
	sleep 1
	after=$(rx_queue_packets $NS_B "$B")
	deltas=$(queue_deltas "$before" "$after")
	echo "packets per RX queue: $deltas"
	all_queues_used "$deltas"
}
ktap_check "64 TCP flows reach all $NQ RX queues" spread tcp_flows

udp_flows()
{
	send_udp $NS_A $ADDR_B 9999 128 --sports 30000-30063
}
ktap_check "ethtool -N rx-flow-hash udp4 sdfn" \
	ip netns exec $NS_B ethtool -N "$B" rx-flow-hash udp4 sdfn
ktap_check "64 UDP flows reach all $NQ RX queues" spread udp_flows

last_queue_out()
{
	local before after deltas

	ip netns exec $NS_B ethtool -X "$B" weight $(yes 1 | head -n $((NQ - 1))) 0 || return 1
	ip netns exec $NS_B ethtool -x "$B" | sed -n '/^ *0:/,/^$/p'
	before=$(rx_queue_packets $NS_B "$B")
	tcp_flows
	sleep 1
	after=$(rx_queue_packets $NS_B "$B")
	deltas=$(queue_deltas "$before" "$after")
	echo "packets per RX queue: $deltas"
	ip netns exec $NS_B ethtool -X "$B" default
	set -- $deltas
	[ "${!NQ}" -eq 0 ] && [ $(($(echo "$deltas" | tr ' ' +))) -ge 64 ]
}
ktap_check "ethtool -X weight with a final 0 empties queue $((NQ - 1))" last_queue_out

ktap_finished
