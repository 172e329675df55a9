#!/bin/bash
# Description: "dev" lists exactly the adapters with a bifurc class device,
# with PCI address, driver, queue count, reserved/attached queues, ntuple
# state, each reserved queue's grant (with its ports, v7 series; a line
# without ports from an older kernel still parses), who holds each
# attached queue (v10 series) and device node;
# unknown interface
# and missing bifurc support are runtime errors (exit 1) with their own
# messages.
. "${SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"
mkfake

t_list() {
	run 0 dev || return 1
	contains "$OUT" "3: eth1: 0000:00:04.0 driver ixgbe state up" &&
	contains "$OUT" "queues 4 reserved 2 attached none ntuple on" &&
	contains "$OUT" "4: eth2: 0000:00:05.0 driver ixgbe state up" &&
	contains "$OUT" "queues 4 reserved 1,3 attached 3 ntuple off" &&
	contains "$OUT" "granted none" &&
	contains "$OUT" "chardev $DEVROOT/bifurc/0000:00:05.0" || return 1
	case $OUT in *eth0*) echo "eth0 has no bifurc but is listed"; return 1 ;; esac
}

t_json_fields() {
	run 0 -j dev eth2 || return 1
	[ "$(pyget "$OUT" 'j[0]["reserved"], j[0]["attached"], j[0]["ntuple"], j[0]["queues"], j[0]["bdf"], j[0]["driver"]')" = \
	  "[1, 3] [3] False 4 0000:00:05.0 ixgbe" ] || { echo "$OUT"; return 1; }
}

t_grants() {
	printf '1 group 100\n3 user 1000\n' > "$(classdev eth2 0000:00:05.0)/grant"
	run 0 dev eth2 && contains "$OUT" "    granted 1 group 100" &&
	contains "$OUT" ", 3 user 1000" &&
	run 0 -j dev eth2 || return 1
	[ "$(pyget "$OUT" 'j[0]["grants"], j[0]["reserved_queues"]')" = \
	  "True [{'queue': 1, 'attached': False, 'mirror': None, 'granted': {'group': 100}, 'owner': None}, {'queue': 3, 'attached': True, 'mirror': None, 'granted': {'user': 1000}, 'owner': None}]" ] ||
		{ echo "$OUT"; return 1; }
	# a kernel before the v3 series: no attribute, nothing to report
	rm "$(classdev eth2 0000:00:05.0)/grant"
	run 0 dev eth2 && contains "$OUT" "granted n/a (kernel without per-queue grants)" &&
	run 0 -j dev eth2 || return 1
	[ "$(pyget "$OUT" 'j[0]["grants"], [q["granted"] for q in j[0]["reserved_queues"]]')" = \
	  "False [None, None]" ] || { echo "$OUT"; return 1; }
	# an attribute in a format this bifurcctl does not know
	echo "3 everyone" > "$(classdev eth2 0000:00:05.0)/grant"
	run 0 dev eth2 && contains "$OUT" "granted unknown" &&
	run 0 -j dev eth2 && [ "$(pyget "$OUT" 'j[0]["grants"]')" = None ]
}

# The v7 series' " ports LO-HI" in text and JSON, next to a grant without.
t_grant_ports() {
	local g
	g=$(classdev eth2 0000:00:05.0)/grant
	printf '1 group 100\n3 user 1000 ports 5300-5399\n' > "$g"
	run 0 dev eth2 || return 1
	# the ports follow their own queue's grant, after the name if any
	printf '%s\n' "$OUT" | grep -qE '^    granted 1 group 100( \([^)]*\))?, 3 user 1000( \([^)]*\))? ports 5300-5399$' ||
		{ echo "$OUT"; return 1; }
	run 0 -j dev eth2 || return 1
	[ "$(pyget "$OUT" 'j[0]["grants"], j[0]["reserved_queues"]')" = \
	  "True [{'queue': 1, 'attached': False, 'mirror': None, 'granted': {'group': 100}, 'owner': None}, {'queue': 3, 'attached': True, 'mirror': None, 'granted': {'user': 1000, 'ports': [5300, 5399]}, 'owner': None}]" ] ||
		{ echo "$OUT"; return 1; }
	# one port is LO-LO in the attribute, [LO, LO] in JSON
	printf '1 group 100 ports 53-53\n3 user 1000\n' > "$g"
	run 0 dev eth2 && contains "$OUT" "granted 1 group 100" &&
	contains "$OUT" "ports 53-53, 3 user 1000" || return 1
	case $OUT in *"1000 ports"*|*"1000 ("*") ports"*) echo "queue 3 has no ports: $OUT"; return 1 ;; esac
	run 0 -j -p dev eth2 && json_ok "$OUT" || return 1
	[ "$(pyget "$OUT" '[q["granted"] for q in j[0]["reserved_queues"]]')" = \
	  "[{'group': 100, 'ports': [53, 53]}, {'user': 1000}]" ] || { echo "$OUT"; return 1; }
	# ports outside 1 <= lo <= hi <= 65535: a format we do not know
	for bad in "3 user 1000 ports 5399-5300" "3 user 1000 ports 0-5" \
		"3 user 1000 ports 5-65536" "3 user 1000 ports 53" "3 user 1000 ports x"; do
		echo "$bad" > "$g"
		run 0 dev eth2 && contains "$OUT" "granted unknown" &&
		run 0 -j dev eth2 && [ "$(pyget "$OUT" 'j[0]["grants"]')" = None ] ||
			{ echo "for '$bad'"; return 1; }
	done
}

# The v10 series' owners attribute: who holds each attached queue, the
# command name last (with its spaces); absent before v10; a line in a
# format this bifurcctl does not know is "unknown", not "nobody".
t_owners() {
	local o
	o=$(classdev eth2 0000:00:05.0)/owners
	run 0 -j dev eth2 && [ "$(pyget "$OUT" 'j[0]["owners"]')" = False ] || return 1
	printf '3 pid 812 uid 1000 since 5 mode ring irq rx+tx rules 2045,2046 comm dns fwd\n' > "$o"
	run 0 dev eth2 || return 1
	printf '%s\n' "$OUT" | grep -qE '^    owner 3: pid 812 \(dns fwd\) uid 1000( \([^)]*\))? up [0-9]+ s ring irq rx\+tx rules 2045,2046$' ||
		{ echo "$OUT"; return 1; }
	run 0 -j dev eth2 || return 1
	[ "$(pyget "$OUT" 'j[0]["owners"], [q["owner"] for q in j[0]["reserved_queues"]]')" = \
	  "True [None, {'pid': 812, 'comm': 'dns fwd', 'uid': 1000, 'since': 5, 'mode': ['ring', 'irq', 'rx+tx'], 'rules': [2045, 2046]}]" ] ||
		{ echo "$OUT"; return 1; }
	printf '3 pid 9 uid 0 since 7 mode raw busy-poll rx rules - comm rxdrop\n' > "$o"
	run 0 dev eth2 && contains "$OUT" "owner 3: pid 9 (rxdrop) uid 0" &&
	contains "$OUT" "raw busy-poll rx rules none" || return 1
	for bad in "3 pid 812" "3 pid 0 uid 0 since 1 mode ring irq rx rules - comm x" \
		"3 pid 8 uid 0 since 1 mode ring irq rules - comm x" \
		"3 pid 8 uid 0 since 1 mode ring irq rx rules 1, comm x" \
		"200 pid 8 uid 0 since 1 mode ring irq rx rules - comm x"; do
		echo "$bad" > "$o"
		run 0 -j dev eth2 && [ "$(pyget "$OUT" 'j[0]["owners"]')" = None ] ||
			{ echo "for '$bad': $OUT"; return 1; }
	done
}

t_unknown_if() {
	run 1 dev eth9 && contains "$ERR" 'no interface "eth9"' &&
	run 1 reserve eth9 queue 1 && contains "$ERR" 'no interface "eth9"' &&
	run 1 steer list eth9 && contains "$ERR" 'no interface "eth9"' &&
	run 1 stats eth9 && contains "$ERR" 'no interface "eth9"'
}

t_no_bifurc() {
	run 1 dev eth0 &&
	contains "$ERR" "eth0 has no bifurc support: driver virtio_net has no" &&
	run 1 reserve eth0 queue 0 && contains "$ERR" "no bifurc support" &&
	run 1 stats eth0 && contains "$ERR" "no bifurc support" &&
	run 1 grant eth0 queue 0 user root && contains "$ERR" "no bifurc support"
}

t_empty() {
	rm -rf "$ROOT/devices/pci0000:00/0000:00:04.0/bifurc" \
	       "$ROOT/devices/pci0000:00/0000:00:05.0/bifurc"
	run 0 dev && [ -z "$OUT" ] &&
	run 0 -j dev && [ "$OUT" = "[]" ]
}

plan 8 "Description: dev"
ok DEV_LIST t_list
ok DEV_JSON_FIELDS t_json_fields
ok DEV_GRANTS t_grants
ok DEV_GRANT_PORTS t_grant_ports
ok DEV_OWNERS t_owners
ok UNKNOWN_INTERFACE t_unknown_if
ok NO_BIFURC_SUPPORT t_no_bifurc
ok NO_ADAPTERS t_empty
done_testing
