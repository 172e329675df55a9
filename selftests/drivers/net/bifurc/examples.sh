#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Description: the libbifurc examples on the emulated 82599 pair: rxdrop
# counts a steered flow, dump's pcap opens in tcpdump with the payloads
# byte for byte, udp-echo answers a client in the other namespace, l2fwd
# sends every frame back out.
#
#   namespace bifurc-a                namespace bifurc-b
#   +---------------------+           +--------------------------------+
#   | port A  10.77.0.1   |--- hub ---| port B  10.77.0.2              |
#   | flows.py send,      |           |   queue Q (reserved, hidden)   |
#   | examples.py echo    |           |     -> rxdrop | dump | udp-echo|
#   +---------------------+           +--------------------------------+
#
# Each example steers its own UDP port to Q (a rule owned by its queue
# attachment) and runs alone; the traffic comes from A.
#
# Cases, one TAP line each:
#   USAGE_<example>    bad arguments: exit 2 and a usage line
#   RXDROP_COUNT       rxdrop's total equals the datagrams sent
#   RXDROP_COUNTER     bifurc_q<Q>_rx_packets in ethtool -S grew by as many
#   DUMP_EXIT          dump -c N stops by itself after N frames, exit 0
#   DUMP_TCPDUMP       tcpdump -r reads the file: N UDP frames A > B.port
#   DUMP_PAYLOADS      every frame intact, every payload byte-exact with
#                      what flows.py sent, in order (examples.py pcap)
#   ECHO_MODE          udp-echo says it answers in "mode tx": the series
#                      has bifurc TX (patch 12), and so has every ixgbe
#                      the test bed builds from it (the debug kernel, the
#                      module for Debian's); what the driver or udp-echo
#                      reports does not decide what is expected
#   ECHO_REPLIES       every one of ECHO_N datagrams answered byte-exact
#                      from B's address and port (examples.py echo)
#   ECHO_SUMMARY       udp-echo: ECHO_N received and answered, nothing
#                      ignored, no error, exit 0; the queue's
#                      bifurc_q<Q>_tx_packets grew by ECHO_N (by nothing
#                      in an expected mode socket)
#   ECHO_SOCKET        udp-echo -k, the kernel socket fallback, whatever
#                      the driver: mode socket, ECHO_N exact replies, the
#                      same summary, and no bifurc TX frame sent
#   L2FWD_ZERO_COPY    l2fwd -s B Q B Q: every datagram from A leaves B
#                      again through Q with the MACs swapped, zero copy
#                      (tcpdump on A catches all, tx_packets grew by as
#                      many, nothing dropped)
#   RULES_GONE         no flow rule left on B after the examples exit
#
# Environment: ECHO_MODE=socket expects mode socket, for a kernel cut
# before bifurc TX.
#
# Needs: CONFIG_IXGBE_BIFURC=y, root, ethtool, tcpdump, python3; the
# examples built (make -C lib/libbifurc examples).  Skips (exit 4) without
# bifurc.
cd "$(dirname "$0")" || exit 1
export BIFURC_TOP=${BIFURC_TOP:-$(cd ../../../.. && pwd)}
. ../../../lib/ktap.sh && . ../../../lib/model.sh

TOP=$BIFURC_TOP
EX=$TOP/lib/libbifurc/build/examples
export LD_LIBRARY_PATH=$TOP/lib/libbifurc/build${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
EXPY=$TOP/selftests/lib/examples.py
RXDROP_N=200 RXDROP_PORT=9100
DUMP_PORT=9101 DUMP_SMALL=40 DUMP_BIG=10
ECHO_N=50 ECHO_PORT=9102
TMP=$(mktemp -d)
QUEUE='' CD=''

trap release_queue EXIT
trap 'exit 130' INT TERM

ktap_print_header
for prog in rxdrop dump udp-echo; do
	[ -x "$EX/$prog" ] || ktap_exit_fail_msg "$EX/$prog not built (make -C lib/libbifurc examples)"
done
command -v tcpdump >/dev/null || ktap_exit_fail_msg "tcpdump not installed"
bifurc_pair
reserve_queue
ktap_print_msg "$B queue $QUEUE reserved (of $NQ); A=$A $ADDR_A, B=$B $ADDR_B"
ktap_set_plan 14

inb() { ip netns exec $NS_B "$@"; }

# show FILE: a file's lines as TAP diagnostics
show() { [ -s "$1" ] && sed 's/^/# /' "$1"; }

bifurc_rx_packets() { ethtool_stat $NS_B "$B" "bifurc_q${QUEUE}_rx_packets"; }

# --- usage --------------------------------------------------------------

# usage_exit2 PROG ARGS...: exit 2, "usage: PROG" on stderr, nothing on stdout
usage_exit2()
{
	local prog=$1 rc

	shift
	"$EX/$prog" "$@" > "$TMP/u.out" 2> "$TMP/u.err"
	rc=$?
	if [ $rc -ne 2 ] || ! grep -q "^usage: $prog " "$TMP/u.err" || [ -s "$TMP/u.out" ]; then
		echo "$prog $*: exit $rc, stderr: $(head -c 300 "$TMP/u.err")"
		return 1
	fi
}

usage_rxdrop()
{
	usage_exit2 rxdrop &&
	usage_exit2 rxdrop "$B" &&
	usage_exit2 rxdrop "$B" one &&
	usage_exit2 rxdrop "$B" 1 udp &&
	usage_exit2 rxdrop "$B" 1 udp 70000 &&
	usage_exit2 rxdrop "$B" 1 sctp 9 &&
	usage_exit2 rxdrop -t soon "$B" 1 &&
	usage_exit2 rxdrop -x "$B" 1
}

usage_dump()
{
	usage_exit2 dump &&
	usage_exit2 dump -i "$B" &&
	usage_exit2 dump -q 1 &&
	usage_exit2 dump -i "$B" -q x &&
	usage_exit2 dump -i "$B" -q 1 -c 0 &&
	usage_exit2 dump -i "$B" -q 1 udp &&
	usage_exit2 dump -i "$B" -q 1 udp 0 &&
	usage_exit2 dump -i "$B" -q 1 icmp 9 &&
	usage_exit2 dump -i "$B" -q 1 -w
}

usage_udp_echo()
{
	usage_exit2 udp-echo &&
	usage_exit2 udp-echo -i "$B" -q 1 &&
	usage_exit2 udp-echo -i "$B" -q 1 -p 0 &&
	usage_exit2 udp-echo -i "$B" -q 1 -p 65536 &&
	usage_exit2 udp-echo -i "$B" -q 1 -p 9 -a 10.0.0 &&
	usage_exit2 udp-echo -i "$B" -q 1 -p 9 -c none &&
	usage_exit2 udp-echo -i "$B" -q 1 -p 9 extra
}

ktap_check "USAGE_rxdrop: bad arguments exit 2 with usage" usage_rxdrop
ktap_check "USAGE_dump: bad arguments exit 2 with usage" usage_dump
ktap_check "USAGE_udp-echo: bad arguments exit 2 with usage" usage_udp_echo

# --- rxdrop -------------------------------------------------------------

before=$(bifurc_rx_packets)
# -t: a bound even if the SIGINT below never comes.  Not through inb: the
# SIGINT must reach rxdrop itself ("ip netns exec" execs it), not a
# subshell, and an asynchronous command's own shell ignores SIGINT.
ip netns exec $NS_B "$EX/rxdrop" -t 600 "$B" "$QUEUE" udp $RXDROP_PORT > "$TMP/rxdrop.out" 2> "$TMP/rxdrop.err" &
pid=$!
sent=0
if wait_for 150 grep -q "steered" "$TMP/rxdrop.out"; then
	send_udp $NS_A $ADDR_B $RXDROP_PORT $RXDROP_N > "$TMP/send.out" 2>&1 && sent=1
	# rxdrop prints its running total once a second
	wait_for 150 grep -q " $RXDROP_N packets" "$TMP/rxdrop.out"
	sleep 1		# a datagram too many would show up now
fi
kill -INT $pid 2>/dev/null
wait $pid
rc=$?
after=$(bifurc_rx_packets)
total=$(awk '$1 == "total" { print $2 }' "$TMP/rxdrop.out")
if [ $rc -eq 0 ] && [ "$total" = "$RXDROP_N" ] && [ $sent -eq 1 ]; then
	ktap_test_pass "RXDROP_COUNT: rxdrop received $total of $RXDROP_N datagrams"
else
	show "$TMP/rxdrop.out"; show "$TMP/rxdrop.err"; show "$TMP/send.out"
	ktap_test_fail "RXDROP_COUNT: rxdrop exit $rc, received ${total:-nothing} of $RXDROP_N, send ok: $sent"
fi
if [ -n "$before" ] && [ -n "$after" ] && [ $((after - before)) -eq $RXDROP_N ]; then
	ktap_test_pass "RXDROP_COUNTER: bifurc_q${QUEUE}_rx_packets +$((after - before))"
else
	ktap_test_fail "RXDROP_COUNTER: bifurc_q${QUEUE}_rx_packets $before -> $after, expected +$RXDROP_N"
fi

# --- dump ---------------------------------------------------------------

PCAP=$TMP/dump.pcap
DUMP_N=$((DUMP_SMALL + DUMP_BIG))
inb timeout -s INT -k 10 120 "$EX/dump" -i "$B" -q "$QUEUE" -c $DUMP_N -w "$PCAP" udp $DUMP_PORT 2> "$TMP/dump.err" &
pid=$!
sent=0
if wait_for 150 grep -q "capturing" "$TMP/dump.err"; then
	# small frames (padded on the wire) and near-MTU ones
	send_udp $NS_A $ADDR_B $DUMP_PORT $DUMP_SMALL --size 64 > "$TMP/send.out" 2>&1 &&
	send_udp $NS_A $ADDR_B $DUMP_PORT $DUMP_BIG --size 1400 >> "$TMP/send.out" 2>&1 &&
	sent=1
fi
wait $pid
rc=$?
frames=$(sed -n 's/^dump: \([0-9]*\) frames .*/\1/p' "$TMP/dump.err")
if [ $rc -eq 0 ] && [ "$frames" = "$DUMP_N" ] && [ $sent -eq 1 ]; then
	ktap_test_pass "DUMP_EXIT: dump -c $DUMP_N wrote $frames frames and exited"
else
	show "$TMP/dump.err"; show "$TMP/send.out"
	[ $rc -eq 124 ] && echo "# dump did not finish within 120 s"
	ktap_test_fail "DUMP_EXIT: dump exit $rc, ${frames:-no} frames of $DUMP_N, send ok: $sent"
fi

# tcpdump -r: a file tcpdump cannot parse, or other frames, fail here
tcpdump_frames()
{
	local n

	tcpdump -r "$PCAP" -n -q > "$TMP/tcpdump.out" 2> "$TMP/tcpdump.err" || {
		show "$TMP/tcpdump.err"; return 1; }
	grep -q "link-type EN10MB" "$TMP/tcpdump.err" || { show "$TMP/tcpdump.err"; return 1; }
	n=$(grep -c "^[0-9:.]* IP $ADDR_A\.[0-9]* > $ADDR_B\.$DUMP_PORT: UDP, length " "$TMP/tcpdump.out")
	ktap_print_msg "tcpdump -r: $(wc -l < "$TMP/tcpdump.out") lines, $n UDP $ADDR_A > $ADDR_B.$DUMP_PORT"
	[ "$n" -eq $DUMP_N ] && [ "$(wc -l < "$TMP/tcpdump.out")" -eq $DUMP_N ] &&
	[ "$(grep -c 'length 64$' "$TMP/tcpdump.out")" -eq $DUMP_SMALL ] &&
	[ "$(grep -c 'length 1400$' "$TMP/tcpdump.out")" -eq $DUMP_BIG ] ||
		{ head -n 5 "$TMP/tcpdump.out" | sed 's/^/# /'; return 1; }
}
if tcpdump_frames; then
	ktap_test_pass "DUMP_TCPDUMP: tcpdump -r reads $DUMP_N UDP frames"
else
	ktap_test_fail "DUMP_TCPDUMP: tcpdump -r $PCAP"
fi
if python3 -S "$EXPY" pcap "$PCAP" $ADDR_A $ADDR_B $DUMP_PORT ${DUMP_SMALL}x64 ${DUMP_BIG}x1400 > "$TMP/pcap.out" 2>&1; then
	ktap_test_pass "DUMP_PAYLOADS: $(head -n 1 "$TMP/pcap.out"), byte-exact as sent"
else
	show "$TMP/pcap.out"
	[ -n "$BIFURC_RESULTS" ] && cp "$PCAP" "$BIFURC_RESULTS/examples-dump.pcap" &&
		echo "# kept as $BIFURC_RESULTS/examples-dump.pcap"
	ktap_test_fail "DUMP_PAYLOADS: the pcap does not hold what was sent"
fi

# --- udp-echo -----------------------------------------------------------

# Which way must udp-echo answer?  What the test knows it runs on, not
# what the system under test says of itself: a driver that lost bifurc TX
# would report no TX counters and udp-echo would fall back to its socket.
bifurc_tx_packets() { ethtool_stat $NS_B "$B" "bifurc_q${QUEUE}_tx_packets"; }
tx_before=$(bifurc_tx_packets)
if [ -n "$ECHO_MODE" ]; then
	why="ECHO_MODE=$ECHO_MODE"
else
	ECHO_MODE=tx why="the series' ixgbe has bifurc TX"
fi
ktap_print_msg "expecting mode $ECHO_MODE ($why)"
want_tx=$ECHO_N
[ "$ECHO_MODE" = tx ] || want_tx=0
inb timeout -s INT -k 10 120 "$EX/udp-echo" -i "$B" -q "$QUEUE" -p $ECHO_PORT -c $ECHO_N > "$TMP/echo.out" 2> "$TMP/echo.err" &
pid=$!
wait_for 150 grep -q " mode " "$TMP/echo.out"
mode=$(sed -n 's/.* mode \([a-z]*\):.*/\1/p' "$TMP/echo.out" | head -n 1)
ktap_print_msg "$(head -n 1 "$TMP/echo.out")"
if [ "$mode" = "$ECHO_MODE" ]; then
	ktap_test_pass "ECHO_MODE: udp-echo answers in mode $mode"
else
	show "$TMP/echo.err"
	ktap_test_fail "ECHO_MODE: udp-echo mode ${mode:-unknown}, expected $ECHO_MODE ($why)"
fi
if [ -n "$mode" ] &&
   ip netns exec $NS_A python3 -S "$EXPY" echo $ADDR_B $ECHO_PORT $ECHO_N > "$TMP/client.out" 2>&1; then
	ktap_test_pass "ECHO_REPLIES: $(head -n 1 "$TMP/client.out") (mode $mode)"
else
	show "$TMP/client.out"
	ktap_test_fail "ECHO_REPLIES: the client in $NS_A did not get $ECHO_N exact replies"
fi
wait $pid
rc=$?
summary=$(tail -n 1 "$TMP/echo.out")
ktap_print_msg "$summary"
tx_after=$(bifurc_tx_packets)
[ -n "$tx_before" ] && ktap_print_msg "bifurc_q${QUEUE}_tx_packets $tx_before -> $tx_after"
if [ $rc -eq 0 ] &&
   [ "$summary" = "udp-echo: $ECHO_N received, $ECHO_N answered, 0 ignored, 0 errors" ] &&
   [ $((tx_after - tx_before)) -eq "$want_tx" ]; then
	ktap_test_pass "ECHO_SUMMARY: udp-echo answered $ECHO_N of $ECHO_N and exited"
else
	show "$TMP/echo.err"
	ktap_test_fail "ECHO_SUMMARY: udp-echo exit $rc, bifurc TX +$((tx_after - tx_before)) of $want_tx"
fi

# the fallback, on purpose (-k): how a kernel without bifurc TX answers
tx_before=$(bifurc_tx_packets)
inb timeout -s INT -k 10 120 "$EX/udp-echo" -k -i "$B" -q "$QUEUE" -p $ECHO_PORT -c $ECHO_N > "$TMP/echo.out" 2> "$TMP/echo.err" &
pid=$!
wait_for 150 grep -q " mode " "$TMP/echo.out"
mode=$(sed -n 's/.* mode \([a-z]*\):.*/\1/p' "$TMP/echo.out" | head -n 1)
client=1
[ "$mode" = socket ] &&
	ip netns exec $NS_A python3 -S "$EXPY" echo $ADDR_B $ECHO_PORT $ECHO_N > "$TMP/client.out" 2>&1 &&
	client=0
wait $pid
rc=$?
summary=$(tail -n 1 "$TMP/echo.out")
tx_after=$(bifurc_tx_packets)
if [ $client -eq 0 ] && [ $rc -eq 0 ] && [ "$tx_before" = "$tx_after" ] &&
   [ "$summary" = "udp-echo: $ECHO_N received, $ECHO_N answered, 0 ignored, 0 errors" ]; then
	ktap_test_pass "ECHO_SOCKET: udp-echo -k: $(head -n 1 "$TMP/client.out")"
else
	show "$TMP/echo.out"; show "$TMP/echo.err"; show "$TMP/client.out"
	ktap_test_fail "ECHO_SOCKET: udp-echo -k mode ${mode:-unknown}, exit $rc, bifurc TX $tx_before -> $tx_after"
fi

# --- cleanup of owned rules ---------------------------------------------

# --- l2fwd --------------------------------------------------------------

# l2fwd -s out of the queue the frames came in on (zero copy: the received
# buffer is sent): each datagram from A goes back to A with the MAC
# addresses swapped; A's stack drops it (the IP destination is B's), and
# tcpdump on A counts it
L2FWD_N=50 L2FWD_PORT=9103
MAC_B=$(ip -n $NS_B -o link show dev "$B" | sed -n 's|.* link/ether \([0-9a-f:]*\) .*|\1|p')
tx_before=$(bifurc_tx_packets)
ip netns exec $NS_A timeout -k 5 60 tcpdump -i "$A" -n -c $L2FWD_N -w "$TMP/l2fwd.pcap" \
	"ether src $MAC_B and udp dst port $L2FWD_PORT" > /dev/null 2> "$TMP/tcpdump.err" &
tcpd=$!
ip netns exec $NS_B "$EX/l2fwd" -s -t 600 "$B" "$QUEUE" "$B" "$QUEUE" udp $L2FWD_PORT \
	> "$TMP/l2fwd.out" 2> "$TMP/l2fwd.err" &
pid=$!
sent=0
if wait_for 150 grep -q "steered" "$TMP/l2fwd.out" &&
   wait_for 100 grep -q "listening" "$TMP/tcpdump.err"; then
	send_udp $NS_A $ADDR_B $L2FWD_PORT $L2FWD_N > "$TMP/send.out" 2>&1 && sent=1
fi
wait $tcpd
wait_for 50 grep -q " $L2FWD_N packets" "$TMP/l2fwd.out"
kill -INT $pid 2>/dev/null
wait $pid
rc=$?
tx_after=$(bifurc_tx_packets)
caught=$(tcpdump -r "$TMP/l2fwd.pcap" -n 2>/dev/null | grep -c "$ADDR_A.* > $ADDR_B.$L2FWD_PORT: UDP")
total=$(sed -n 's/^total \([0-9]*\) packets .* forwarded, \([0-9]*\) dropped.*/\1 \2/p' "$TMP/l2fwd.out")
if [ $rc -eq 0 ] && [ $sent -eq 1 ] && [ "$total" = "$L2FWD_N 0" ] &&
   [ "$caught" = "$L2FWD_N" ] && grep -q "zero copy" "$TMP/l2fwd.out" &&
   [ $((tx_after - tx_before)) -eq $L2FWD_N ]; then
	ktap_test_pass "L2FWD_ZERO_COPY: l2fwd -s sent $L2FWD_N of $L2FWD_N back out of queue $QUEUE, A caught $caught with B's source MAC, tx_packets +$L2FWD_N"
else
	show "$TMP/l2fwd.out"; show "$TMP/l2fwd.err"; show "$TMP/tcpdump.err"
	ktap_test_fail "L2FWD_ZERO_COPY: exit $rc, total '${total:-none}', A caught ${caught:-0} of $L2FWD_N, tx_packets $tx_before -> $tx_after, send ok $sent"
fi

rules=$(inb ethtool -n "$B" | awk '/^Total [0-9]+ rules/ { print $2 }')
if [ "$rules" = 0 ]; then
	ktap_test_pass "RULES_GONE: no flow rule left on $B"
else
	inb ethtool -n "$B" | sed 's/^/# /'
	ktap_test_fail "RULES_GONE: ${rules:-unknown} rules left on $B"
fi

ktap_finished
