#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Description: two emulated ports wired back to back, each in its own
# network namespace (gone from the init namespace, addressed, carrier, the
# driver reporting the model's 10 Gb/s link), carry ping, a UDP flow with
# checked payloads and a TCP stream with checksum and segmentation offloads
# on; the receiver sees no checksum error and the NIC's own counters agree
# on both sides.
cd "$(dirname "$0")" && . ../lib/ktap.sh && . ../lib/model.sh

ktap_print_header
ktap_set_plan 6
setup_pair

# What the cases below rely on, checked rather than assumed from
# setup_pair's return, the driver's own link report included.
ports_up()
{
	local ns dev addr eth

	for ns in $NS_A $NS_B; do
		if [ $ns = $NS_A ]; then dev=$A addr=$ADDR_A; else dev=$B addr=$ADDR_B; fi
		eth=$(ip netns exec $ns ethtool "$dev") &&
		[ ! -e "/sys/class/net/$dev" ] && link_is_up $ns "$dev" &&
		[[ $(ip -n $ns -o -4 addr show dev "$dev") == *" $addr/24 "* ]] &&
		[[ $eth == *"Speed: 10000Mb/s"* && $eth == *"Link detected: yes"* ]] ||
			{ echo "$dev in $ns:"; ip -n $ns -o addr show dev "$dev"; echo "$eth"; return 1; }
	done
}
ktap_check "ports up in two namespaces" ports_up

# rx_lost NS IF: frames the NIC missed for a full packet buffer (MPC).
# Those a queue dropped for want of a descriptor with SRRCTL.DROP_EN
# (QPRDC, rx_no_dma_resources) are in rx_pkts_nic: the 82599's GPRC counts
# every frame past the filters, and ixgbe subtracts only MPC from it.
rx_lost()
{
	ethtool_stat "$1" "$2" rx_missed_errors
}

# hw_counts: "A-sent B-received B-lost B-sent A-received A-lost
# A-sent-bytes B-received-bytes B-sent-bytes A-received-bytes", the NIC's
# own counters (GPTC, GPRC, GOTC, GORC and the above); reading folds them in.
hw_counts()
{
	echo "$(ethtool_stat $NS_A "$A" tx_pkts_nic) $(ethtool_stat $NS_B "$B" rx_pkts_nic)" \
	     "$(rx_lost $NS_B "$B") $(ethtool_stat $NS_B "$B" tx_pkts_nic)" \
	     "$(ethtool_stat $NS_A "$A" rx_pkts_nic) $(rx_lost $NS_A "$A")" \
	     "$(ethtool_stat $NS_A "$A" tx_bytes_nic) $(ethtool_stat $NS_B "$B" rx_bytes_nic)" \
	     "$(ethtool_stat $NS_B "$B" tx_bytes_nic) $(ethtool_stat $NS_A "$A" rx_bytes_nic)"
}

counts_before=$(hw_counts)
ktap_check "ping across the wire" ip netns exec $NS_A ping -c 5 -i 0.2 -W 2 $ADDR_B

udp_roundtrip()
{
	local out

	start_receiver $NS_B 9000 30 /tmp/udp.out --expect 200
	send_udp $NS_A $ADDR_B 9000 200 --size 1400
	wait
	out=$(cat /tmp/udp.out)
	echo "received, corrupt: $out"
	[ "$out" = "200 0" ]
}
ktap_check "200 UDP datagrams of 1400 bytes arrive intact" udp_roundtrip

offloads=$(ip netns exec $NS_A ethtool -k "$A" |
	grep -E '^(tx-checksumming|tcp-segmentation-offload|rx-checksumming):')
printf '%s\n' "$offloads" | sed 's/^/# /'

tcp_stream()
{
	local bytes

	ip netns exec $NS_B iperf3 -s -1 -D -p 5201 || return 1
	sleep 1
	bytes=$(ip netns exec $NS_A iperf3 -c $ADDR_B -p 5201 -t 5 -J |
		python3 -c 'import json,sys; print(int(json.load(sys.stdin)["end"]["sum_received"]["bytes"]))') || return 1
	echo "iperf3: $bytes bytes received in 5 s"
	[ "$bytes" -gt 1000000 ]
}
ktap_check "TCP stream with offloads on" tcp_stream

csum_errors()
{
	ip netns exec $NS_B nstat -az TcpInCsumErrors UdpInCsumErrors |
		awk '/CsumErrors/ { n += $2 } END { print n + 0 }'
}
ktap_check "receiver saw no checksum error" test "$(csum_errors)" -eq 0

# What one side sent while both were up, the other received or missed.
counters_agree()
{
	local -a b a d
	local i

	sleep 2 # let the TCP close and queued frames drain
	read -ra b <<< "$counts_before"
	read -ra a <<< "$(hw_counts)"
	for i in "${!a[@]}"; do
		d[i]=$((a[i] - b[i]))
	done
	echo "A sent ${d[0]}, B received ${d[1]} (lost ${d[2]}); B sent ${d[3]}, A received ${d[4]} (lost ${d[5]})"
	echo "bytes: A sent ${d[6]}, B received ${d[7]}; B sent ${d[8]}, A received ${d[9]}"
	[ "${d[0]}" -gt 0 ] && [ "${d[0]}" -eq $((d[1] + d[2])) ] && [ "${d[3]}" -eq $((d[4] + d[5])) ] &&
	# with nothing lost, every byte sent arrived
	{ [ "${d[2]}" -ne 0 ] || [ "${d[6]}" -eq "${d[7]}" ]; } &&
	{ [ "${d[5]}" -ne 0 ] || [ "${d[8]}" -eq "${d[9]}" ]; }
}
ktap_check "hardware packet and byte counters agree across the wire" counters_agree

ktap_finished
