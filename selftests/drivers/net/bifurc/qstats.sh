#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Description: a bifurc queue's traffic is the interface's.  The stack's
# own views, read by clients that know nothing of bifurc, count it: netdev
# qstats (the kernel's ynl CLI, QSTATS_GET per queue) and ip -s link.
#
#   QSTATS_RX     udp-echo attached RX+TX on reserved queue Q answers N
#                 datagrams from A: qstats rx-packets of queue Q grows by
#                 N and rx-bytes by N frames, exactly as the attachment's
#                 own bifurc_qQ_rx_* counters
#   QSTATS_TX     qstats tx-packets and tx-bytes of queue Q grow by the
#                 N answers, as bifurc_qQ_tx_*
#   LINK_STATS    ip -s link's rx and tx packets of B grow by at least N
#
# Needs: CONFIG_IXGBE_BIFURC=y, root, ethtool, iproute2, python3 with
# yaml; the kernel tree's tools/net/ynl (testbed/build-kernel.sh source
# unpacks it); the examples built.
cd "$(dirname "$0")" || exit 1
export BIFURC_TOP=${BIFURC_TOP:-$(cd ../../../.. && pwd)}
. ../../../lib/ktap.sh && . ../../../lib/model.sh

TOP=$BIFURC_TOP
ECHO=$TOP/lib/libbifurc/build/examples/udp-echo
EXPY=$TOP/selftests/lib/examples.py
export LD_LIBRARY_PATH=$TOP/lib/libbifurc/build${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
PORT=9420 N=40
TMP=$(mktemp -d)
QUEUE='' CD=''

cleanup()
{
	local pid

	for pid in $(jobs -p); do kill -INT "$pid" 2>/dev/null; done
	wait 2>/dev/null
	[ -n "$CD" ] && [ -n "$QUEUE" ] && echo "$QUEUE" > "$CD/release" 2>/dev/null
	join_ports
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

inb() { ip netns exec $NS_B "$@"; }

# the kernel tree the test bed built from: ynl and its netdev spec (the
# guest's init exports the host's BIFURC_CACHE)
LINUX_SRC=${BIFURC_CACHE:-$HOME/.cache/bifurc}/linux/src

# qstats DIR: "packets bytes" of queue Q in direction rx or tx, from ynl
qstats()
{
	# ynl needs yaml from dist-packages: no -S
	inb python3 "$LINUX_SRC/tools/net/ynl/cli.py" --no-schema --output-json \
		--spec "$LINUX_SRC/Documentation/netlink/specs/netdev.yaml" \
		--dump qstats-get --json "{\"ifindex\": $IFINDEX, \"scope\": \"queue\"}" |
	python3 -S -c '
import json, sys
d, q = sys.argv[1], int(sys.argv[2])
for e in json.load(sys.stdin):
    if e.get("queue-type") == d and e.get("queue-id") == q:
        print(e.get(d + "-packets", "none"), e.get(d + "-bytes", "none"))
        break
else:
    print("none none")' "$1" "$QUEUE" 2>/dev/null || echo "none none"
}

# bifurc DIR: "packets bytes" of the attachment counters, ethtool -S
bifurc()
{
	inb ethtool -S "$B" | awk -v p="bifurc_q${QUEUE}_$1_packets:" \
		-v b="bifurc_q${QUEUE}_$1_bytes:" '$1 == p { n = $2 } $1 == b { m = $2 }
		END { print n + 0, m + 0 }'
}

# link_stats: "rx_packets tx_packets" of B, from ip -s -j link
link_stats()
{
	inb ip -s -j link show dev "$B" | python3 -S -c '
import json, sys
s = json.load(sys.stdin)[0]["stats64"]
print(s["rx"]["packets"], s["tx"]["packets"])'
}

ktap_print_header
[ -x "$ECHO" ] || ktap_exit_fail_msg "$ECHO not built (make -C lib/libbifurc examples)"
[ -f "$LINUX_SRC/tools/net/ynl/cli.py" ] ||
	ktap_exit_fail_msg "no $LINUX_SRC/tools/net/ynl (testbed/build-kernel.sh source)"
python3 -c 'import yaml' 2>/dev/null || ktap_exit_fail_msg "ynl needs python3-yaml"
setup_pair
trap cleanup EXIT
inb ethtool -K "$B" ntuple on || ktap_exit_fail_msg "ethtool -K $B ntuple on"
wait_for 100 link_is_up $NS_B "$B" || ktap_exit_fail_msg "$B has no carrier after ntuple on"
NQ=$(inb ethtool -l "$B" | awk '/^Current/ { c = 1 } c && /^Combined:/ { print $2; exit }')
[ "${NQ:-1}" -ge 2 ] || ktap_exit_fail_msg "$B has ${NQ:-no} queues: nothing to reserve"
QUEUE=$((NQ - 1))
IFINDEX=$(inb cat /sys/class/net/"$B"/ifindex)
CD=$(inb sh -c "readlink -f /sys/class/net/$B/device/bifurc/bifurc-*")
echo "$QUEUE" > "$CD/reserve" || ktap_exit_fail_msg "cannot reserve queue $QUEUE of $B"
ktap_set_plan 3

# not through inb: a background function ignores SIGINT
ip netns exec $NS_B "$ECHO" -i "$B" -q "$QUEUE" -p $PORT > "$TMP/echo.out" 2>&1 &
pid=$!
wait_for 150 grep -q ' mode tx' "$TMP/echo.out" ||
	ktap_exit_fail_msg "udp-echo did not start in tx mode: $(cat "$TMP/echo.out")"
read -r qrx0 qrxb0 <<< "$(qstats rx)"
read -r qtx0 qtxb0 <<< "$(qstats tx)"
read -r brx0 brxb0 <<< "$(bifurc rx)"
read -r btx0 btxb0 <<< "$(bifurc tx)"
read -r lrx0 ltx0 <<< "$(link_stats)"
ip netns exec $NS_A python3 -S "$EXPY" echo $ADDR_B $PORT $N > "$TMP/client.out" 2>&1 ||
	ktap_print_msg "echo client: $(cat "$TMP/client.out")"
read -r qrx1 qrxb1 <<< "$(qstats rx)"
read -r qtx1 qtxb1 <<< "$(qstats tx)"
read -r brx1 brxb1 <<< "$(bifurc rx)"
read -r btx1 btxb1 <<< "$(bifurc tx)"
read -r lrx1 ltx1 <<< "$(link_stats)"
kill -INT $pid
wait $pid

ktap_print_msg "queue $QUEUE: qstats rx $qrx0 -> $qrx1 ($qrxb0 -> $qrxb1 bytes)," \
	"tx $qtx0 -> $qtx1; bifurc rx +$((brx1 - brx0)) tx +$((btx1 - btx0));" \
	"link rx +$((lrx1 - lrx0)) tx +$((ltx1 - ltx0))"
delta() { [ "$1" != none ] && [ "$2" != none ] && echo $(($2 - $1)) || echo none; }
[ "$(delta "$qrx0" "$qrx1")" = $N ] && [ $((brx1 - brx0)) = $N ] &&
	[ "$(delta "$qrxb0" "$qrxb1")" = $((brxb1 - brxb0)) ]
ktap_check "QSTATS_RX: qstats of queue $QUEUE count the $N datagrams udp-echo received, bytes as bifurc's" test $? = 0
[ "$(delta "$qtx0" "$qtx1")" = $N ] && [ $((btx1 - btx0)) = $N ] &&
	[ "$(delta "$qtxb0" "$qtxb1")" = $((btxb1 - btxb0)) ]
ktap_check "QSTATS_TX: qstats of queue $QUEUE count the $N answers, bytes as bifurc's" test $? = 0
ktap_check "LINK_STATS: ip -s link counts at least $N more in each direction" \
	test $((lrx1 - lrx0)) -ge $N -a $((ltx1 - ltx0)) -ge $N
ktap_finished
