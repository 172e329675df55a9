#!/bin/bash
# Description: mirror writes "N on" / "N off" to the class device's mirror
# attribute (the fake answers as mirror_store() does); dev shows the
# mirrored queues in text and JSON; a queue that is not reserved, a kernel
# without the attribute, a refusal and every usage error have their own
# message and exit status.
. "${SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"
mkfake
CD1=$(classdev eth1 0000:00:04.0)
: > "$CD1/mirror"

t_on_off() {
	run 0 mirror eth1 queue 2 on && [ -z "$OUT$ERR" ] &&
	[ "$(cat "$CD1/mirror")" = 2 ] || { echo "mirror holds '$(cat "$CD1/mirror")'"; return 1; }
	run 0 dev eth1 && contains "$OUT" "queues 4 reserved 2 attached none mirrored 2 ntuple on" || return 1
	run 0 -j dev eth1 &&
	[ "$(pyget "$OUT" 'j[0]["mirrored"], j[0]["reserved_queues"][0]["mirror"]')" = "[2] True" ] ||
		{ echo "$OUT"; return 1; }
	run 0 mirror eth1 queue 2 off && [ -z "$(cat "$CD1/mirror")" ] &&
	run 0 dev eth1 && contains "$OUT" "attached none mirrored none ntuple on"
}

t_not_reserved() {
	run 1 mirror eth1 queue 1 on &&
	contains "$ERR" "queue 1 of eth1 is not reserved; its frames already go to the stack" &&
	run 1 mirror eth1 queue 4 on && contains "$ERR" "queue 4 out of range: eth1 has 4 RX queues"
}

t_old_kernel() {
	run 1 mirror eth2 queue 3 on &&
	contains "$ERR" "cannot mirror queues (the mirror attribute came with the v11 series)" &&
	run 0 -j dev eth2 &&
	[ "$(pyget "$OUT" 'j[0]["mirrored"], j[0]["reserved_queues"][1]["mirror"]')" = "None None" ] ||
		{ echo "$OUT"; return 1; }
	run 0 dev eth2 && ! contains "$OUT" "mirrored"
}

t_refused() {
	echo 1 > "$ROOT/fake-ethtool/eth1/mirror_errno"	# EPERM
	run 1 mirror eth1 queue 2 on &&
	contains "$ERR" "cannot turn the mirror of queue 2 of eth1 on: needs root (CAP_NET_ADMIN)"
	local r=$?
	rm -f "$ROOT/fake-ethtool/eth1/mirror_errno"
	return $r
}

t_usage() {
	run 2 mirror eth1 queue 2 && contains "$ERR" 'missing "on" or "off"' &&
	run 2 mirror eth1 queue 2 offf && contains "$ERR" 'unknown mirror state "offf" (did you mean "off"?)' &&
	run 2 mirror eth1 queue 2 on now && contains "$ERR" 'unexpected argument "now"' &&
	run 2 mirror eth1 q 2 on && contains "$ERR" 'unknown keyword "q"' &&
	run 0 mirror -h && contains "$OUT" "Usage: bifurcctl mirror IF queue N {on|off}"
}

plan 5 "Description: mirror"
ok MIRROR_ON_OFF t_on_off
ok MIRROR_NOT_RESERVED t_not_reserved
ok MIRROR_OLD_KERNEL t_old_kernel
ok MIRROR_REFUSED t_refused
ok MIRROR_USAGE t_usage
done_testing
