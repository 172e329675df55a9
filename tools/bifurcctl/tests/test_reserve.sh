#!/bin/bash
# Description: reserve/release write the queue number to the class
# device's sysfs attribute after checking range, reserved and attached
# state from sysfs; each refusal has its own message and exits 1.  The
# fake backend answers the writes as the kernel does (reserved, attached).
. "${SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"
mkfake
CD1=$(classdev eth1 0000:00:04.0)
CD2=$(classdev eth2 0000:00:05.0)

t_reserve() {
	run 0 reserve eth1 queue 3 && [ -z "$OUT$ERR" ] &&
	[ "$(cat "$CD1/reserve")" = 3 ] || { echo "reserve holds '$(cat "$CD1/reserve")'"; return 1; }
	[ "$(cat "$CD1/reserved")" = "2 3" ] || { echo "reserved: $(cat "$CD1/reserved")"; return 1; }
}

t_already() {
	: > "$CD1/reserve"
	run 1 reserve eth1 queue 2 &&
	contains "$ERR" "queue 2 of eth1 is already reserved" &&
	[ ! -s "$CD1/reserve" ]
}

t_range() {
	run 1 reserve eth1 queue 4 &&
	contains "$ERR" "queue 4 out of range: eth1 has 4 RX queues (0..3)" &&
	run 1 release eth1 queue 100 && contains "$ERR" "out of range"
}

t_release() {
	run 1 release eth1 queue 1 && contains "$ERR" "queue 1 of eth1 is not reserved" &&
	run 0 release eth1 queue 2 && [ "$(cat "$CD1/release")" = 2 ] &&
	[ "$(cat "$CD1/reserved")" = 3 ]
}

t_attached() {
	run 1 release eth2 queue 3 &&
	contains "$ERR" "attached by an application" &&
	contains "$ERR" "bifurcctl release eth2 queue 3 force" &&
	[ ! -s "$CD2/release" ] &&
	run 0 release eth2 queue 3 force && [ "$(cat "$CD2/release")" = 3 ] &&
	[ -z "$(cat "$CD2/attached")" ] &&
	run 0 release eth2 queue 1 && [ "$(cat "$CD2/release")" = 1 ]
}

t_write_error() {
	# a write the kernel refuses: here the attribute cannot be opened
	rm -f "$CD1/reserve"
	run 1 reserve eth1 queue 1 &&
	contains "$ERR" "cannot reserve queue 1 of eth1: "
}

plan 6 "Description: reserve and release"
ok RESERVE t_reserve
ok ALREADY_RESERVED t_already
ok QUEUE_OUT_OF_RANGE t_range
ok RELEASE t_release
ok RELEASE_ATTACHED t_attached
ok WRITE_ERROR t_write_error
done_testing
