#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Description: the model's packet source (QOM properties pktgen-*) offers a
# stated rate of UDP frames into a port's receive path without guest CPU on
# the sending side.  Every frame is accounted for: offered = delivered to
# the ring + dropped by the NIC, and delivered = read by the socket + lost
# to a full socket buffer.  Prints the packets per second a kernel UDP
# socket receives under TCG, the ceiling later benchmarks work under.  A
# qom-set while the source runs changes nothing until the next start, and
# a bad value is refused when it is set: pktgen-flows 0 (which once
# divided by zero and killed QEMU) is.
cd "$(dirname "$0")" && . ../lib/ktap.sh && . ../lib/model.sh

RATE=2000
SECONDS_RUN=4
PORT=9100

ktap_print_header
ktap_set_plan 6
setup_pair

qom()
{
	hostctl "qom-$1" nic1 "pktgen-$2" ${3:+"$3"}
}

# udp_lost: datagrams the kernel took from the NIC but could not queue to
# a socket (cumulative in B's namespace).  InErrors includes RcvbufErrors.
udp_lost()
{
	ip netns exec $NS_B nstat -az UdpInErrors UdpNoPorts |
		awk '/^Udp/ { n += $2 } END { print n + 0 }'
}

source_running()
{
	[ "$(qom get run)" = true ]
}

source_settled()
{
	[ $(($(qom get delivered) + $(qom get dropped))) -eq "$(qom get offered)" ]
}

# run_source RATE: start the source on B (nic1) for SECONDS_RUN, count what a
# UDP socket receives; sets offered, delivered, dropped, received, lost.
run_source()
{
	local lost_before

	qom set dst-ip $ADDR_B && qom set src-ip 10.77.0.100 &&
	qom set dst-port $PORT && qom set flows 1 && qom set size 60 &&
	qom set rate "$1" && qom set count 0 &&
	qom set duration-ms $((SECONDS_RUN * 1000)) || return 1
	lost_before=$(udp_lost)
	start_receiver $NS_B $PORT 600 /tmp/source.out
	qom set run true || return 1
	sleep $SECONDS_RUN
	wait_for 100 eval '! source_running'
	# frames waiting in the packet buffer are counted as they leave it
	wait_for 100 source_settled
	# the ring and the socket drain; the receiver reads what is left on TERM
	sleep 1
	kill -TERM %1
	wait
	offered=$(qom get offered) delivered=$(qom get delivered) dropped=$(qom get dropped)
	received=$(cut -d' ' -f1 /tmp/source.out)
	lost=$(($(udp_lost) - lost_before))
	ktap_print_msg "rate $1: offered $offered, delivered $delivered, dropped $dropped;" \
		"socket received $received, lost $lost"
}

run_source $RATE || ktap_exit_fail_msg "cannot drive the packet source through hostctl"
want=$((RATE * SECONDS_RUN))
ktap_check "source offers $RATE pps for $SECONDS_RUN s (within 5 %)" \
	test "$offered" -ge $((want * 95 / 100)) -a "$offered" -le $((want * 105 / 100))
ktap_check "every offered frame is delivered or counted dropped" \
	test $((delivered + dropped)) -eq "$offered"
ktap_check "every delivered frame is read by the socket or counted lost" \
	test "$received" -gt 0 -a $((received + lost)) -eq "$delivered"

run_source 0 || ktap_exit_fail_msg "cannot drive the packet source at full rate"
ktap_print_msg "full rate: guest UDP socket received $((received / SECONDS_RUN)) pps (TCG)"
ktap_check "full-rate source outpaces the $RATE pps run" test "$offered" -gt "$want"
ktap_check "at full rate too, delivered = read + lost" \
	test "$received" -gt 0 -a $((received + lost)) -eq "$delivered"

# live_set: while a 2-flow source runs for 2 s, flows 0 is refused with a
# message and flows 3 is taken; the run keeps its rate, QEMU answers
live_set()
{
	local out

	qom set flows 2 && qom set rate $RATE && qom set count 0 &&
	qom set duration-ms 2000 && qom set run true || return 1
	out=$(qom set flows 0 2>&1) && { echo "flows 0 was taken: $out"; return 1; }
	case $out in *"pktgen-flows must be 1..65536"*) ;; *) echo "flows 0: $out"; return 1 ;; esac
	qom set flows 3 || return 1
	wait_for 100 eval '! source_running' || { echo "the source did not stop"; return 1; }
	offered=$(qom get offered)
	[ "$offered" -ge $((RATE * 2 * 95 / 100)) ] || { echo "offered $offered in 2 s"; return 1; }
	hostctl info network | grep -q ixgbe-82599 || { echo "QEMU does not answer"; return 1; }
	[ "$(qom get flows)" = 3 ] && qom set flows 1
}
ktap_check "pktgen-flows 0 refused while the source runs, which goes on (offered $((RATE * 2)) in 2 s)" live_set

ktap_finished
