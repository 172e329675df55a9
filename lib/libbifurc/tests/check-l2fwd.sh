#!/bin/bash
# TAP: examples/l2fwd against the simulator (tests/l2fwd-sim.c): every
# frame that arrives on one queue leaves through the other, in order and
# byte for byte (a stripped VLAN tag back in place, a frame of two
# buffers whole, MACs swapped with -s), between two ports, two queues of
# one port (copy) or out of the queue it came in (zero copy); SIGTERM
# ends it with a total line and nothing left open; bad arguments and a
# queue that cannot be opened.  Needs $BUILD/test/libbifurc-sim.a and
# l2fwd-sim.o (make test).
set -u
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0 fail=0
t() { n=$((n + 1)); if "$@" > "$tmp/out" 2>&1; then echo "ok $n - $name"; else
	echo "not ok $n - $name"; sed 's/^/# /' "$tmp/out" | tail -n 20; fail=1; fi; }
echo "TAP version 13"
echo "1..7"
l2fwd=$tmp/l2fwd
name=BUILD; t ${CC:-cc} -std=c11 -Wall -Wextra -Werror -Iinclude $SAN \
	examples/l2fwd.c "$BUILD/test/l2fwd-sim.o" "$BUILD/test/libbifurc-sim.a" \
	$WRAP -o "$l2fwd"

# fwd MODE ARGS...: 20 rounds of 8 frames (160, 3620 bytes out a round),
# all forwarded as sent.
fwd() {
	local mode=$1
	shift
	timeout 20 "$l2fwd" "$@" > "$tmp/o" 2> "$tmp/e"
	local rc=$?
	cat "$tmp/o" "$tmp/e"
	[ $rc -eq 0 ] &&
	grep -q "^l2fwd: .* -> .*, $mode\(,\|\$\)" "$tmp/o" &&
	grep -qx 'total 160 packets 72400 bytes forwarded, 0 dropped, 0 too long, 0 refused, no-buffer drops 0' "$tmp/o" &&
	grep -qx 'l2fwd-sim: 160 frames in, 160 out, as sent' "$tmp/e"
}
name=L2FWD_TWO_PORTS; t fwd copy eth0 3 eth1 2
name=L2FWD_TWO_QUEUES_SWAP; L2FWD_SIM_SWAP=1 t fwd copy -s eth1 2 eth1 3
name=L2FWD_SAME_QUEUE; t fwd "zero copy" eth0 3 eth0 3
name=L2FWD_SAME_QUEUE_SWAP; L2FWD_SIM_SWAP=1 t fwd "zero copy" -s eth1 3 eth1 3

# Queue 5 is not reserved: a message, exit 1, nothing left open (the
# simulator's exit status would be 3).
name=L2FWD_OPEN_ERROR; L2FWD_SIM_ROUNDS=0 t bash -c "'$l2fwd' eth0 3 eth1 5 2> '$tmp/e';
	rc=\$?; cat '$tmp/e'; [ \$rc -eq 1 ] &&
	grep -q '^l2fwd: eth1 queue 5: ' '$tmp/e'"

name=L2FWD_USAGE; L2FWD_SIM_ROUNDS=0 t bash -c "for args in '' 'eth0 3 eth1' \
	'eth0 3 eth1 x' 'eth0 3 eth1 2 udp' 'eth0 3 eth1 2 icmp 1' '-t 0 eth0 3 eth1 2' \
	'-x eth0 3 eth1 2' 'eth0 -1 eth1 2'; do
	'$l2fwd' \$args 2> /dev/null; [ \$? -eq 2 ] || { echo \"'\$args': not 2\"; exit 1; }
	done"
exit $fail
