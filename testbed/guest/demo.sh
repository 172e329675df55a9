#!/bin/bash
# What `make demo` shows inside the guest: Debian's kernel with our ixgbe.ko
# on two emulated 82599 ports wired back to back (each port in its own
# network namespace), one RX queue of port B reserved for an application,
# a UDP flow steered to it and received there with no copy, while ping and
# every other flow keep going through the kernel on the same port.
. "$BIFURC_TOP/selftests/lib/model.sh"

CTL=$BIFURC_TOP/tools/bifurcctl/build/bifurcctl
RXDROP=$BIFURC_TOP/lib/libbifurc/build/examples/rxdrop
export LD_LIBRARY_PATH=$BIFURC_TOP/lib/libbifurc/build
OUT=$(mktemp -d)

show()
{
	echo
	echo "\$ $*"
	"$@" 2>&1
}
inb() { ip netns exec $NS_B "$@"; }
# in B's namespace, shown as what an administrator would type
bifurcctl() { ip netns exec $NS_B "$CTL" "$@"; }

echo "guest kernel $(uname -r)"
show lspci -nn -d 8086:
load_ixgbe || { echo "ixgbe did not load"; exit 1; }
mapfile -t ports < <(ixgbe_ports)
A=${ports[0]} B=${ports[1]}
split_ports "$A" "$B" || { echo "ports did not come up"; exit 1; }
show ip netns exec $NS_A ping -c 2 $ADDR_B

echo
echo "# reserve the last RX queue of $B for applications: RSS, ATR and the"
echo "# stack's transmit path stop using it"
inb ethtool -K "$B" ntuple on
wait_for 100 link_is_up $NS_B "$B"
NQ=$(inb ethtool -l "$B" | awk '/^Current/ { c = 1 } c && /^Combined:/ { print $2; exit }')
Q=$((NQ - 1))
show bifurcctl reserve "$B" queue $Q
show bifurcctl steer add "$B" udp4 dst-port 7777 queue $Q
show bifurcctl dev "$B"

echo
echo "# rxdrop (lib/libbifurc/examples) attaches queue $Q: zero copy, no"
echo "# system call per packet"
ip netns exec $NS_B "$RXDROP" -t 120 "$B" $Q > "$OUT/rxdrop" 2>&1 &
rx=$!
sleep 2
start_receiver $NS_B 8888 60 "$OUT/kernel" --expect 100
echo
echo "# 200 datagrams to port 7777 (steered) and 100 to port 8888 (not), and"
echo "# a ping, all on port $B at once"
send_udp $NS_A $ADDR_B 7777 200 > /dev/null &
s1=$!
send_udp $NS_A $ADDR_B 8888 100 > /dev/null &
s2=$!
show ip netns exec $NS_A ping -c 3 $ADDR_B
wait $s1 $s2
wait_for 100 test -s "$OUT/kernel"
sleep 1
kill -INT $rx; wait $rx
echo
echo "# what rxdrop received:"
grep -E '^(rxdrop|total)' "$OUT/rxdrop" | sed 's/^/  /'
echo "# what a kernel UDP socket on port 8888 received: $(cut -d' ' -f1 "$OUT/kernel") of 100"
kill -TERM $(jobs -p) 2>/dev/null; wait 2>/dev/null
show bifurcctl stats "$B" queue $Q
show bifurcctl release "$B" queue $Q
join_ports
rm -rf "$OUT"
