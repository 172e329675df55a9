#!/bin/bash
# What `make demo` shows inside the guest: the emulated 82599 ports on PCI,
# our ixgbe.ko binding to them, traffic between the two ports (each in its
# own network namespace), and a Flow Director rule moving one UDP flow to
# the queue RSS does not pick for it.
. "$BIFURC_TOP/selftests/lib/model.sh"

show()
{
	echo
	echo "\$ $*"
	"$@" 2>&1
}

echo "guest kernel $(uname -r)"
show lspci -nn -d 8086:
load_ixgbe || { echo "ixgbe did not load"; exit 1; }
show sh -c "dmesg | grep -i ixgbe"
mapfile -t ports < <(ixgbe_ports)
A=${ports[0]} B=${ports[1]}
split_ports "$A" "$B" || { echo "ports did not come up"; exit 1; }
show ip netns exec $NS_A ethtool "$A"
show ip netns exec $NS_A ping -c 3 $ADDR_B

queue_counts()
{
	show sh -c "ip netns exec $NS_B ethtool -S $B | grep -E 'rx_queue_[01]_packets|fdir_match'"
}

echo
echo "# 50 datagrams to UDP port 8888 go where RSS sends them:"
send_udp $NS_A $ADDR_B 8888 50
queue_counts
rss_queue=$(ip netns exec $NS_B ethtool -S "$B" |
	awk '/rx_queue_[01]_packets/ { split($1, q, "_"); if ($2 > max) { max = $2; best = q[3] } } END { print best }')
other=$((1 - rss_queue))
echo
echo "# steer UDP port 7777 to queue $other, away from RSS's choice (queue $rss_queue):"
show ip netns exec $NS_B ethtool -K "$B" ntuple on
show ip netns exec $NS_B ethtool -N "$B" flow-type udp4 dst-port 7777 action $other
show ip netns exec $NS_B ethtool -n "$B"
echo
echo "# 50 datagrams to port 7777 now land on queue $other:"
send_udp $NS_A $ADDR_B 7777 50
queue_counts
join_ports
