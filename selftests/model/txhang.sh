#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Description: the model's fault-injection knob x-tx-stall (QOM property,
# set through hostctl) freezes a port's transmit DMA.  A short stall only
# holds frames in the ring and releases them when cleared; a longer one
# with traffic flowing is caught by the unmodified ixgbe driver's own Tx
# hang check ("Detected Tx Unit Hang", then "Reset adapter"), and with the
# stall cleared the port passes ping and UDP again.
#
# Timing, and why the netdev watchdog must not be the one to notice:
#  - ixgbe's hang check (ixgbe_check_hang_subtask + ixgbe_check_tx_hang)
#    runs from the service task, every 2 s once the link is settled: a
#    ring with descriptors pending and no completion since the previous
#    check is armed, and the next check reports the hang, 2 to 6 s after
#    the first frame got stuck.  It stops that queue and requests a reset,
#    which the service task does on its next run (up to 2 s later).
#  - The stack's dev_watchdog (net/sched/sch_generic.c) fires when a queue
#    has been *stopped* for longer than watchdog_timeo, 5 s for ixgbe.  On
#    6.12 it reports with netdev_crit("NETDEV WATCHDOG: ...") and no
#    longer WARNs (older kernels used WARN_ONCE, a splat for
#    testbed/splat.py), then calls ndo_tx_timeout, which requests the same
#    reset without "Detected Tx Unit Hang": a race this test must not run.
#  - What stops the queue first is BQL, not a full ring: with completions
#    frozen, netdev_tx_sent_queue() sets STACK_XOFF (stamping trans_start)
#    once the bytes in flight exceed the limit a ping-only queue has
#    learned, after one or two pings (a trial run without the floor below
#    found 1-2 descriptors pending per queue at the hang report).  Nothing
#    is sent after that, so the 5 s watchdog clock races the 2-6 s check.
# So the test raises the BQL floor (byte_queue_limits/limit_min, 1 MiB) on
# the sending port and pings every 0.2 s from before the stall until the
# hang is reported: the stack never stops the queue, its trans_start is
# never older than 0.2 s, and the only stop is ixgbe's own at detection.
# The stall is cleared the moment the hang is reported (about 4-8 s after
# it was set under TCG), so that stop lasts well under 5 s: completions
# wake the queue again, and the reset the driver scheduled follows.  The
# test also checks that no NETDEV WATCHDOG line appeared.
cd "$(dirname "$0")" && . ../lib/ktap.sh && . ../lib/model.sh

PORT=9200
STALL_NIC=nic0                  # QEMU id of the port that becomes $A

ktap_print_header
ktap_set_plan 9

stall()
{
	hostctl qom-set $STALL_NIC x-tx-stall "$1" >/dev/null &&
		[ "$(hostctl qom-get $STALL_NIC x-tx-stall)" = "$1" ]
}

cleanup()
{
	# never leave the port frozen for the tests that follow
	stall false
	[ -n "$pinger" ] && kill "$pinger" 2>/dev/null
	join_ports
}

# log_since MARK: the kernel log from the line MARK (written to /dev/kmsg) on
log_since()
{
	dmesg | sed -n "/$1/,\$p"
}

# seen MARK PATTERN: a kernel line matching PATTERN since MARK
seen()
{
	log_since "$1" | grep -q "$2"
}

# since MARK PATTERN: seconds from MARK to the first line matching PATTERN
since()
{
	log_since "$1" | awk -v pat="$2" '
		match($0, /^\[ *[0-9]+\.[0-9]+\]/) {
			t = substr($0, RSTART + 1, RLENGTH - 2) + 0
			if (!t0) t0 = t
			if ($0 ~ pat) { printf "%.1f", t - t0; exit }
		}'
}

setup_pair
pinger=
trap cleanup EXIT

# vm.py gives port N of QEMU id nicN the MAC 52:54:00:b1:f0:NN
[ "$(ip netns exec $NS_A cat "/sys/class/net/$A/address")" = 52:54:00:b1:f0:00 ] ||
	ktap_exit_fail_msg "$A is not QEMU's $STALL_NIC"

# A reaches B without ARP: an ARP request would be stuck in the ring too
mac_b=$(ip netns exec $NS_B cat "/sys/class/net/$B/address")
ip -n $NS_A neigh replace $ADDR_B lladdr "$mac_b" dev "$A" nud permanent ||
	ktap_exit_fail_msg "cannot add a permanent neighbour for $ADDR_B"

# BQL floor of 1 MiB per TX queue of A (see the top of this file)
bql_floor()
{
	ip netns exec $NS_A sh -c "for f in /sys/class/net/$A/queues/tx-*/byte_queue_limits/limit_min; do echo 1048576 > \$f || exit 1; done"
}
bql_floor || ktap_exit_fail_msg "cannot raise the BQL limit_min of $A"

ktap_check "ping before the stall" ip netns exec $NS_A ping -c 3 -i 0.3 -W 2 $ADDR_B

# 1. A stall shorter than the hang check: an echo request waits in the
#    ring (ping -W 0.5 gets no reply) and clearing the stall sends it (B
#    counts it).  The request is pending for about a second, while a hang
#    report needs it pending at two checks 2 s apart; only a guest starved
#    of host CPU stretches the window that far, and then the result is a
#    skip (the reset may have dropped the request), not a failure.
MARK1="txhang.sh: short x-tx-stall on $STALL_NIC"
echos_at_b()
{
	ip netns exec $NS_B nstat -az IcmpInEchos | awk '/^IcmpInEchos/ { print $2 }'
}

held_then_released()
{
	local before

	before=$(echos_at_b)
	stall true || return 1
	if ip netns exec $NS_A ping -c 1 -W 0.5 $ADDR_B >/dev/null; then
		hostctl qom-set $STALL_NIC x-tx-stall false >/dev/null
		echo "an echo reply came back through the stalled port"
		return 1
	fi
	hostctl qom-set $STALL_NIC x-tx-stall false >/dev/null || return 1
	wait_for 25 eval '[ "$(echos_at_b)" -gt "$before" ]' || {
		echo "B's IcmpInEchos stayed at $before after the stall was cleared"
		return 1
	}
}
echo "$MARK1" > /dev/kmsg
name="a short stall holds an echo request, clearing it sends it"
if out=$(held_then_released 2>&1); then
	ktap_test_pass "$name"
elif seen "$MARK1" "Detected Tx Unit Hang"; then
	ktap_test_skip "$name" "guest too slow: the driver's hang check fired within the short stall"
else
	printf '%s\n' "$out" | sed 's/^/# /'
	ktap_test_fail "$name"
fi
stall false || ktap_exit_fail_msg "hostctl qom-set $STALL_NIC x-tx-stall false failed"
if seen "$MARK1" "Detected Tx Unit Hang"; then
	# let the reset it asked for pass before the next mark
	ktap_print_msg "the hang check fired within the short stall; waiting for its reset"
	wait_for 150 seen "$MARK1" "Reset adapter"
	sleep 3
	wait_for 150 link_is_up $NS_A "$A"
fi

# 2. A stall with traffic flowing: the driver detects it and resets.  The
#    ping keeps the queue's trans_start fresh up to the detection.  The
#    stall is cleared the moment the hang is reported (a dmesg -W watcher,
#    no polling delay), before or while the driver runs the reset it has
#    scheduled: the pings the stack queued behind the stopped queue then go
#    out normally after the reset instead of hanging the ring again.
watch_kmsg()
{
	grep -m1 -q "$2" < <(timeout "$1" dmesg -W)
}

MARK2="txhang.sh: x-tx-stall on $STALL_NIC, ping running"
watch_kmsg 120 "Detected Tx Unit Hang" &
watcher=$!
echo "$MARK2" > /dev/kmsg
stall true || ktap_exit_fail_msg "hostctl qom-set $STALL_NIC x-tx-stall true failed"
ip netns exec $NS_A ping -q -i 0.2 -w 60 $ADDR_B >/dev/null 2>&1 &
pinger=$!
wait $watcher
hostctl qom-set $STALL_NIC x-tx-stall false >/dev/null
echo "txhang.sh: x-tx-stall cleared" > /dev/kmsg
kill "$pinger" 2>/dev/null
wait "$pinger" 2>/dev/null
pinger=

ktap_check "ixgbe reports \"Detected Tx Unit Hang\"" seen "$MARK2" "Detected Tx Unit Hang"
stall false || ktap_exit_fail_msg "hostctl qom-set $STALL_NIC x-tx-stall false failed"

ktap_check "ixgbe resets the adapter (\"Reset adapter\")" \
	wait_for 150 seen "$MARK2" "Reset adapter"
log_since "$MARK2" | grep -E "Detected Tx Unit Hang|TDH, TDT|tx hang|Reset adapter|NETDEV WATCHDOG" |
	sed 's/^/# dmesg: /'
ktap_print_msg "from the mark to the hang report: $(since "$MARK2" 'Detected Tx Unit Hang') s," \
	"to the stall cleared: $(since "$MARK2" 'x-tx-stall cleared') s," \
	"to the reset: $(since "$MARK2" 'Reset adapter') s"

# The hang report reads TDH and TDT from the device: TDH must have stayed
# behind TDT while the doorbell kept ringing.
tdh_held()
{
	local line re='TDH, TDT +<([0-9a-f]+)>, <([0-9a-f]+)>'

	line=$(log_since "$MARK2" | grep -m1 "TDH, TDT") || return 1
	echo "$line"
	[[ $line =~ $re ]] && [ "${BASH_REMATCH[1]}" != "${BASH_REMATCH[2]}" ]
}
ktap_check "the hang report shows TDH held behind TDT" tdh_held

no_watchdog()
{
	! log_since "$MARK2" | grep -E "NETDEV WATCHDOG|transmit queue [0-9]+ timed out"
}
ktap_check "the netdev watchdog did not fire (ixgbe's own check came first)" no_watchdog

# A reset requested before the stall was cleared runs within one service
# period (2 s); let it pass before measuring traffic.
sleep 3
ping_after()
{
	wait_for 150 link_is_up $NS_A "$A" &&
		ip netns exec $NS_A ping -c 3 -i 0.3 -W 2 $ADDR_B
}
ktap_check "ping after the stall is cleared" ping_after

# Under TCG on a busy host the receiving process can fall behind and the
# kernel drops datagrams for a full socket buffer (UdpRcvbufErrors): those
# crossed the wire too, so they count as arrived.
rcvbuf_drops_at_b()
{
	ip netns exec $NS_B nstat -az UdpRcvbufErrors | awk '/^UdpRcvbufErrors/ { print $2 }'
}

udp_after()
{
	local drops got bad

	drops=$(rcvbuf_drops_at_b)
	start_receiver $NS_B $PORT 20 /tmp/txhang.out --expect 200
	send_udp $NS_A $ADDR_B $PORT 200 --size 1000
	wait
	read -r got bad < /tmp/txhang.out
	drops=$(($(rcvbuf_drops_at_b) - drops))
	echo "received $got (corrupt $bad), dropped for a full socket buffer $drops"
	[ "$got" -gt 0 ] && [ "$bad" -eq 0 ] && [ $((got + drops)) -eq 200 ]
}
ktap_check "200 UDP datagrams after the stall is cleared reach B intact" udp_after

timeouts()
{
	ip netns exec $NS_A ethtool -S "$A" | awk '$1 == "tx_timeout_count:" { print $2 }'
}
ktap_check "ethtool -S tx_timeout_count counts the reset" test "$(timeouts)" -ge 1

ktap_finished
