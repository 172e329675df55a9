#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Description: an attachment's pool is charged to the attaching task's
# memory cgroup, and a pool the cgroup cannot hold is refused, not paid
# for with an OOM kill.  udp-echo (root, so RLIMIT_MEMLOCK does not apply;
# a 2 MiB pool) runs in a cgroup v2 of its own.
#
#   MEMCG_CHARGE  attached, the cgroup's kernel memory (memory.stat
#                 "kernel") is up by at least the 2 MiB pool; after the
#                 app exits it is back within 256 KiB of where it was
#   MEMCG_LIMIT   with memory.max 1536 KiB the attach fails with a clear
#                 error (ENOMEM, naming memory.max), the cgroup's memory.events shows no OOM
#                 kill, and the app was not killed
#
# Needs: CONFIG_IXGBE_BIFURC=y, CONFIG_MEMCG=y, root, ethtool; the
# emulated pair (testbed/vm.py --ports 2); the examples built.
cd "$(dirname "$0")" || exit 1
export BIFURC_TOP=${BIFURC_TOP:-$(cd ../../../.. && pwd)}
. ../../../lib/ktap.sh && . ../../../lib/model.sh

ECHO=$BIFURC_TOP/lib/libbifurc/build/examples/udp-echo
export LD_LIBRARY_PATH=$BIFURC_TOP/lib/libbifurc/build${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
CGROOT=/sys/fs/cgroup
POOL=$((2 << 20))
PORT=9430
TMP=$(mktemp -d)
QUEUE='' CD='' CGS=()

cleanup()
{
	local cg

	for cg in "${CGS[@]}"; do rmdir "$cg" 2>/dev/null; done
	release_queue
}
trap cleanup EXIT
trap 'exit 130' INT TERM

inb() { ip netns exec $NS_B "$@"; }

# new_cgroup NAME: a child of the root cgroup with the memory controller
new_cgroup()
{
	local cg=$CGROOT/bifurc-$1

	rmdir "$cg" 2>/dev/null
	mkdir "$cg" || return 1
	CGS+=("$cg")
	echo "$cg"
}

kernel_mem() { awk '$1 == "kernel" { print $2 }' "$1/memory.stat"; }

# echo_in CGROUP NAME: udp-echo in CGROUP (entered before the exec, so
# everything it allocates is charged there), in the background ($PID)
echo_in()
{
	sh -c 'echo $$ > "$1/cgroup.procs" && shift && exec "$@"' sh "$1" \
		ip netns exec $NS_B "$ECHO" -i "$B" -q "$QUEUE" -p $PORT \
		> "$TMP/$2.out" 2> "$TMP/$2.err" &
	PID=$!
}

ktap_print_header
[ -x "$ECHO" ] || ktap_exit_fail_msg "$ECHO not built (make -C lib/libbifurc examples)"
mountpoint -q $CGROOT || mount -t cgroup2 none $CGROOT ||
	ktap_exit_fail_msg "cannot mount cgroup2 on $CGROOT"
grep -qw memory $CGROOT/cgroup.controllers || ktap_exit_fail_msg "no memory controller"
echo +memory > $CGROOT/cgroup.subtree_control || ktap_exit_fail_msg "cannot enable the memory controller"
setup_pair
trap cleanup EXIT
reserve_queue
ktap_set_plan 2

cg=$(new_cgroup charge) || ktap_exit_fail_msg "cannot create a cgroup"
k0=$(kernel_mem "$cg")
echo_in "$cg" charge
if wait_for 150 grep -q ' mode ' "$TMP/charge.out"; then
	k1=$(kernel_mem "$cg")
else
	k1=none
fi
kill -INT $PID
wait $PID
k2=$(kernel_mem "$cg")
ktap_print_msg "cgroup kernel memory: $k0 before, $k1 attached, $k2 after exit"
ktap_check "MEMCG_CHARGE: the pool is charged to the cgroup while attached, and given back" \
	test "$k1" != none -a "$k1" -ge $((k0 + POOL)) -a "$k2" -le $((k0 + (256 << 10)))

cg=$(new_cgroup limit) || ktap_exit_fail_msg "cannot create a cgroup"
echo $((1536 << 10)) > "$cg/memory.max"
echo_in "$cg" limit
wait $PID
rc=$?
kills=$(awk '$1 == "oom_kill" { print $2 }' "$cg/memory.events")
ktap_print_msg "memory.max 1536 KiB: exit $rc, oom_kill $kills, stderr: $(head -c 200 "$TMP/limit.err")"
ktap_check "MEMCG_LIMIT: a pool over memory.max fails the attach with ENOMEM, no OOM kill" \
	test $rc -ne 0 -a $rc -lt 128 -a "$kills" = 0 -a \
	"$(grep -c 'memory.max' "$TMP/limit.err")" -ge 1
ktap_finished
