#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Description: ixgbe bifurc end to end: reserve a queue, then run the
# table of bifurc_test cases (ABI errors, zero-copy receive next to kernel
# traffic, kill -9, every teardown path) against it.  A whole run on the
# emulated pair ends with one more result, RMMOD_CLEAN: once the queue is
# released and the namespaces are gone, rmmod ixgbe succeeds (no
# attachment, open file or mapping of any case holds the module).
#
#   namespace bifurc-a              namespace bifurc-b
#   +-------------------+           +--------------------------------+
#   | port A  10.77.0.1 |--- hub ---| port B  10.77.0.2              |
#   | flows.py, ping,   |           |   RSS queues -> kernel stack   |
#   | iperf3 client     |           |   queue Q (reserved, hidden)   |
#   +-------------------+           |     -> /dev/bifurc/<bdf>       |
#                                   |     -> bifurc_test (libbifurc) |
#                                   +--------------------------------+
#
# Usage: bifurc.sh [-i IFACE] [-q QUEUE] [-t CASE] [-l]
#   -i IFACE  use this interface (a real X520 port) instead of the emulated
#             pair; the traffic cases then skip (no peer namespace)
#   -q QUEUE  queue to reserve (default: the last one)
#   -t CASE   run one case of bifurc_test (-l lists them)
#
# Needs: CONFIG_IXGBE=m, CONFIG_IXGBE_BIFURC=y (see config), root, ethtool,
# iperf3, setpriv, unshare, cgroup v2.  Skips (exit 4) without bifurc.
cd "$(dirname "$0")" && . ../../../lib/ktap.sh && . ../../../lib/model.sh

TOP=$(cd ../../../.. && pwd)
BIN=${BIFURC_SELFTESTS:-$TOP/build/selftests}/bifurc_test
IFACE='' QUEUE='' CASE=''

while getopts "i:q:t:l" opt; do
	case $opt in
	i) IFACE=$OPTARG ;;
	q) QUEUE=$OPTARG ;;
	t) CASE=$OPTARG ;;
	l) exec "$BIN" -l ;;
	*) echo "usage: $0 [-i IFACE] [-q QUEUE] [-t CASE] [-l]" >&2; exit 2 ;;
	esac
done

NS=''
cleanup()
{
	local cd

	# the queue goes back to the stack even after a failed or ^C'd run
	for cd in /sys/bus/pci/devices/*/bifurc/bifurc-*; do
		[ -n "$QUEUE" ] && [ -w "$cd/release" ] &&
			echo "$QUEUE" > "$cd/release" 2>/dev/null
	done
	# emulated pair: the namespaces go, so the next test can make its own
	[ -n "$NS" ] && join_ports
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ ! -x "$BIN" ]; then
	ktap_print_header
	ktap_exit_fail_msg "$BIN not built (make -C selftests)"
fi
if [ -z "$IFACE" ]; then
	load_ixgbe || { ktap_print_header; ktap_exit_fail_msg "ixgbe does not load"; }
	mapfile -t ports < <(ixgbe_ports)
	A=${ports[0]} B=${ports[1]}
	if [ ! -d "/sys/class/net/$B/device/bifurc" ]; then
		echo "# ixgbe without bifurc (CONFIG_IXGBE_BIFURC=n)"
		exit $KSFT_SKIP
	fi
	split_ports "$A" "$B" || { ktap_print_header; ktap_exit_fail_msg "ports do not come up"; }
	NS=$NS_B IFACE=$B
	export BIFURC_PEER_NS=$NS_A BIFURC_PEER_ADDR=$ADDR_A
	export BIFURC_LOCAL_ADDR=$ADDR_B BIFURC_FLOWS=$TOP/selftests/lib/flows.py
fi
in_ns()
{
	if [ -n "$NS" ]; then ip netns exec "$NS" "$@"; else "$@"; fi
}

[ -d "/sys/class/net/$IFACE/device/bifurc" ] || in_ns test -d "/sys/class/net/$IFACE/device/bifurc" ||
	{ echo "# $IFACE has no bifurc device"; exit $KSFT_SKIP; }
NQ=$(in_ns ethtool -l "$IFACE" | awk '/^Current/ { c = 1 } c && /^Combined:/ { print $2; exit }')
[ "${NQ:-1}" -ge 2 ] || { echo "# $IFACE has one queue: nothing to reserve"; exit $KSFT_SKIP; }
QUEUE=${QUEUE:-$((NQ - 1))}
in_ns ethtool -K "$IFACE" ntuple on >/dev/null 2>&1
[ -n "$NS" ] && wait_for 100 link_is_up "$NS" "$IFACE"
# the class device by its real path, valid in every namespace
CD=$(in_ns sh -c "readlink -f /sys/class/net/$IFACE/device/bifurc/bifurc-*")
echo "$QUEUE" > "$CD/reserve" || { echo "# cannot reserve queue $QUEUE"; exit $KSFT_FAIL; }

UNLOAD=''
[ -z "$CASE" ] && [ -n "$NS" ] && UNLOAD=1
in_ns "$BIN" -i "$IFACE" -q "$QUEUE" ${CASE:+-t "$CASE"} ${UNLOAD:+-e 1}
rc=$?

# A reference a case leaked (a file, a mapping, an attachment) keeps the
# module; the REMOVE case rescanned the bus, so every port is back.
if [ -n "$UNLOAD" ]; then
	cleanup
	trap - EXIT
	# shellcheck disable=SC2034 # ktap.sh's count: after bifurc_test's
	ktap_num=$("$BIN" -l | wc -l)
	if out=$(rmmod ixgbe 2>&1); then
		ktap_test_pass "RMMOD_CLEAN"
	else
		echo "# $out"
		ktap_test_fail "RMMOD_CLEAN # rmmod ixgbe after the cases"
		rc=$KSFT_FAIL
	fi
fi
exit $rc
