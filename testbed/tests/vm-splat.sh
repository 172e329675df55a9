#!/bin/bash
# Description: the harness fails a guest run that splats, for every kind of
# splat it claims to catch.  Three debug guests load bifurc_splat.ko.  In
# the first, with no NIC, it WARNs, inverts a lock order (lockdep), leaks
# buffers (kmemleak), reads a freed buffer (KASAN), spins with preemption
# off past the soft lockup limit and leaves a thread blocked past the hung
# task limit (the guest lowers both limits at run time: vm.py boots debug
# guests with TCG-sized ones).  In the second, behind the IOMMU (vm.py's
# default for a debug guest) with one emulated 82599 that ixgbe drives, it
# makes the NIC fetch a descriptor from an I/O virtual address nothing maps
# (a DMAR fault).  In the third, which turns kmemleak off first, it panics.
# A fourth guest, of the DMA-API kernel (testbed/kernel/dma.config, booted
# with swiotlb=force), unmaps a streaming mapping of the 82599 with another
# size than it mapped: DMA-API debugging's report.
# vm.py must exit non-zero and name each of these (one result per kind),
# while everything else about the runs was fine.
set -u
. "$(dirname "$0")/../lib.sh"

out=$BIFURC_CACHE/splat-module
run=$BIFURC_TOP/build/vm-splat
run_dma=$BIFURC_TOP/build/vm-splat-dma
run_panic=$BIFURC_TOP/build/vm-splat-panic
run_api=$BIFURC_TOP/build/vm-splat-dma-api
kdir=$BIFURC_CACHE/linux/build-debug

check()
{
	local n=$1 name=$2

	shift 2
	if "$@"; then
		echo "ok $n $name"
	else
		echo "not ok $n $name"
	fi
}

# first RUN REGEX: print the first of the problems vm.py found in RUN (its
# vm.json) that REGEX, a Python regular expression, matches; fail if none
# does
first()
{
	python3 - "$1/vm.json" "$2" <<'PY'
import json, re, sys
try:
    problems = json.load(open(sys.argv[1]))["problems"]
except (OSError, ValueError, KeyError):
    sys.exit(1)
found = [p for p in problems if re.search(sys.argv[2], p)]
print(*found[:1])
sys.exit(not found)
PY
}

# boot KERNEL PORTS RUN SCRIPT: one of the test's guests, results in RUN,
# vm.py's stderr in RUN.err and here as comments; rc is vm.py's status
boot()
{
	python3 "$BIFURC_TOP/testbed/vm.py" --kernel "$1" --ports "$2" --smp 1 \
		--memory 1G --timeout 600 --results "$3" "$4" 2> "$3.err"
	rc=$?
	sed 's/^/# /' "$3.err"
}

# named N KIND RC RUN REGEX [CMD...]: the run RUN failed (vm.py exited
# RC, not 0), one of its problems matches REGEX (shown), and CMD, if
# given, succeeds
named()
{
	local n=$1 kind=$2 rc=$3 run=$4 re=$5 line

	shift 5
	if line=$(first "$run" "$re") && [ "$rc" -ne 0 ] &&
		{ [ $# -eq 0 ] || "$@"; }; then
		echo "ok $n $kind: the run failed as it should (named: $line)"
	else
		echo "not ok $n $kind: the run failed naming it" \
			"(vm.py exited $rc; a problem matching $re${*:+; $*})"
	fi
}

# only RUN REGEX...: every problem of RUN matches one of the REGEXes
# (Python's); the others are shown
only()
{
	python3 - "$1/vm.json" "${@:2}" <<'PY'
import json, re, sys
try:
    problems = json.load(open(sys.argv[1]))["problems"]
except (OSError, ValueError, KeyError):
    sys.exit(1)
others = [p for p in problems
          if not any(re.search(r, p) for r in sys.argv[2:])]
for p in others:
    print(f"# unexpected: {p}")
sys.exit(bool(others))
PY
}

# ran_clean RUN TEST: in RUN the guest was behind the IOMMU with kmemleak
# on, TEST printed no failure and the guest finished
ran_clean()
{
	grep -q '^ok ' "$1/$2.tap" && ! grep -q '^not ok ' "$1/$2.tap" &&
		python3 -c 'import json, sys
r = json.load(open(sys.argv[1]))
sys.exit(not (r["done"] and r["iommu"]["on"] and r["kmemleak"]["on"]))' \
			"$1/vm.json"
}

# bounced_clean RUN TEST: in RUN the guest booted with swiotlb=force, had
# kmemleak on, TEST printed no failure and the guest finished
bounced_clean()
{
	grep -q '^ok ' "$1/$2.tap" && ! grep -q '^not ok ' "$1/$2.tap" &&
		grep -q 'Command line: .* swiotlb=force' "$1/console.log" &&
		grep -q 'software IO TLB: ' "$1/console.log" &&
		python3 -c 'import json, sys
r = json.load(open(sys.argv[1]))
sys.exit(not (r["done"] and r["kmemleak"]["on"]))' "$1/vm.json"
}

# panicked_first RUN TEST REGEX: in RUN, TEST's first result passed, and
# the first splat (not how the guest ended, nor an oracle that was off)
# matches REGEX: nothing splatted before it
panicked_first()
{
	grep -q '^ok 1 ' "$1/$2.tap" &&
	python3 - "$BIFURC_TOP/testbed" "$1/vm.json" "$3" <<'PY'
import json, re, sys
sys.path.insert(0, sys.argv[1])
import vm
splats = [p for p in json.load(open(sys.argv[2]))["problems"]
          if vm.problem_kind(p) == "splat"]
if splats and not re.search(sys.argv[3], splats[0]):
    print(f"# first: {splats[0]}")
sys.exit(not (splats and re.search(sys.argv[3], splats[0])))
PY
}

echo "TAP version 13"
echo "1..24"
rm -rf "$out" && mkdir -p "$out"
cp "$BIFURC_TOP"/testbed/tests/splat-module/* "$out"/
make -s -C "$kdir" M="$out" modules > "$out/build.log" 2>&1
rc=$?
[ $rc -eq 0 ] || sed 's/^/# /' "$out/build.log"
check 1 "bifurc_splat.ko builds against the debug kernel" test $rc -eq 0

# The first guest: every kind that leaves the guest running, in one module
# load.  lockdep goes first: KASAN's report switches lock debugging off.
{
	echo "#!/bin/bash"
	echo "ko=$out/bifurc_splat.ko"
	cat <<'GUEST'
sys=/proc/sys/kernel
result()
{
	local n=$1 name=$2

	shift 2
	if "$@"; then echo "ok $n $name"; else echo "not ok $n $name"; fi
}
put()
{
	echo "$2" > "$1"
}
echo "TAP version 13"; echo "1..6"
thresh=$(< $sys/watchdog_thresh) hung=$(< $sys/hung_task_timeout_secs)
# A soft lockup is 2 x watchdog_thresh without the CPU scheduling; the
# module spins until it is reported.
result 1 "watchdog_thresh 1: a soft lockup after 2 s" \
	put $sys/watchdog_thresh 1
result 2 "insmod bifurc_splat kinds=lockdep,warn,leak,kasan,softlockup,hung" \
	insmod "$ko" kinds=lockdep,warn,leak,kasan,softlockup,hung
# Back up for the rest of the guest, as far as the sysctl goes: its range
# ends at 60 (kernel/watchdog.c), below the 165 the guest booted with.
thresh=$((thresh > 60 ? 60 : thresh))
result 3 "watchdog_thresh back up to $thresh" \
	put $sys/watchdog_thresh "$thresh"
# kernel/hung_task.c: writing the limit wakes khungtaskd, which checks at
# once (its last check, at boot, is more than 3 s ago) and sees splat_hung
# blocked for the first time; its next check, 3 s later, reports it.
reported()
{
	for _ in $(seq 60); do
		dmesg | grep -q 'INFO: task splat_hung:[0-9]* blocked for more than' &&
			return 0
		sleep 0.5
	done
	return 1
}
put $sys/hung_task_timeout_secs 3
result 4 "hung_task_timeout_secs 3: khungtaskd reports splat_hung" reported
put $sys/hung_task_timeout_secs "$hung"
# wake the blocked thread, so that it has ended before the guest powers
# off (the module stays loaded: kmemleak's report names its functions)
ended()
{
	echo 1 > /sys/module/bifurc_splat/parameters/release || return 1
	for _ in $(seq 50); do
		grep -qx splat_hung /proc/[0-9]*/comm 2> /dev/null || return 0
		sleep 0.1
	done
	return 1
}
result 5 "hung_task_timeout_secs back to $hung" \
	test "$(< $sys/hung_task_timeout_secs)" = "$hung"
result 6 "splat_hung woken, and gone" ended
GUEST
} > "$out/trigger.sh"
chmod +x "$out/trigger.sh"

boot debug 0 "$run" "$out/trigger.sh"
check 2 "vm.py fails the run (exit $rc)" test $rc -ne 0
# the kinds, each as splat.py names it (the first pattern that matches
# wins: a KASAN report and a soft lockup are a "BUG:" line, lockdep's
# report a "WARNING:" line)
re_warn='^WARNING: WARNING: CPU: \d+ PID: \d+ at \S*bifurc_splat\.c:\d+ splat_warn\+'
re_kasan='^BUG: BUG: KASAN: slab-use-after-free in splat_kasan\+'
re_lockdep='^WARNING: WARNING: possible circular locking dependency detected'
re_soft='^BUG: watchdog: BUG: soft lockup - CPU#0 stuck for \d+s! \[insmod:\d+\]'
re_hung='^hung task: INFO: task splat_hung:\d+ blocked for more than \d+ seconds'
re_leak='^kmemleak: kmemleak: \d+ new suspected memory leaks'
named 3 WARNING $rc "$run" "$re_warn"
named 4 KASAN $rc "$run" "$re_kasan"
named 5 lockdep $rc "$run" "$re_lockdep" \
	grep -q '(splat_lock_a)' "$run/console.log"
named 6 "soft lockup" $rc "$run" "$re_soft"
named 7 "hung task" $rc "$run" "$re_hung"
named 8 kmemleak $rc "$run" "$re_leak" \
	grep -q '^bifurc-guest: kmemleak: *splat_leak+' "$run/console.log"
check 9 "nothing else went wrong: behind the IOMMU, with kmemleak on, the guest ran the trigger and finished" \
	ran_clean "$run" trigger.sh
check 10 "no other splat: only those kinds' lines, call traces and kmemleak's report" \
	only "$run" "$re_warn" "$re_kasan" "$re_lockdep" "$re_soft" "$re_hung" \
	'^call trace: ' '^kmemleak: '

# The second guest: bring up the 82599's port, then the module's DMA
# misdeeds on it.
{
	echo "#!/bin/bash"
	echo "ko=$out/bifurc_splat.ko"
	cat <<'GUEST'
echo "TAP version 13"; echo "1..2"
modprobe ixgbe
dev=
for _ in $(seq 100); do
	for dev in /sys/bus/pci/drivers/ixgbe/0000:*/net/*; do
		[ -e "$dev" ] && break 2
	done
	sleep 0.1
done
ifname=${dev##*/}
if [ -e "$dev" ] && ip link set "$ifname" up; then
	echo "ok 1 ixgbe drives $ifname, up"
else
	echo "not ok 1 ixgbe drives an 82599 port, up"
fi
kind=${0##*trigger-}
kind=${kind%.sh}
if insmod "$ko" kinds="$kind" ifname="$ifname"; then
	echo "ok 2 insmod bifurc_splat kinds=$kind ifname=$ifname"
else
	echo "not ok 2 insmod bifurc_splat kinds=$kind ifname=$ifname"
fi
GUEST
} > "$out/trigger-dmar.sh"
chmod +x "$out/trigger-dmar.sh"

boot debug 1 "$run_dma" "$out/trigger-dmar.sh"
check 11 "vm.py fails the DMA run (exit $rc)" test $rc -ne 0
named 12 "DMAR fault" $rc "$run_dma" \
	'^DMAR fault: DMAR: \[DMA Read [^]]*\] .*fault addr 0xdead0000 '
check 13 "nothing else went wrong: behind the IOMMU, with kmemleak on, the guest ran the trigger and finished" \
	ran_clean "$run_dma" trigger-dmar.sh
check 14 "no other splat: only the DMAR fault's lines" \
	only "$run_dma" '^DMAR fault: '

# The third guest: a panic ends it, so it has a guest of its own; its
# kmemleak, which would scan only at the end, is turned off first, which
# vm.py must name too.
{
	echo "#!/bin/bash"
	echo "ko=$out/bifurc_splat.ko"
	cat <<'GUEST'
echo "TAP version 13"; echo "1..2"
if echo off > /sys/kernel/debug/kmemleak; then
	echo "ok 1 kmemleak off"
else
	echo "not ok 1 kmemleak off"
fi
insmod "$ko" kinds=panic
echo "not ok 2 insmod bifurc_splat kinds=panic returned"
GUEST
} > "$out/trigger-panic.sh"
chmod +x "$out/trigger-panic.sh"

boot debug 0 "$run_panic" "$out/trigger-panic.sh"
re_panic='^panic: Kernel panic - not syncing: bifurc_splat: deliberate panic'
check 15 "vm.py fails the panic run (exit $rc)" test $rc -ne 0
named 16 panic $rc "$run_panic" "$re_panic"
named 17 "kmemleak off" $rc "$run_panic" \
	'^kmemleak not on: the console shows "kmemleak: Kernel memory leak detector disabled"'
check 18 "nothing else went wrong: the trigger turned kmemleak off, and bifurc_splat's panic is the first splat" \
	panicked_first "$run_panic" trigger-panic.sh "$re_panic"
check 19 "no other problem: only the panic's lines, kmemleak off, and the guest's end" \
	only "$run_panic" '^panic: ' '^call trace: ' '^kmemleak not on: ' \
	'^guest stopped before finishing its tests ' '^guest never ran \S*/trigger-panic\.sh$'

# The fourth guest: the module built against the DMA-API kernel, the same
# trigger with kind dma-api.
api=$out/dma-api
rm -rf "$api" && mkdir -p "$api"
cp "$BIFURC_TOP"/testbed/tests/splat-module/* "$api"/
make -s -C "$BIFURC_CACHE/linux/build-dma" M="$api" modules > "$api/build.log" 2>&1
rc=$?
[ $rc -eq 0 ] || sed 's/^/# /' "$api/build.log"
check 20 "bifurc_splat.ko builds against the DMA-API kernel" test $rc -eq 0
sed "s|^ko=.*|ko=$api/bifurc_splat.ko|" "$out/trigger-dmar.sh" > "$out/trigger-dma-api.sh"
chmod +x "$out/trigger-dma-api.sh"

boot dma 1 "$run_api" "$out/trigger-dma-api.sh"
re_api='^DMA-API: DMA-API: ixgbe \S+: device driver frees DMA memory with different size'
re_api_warn='^WARNING: WARNING: CPU: \d+ PID: \d+ at kernel/dma/debug\.c:\d+ '
check 21 "vm.py fails the DMA-API run (exit $rc)" test $rc -ne 0
named 22 "DMA-API report" $rc "$run_api" "$re_api"
check 23 "nothing else went wrong: swiotlb=force on, kmemleak on, the guest ran the trigger and finished" \
	bounced_clean "$run_api" trigger-dma-api.sh
check 24 "no other splat: only the DMA-API report's lines" \
	only "$run_api" "$re_api" "$re_api_warn" '^call trace: '
