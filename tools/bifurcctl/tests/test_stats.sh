#!/bin/bash
# Description: stats picks the bifurc_q<N>_* counters out of ethtool -S,
# groups them per queue, filters one queue, computes rates with -w, and
# the JSON values equal the ethtool values.
. "${SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"
mkfake
S=$ROOT/fake-ethtool/eth2/stats
cat > "$S" <<'EOT'
rx_packets 5
bifurc_q1_rx_packets 10
bifurc_q1_rx_bytes 640
bifurc_q1_rx_no_buf 0
bifurc_q1_rx_bad_id 0
bifurc_q1_kicks 2
bifurc_q3_rx_packets 7
bifurc_q3_rx_bytes 448
bifurc_q3_rx_no_buf 1
bifurc_q3_rx_bad_id 0
bifurc_q3_kicks 1
bifurc_qx_bogus 9
EOT

t_text() {
	run 0 stats eth2 || return 1
	contains "$OUT" "eth2 queue 1:" && contains "$OUT" "eth2 queue 3:" &&
	[ "$(printf '%s\n' "$OUT" | grep -c rx_packets)" = 2 ] &&
	case $OUT in *bogus*|*"  rx_packets                    5"*) echo "$OUT"; false ;; esac
}

t_queue() {
	run 0 stats eth2 queue 3 || return 1
	case $OUT in *"queue 1"*) echo "$OUT"; return 1 ;; esac
	contains "$OUT" "eth2 queue 3:" &&
	run 1 stats eth2 queue 2 && contains "$ERR" "queue 2 of eth2 is not reserved" &&
	run 1 stats eth2 queue 9 && contains "$ERR" "queue 9 out of range"
}

t_matches_ethtool() {
	run 0 -j stats eth2 || return 1
	# every bifurc_q<N>_<c> value appears as queues[N].counters[c]
	printf '%s\n' "$OUT" | python3 -c '
import json, re, sys
j = json.load(sys.stdin)
got = {(q["queue"], k): v for q in j["queues"] for k, v in q["counters"].items()}
want = {}
for line in open(sys.argv[1]):
    name, val = line.split()
    m = re.fullmatch(r"bifurc_q(\d+)_(\w+)", name)
    if m:
        want[(int(m.group(1)), m.group(2))] = int(val)
assert got == want, (got, want)
' "$S"
}

t_rates() {
	echo 10 > "$ROOT/fake-ethtool/eth2/step"
	run 0 -j stats eth2 queue 1 -w 0.2 || return 1
	printf '%s\n' "$OUT" | python3 -c '
import json, sys
j = json.load(sys.stdin)
q = j["queues"][0]
assert q["queue"] == 1 and 0.15 < j["interval"] < 2, j
assert q["counters"]["rx_packets"] == 20, q      # second sample
r = q["rates"]["rx_packets"]
assert abs(r - 10 / j["interval"]) < 1, (r, j["interval"])
' &&
	run 0 stats eth2 -w 0.1 && contains "$OUT" "/s" && contains "$OUT" "rates over"
}

t_none_reserved() {
	run 0 stats eth1 && contains "$OUT" "eth1: no reserved queue"
}

plan 5 "Description: stats"
ok STATS_TEXT t_text
ok STATS_ONE_QUEUE t_queue
ok STATS_MATCH_ETHTOOL t_matches_ethtool
ok STATS_RATES t_rates
ok STATS_NONE_RESERVED t_none_reserved
done_testing
