#!/bin/bash
# Description: grant changes owner or group and mode of the adapter's
# device node (adding to earlier grants), prints the udev rule, and
# refuses queues that are not reserved.  Changing ownership needs root:
# skipped otherwise.
. "${SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"
mkfake
NODE=$DEVROOT/bifurc/0000:00:04.0

skip_unless_root() {
	[ "$(id -u)" -eq 0 ]
}

t_user() {
	run 0 grant eth1 queue 2 user nobody || return 1
	[ "$(stat -c '%U %a' "$NODE")" = "nobody 600" ] || { stat -c '%U %a' "$NODE"; return 1; }
	contains "$OUT" 'SUBSYSTEM=="bifurc", KERNEL=="bifurc-0000:00:04.0", OWNER="nobody", MODE="0600"' &&
	contains "$OUT" "every reserved queue of eth1"
}

t_group() {
	local g
	g=$(getent group 0 | cut -d: -f1)
	run 0 grant eth1 queue 2 group "$g" || return 1
	[ "$(stat -c '%U %G %a' "$NODE")" = "nobody $g 660" ] || { stat -c '%U %G %a' "$NODE"; return 1; }
	contains "$OUT" "GROUP=\"$g\", MODE=\"0660\""
}

t_not_reserved() {
	run 1 grant eth1 queue 3 user nobody &&
	contains "$ERR" "queue 3 of eth1 is not reserved; reserve it first: bifurcctl reserve eth1 queue 3"
}

t_no_node() {
	rm -f "$NODE"
	run 1 grant eth1 queue 2 user nobody && contains "$ERR" "no device node $NODE"
}

plan 4 "Description: grant"
if skip_unless_root; then
	ok GRANT_USER t_user
	ok GRANT_GROUP t_group
else
	T_N=$((T_N + 2)); echo "ok 1 - GRANT_USER # SKIP needs root"; echo "ok 2 - GRANT_GROUP # SKIP needs root"
fi
ok GRANT_NOT_RESERVED t_not_reserved
ok GRANT_NO_NODE t_no_node
done_testing
