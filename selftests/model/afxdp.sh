#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Description: an AF_XDP socket bound in zero-copy mode to one queue
# receives the flow a Flow Director rule steers there, every payload intact:
# ixgbe's ring disable/enable and zero-copy RX work on the model.
cd "$(dirname "$0")" && . ../lib/ktap.sh && . ../lib/model.sh

XSK_RX=$BIFURC_TOP/build/selftests/xsk_rx

ktap_print_header
ktap_set_plan 3
[ -x "$XSK_RX" ] || ktap_exit_fail_msg "$XSK_RX not built (make -C selftests)"
dmesg -C
setup_pair
setup_queues ntuple
QUEUE=$((NQ - 1))

# Attaching XDP closes and reopens the port, and ixgbe_close() frees every
# ntuple rule: steer only once the socket is bound and the program attached.
ip netns exec $NS_B "$XSK_RX" "$B" $QUEUE 7788 60 100 > /tmp/xsk.out 2>&1 &
wait_for 150 grep -q ready /tmp/xsk.out || { cat /tmp/xsk.out; ktap_exit_fail_msg "xsk_rx did not start"; }
wait_for 150 sh -c 'dmesg | grep -q "XDP Queue count = [1-9]"' ||
	ktap_exit_fail_msg "the port did not reopen with XDP queues"
wait_for 150 link_is_up $NS_B "$B"
ktap_check "steer udp4 dst-port 7788 to queue $QUEUE" \
	ip netns exec $NS_B ethtool -N "$B" flow-type udp4 dst-port 7788 action $QUEUE

ip netns exec $NS_A ping -c 1 -W 5 $ADDR_B > /dev/null
send_udp $NS_A $ADDR_B 7788 100 --size 200
wait # for xsk_rx, which stops once it has 100
out=$(tail -n 1 /tmp/xsk.out)
ktap_print_msg "xsk_rx: $out"
ktap_check "AF_XDP zero-copy socket on queue $QUEUE receives all 100 datagrams" \
	grep -q '^received 100 bad 0 ' /tmp/xsk.out

complaints=$(kernel_complaints)
[ -n "$complaints" ] && printf '%s\n' "$complaints" | sed 's/^/# /'
ktap_check "driver logged no error" test -z "$complaints"

ktap_finished
