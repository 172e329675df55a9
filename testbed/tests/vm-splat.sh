#!/bin/bash
# Description: the harness fails a guest run that splats.  Two debug guests
# load bifurc_splat.ko.  In the first, with no NIC, it WARNs and leaks
# buffers.  In the second, behind the IOMMU (vm.py's default for a debug
# guest) with one emulated 82599 that ixgbe drives, it makes the NIC fetch
# a descriptor from an I/O virtual address nothing maps (a DMAR fault).
# vm.py must exit non-zero and name each of these, while everything else
# about the runs was fine.  (The module's dma-api kind, a DMA-API
# debugging report, needs CONFIG_DMA_API_DEBUG, which the debug kernel
# leaves out: see testbed/kernel/debug.config.)
set -u
. "$(dirname "$0")/../lib.sh"

out=$BIFURC_CACHE/splat-module
run=$BIFURC_TOP/build/vm-splat
run_dma=$BIFURC_TOP/build/vm-splat-dma
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

# problems RUN: the problems vm.py found in RUN (its vm.json), one a line
problems()
{
	python3 -c 'import json, sys
print("\n".join(json.load(open(sys.argv[1]))["problems"]))' "$1/vm.json"
}

# has RUN REGEX: one of RUN's problems matches REGEX (grep reads them all:
# -q would close the pipe under python)
has()
{
	problems "$1" | grep -- "$2" > /dev/null
}

# only RUN REGEX...: every problem of RUN matches one of the REGEXes; the
# others are shown
only()
{
	local run=$1 re others
	local -a args=()

	shift
	for re in "$@"; do
		args+=(-e "$re")
	done
	[ -f "$run/vm.json" ] || return 1
	others=$(problems "$run" | grep -v "${args[@]}")
	[ -z "$others" ] && return 0
	printf '%s\n' "$others" | sed 's/^/# unexpected: /'
	return 1
}

# ran_clean RUN TEST: in RUN the guest was behind the IOMMU, TEST printed
# no failure and the guest finished
ran_clean()
{
	grep -q '^ok ' "$1/$2.tap" && ! grep -q '^not ok ' "$1/$2.tap" &&
		python3 -c 'import json, sys
r = json.load(open(sys.argv[1]))
sys.exit(not (r["done"] and r["iommu"]["on"]))' "$1/vm.json"
}

echo "TAP version 13"
echo "1..8"
rm -rf "$out" && mkdir -p "$out"
cp "$BIFURC_TOP"/testbed/tests/splat-module/* "$out"/
make -s -C "$kdir" M="$out" modules > "$out/build.log" 2>&1
rc=$?
[ $rc -eq 0 ] || sed 's/^/# /' "$out/build.log"
check 1 "bifurc_splat.ko builds against the debug kernel" test $rc -eq 0

cat > "$out/trigger.sh" <<GUEST
#!/bin/sh
echo "TAP version 13"; echo "1..1"
insmod $out/bifurc_splat.ko && echo "ok 1 insmod bifurc_splat" || echo "not ok 1 insmod bifurc_splat"
GUEST
chmod +x "$out/trigger.sh"

python3 "$BIFURC_TOP/testbed/vm.py" --kernel debug --ports 0 --smp 1 --memory 1G \
	--timeout 600 \
	--results "$run" "$out/trigger.sh" 2> "$out/vm.err"
rc=$?
sed 's/^/# /' "$out/vm.err"
check 2 "vm.py fails the run (exit $rc)" test $rc -ne 0
check 3 "the failure names bifurc_splat's WARNING and kmemleak's report" \
	sh -c "grep -q 'WARNING:.*bifurc_splat' '$run/vm.json' && grep -q 'kmemleak' '$run/vm.json'"
check 4 "nothing else went wrong: the guest ran the trigger and finished" \
	sh -c "grep -q '^ok 1 insmod' '$run/trigger.sh.tap' && grep -q '\"done\": true' '$run/vm.json'"

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
if insmod "$ko" kinds=dmar ifname="$ifname"; then
	echo "ok 2 insmod bifurc_splat kinds=dmar ifname=$ifname"
else
	echo "not ok 2 insmod bifurc_splat kinds=dmar ifname=$ifname"
fi
GUEST
} > "$out/trigger-dma.sh"
chmod +x "$out/trigger-dma.sh"

python3 "$BIFURC_TOP/testbed/vm.py" --kernel debug --ports 1 --smp 1 --memory 1G \
	--timeout 600 \
	--results "$run_dma" "$out/trigger-dma.sh" 2> "$out/vm-dma.err"
rc=$?
sed 's/^/# /' "$out/vm-dma.err"
check 5 "vm.py fails the DMA run (exit $rc)" test $rc -ne 0
check 6 "the failure names the DMAR fault at the unmapped IOVA 0xdead0000" \
	has "$run_dma" '^DMAR fault: DMAR: \[DMA Read [^]]*] .*fault addr 0xdead0000 '
check 7 "nothing else went wrong: behind the IOMMU, the guest ran the trigger and finished" \
	ran_clean "$run_dma" trigger-dma.sh
check 8 "no other splat: only the DMAR fault's lines" \
	only "$run_dma" '^DMAR fault: '
