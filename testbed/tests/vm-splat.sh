#!/bin/bash
# Description: the harness fails a guest run that splats.  A debug guest
# loads bifurc_splat.ko, which WARNs and leaks a buffer; vm.py must exit
# non-zero naming both the warning and kmemleak's report, while everything
# else about the run was fine.
set -u
. "$(dirname "$0")/../lib.sh"

out=$BIFURC_CACHE/splat-module
run=$BIFURC_TOP/build/vm-splat
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

echo "TAP version 13"
echo "1..4"
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
