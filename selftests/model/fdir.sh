#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Description: Flow Director perfect filters: `ethtool -N ... action Q`
# moves one UDP flow to queue Q and only there, `ethtool -n` lists the rule,
# deleting it gives the flow back to RSS, and `action -1` drops the flow in
# the NIC.
cd "$(dirname "$0")" && . ../lib/ktap.sh && . ../lib/model.sh && . ../lib/queues.sh

ktap_print_header
ktap_set_plan 7
setup_pair
setup_queues ntuple

# send_flow: 40 datagrams to port 7777; sets $deltas (per queue) and
# $received (at B's socket).
send_flow()
{
	local before after

	before=$(rx_queue_packets $NS_B "$B")
	start_receiver $NS_B 7777 5 /tmp/fdir.out --expect 40
	send_udp $NS_A $ADDR_B 7777 40 --sports 40000-40000
	wait
	after=$(rx_queue_packets $NS_B "$B")
	deltas=$(queue_deltas "$before" "$after")
	received=$(cut -d' ' -f1 /tmp/fdir.out)
	ktap_print_msg "per-queue deltas: $deltas; socket received $received"
}

# busiest DELTAS: index of the largest element.
busiest()
{
	local -a d=($1)
	local i best=0

	for i in "${!d[@]}"; do
		[ "${d[i]}" -gt "${d[best]}" ] && best=$i
	done
	echo "$best"
}

queue_got_flow()
{
	local -a d=($deltas)

	[ "${d[$1]}" -ge 40 ] && [ "$received" -eq 40 ]
}

send_flow
home=$(busiest "$deltas")
target=$(((home + 1) % NQ))
ktap_print_msg "RSS puts the flow on queue $home; steering it to queue $target"

rule=$(ip netns exec $NS_B ethtool -N "$B" flow-type udp4 dst-port 7777 action $target |
	sed -n 's/.*ID \([0-9]*\).*/\1/p')
send_flow
ktap_check "rule steers the flow to queue $target" queue_got_flow $target
listed()
{
	ip netns exec $NS_B ethtool -n "$B" |
		awk -v f="Filter: $rule" '$0 == f { on = 1 } on && /^$/ { exit } on' |
		grep -q "Action: Direct to queue $target"
}
ktap_check "ethtool -n lists the rule" listed

ktap_check "ethtool -N delete $rule" ip netns exec $NS_B ethtool -N "$B" delete "$rule"
send_flow
ktap_check "deleting the rule gives the flow back to queue $home" queue_got_flow $home

match_before=$(ethtool_stat $NS_B "$B" fdir_match)
drop=$(ip netns exec $NS_B ethtool -N "$B" flow-type udp4 dst-port 7777 action -1 |
	sed -n 's/.*ID \([0-9]*\).*/\1/p')
send_flow
match_after=$(ethtool_stat $NS_B "$B" fdir_match)
ktap_check "action -1 drops the flow in the NIC" test "$received" -eq 0
ktap_check "fdir_match counts the dropped packets" test $((match_after - match_before)) -ge 40
ktap_check "drop rule deletes" ip netns exec $NS_B ethtool -N "$B" delete "$drop"

ktap_finished
