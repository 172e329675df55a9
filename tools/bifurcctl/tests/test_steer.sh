#!/bin/bash
# Description: steer add/del/list against the fake ethtool backend (which
# enforces ixgbe's one mask per port): locations, ntuple off, range,
# not-reserved note, mask conflict explanation, permission, IPv6 on ixgbe;
# ethtool -N's words (flow-type, action N, action -1) give the same rules.
. "${SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"
mkfake

t_add_list() {
	run 0 steer add eth1 udp4 dst-port 53 queue 2 &&
	[ "$OUT" = "Added rule 8189" ] && [ -z "$ERR" ] &&
	run 0 steer add eth1 tcp4 dst-port 80 drop loc 5 &&
	[ "$OUT" = "Added rule 5" ] &&
	run 0 steer list eth1 || return 1
	[ "$OUT" = "eth1: 2 rules, table size 8190, ntuple on, flow mask: dst-port
rule 5: tcp4 dst-port 80 drop
rule 8189: udp4 dst-port 53 queue 2" ] || { echo "$OUT"; return 1; }
}

t_not_reserved_note() {
	run 0 steer add eth1 udp4 dst-port 123 queue 3 &&
	[ "$OUT" = "Added rule 8188" ] &&
	contains "$ERR" "note: queue 3 of eth1 is not reserved for bifurc"
}

t_conflict() {
	run 1 steer add eth1 tcp4 src-ip 10.0.0.1 queue 2 || return 1
	contains "$ERR" "the 82599 has one flow mask per port" &&
	contains "$ERR" "rules in force compare: dst-port" &&
	contains "$ERR" "(rule 5, 8188, 8189)" &&
	contains "$ERR" "this rule compares:     src-ip" &&
	contains "$ERR" "bifurcctl steer del eth1 rule 5"
}

t_loc() {
	run 1 steer add eth1 udp4 dst-port 9 queue 2 loc 8189 &&
	contains "$ERR" "rule 8189 exists on eth1; delete it first" &&
	run 1 steer add eth1 udp4 dst-port 9 queue 2 loc 8190 &&
	contains "$ERR" "loc 8190 out of range"
}

t_range() {
	run 1 steer add eth1 udp4 dst-port 9 queue 4 &&
	contains "$ERR" "queue 4 out of range: eth1 has 4 RX queues (0..3)"
}

t_ntuple_off() {
	run 1 steer add eth2 udp4 dst-port 53 queue 3 &&
	contains "$ERR" "ntuple filters are off on eth2; turn it on with: ethtool -K eth2 ntuple on"
}

t_perm() {
	echo 1 > "$ROOT/fake-ethtool/eth1/ins_errno"	# EPERM
	run 1 steer add eth1 udp4 dst-port 7 queue 2 &&
	contains "$ERR" "needs root (CAP_NET_ADMIN)"
	local r=$?
	rm -f "$ROOT/fake-ethtool/eth1/ins_errno"
	return $r
}

t_ipv6() {
	run 1 steer add eth1 udp6 dst-ip 2001:db8::1 dst-port 53 queue 2 &&
	contains "$ERR" "driver ixgbe has no IPv6 ntuple rules"
}

t_del() {
	run 0 steer del eth1 rule 8188 && [ -z "$OUT$ERR" ] &&
	run 1 steer del eth1 rule 8188 &&
	contains "$ERR" "no rule 8188 on eth1" &&
	run 0 steer del eth1 rule 5 && run 0 steer del eth1 rule 8189 &&
	run 0 steer list eth1 &&
	[ "$OUT" = "eth1: 0 rules, table size 8190, ntuple on" ] &&
	run 0 steer add eth1 tcp4 src-ip 10.0.0.1 queue 2	# mask is free again
}

t_no_ntuple_driver() {
	run 1 steer list eth0 && contains "$ERR" "eth0 (driver virtio_net) has no ntuple rules"
}

# ethtool -N eth2 flow-type udp4 dst-port 53 action 3 loc 9, after the IF
t_ethtool_words() {
	local list
	echo 1 > "$ROOT/fake-ethtool/eth2/ntuple"
	run 0 steer add eth2 flow-type udp4 dst-port 53 action 3 loc 9 &&
	[ "$OUT" = "Added rule 9" ] &&
	run 0 steer add eth2 flow-type udp4 dst-port 54 action -1 loc 8 &&
	run 0 steer list eth2 || return 1
	list=$OUT
	contains "$list" "rule 9: udp4 dst-port 53 queue 3" &&
	contains "$list" "rule 8: udp4 dst-port 54 drop" &&
	run 2 steer add eth2 flow-type udp4 dst-ip 10.0.0.1 m 255.0.0.0 action 3 &&
	contains "$ERR" "ethtool's \"m MASK\" is not taken: give an address as A/LEN" &&
	run 2 steer add eth2 flow-type && contains "$ERR" "missing flow type" &&
	run 2 steer add eth2 udp4 dst-port 55 action 3 drop &&
	contains "$ERR" "more than one action"
}

# A rule an app added (the owners attribute lists it) names its holder;
# the admin's rules, and every rule on a kernel without the attribute,
# name none.
t_owner_marks() {
	local o
	o=$(classdev eth2 0000:00:05.0)/owners
	rm -f "$o"
	run 0 -j steer list eth2 && [ "$(pyget "$OUT" 'j["owners"], [r["owner"] for r in j["rules"]]')" = "False [None, None]" ] ||
		{ echo "$OUT"; return 1; }
	printf '3 pid 812 uid 1000 since 5 mode ring irq rx+tx rules 9,2045 comm dns fwd\n' > "$o"
	run 0 steer list eth2 || return 1
	contains "$OUT" "rule 9: udp4 dst-port 53 queue 3 owner pid 812 (dns fwd) uid 1000 on queue 3" &&
	printf '%s\n' "$OUT" | grep -qx "rule 8: udp4 dst-port 54 drop" || { echo "$OUT"; return 1; }
	run 0 -j steer list eth2 || return 1
	[ "$(pyget "$OUT" 'j["owners"], {r["loc"]: r["owner"] and (r["owner"]["queue"], r["owner"]["pid"], r["owner"]["comm"], r["owner"]["uid"], r["owner"]["rules"]) for r in j["rules"]}')" = \
	  "True {8: None, 9: (3, 812, 'dns fwd', 1000, [9, 2045])}" ] || { echo "$OUT"; return 1; }
}

plan 12 "Description: steer add, del and list"
ok ADD_AND_LIST t_add_list
ok NOT_RESERVED_NOTE t_not_reserved_note
ok MASK_CONFLICT t_conflict
ok LOCATION t_loc
ok QUEUE_OUT_OF_RANGE t_range
ok NTUPLE_OFF t_ntuple_off
ok NOT_ROOT t_perm
ok IPV6_ON_IXGBE t_ipv6
ok DELETE t_del
ok NO_NTUPLE_DRIVER t_no_ntuple_driver
ok ETHTOOL_WORDS t_ethtool_words
ok OWNER_MARKS t_owner_marks
done_testing
