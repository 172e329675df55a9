#!/bin/bash
# `make check`: every test, host and guest, summed into one closing line.
#
#   1. host tests (no VM): testbed/tests/test_*.py, later lib/ and tools/
#   2. build QEMU with the 82599 model and the debug kernel (cached)
#   3. one debug guest runs selftests/guest.list on two emulated ports
#   4. the harness's own VM self-test (a splat must fail a run)
#
# TAP files land in build/results/; testbed/tap.py sums them and fails the
# run on any failure, any short plan and any crashed test.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
cd "$BIFURC_TOP"

results=build/results
rm -rf "$results" build/vm-check
mkdir -p "$results"

# step NAME COMMAND...: run a build step; a failure becomes a failed TAP
# result instead of silently stopping the count.
step()
{
	local name=$1 log=$results/$1.log

	shift
	if "$@" > "$log" 2>&1; then
		printf 'TAP version 13\n1..1\nok 1 %s\n' "$name" > "$results/$name.tap"
		cat "$log"
		return 0
	fi
	tail -n 30 "$log"
	printf 'TAP version 13\n1..1\nnot ok 1 %s (log: %s)\n' "$name" "$log" > "$results/$name.tap"
	return 1
}

progress "check: installing packages"
testbed/install-deps.sh || die "package installation failed"

progress "check: host tests"
for t in testbed/tests/test_*.py; do
	python3 "$t" > "$results/host-$(basename "$t" .py).tap" 2>&1
done

progress "check: building the test bed"
ok=1
step build-qemu testbed/build-qemu.sh || ok=0
step build-debug-kernel testbed/build-kernel.sh debug || ok=0

if [ "$ok" -eq 1 ]; then
	progress "check: guest tests (debug kernel, two emulated 82599 ports)"
	mapfile -t tests < <(grep -v '^\s*#' selftests/guest.list | grep .)
	python3 testbed/vm.py --kernel debug --ports 2 --results build/vm-check "${tests[@]}"
	for t in build/vm-check/*.tap; do
		cp "$t" "$results/guest-$(basename "$t")"
		[ -f "${t%.tap}.rc" ] && cp "${t%.tap}.rc" "$results/guest-$(basename "${t%.tap}").rc"
	done
	for t in "${tests[@]}"; do
		# A test the guest never ran must count as a failure.
		[ -f "build/vm-check/$(basename "$t").tap" ] ||
			printf '1..1\nnot ok 1 %s never ran\n' "$t" > "$results/guest-$(basename "$t").tap"
	done

	progress "check: harness self-test (a guest splat fails the run)"
	testbed/tests/vm-splat.sh > "$results/harness-vm-splat.tap" 2>&1
fi

progress "check: summary"
testbed/tap.py "$results"/*.tap
