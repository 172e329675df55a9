#!/usr/bin/python3
"""Description: host-side tests of the harness's verdicts: the splat scanner
flags every kind of kernel report and nothing else, and the TAP summer
counts skips, catches short plans and crashed programs; the host CPU
accounting the bench asks vm.py for; the build caches' key.  TAP output."""

import os
import sys
import subprocess
import tempfile
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import splat  # noqa: E402
import tap  # noqa: E402
import vm  # noqa: E402

CLEAN = """\
[    0.000000] Linux version 6.12.57 (root@host) #1 SMP PREEMPT_DYNAMIC
[    3.120000] ixgbe: loading out-of-tree module taints kernel.
[    3.130000] ixgbe: module verification failed: signature and/or required key missing - tainting kernel
[    4.000000] ixgbe 0000:01:00.0 eth0: NIC Link is Up 10 Gbps, Flow Control: RX/TX
WARNING: this line is a test's own output, not the kernel's
bifurc-guest: done
"""

SPLATS = {
    "BUG": "[   10.1] BUG: unable to handle page fault for address: 0000",
    "WARNING": "[   10.1] WARNING: CPU: 1 PID: 9 at drivers/net/x.c:1 f+0x1/0x2",
    "KASAN": "[   10.1] BUG: KASAN: slab-use-after-free in ixgbe_clean+0x1",
    "lockdep": "[   10.1] WARNING: possible circular locking dependency detected",
    "RCU stall": "[   10.1] rcu: INFO: rcu_preempt detected stalls on CPUs/tasks:",
    "hung task": "[   10.1] INFO: task kworker/0:1:12 blocked for more than 120 seconds.",
    "panic": "[   10.1] Kernel panic - not syncing: Fatal exception",
    "Oops": "[   10.1] Oops: general protection fault, probably for non-canonical",
    "kmemleak": "[   10.1] kmemleak: 2 new suspected memory leaks (see /sys/kernel/debug/kmemleak)",
    "kmemleak report": "bifurc-guest: kmemleak: unreferenced object 0xffff8880 (size 64):",
}

results = []


def check(name, cond):
    results.append((name, bool(cond)))


check("clean log has no splat", splat.scan_lines(CLEAN.splitlines()) == [])
for kind, line in SPLATS.items():
    found = splat.scan_lines(CLEAN.splitlines() + [line])
    check(f"splat scanner flags {kind}", len(found) == 1)

log = CLEAN.splitlines()
check("excerpt starts just before the first splat",
      splat.excerpt(log + [SPLATS["BUG"], SPLATS["WARNING"]], before=1)[:2]
      == [log[-1], SPLATS["BUG"]])
check("excerpt of a clean log is its tail",
      splat.excerpt(log, after=2) == log[-2:])


def summed(text, rc=None):
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "t.tap")
        with open(path, "w") as f:
            f.write(text)
        if rc is not None:
            with open(os.path.join(d, "t.rc"), "w") as f:
                f.write(f"{rc}\n")
        return tap.parse(path)[:3]


check("tap counts pass/fail/skip",
      summed("1..3\nok 1 a\nnot ok 2 b\nok 3 c # SKIP no hw\n") == (1, 1, 1))
check("tap ignores nested results",
      summed("1..1\n    ok 1 sub\n    not ok 2 sub\nok 1 top\n") == (1, 0, 0))
check("tap fails a short plan", summed("1..3\nok 1 a\n") == (1, 1, 0))
check("tap fails a crash that printed passes",
      summed("1..1\nok 1 a\n", rc=139) == (1, 1, 0))
check("tap counts exit 4 with no output as a skip", summed("", rc=4) == (0, 0, 1))
check("tap fails an empty file", summed("") == (0, 1, 0))


def spent_by_kind():
    """vm.host_cpu() of this process, with one thread named as QEMU names
    vCPU 0 that has spun for a while."""
    stop = threading.Event()
    named = threading.Event()

    def vcpu():
        with open(f"/proc/self/task/{threading.get_native_id()}/comm", "w") as f:
            f.write("CPU 0/TCG")
        named.set()
        while not stop.is_set():
            pass
    t = threading.Thread(target=vcpu)
    t.start()
    named.wait()
    time.sleep(0.05)
    out = vm.host_cpu(os.getpid())
    stop.set()
    t.join()
    return {k: int(v) for k, v in (line.split() for line in out.splitlines())}


spent = spent_by_kind()
check("host-cpu names vCPU threads, the main loop and the clock",
      {"wall", "main", "other", "cpu0"} <= spent.keys())
check("host-cpu counts a spinning vCPU thread", spent.get("cpu0", 0) > 0)


def inputs_hash(*paths):
    """testbed/lib.sh's cache key of paths"""
    lib = os.path.join(os.path.dirname(__file__), "..", "lib.sh")
    return subprocess.run(["bash", "-c", '. "$0" && inputs_hash "$@"', lib,
                           *paths], capture_output=True, text=True).stdout


with tempfile.TemporaryDirectory() as tmp:
    for copy in ("a/src", "b/src"):
        os.makedirs(os.path.join(tmp, copy, "hw"))
        with open(os.path.join(tmp, copy, "hw", "model.c"), "w") as f:
            f.write("int x;\n")
    here, there = (inputs_hash(os.path.join(tmp, d, "src")) for d in "ab")
    check("cache key is the same for a checkout elsewhere",
          here and here == there)
    with open(os.path.join(tmp, "b/src/hw/model.c"), "a") as f:
        f.write("int y;\n")
    check("cache key changes with a file's contents",
          inputs_hash(os.path.join(tmp, "b/src")) != here)

print("TAP version 13")
print(f"1..{len(results)}")
for i, (name, ok) in enumerate(results, 1):
    print(f"{'ok' if ok else 'not ok'} {i} {name}")
sys.exit(0 if all(ok for _, ok in results) else 1)
