#!/bin/bash
# Description: -j on every read command (dev, steer list, stats) is
# well-formed JSON (python3 -m json.tool), compact and with -p.
. "${SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"
mkfake
printf 'rx_packets 5\nbifurc_q1_rx_packets 10\nbifurc_q1_rx_bytes 640\nbifurc_q3_rx_packets 7\nbifurc_q3_rx_bytes 448\n' \
	> "$ROOT/fake-ethtool/eth2/stats"
echo 4 > "$ROOT/fake-ethtool/eth2/step"

t_dev() {
	printf '1 group 100\n3 user 1000 ports 5300-5399\n' > "$(classdev eth2 0000:00:05.0)/grant"
	run 0 -j dev && json_ok "$OUT" &&
	[ "$(printf '%s\n' "$OUT" | wc -l)" -eq 1 ] &&
	run 0 -j -p dev && json_ok "$OUT" &&
	run 0 --json dev eth1 && json_ok "$OUT"
}

t_steer_list() {
	run 0 -j steer list eth1 && json_ok "$OUT" &&
	run 0 steer add eth1 udp4 dst-ip 10.0.0.0/8 dst-port 53 queue 2 &&
	run 0 steer add eth1 udp4 dst-ip 192.0.0.0/8 dst-port 5353 drop &&
	run 0 -j -p steer list eth1 && json_ok "$OUT" &&
	[ "$(pyget "$OUT" 'len(j["rules"])')" = 2 ]
}

t_stats() {
	run 0 -j stats eth2 && json_ok "$OUT" &&
	run 0 -j stats eth2 queue 3 && json_ok "$OUT" &&
	run 0 -j -p stats eth2 -w 0.1 && json_ok "$OUT" &&
	run 0 -j stats eth1 && json_ok "$OUT" &&
	[ "$(pyget "$OUT" 'j["queues"]')" = "[]" ]
}

t_escaping() {
	# an interface name JSON must escape
	fake_if 'we"ird' 9 ixgbe 0000:00:09.0 2
	fake_bifurc 'we"ird' 0000:00:09.0 9 "" ""
	run 0 -j dev && json_ok "$OUT" &&
	[ "$(pyget "$OUT" '[d["ifname"] for d in j][-1]')" = 'we"ird' ]
}

plan 4 "Description: JSON output is well-formed"
ok DEV_JSON t_dev
ok STEER_LIST_JSON t_steer_list
ok STATS_JSON t_stats
ok JSON_ESCAPING t_escaping
done_testing
