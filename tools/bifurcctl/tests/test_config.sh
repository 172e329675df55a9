#!/bin/bash
# Description: apply brings a bifurc.conf into force (ntuple, reserve,
# grant, steer lines, in order), leaves lines already in force alone and
# says so, so a second run changes nothing; it reports reserved queues the
# file does not name; a typo anywhere applies nothing (exit 2, FILE:LINE);
# a line that fails (no such interface) does not stop the others (exit 1);
# with an interface named, only its lines apply.
# dump-config prints the live state as lines apply takes: applied to a
# fresh adapter, it gives the same state back.
. "${SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"
# refake: adapters as the fake starts (each test runs in a subshell, so a
# test that calls it leaves the others' state alone)
refake() {
	mkfake
	CD1=$(classdev eth1 0000:00:04.0)
	CD2=$(classdev eth2 0000:00:05.0)
	WRITES1=$ROOT/fake-ethtool/eth1/writes
	WRITES2=$ROOT/fake-ethtool/eth2/writes
}
refake
CONF=$TMP/bifurc.conf	# the first fake's: tests that refake still see it
NOBODY=$(id -u nobody)

cat > "$CONF" <<'EOF'
# the DNS box: queue 1 of eth1 for the resolver, queue 2 of eth2
ntuple eth2 on
reserve eth1 queue 1
grant eth1 queue 1 user nobody ports 5300-5399   # the resolver's account
steer eth1 add udp4 dst-port 5300 queue 1

  reserve eth2 queue 2
steer eth2 add udp4 dst-port 53 queue 2 loc 7
EOF

# state: what apply must have made, as the fake's files hold it
state_is() {
	[ "$(cat "$CD1/reserved")" = "1 2" ] && [ "$(cat "$CD2/reserved")" = "1 2 3" ] &&
	[ "$(cat "$CD1/grant")" = "1 user $NOBODY ports 5300-5399" ] &&
	[ "$(cat "$ROOT/fake-ethtool/eth2/ntuple")" = 1 ] || {
		echo "eth1 reserved '$(cat "$CD1/reserved")' grant '$(cat "$CD1/grant")';" \
		     "eth2 reserved '$(cat "$CD2/reserved")' ntuple $(cat "$ROOT/fake-ethtool/eth2/ntuple")"
		return 1
	}
	run 0 steer list eth1 && contains "$OUT" ": udp4 dst-port 5300 queue 1" &&
	run 0 steer list eth2 && contains "$OUT" "rule 7: udp4 dst-port 53 queue 2"
}

t_apply() {
	local out
	: > "$WRITES1"; : > "$WRITES2"
	run 0 apply "$CONF" || return 1
	out=$OUT
	state_is &&
	contains "$out" "apply: $CONF:2: ntuple eth2 on" &&
	contains "$out" "apply: $CONF:4: grant eth1 queue 1 user nobody ports 5300-5399   # the resolver's account" &&
	contains "$out" "queue 1 of eth1: granted to user nobody" &&
	contains "$out" "Added rule 7" &&
	contains "$out" "apply: note: queue 2 of eth1 is reserved but not in $CONF; left as it is" &&
	contains "$out" "apply: note: queue 1 of eth2 is reserved but not in $CONF" &&
	contains "$out" "apply: $CONF: 6 changed, 0 already in force, 0 failed"
}

t_again() {
	local out
	: > "$WRITES1"; : > "$WRITES2"
	run 0 apply "$CONF" || return 1
	out=$OUT
	state_is &&
	contains "$out" "apply: $CONF:3: in force: reserve eth1 queue 1" &&
	contains "$out" "apply: $CONF: 0 changed, 6 already in force, 0 failed" &&
	[ ! -s "$WRITES1" ] && [ ! -s "$WRITES2" ] ||
		{ echo "the second apply wrote: $(cat "$WRITES1" "$WRITES2")"; return 1; }
	run 0 steer list eth1 && contains "$OUT" "eth1: 1 rule," &&
	run 0 steer list eth2 && contains "$OUT" "eth2: 1 rule,"
}

# dump-config, applied to adapters as the fake starts, gives the same dump
t_roundtrip() {
	local dump again
	run 0 dump-config || return 1
	dump=$OUT
	contains "$dump" "ntuple eth2 on" &&
	contains "$dump" "reserve eth1 queue 2" &&
	contains "$dump" "grant eth1 queue 1 user nobody ports 5300-5399" &&
	contains "$dump" "steer eth2 add udp4 dst-port 53 queue 2 loc 7" || return 1
	refake
	printf '%s\n' "$dump" > "$TMP/dump.conf"
	run 0 apply "$TMP/dump.conf" && run 0 dump-config || return 1
	again=$OUT
	[ "$dump" = "$again" ] || { echo "dump after apply differs:"; diff <(echo "$dump") <(echo "$again"); return 1; }
	run 0 apply "$TMP/dump.conf" && contains "$OUT" " 0 changed,"
}

t_typo() {
	local before
	refake
	before=$(cat "$CD1/reserved")
	printf 'reserve eth1 queue 1\ngrant eth1 queue 1 usr nobody\n' > "$TMP/typo.conf"
	: > "$WRITES1"
	run 2 apply "$TMP/typo.conf" &&
	contains "$ERR" 'unknown keyword "usr"' &&
	contains "$ERR" "$TMP/typo.conf:2: grant eth1 queue 1 usr nobody: nothing applied" &&
	[ -z "$OUT" ] && [ ! -s "$WRITES1" ] && [ "$(cat "$CD1/reserved")" = "$before" ] || return 1
	printf 'reserve eth1 queue 1 extra\n' > "$TMP/typo.conf"
	run 2 apply "$TMP/typo.conf" && contains "$ERR" 'unexpected argument "extra"' &&
	printf 'reserve eth1 queue 9\n' > "$TMP/typo.conf" &&
	run 1 apply "$TMP/typo.conf" && contains "$ERR" "queue 9 out of range" &&
	printf 'grant eth1 queue 1 none\n' > "$TMP/typo.conf" &&
	run 2 apply "$TMP/typo.conf" && contains "$ERR" '"none" has no place in a configuration' &&
	printf 'steer add eth1 udp4 dst-port 1 queue 1\n' > "$TMP/typo.conf" &&
	run 2 apply "$TMP/typo.conf" && contains "$ERR" 'a steer line reads "steer IF add FLOW ..."' &&
	printf 'ntuple eth1 off\n' > "$TMP/typo.conf" &&
	run 2 apply "$TMP/typo.conf" && contains "$ERR" 'an ntuple line reads "ntuple IF on"' &&
	printf 'reserv eth1 queue 1\n' > "$TMP/typo.conf" &&
	run 2 apply "$TMP/typo.conf" && contains "$ERR" '"reserv"' && contains "$ERR" 'reserve'
}

# apply FILE IF: IF's lines only (what udev's bifurc@IF.service runs)
t_one_if() {
	refake
	run 0 apply "$CONF" eth2 &&
	contains "$OUT" "apply: $CONF for eth2: 3 changed, 0 already in force, 0 failed" &&
	[ "$(cat "$CD2/reserved")" = "1 2 3" ] && [ "$(cat "$CD1/reserved")" = 2 ] &&
	[ -z "$(cat "$CD1/grant")" ] || return 1
	run 0 apply "$CONF" eth0 && contains "$OUT" "for eth0: 0 changed, 0 already in force, 0 failed"
}

# One failed line: the others still apply, and the exit status says 1.
t_partial() {
	refake
	printf 'reserve eth9 queue 1\nreserve eth1 queue 1\n' > "$TMP/partial.conf"
	run 1 apply "$TMP/partial.conf" &&
	contains "$ERR" "eth9" && contains "$ERR" "$TMP/partial.conf:1: not applied: reserve eth9 queue 1" &&
	contains "$OUT" "1 changed, 0 already in force, 1 failed" &&
	[ "$(cat "$CD1/reserved")" = "1 2" ]
}

t_no_file() {
	run 1 apply "$TMP/none.conf" && contains "$ERR" "cannot read $TMP/none.conf: No such file or directory" &&
	run 2 apply a b c && contains "$ERR" 'unexpected argument "c"' &&
	run 1 dump-config eth9 && run 2 dump-config eth1 eth2
}

plan 7 "Description: apply and dump-config"
ok CONFIG_APPLY t_apply
ok CONFIG_APPLY_AGAIN t_again
ok CONFIG_DUMP_ROUNDTRIP t_roundtrip
ok CONFIG_TYPO_APPLIES_NOTHING t_typo
ok CONFIG_ONE_INTERFACE t_one_if
ok CONFIG_PARTIAL t_partial
ok CONFIG_NO_FILE t_no_file
done_testing
