#!/bin/bash
# Description: the harness fails a guest run that splats.  A guest loads
# bifurc_warn.ko, which WARNs on load; vm.py must then exit non-zero and
# name that warning, while everything else about the run was fine.
set -u
. "$(dirname "$0")/../lib.sh"

out=$BIFURC_CACHE/warn-module
run=$BIFURC_TOP/build/vm-splat
kdir=$BIFURC_CACHE/linux/build-debug

echo "TAP version 13"
echo "1..3"
rm -rf "$out" && mkdir -p "$out"
cp "$BIFURC_TOP"/testbed/tests/warn-module/* "$out"/
if make -s -C "$kdir" M="$out" modules > "$out/build.log" 2>&1; then
	echo "ok 1 bifurc_warn.ko builds against the debug kernel"
else
	sed 's/^/# /' "$out/build.log"
	echo "not ok 1 bifurc_warn.ko builds against the debug kernel"
fi
cat > "$out/trigger.sh" <<GUEST
#!/bin/sh
echo "TAP version 13"; echo "1..1"
insmod $out/bifurc_warn.ko && echo "ok 1 insmod bifurc_warn" || echo "not ok 1 insmod bifurc_warn"
GUEST
chmod +x "$out/trigger.sh"

python3 "$BIFURC_TOP/testbed/vm.py" --kernel debug --ports 0 --timeout 600 \
	--results "$run" "$out/trigger.sh" 2> "$out/vm.err"
rc=$?
sed 's/^/# /' "$out/vm.err"
if [ "$rc" -ne 0 ]; then
	echo "ok 2 vm.py fails the run (exit $rc)"
else
	echo "not ok 2 vm.py fails the run (exit 0)"
fi
if grep -q 'WARNING:.*bifurc_warn' "$run/vm.json" &&
   grep -q '^ok 1 insmod' "$run/trigger.sh.tap" && grep -q '"done": true' "$run/vm.json"; then
	echo "ok 3 the failure names bifurc_warn's WARNING and nothing else went wrong"
else
	echo "not ok 3 the failure names bifurc_warn's WARNING and nothing else went wrong"
fi
