#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Description: several apps, several queues, one NIC (issue 18).  Two
# ports with four queues each; queues 2 and 3 of each are reserved.  Three
# apps (bifurc_multiq) receive at once, each queue its own UDP flow from
# the model's packet source:
#
#   port A (nic0)                         port B (nic1)
#   queue 2 <- src 7000  \  app "two":    queue 2 <- src 7000  app "granted"
#   queue 3 <- src 7001  /  one process,  (uid 1000, grant "2 user 1000
#                           two threads   ports 9000")
#                                         queue 3 <- src 7001  app "root"
#
# Three phases; in each the source offers each port RATE frames/s (flows
# alternate, so of N offered the first flow gets N/2 rounded up, the
# second N/2 rounded down), from before the fault until AFTER seconds
# after it, a
# fault strikes in the middle, and the apps' counts are read before and
# after.  An app the fault does not touch must get exactly its flow's frames
# per queue, and no frame of another flow.  An app it does touch may lose
# only what its flow was offered between the fault and its recovery (the
# window, measured), plus 0.2 s.
#
#   KILL   kill -9 "granted": its queue is detached, its rule gone, the
#          pages it held (debugfs ixgbe/bifurc_pages) back to the page, its
#          held port 9000 bindable again, and its memlock charge returned
#          (it attaches again under a 3 MiB RLIMIT_MEMLOCK that fits one
#          2 MiB pool only).  "root" (same port) and "two" lose nothing.
#   RINGS  ethtool -G on A: "two" sees ENETRESET on both queues, attaches
#          again; "granted" and "root" on B lose nothing.
#   FLAP   the link of B goes down and up (QEMU set_link) while the source
#          runs (it drops what it offers B meanwhile, and must have):
#          "granted" and "root" lose only the window; "two" on A loses
#          nothing.
#
# Pings run both ways through all three phases: the stack sends them on
# queues 0 and 1 and never on the reserved 2 and 3 (ethtool -S
# tx_queue_N_packets).  At the end every app exits cleanly, no rule is
# left, the page count is back at its baseline, and the stack's own
# traffic (ping) still flows.  Last, l2fwd forwards a flow from queue 2 to
# TX queue 3 of B (a copy: each queue has its own pool), MACs swapped,
# back to A, which must catch every frame.
#
# Needs: 4 CPUs (ixgbe caps its queues at the online CPUs: vm.py --smp 4),
# CONFIG_IXGBE_BIFURC=y, debugfs, root, ethtool, setpriv, prlimit, python3,
# the test bed's hostctl; bifurc_multiq built.
cd "$(dirname "$0")" || exit 1
export BIFURC_TOP=${BIFURC_TOP:-$(cd ../../../.. && pwd)}
. ../../../lib/ktap.sh && . ../../../lib/model.sh

SELFTESTS=${BIFURC_SELFTESTS:-$BIFURC_TOP/build/selftests}
PAGES=/sys/kernel/debug/ixgbe/bifurc_pages
GRANTEE=1000 OTHER=2000
RATE=400		# frames/s per port, 200 per flow
AFTER=4			# s of traffic after a fault's recovery
FAULT_AT=2		# s into the phase
SLACK=0.2		# s of a flow a touched app may lose beyond its window
TMP=$(mktemp -d)
CD_A='' CD_B=''

cleanup()
{
	local pid

	for pid in $(jobs -p); do kill -TERM "$pid" 2>/dev/null; done
	wait 2>/dev/null
	hostctl set_link nic1 on > /dev/null 2>&1
	hostctl qom-set nic0 pktgen-run false > /dev/null 2>&1
	hostctl qom-set nic1 pktgen-run false > /dev/null 2>&1
	for cd in $CD_A $CD_B; do
		for q in 2 3; do echo $q > "$cd/release"; done
	done 2>/dev/null
	join_ports
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

show() { [ -s "$1" ] && sed 's/^/# /' "$1"; }
IN_A=(ip netns exec $NS_A)
IN_B=(ip netns exec $NS_B)
now() { date +%s.%N; }
calc() { awk "BEGIN { printf \"%d\", $* }"; }

ktap_print_header
mkdir -p "$TMP/bin"
cp "$SELFTESTS/bifurc_multiq" "$TMP/bin/" ||
	ktap_exit_fail_msg "bifurc_multiq not built (make -C selftests)"
chmod -R a+rX "$TMP"
MQ=$TMP/bin/bifurc_multiq

bifurc_pair
[ -r "$PAGES" ] || ktap_exit_fail_msg "no $PAGES: debugfs not mounted or a driver without the page count"
for side in "$NS_A $A" "$NS_B $B"; do
	set -- $side
	n=$(max_queues "$1" "$2")
	[ "$n" -ge 4 ] || ktap_exit_fail_msg "$2 offers $n queues, 4 needed: boot with 4 CPUs (vm.py --smp 4)"
	ip netns exec "$1" ethtool -L "$2" combined 4 &&
		ip netns exec "$1" ethtool -K "$2" ntuple on ||
		ktap_exit_fail_msg "$2: ethtool -L combined 4 / -K ntuple on"
	wait_for 100 link_is_up "$1" "$2" || ktap_exit_fail_msg "$2 has no carrier"
done
CD_A=$("${IN_A[@]}" sh -c "readlink -f /sys/class/net/$A/device/bifurc/bifurc-*")
CD_B=$("${IN_B[@]}" sh -c "readlink -f /sys/class/net/$B/device/bifurc/bifurc-*")
for cd in "$CD_A" "$CD_B"; do
	echo 2 > "$cd/reserve" && echo 3 > "$cd/reserve" ||
		ktap_exit_fail_msg "cannot reserve queues 2 and 3 ($cd)"
done
NODE_B=/dev/bifurc/${CD_B##*/bifurc-}
chmod 0666 "$NODE_B"
echo "2 user $GRANTEE ports 9000" > "$CD_B/grant" ||
	ktap_exit_fail_msg "grant of queue 2 of $B refused"
ktap_set_plan 10

# --- helpers ---------------------------------------------------------------

# txq_packets NS IF Q...: the stack's packets sent on those TX queues
txq_packets()
{
	local ns=$1 ifc=$2 q n=0

	shift 2
	for q in "$@"; do
		n=$((n + $(ethtool_stat "$ns" "$ifc" "tx_queue_${q}_packets")))
	done
	echo $n
}

rules() { ip netns exec "$1" ethtool -n "$2" | awk '/^Total [0-9]+ rules/ { print $2 }'; }

# start_app NAME COMMAND...: an app in the background until every queue
# given says "attached" (or it exits); its pid in PID_<NAME>
start_app()
{
	local name=$1 nq

	shift
	nq=$(printf '%s\n' "$@" | grep -c ':[0-9]*:[0-9]*$')
	"$@" > "$TMP/$name.out" 2> "$TMP/$name.err" &
	printf -v "PID_$name" %s $!
	wait_for 300 sh -c "[ \$(grep -c '^attached' '$TMP/$name.out') -ge $nq ] ||
		! kill -0 $! 2>/dev/null"
	[ "$(grep -c '^attached' "$TMP/$name.out")" -ge "$nq" ]
}

# counter FILE IF:Q FIELD: the last value an app reported in FILE
counter()
{
	awk -v q="$2" -v f="$3" '$1 == "count" && $2 == q {
		for (i = 3; i < NF; i += 2) if ($i == f) v = $(i + 1) }
		END { print v + 0 }' "$1"
}

# pages_at WANT: the page count once it is WANT (a killed app's file is
# released a little after waitpid()), or what it is after 5 s
pages_at()
{
	local p n

	for n in $(seq 50); do
		p=$(cat $PAGES)
		[ "$p" = "$1" ] && break
		sleep 0.1
	done
	echo "$p"
}

# snap NAME...: every app reports its counts (SIGUSR1) before this returns
snap()
{
	local name pid want

	for name in "$@"; do
		pid=PID_$name
		want=$(($(grep -c '^count' "$TMP/$name.out") + 1))
		kill -USR1 "${!pid}"
		wait_for 100 sh -c "[ \$(grep -c '^count' '$TMP/$name.out') -ge $want ]" ||
			ktap_print_msg "$name did not report its counts"
	done
	# the last queue's line may trail the first's
	sleep 0.2
}

# source_setup NIC DST: the packet source's flows, set once (it reads them
# at each start); a hostctl call costs the debug guest a second or more
source_setup()
{
	local nic=$1 dst=$2 p

	for p in "dst-ip $dst" "src-ip 10.77.0.100" "src-port 7000" \
		 "dst-port 9000" "flows 2" "size 60" "rate $RATE" \
		 "count 0" "duration-ms 0"; do
		hostctl qom-set "$nic" pktgen-${p% *} "${p#* }" > /dev/null || return 1
	done
}

source_get() { hostctl qom-get "$1" "pktgen-$2"; }

# phase FAULT: the source on both ports, FAULT after FAULT_AT seconds
# (it sets WINDOW, seconds), the source stopped AFTER seconds later (a
# hostctl call takes the debug guest seconds: a source of fixed length
# could end before a slow fault began); each app's counts before the
# phase are kept in NAME.before, and after it appended to NAME.out;
# OFF_A, OFF_B: what the source offered, DROP_B: what it dropped on B
phase()
{
	local apps=("${LIVE[@]}")

	snap "${apps[@]}"
	for a in "${apps[@]}"; do cp "$TMP/$a.out" "$TMP/$a.before"; done
	hostctl qom-set nic0 pktgen-run true > /dev/null &&
		hostctl qom-set nic1 pktgen-run true > /dev/null ||
		ktap_exit_fail_msg "cannot start the packet source through hostctl"
	sleep $FAULT_AT
	"$@"
	sleep $AFTER
	hostctl qom-set nic0 pktgen-run false > /dev/null
	hostctl qom-set nic1 pktgen-run false > /dev/null
	OFF_A=$(source_get nic0 offered) OFF_B=$(source_get nic1 offered)
	DROP_B=$(source_get nic1 dropped)
	sleep 1		# the rings drain
	snap "${LIVE[@]}"
}

# share IF:Q: what the source offered queue Q's flow in the last phase
# (queue 2 has the first flow, 3 the second)
share()
{
	local off=$OFF_B

	[ "${1%:*}" = "$A" ] && off=$OFF_A
	if [ "${1#*:}" = 2 ]; then echo $(((off + 1) / 2)); else echo $((off / 2)); fi
}

# delta NAME IF:Q FIELD: how far the counter moved in the last phase
delta()
{
	echo $(($(counter "$TMP/$1.out" "$2" "$3") - $(counter "$TMP/$1.before" "$2" "$3")))
}

# exact NAME IF:Q...: each queue got exactly its flow's share, nothing
# else, no reset; failures in WHY
exact()
{
	local name=$1 q rx wrong resets share

	shift
	for q in "$@"; do
		share=$(share "$q")
		rx=$(delta "$name" "$q" rx) wrong=$(delta "$name" "$q" wrong)
		resets=$(delta "$name" "$q" resets)
		SEEN+="$name $q $rx/$share; "
		[ "$rx" = "$share" ] && [ "$wrong" = 0 ] && [ "$resets" = 0 ] ||
			WHY+="$name $q: rx $rx of $share, wrong $wrong, resets $resets; "
	done
}

# bounded NAME IF:Q...: each queue lost at most its flow's frames of the
# window plus SLACK, and got nothing of another flow
bounded()
{
	local name=$1 q rx wrong lost bound share

	shift
	bound=$(calc "($WINDOW + $SLACK) * $RATE / 2 + 1")
	for q in "$@"; do
		rx=$(delta "$name" "$q" rx) wrong=$(delta "$name" "$q" wrong)
		share=$(share "$q")
		lost=$((share - rx))
		SEEN+="$name $q $rx/$share (lost $lost, bound $bound); "
		[ "$lost" -le "$bound" ] && [ "$wrong" = 0 ] ||
			WHY+="$name $q: lost $lost > $bound or wrong $wrong; "
	done
}

# verdict NAME: pass or fail on WHY, showing SEEN
verdict()
{
	if [ -z "$WHY" ] && [ "${OFF_A:-0}" -gt 0 ] && [ "${OFF_B:-0}" -gt 0 ]; then
		ktap_test_pass "$1: $SEEN"
	else
		ktap_print_msg "the source offered ${OFF_A:-nothing} on A, ${OFF_B:-nothing} on B"
		ktap_test_fail "$1: ${WHY:-$SEEN}"
	fi
	WHY='' SEEN=''
}

# --- three apps on four queues --------------------------------------------

source_setup nic0 $ADDR_A && source_setup nic1 $ADDR_B ||
	ktap_exit_fail_msg "cannot set up the packet source through hostctl"
BASE=$(cat $PAGES)
start_app two "${IN_A[@]}" "$MQ" "$A:2:7000" "$A:3:7001" &&
	start_app root "${IN_B[@]}" "$MQ" "$B:3:7001" || {
	show "$TMP/two.out"; show "$TMP/two.err"; show "$TMP/root.out"; show "$TMP/root.err"
	ktap_exit_fail_msg "apps two and root did not attach"
}
P0=$(cat $PAGES)
start_app granted "${IN_B[@]}" $(drop_to $GRANTEE) "$MQ" "$B:2:7000" || {
	show "$TMP/granted.out"; show "$TMP/granted.err"
	ktap_exit_fail_msg "app granted (uid $GRANTEE) did not attach"
}
P1=$(cat $PAGES)
held=$(bind_udp $OTHER 9000)
LIVE=(two root granted)
if [ "$(cat "$CD_A/attached")" = "2 3" ] && [ "$(cat "$CD_B/attached")" = "2 3" ] &&
   [ "$(rules $NS_A "$A")" = 2 ] && [ "$(rules $NS_B "$B")" = 2 ] &&
   [ "$P0" -gt "$BASE" ] && [ "$P1" -gt "$P0" ] && [ "$held" = EADDRINUSE ]; then
	ktap_test_pass "MQ_ATTACH: 4 queues of 2 ports attached by 3 apps, 2 rules per port, pages $BASE -> $P0 -> $P1, uid $OTHER binding 9000: $held"
else
	ktap_test_fail "MQ_ATTACH: attached A '$(cat "$CD_A/attached")' B '$(cat "$CD_B/attached")', rules $(rules $NS_A "$A")/$(rules $NS_B "$B"), pages $BASE/$P0/$P1, bind 9000: $held"
fi

# The stack's own traffic both ways during all three phases: it must leave
# on queues 0 and 1 only, never on the reserved 2 and 3.
HIDDEN0="$(txq_packets $NS_A "$A" 2 3) $(txq_packets $NS_B "$B" 2 3)"
STACK0=$(($(txq_packets $NS_A "$A" 0 1) + $(txq_packets $NS_B "$B" 0 1)))
"${IN_A[@]}" ping -q -i 0.05 $ADDR_B > "$TMP/ping-a.out" 2>&1 &
PING_A=$!
"${IN_B[@]}" ping -q -i 0.05 $ADDR_A > "$TMP/ping-b.out" 2>&1 &
PING_B=$!

# --- KILL: kill -9 one app while its neighbours receive ---------------------

kill_granted()
{
	kill -KILL "$PID_granted"
	wait "$PID_granted" 2>/dev/null
	LIVE=(two root)
}
phase kill_granted
exact root "$B:3"
exact two "$A:2" "$A:3"
verdict "KILL_NEIGHBOURS: kill -9 of the app on $B queue 2 cost the others nothing"

wait_for 50 sh -c "[ \"\$(cat '$CD_B/attached')\" = 3 ]"
after=$(cat "$CD_B/attached") rules_b=$(rules $NS_B "$B")
pages=$(pages_at "$P0")
freed=$(bind_udp $OTHER 9000)
# one 2 MiB pool fits under 3 MiB only if the killed app's charge came back
mv "$TMP/granted.out" "$TMP/granted-killed.out"
start_app granted "${IN_B[@]}" prlimit --memlock=$((3 << 20)) $(drop_to $GRANTEE) "$MQ" "$B:2:7000"
again=$?
LIVE=(two root granted)
if [ "$after" = 3 ] && [ "$rules_b" = 1 ] && [ "$pages" = "$P0" ] &&
   [ "$freed" = bound ] && [ $again = 0 ]; then
	ktap_test_pass "KILL_RECLAIM: queue 2 detached, 1 rule left on $B, pages back to $P0 exactly, 9000 $freed by uid $OTHER, uid $GRANTEE attached again under a 3 MiB memlock limit"
else
	show "$TMP/granted.out"; show "$TMP/granted.err"
	ktap_test_fail "KILL_RECLAIM: attached '$after', rules $rules_b, pages $pages (want $P0), bind 9000: $freed, attach again: $again"
fi

# --- RINGS: ethtool -G on A resets both queues of the two-queue app ---------

RING=$("${IN_A[@]}" ethtool -g "$A" | awk '/^Current/ { c = 1 } c && /^RX:/ { print $2; exit }')
NEWRING=$((RING == 256 ? 512 : 256))
resize_a()
{
	local t0 n0

	n0=$(grep -c '^attached' "$TMP/two.out")
	t0=$(now)
	"${IN_A[@]}" ethtool -G "$A" rx $NEWRING ||
		ktap_print_msg "ethtool -G $A rx $NEWRING failed"
	wait_for 300 sh -c "[ \$(grep -c '^attached' '$TMP/two.out') -ge $((n0 + 2)) ]"
	WINDOW=$(awk -v t0="$t0" '$1 == "attached" { t = $3 } END { printf "%.3f", t - t0 }' "$TMP/two.out")
}
phase resize_a
exact root "$B:3"
exact granted "$B:2"
verdict "RINGS_NEIGHBOURS: ethtool -G rx $NEWRING on $A cost the apps on $B nothing"
bounded two "$A:2" "$A:3"
r2=$(delta two "$A:2" resets) r3=$(delta two "$A:3" resets)
[ "$r2" = 1 ] && [ "$r3" = 1 ] || WHY+="resets $r2 and $r3, 1 each expected; "
verdict "RINGS_APP: both queues of the two-queue app reset once and attached again within ${WINDOW} s"

# --- FLAP: B's link goes down and up ------------------------------------------

flap_b()
{
	local t0 t1 n0

	n0=$(grep -c '^attached' "$TMP/granted.out")$(grep -c '^attached' "$TMP/root.out")
	t0=$(now)
	hostctl set_link nic1 off > /dev/null && wait_for 100 sh -c "! ip -n $NS_B -o link show dev $B | grep -q LOWER_UP"
	sleep 1
	hostctl set_link nic1 on > /dev/null && wait_for 150 link_is_up $NS_B "$B"
	t1=$(now)
	# an app whose queue was reset in the flap is back once it says so
	for a in granted root; do
		if grep -q '^reset' "$TMP/$a.out" &&
		   [ "$(grep -c '^reset' "$TMP/$a.out")" -gt "$(grep -c '^reset' "$TMP/$a.before")" ]; then
			wait_for 300 sh -c "[ \$(grep -c '^attached' '$TMP/$a.out') -gt \$(grep -c '^attached' '$TMP/$a.before') ]"
			t1=$(awk -v t="$t1" '$1 == "attached" && $3 > t { t = $3 } END { print t }' "$TMP/$a.out")
		fi
	done
	WINDOW=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
}
phase flap_b
exact two "$A:2" "$A:3"
verdict "FLAP_NEIGHBOURS: a link flap of $B cost the two-queue app on $A nothing"
bounded granted "$B:2"
bounded root "$B:3"
# the link was down while the source ran: else nothing was tested
[ "${DROP_B:-0}" -gt 0 ] || WHY+="the source dropped nothing on $B: the flap missed it; "
SEEN+="source dropped $DROP_B on $B; "
verdict "FLAP_APP: the apps on $B lost only the ${WINDOW} s window"

# --- the end ------------------------------------------------------------------

kill -INT $PING_A $PING_B
wait $PING_A $PING_B
hidden="$(txq_packets $NS_A "$A" 2 3) $(txq_packets $NS_B "$B" 2 3)"
stack=$(($(txq_packets $NS_A "$A" 0 1) + $(txq_packets $NS_B "$B" 0 1) - STACK0))
replies=$(cat "$TMP/ping-a.out" "$TMP/ping-b.out" | sed -n 's/.* \([0-9]*\) received.*/\1/p' | tr '\n' ' ')
if [ "$hidden" = "$HIDDEN0" ] && [ "$stack" -gt 0 ]; then
	ktap_test_pass "STACK_TX_HIDDEN: the stack sent $stack packets on queues 0-1 (ping replies ${replies% }) and none on 2-3 (A, B: $hidden)"
else
	ktap_test_fail "STACK_TX_HIDDEN: queues 2-3 of A, B went from $HIDDEN0 to $hidden; queues 0-1 sent $stack"
fi

status=''
for a in "${LIVE[@]}"; do
	pid=PID_$a
	kill -TERM "${!pid}"
	wait "${!pid}"
	status+="$a $? "
done
wrong=$(cat "$TMP"/*.out | awk '$1 == "count" { for (i = 3; i < NF; i += 2) if ($i == "wrong") w += $(i + 1) } END { print w + 0 }')
pages=$(pages_at "$BASE")
pings=$("${IN_A[@]}" ping -c 5 -i 0.3 -W 2 $ADDR_B | sed -n 's/.* \([0-9]*\) received.*/\1/p')
if [ "$status" = "two 0 root 0 granted 0 " ] && [ "$wrong" = 0 ] &&
   [ "$(rules $NS_A "$A")" = 0 ] && [ "$(rules $NS_B "$B")" = 0 ] &&
   [ "$pages" = "$BASE" ] && [ "$pings" = 5 ] && grep -q '^end' "$TMP/two.out"; then
	ktap_test_pass "MQ_END: every app exited 0, 0 frames of another flow, 0 rules, pages back to $BASE, 5 of 5 pings"
else
	for a in two root granted; do show "$TMP/$a.err"; done
	ktap_test_fail "MQ_END: exit status $status, wrong $wrong, rules $(rules $NS_A "$A")/$(rules $NS_B "$B"), pages $pages (want $BASE), pings ${pings:-0}/5"
fi

# --- l2fwd between two queues of one port -------------------------------------

# With the apps gone: l2fwd -s receives udp L2FWD_PORT on queue 2 of B and
# sends each frame, MAC addresses swapped, out of TX queue 3 of B.  Each
# queue has its own pool, so that is a copy.  A's tcpdump catches the
# frames coming back (A's stack drops them: the IP destination is B's).
L2FWD=$BIFURC_TOP/lib/libbifurc/build/examples/l2fwd
L2FWD_N=50 L2FWD_PORT=9104
export LD_LIBRARY_PATH=$BIFURC_TOP/lib/libbifurc/build${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
MAC_B=$(ip -n $NS_B -o link show dev "$B" | sed -n 's|.* link/ether \([0-9a-f:]*\) .*|\1|p')
tx0=$(ethtool_stat $NS_B "$B" bifurc_q3_tx_packets)
"${IN_A[@]}" timeout -k 5 120 tcpdump -i "$A" -n -c $L2FWD_N -w "$TMP/l2fwd.pcap" \
	"ether src $MAC_B and udp dst port $L2FWD_PORT" > /dev/null 2> "$TMP/tcpdump.err" &
tcpd=$!
"${IN_B[@]}" "$L2FWD" -s -t 600 "$B" 2 "$B" 3 udp $L2FWD_PORT > "$TMP/l2fwd.out" 2> "$TMP/l2fwd.err" &
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
tx1=$(ethtool_stat $NS_B "$B" bifurc_q3_tx_packets)
caught=$(tcpdump -r "$TMP/l2fwd.pcap" -n 2>/dev/null | grep -c "$ADDR_A.* > $ADDR_B.$L2FWD_PORT: UDP")
total=$(sed -n 's/^total \([0-9]*\) packets .* forwarded, \([0-9]*\) dropped.*/\1 \2/p' "$TMP/l2fwd.out")
if [ $rc -eq 0 ] && [ $sent -eq 1 ] && [ "$total" = "$L2FWD_N 0" ] &&
   [ "$caught" = "$L2FWD_N" ] && grep -q "queue 3, copy," "$TMP/l2fwd.out" &&
   [ $((tx1 - tx0)) -eq $L2FWD_N ]; then
	ktap_test_pass "L2FWD_TWO_QUEUES: l2fwd -s $B 2 -> $B 3 forwarded $L2FWD_N of $L2FWD_N (copy), A caught $caught with B's source MAC, queue 3 tx_packets +$L2FWD_N"
else
	show "$TMP/l2fwd.out"; show "$TMP/l2fwd.err"; show "$TMP/tcpdump.err"
	ktap_test_fail "L2FWD_TWO_QUEUES: exit $rc, total '${total:-none}', A caught ${caught:-0} of $L2FWD_N, queue 3 tx_packets $tx0 -> $tx1, send ok $sent"
fi
ktap_finished
