#!/bin/bash
# Description: grant writes the kernel's grant of the queue (the class
# device's "grant" attribute) and changes owner or group and mode of the
# adapter's device node (adding to earlier node grants), then says what
# the grantee may do and prints the udev rule; "none" revokes the kernel
# grant and leaves the node alone; a release ends the grant.  A kernel
# without the attribute, a refused write and a queue that is not reserved
# fail with their own message and change nothing.  Changing ownership
# needs root: those cases are skipped otherwise.
. "${SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"
mkfake
NODE=$DEVROOT/bifurc/0000:00:04.0
CD1=$(classdev eth1 0000:00:04.0)
# the namespace's ip_unprivileged_port_start, as bifurcctl reads it
PORT=$(cat /proc/sys/net/ipv4/ip_unprivileged_port_start 2>/dev/null || echo none)

skip_unless_root() {
	[ "$(id -u)" -eq 0 ]
}

# node_is "STAT": owner, group and mode of the node
node_is() {
	[ "$(stat -c '%U %G %a' "$NODE")" = "$1" ] ||
		{ echo "node: $(stat -c '%U %G %a' "$NODE"), expected $1"; return 1; }
}

# grants_are "LINES": the grant attribute holds exactly LINES
grants_are() {
	[ "$(cat "$CD1/grant")" = "$1" ] ||
		{ echo "grant attribute: '$(cat "$CD1/grant")', expected '$1'"; return 1; }
}

t_user() {
	local port_text
	case $PORT in
	none) port_text="of 1024 or above (the default ip_unprivileged_port_start)" ;;
	0) port_text="(any port: ip_unprivileged_port_start is 0)" ;;
	*) port_text="of $PORT or above (ip_unprivileged_port_start)" ;;
	esac
	run 0 grant eth1 queue 2 user nobody || return 1
	node_is "nobody root 600" && grants_are "2 user $(id -u nobody)" &&
	contains "$OUT" "queue 2 of eth1: granted to user nobody (uid $(id -u nobody))" &&
	contains "$OUT" "note: user nobody may attach queue 2 of eth1 only; its flow rules must match one whole destination port $port_text" &&
	contains "$OUT" 'SUBSYSTEM=="bifurc", KERNEL=="bifurc-0000:00:04.0", OWNER="nobody", MODE="0600"' || return 1
	case $OUT in *"every reserved queue"*) echo "the v2 note is back"; return 1 ;; esac
}

t_group() {
	local g
	g=$(getent group 0 | cut -d: -f1)
	run 0 grant eth1 queue 2 group "$g" || return 1
	node_is "nobody $g 660" && grants_are "2 group 0" &&
	contains "$OUT" "granted to group $g (gid 0), replacing user nobody" &&
	contains "$OUT" "members of group $g may attach queue 2 of eth1 only" &&
	contains "$OUT" "GROUP=\"$g\", MODE=\"0660\""
}

t_none() {
	local before
	echo "2 user 1000" > "$CD1/grant"
	before=$(stat -c '%U %G %a' "$NODE")
	run 0 grant eth1 queue 2 none || return 1
	grants_are "" && node_is "$before" &&
	contains "$OUT" "queue 2 of eth1: revoked the grant to user" &&
	contains "$OUT" "an application attached now stays attached" &&
	contains "$OUT" "note: the device node $NODE keeps its owner and mode" &&
	run 0 grant eth1 queue 2 none &&
	contains "$OUT" "queue 2 of eth1 was not granted; nothing to revoke"
}

t_release_ends() {
	echo "2 group 100" > "$CD1/grant"
	run 0 release eth1 queue 2 && grants_are "" &&
	[ -z "$(cat "$CD1/reserved")" ] &&
	run 1 grant eth1 queue 2 none &&
	contains "$ERR" "queue 2 of eth1 is not reserved, so it has no grant" &&
	run 0 reserve eth1 queue 2 && run 0 dev eth1 &&
	contains "$OUT" "granted none"
}

t_refused() {
	local before
	before=$(stat -c '%U %G %a' "$NODE")
	echo 1 > "$ROOT/fake-ethtool/eth1/grant_errno"	# EPERM
	run 1 grant eth1 queue 2 user 4242 &&
	contains "$ERR" "cannot grant queue 2 of eth1 to user 4242: needs root (CAP_NET_ADMIN)" &&
	one_line "$ERR" && node_is "$before" && grants_are "" &&
	run 1 grant eth1 queue 2 none &&
	contains "$ERR" "cannot revoke the grant of queue 2 of eth1: needs root (CAP_NET_ADMIN)"
	rm -f "$ROOT/fake-ethtool/eth1/grant_errno"
}

t_old_kernel() {
	local before
	before=$(stat -c '%U %G %a' "$NODE")
	rm "$CD1/grant"
	run 1 grant eth1 queue 2 user nobody &&
	contains "$ERR" "cannot grant queue 2 of eth1: this kernel's bifurc has no per-queue grants (needs the v3 series)" &&
	one_line "$ERR" && node_is "$before" &&
	run 1 grant eth1 queue 2 none &&
	contains "$ERR" "per-queue grants (needs the v3 series)"
	: > "$CD1/grant"
}

t_not_reserved() {
	run 1 grant eth1 queue 3 user nobody &&
	contains "$ERR" "queue 3 of eth1 is not reserved; reserve it first: bifurcctl reserve eth1 queue 3"
}

t_no_node() {
	rm -f "$NODE"
	run 1 grant eth1 queue 2 user nobody && contains "$ERR" "no device node $NODE" &&
	grants_are ""
}

plan 8 "Description: grant"
if skip_unless_root; then
	ok GRANT_USER t_user
	ok GRANT_GROUP t_group
else
	T_N=$((T_N + 2)); echo "ok 1 - GRANT_USER # SKIP needs root"; echo "ok 2 - GRANT_GROUP # SKIP needs root"
fi
ok GRANT_NONE_REVOKES t_none
ok GRANT_ENDS_WITH_RELEASE t_release_ends
ok GRANT_REFUSED t_refused
ok GRANT_OLD_KERNEL t_old_kernel
ok GRANT_NOT_RESERVED t_not_reserved
ok GRANT_NO_NODE t_no_node
done_testing
