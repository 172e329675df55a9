#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Description: ixgbe bifurc ABI fuzzer: reserve a queue the way bifurc.sh
# does, then run bifurc_fuzz (100,000 seeded calls by default) against it:
# under chaos (-C: release and reserve of the queue, ethtool -G resets and
# link flaps while RINGS and RACE run) and, at the end, IOCTL, ATTACH and
# RINGS once more as uid 1000 holding a grant of the queue (-U 1000).
# Its seed is printed first; a KASAN, lockdep or kmemleak report in the
# console fails the run too (the harness scans it).
#
# Usage: fuzz.sh [-i IFACE] [-q QUEUE] [-- BIFURC_FUZZ ARGS]
#   -i IFACE  use this interface (a real X520 port) instead of the emulated
#             pair
#   -q QUEUE  queue to reserve (default: the last one)
#   e.g.      fuzz.sh -- -s 0x1234 -p RINGS -n 5000    (replay one phase)
#
# In the test guest, which gets no environment from the host, the fuzzer's
# arguments may also come from the SMBIOS system serial number
# "bifurc-fuzz:ARGS" (make stress sets it, QEMU -smbios type=1,serial=...).
#
# Needs: CONFIG_IXGBE=m, CONFIG_IXGBE_BIFURC=y (see config), root, ethtool;
# the emulated pair also needs the model's packet source (hostctl): a
# source that cannot be set up fails the run.  Skips (exit 4) without
# bifurc.
cd "$(dirname "$0")" && . ../../../lib/ktap.sh && . ../../../lib/model.sh

TOP=$(cd ../../../.. && pwd)
BIN=${BIFURC_SELFTESTS:-$TOP/build/selftests}/bifurc_fuzz
IFACE='' QUEUE=''

while getopts "i:q:" opt; do
	case $opt in
	i) IFACE=$OPTARG ;;
	q) QUEUE=$OPTARG ;;
	*) echo "usage: $0 [-i IFACE] [-q QUEUE] [-- FUZZ ARGS]" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
ARGS=("$@")
serial=$(cat /sys/class/dmi/id/product_serial 2>/dev/null)
if [ ${#ARGS[@]} -eq 0 ] && [[ $serial == bifurc-fuzz:* ]]; then
	read -ra ARGS <<< "${serial#bifurc-fuzz:}"
fi

NS='' SOURCE='' NODE=''
PORT=7999
cleanup()
{
	local cd

	[ -n "$SOURCE" ] && hostctl qom-set "$SOURCE" pktgen-run false >/dev/null
	# the queue goes back to the stack even after a failed or ^C'd run
	# (its grant with it), the node to root alone (-U opened it to all)
	for cd in /sys/bus/pci/devices/*/bifurc/bifurc-*; do
		[ -n "$QUEUE" ] && [ -w "$cd/release" ] &&
			echo "$QUEUE" > "$cd/release" 2>/dev/null
	done
	[ -n "$NODE" ] && chmod 600 "$NODE"
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
	# B in a namespace of its own, with a peer: what the fuzzer sends
	# goes out on the wire.  A test before may have left its namespaces
	# behind (split_ports cannot create them then): they go first.
	join_ports
	split_ports "$A" "$B" || { ktap_print_header; ktap_exit_fail_msg "ports do not come up"; }
	NS=$NS_B IFACE=$B
fi
in_ns()
{
	if [ -n "$NS" ]; then ip netns exec "$NS" "$@"; else "$@"; fi
}

in_ns test -d "/sys/class/net/$IFACE/device/bifurc" ||
	{ echo "# $IFACE has no bifurc device"; exit $KSFT_SKIP; }
NQ=$(in_ns ethtool -l "$IFACE" | awk '/^Current/ { c = 1 } c && /^Combined:/ { print $2; exit }')
[ "${NQ:-1}" -ge 2 ] || { echo "# $IFACE has one queue: nothing to reserve"; exit $KSFT_SKIP; }
QUEUE=${QUEUE:-$((NQ - 1))}
in_ns ethtool -K "$IFACE" ntuple on >/dev/null 2>&1
[ -n "$NS" ] && wait_for 100 link_is_up "$NS" "$IFACE"
CD=$(in_ns sh -c "readlink -f /sys/class/net/$IFACE/device/bifurc/bifurc-*")
NODE=/dev/$(sed -n 's/^DEVNAME=//p' "$CD/uevent")
echo "$QUEUE" > "$CD/reserve" || { echo "# cannot reserve queue $QUEUE"; exit $KSFT_FAIL; }

if [ -n "$NS" ]; then
	# the model's packet source offers B a steady trickle of UDP frames
	# to PORT (no guest CPU spent sending); the fuzzer steers them to the
	# queue in some rounds (-u) and checks that they arrive only then.
	# Without it no frame would reach the rings RINGS checks: a failure,
	# not a quieter run.
	SOURCE=nic1
	for kv in "dst-ip $ADDR_B" "src-ip 10.77.0.100" "dst-port $PORT" \
		  "flows 4" "size 60" "rate 400" "count 0" "duration-ms 0" \
		  "run true"; do
		hostctl qom-set nic1 "pktgen-${kv% *}" "${kv#* }" >/dev/null ||
			{ ktap_print_header; ktap_exit_fail_msg "packet source: cannot set ${kv% *}"; }
	done
	ARGS=(-u "$PORT" "${ARGS[@]}")
fi
# -C: the fuzzer reconfigures the port itself while RINGS and RACE run,
# so that it knows when an attachment may die; -U: it grants the queue to
# uid 1000 (ports 7990-7999, PORT among them) and opens the node to all
# for its last phases, which it runs as that user without capabilities
in_ns "$BIN" -i "$IFACE" -q "$QUEUE" -C -U 1000 "${ARGS[@]}"
