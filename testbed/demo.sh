#!/bin/bash
# `make demo`: build what the demo needs (QEMU with the 82599 model, our
# ixgbe.ko with bifurc for Debian's kernel, libbifurc and bifurcctl), boot
# Debian's 6.12 kernel on two emulated ports and show a queue handed to an
# application next to kernel traffic (testbed/guest/demo.sh).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
cd "$BIFURC_TOP"

testbed/build-qemu.sh
testbed/build-kernel.sh module
progress "demo: building libbifurc, its examples and bifurcctl"
make -s -C lib/libbifurc all
make -s -C tools/bifurcctl
progress "demo: booting Debian's $(debian_kver) kernel on two emulated 82599 ports"
python3 testbed/vm.py --kernel debian --ports 2 --timeout 300 --results build/vm-demo \
	--ixgbe "$BIFURC_CACHE/linux/ixgbe-debian/ixgbe.ko" testbed/guest/demo.sh || rc=$?
cat build/vm-demo/demo.sh.tap
progress "demo: done (console log: build/vm-demo/console.log)"
exit "${rc:-0}"
