#!/bin/bash
# `make check` (check.sh all) and `make check-model` (check.sh model): every
# test, summed into one closing line.
#
#   host     testbed/tests/test_*.py, lib/libbifurc's and tools/bifurcctl's
#            tests (no VM), and the kernel series (testbed/check-series.sh)
#   model    selftests/model.list in a guest of Debian's kernel with Debian's
#            own, unmodified ixgbe.ko, on two emulated 82599 ports
#   debug    selftests/guest.list in the KASAN+lockdep+kmemleak debug guest,
#            then the harness's own self-test (a splat must fail a run)
#
# TAP files land in build/results/; testbed/tap.py sums them and fails the
# run on any failure, any short plan and any crashed test.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
cd "$BIFURC_TOP"

what=${1:-all}
results=build/results
rm -rf "$results"
mkdir -p "$results"

# step NAME COMMAND...: run a build step; its failure becomes a failed TAP
# result, so the closing count shows it.
step()
{
	local name=$1 log=$results/$1.log

	shift
	progress "check: $name"
	if "$@" > "$log" 2>&1; then
		printf 'TAP version 13\n1..1\nok 1 %s\n' "$name" > "$results/$name.tap"
		return 0
	fi
	tail -n 30 "$log"
	printf 'TAP version 13\n1..1\nnot ok 1 %s (log: %s)\n' "$name" "$log" > "$results/$name.tap"
	return 1
}

# guest_run NAME LIST VM-ARGS...: run the tests of LIST in one guest and
# collect their TAP as NAME-*.tap; a listed test that never ran fails.
guest_run()
{
	local name=$1 list=$2 dir=build/vm-$1 base
	local -a tests

	shift 2
	mapfile -t tests < <(grep -v '^\s*#' "$list" | grep .)
	progress "check: $name guest (${#tests[@]} tests)"
	python3 testbed/vm.py --results "$dir" "$@" "${tests[@]}"
	for base in "${tests[@]##*/}" vm; do
		if [ -f "$dir/$base.tap" ]; then
			cp "$dir/$base.tap" "$results/$name-$base.tap"
			[ -f "$dir/$base.rc" ] && cp "$dir/$base.rc" "$results/$name-$base.rc"
		else
			printf '1..1\nnot ok 1 %s never ran\n' "$base" > "$results/$name-$base.tap"
		fi
	done
}

progress "check: installing packages"
testbed/install-deps.sh || die "package installation failed"

if [ "$what" = all ]; then
	progress "check: host tests"
	for t in testbed/tests/test_*.py; do
		python3 "$t" > "$results/host-$(basename "$t" .py).tap" 2>&1
	done
	step build-libbifurc-tests make -C lib/libbifurc test TAP_DIR="$BIFURC_TOP/$results"
	step build-bifurcctl-tests make -C tools/bifurcctl test TAP_DIR="$BIFURC_TOP/$results"
	# kernel/patches/: applies, builds patch by patch (W=1), checkpatch
	# --strict, sparse, repository copies; one TAP result each
	progress "check: kernel series"
	testbed/check-series.sh > "$results/series.tap"
fi

testbed_ok=0
step build-qemu testbed/build-qemu.sh &&
	step build-selftests make -C selftests OUTPUT="$BIFURC_TOP/build/selftests" &&
	testbed_ok=1
[ "$testbed_ok" = 1 ] &&
	guest_run model selftests/model.list --kernel debian --ports 2 --timeout 1500

if [ "$what" = all ] && [ "$testbed_ok" = 1 ] &&
   step build-debug-kernel testbed/build-kernel.sh debug; then
	guest_run debug selftests/guest.list --kernel debug --ports 2 --timeout 2400
	progress "check: harness self-test (a guest splat fails the run)"
	testbed/tests/vm-splat.sh > "$results/harness-vm-splat.tap" 2>&1
fi

progress "check: summary"
testbed/tap.py "$results"/*.tap
