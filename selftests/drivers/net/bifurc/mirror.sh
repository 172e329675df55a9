#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Description: tcpdump on a bypassed queue (issue 22).  udp-echo answers a
# client in the other namespace through bifurc RX and TX; with the queue's
# mirror on, tcpdump on port B must hold exactly the requests and replies
# the client's side saw on the wire, byte for byte, while the stack never
# sees them; with it off, nothing.
#
#   namespace bifurc-a                namespace bifurc-b
#   +---------------------+           +----------------------------------+
#   | port A  10.77.0.1   |--- hub ---| port B  10.77.0.2                |
#   | examples.py echo,   |           |   queue Q: udp-echo (RX and TX), |
#   | tcpdump (the wire)  |           |   mirror on: tcpdump -i B sees Q |
#   +---------------------+           +----------------------------------+
#
# Cases, one TAP line each:
#   MIRROR_REFUSED   the mirror attribute refuses a malformed line
#                    (EINVAL), a queue that does not exist (ERANGE), one
#                    that is not reserved (EADDRNOTAVAIL) and root without
#                    CAP_NET_ADMIN (EPERM); after them no queue is mirrored
#   MIRROR_NO_TAP    mirror on, no tap open: ECHO_N echoes, 0 copies
#                    (bifurc_qQ_mirrored)
#   MIRROR_TCPDUMP   mirror on, tcpdump -w on B and on A, and a UDP socket
#                    bound to the port on B: ECHO_N exact echoes; B's file
#                    holds the ECHO_N requests and ECHO_N replies equal to
#                    A's (Ethernet header and IPv4 datagram), nothing else;
#                    the socket got 0 (the stack did not process the
#                    copies); mirrored grew by 2 x ECHO_N; dev -j says the
#                    queue is mirrored
#   MIRROR_IN_ONLY   tcpdump -Q in on B during the same run holds 0: taps
#                    see the copies as outgoing (PACKET_OUTGOING)
#   MIRROR_OFF       mirror off: ECHO_N echoes, B's file holds 0, mirrored
#                    unchanged
#   MIRROR_RELEASE   mirror on, then release: the attribute and dev -j show
#                    no mirrored queue, also after reserving the queue again
#
# Needs: CONFIG_IXGBE_BIFURC=y, root, ethtool, tcpdump, setpriv, python3;
# bifurcctl and the libbifurc examples built.  Skips (exit 4) without
# bifurc or without the mirror attribute (a series before v11).
cd "$(dirname "$0")" || exit 1
export BIFURC_TOP=${BIFURC_TOP:-$(cd ../../../.. && pwd)}
. ../../../lib/ktap.sh && . ../../../lib/model.sh

TOP=$BIFURC_TOP
CTL=$TOP/tools/bifurcctl/build/bifurcctl
ECHO=$TOP/lib/libbifurc/build/examples/udp-echo
EXPY=$TOP/selftests/lib/examples.py
MIRPY=$TOP/selftests/lib/mirror.py
export LD_LIBRARY_PATH=$TOP/lib/libbifurc/build${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
ECHO_N=30 PORT=9300
TMP=$(mktemp -d)
QUEUE="" CD=""

trap release_queue EXIT
trap 'exit 130' INT TERM

ktap_print_header
[ -x "$CTL" ] || ktap_exit_fail_msg "$CTL not built (make -C tools/bifurcctl)"
[ -x "$ECHO" ] || ktap_exit_fail_msg "$ECHO not built (make -C lib/libbifurc examples)"
command -v tcpdump > /dev/null || ktap_exit_fail_msg "tcpdump not installed"
bifurc_pair
reserve_queue
if [ ! -e "$CD/mirror" ]; then
	echo "# ixgbe's bifurc has no mirror attribute (a series before v11)"
	exit $KSFT_SKIP
fi
# A's capture must hold the checksums the wire carries, not partial ones
ip netns exec $NS_A ethtool -K "$A" tx off > /dev/null || ktap_exit_fail_msg "ethtool -K $A tx off"
ktap_print_msg "$B queue $QUEUE of $NQ; A=$A $ADDR_A, B=$B $ADDR_B"
ktap_set_plan 6

inb() { ip netns exec $NS_B "$@"; }
mirrored() { ethtool_stat $NS_B "$B" "bifurc_q${QUEUE}_mirrored"; }

# write_errno LINE [PREFIX...]: the errno name a write of LINE to the
# mirror attribute fails with, "ok" if it succeeds
write_errno()
{
	local line=$1

	shift
	"$@" python3 -S -c '
import errno, os, sys
fd = os.open(sys.argv[1], os.O_WRONLY)
try:
    os.write(fd, sys.argv[2].encode())
    print("ok")
except OSError as e:
    print(errno.errorcode[e.errno])' "$CD/mirror" "$line"
}

t_refused()
{
	local line want got

	while read -r want line; do
		got=$(write_errno "$line")
		[ "$got" = "$want" ] || { echo "\"$line\": $got, want $want"; return 1; }
	done <<-EOF
		EINVAL $QUEUE maybe
		EINVAL $QUEUE
		EINVAL x on
		ERANGE $NQ on
		EADDRNOTAVAIL 0 on
	EOF
	got=$(write_errno "$QUEUE on" setpriv --inh-caps=-net_admin --bounding-set=-net_admin)
	[ "$got" = EPERM ] || { echo "root without CAP_NET_ADMIN: $got, want EPERM"; return 1; }
	[ -z "$(cat "$CD/mirror")" ] || { echo "mirrored after the refusals: $(cat "$CD/mirror")"; return 1; }
}
ktap_check "MIRROR_REFUSED: EINVAL, ERANGE, EADDRNOTAVAIL, EPERM; nothing mirrored" t_refused

# Background jobs are started with "ip netns exec" itself (which execs),
# never through a shell function: $! must be the program, or a kill
# leaves it holding ktap_check's output pipe open.

# echo_run: udp-echo on queue Q answers ECHO_N datagrams of the client
echo_run()
{
	ip netns exec $NS_B timeout -s INT -k 10 300 "$ECHO" -i "$B" -q "$QUEUE" -p $PORT -c $ECHO_N > "$TMP/echo.out" 2> "$TMP/echo.err" &
	local pid=$!

	wait_for 150 grep -q " mode tx" "$TMP/echo.out" ||
		{ kill -INT $pid; wait $pid; echo "udp-echo: $(cat "$TMP/echo.out" "$TMP/echo.err")"; return 1; }
	ip netns exec $NS_A python3 -S "$EXPY" echo $ADDR_B $PORT $ECHO_N --timeout 10 > "$TMP/client.out" 2>&1 ||
		{ kill -INT $pid; wait $pid; echo "client: $(cat "$TMP/client.out")"; return 1; }
	wait $pid || { echo "udp-echo exit $?: $(cat "$TMP/echo.out" "$TMP/echo.err")"; return 1; }
}

# capture NAME NS IF [OPTIONS]: tcpdump -w $TMP/NAME.pcap in the
# background, once it listens
capture()
{
	local name=$1 ns=$2 dev=$3

	shift 3
	ip netns exec "$ns" tcpdump -i "$dev" -U -n "$@" -w "$TMP/$name.pcap" "udp port $PORT" 2> "$TMP/$name.err" &
	wait_for 150 grep -q "listening on" "$TMP/$name.err" ||
		{ echo "tcpdump $name: $(cat "$TMP/$name.err")"; return 1; }
}

# stop_captures: SIGINT to every tcpdump; each writes its file out
stop_captures()
{
	pkill -INT -x tcpdump
	wait_for 100 eval '! pgrep -x tcpdump'
}

t_no_tap()
{
	local m0 m1

	inb "$CTL" mirror "$B" queue "$QUEUE" on || return 1
	m0=$(mirrored)
	echo_run || return 1
	m1=$(mirrored)
	[ "$m1" = "$m0" ] || { echo "mirrored $m0 -> $m1 without a tap"; return 1; }
}
ktap_check "MIRROR_NO_TAP: $ECHO_N echoes, no tap open, 0 copies" t_no_tap

# a socket of the stack on the same port: what it gets, the stack processed
t_tcpdump()
{
	local m0 m1 sock got

	capture mirror $NS_B "$B" && capture in_only $NS_B "$B" -Q in &&
	capture wire $NS_A "$A" || return 1
	ip netns exec $NS_B python3 -S -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("", int(sys.argv[1])))
s.settimeout(1)
n = 0
print("bound", flush=True)
while True:
    try:
        s.recv(65536)
        n += 1
    except socket.timeout:
        pass
    with open(sys.argv[2], "w") as f:
        f.write(str(n))' $PORT "$TMP/sock.count" > "$TMP/sock.out" &
	sock=$!
	wait_for 100 grep -q bound "$TMP/sock.out" || { echo "the stack's socket did not bind"; return 1; }
	m0=$(mirrored)
	echo_run || return 1
	inb "$CTL" -j dev "$B" > "$TMP/dev.json"
	sleep 1		# the socket's last timeout rewrites its count
	kill $sock
	wait $sock 2> /dev/null
	stop_captures
	m1=$(mirrored)
	got=$(cat "$TMP/sock.count")
	python3 -S "$MIRPY" "$TMP/mirror.pcap" "$TMP/wire.pcap" $PORT $ECHO_N || return 1
	[ "$got" = 0 ] || { echo "the stack's socket on port $PORT got $got datagrams"; return 1; }
	[ $((m1 - m0)) -eq $((2 * ECHO_N)) ] || { echo "mirrored $m0 -> $m1, want +$((2 * ECHO_N))"; return 1; }
	python3 -S -c 'import json, sys; j = json.load(open(sys.argv[1]))[0]; q = int(sys.argv[2])
assert j["mirrored"] == [q], j["mirrored"]
assert [x["mirror"] for x in j["reserved_queues"] if x["queue"] == q] == [True], j' "$TMP/dev.json" "$QUEUE"
}
ktap_check "MIRROR_TCPDUMP: tcpdump -i $B holds the $ECHO_N requests and $ECHO_N replies as the wire carried them; the stack got none" t_tcpdump

t_in_only()
{
	python3 -S -c 'import sys; sys.path.insert(0, sys.argv[2])
from examples import read_pcap
n = len(read_pcap(sys.argv[1])[2])
print(f"{n} frames")
sys.exit(n != 0)' "$TMP/in_only.pcap" "$TOP/selftests/lib"
}
ktap_check "MIRROR_IN_ONLY: tcpdump -Q in saw no copy" t_in_only

t_off()
{
	local m0 m1 n

	inb "$CTL" mirror "$B" queue "$QUEUE" off || return 1
	[ -z "$(cat "$CD/mirror")" ] || { echo "mirror attribute: $(cat "$CD/mirror")"; return 1; }
	capture mirror $NS_B "$B" || return 1
	m0=$(mirrored)
	echo_run || return 1
	stop_captures
	m1=$(mirrored)
	n=$(python3 -S -c 'import sys; sys.path.insert(0, sys.argv[2])
from examples import read_pcap
print(len(read_pcap(sys.argv[1])[2]))' "$TMP/mirror.pcap" "$TOP/selftests/lib")
	[ "$n" = 0 ] && [ "$m1" = "$m0" ] || { echo "$n frames in the capture, mirrored $m0 -> $m1"; return 1; }
}
ktap_check "MIRROR_OFF: mirror off, $ECHO_N echoes, 0 frames in tcpdump's file" t_off

t_release()
{
	inb "$CTL" mirror "$B" queue "$QUEUE" on && [ "$(cat "$CD/mirror")" = "$QUEUE" ] &&
	inb "$CTL" release "$B" queue "$QUEUE" && [ -z "$(cat "$CD/mirror")" ] &&
	inb "$CTL" reserve "$B" queue "$QUEUE" && [ -z "$(cat "$CD/mirror")" ] || return 1
	inb "$CTL" -j dev "$B" | python3 -S -c 'import json, sys; j = json.load(sys.stdin)[0]
assert j["mirrored"] == [] and not any(x["mirror"] for x in j["reserved_queues"]), j'
}
ktap_check "MIRROR_RELEASE: release ends the mirror; reserving again does not bring it back" t_release

ktap_finished
