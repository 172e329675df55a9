#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Description: ixgbe bifurc fault loops (issue 8). A queue is reserved on
# port B as bifurc.sh does it. The model's packet source floods that queue,
# and a sequenced UDP flow and a TCP stream from port A go to the kernel on
# the same port. Meanwhile bifurc_faults repeats each fault: kill -9 and
# close of the app, pool exhaustion, rmmod, a link flap from the QEMU
# monitor, ip link down/up, ethtool -L, ethtool -G and an adapter reset.
# Every loop checks the app's error, a fresh attach, the kernel flows' loss
# against a no-app baseline, and leaks (free pages, slab, the driver's
# counters, kernel splats). It ends with a table; then rmmod ixgbe must
# succeed, or the run fails (exit status 1).
#
#   namespace bifurc-a                namespace bifurc-b
#   +---------------------+           +----------------------------------+
#   | port A  10.77.0.1   |--- hub ---| port B  10.77.0.2                |
#   | UDP seq sender,     |           |   RSS queue(s): UDP rx, TCP rx   |
#   | TCP sender          |           |   queue Q (reserved): the app    |
#   +---------------------+           |   <- packet source (flood, 7900) |
#                                     +----------------------------------+
#
# Usage: faults.sh [-q QUEUE] [-f RATE] [-- BIFURC_FAULTS ARGS]
#   -q QUEUE  queue to reserve (default: the last one)
#   -f RATE   flood rate, frames/s (default 300)
#   e.g.      faults.sh -- -k 1000 -n 5        (the stress run)
#             faults.sh -- -t KILL9,RESET -k 20
#
# In the test guest, which gets no environment from the host, the arguments
# of bifurc_faults may also come from the SMBIOS system serial number
# "bifurc-faults:ARGS" (make stress sets it; QEMU's option syntax needs a
# comma doubled there: -t KILL9,,RESET).
#
# Needs the emulated pair (testbed/vm.py --ports 2) and its packet source
# (hostctl), CONFIG_IXGBE=m, CONFIG_IXGBE_BIFURC=y (see config), root,
# ethtool. Skips (exit 4) without bifurc.
cd "$(dirname "$0")" && . ../../../lib/ktap.sh && . ../../../lib/model.sh

TOP=$(cd ../../../.. && pwd)
BIN=${BIFURC_SELFTESTS:-$TOP/build/selftests}/bifurc_faults
QUEUE='' RATE=300
PORT=7900

while getopts "q:f:" opt; do
	case $opt in
	q) QUEUE=$OPTARG ;;
	f) RATE=$OPTARG ;;
	*) echo "usage: $0 [-q QUEUE] [-f RATE] [-- FAULTS ARGS]" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
ARGS=("$@")
serial=$(cat /sys/class/dmi/id/product_serial 2>/dev/null)
if [ ${#ARGS[@]} -eq 0 ] && [[ $serial == bifurc-faults:* ]]; then
	read -ra ARGS <<< "${serial#bifurc-faults:}"
fi

NS='' SOURCE='' CD=''
cleanup()
{
	# bifurc_faults stops the packet source itself, unless it was killed
	[ -n "$SOURCE" ] && hostctl qom-set "$SOURCE" pktgen-run false >/dev/null
	# the queue goes back to the stack even after a failed or ^C'd run
	[ -n "$CD" ] && [ -n "$QUEUE" ] && echo "$QUEUE" > "$CD/release" 2>/dev/null
	[ -n "$NS" ] && join_ports
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ ! -x "$BIN" ]; then
	ktap_print_header
	ktap_exit_fail_msg "$BIN not built (make -C selftests)"
fi
load_ixgbe || { ktap_print_header; ktap_exit_fail_msg "ixgbe does not load"; }
mapfile -t ports < <(ixgbe_ports)
A=${ports[0]} B=${ports[1]}
if [ -z "$B" ]; then
	echo "# needs two emulated ports (vm.py --ports 2)"
	exit $KSFT_SKIP
fi
if [ ! -d "/sys/class/net/$B/device/bifurc" ]; then
	echo "# ixgbe without bifurc (CONFIG_IXGBE_BIFURC=n)"
	exit $KSFT_SKIP
fi
# a test before may have left its namespaces behind (checked without a
# process: every exec costs about 0.3 s in the debug guest)
[ -e /run/netns/$NS_A ] || [ -e /run/netns/$NS_B ] && join_ports
split_ports "$A" "$B" || { ktap_print_header; ktap_exit_fail_msg "ports do not come up"; }
NS=$NS_B

NQ=$(ip netns exec $NS_B ethtool -l "$B" | awk '/^Current/ { c = 1 } c && /^Combined:/ { print $2; exit }')
[ "${NQ:-1}" -ge 2 ] || { echo "# $B has one queue: nothing to reserve"; exit $KSFT_SKIP; }
QUEUE=${QUEUE:-$((NQ - 1))}
ip netns exec $NS_B ethtool -K "$B" ntuple on >/dev/null 2>&1
wait_for 100 link_is_up $NS_B "$B"
CD=$(ip netns exec $NS_B sh -c "readlink -f /sys/class/net/$B/device/bifurc/bifurc-*")
echo "$QUEUE" > "$CD/reserve" || { ktap_print_header; ktap_exit_fail_msg "cannot reserve queue $QUEUE"; }

# B is nic1: the flood (the model's packet source, configured and stopped
# by bifurc_faults through the hostctl port) and the link flaps go to the
# port with the app
SOURCE=nic1
ip netns exec $NS_B "$BIN" -i "$B" -q "$QUEUE" -P $NS_A -a $ADDR_B -p $PORT \
	-N nic1 -F "$RATE" "${ARGS[@]}"
rc=$?
[ $rc -lt 128 ] && SOURCE=

# With nothing attached the driver unloads (the rmmod loop was refused
# it): a reference a loop leaked fails the run, by the exit status since
# bifurc_faults' plan has no line for it.
cleanup
trap - EXIT
if out=$(rmmod ixgbe 2>&1); then
	echo "# rmmod ixgbe: clean unload"
else
	echo "# rmmod ixgbe after the loops failed: $out"
	rc=$KSFT_FAIL
fi
exit $rc
