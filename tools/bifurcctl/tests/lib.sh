# shellcheck shell=bash
# Helpers for the bifurcctl shell tests: a TAP writer and a fake /sys.
#
# mkfake builds, under $ROOT (sysfs root) and $DEVROOT (/dev):
#   eth0  ifindex 2, virtio_net, no bifurc            (fake-ethtool: no ntuple)
#   eth1  ifindex 3, ixgbe 0000:00:04.0, 4 RX queues, bifurc, ntuple on,
#         queue 2 reserved, none attached, rule table 8190
#   eth2  ifindex 4, ixgbe 0000:00:05.0, 4 RX queues, bifurc, ntuple off,
#         queues 1 and 3 reserved, queue 3 attached
# and exports BIFURC_SYSFS_ROOT / BIFURC_DEV_ROOT so $BIFURCCTL uses them.
set -u
BIFURCCTL=${BIFURCCTL:-${SRCDIR:-$(dirname "$0")/..}/build/test/bifurcctl-fake}

T_N=0
T_FAIL=0
T_PLAN=0

plan() { T_PLAN=$1; echo "TAP version 13"; echo "# $2"; echo "1..$1"; }

# ok NAME COMMAND...: one TAP line, the command's output on failure
ok() {
	local name=$1 out
	shift
	T_N=$((T_N + 1))
	if out=$("$@" 2>&1); then
		echo "ok $T_N - $name"
	else
		echo "not ok $T_N - $name"
		printf '%s\n' "$out" | sed 's/^/# /'
		T_FAIL=$((T_FAIL + 1))
	fi
}

done_testing() {
	echo "# $((T_N - T_FAIL)) passed, $T_FAIL failed"
	[ "$T_N" -eq "$T_PLAN" ] || { echo "# planned $T_PLAN, ran $T_N"; exit 1; }
	[ "$T_FAIL" -eq 0 ]
}

# run EXPECTED_RC ARGS...: run bifurcctl, keep stdout in $OUT and stderr
# in $ERR, fail unless the exit status is EXPECTED_RC.
run() {
	local want=$1 rc
	shift
	"$BIFURCCTL" "$@" > "$TMP/out" 2> "$TMP/err"
	rc=$?
	OUT=$(cat "$TMP/out")
	ERR=$(cat "$TMP/err")
	if [ "$rc" -ne "$want" ]; then
		echo "bifurcctl $*: exit $rc, expected $want"
		echo "stdout: $OUT"
		echo "stderr: $ERR"
		return 1
	fi
}

# contains HAYSTACK NEEDLE
contains() {
	case $1 in *"$2"*) return 0 ;; esac
	echo "expected \"$2\" in: $1"
	return 1
}

# one_line TEXT: usage errors are exactly one line
one_line() {
	[ "$(printf '%s\n' "$1" | wc -l)" -eq 1 ] || { echo "more than one line: $1"; return 1; }
}

json_ok() { printf '%s\n' "$1" | python3 -m json.tool > /dev/null; }

# jq-less field access: pyget JSON EXPR (EXPR uses variable j)
pyget() { printf '%s\n' "$1" | python3 -c "import json,sys; j=json.load(sys.stdin); print($2)"; }

fake_if() {	# fake_if NAME IFINDEX DRIVER BDF RXQ
	local n=$1 idx=$2 drv=$3 bdf=$4 rxq=$5 q
	local pci=$ROOT/devices/pci0000:00/$bdf
	mkdir -p "$ROOT/class/net/$n/queues" "$ROOT/bus/pci/drivers/$drv" "$pci" \
		"$ROOT/fake-ethtool/$n"
	echo "$idx" > "$ROOT/class/net/$n/ifindex"
	echo up > "$ROOT/class/net/$n/operstate"
	ln -s "../../../devices/pci0000:00/$bdf" "$ROOT/class/net/$n/device"
	ln -s "../../../bus/pci/drivers/$drv" "$pci/driver"
	for ((q = 0; q < rxq; q++)); do
		mkdir -p "$ROOT/class/net/$n/queues/rx-$q" "$ROOT/class/net/$n/queues/tx-$q"
	done
	echo "$rxq" > "$ROOT/fake-ethtool/$n/rings"
}

fake_bifurc() {	# fake_bifurc NAME BDF MINOR RESERVED ATTACHED
	local cd=$ROOT/devices/pci0000:00/$2/bifurc/bifurc-$2
	mkdir -p "$cd" "$DEVROOT/bifurc"
	printf 'MAJOR=240\nMINOR=%s\nDEVNAME=bifurc/%s\n' "$3" "$2" > "$cd/uevent"
	echo "240:$3" > "$cd/dev"
	echo "$4" > "$cd/reserved"
	echo "$5" > "$cd/attached"
	: > "$cd/reserve"
	: > "$cd/release"
	: > "$cd/grant"
	: > "$DEVROOT/bifurc/$2"
	chmod 0600 "$DEVROOT/bifurc/$2"
	echo 8190 > "$ROOT/fake-ethtool/$1/table"
}

mkfake() {
	TMP=$(mktemp -d)
	ROOT=$TMP/sys
	DEVROOT=$TMP/dev
	trap 'rm -rf "$TMP"' EXIT
	fake_if eth0 2 virtio_net 0000:00:03.0 1
	fake_if eth1 3 ixgbe 0000:00:04.0 4
	fake_bifurc eth1 0000:00:04.0 0 "2" ""
	echo 1 > "$ROOT/fake-ethtool/eth1/ntuple"
	printf 'rx_packets 0\ntx_packets 0\n' > "$ROOT/fake-ethtool/eth1/stats"
	fake_if eth2 4 ixgbe 0000:00:05.0 4
	fake_bifurc eth2 0000:00:05.0 1 "1 3" "3"
	echo 0 > "$ROOT/fake-ethtool/eth2/ntuple"
	export BIFURC_SYSFS_ROOT=$ROOT BIFURC_DEV_ROOT=$DEVROOT
}

classdev() { echo "$ROOT/devices/pci0000:00/$2/bifurc/bifurc-$2"; }
