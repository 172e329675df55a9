#!/bin/bash
# Description: top reads the bifurc counters every -d seconds and prints,
# per reserved queue, the rates an operator watches; -j gives one JSON
# object per interval whose rates times the interval are the counters'
# increments; -n stops it; without IF it watches every bifurc adapter;
# bad arguments are usage errors.  The fake adds "step" to every counter
# at each read, so each interval's increment is known.
. "${SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"
mkfake
S=$ROOT/fake-ethtool/eth2/stats
cat > "$S" <<'EOT'
rx_packets 5
bifurc_q1_rx_packets 10
bifurc_q1_rx_bytes 640
bifurc_q1_tx_packets 0
bifurc_q1_tx_bytes 0
bifurc_q1_rx_no_buf 0
bifurc_q1_rx_bad_id 0
bifurc_q1_tx_bad_id 0
bifurc_q1_tx_bad_frame 0
bifurc_q1_kicks 2
bifurc_q3_rx_packets 7
EOT
echo 50 > "$ROOT/fake-ethtool/eth2/step"

# every interval: rate x interval = the step (50) per counter, refused
# sums three counters (150), bits are bytes x 8; the packet counts are
# the step exactly
t_json() {
	run 0 -j top eth2 -n 3 -d 0.2 || return 1
	[ "$(printf '%s\n' "$OUT" | wc -l)" -eq 3 ] || { echo "$OUT"; return 1; }
	printf '%s\n' "$OUT" | python3 -c '
import json, sys
for line in sys.stdin:
    j = json.loads(line)
    t = j["interval"]
    assert 0.15 < t < 2, t
    q = {x["queue"]: x for x in j["queues"]}
    assert set(q) == {1, 3}, q
    def near(v, want):
        assert v is not None and abs(v * t - want) <= 0.01 * want + 0.5, (v, t, want)
    near(q[1]["rx_pps"], 50); near(q[1]["rx_bps"], 400); near(q[1]["tx_pps"], 50)
    near(q[1]["refused_ps"], 150); near(q[1]["kicks_ps"], 50)
    near(q[3]["rx_pps"], 50)
    assert q[1]["rx_packets"] == 50 and q[1]["tx_packets"] == 50, q[1]
    assert q[3]["rx_packets"] == 50 and q[3]["tx_packets"] is None, q[3]
    assert q[3]["kicks_ps"] is None and q[3]["rx_bps"] is None, q[3]
'
}

t_text() {
	run 0 top -n 1 -d 0.1 || return 1
	contains "$OUT" "interface        queue     rx pkt/s" &&
	contains "$OUT" "eth1             no reserved queue" && contains "$OUT" "eth2                 1" &&
	contains "$OUT" "eth2                 3" &&
	case $OUT in *$'\033'*) echo "a redraw on a pipe"; false ;; esac
}

t_errors() {
	run 1 top eth0 && contains "$ERR" "eth0" &&
	run 2 top eth2 -d 0 && contains "$ERR" '-d "0" is not a number of seconds' &&
	run 2 top eth2 -n x && contains "$ERR" '-n' &&
	run 2 top eth2 eth1 && contains "$ERR" '"eth1"'
}

plan 3 "Description: top"
ok TOP_JSON_RATES t_json
ok TOP_TEXT_ALL t_text
ok TOP_BAD_ARGS t_errors
done_testing
