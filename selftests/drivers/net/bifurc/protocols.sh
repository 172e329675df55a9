#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Description: what else arrives on a steered flow (issue 18): 802.1Q
# tagged frames, jumbo frames spread over several buffers, IP fragments,
# and IPv6 next to a steered IPv4 flow.  The app is libbifurc's dump,
# whose pcap file is checked frame by frame against what flows.py sent.
#
#   namespace bifurc-a                namespace bifurc-b
#   +---------------------+           +----------------------------------+
#   | port A  10.77.0.1   |--- hub ---| port B  10.77.0.2                |
#   | A.100   10.78.0.1   |           | B.100   10.78.0.2                |
#   | fd77::1             |           | fd77::2                          |
#   | flows.py send, ping |           |   queue Q: dump (udp PORT -> Q)  |
#   +---------------------+           +----------------------------------+
#
# Cases, one TAP line each:
#   VLAN_STEERED      N datagrams to PORT over VLAN 100: the port's rule
#                     steers them to Q, dump writes N frames, each with
#                     its tag of VLAN 100 after the MAC addresses (the NIC
#                     strips it and bifurc reports it, and dump puts it
#                     back) and the payload flows.py sent
#   VLAN_KERNEL       meanwhile the kernel's VLAN device answers 3 of 3
#                     pings over VLAN 100
#   JUMBO_BUFFERS     MTU 9000 on both ports: N datagrams of 8,000 bytes
#                     reach dump, each gathered from the buffers of 2 KiB
#                     it spans, UDP checksum and payload intact
#   FRAGMENTS         N datagrams of 3,000 bytes to the steered port at
#                     MTU 1500, three IPv4 fragments each: the 82599
#                     matches its rules on unfragmented datagrams only, so
#                     none reaches dump (0 frames) and the stack gets all
#                     3N fragments and reassembles N datagrams (IP
#                     ReasmReqds +3N, ReasmOKs +N).  A flow that fragments
#                     is not bypassed.
#   IPV6_NEXT_TO_V4   IPv6 on both ports: 5 of 5 pings to fd77::2 while
#                     dump receives N steered IPv4 datagrams
#   IPV6_RULE_REFUSED bifurcctl steer add B udp6 ... fails with exit 1 and
#                     says ixgbe has no IPv6 ntuple rules; no rule is added
#
# Needs: CONFIG_IXGBE_BIFURC=y, root, ethtool, python3; bifurcctl and the
# libbifurc examples built.  Skips (exit 4) without bifurc.
cd "$(dirname "$0")" || exit 1
export BIFURC_TOP=${BIFURC_TOP:-$(cd ../../../.. && pwd)}
. ../../../lib/ktap.sh && . ../../../lib/model.sh

TOP=$BIFURC_TOP
CTL=$TOP/tools/bifurcctl/build/bifurcctl
DUMP=$TOP/lib/libbifurc/build/examples/dump
CHECK=$TOP/selftests/lib/pcapcheck.py
export LD_LIBRARY_PATH=$TOP/lib/libbifurc/build${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
N=20 PORT=9500
VA=10.78.0.1 VB=10.78.0.2 SA=fd77::1 SB=fd77::2
TMP=$(mktemp -d)
QUEUE="" CD=""

trap release_queue EXIT
trap 'exit 130' INT TERM

ktap_print_header
[ -x "$CTL" ] || ktap_exit_fail_msg "$CTL not built (make -C tools/bifurcctl)"
[ -x "$DUMP" ] || ktap_exit_fail_msg "$DUMP not built (make -C lib/libbifurc examples)"
bifurc_pair
reserve_queue
ktap_print_msg "$B queue $QUEUE of $NQ; A=$A $ADDR_A, B=$B $ADDR_B"
ktap_set_plan 6

ina() { ip netns exec $NS_A "$@"; }
inb() { ip netns exec $NS_B "$@"; }

# dumped NAME PORT DST SIZE [PCAPCHECK ARGS...]: dump on queue Q steers
# udp PORT there and writes N frames to $TMP/NAME.pcap while flows.py
# sends N datagrams of SIZE bytes to DST:PORT; then pcapcheck.py
dumped()
{
	local name=$1 port=$2 dst=$3 size=$4 pid

	shift 4
	ip netns exec $NS_B "$DUMP" -i "$B" -q "$QUEUE" -c $N -w "$TMP/$name.pcap" \
		udp "$port" 2> "$TMP/$name.err" &
	pid=$!
	wait_for 150 grep -q "^dump: capturing" "$TMP/$name.err" ||
		{ kill -INT $pid; wait $pid; echo "dump: $(cat "$TMP/$name.err")"; return 1; }
	# pcapcheck wants the datagrams in the order sent, so nothing on A
	# may reorder them: its neighbour entry for dst is resolved first
	# (datagrams sent while it resolves wait in its queue, and one sent
	# as it turns valid can overtake them from the other CPU), and the
	# sender stays on one CPU, so XPS gives it one TX queue
	ina ping -c 1 -W 2 "$dst" > /dev/null
	ina taskset -c 0 python3 -S "$FLOWS" send "$dst" "$port" $N --size "$size" ||
		{ kill -INT $pid; wait $pid; return 1; }
	# N frames end dump; a lost one would leave it waiting
	wait_for 300 eval "! kill -0 $pid 2> /dev/null" ||
		{ kill -INT $pid; echo "dump still waiting: $(cat "$TMP/$name.err")"; }
	wait $pid || { echo "dump exit $?: $(cat "$TMP/$name.err")"; return 1; }
	python3 -S "$CHECK" "$TMP/$name.pcap" $N "$size" "$@"
}

# --- VLAN 100 ----------------------------------------------------------

vlan_up()
{
	local ns=$1 dev=$2 addr=$3

	ip -n "$ns" link add link "$dev" name "$dev.100" type vlan id 100 &&
	ip -n "$ns" addr add "$addr/24" dev "$dev.100" &&
	ip -n "$ns" link set "$dev.100" up
}

t_vlan()
{
	vlan_up $NS_A "$A" $VA && vlan_up $NS_B "$B" $VB || return 1
	dumped vlan $PORT $VB 100 --vlan 100
}

t_vlan_kernel()
{
	local got

	got=$(ina ping -c 3 -i 0.3 -W 2 $VB | sed -n 's/.* \([0-9]*\) received.*/\1/p')
	[ "$got" = 3 ] || { echo "${got:-no} of 3 pings over VLAN 100 answered"; return 1; }
}

# a kernel without 802.1Q says so (testbed/skips.allow names the guest)
if ip -n $NS_A link add link "$A" name vlanprobe type vlan id 4094 2> /dev/null; then
	ip -n $NS_A link del vlanprobe
	ktap_check "VLAN_STEERED: $N datagrams over VLAN 100 reach dump on queue $QUEUE with their tag" t_vlan
	ktap_check "VLAN_KERNEL: the kernel's VLAN device answers 3 of 3 pings" t_vlan_kernel
else
	ktap_test_skip VLAN_STEERED "kernel without 802.1Q (CONFIG_VLAN_8021Q)"
	ktap_test_skip VLAN_KERNEL "kernel without 802.1Q (CONFIG_VLAN_8021Q)"
fi

# --- jumbo frames, several buffers each ---------------------------------

set_mtu()
{
	ip -n $NS_A link set "$A" mtu "$1" && ip -n $NS_B link set "$B" mtu "$1" &&
	wait_for 100 link_is_up $NS_A "$A" && wait_for 100 link_is_up $NS_B "$B"
}

t_jumbo()
{
	local r=0

	set_mtu 9000 || { echo "MTU 9000 refused"; return 1; }
	dumped jumbo $((PORT + 1)) $ADDR_B 8000 || r=1
	set_mtu 1500 || r=1
	return $r
}
ktap_check "JUMBO_BUFFERS: $N datagrams of 8000 bytes at MTU 9000, gathered whole from 2 KiB buffers" t_jumbo

# --- IP fragments ---------------------------------------------------------

# ip_stat NAME: B's IP counter NAME (/proc/net/snmp)
ip_stat() { inb awk -v n="$1" '/^Ip:/ { if (!h) { split($0, k); h = 1 } else { split($0, v); for (i in k) if (k[i] == n) print v[i] } }' /proc/net/snmp; }

reassembled() { [ $(($(ip_stat ReasmOKs) - $1)) -ge "$2" ]; }

t_fragments()
{
	local q0 k0 q1 k1 pid

	q0=$(ip_stat ReasmReqds) k0=$(ip_stat ReasmOKs)
	ip netns exec $NS_B "$DUMP" -i "$B" -q "$QUEUE" -c 1 -w "$TMP/frag.pcap" \
		udp $((PORT + 2)) 2> "$TMP/frag.err" &
	pid=$!
	wait_for 150 grep -q "^dump: capturing" "$TMP/frag.err" ||
		{ kill -INT $pid; wait $pid; echo "dump: $(cat "$TMP/frag.err")"; return 1; }
	ina python3 -S "$FLOWS" send $ADDR_B $((PORT + 2)) $N --size 3000 || return 1
	wait_for 150 reassembled "$k0" $N
	kill -INT $pid 2> /dev/null
	wait $pid
	q1=$(ip_stat ReasmReqds) k1=$(ip_stat ReasmOKs)
	grep -q "^dump: 0 frames" "$TMP/frag.err" ||
		{ echo "dump: $(tail -n 1 "$TMP/frag.err")"; return 1; }
	[ $((q1 - q0)) -eq $((3 * N)) ] && [ $((k1 - k0)) -eq $N ] ||
		{ echo "the stack's ReasmReqds $q0 -> $q1 (want +$((3 * N))), ReasmOKs $k0 -> $k1 (want +$N)"; return 1; }
}
ktap_check "FRAGMENTS: $N fragmented datagrams to the steered port all reach the stack, reassembled; none to dump" t_fragments

# --- IPv6 next to the steered IPv4 flow -----------------------------------

v6_up()
{
	local ns=$1 dev=$2 addr=$3

	ip netns exec "$ns" sysctl -qw "net.ipv6.conf.$dev.disable_ipv6=0" &&
	ip -n "$ns" addr add "$addr/64" dev "$dev" nodad
}

t_v6()
{
	local got pid r=0

	v6_up $NS_A "$A" $SA && v6_up $NS_B "$B" $SB || return 1
	ip netns exec $NS_B "$DUMP" -i "$B" -q "$QUEUE" -c $N -w "$TMP/v4.pcap" \
		udp $((PORT + 3)) 2> "$TMP/v4.err" &
	pid=$!
	wait_for 150 grep -q "^dump: capturing" "$TMP/v4.err" || r=1
	got=$(ina ping -6 -c 5 -i 0.3 -W 2 $SB | sed -n 's/.* \([0-9]*\) received.*/\1/p')
	ina python3 -S "$FLOWS" send $ADDR_B $((PORT + 3)) $N --size 100 || r=1
	wait_for 300 eval "! kill -0 $pid 2> /dev/null" || kill -INT $pid
	wait $pid || r=1
	[ "$got" = 5 ] || { echo "${got:-no} of 5 IPv6 pings answered"; r=1; }
	python3 -S "$CHECK" "$TMP/v4.pcap" $N 100 || r=1
	return $r
}
ktap_check "IPV6_NEXT_TO_V4: 5 of 5 IPv6 pings answered while $N steered IPv4 datagrams reach dump" t_v6

t_v6_rule()
{
	local before

	before=$(inb ethtool -n "$B" | grep -c '^Filter:')
	inb "$CTL" steer add "$B" udp6 dst-ip $SB dst-port $PORT queue "$QUEUE" > "$TMP/out" 2> "$TMP/err"
	[ $? -eq 1 ] && grep -q "has no IPv6 ntuple rules" "$TMP/err" ||
		{ echo "bifurcctl: $(cat "$TMP/out" "$TMP/err")"; return 1; }
	[ "$(inb ethtool -n "$B" | grep -c '^Filter:')" = "$before" ] ||
		{ echo "a rule was added"; return 1; }
}
ktap_check "IPV6_RULE_REFUSED: steer add udp6 exits 1 naming the 82599's IPv4-only perfect filters" t_v6_rule

ktap_finished
