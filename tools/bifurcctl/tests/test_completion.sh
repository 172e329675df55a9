#!/bin/bash
# Description: the bash completion parses and completes objects, commands,
# bifurc interfaces (from the fake sysfs), keywords (grant's "ports" after
# the user or group) and reserved queues.
. "${SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"
mkfake
COMP=${SRCDIR:-$(dirname "$0")/..}/bifurcctl.bash-completion

# complete "WORDS..." -> the candidates, space separated (last word = cur)
complete_words() {
	bash -c '
		. "$1"; shift
		COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
		_bifurcctl
		echo "${COMPREPLY[*]}"' _ "$COMP" "$@"
}

expect() {	# expect "WANT" WORDS...
	local want=$1 got
	shift
	got=$(complete_words "$@")
	[ "$got" = "$want" ] || { echo "complete '$*': got '$got', want '$want'"; return 1; }
}

t_syntax() { bash -n "$COMP"; }

t_words() {
	expect "steer stats" bifurcctl st &&
	expect "top" bifurcctl to &&
	expect "-d" bifurcctl top eth1 -d &&
	expect "apply" bifurcctl ap &&
	expect "dump-config" bifurcctl du &&
	expect "eth1 eth2" bifurcctl dump-config "" &&
	expect "eth1 eth2" bifurcctl apply /etc/bifurc/bifurc.conf "" &&
	expect "add del list" bifurcctl steer "" &&
	expect "eth1 eth2" bifurcctl reserve "" &&
	expect "eth0 eth1 eth2" bifurcctl steer list "" &&
	expect "queue" bifurcctl -j stats eth2 q &&
	expect "udp4 udp6" bifurcctl steer add eth1 u &&
	expect "dst-ip dst-port drop" bifurcctl steer add eth1 udp4 d &&
	expect "1 3" bifurcctl release eth2 queue "" &&
	expect "force" bifurcctl release eth2 queue 3 "" &&
	expect "user" bifurcctl grant eth1 queue 2 u &&
	expect "none" bifurcctl grant eth1 queue 2 n &&
	expect "ports" bifurcctl grant eth1 queue 2 user root "" &&
	expect "ports" bifurcctl grant eth1 queue 2 group root p &&
	expect "" bifurcctl grant eth1 queue 2 user root ports "" &&
	expect "" bifurcctl grant eth1 queue 2 none "" &&
	expect "" bifurcctl release eth2 queue 3 force "" &&
	expect "--json" bifurcctl --j &&
	expect "--json" bifurcctl dev --j &&
	expect "eth1 eth2" bifurcctl dev -j "" &&
	expect "-w" bifurcctl stats eth2 -w
}

plan 2 "Description: bash completion"
ok COMPLETION_SYNTAX t_syntax
ok COMPLETION_WORDS t_words
done_testing
