#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Description: the isolation promise, tried the way a hostile stack path or
# a granted user would (issue 17).  A reserved queue stays hidden from the
# stack's transmit path, a grant bounds what its user may steer, a rule
# cannot take a port another socket has bound, a granted user's frames
# leave only as itself, revoking a grant ends the attachment, and the pool
# is charged to the user's locked memory.
#
#   namespace bifurc-a              namespace bifurc-b
#   +-------------------+           +----------------------------------+
#   | port A  10.77.0.1 |--- hub ---| port B  10.77.0.2                |
#   | ping target,      |           |   queue Q reserved: udp-echo as  |
#   | flows.py send,    |           |   root, then as uid 1000 (grant) |
#   | examples.py echo, |           |   uid 2000: a UDP service        |
#   | flows.py recv     |           |   bifurc_txsrc as uid 1000, root |
#   +-------------------+           +----------------------------------+
#
# Cases, one TAP line each:
#   HIDDEN_TC_PING     with udp-echo attached RX+TX on Q and a tc egress
#                      rule forcing queue_mapping Q on B, 10 of 10 pings
#                      from B answered; no TX timeout or reset in dmesg
#   HIDDEN_TC_APP      udp-echo still attached and answering byte-exact
#   HIDDEN_AFXDP       an AF_XDP zero-copy socket cannot bind queue Q
#   HIDDEN_XPS         XPS maps every CPU to tx-Q alone: 10 of 10 pings,
#   HIDDEN_PKTGEN      the kernel's pktgen with queue_map_min/max Q (it
#                      calls ndo_start_xmit on Q itself): 200 of 200 sent
#                      and counted at A,
#   HIDDEN_NETCONSOLE  a netconsole target on B (netpoll picks its queue
#                      and polls every NAPI with budget 0): 20 of 20 log
#                      lines at A,
#   HIDDEN_XDP_TX      xdp_tx on B (XDP_TX from ixgbe's XDP rings):
#                      50 datagrams to B:9302 come back to A; for each of
#                      the four, with udp-echo attached RX+TX on Q: Q's TX
#                      counter did not move, no reset, udp-echo still
#                      answers
#   GRANT_OUTSIDE      a grant "ports 5300-5399": uid 1000's rule for
#                      5400 fails with EACCES
#   GRANT_IN_USE       uid 2000 serves UDP 5353; uid 1000's rule for 5353
#                      (inside its ports) fails with EADDRINUSE, and the
#                      service receives every datagram A sends
#   GRANT_ECHO         uid 1000's udp-echo on 5310 answers A byte-exact
#   GRANT_HOLDS_PORT   while that rule lives, uid 2000 cannot bind 5310
#   TXSRC_OK           uid 1000's bifurc_txsrc sends 5 UDP frames of its
#                      own making from B's MAC, 10.77.0.2, port 5320 (in
#                      its grant) to A:9300: all sent (tx_packets 5,
#                      tx_bad_frame 0), A receives 5 of 5 byte-exact
#   TXSRC_SPOOF_MAC    the same from another source MAC,
#   TXSRC_SPOOF_IP     from 10.77.0.99 (not on B),
#   TXSRC_SPOOF_PORT   from port 5400 (outside the grant): the kernel
#                      refuses all 5 (tx_bad_frame 5, flagged refused,
#                      tx_packets 0) and A receives none
#   TXSRC_ROOT         root (CAP_NET_RAW) sends the frames from 10.77.0.99:
#                      all 5 sent and received, the check is for
#                      unprivileged senders only
#   TXSRC_FRAGS        uid 1000's frames of 1,000 payload bytes in 4
#                      entries, its headers whole in the first: all 5
#                      sent, A receives 5 of 5 byte-exact
#   TXSRC_CUT_HEADERS  the same cut after 34 bytes, its source port in the
#                      second entry, where the kernel does not look: all 5
#                      refused (the uapi: the headers up to the source
#                      port lie in the first entry)
#   TXSRC_ROOT_FRAGS   root's frames cut inside the IPv4 header (first
#                      entry 20 bytes): all 5 sent and received byte-exact
#   GRANT_REVOKE       "Q none" ends uid 1000's attachment: udp-echo exits
#                      with the revocation, its rule is gone, 5310 free
#   MEMLOCK_LIMIT      uid 1000 under a 1 MiB RLIMIT_MEMLOCK cannot attach
#                      a 2 MiB pool (ENOBUFS); with 3 MiB it can, twice in
#                      a row (the first close gave the charge back)
#
# Needs: CONFIG_IXGBE_BIFURC=y, root, ethtool, tc, ping, setpriv, prlimit,
# python3; the examples, xsk_rx, bifurc_txsrc and xdp_tx built.
cd "$(dirname "$0")" || exit 1
export BIFURC_TOP=${BIFURC_TOP:-$(cd ../../../.. && pwd)}
. ../../../lib/ktap.sh && . ../../../lib/model.sh

TOP=$BIFURC_TOP
EXPY=$TOP/selftests/lib/examples.py
SELFTESTS=${BIFURC_SELFTESTS:-$TOP/build/selftests}
XSK=$SELFTESTS/xsk_rx
GRANTEE=1000 OTHER=2000
TMP=$(mktemp -d)
QUEUE='' CD=''

trap release_queue EXIT
trap 'exit 130' INT TERM

inb() { ip netns exec $NS_B "$@"; }
show() { [ -s "$1" ] && sed 's/^/# /' "$1"; }

# Command prefixes, not functions: a background function is a subshell,
# which ignores the SIGINT that must reach udp-echo.  AS_*: in B's
# namespace as that uid (its own group, no capabilities).
IN_B=(ip netns exec $NS_B)
AS_GRANTEE=("${IN_B[@]}" $(drop_to $GRANTEE))
AS_OTHER=("${IN_B[@]}" $(drop_to $OTHER))

ktap_print_header
# Programs an unprivileged user runs must be reachable by it: the tree may
# live under a home directory it cannot enter.
mkdir -p "$TMP/bin" "$TMP/run"
cp "$TOP/lib/libbifurc/build/examples/udp-echo" "$TOP"/lib/libbifurc/build/libbifurc.so* \
	"$TOP/selftests/lib/flows.py" "$TMP/bin/" ||
	ktap_exit_fail_msg "udp-echo or libbifurc not built (make -C lib/libbifurc examples)"
cp "$SELFTESTS/bifurc_txsrc" "$TMP/bin/" ||
	ktap_exit_fail_msg "bifurc_txsrc not built (make -C selftests)"
chmod -R a+rX "$TMP"
chmod 1777 "$TMP/run"
export LD_LIBRARY_PATH=$TMP/bin
ECHO=$TMP/bin/udp-echo
TXSRC=$TMP/bin/bifurc_txsrc
[ -x "$XSK" ] || ktap_exit_fail_msg "$XSK not built (make -C selftests)"
XDPTX=$SELFTESTS/xdp_tx
[ -x "$XDPTX" ] || ktap_exit_fail_msg "$XDPTX not built (make -C selftests)"

bifurc_pair
reserve_queue
# the node open to all: only the kernel's per-queue grant decides
NODE=/dev/bifurc/${CD##*/bifurc-}
[ -c "$NODE" ] || ktap_exit_fail_msg "no device node $NODE for $B"
chmod 0666 "$NODE"
ktap_print_msg "$B queue $QUEUE reserved (of $NQ), node $NODE"
ktap_set_plan 21

# start_echo NAME COMMAND...: udp-echo (COMMAND execs it) in the background
# until it says which mode it answers in, or exits; its pid in ECHO_PID
start_echo()
{
	local name=$1

	shift
	"$@" > "$TMP/$name.out" 2> "$TMP/$name.err" &
	ECHO_PID=$!
	wait_for 150 sh -c "grep -q ' mode ' '$TMP/$name.out' || ! kill -0 $ECHO_PID 2>/dev/null"
}

# stop_echo: SIGINT, which udp-echo answers with its summary, then SIGKILL
# after 10 s; returns its exit status
stop_echo()
{
	kill -INT $ECHO_PID 2>/dev/null
	wait_for 100 sh -c "! kill -0 $ECHO_PID 2>/dev/null" || kill -KILL $ECHO_PID
	wait $ECHO_PID
}

# rules_on_b: flow rules in force on B
rules_on_b() { inb ethtool -n "$B" | awk '/^Total [0-9]+ rules/ { print $2 }'; }

# --- hidden means hidden ---------------------------------------------------

mark=$(dmesg | wc -l)
start_echo tc "${IN_B[@]}" "$ECHO" -i "$B" -q "$QUEUE" -p 9200
ktap_print_msg "$(head -n 1 "$TMP/tc.out")"
inb tc qdisc add dev "$B" clsact &&
inb tc filter add dev "$B" egress matchall action skbedit queue_mapping "$QUEUE" ||
	ktap_print_msg "tc rule forcing queue_mapping $QUEUE not installed"
inb ping -c 10 -i 0.3 -W 2 $ADDR_A > "$TMP/ping.out" 2>&1
got=$(sed -n 's/.* \([0-9]*\) received.*/\1/p' "$TMP/ping.out")
sleep 6		# past the netdev watchdog's 5 s
dmesg | tail -n +$((mark + 1)) | grep -E 'timed out|Reset adapter|reset due|detached' > "$TMP/reset.txt"
hits=$(inb tc -s filter show dev "$B" egress | awk '/Sent/ { print $4; exit }')
if [ "$got" = 10 ] && [ ! -s "$TMP/reset.txt" ] && [ "${hits:-0}" -ge 10 ]; then
	ktap_test_pass "HIDDEN_TC_PING: 10 of 10 pings through a tc rule forcing queue $QUEUE (it matched $hits frames), no reset"
else
	show "$TMP/ping.out"; show "$TMP/reset.txt"
	ktap_test_fail "HIDDEN_TC_PING: ${got:-0} of 10 pings, tc matched ${hits:-no} frames, $(wc -l < "$TMP/reset.txt") reset lines"
fi
if kill -0 $ECHO_PID 2>/dev/null &&
   ip netns exec $NS_A python3 -S "$EXPY" echo $ADDR_B 9200 10 > "$TMP/client.out" 2>&1; then
	ktap_test_pass "HIDDEN_TC_APP: udp-echo still attached: $(head -n 1 "$TMP/client.out")"
else
	show "$TMP/client.out"; show "$TMP/tc.err"
	ktap_test_fail "HIDDEN_TC_APP: udp-echo lost its queue under the tc rule"
fi
stop_echo
inb tc qdisc del dev "$B" clsact

inb timeout 60 "$XSK" "$B" "$QUEUE" 9201 1 > "$TMP/xsk.out" 2>&1
rc=$?
if [ $rc -ne 0 ] && grep -qi "busy" "$TMP/xsk.out"; then
	ktap_test_pass "HIDDEN_AFXDP: AF_XDP zero copy on queue $QUEUE refused: $(tail -n 1 "$TMP/xsk.out")"
else
	show "$TMP/xsk.out"
	ktap_test_fail "HIDDEN_AFXDP: xsk_rx on reserved queue $QUEUE exit $rc"
fi

# hidden_case NAME WHAT: with udp-echo attached RX+TX on Q and idle (it
# sends only replies), the stack path run by the caller before it must
# have left Q's TX ring alone (tx_queue_Q_packets, which counts bifurc's
# frames as well, unchanged), reset nothing, and kept udp-echo answering.
# $SENT and $ARRIVED, set by the caller: what the path sent and A got.
hidden_case()
{
	local name=$1 what=$2 txq resets

	txq=$(($(ethtool_stat $NS_B "$B" "tx_queue_${QUEUE}_packets") - TXQ0))
	resets=$(dmesg | tail -n +$((mark + 1)) | grep -cE 'timed out|Reset adapter|reset due|detached')
	if [ "${SENT:-0}" -gt 0 ] && [ "$ARRIVED" -ge "$SENT" ] && [ "$txq" = 0 ] &&
	   [ "$resets" = 0 ] && kill -0 $ECHO_PID 2>/dev/null &&
	   ip netns exec $NS_A python3 -S "$EXPY" echo $ADDR_B 9200 3 > "$TMP/client.out" 2>&1; then
		ktap_test_pass "$name: $what: $SENT sent, A got $ARRIVED, tx_queue_${QUEUE}_packets +0, no reset, udp-echo answers"
	else
		show "$TMP/client.out"
		ktap_test_fail "$name: $what: ${SENT:-none} sent, A got $ARRIVED, tx_queue_${QUEUE}_packets +$txq, $resets reset lines, udp-echo alive: $(kill -0 $ECHO_PID 2>/dev/null && echo yes || echo no)"
	fi
	# udp-echo's replies count there too
	TXQ0=$(ethtool_stat $NS_B "$B" "tx_queue_${QUEUE}_packets")
}

# rx_at_a: frames A's port has received
rx_at_a() { ethtool_stat $NS_A "$A" rx_pkts_nic; }
# udp_noports: UDP datagrams B's stack received for no socket
udp_noports() { inb awk '$1 == "Udp:" && h++ { print $3 }' /proc/net/snmp; }

MAC_A=$(ip -n $NS_A -o link show dev "$A" | sed -n 's|.* link/ether \([0-9a-f:]*\) .*|\1|p')
MAC_B=$(ip -n $NS_B -o link show dev "$B" | sed -n 's|.* link/ether \([0-9a-f:]*\) .*|\1|p')
ktap_print_msg "A $MAC_A, B $MAC_B"

mark=$(dmesg | wc -l)
start_echo hidden "${IN_B[@]}" "$ECHO" -i "$B" -q "$QUEUE" -p 9200
TXQ0=$(ethtool_stat $NS_B "$B" "tx_queue_${QUEUE}_packets")

# XPS: every CPU on tx-Q alone, so the stack's own pick lands there (B's
# sysfs is seen from its namespace only)
all=$(printf '%x' $(((1 << $(nproc)) - 1)))
xps_set()
{
	inb sh -c "cd /sys/class/net/$B/queues && for q in tx-*; do
		if [ \$q = tx-$QUEUE ]; then echo $1; else echo $2; fi > \$q/xps_cpus || exit 1
	done && cat tx-$QUEUE/xps_cpus"
}
SENT=0 ARRIVED=0
if xps=$(xps_set "$all" 0); then
	ktap_print_msg "xps_cpus of tx-$QUEUE: $xps"
	inb ping -c 10 -i 0.2 -W 2 $ADDR_A > "$TMP/ping.out" 2>&1
	SENT=10 ARRIVED=$(sed -n 's/.* \([0-9]*\) received.*/\1/p' "$TMP/ping.out")
fi
hidden_case HIDDEN_XPS "xps_cpus of tx-$QUEUE $all, of the others 0"
xps_set 0 0 > /dev/null

# pktgen hands its frames to ndo_start_xmit of the queue it is told
SENT=0 ARRIVED=0
if [ -d /proc/net/pktgen ] || modprobe pktgen 2>"$TMP/pktgen.err"; then
	before=$(rx_at_a)
	inb sh -c "echo 'add_device $B' > /proc/net/pktgen/kpktgend_0" &&
	for kv in "count 200" "pkt_size 60" "delay 100000" "dst $ADDR_A" \
		  "dst_mac $MAC_A" \
		  "udp_dst_min 9301" "udp_dst_max 9301" \
		  "queue_map_min $QUEUE" "queue_map_max $QUEUE"; do
		inb sh -c "echo '$kv' > /proc/net/pktgen/$B" || ktap_print_msg "pktgen: $kv refused"
	done
	inb timeout 60 sh -c "echo start > /proc/net/pktgen/pgctrl"
	SENT=$(inb awk '{ for (i = 1; i < NF; i++) if ($i == "pkts-sofar:") print $(i + 1) }' "/proc/net/pktgen/$B")
	inb grep -E 'Result|sofar' "/proc/net/pktgen/$B" | sed 's/^/# /'
	inb sh -c "echo rem_device_all > /proc/net/pktgen/kpktgend_0"
	sleep 1
	ARRIVED=$(($(rx_at_a) - before))
else
	show "$TMP/pktgen.err"
fi
hidden_case HIDDEN_PKTGEN "pktgen queue_map_min/max $QUEUE"
modprobe -r pktgen 2>/dev/null

# netconsole: a dynamic target made in B's namespace (netpoll looks its
# device up there), one UDP datagram per log line to A:6666
SENT=0 ARRIVED=0
NC=/sys/kernel/config/netconsole/bifurc
if [ -d /sys/module/netconsole ] || modprobe netconsole 2>"$TMP/nc.err"; then
	start_receiver $NS_A 6666 60 "$TMP/nc.rx" --expect 20
	rx=$!
	inb sh -c "mountpoint -q /sys/kernel/config || mount -t configfs none /sys/kernel/config
		mkdir $NC && echo $B > $NC/dev_name && echo $ADDR_B > $NC/local_ip &&
		echo $ADDR_A > $NC/remote_ip && echo $MAC_A > $NC/remote_mac &&
		echo 6666 > $NC/remote_port && echo 1 > $NC/enabled" 2>>"$TMP/nc.err" &&
	for i in $(seq 20); do echo "<3>bifurc isolation: netconsole line $i" > /dev/kmsg; done &&
	SENT=20
	wait_for 100 sh -c "! kill -0 $rx"
	kill -TERM $rx 2>/dev/null; wait $rx
	read -r ARRIVED _ < "$TMP/nc.rx"
	inb sh -c "mountpoint -q /sys/kernel/config || mount -t configfs none /sys/kernel/config
		echo 0 > $NC/enabled; rmdir $NC"
	modprobe -r netconsole 2>/dev/null
fi
[ "$SENT" -gt 0 ] || show "$TMP/nc.err"
hidden_case HIDDEN_NETCONSOLE "a netconsole target on $B"
stop_echo

# XDP_TX: xdp_tx hairpins every frame of B's stack queues back to A
# from ixgbe's XDP rings.  Loading it restarts the port (attachments end),
# so udp-echo attaches after it.  A knows B's MAC statically: B's stack
# never sees A's ARP requests, XDP sends them back.
SENT=0 ARRIVED=0
"${IN_B[@]}" "$XDPTX" "$B" > "$TMP/xdp.out" 2>&1 &
xdp=$!
if wait_for 100 grep -q attached "$TMP/xdp.out" && kill -0 $xdp 2>/dev/null &&
   wait_for 100 link_is_up $NS_B "$B"; then
	sleep 2	# past the restart's own log lines
	mark=$(dmesg | wc -l)
	start_echo xdp "${IN_B[@]}" "$ECHO" -i "$B" -q "$QUEUE" -p 9200
	TXQ0=$(ethtool_stat $NS_B "$B" "tx_queue_${QUEUE}_packets")
	ip -n $NS_A neigh replace $ADDR_B lladdr "$MAC_B" dev "$A" nud permanent
	before=$(rx_at_a) noports=$(udp_noports)
	send_udp $NS_A $ADDR_B 9302 50 > "$TMP/xdpsend.out" 2>&1 && SENT=50
	sleep 1
	ARRIVED=$(($(rx_at_a) - before))
	# B's stack saw none of them (it would count them: nobody binds 9302)
	noports=$(($(udp_noports) - noports))
	[ $noports = 0 ] || { ktap_print_msg "B's stack got $noports of them"; ARRIVED=0; }
else
	show "$TMP/xdp.out"
fi
hidden_case HIDDEN_XDP_TX "xdp_tx on $B, 50 datagrams to B:9302 sent back by XDP_TX"
kill -INT $xdp 2>/dev/null; wait $xdp
ip -n $NS_A neigh del $ADDR_B dev "$A" 2>/dev/null
wait_for 100 link_is_up $NS_B "$B"
stop_echo

# --- bounded grants -------------------------------------------------------

# a kernel without port ranges gets a plain grant: the cases below then
# show what such a grant lets its user do
echo "$QUEUE user $GRANTEE ports 5300-5399" > "$CD/grant" 2>/dev/null ||
	{ ktap_print_msg "the kernel refused a grant with ports"; echo "$QUEUE user $GRANTEE" > "$CD/grant"; }
ktap_print_msg "grant: $(tr '\n' ';' < "$CD/grant")"

start_echo outside "${AS_GRANTEE[@]}" "$ECHO" -i "$B" -q "$QUEUE" -p 5400 -c 1
stop_echo; rc=$?
if [ $rc -ne 0 ] && grep -q "flow: .*port range" "$TMP/outside.err"; then
	ktap_test_pass "GRANT_OUTSIDE: port 5400 outside the grant: $(head -c 120 "$TMP/outside.err")"
else
	show "$TMP/outside.out"; show "$TMP/outside.err"
	ktap_test_fail "GRANT_OUTSIDE: uid $GRANTEE's rule for 5400 (exit $rc)"
fi

# the service ends once 20 arrived; 120 s for a slow guest to get there
"${AS_OTHER[@]}" python3 -S "$TMP/bin/flows.py" recv 5353 120 --expect 20 --ready "$TMP/run/ready" > "$TMP/service.out" &
svc=$!
wait_for 100 test -e "$TMP/run/ready"
start_echo inuse "${AS_GRANTEE[@]}" "$ECHO" -i "$B" -q "$QUEUE" -p 5353
send_udp $NS_A $ADDR_B 5353 20 > "$TMP/send.out" 2>&1
stop_echo; rc=$?
wait $svc
read -r svc_got svc_bad < "$TMP/service.out"
if [ $rc -ne 0 ] && grep -q "flow: .*port is in use" "$TMP/inuse.err" &&
   [ "$svc_got" = 20 ] && [ "$svc_bad" = 0 ]; then
	ktap_test_pass "GRANT_IN_USE: uid $OTHER's port 5353 refused to uid $GRANTEE; the service got $svc_got of 20"
else
	show "$TMP/inuse.out"; show "$TMP/inuse.err"
	ktap_test_fail "GRANT_IN_USE: udp-echo exit $rc, uid $OTHER's service got ${svc_got:-?} of 20"
fi

start_echo granted "${AS_GRANTEE[@]}" "$ECHO" -i "$B" -q "$QUEUE" -p 5310
ktap_print_msg "$(head -n 1 "$TMP/granted.out")"
if kill -0 $ECHO_PID 2>/dev/null &&
   ip netns exec $NS_A python3 -S "$EXPY" echo $ADDR_B 5310 10 > "$TMP/client.out" 2>&1; then
	ktap_test_pass "GRANT_ECHO: uid $GRANTEE's udp-echo: $(head -n 1 "$TMP/client.out")"
else
	show "$TMP/client.out"; show "$TMP/granted.err"
	ktap_test_fail "GRANT_ECHO: uid $GRANTEE's udp-echo on 5310 did not answer"
fi
held=$(bind_udp $OTHER 5310)
if [ "$held" = EADDRINUSE ]; then
	ktap_test_pass "GRANT_HOLDS_PORT: uid $OTHER's bind of 5310 fails with $held while the rule lives"
else
	ktap_test_fail "GRANT_HOLDS_PORT: uid $OTHER's bind of 5310: $held"
fi

# --- granted TX sends only as itself --------------------------------------

# bifurc_txsrc needs the queue: udp-echo makes way, and is back for
# GRANT_REVOKE, which must end a live attachment
stop_echo

# txsrc_case NAME SENT WHAT CMD... -- SOURCE...: bifurc_txsrc, run through
# CMD (namespace and uid), sends 5 UDP frames from SOURCE (its --src-mac,
# --src and --sport) to flows.py recv on A:9300, from buffers of its TX
# reserve (bifurc_tx_alloc: it receives nothing), after it steers UDP 5330
# (inside the grant) to the queue, the rule that holds its port.  Passes
# if SENT (5 or 0) of
# the 5 frames were sent, the rest refused, by its completions and the
# queue's counters alike, and A received SENT of them intact.
txsrc_case()
{
	local name=$1 sent=$2 what=$3 patience=10 rx tx line got bad want
	local -a cmd=() expect=()

	shift 3
	while [ "$1" != -- ]; do cmd+=("$1"); shift; done
	shift
	# frames expected: until they are in; none: 2 s after the sender
	[ "$sent" -gt 0 ] && expect=(--expect "$sent") patience=100
	start_receiver $NS_A 9300 60 "$TMP/$name.rx" "${expect[@]}"
	rx=$!
	"${cmd[@]}" "$TXSRC" -i "$B" -q "$QUEUE" --dst-mac "$MAC_A" --dst $ADDR_A \
		--dport 9300 --rule-port 5330 -n 5 --ready "$TMP/run/$name" "$@" \
		> "$TMP/$name.out" 2> "$TMP/$name.err" &
	tx=$!
	wait $tx
	wait_for $patience sh -c "! kill -0 $rx"
	kill -TERM $rx 2>/dev/null
	wait $rx
	read -r line < "$TMP/$name.out"
	read -r got bad < "$TMP/$name.rx"
	want="sent $sent refused $((5 - sent)) tx_packets $sent tx_bad_frame $((5 - sent))"
	if [ "$line" = "$want" ] && [ "$got" = "$sent" ] && [ "$bad" = 0 ]; then
		ktap_test_pass "$name: $what: $line; A received $got"
	else
		show "$TMP/$name.err"
		ktap_test_fail "$name: $what: ${line:-no result} (want $want); A received ${got:-?} (${bad:-?} bad)"
	fi
}
SPOOF_MAC=02:00:00:77:00:99 SPOOF_IP=10.77.0.99

txsrc_case TXSRC_OK 5 "uid $GRANTEE as itself" "${AS_GRANTEE[@]}" -- \
	--src-mac "$MAC_B" --src $ADDR_B --sport 5320
txsrc_case TXSRC_SPOOF_MAC 0 "uid $GRANTEE from MAC $SPOOF_MAC" "${AS_GRANTEE[@]}" -- \
	--src-mac $SPOOF_MAC --src $ADDR_B --sport 5320
txsrc_case TXSRC_SPOOF_IP 0 "uid $GRANTEE from $SPOOF_IP" "${AS_GRANTEE[@]}" -- \
	--src-mac "$MAC_B" --src $SPOOF_IP --sport 5320
txsrc_case TXSRC_SPOOF_PORT 0 "uid $GRANTEE from port 5400, outside its grant" "${AS_GRANTEE[@]}" -- \
	--src-mac "$MAC_B" --src $ADDR_B --sport 5400
txsrc_case TXSRC_ROOT 5 "root from $SPOOF_IP" "${IN_B[@]}" -- \
	--src-mac "$MAC_B" --src $SPOOF_IP --sport 5320
txsrc_case TXSRC_FRAGS 5 "uid $GRANTEE, 1042-byte frames in 4 entries, headers in the first" \
	"${AS_GRANTEE[@]}" -- --src-mac "$MAC_B" --src $ADDR_B --sport 5320 \
	--size 1000 --frags 4 --head 42
txsrc_case TXSRC_CUT_HEADERS 0 "uid $GRANTEE, first entry 34 bytes, its source port in the second" \
	"${AS_GRANTEE[@]}" -- --src-mac "$MAC_B" --src $ADDR_B --sport 5320 \
	--frags 2 --head 34
txsrc_case TXSRC_ROOT_FRAGS 5 "root, 1042-byte frames in 4 entries, the first 20 bytes" \
	"${IN_B[@]}" -- --src-mac "$MAC_B" --src $ADDR_B --sport 5320 \
	--size 1000 --frags 4 --head 20

# --- revoking ends the attachment -----------------------------------------

start_echo granted "${AS_GRANTEE[@]}" "$ECHO" -i "$B" -q "$QUEUE" -p 5310
echo "$QUEUE none" > "$CD/grant"
wait_for 100 sh -c "! kill -0 $ECHO_PID 2>/dev/null"
alive=0; kill -0 $ECHO_PID 2>/dev/null && alive=1
stop_echo; rc=$?
rules=$(rules_on_b) free=$(bind_udp $OTHER 5310)
if [ $alive = 0 ] && [ $rc -ne 0 ] && grep -q "revoked" "$TMP/granted.err" &&
   [ "$rules" = 0 ] && [ "$free" = bound ]; then
	ktap_test_pass "GRANT_REVOKE: udp-echo ended: $(tail -n 1 "$TMP/granted.err"); 0 rules, 5310 free"
else
	show "$TMP/granted.err"
	ktap_test_fail "GRANT_REVOKE: udp-echo alive $alive exit $rc, $rules rules left, bind of 5310: $free"
fi

# --- locked memory --------------------------------------------------------

echo "$QUEUE user $GRANTEE" > "$CD/grant"
# memlock_echo LIMIT NAME: uid 1000's udp-echo under RLIMIT_MEMLOCK LIMIT
# (ip netns exec needs root: the namespace is entered before setpriv)
memlock_echo()
{
	local limit=$1 name=$2

	start_echo "$name" "${IN_B[@]}" prlimit --memlock="$limit:$limit" \
		$(drop_to $GRANTEE) "$ECHO" -i "$B" -q "$QUEUE" -p 5311 -c 1
	stop_echo
}
memlock_echo $((1 << 20)) small; small_rc=$?
# 3 MiB holds one attachment (2 MiB pool, rings), not two: the second
# attach fits only if the first close gave its charge back
memlock_echo $((3 << 20)) big1; big1_rc=$?
memlock_echo $((3 << 20)) big2; big2_rc=$?
if [ $small_rc -ne 0 ] && grep -q "locked-memory limit" "$TMP/small.err" &&
   grep -q " mode " "$TMP/big1.out" && grep -q " mode " "$TMP/big2.out"; then
	ktap_test_pass "MEMLOCK_LIMIT: 1 MiB refused ($(head -c 80 "$TMP/small.err")), 3 MiB attached twice in a row"
else
	show "$TMP/small.out"; show "$TMP/small.err"; show "$TMP/big1.err"; show "$TMP/big2.err"
	ktap_test_fail "MEMLOCK_LIMIT: exit $small_rc under 1 MiB; 3 MiB: $big1_rc, $big2_rc"
fi

ktap_finished
