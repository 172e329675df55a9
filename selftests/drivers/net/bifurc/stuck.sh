#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Description: a reserved queue that does not stop.  When an attachment
# ends, ixgbe clears RXDCTL.ENABLE (82599 8.2.3.8.6) and polls for it; a
# queue whose ENABLE stays set may still write the pool and read the
# rings.  The driver must then keep them (allocated and DMA-mapped) and
# reset the adapter, whose MAC reset stops the queue, and only then let
# them go.  The model's x-rx-stuck knob makes queue Q's ENABLE stick.
#
#   STUCK_RESET   rxdrop on Q receives a steered flow; with Q stuck it is
#                 interrupted: the kernel logs "bifurc: queue Q did not
#                 stop" and resets the adapter (ethtool -S
#                 tx_timeout_count + 1) within 30 s
#   STUCK_PAGES   after that reset the pages attachments hold (debugfs
#                 ixgbe/bifurc_pages) are back to their count before the
#                 attach
#   STUCK_AGAIN   knob cleared: a new rxdrop on Q receives 50 of 50, and
#                 its close costs no reset
#
# Runs behind the strict vIOMMU in make check: a DMA to a pool already
# unmapped would be a DMAR fault, which fails the run as a splat.
#
# Needs: CONFIG_IXGBE_BIFURC=y, root, ethtool, python3, debugfs; the
# emulated pair (testbed/vm.py --ports 2) with hostctl; rxdrop built.
cd "$(dirname "$0")" || exit 1
export BIFURC_TOP=${BIFURC_TOP:-$(cd ../../../.. && pwd)}
. ../../../lib/ktap.sh && . ../../../lib/model.sh

RXDROP=$BIFURC_TOP/lib/libbifurc/build/examples/rxdrop
export LD_LIBRARY_PATH=$BIFURC_TOP/lib/libbifurc/build${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
PAGES=/sys/kernel/debug/ixgbe/bifurc_pages
PORT=9400 N=50
TMP=$(mktemp -d)
QUEUE='' CD=''

cleanup()
{
	hostctl qom-set nic1 x-rx-stuck 0 > /dev/null 2>&1
	release_queue
}
trap cleanup EXIT
trap 'exit 130' INT TERM

inb() { ip netns exec $NS_B "$@"; }

# start_rxdrop: rxdrop on Q steering udp PORT, in the background ($RX)
start_rxdrop()
{
	# not through inb: a background function ignores SIGINT
	ip netns exec $NS_B "$RXDROP" -t 600 "$B" "$QUEUE" udp $PORT > "$TMP/rx.out" 2>&1 &
	RX=$!
	wait_for 150 grep -q "^rxdrop: $B queue $QUEUE" "$TMP/rx.out" ||
		{ echo "rxdrop did not attach: $(cat "$TMP/rx.out")"; return 1; }
}

ktap_print_header
[ -x "$RXDROP" ] || ktap_exit_fail_msg "$RXDROP not built (make -C lib/libbifurc examples)"
mountpoint -q /sys/kernel/debug || mount -t debugfs none /sys/kernel/debug
setup_pair
trap cleanup EXIT
reserve_queue
[ -r $PAGES ] || ktap_exit_fail_msg "no $PAGES"
pages0=$(cat $PAGES)
ktap_set_plan 3

# ktap_check runs each case in a subshell: what a case starts, it ends

t_reset()
{
	local resets

	start_rxdrop || return 1
	send_udp $NS_A "$ADDR_B" $PORT 20 > /dev/null
	resets=$(ethtool_stat $NS_B "$B" tx_timeout_count)
	hostctl qom-set nic1 x-rx-stuck $((1 << QUEUE)) > /dev/null ||
		{ echo "hostctl qom-set nic1 x-rx-stuck failed"; return 1; }
	kill -INT $RX
	wait $RX
	wait_for 150 eval '[ "$(ethtool_stat $NS_B "$B" tx_timeout_count)" -gt "$resets" ]' ||
		{ echo "no adapter reset: tx_timeout_count still $resets"; dmesg | tail -n 5; return 1; }
	dmesg | grep -q "bifurc: queue $QUEUE did not stop" ||
		{ echo "the kernel did not say the queue did not stop:"; dmesg | tail -n 5; return 1; }
}
ktap_check "STUCK_RESET: closing on a queue whose ENABLE sticks resets the adapter" t_reset

t_pages()
{
	wait_for 150 link_is_up $NS_B "$B" || { echo "$B did not come back"; return 1; }
	wait_for 50 eval '[ "$(cat $PAGES)" -eq "$pages0" ]' ||
		{ echo "bifurc_pages $(cat $PAGES), $pages0 before the attach"; return 1; }
}
ktap_check "STUCK_PAGES: after the reset the pool's pages are freed" t_pages

t_again()
{
	local got resets

	hostctl qom-set nic1 x-rx-stuck 0 > /dev/null || return 1
	resets=$(ethtool_stat $NS_B "$B" tx_timeout_count)
	start_rxdrop || return 1
	send_udp $NS_A "$ADDR_B" $PORT $N > /dev/null
	wait_for 150 grep -q " $N packets" "$TMP/rx.out"
	kill -INT $RX
	wait $RX
	got=$(awk '/^total/ { print $2 }' "$TMP/rx.out")
	[ "$got" = $N ] || { echo "rxdrop: $(tail -n 1 "$TMP/rx.out")"; return 1; }
	# a queue that stops costs no reset
	sleep 2
	[ "$(ethtool_stat $NS_B "$B" tx_timeout_count)" = "$resets" ] ||
		{ echo "tx_timeout_count $resets -> $(ethtool_stat $NS_B "$B" tx_timeout_count) after a plain close"; return 1; }
}
ktap_check "STUCK_AGAIN: knob cleared, a new attach on queue $QUEUE receives $N of $N, its close resets nothing" t_again
ktap_finished
