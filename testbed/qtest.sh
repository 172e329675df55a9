#!/bin/bash
# The 82599 model's qtest (testbed/qemu/tests/qtest/ixgbe-82599-test.c):
# build it in the QEMU tree testbed/build-qemu.sh prepared and run it
# against that tree's qemu-system-x86_64, no guest.  TAP on stdout.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

BUILD=$BIFURC_CACHE/qemu/tree/build

"$BIFURC_TOP/testbed/build-qemu.sh" >&2
(
	cache_lock qemu
	ninja -C "$BUILD" tests/qtest/ixgbe-82599-test > "$BIFURC_CACHE/qemu/qtest-build.log" 2>&1
) || { tail -n 30 "$BIFURC_CACHE/qemu/qtest-build.log" >&2; die "qtest build failed"; }
# QEMU with Debian's firmware paths; named as libqtest expects, which
# takes the target from the name
wrap=$BIFURC_CACHE/qemu/qtest-bin/qemu-system-x86_64
mkdir -p "${wrap%/*}"
printf '#!/bin/sh\nexec %s -L /usr/share/qemu -L /usr/share/seabios "$@"\n' \
	"$BUILD/qemu-system-x86_64" > "$wrap"
chmod +x "$wrap"
QTEST_QEMU_BINARY=$wrap exec "$BUILD/tests/qtest/ixgbe-82599-test" --tap -k
