#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Description: bifurc keeps NAPI's budget.  A NAPI poll may process at
# most its budget and must report what it processed: net_rx_action()
# shares netdev_budget among devices by those reports, and a poll that
# returns less than its budget is taken as done.  The napi:napi_poll
# trace event shows each poll's work and budget.
#
#   NAPI_BUDGET   the model's packet source offers 4,000 frames at
#                 100,000 pps (100 per 1 ms burst, more than a budget of
#                 64) to rxdrop's flow on reserved queue Q: no poll of
#                 B's vectors reports more than its budget, some report
#                 all of it (a burst takes more than one poll, so NAPI
#                 polls again), and the work all polls report is at most
#                 the frames B's rings took (ethtool -S
#                 rx_queue_N_packets, which count Q's bifurc frames too).
#                 It is less by what rxdrop's poll() harvested itself, in
#                 process context.
#
# Needs: CONFIG_IXGBE_BIFURC=y, root, ethtool, python3, tracefs; the
# emulated pair (testbed/vm.py --ports 2) with hostctl; rxdrop built.
cd "$(dirname "$0")" || exit 1
export BIFURC_TOP=${BIFURC_TOP:-$(cd ../../../.. && pwd)}
. ../../../lib/ktap.sh && . ../../../lib/model.sh

RXDROP=$BIFURC_TOP/lib/libbifurc/build/examples/rxdrop
export LD_LIBRARY_PATH=$BIFURC_TOP/lib/libbifurc/build${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
TRACE=/sys/kernel/tracing
EV=$TRACE/events/napi/napi_poll
PORT=9410 COUNT=4000
TMP=$(mktemp -d)
QUEUE='' CD=''

cleanup()
{
	hostctl qom-set nic1 pktgen-run false > /dev/null 2>&1
	[ -e $EV/enable ] && echo 0 > $EV/enable && echo 0 > $EV/filter
	release_queue
}
trap cleanup EXIT
trap 'exit 130' INT TERM

inb() { ip netns exec $NS_B "$@"; }

# rx_frames: frames B's rings took so far (queue Q's count bifurc's too)
rx_frames()
{
	inb ethtool -S "$B" | awk '$1 ~ /^rx_queue_[0-9]+_packets:$/ { n += $2 }
		END { print n + 0 }'
}

ktap_print_header
[ -x "$RXDROP" ] || ktap_exit_fail_msg "$RXDROP not built (make -C lib/libbifurc examples)"
mountpoint -q $TRACE || mount -t tracefs none $TRACE
[ -d $EV ] || ktap_exit_fail_msg "no napi:napi_poll trace event"
setup_pair
trap cleanup EXIT
reserve_queue
ktap_set_plan 1

t_budget()
{
	local rx p f0 f1 rc

	# not through inb: a background function ignores SIGINT
	ip netns exec $NS_B "$RXDROP" -t 300 "$B" "$QUEUE" udp $PORT > "$TMP/rx.out" 2>&1 &
	rx=$!
	wait_for 150 grep -q "^rxdrop: $B queue $QUEUE" "$TMP/rx.out" ||
		{ echo "rxdrop did not attach: $(cat "$TMP/rx.out")"; return 1; }
	for p in "dst-ip $ADDR_B" "src-ip 10.77.0.100" "src-port 7000" "dst-port $PORT" \
		 "flows 1" "size 60" "rate 100000" "count $COUNT" "duration-ms 0"; do
		hostctl qom-set nic1 "pktgen-${p% *}" "${p#* }" > /dev/null ||
			{ echo "hostctl qom-set nic1 pktgen-$p failed"; return 1; }
	done
	echo "dev_name == \"$B\"" > $EV/filter && echo > $TRACE/trace &&
	f0=$(rx_frames) && echo 1 > $EV/enable || { echo "cannot trace napi_poll"; return 1; }
	hostctl qom-set nic1 pktgen-run true > /dev/null || return 1
	wait_for 150 eval '[ "$(hostctl qom-get nic1 pktgen-run)" = false ]' ||
		{ echo "the source did not finish"; return 1; }
	sleep 1		# the last burst reaches the rings
	echo 0 > $EV/enable
	f1=$(rx_frames)
	kill -INT $rx
	wait $rx
	awk -v frames=$((f1 - f0)) '
		{ for (i = 1; i < NF; i++) {
			if ($i == "work") w = $(i + 1)
			if ($i == "budget") b = $(i + 1) }
		  if ($0 !~ / work /) next
		  polls++; sum += w
		  if (w > b) over++
		  if (w >= b) full++ }
		END { printf "%d polls, %d at their budget, %d over it; work %d, frames %d\n",
			     polls, full, over, sum, frames
		      exit !(polls > 0 && over == 0 && full > 0 && sum <= frames) }' $TRACE/trace > "$TMP/msg"
	rc=$?
	cat "$TMP/msg"
	return $rc
}
ktap_check "NAPI_BUDGET: no poll reports more than its budget, bursts use all of it, the work reported is at most the frames received" t_budget
[ -s "$TMP/msg" ] && ktap_print_msg "$(cat "$TMP/msg")"
ktap_finished
