#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Description: KUnit suites built as modules run in the debug guest and
# their results are collected: one TAP line per suite, failing on any failed
# case.  `list` is upstream's, proving collection; ours join through
# KUNIT_MODULES.
. "$(dirname "$0")/../lib/ktap.sh"

# module:suite pairs
KUNIT_MODULES=${KUNIT_MODULES:-"list-test:list-kunit-test ixgbe:ixgbe_bifurc"}

ktap_print_header
ktap_set_plan "$(echo $KUNIT_MODULES | wc -w)"

for pair in $KUNIT_MODULES; do
	mod=${pair%%:*} suite=${pair#*:}
	results=/sys/kernel/debug/kunit/$suite/results
	if [ ! -d /sys/kernel/debug/kunit ]; then
		ktap_test_skip "kunit $suite" "kernel without KUnit (BIFURC_KERNEL=$BIFURC_KERNEL)"
		continue
	fi
	if ! modprobe "$mod"; then
		ktap_test_fail "kunit $suite (modprobe $mod failed)"
		continue
	fi
	if [ ! -r "$results" ]; then
		ktap_test_fail "kunit $suite (no results in debugfs)"
		continue
	fi
	sed 's/^/# /' "$results"
	cases=$(grep -cE '^\s+ok [0-9]+ ' "$results")
	failed=$(grep -cE '^\s*not ok [0-9]+ ' "$results")
	ktap_print_msg "$suite: $cases cases passed, $failed failed"
	if [ "$failed" -eq 0 ] && [ "$cases" -gt 0 ] &&
	   grep -qE "^ok [0-9]+ $suite\$" "$results"; then
		ktap_test_pass "kunit $suite"
	else
		ktap_test_fail "kunit $suite"
	fi
	modprobe -r "$mod"
done

ktap_finished
