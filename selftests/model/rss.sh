#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Description: RSS (Toeplitz over the TCP/UDP 4-tuple, RETA) puts each flow
# on the queue the hash predicts: with a known key (`ethtool -X hkey`), the
# per-queue counts of many flows equal what selftests/lib/rss.py computes,
# and `ethtool -X ... weight` with a zero takes a queue out of the table.
# Uses as many queues as the driver offers, up to 4.
cd "$(dirname "$0")" && . ../lib/ktap.sh && . ../lib/model.sh && . ../lib/queues.sh

ktap_print_header
ktap_set_plan 6
setup_pair
setup_queues

RSS=$BIFURC_TOP/selftests/lib/rss.py
# Microsoft's RSS verification key: a random key (ixgbe's default) could
# happen to put every flow on one queue
MS_KEY=6d:5a:56:da:25:5b:0e:c2:41:67:25:3d:43:a3:8f:b0:d0:ca:2b:cb:ae:7b:30:b4:77:cb:2d:a3:80:30:f2:0c:6a:42:b7:3b:be:ac:01:fa

ktap_check "rss.py hashes Microsoft's verification vectors" python3 "$RSS" --verify
ktap_check "ethtool -X hkey" ip netns exec $NS_B ethtool -X "$B" hkey $MS_KEY

# 64 TCP connection attempts to closed ports: 64 flows, each a SYN that B
# receives on the queue its hash picks (and answers with a RST).
tcp_flows()
{
	ip netns exec $NS_A python3 "$FLOWS" syn $ADDR_B 20000 64 --sport 40000
}
TCP_PORTS="40000-40063 20000-20063"

# 64 UDP flows, the first 37 of which send 3 datagrams and the others 2, so
# that one flow on a wrong queue changes the counts.
udp_flows()
{
	send_udp $NS_A $ADDR_B 9999 165 --sports 30000-30063
}
UDP_PORTS="30000-30063 9999 165"

# as_predicted SENDER SPORTS DPORTS [COUNT]: every queue gets at least the
# packets rss.py predicts for the flows SENDER sends, and no more than 4
# others arrive (an ARP probe may land on queue 0); sets $deltas.
as_predicted()
{
	local sender=$1 want before after i total sum

	shift
	want=$(ip netns exec $NS_B ethtool -x "$B" | python3 "$RSS" $ADDR_A $ADDR_B "$@") || return 1
	sum=$(($(echo "$want" | tr ' ' +)))
	before=$(rx_queue_packets $NS_B "$B")
	$sender
	# wait for the count, not for a time: a loaded host runs the guest slowly
	for i in $(seq 100); do
		after=$(rx_queue_packets $NS_B "$B")
		deltas=$(queue_deltas "$before" "$after")
		total=$(($(echo "$deltas" | tr ' ' +)))
		[ "$total" -ge "$sum" ] && break
		sleep 0.1
	done
	echo "packets per RX queue: $deltas; predicted: $want"
	want=($want)
	i=0
	for d in $deltas; do
		[ "$d" -ge "${want[i]}" ] || return 1
		i=$((i + 1))
	done
	[ "$total" -le $((sum + 4)) ]
}

reach_all()
{
	as_predicted "$@" && [[ " $deltas " != *" 0 "* ]]
}
ktap_check "64 TCP flows reach all $NQ RX queues as the hash predicts" \
	reach_all tcp_flows $TCP_PORTS
ktap_check "ethtool -N rx-flow-hash udp4 sdfn" \
	ip netns exec $NS_B ethtool -N "$B" rx-flow-hash udp4 sdfn
ktap_check "64 UDP flows reach all $NQ RX queues as the hash predicts" \
	reach_all udp_flows $UDP_PORTS

last_queue_out()
{
	local ok=0

	ip netns exec $NS_B ethtool -X "$B" weight $(yes 1 | head -n $((NQ - 1))) 0 || return 1
	as_predicted tcp_flows $TCP_PORTS || ok=1
	ip netns exec $NS_B ethtool -X "$B" default
	set -- $deltas
	[ "$ok" = 0 ] && [ "${!NQ}" -eq 0 ]
}
ktap_check "ethtool -X weight with a final 0 empties queue $((NQ - 1))" last_queue_out

ktap_finished
