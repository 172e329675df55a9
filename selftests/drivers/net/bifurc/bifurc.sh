#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Description: ixgbe bifurc end to end: reserve a queue, then run the
# feature programs against it, in this order: bifurc_abi (the character
# device ABI), bifurc_flows, bifurc_grants, bifurc_rx, bifurc_tx and last
# bifurc_teardown (every way an attachment ends; its PCI remove rescans
# the bus).  They are kselftest_harness.h programs: BIFURC_IFACE and
# BIFURC_QUEUE name the queue, BIFURC_PEER_NS etc. the peer.  Their TAP
# becomes one stream here: one plan for every case of every program
# (from their -l), results numbered across them, a "# CASE took X s" line
# after each, and a listed case that printed no result is "not ok" (a
# program that crashed must not pass by having printed nothing).  A whole
# run on the emulated pair ends with one more result, RMMOD_CLEAN: once
# the queue is released and the namespaces are gone, rmmod ixgbe succeeds
# (no attachment, open file or mapping of any case holds the module).
#
#   namespace bifurc-a              namespace bifurc-b
#   +-------------------+           +--------------------------------+
#   | port A  10.77.0.1 |--- hub ---| port B  10.77.0.2              |
#   | flows.py, ping,   |           |   RSS queues -> kernel stack   |
#   | iperf3 client     |           |   queue Q (reserved, hidden)   |
#   +-------------------+           |     -> /dev/bifurc/<bdf>       |
#                                   |     -> bifurc_rx, _tx ...      |
#                                   +--------------------------------+
#
# Usage: bifurc.sh [-i IFACE] [-q QUEUE] [-t CASE] [-l]
#   -i IFACE  use this interface (a real X520 port) instead of the emulated
#             pair; the traffic cases then skip (no peer namespace)
#   -q QUEUE  queue to reserve (default: the last one)
#   -t CASE   run one case, FIXTURE.TEST as -l lists them (abi.info_sizes),
#             or one program's cases by its fixture (abi)
#   -l        list the cases
#
# Needs: CONFIG_IXGBE=m, CONFIG_IXGBE_BIFURC=y (see config), root, ethtool,
# iperf3, setpriv, unshare, cgroup v2.  Skips (exit 4) without bifurc.
cd "$(dirname "$0")" && . ../../../lib/ktap.sh && . ../../../lib/model.sh

TOP=$(cd ../../../.. && pwd)
BINDIR=${BIFURC_SELFTESTS:-$TOP/build/selftests}
FEATURES=(abi flows grants rx tx teardown)
IFACE='' QUEUE='' CASE='' LIST=''

while getopts "i:q:t:l" opt; do
	case $opt in
	i) IFACE=$OPTARG ;;
	q) QUEUE=$OPTARG ;;
	t) CASE=$OPTARG ;;
	l) LIST=1 ;;
	*) echo "usage: $0 [-i IFACE] [-q QUEUE] [-t CASE] [-l]" >&2; exit 2 ;;
	esac
done

# A program's cases as FIXTURE.TEST, from the harness's -l table (on
# stderr: a header, then fixture, variant and test in columns of 20 and
# 25; a fixture's name only on its first row).
cases_of()
{
	"$BINDIR/bifurc_$1" -l 2>&1 >/dev/null |
		awk '/^#/ || /^-/ { next }
		     { f = substr($0, 1, 20); sub(/ +$/, "", f)
		       if (f != "") fix = f
		       t = substr($0, 48); if (t != "") print fix "." t }'
}

for f in "${FEATURES[@]}"; do
	if [ ! -x "$BINDIR/bifurc_$f" ]; then
		ktap_print_header
		ktap_exit_fail_msg "$BINDIR/bifurc_$f not built (make -C selftests)"
	fi
done
if [ -n "$LIST" ]; then
	for f in "${FEATURES[@]}"; do cases_of "$f"; done
	exit 0
fi

# What runs: every program, one program (-t FIXTURE) or one case.
declare -A want		# program -> its cases that run, one a line
PLAN=0
for f in "${FEATURES[@]}"; do
	mapfile -t names < <(cases_of "$f")
	[ ${#names[@]} -gt 0 ] || { ktap_print_header;
		ktap_exit_fail_msg "bifurc_$f lists no case"; }
	for n in "${names[@]}"; do
		[ -z "$CASE" ] || [ "$CASE" = "$f" ] || [ "$CASE" = "$n" ] ||
			continue
		want[$f]+="$n"$'\n'
		PLAN=$((PLAN + 1))
	done
done
if [ "$PLAN" -eq 0 ]; then
	echo "no case named $CASE (-l lists them)" >&2
	exit 2
fi

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
export BIFURC_IFACE=$IFACE BIFURC_QUEUE=$QUEUE

# One program's TAP into ours: its header and plan go (ours covers every
# program), its results are numbered on from the programs before, each
# followed by how long the case took; a case it lists that printed no
# result (the program died) is not ok.
relay()
{
	local prog=$1 line t0 us name
	declare -A seen=()

	t0=${EPOCHREALTIME//[.,]/}
	while IFS= read -r line; do
		case $line in
		"TAP version "*|1..*)
			;;
		"#  RUN "*)
			t0=${EPOCHREALTIME//[.,]/}
			printf '%s\n' "$line" ;;
		"ok "*|"not ok "*)
			[[ $line =~ ^(ok|not\ ok)\ [0-9]+\ ([^ ]+)(.*)$ ]] || {
				printf '# %s\n' "$line"; continue; }
			name=${BASH_REMATCH[2]}
			seen[$name]=1
			ktap_num=$((ktap_num + 1))
			printf '%s %d %s%s\n' "${BASH_REMATCH[1]}" "$ktap_num" \
				"$name" "${BASH_REMATCH[3]}"
			us=$((${EPOCHREALTIME//[.,]/} - t0))
			# where a slow guest spends its time
			printf '# %s took %d.%d s\n' "$name" $((us / 1000000)) \
				$((us / 100000 % 10)) ;;
		*)
			printf '%s\n' "$line" ;;
		esac
	done
	while IFS= read -r name; do
		[ -z "$name" ] || [ -n "${seen[$name]}" ] && continue
		ktap_num=$((ktap_num + 1))
		echo "not ok $ktap_num $name # no result: bifurc_$prog died"
	done <<< "${want[$prog]}"
}

ktap_print_header
ktap_set_plan $((PLAN + ${UNLOAD:-0}))
rc=0
for f in "${FEATURES[@]}"; do
	[ -n "${want[$f]}" ] || continue
	args=()
	if [ -n "$CASE" ] && [ "$CASE" != "$f" ]; then
		args=(-r "$CASE")
	fi
	# stderr too: the harness's diagnostics (TH_LOG, failed ASSERTs)
	relay "$f" < <(in_ns "$BINDIR/bifurc_$f" "${args[@]}" 2>&1)
	wait $! || rc=$KSFT_FAIL
done

# A reference a case leaked (a file, a mapping, an attachment) keeps the
# module; the REMOVE case rescanned the bus, so every port is back.
if [ -n "$UNLOAD" ]; then
	cleanup
	trap - EXIT
	if out=$(rmmod ixgbe 2>&1); then
		ktap_test_pass "RMMOD_CLEAN"
	else
		echo "# $out"
		ktap_test_fail "RMMOD_CLEAN # rmmod ixgbe after the cases"
		rc=$KSFT_FAIL
	fi
fi
exit $rc
