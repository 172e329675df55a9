#!/bin/bash
# Description: argument parsing: -h everywhere (exit 0, usage on stdout),
# global options before or after the object, every typo or bad argument
# is one line on stderr naming the bad word and exits 2, like iproute2.
. "${SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"
mkfake

t_help() {
	local args
	for args in "-h" "--help" "help" "dev -h" "reserve -h" "release -h" \
		"steer -h" "steer add -h" "steer add eth1 udp4 -h" "steer del help" \
		"steer list --help" "stats -h" "stats eth1 -h" "grant -h"; do
		# shellcheck disable=SC2086
		run 0 $args || return 1
		contains "$OUT" "Usage: bifurcctl" || return 1
		[ -z "$ERR" ] || { echo "stderr for $args: $ERR"; return 1; }
	done
	run 0 grant -h && contains "$OUT" "grant IF queue N {user U|group G} [ports LO[-HI]]" &&
	run 0 -h && contains "$OUT" "[ports LO[-HI]]" &&
	run 0 -V && contains "$OUT" "bifurcctl 0."
}

t_no_args() {
	run 2 && contains "$ERR" "Usage:"
}

# bad WORD ARGS...: exit 2, one line, naming WORD
bad() {
	local word=$1
	shift
	run 2 "$@" || return 1
	one_line "$ERR" || return 1
	contains "$ERR" "$word" || return 1
	[ -z "$OUT" ] || { echo "stdout on usage error: $OUT"; return 1; }
}

t_typos() {
	bad '"resrve" (did you mean "reserve"?)' resrve eth1 queue 1 &&
	bad '"-x"' -x dev &&
	bad '"--bogus"' --bogus dev &&
	bad '"--sysfs-root"' --sysfs-root &&
	bad '"qeue"' reserve eth1 qeue 1 &&
	bad '"forse"' release eth1 queue 1 forse &&
	bad '"extra"' reserve eth1 queue 1 extra &&
	bad '"ad"' steer ad eth1 udp4 dst-port 53 queue 1 &&
	bad '"udp5"' steer add eth1 udp5 dst-port 53 queue 1 &&
	bad '"dst-prot"' steer add eth1 udp4 dst-prot 53 queue 1 &&
	bad '"rul"' steer del eth1 rul 5 &&
	bad '"quue"' stats eth1 quue 1 &&
	bad '"usr"' grant eth1 queue 2 usr root &&
	bad '"port" (did you mean "ports"?)' grant eth1 queue 2 user root port 53 &&
	bad '"nobody"' grant eth1 queue 2 none nobody &&
	bad '"eth1"' dev eth1 eth1
}

t_missing() {
	bad "missing interface" reserve &&
	bad "missing \"queue N\"" reserve eth1 &&
	bad "missing queue number" reserve eth1 queue &&
	bad "missing steer command" steer &&
	bad "missing action" steer add eth1 udp4 dst-port 53 &&
	bad "missing rule location" steer del eth1 rule &&
	bad "missing seconds" stats eth1 -w &&
	bad "missing \"user U\", \"group G\" or \"none\"" grant eth1 queue 2 &&
	bad "missing port range" grant eth1 queue 2 group root ports
}

t_bad_values() {
	bad '"x"' reserve eth1 queue x &&
	bad '"128"' reserve eth1 queue 128 &&
	bad '"-1"' release eth1 queue -1 &&
	bad '"70000"' steer add eth1 udp4 dst-port 70000 queue 1 &&
	bad '"10.0.0.300"' steer add eth1 udp4 dst-ip 10.0.0.300 queue 1 &&
	bad "10.0.0.5/24" steer add eth1 udp4 dst-ip 10.0.0.5/24 queue 1 &&
	bad "every udp4 packet" steer add eth1 udp4 queue 1 &&
	bad "more than one action" steer add eth1 udp4 dst-port 1 queue 1 drop &&
	bad '"0"' stats eth1 -w 0 &&
	bad '"nosuchuser_bifurc"' grant eth1 queue 2 user nosuchuser_bifurc &&
	bad '"nosuchgroup_bifurc"' grant eth1 queue 2 group nosuchgroup_bifurc &&
	bad '"5399-5300"' grant eth1 queue 2 user root ports 5399-5300 &&
	bad '"0"' grant eth1 queue 2 user root ports 0 &&
	bad '"65536"' grant eth1 queue 2 group root ports 65536 &&
	bad '"x"' grant eth1 queue 2 user root ports x
}

t_sysfs_root_option() {
	# --sysfs-root beats the environment
	BIFURC_SYSFS_ROOT=/nonexistent run 0 --sysfs-root "$ROOT" dev eth1 &&
	contains "$OUT" "eth1"
}

t_options_after() {
	local before
	run 0 -j dev && before=$OUT &&
	run 0 dev -j && [ "$OUT" = "$before" ] &&
	run 0 dev eth2 --json -p && json_ok "$OUT" &&
	[ "$(printf '%s\n' "$OUT" | wc -l)" -gt 1 ] &&
	run 0 dev eth2 -jp && json_ok "$OUT" &&
	run 0 dev --js eth1 && json_ok "$OUT" &&
	# stats keeps its own "-w SECONDS"
	run 0 stats eth1 -w 0.05 -j && json_ok "$OUT" &&
	BIFURC_SYSFS_ROOT=/nonexistent run 0 dev eth1 --sysfs-root "$ROOT" &&
	BIFURC_SYSFS_ROOT=/nonexistent run 0 dev --sysfs-root="$ROOT" eth1 &&
	run 0 dev -V && contains "$OUT" "bifurcctl 0." &&
	# after "--" a word is the command's, whatever it looks like
	run 1 dev -- -j && contains "$ERR" 'no interface "-j"' &&
	bad '"-x"' dev -x &&
	bad '"-x"' dev -jx &&
	bad '"--bogus"' dev eth1 --bogus &&
	bad '"--pretty=yes"' dev --pretty=yes &&
	bad '"--sysfs-root"' dev --sysfs-root &&
	bad '"-q"' grant eth1 queue 2 -q user root
}

plan 7 "Description: usage, -h and exit codes"
ok HELP_EVERYWHERE t_help
ok NO_ARGS t_no_args
ok TYPOS t_typos
ok MISSING_ARGS t_missing
ok BAD_VALUES t_bad_values
ok SYSFS_ROOT_OPTION t_sysfs_root_option
ok OPTIONS_AFTER_OBJECT t_options_after
done_testing
