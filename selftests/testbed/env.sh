#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Description: the test-bed guest is what the other tests assume: the
# expected kernel, a read-only host root with writable scratch space, the
# host relay, and every emulated 82599 port QEMU was given visible on PCI.
. "$(dirname "$0")/../lib/ktap.sh"

ktap_print_header
ktap_set_plan 5

ktap_check "kernel is 6.12" grep -q '^6\.12\.' /proc/sys/kernel/osrelease
if [ "$BIFURC_KERNEL" = debug ]; then
	ktap_check "debug kernel has KASAN and lockdep" \
		sh -c 'dmesg | grep -q "KernelAddressSanitizer initialized" &&
		       [ -e /proc/lockdep ]'
else
	ktap_test_skip "debug kernel has KASAN and lockdep" "running Debian's kernel"
fi
ktap_check "host root read-only, scratch writable" \
	sh -c '! touch /usr/.bifurc-probe 2>/dev/null && touch /tmp/probe "$BIFURC_RESULTS/probe"'

network=$(hostctl info network)
ktap_check "host relay answers" test -n "$network"
models=$(printf '%s\n' "$network" | grep -c 'model=ixgbe-82599')
functions=$(lspci -n -d 8086: | grep -cE ' 8086:(10f7|1517|10f8)')
ktap_print_msg "QEMU has $models ixgbe-82599 ports, PCI shows $functions 82599 functions"
ktap_check "every emulated 82599 port is on PCI" test "$models" -gt 0 -a "$models" -eq "$functions"

ktap_finished
