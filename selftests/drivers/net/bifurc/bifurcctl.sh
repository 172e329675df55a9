#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Description: bifurcctl against the real driver on the emulated 82599
# pair: reserve, steer, dev/stats/steer list JSON checked against sysfs,
# ethtool -n and ethtool -S after a known number of frames, release, and
# a usage error in every command.
#
#   namespace bifurc-a              namespace bifurc-b
#   +-------------------+           +----------------------------------+
#   | port A  10.77.0.1 |--- hub ---| port B  10.77.0.2                |
#   | flows.py send     |           |   queue Q: bifurcctl reserve,    |
#   +-------------------+           |   steer add udp4 dst-port -> Q,  |
#                                   |   rxdrop attached (libbifurc)    |
#                                   +----------------------------------+
#
# Cases, one TAP line each:
#   RESERVE            bifurcctl reserve B queue Q: exit 0, sysfs says Q
#   DEV_JSON           -j dev and -j dev B parse; B's queues, reserved,
#                      attached, ifindex, bdf, driver, ntuple, chardev
#                      match sysfs, ethtool -l and ethtool -S
#   GRANT              grant B queue Q user 4242: the kernel's grant
#                      attribute and the node's owner say so, and uid
#                      4242's rxdrop attaches Q; grant ... none revokes
#                      the kernel grant: the node is still 4242's, and
#                      its ATTACH is refused with EPERM
#   STEER_ADD          steer add prints "Added rule L"; ethtool -n shows
#                      rule L: udp4, dst port, action queue Q
#   STEER_LIST_JSON    -j steer list parses and holds exactly rule L, in
#                      a table of more than L locations
#   DEV_ATTACHED       with rxdrop on Q, -j dev B says attached Q (and so
#                      does sysfs)
#   RX_STEERED         rxdrop receives exactly the N datagrams sent
#   STATS_JSON         -j stats B and -j stats B queue Q parse and equal
#                      every bifurc_q<Q>_* counter of ethtool -S;
#                      rx_packets grew by N, rx_bytes by N frame lengths
#   STATS_RATES_JSON   -j stats B -w 0.2 parses, a rate per counter
#   TOP_COUNT          -j top B, 12 intervals of 1 s; after the first the
#                      model's packet source offers 2,000 frames of the
#                      steered flow: the first interval shows 0, the
#                      intervals' packets add up to 2,000 exactly
#   DEV_OWNER          rxdrop on Q with a rule of its own (udp PORT+1):
#                      -j dev B gives Q's owner as rxdrop's pid, comm
#                      "rxdrop", uid 0, mode ring irq rx, and rules [R]
#                      where R is the rule rxdrop printed and ethtool -n
#                      lists; -j steer list marks R with Q and the pid,
#                      rule L with nobody; after kill -9, owner null and
#                      rule R gone
#   STEER_DEL          steer del B rule L: exit 0, gone from ethtool -n
#                      and from -j steer list
#   RELEASE            release B queue Q: exit 0; sysfs, -j dev and
#                      ethtool -S show no reserved queue
#   USAGE_<command>    dev, reserve, release, steer add, steer del, steer
#                      list, stats, grant, an unknown command and an
#                      unknown option: every typo or bad argument exits 2
#                      with one line on stderr, "bifurcctl: ...", naming
#                      the bad word, and nothing on stdout
#
# Needs: CONFIG_IXGBE_BIFURC=y, root, ethtool, setpriv, python3; bifurcctl
# and the libbifurc examples built (make -C tools/bifurcctl; make -C
# lib/libbifurc).  Skips (exit 4) without bifurc.
cd "$(dirname "$0")" || exit 1
export BIFURC_TOP=${BIFURC_TOP:-$(cd ../../../.. && pwd)}
. ../../../lib/ktap.sh && . ../../../lib/model.sh

TOP=$BIFURC_TOP
CTL=$TOP/tools/bifurcctl/build/bifurcctl
RXDROP=$TOP/lib/libbifurc/build/examples/rxdrop
export LD_LIBRARY_PATH=$TOP/lib/libbifurc/build${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
JCHECK=$TOP/selftests/lib/ctl_json.py
N=100 PORT=9200 SIZE=64
FALLBACK_LOC=100
FRAME_LEN=$((14 + 20 + 8 + SIZE))	# what rx_bytes counts per datagram
TMP=$(mktemp -d)
QUEUE="" CD=""
BIFURC_GID=4100	# group "bifurc" of 60-bifurc.rules, by number

cleanup()
{
	hostctl qom-set nic1 pktgen-run false > /dev/null 2>&1
	release_queue
}
trap cleanup EXIT
trap 'exit 130' INT TERM

ktap_print_header
[ -x "$CTL" ] || ktap_exit_fail_msg "$CTL not built (make -C tools/bifurcctl)"
[ -x "$RXDROP" ] || ktap_exit_fail_msg "$RXDROP not built (make -C lib/libbifurc)"
bifurc_pair
last_queue
BDF=$(basename "$(ip netns exec $NS_B readlink -f "/sys/class/net/$B/device")")
IFINDEX=$(ip netns exec $NS_B cat "/sys/class/net/$B/ifindex")
ktap_print_msg "$B ($BDF, ifindex $IFINDEX) queue $QUEUE of $NQ; A=$A $ADDR_A, B=$B $ADDR_B"
ktap_set_plan 23

inb() { ip netns exec $NS_B "$@"; }
show() { [ -s "$1" ] && sed 's/^/# /' "$1"; }

# ctl EXPECTED_RC ARGS...: bifurcctl in B's namespace, stdout in $OUT
# (default $TMP/out), stderr in $TMP/err; fails unless it exits
# EXPECTED_RC
ctl()
{
	local want=$1 rc

	shift
	inb "$CTL" "$@" > "${OUT:-$TMP/out}" 2> "$TMP/err"
	rc=$?
	[ $rc -eq "$want" ] && return 0
	echo "bifurcctl $*: exit $rc, expected $want"
	echo "stdout: $(head -c 400 "$TMP/out")"
	echo "stderr: $(head -c 400 "$TMP/err")"
	return 1
}

ethtool_s() { inb ethtool -S "$B" > "$TMP/ethtool-S"; }

# check_dev RESERVED ATTACHED: -j dev and -j dev B against sysfs and ethtool
check_dev()
{
	local reserved=$1 attached=$2 sys_res sys_att rxq

	sys_res=$(tr ' ' , < "$CD/reserved") sys_att=$(tr ' ' , < "$CD/attached")
	[ "$sys_res" = "$reserved" ] && [ "$sys_att" = "$attached" ] ||
		{ echo "sysfs: reserved \"$sys_res\" attached \"$sys_att\""; return 1; }
	rxq=$(inb sh -c "ls -d /sys/class/net/$B/queues/rx-*" | wc -l)
	[ "$rxq" -eq "$NQ" ] || { echo "sysfs has $rxq rx queues, ethtool -l $NQ"; return 1; }
	ethtool_s || return 1
	OUT=$TMP/all ctl 0 -j dev && ctl 0 -j dev "$B" &&
	python3 -S "$JCHECK" dev "$TMP/all" "$B" "$TMP/ethtool-S" \
		queues="$NQ" reserved="$reserved" attached="$attached" \
		ifindex="$IFINDEX" bdf="$BDF" driver=ixgbe ntuple=true \
		operstate=up chardev="/dev/bifurc/$BDF" -- \
		dev "$TMP/out" "$B" "$TMP/ethtool-S" \
		queues="$NQ" reserved="$reserved" attached="$attached" &&
	{ [ -c "/dev/bifurc/$BDF" ] || { echo "/dev/bifurc/$BDF is not a character device"; return 1; }; }
}

# --- reserve, dev -----------------------------------------------------

t_reserve()
{
	ctl 0 reserve "$B" queue "$QUEUE" &&
	{ [ "$(cat "$CD/reserved")" = "$QUEUE" ] || { echo "sysfs reserved: $(cat "$CD/reserved")"; return 1; }; }
}
ktap_check "RESERVE: bifurcctl reserve $B queue $QUEUE" t_reserve
ktap_check "DEV_JSON: -j dev matches sysfs, ethtool -l and ethtool -S" check_dev "$QUEUE" ""

# --- grant --------------------------------------------------------------

# grantee_rxdrop UID [GID]: rxdrop on B's queue Q for a moment, as UID
# without capabilities, in supplementary group GID if given
grantee_rxdrop()
{
	local groups=--clear-groups

	[ -n "$2" ] && groups=--groups=$2
	inb setpriv --reuid="$1" --regid="$1" "$groups" --inh-caps=-all \
		"$RXDROP" -t 0.2 "$B" "$QUEUE" > "$TMP/grantee.out" 2> "$TMP/grantee.err"
}

# grantee_fails UID GID TEXT: rxdrop as UID fails, saying TEXT
grantee_fails()
{
	! grantee_rxdrop "$1" "$2" && grep -q "$3" "$TMP/grantee.err" ||
		{ echo "uid $1 (group ${2:-none}): $(cat "$TMP/grantee.out" "$TMP/grantee.err")"; return 1; }
}

# The node as the driver makes it (root:root 0600), then as udev's
# 60-bifurc.rules leaves it (group bifurc, 0660; BIFURC_GID stands for
# that group here).  grant changes the kernel grant only.
t_grant()
{
	local node=/dev/bifurc/$BDF got

	chown 0:0 "$node" && chmod 0600 "$node" &&
	ctl 0 grant "$B" queue "$QUEUE" user 4242 || return 1
	got=$(cat "$CD/grant")
	[ "$got" = "$QUEUE user 4242" ] || { echo "grant attribute: \"$got\""; return 1; }
	[ "$(stat -c '%u %g %a' "$node")" = "0 0 600" ] ||
		{ echo "grant changed $node: $(stat -c '%u %g %a' "$node")"; return 1; }
	grep -q "user 4242 cannot open $node" "$TMP/out" ||
		{ echo "no note that uid 4242 cannot open the node: $(cat "$TMP/out")"; return 1; }
	# the kernel grant alone does not open the node (EACCES)
	grantee_fails 4242 "" "no permission on the bifurc device node" || return 1
	chgrp "$BIFURC_GID" "$node" && chmod 0660 "$node" || return 1
	grantee_rxdrop 4242 "$BIFURC_GID" ||
		{ echo "uid 4242 in group $BIFURC_GID with the grant: $(cat "$TMP/grantee.err")"; return 1; }
	# the group alone attaches nothing: ATTACH refuses, EPERM (libbifurc's
	# words for it; EACCES or any other errno reads differently)
	grantee_fails 4243 "$BIFURC_GID" "is not granted to this user" || return 1
	ctl 0 grant "$B" queue "$QUEUE" none || return 1
	got=$(cat "$CD/grant")
	[ -z "$got" ] || { echo "after grant none: \"$got\""; return 1; }
	grantee_fails 4242 "$BIFURC_GID" "is not granted to this user"
}
ktap_check "GRANT: grant $B queue $QUEUE user 4242 leaves the node alone; opens only through its group, attaches only with the grant (EACCES, EPERM)" t_grant
chown 0:0 "/dev/bifurc/$BDF" && chmod 0600 "/dev/bifurc/$BDF"

# --- steer --------------------------------------------------------------

LOC=
t_steer_add()
{
	ctl 0 steer add "$B" udp4 dst-port $PORT queue "$QUEUE" || return 1
	LOC=$(sed -n 's/^Added rule \([0-9]*\)$/\1/p' "$TMP/out")
	[ -n "$LOC" ] || { echo "no \"Added rule L\": $(cat "$TMP/out")"; return 1; }
	inb ethtool -n "$B" > "$TMP/ethtool-n"
	awk -v loc="$LOC" '$1 == "Filter:" { f = ($2 == loc) } f' "$TMP/ethtool-n" > "$TMP/rule"
	grep -q "Rule Type: UDP over IPv4" "$TMP/rule" &&
	grep -q "Dest port: $PORT mask: 0x0" "$TMP/rule" &&
	grep -q "Action: Direct to queue $QUEUE" "$TMP/rule" &&
	[ "$(grep -c '^Filter:' "$TMP/ethtool-n")" -eq 1 ] ||
		{ sed 's/^/ethtool -n: /' "$TMP/ethtool-n"; return 1; }
}
ktap_check "STEER_ADD: steer add $B udp4 dst-port $PORT queue $QUEUE shows in ethtool -n" t_steer_add
LOC=$(inb ethtool -n "$B" | awk '$1 == "Filter:" { print $2; exit }')
if [ -z "$LOC" ]; then
	# STEER_ADD failed: a rule at a location of our choosing keeps the
	# cases below (list, traffic, stats, del) meaningful
	LOC=$FALLBACK_LOC
	ctl 0 steer add "$B" udp4 dst-port $PORT queue "$QUEUE" loc $LOC > /dev/null ||
		{ show "$TMP/err"; LOC=; }
	ktap_print_msg "STEER_ADD failed; steer add ... loc $FALLBACK_LOC: $([ -n "$LOC" ] && echo added || echo failed too)"
fi

t_steer_list()
{
	[ -n "$LOC" ] || { echo "no rule to list"; return 1; }
	ctl 0 -j steer list "$B" &&
	# the table holds the rule: its size is more than the location
	python3 -S "$JCHECK" rules "$TMP/out" count=1 loc="$LOC" flow=udp4 \
		dst_port=$PORT action=queue queue="$QUEUE" table_size_above="$LOC"
}
ktap_check "STEER_LIST_JSON: -j steer list holds rule ${LOC:-?}" t_steer_list

# --- traffic through the rule to an attached app ------------------------

ethtool_s
before=$(awk -v k="bifurc_q${QUEUE}_rx_packets:" '$1 == k { print $2 }' "$TMP/ethtool-S")
before_bytes=$(awk -v k="bifurc_q${QUEUE}_rx_bytes:" '$1 == k { print $2 }' "$TMP/ethtool-S")
# no flow of its own: the packets come through bifurcctl's rule.  Not
# through inb: the SIGINT below must reach rxdrop itself, not a subshell
# (see examples.sh).
ip netns exec $NS_B "$RXDROP" -t 600 "$B" "$QUEUE" > "$TMP/rxdrop.out" 2> "$TMP/rxdrop.err" &
pid=$!
wait_for 150 grep -q "^rxdrop: $B queue $QUEUE" "$TMP/rxdrop.out"
ktap_check "DEV_ATTACHED: -j dev says queue $QUEUE attached while rxdrop runs" check_dev "$QUEUE" "$QUEUE"
sent=0
send_udp $NS_A $ADDR_B $PORT $N --size $SIZE > "$TMP/send.out" 2>&1 && sent=1
wait_for 150 grep -q " $N packets" "$TMP/rxdrop.out"
sleep 1		# one datagram too many would show up now
kill -INT $pid 2>/dev/null
wait $pid
rc=$?
total=$(awk '$1 == "total" { print $2 }' "$TMP/rxdrop.out")
if [ $rc -eq 0 ] && [ $sent -eq 1 ] && [ "$total" = "$N" ]; then
	ktap_test_pass "RX_STEERED: rxdrop received $total of $N datagrams through rule $LOC"
else
	show "$TMP/rxdrop.out"; show "$TMP/rxdrop.err"; show "$TMP/send.out"
	ktap_test_fail "RX_STEERED: rxdrop exit $rc, ${total:-no} of $N datagrams, send ok: $sent"
fi

t_stats()
{
	local want_pk=$((before + N)) want_by=$((before_bytes + N * FRAME_LEN))

	ethtool_s || return 1
	OUT=$TMP/all ctl 0 -j stats "$B" && ctl 0 -j stats "$B" queue "$QUEUE" &&
	python3 -S "$JCHECK" stats "$TMP/all" "$B" "$TMP/ethtool-S" \
		"q$QUEUE.rx_packets=$want_pk" "q$QUEUE.rx_bytes=$want_by" -- \
		stats "$TMP/out" "$B" "$TMP/ethtool-S" queue="$QUEUE" \
		"q$QUEUE.rx_packets=$want_pk"
}
ktap_check "STATS_JSON: -j stats equals ethtool -S after $N frames of $FRAME_LEN bytes" t_stats

t_rates()
{
	ctl 0 -j stats "$B" -w 0.2 &&
	python3 -S - "$TMP/out" "$QUEUE" <<'EOF'
import json, sys
j = json.load(open(sys.argv[1]))
q = [x for x in j["queues"] if x["queue"] == int(sys.argv[2])]
assert j["interval"] > 0, j
assert len(q) == 1, j
assert set(q[0]["rates"]) == set(q[0]["counters"]), q
assert all(r == 0 for r in q[0]["rates"].values()), f"rates with no traffic: {q}"
EOF
}
ktap_check "STATS_RATES_JSON: -j stats -w 0.2 has a rate per counter" t_rates

# --- top: the live view -------------------------------------------------

# t_top: rxdrop on Q, -j top B -n 12 -d 1 running; once top has printed its
# first interval, the model's packet source offers TOP_COUNT frames of the
# steered flow and stops.  Exact accounting, not a rate: the first interval
# (before the source) shows 0 packets, the per-interval packets (-j's
# rx_packets; rx_pps x interval is only as exact as their three printed
# decimals) add up to TOP_COUNT exactly (top loses none between two
# intervals and counts none twice), and nothing was dropped for want of
# buffers.  The burst lasts 1 s of the source's clock; the eleven
# intervals after the first leave a loaded TCG guest 11 s for it.
TOP_COUNT=2000
t_top()
{
	local pid tpid p rc

	# -t: a bound for a test gone wrong; SIGINT ends it (CI once ran the
	# source configuration and top past a 60 s bound, in a loaded guest)
	ip netns exec $NS_B "$RXDROP" -t 600 "$B" "$QUEUE" > "$TMP/top-rx.out" 2>&1 &
	pid=$!
	wait_for 150 grep -q "^rxdrop: $B queue $QUEUE" "$TMP/top-rx.out" ||
		{ kill -INT $pid; echo "rxdrop did not attach: $(cat "$TMP/top-rx.out")"; return 1; }
	for p in "dst-ip $ADDR_B" "src-ip 10.77.0.100" "src-port 7000" "dst-port $PORT" \
		 "flows 1" "size 60" "rate 2000" "count $TOP_COUNT" "duration-ms 0"; do
		hostctl qom-set nic1 "pktgen-${p% *}" "${p#* }" > /dev/null ||
			{ kill -INT $pid; echo "hostctl qom-set nic1 pktgen-$p failed"; return 1; }
	done
	inb "$CTL" -j top "$B" -n 12 -d 1 > "$TMP/top.json" 2> "$TMP/err" &
	tpid=$!
	wait_for 150 test -s "$TMP/top.json" &&
		hostctl qom-set nic1 pktgen-run true > /dev/null ||
		{ kill -INT $pid $tpid; echo "top printed nothing, or the source did not start: $(cat "$TMP/err")"; return 1; }
	wait $tpid
	rc=$?
	hostctl qom-set nic1 pktgen-run false > /dev/null
	kill -INT $pid
	wait $pid
	[ $rc -eq 0 ] || { echo "top: exit $rc: $(cat "$TMP/err")"; return 1; }
	python3 -S - "$TMP/top.json" "$QUEUE" $TOP_COUNT > "$TMP/top.msg" <<'EOF'
import json, sys
q, count = int(sys.argv[2]), int(sys.argv[3])
lines = open(sys.argv[1]).read().splitlines()
assert len(lines) == 12, lines
got = []
for line in lines:
    j = json.loads(line)
    x = [e for e in j["queues"] if e["queue"] == q]
    assert len(x) == 1, j
    got.append(x[0]["rx_packets"])
    assert x[0]["no_buf_ps"] == 0, (got, line)
assert got[0] == 0, got
assert sum(got) == count, got
print("packets per interval %s, %d in all" % (got, sum(got)))
EOF
}
ktap_check "TOP_COUNT: -j top $B -n 12 -d 1: 0 before the source, the intervals add up to the $TOP_COUNT frames offered" t_top
[ -s "$TMP/top.msg" ] && ktap_print_msg "top: $(cat "$TMP/top.msg")"

# --- who holds the queue ------------------------------------------------

# owner_is WANT: WANT is Python for -j dev B's owner of queue Q, given
# pid, rule; "ok" when they match
owner_is()
{
	ctl 0 -j dev "$B" && python3 -S - "$TMP/out" "$QUEUE" "$1" "${2:-0}" "${3:-0}" <<'EOF2'
import json, sys
j = json.load(open(sys.argv[1]))
q, pid, rule = int(sys.argv[2]), int(sys.argv[4]), int(sys.argv[5])
owner = [x for x in j[0]["reserved_queues"] if x["queue"] == q][0]["owner"]
assert j[0]["owners"] is True, j
assert owner == eval(sys.argv[3]), owner
EOF2
}

t_owner()
{
	local pid rule

	ip netns exec $NS_B "$RXDROP" -t 600 "$B" "$QUEUE" udp $((PORT + 1)) > "$TMP/own.out" 2>&1 &
	pid=$!
	wait_for 150 grep -q "steered (rule" "$TMP/own.out" ||
		{ kill -9 $pid; echo "rxdrop did not attach: $(cat "$TMP/own.out")"; return 1; }
	rule=$(sed -n 's/.*steered (rule \([0-9]*\)).*/\1/p' "$TMP/own.out")
	inb ethtool -n "$B" | grep -qx "Filter: $rule" ||
		{ kill -9 $pid; echo "ethtool -n has no rule $rule"; return 1; }
	owner_is '{"pid": pid, "comm": "rxdrop", "uid": 0, "since": owner["since"], "mode": ["ring", "irq", "rx"], "rules": [rule]}' $pid "$rule" ||
		{ kill -9 $pid; cat "$TMP/out"; return 1; }
	# steer list marks the app's rule with its holder, the admin's not
	ctl 0 -j steer list "$B" && python3 -S - "$TMP/out" "$QUEUE" $pid "$rule" "${LOC:--1}" <<'EOF2' ||
import json, sys
j = json.load(open(sys.argv[1]))
q, pid, rule, admin = (int(a) for a in sys.argv[2:])
own = {r["loc"]: r["owner"] and (r["owner"]["queue"], r["owner"]["pid"], r["owner"]["comm"]) for r in j["rules"]}
assert own.get(rule) == (q, pid, "rxdrop"), own
assert admin < 0 or own[admin] is None, own
EOF2
		{ kill -9 $pid; cat "$TMP/out"; return 1; }
	kill -9 $pid
	wait $pid 2>/dev/null
	wait_for 150 eval '[ -z "$(cat "$CD/attached")" ]' &&
	owner_is None &&
	{ ! inb ethtool -n "$B" | grep -qx "Filter: $rule" || { echo "rule $rule outlived its owner"; return 1; }; }
}
ktap_check "DEV_OWNER: -j dev $B names rxdrop (pid, comm, uid, mode) and its rule; after kill -9, nobody" t_owner

# --- steer del, release -----------------------------------------------

t_steer_del()
{
	[ -n "$LOC" ] || { echo "no rule to delete"; return 1; }
	ctl 0 steer del "$B" rule "$LOC" &&
	{ ! inb ethtool -n "$B" | grep -q '^Filter:' || { inb ethtool -n "$B"; return 1; }; } &&
	ctl 0 -j steer list "$B" && python3 -S "$JCHECK" rules "$TMP/out" count=0
}
ktap_check "STEER_DEL: steer del $B rule ${LOC:-?}" t_steer_del

t_release()
{
	ctl 0 release "$B" queue "$QUEUE" || return 1
	check_dev "" "" &&
	{ ! grep -q "bifurc_q" "$TMP/ethtool-S" || { echo "ethtool -S still has bifurc counters"; return 1; }; } &&
	ctl 0 -j stats "$B" &&
	python3 -S -c 'import json, sys; q = json.load(open(sys.argv[1]))["queues"]; sys.exit(q != [])' "$TMP/out"
}
ktap_check "RELEASE: release $B queue $QUEUE" t_release

# --- usage errors -------------------------------------------------------

# bad WORD ARGS...: exit 2, stdout empty, stderr exactly one line that
# starts "bifurcctl: " and contains WORD
bad()
{
	local word=$1 rc
	local -a err

	shift
	# bifurcctl rejects usage before it looks at any device, so these
	# need no ip netns exec (half a second each in the debug guest)
	"$CTL" "$@" > "$TMP/out" 2> "$TMP/err"
	rc=$?
	# builtins only: a process costs a third of a second in the debug guest
	mapfile -t err < "$TMP/err"
	if [ $rc -ne 2 ] || [ ${#err[@]} -ne 1 ] || [ -s "$TMP/out" ] ||
	   [[ ${err[0]} != "bifurcctl: "* ]] || [[ ${err[0]} != *"$word"* ]]; then
		echo "bifurcctl $*: exit $rc (wanted 2), stdout \"$(head -c 200 "$TMP/out")\", stderr:"
		sed 's/^/  /' "$TMP/err"
		echo "(wanted one line naming $word)"
		return 1
	fi
}

u_dev()
{
	bad "\"$B\"" dev "$B" "$B" &&
	bad '"extra"' dev "$B" extra
}
u_reserve()
{
	bad '"qeue"' reserve "$B" qeue 1 &&
	bad '"x"' reserve "$B" queue x &&
	bad '"128"' reserve "$B" queue 128 &&
	bad "missing queue number" reserve "$B" queue &&
	bad "missing interface" reserve &&
	bad '"extra"' reserve "$B" queue 1 extra
}
u_release()
{
	bad '"forse"' release "$B" queue 1 forse &&
	bad '"-1"' release "$B" queue -1 &&
	bad '"qu"' release "$B" qu 1
}
u_steer_add()
{
	bad '"ad"' steer ad "$B" udp4 dst-port 53 queue 1 &&
	bad '"udp5"' steer add "$B" udp5 dst-port 53 queue 1 &&
	bad '"dst-prot"' steer add "$B" udp4 dst-prot 53 queue 1 &&
	bad '"70000"' steer add "$B" udp4 dst-port 70000 queue 1 &&
	bad '"10.0.0.300"' steer add "$B" udp4 dst-ip 10.0.0.300 queue 1 &&
	bad "missing action" steer add "$B" udp4 dst-port 53 &&
	bad "more than one action" steer add "$B" udp4 dst-port 1 queue 1 drop
}
u_steer_del()
{
	bad '"rul"' steer del "$B" rul 5 &&
	bad '"five"' steer del "$B" rule five &&
	bad "missing rule location" steer del "$B" rule
}
u_steer_list()
{
	bad '"extra"' steer list "$B" extra &&
	bad '"lst"' steer lst "$B"
}
u_stats()
{
	bad '"quue"' stats "$B" quue 1 &&
	bad '"0"' stats "$B" -w 0 &&
	bad '"abc"' stats "$B" queue abc &&
	bad "missing seconds" stats "$B" -w
}
u_grant()
{
	bad '"usr"' grant "$B" queue 1 usr root &&
	bad '"nosuchuser_bifurc"' grant "$B" queue 1 user nosuchuser_bifurc &&
	bad "missing \"user U\"" grant "$B" queue 1
}
u_unknown()
{
	bad '"resrve" (did you mean "reserve"?)' resrve "$B" queue 1 &&
	bad '"frobnicate"' frobnicate
}
u_option()
{
	bad '"-x"' -x dev &&
	bad '"--bogus"' --bogus dev
}
ktap_check "USAGE_dev: bad arguments exit 2, one line" u_dev
ktap_check "USAGE_reserve: bad arguments exit 2, one line" u_reserve
ktap_check "USAGE_release: bad arguments exit 2, one line" u_release
ktap_check "USAGE_steer_add: bad arguments exit 2, one line" u_steer_add
ktap_check "USAGE_steer_del: bad arguments exit 2, one line" u_steer_del
ktap_check "USAGE_steer_list: bad arguments exit 2, one line" u_steer_list
ktap_check "USAGE_stats: bad arguments exit 2, one line" u_stats
ktap_check "USAGE_grant: bad arguments exit 2, one line" u_grant
ktap_check "USAGE_unknown_command: exit 2, one line" u_unknown
ktap_check "USAGE_unknown_option: exit 2, one line" u_option

ktap_finished
