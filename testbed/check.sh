#!/bin/bash
# `make check` (check.sh all) and `make check-model` (check.sh model): every
# test, summed into one closing line.
#
#   host     testbed/tests/test_*.py, bench/tests/test_*.py, libbifurc's and
#            bifurcctl's tests (no VM), and the kernel series
#            (testbed/check-series.sh)
#   model    the model's qtest (testbed/qtest.sh, no guest), and
#            selftests/model.list in a guest of Debian's kernel with Debian's
#            own, unmodified ixgbe.ko, on two emulated 82599 ports
#   debug    selftests/guest.list in KASAN+lockdep+kmemleak debug guests,
#            one per [group] of the list, and the harness's own self-test
#            (a splat must fail a run)
#   install  the packages of `make deb` (built here, without their host
#            tests, which ran above) installed in a guest of Debian's kernel
#            (selftests/install.list)
#
# Guests are TCG and keep about one host core busy each, so they run side
# by side, one more at once than the machine has cores; each writes its
# own results directory and console log.
#
# TAP files land in build/results/; testbed/tap.py sums them and fails the
# run on any failure, any short plan, any crashed test and any skip that
# testbed/skips.allow does not name.
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

# list_group LIST GROUP: the tests of LIST's "[GROUP] ..." section, or,
# when GROUP is empty, those before the first section
list_group()
{
	awk -v g="$2" '/^[[:space:]]*(#|$)/ { next }
		/^\[.*\]/ { seen = 1; in_g = ($1 == "[" g "]"); next }
		(g == "" && !seen) || in_g' "$1"
}

# list_groups LIST: the names of LIST's sections
list_groups()
{
	sed -n 's/^\[\([^]]*\)\].*/\1/p' "$1"
}

# group_args LIST GROUP: the vm.py options after the group's "[GROUP]"
group_args()
{
	awk -v g="$2" '$1 == "[" g "]" { $1 = ""; print; exit }' "$1"
}

# guest_run NAME LIST GROUP VM-ARGS...: run the tests of LIST's GROUP in one
# guest (testbed/vm.py, or VM_LAUNCHER, which takes its arguments) and
# collect their TAP as NAME-GROUP-*.tap (NAME-*.tap without a group,
# NAME-GROUP-vm.tap for the guest's own result): two groups may run the
# same test; a listed test that never ran fails.
guest_run()
{
	local name=$1 list=$2 group=$3 dir=build/vm-$1${3:+-$3} base
	local -a tests
	local t0=$SECONDS

	shift 3
	mapfile -t tests < <(list_group "$list" "$group")
	progress "check: $name guest ${group:+[$group] }started (${#tests[@]} tests)"
	"${VM_LAUNCHER:-testbed/vm.py}" --results "$dir" "$@" "${tests[@]}" > "$dir.log" 2>&1
	for base in "${tests[@]##*/}" vm; do
		local out=$results/$name${group:+-$group}-$base.tap
		if [ -f "$dir/$base.tap" ]; then
			cp "$dir/$base.tap" "$out"
			[ -f "$dir/$base.rc" ] && cp "$dir/$base.rc" "${out%.tap}.rc"
		else
			printf '1..1\nnot ok 1 %s never ran\n' "$base" > "$out"
		fi
	done
	progress "check: $name guest ${group:+[$group] }done in $((SECONDS - t0)) s: $(tail -n 1 "$dir.log")"
}

# at most one guest more than the host has cores (a guest waits on timers
# and the wire much of the time): wait for one to end first
guest_slot()
{
	while [ "$(jobs -rp | wc -l)" -gt "$(nproc)" ]; do
		wait -n
	done
}

progress "check: installing packages"
# "deb": what make deb and the install test need as well
testbed/install-deps.sh $([ "$what" = all ] && echo deb) || die "package installation failed"

if [ "$what" = all ]; then
	progress "check: host tests"
	for t in testbed/tests/test_*.py bench/tests/test_*.py; do
		python3 "$t" > "$results/host-$(basename "$t" .py).tap" 2>&1
	done
	step build-libbifurc-tests make -C lib/libbifurc test WERROR=1 TAP_DIR="$BIFURC_TOP/$results"
	step build-bifurcctl-tests make -C tools/bifurcctl test WERROR=1 TAP_DIR="$BIFURC_TOP/$results"
	# kernel/patches/: applies, builds patch by patch (W=1), checkpatch
	# --strict, sparse, repository copies; one TAP result each
	progress "check: kernel series"
	testbed/check-series.sh > "$results/series.tap"
fi

testbed_ok=0
step build-qemu testbed/build-qemu.sh &&
	step build-selftests make -C selftests OUTPUT="$BIFURC_TOP/build/selftests" &&
	testbed_ok=1
if [ "$testbed_ok" = 1 ]; then
	progress "check: model qtest"
	# a build failure or a crash before the plan is a failed result too
	testbed/qtest.sh > "$results/model-qtest.tap" 2> "$results/model-qtest.log" ||
		grep -q '^1\.\.' "$results/model-qtest.tap" ||
		printf 'TAP version 13\n1..1\nnot ok 1 qtest (log: %s)\n' \
			"$results/model-qtest.log" > "$results/model-qtest.tap"
fi
debug_ok=0
[ "$what" = all ] && [ "$testbed_ok" = 1 ] &&
	step build-debug-kernel testbed/build-kernel.sh debug &&
	step build-dma-kernel testbed/build-kernel.sh dma && debug_ok=1
# the packages are built before the guests start: dpkg-buildpackage
# wants the host's cores for a minute
[ "$what" = all ] && [ "$testbed_ok" = 1 ] &&
	DEB_BUILD_OPTIONS=nocheck step build-deb packaging/build-deb.sh &&
	deb_ok=1
if [ "$debug_ok" = 1 ]; then
	mapfile -t groups < <(list_groups selftests/guest.list)
	for g in "${groups[@]:-}"; do
		guest_slot
		# shellcheck disable=SC2046 # the group's options, word by word
		guest_run debug selftests/guest.list "$g" --kernel debug --ports 2 \
			--timeout 2400 $(group_args selftests/guest.list "$g") &
	done
fi
if [ "${deb_ok:-0}" = 1 ]; then
	guest_slot
	# the guest's root is an overlay of the host's with the packages in
	VM_LAUNCHER=testbed/install-guest.sh guest_run install selftests/install.list "" \
		--kernel debian --ports 2 --timeout 1800 &
fi
if [ "$testbed_ok" = 1 ]; then
	for g in "" $(list_groups selftests/model.list); do
		guest_slot
		# shellcheck disable=SC2046 # the group's options, word by word
		guest_run model selftests/model.list "$g" --kernel debian --ports 2 \
			--timeout 1500 $(group_args selftests/model.list "$g") &
	done
fi
if [ "$debug_ok" = 1 ]; then
	guest_slot
	{
		progress "check: harness self-test (a guest splat fails the run)"
		testbed/tests/vm-splat.sh > "$results/harness-vm-splat.tap" 2>&1
	} &
fi
wait

progress "check: summary"
# a skip that testbed/skips.allow does not name is a failure
testbed/tap.py --allow testbed/skips.allow "$results"/*.tap > "$results/summary.txt"
rc=$?
cat "$results/summary.txt"
if [ "$rc" -ne 0 ]; then
	# CI keeps only the end of this output (about 30 lines): show what
	# each failed guest's console says around its first splat and at its
	# end, what vm.py made of it, then the closing line once more.
	for dir in build/vm-debug-* build/vm-model build/vm-model-* build/vm-install; do
		[ -d "$dir" ] || continue
		grep -qs '"problems": \[\]' "$dir/vm.json" && continue
		if [ -f "$dir/console.log" ]; then
			testbed/splat.py "$dir/console.log"
			# where it ended: QEMU's own last words, if any
			echo "--- its last lines"
			tail -n 4 "$dir/console.log"
		fi
		grep -s '^vm.py:' "$dir.log"
	done
	tail -n 1 "$results/summary.txt"
fi
exit "$rc"
