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

trap release_queue EXIT
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

# snapshot N: every count above, as qrxN qrxbN qtxN qtxbN brxN ... ltxN
snapshot()
{
	read -r "qrx$1" "qrxb$1" <<< "$(qstats rx)"
	read -r "qtx$1" "qtxb$1" <<< "$(qstats tx)"
	read -r "brx$1" "brxb$1" <<< "$(bifurc rx)"
	read -r "btx$1" "btxb$1" <<< "$(bifurc tx)"
	read -r "lrx$1" "ltx$1" <<< "$(link_stats)"
}

ktap_print_header
[ -x "$ECHO" ] || ktap_exit_fail_msg "$ECHO not built (make -C lib/libbifurc examples)"
[ -f "$LINUX_SRC/tools/net/ynl/cli.py" ] ||
	ktap_exit_fail_msg "no $LINUX_SRC/tools/net/ynl (testbed/build-kernel.sh source)"
python3 -c 'import yaml' 2>/dev/null || ktap_exit_fail_msg "ynl needs python3-yaml"
setup_pair
trap release_queue EXIT
reserve_queue
IFINDEX=$(inb cat /sys/class/net/"$B"/ifindex)
ktap_set_plan 3

# not through inb: a background function ignores SIGINT
ip netns exec $NS_B "$ECHO" -i "$B" -q "$QUEUE" -p $PORT > "$TMP/echo.out" 2>&1 &
pid=$!
wait_for 150 grep -q ' mode tx' "$TMP/echo.out" ||
	ktap_exit_fail_msg "udp-echo did not start in tx mode: $(cat "$TMP/echo.out")"
snapshot 0
ip netns exec $NS_A python3 -S "$EXPY" echo $ADDR_B $PORT $N > "$TMP/client.out" 2>&1 ||
	ktap_print_msg "echo client: $(cat "$TMP/client.out")"
snapshot 1
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
