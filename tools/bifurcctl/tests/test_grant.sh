#!/bin/bash
# Description: grant writes the kernel's grant of the queue (the class
# device's "grant" attribute), with "ports LO-HI" when given, and never
# changes the adapter's device node (udev's group "bifurc" owns it): it
# says what the grantee may do and whether it can open the node, as its
# owner, through its group or as anyone, or what to fix if it cannot;
# "none" revokes the kernel grant; a release
# ends the grant; changing or revoking the grant of an attached queue
# says that the grantee's attachment ends.  A bad port range is a usage
# error that writes nothing.  A kernel without the attribute, a refused
# write and a queue that is not reserved fail with their own message and
# change nothing.
. "${SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"
mkfake
NODE=$DEVROOT/bifurc/0000:00:04.0
CD1=$(classdev eth1 0000:00:04.0)
WRITES=$ROOT/fake-ethtool/eth1/writes	# the fake logs attribute writes here
: > "$WRITES"
# the namespace's ip_unprivileged_port_start, as bifurcctl reads it
PORT=$(cat /proc/sys/net/ipv4/ip_unprivileged_port_start 2>/dev/null || echo none)

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

# writes_are "LINES": the attribute writes since $WRITES was emptied
writes_are() {
	[ "$(cat "$WRITES")" = "$1" ] ||
		{ echo "written: '$(cat "$WRITES")', expected '$1'"; return 1; }
}

not_contains() {
	case $1 in *"$2"*) echo "unexpected \"$2\" in: $1"; return 1 ;; esac
}

case $PORT in
none) PORT_TEXT="of 1024 or above (the default ip_unprivileged_port_start)" ;;
0) PORT_TEXT="(any port: ip_unprivileged_port_start is 0)" ;;
*) PORT_TEXT="of $PORT or above (ip_unprivileged_port_start)" ;;
esac

t_user() {
	local before
	chmod 0600 "$NODE"
	before=$(stat -c '%U %G %a' "$NODE")
	run 0 grant eth1 queue 2 user nobody || return 1
	node_is "$before" && grants_are "2 user $(id -u nobody)" &&
	contains "$OUT" "queue 2 of eth1: granted to user nobody (uid $(id -u nobody))" &&
	contains "$OUT" "note: user nobody may attach queue 2 of eth1 only; its flow rules must match one whole destination port $PORT_TEXT" &&
	contains "$OUT" "note: user nobody cannot open $NODE (group $(stat -c %G "$NODE"), mode 0600) yet: the node should be group bifurc, mode 0660, from udev's 60-bifurc.rules" &&
	not_contains "$OUT" "SUBSYSTEM==" || return 1
	case $OUT in *"every reserved queue"*) echo "the v2 note is back"; return 1 ;; esac
}

# Which way the grantee opens the node; the node itself never changes.
t_node_access() {
	local me g
	me=$(id -un) g=$(id -gn)
	chmod 0666 "$NODE"
	run 0 grant eth1 queue 2 user nobody && node_is "$(stat -c '%U %G' "$NODE") 666" &&
	contains "$OUT" "$NODE: group $g, mode 0666: user nobody can open it as anyone (mode o+rw)" &&
	chmod 0600 "$NODE" &&
	run 0 grant eth1 queue 2 user "$me" && node_is "$(stat -c '%U %G' "$NODE") 600" &&
	contains "$OUT" "user $me can open it as its owner" &&
	chmod 0060 "$NODE" &&
	run 0 grant eth1 queue 2 user "$me" &&
	contains "$OUT" "user $me can open it as a member of its group" &&
	run 0 grant eth1 queue 2 group "$g" && node_is "$(stat -c '%U %G' "$NODE") 60" &&
	contains "$OUT" "group $g can open it as its group" &&
	chmod 0600 "$NODE" &&
	run 0 grant eth1 queue 2 group "$g" &&
	contains "$OUT" "note: group $g cannot open $NODE (group $g, mode 0600) yet" || return 1
	: > "$CD1/grant"
}

t_none() {
	local before
	echo "2 user 1000" > "$CD1/grant"
	before=$(stat -c '%U %G %a' "$NODE")
	run 0 grant eth1 queue 2 none || return 1
	grants_are "" && node_is "$before" &&
	contains "$OUT" "queue 2 of eth1: revoked the grant to user" &&
	not_contains "$OUT" "stays attached" &&
	not_contains "$OUT" "is attached" &&	# queue 2 is not attached
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

# ports: the line written, what the attribute then says, what is printed
t_ports() {
	local me
	me=$(id -u)
	: > "$WRITES"
	run 0 grant eth1 queue 2 user "$me" ports 5300-5399 || return 1
	writes_are "grant 2 user $me ports 5300-5399" &&
	grants_are "2 user $me ports 5300-5399" &&
	contains "$OUT" "queue 2 of eth1: granted to user" &&
	contains "$OUT" "(uid $me) ports 5300-5399" &&
	contains "$OUT" "its flow rules must match one whole destination port in 5300-5399 (the grant's ports)" &&
	contains "$OUT" "a rule for a port that a socket has bound on eth1 (or on all interfaces) is refused" || return 1
	# one port: written and shown as LO-LO; the old grant is named
	: > "$WRITES"
	run 0 grant eth1 queue 2 user "$me" ports 53 || return 1
	writes_are "grant 2 user $me ports 53-53" && grants_are "2 user $me ports 53-53" &&
	contains "$OUT" "destination port, 53 (the grant's port)" &&
	contains "$OUT" ", replacing user" && contains "$OUT" "ports 5300-5399" || return 1
	# leading zeros are decimal; an equal range is one port
	: > "$WRITES"
	run 0 grant eth1 queue 2 user "$me" ports 080-80 &&
	writes_are "grant 2 user $me ports 80-80" || return 1
	# without ports: the line every kernel since the v3 series takes
	: > "$WRITES"
	run 0 grant eth1 queue 2 user "$me" || return 1
	writes_are "grant 2 user $me" && grants_are "2 user $me" &&
	contains "$OUT" "destination port $PORT_TEXT" && contains "$OUT" "replacing user" &&
	# the same grant again replaces nothing
	run 0 grant eth1 queue 2 user "$me" &&
	not_contains "$OUT" "replacing" || return 1
	run 0 grant eth1 queue 2 group "$(id -g)" ports 1-65535 &&
	grants_are "2 group $(id -g) ports 1-65535" &&
	contains "$OUT" "their flow rules must match one whole destination port in 1-65535" &&
	: > "$CD1/grant"
}

# bad_ports WORD RANGE: exit 2, one line naming WORD, nothing written
bad_ports() {
	local word=$1 before
	shift
	before=$(stat -c '%U %G %a' "$NODE")
	: > "$WRITES"
	run 2 grant eth1 queue 2 user "$(id -u)" "$@" || return 1
	one_line "$ERR" && contains "$ERR" "$word" &&
	[ -z "$OUT" ] || { echo "stdout on usage error: $OUT"; return 1; }
	writes_are "" && grants_are "2 group 100 ports 5300-5399" && node_is "$before"
}

t_bad_ports() {
	echo "2 group 100 ports 5300-5399" > "$CD1/grant"
	bad_ports 'ports "5399-5300": the first port is above the last (5399 > 5300)' ports 5399-5300 &&
	bad_ports 'ports "0": port 0 is out of range (1..65535)' ports 0 &&
	bad_ports 'ports "0-53": port 0 is out of range' ports 0-53 &&
	bad_ports 'ports "65536": port 65536 is out of range (1..65535)' ports 65536 &&
	bad_ports 'ports "1-70000": port 70000 is out of range' ports 1-70000 &&
	bad_ports 'ports "99999999999999999999"' ports 99999999999999999999 &&
	bad_ports 'ports "53x": "53x" is not a port number' ports 53x &&
	bad_ports 'ports "dns": "dns" is not a port number' ports dns &&
	bad_ports 'ports "0x35"' ports 0x35 &&
	bad_ports 'ports "5300-": expected LO or LO-HI' ports 5300- &&
	bad_ports 'ports "-53": expected LO or LO-HI' ports -53 &&
	bad_ports 'ports "1-2-3"' ports 1-2-3 &&
	bad_ports 'ports "": expected LO or LO-HI' ports "" &&
	bad_ports 'missing port range (LO or LO-HI)' ports &&
	bad_ports 'unknown argument "port" (did you mean "ports"?)' port 53 &&
	bad_ports 'unexpected argument "ports"' ports 53 ports 54 &&
	bad_ports 'unexpected argument "54"' ports 53 54 &&
	run 2 grant eth1 queue 2 none ports 53 && contains "$ERR" 'unexpected argument "ports"' &&
	writes_are "" && grants_are "2 group 100 ports 5300-5399" &&
	: > "$CD1/grant"
}

# A kernel before the v7 series answers a line with ports EINVAL.
t_ports_old_kernel() {
	local before
	before=$(stat -c '%U %G %a' "$NODE")
	echo "2 user 7" > "$CD1/grant"
	echo 22 > "$ROOT/fake-ethtool/eth1/grant_errno"	# EINVAL
	run 1 grant eth1 queue 2 user "$(id -u)" ports 53
	local rc=$?
	rm -f "$ROOT/fake-ethtool/eth1/grant_errno"
	[ "$rc" -eq 0 ] && one_line "$ERR" &&
	contains "$ERR" "cannot grant queue 2 of eth1 to user" &&
	contains "$ERR" "ports 53-53: the kernel refused the line: a kernel before the v7 series has no port ranges in grants" &&
	grants_are "2 user 7" && node_is "$before" &&
	: > "$CD1/grant"
}

# Changing or revoking the grant of an attached queue ends the
# grantee's attachment (v7); bifurcctl says so only when it is attached.
t_attached_note() {
	local cd2 me
	me=$(id -u)
	cd2=$(classdev eth2 0000:00:05.0)
	echo "3 user 4242 ports 53-53" > "$cd2/grant"
	run 0 grant eth2 queue 3 user "$me" ports 53 || return 1
	contains "$OUT" "replacing user 4242 ports 53-53" &&
	contains "$OUT" "note: queue 3 of eth2 is attached: if the user of the old grant attached it, the kernel ends that attachment" &&
	contains "$OUT" "an administrator's attachment stays" &&
	run 0 grant eth2 queue 3 none &&
	contains "$OUT" "revoked the grant to user" &&
	contains "$OUT" "note: queue 3 of eth2 is attached: if that user attached it, the kernel ends that attachment" &&
	[ -z "$(cat "$cd2/grant")" ] &&
	# queue 1 is reserved, not attached: nothing to say
	echo "1 group 100" > "$cd2/grant" &&
	run 0 grant eth2 queue 1 none && not_contains "$OUT" "is attached"
}

t_not_reserved() {
	run 1 grant eth1 queue 3 user nobody &&
	contains "$ERR" "queue 3 of eth1 is not reserved; reserve it first: bifurcctl reserve eth1 queue 3"
}

# The kernel grant does not need the node; the note says it is missing.
t_no_node() {
	rm -f "$NODE"
	run 0 grant eth1 queue 2 user nobody &&
	contains "$OUT" "note: no device node $NODE (No such file or directory): udev or devtmpfs creates it" &&
	grants_are "2 user $(id -u nobody)" && : > "$CD1/grant"
}

plan 12 "Description: grant"
ok GRANT_USER t_user
ok GRANT_NODE_ACCESS t_node_access
ok GRANT_NONE_REVOKES t_none
ok GRANT_ENDS_WITH_RELEASE t_release_ends
ok GRANT_REFUSED t_refused
ok GRANT_OLD_KERNEL t_old_kernel
ok GRANT_NOT_RESERVED t_not_reserved
ok GRANT_PORTS t_ports
ok GRANT_BAD_PORTS t_bad_ports
ok GRANT_PORTS_OLD_KERNEL t_ports_old_kernel
ok GRANT_ATTACHED_NOTE t_attached_note
ok GRANT_NO_NODE t_no_node
done_testing
