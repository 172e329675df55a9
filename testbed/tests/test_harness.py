#!/usr/bin/python3
"""Description: host-side tests of the harness's verdicts: the splat scanner
flags every kind of kernel report and nothing else, and the TAP summer
counts skips, catches short plans and crashed programs; vm.py puts a debug
guest behind the IOMMU and fails a run where it, or kmemleak, is not on;
the host CPU
accounting the bench asks vm.py for; the build caches' key.  TAP output."""

import argparse
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
[    0.000000] DMAR: IOMMU enabled
[    0.151000] DMAR: Host address width 39
[    0.152000] DMAR: DRHD base: 0x000000fed90000 flags: 0x1
[    0.330000] iommu: Default domain type: Translated
[    0.331000] iommu: DMA domain TLB invalidation policy: strict mode (set via kernel command line)
[    0.900000] DMA-API: preallocated 65536 debug entries
[    0.901000] DMA-API: debugging enabled by kernel config
[    1.200000] DMAR: Intel(R) Virtualization Technology for Directed I/O
[    1.300000] pci 0000:01:00.0: Adding to iommu group 4
[    2.000000] DMA-API: dma_debug_entry pool grown to 131072 (200%)
[    2.100000] DMA-API: Mapped at:
[    2.700000] kmemleak: Kernel memory leak detector initialized (mem pool available: 14737)
[    2.710000] kmemleak: Automatic memory scanning thread started
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
    # 6.12's formats (kernel/watchdog.c, drivers/iommu/intel/dmar.c,
    # kernel/dma/debug.c)
    "soft lockup": "[   10.1] watchdog: BUG: soft lockup - CPU#1 stuck for 331s! [bifurc_fuzz:812]",
    "hard lockup": "[   10.1] watchdog: Watchdog detected hard LOCKUP on cpu 1",
    "DMAR read fault": "[   10.1] DMAR: [DMA Read NO_PASID] Request device [01:00.0] fault addr 0xdead0000 [fault reason 0x06] PTE Read access is not set",
    "DMAR write fault": "[   10.1] DMAR: [DMA Write PASID 0x2] Request device [00:03.0] fault addr 0x7f000 [fault reason 0x05] PTE Write access is not set",
    "DMAR remapping fault": "[   10.1] DMAR: [INTR-REMAP] Request device [00:1f.0] fault index 0x17 [fault reason 0x22] Present field in the IRTE entry is clear",
    "DMAR fault interrupt": "[   10.1] DMAR: DRHD: handling fault status reg 2",
    "DMAR invalidation error": "[   10.1] DMAR: VT-d detected Invalidation Time-out Error: SID 0",
    "DMA-API report": "[   10.1] DMA-API: ixgbe 0000:01:00.0: device driver frees DMA memory with different size [device address=0x00000000fffff000] [map size=4096 bytes] [unmap size=2048 bytes]",
    "DMA-API report without a device": "[   10.1] DMA-API: NULL NULL: device driver tries to free an invalid DMA memory address",
    "DMA-API off": "[   10.1] DMA-API: debugging out of memory - disabling",
}

# what each of these is named in vm.json's problems
KINDS = {
    "soft lockup": "BUG",
    "hard lockup": "lockup",
    "DMAR read fault": "DMAR fault",
    "DMAR write fault": "DMAR fault",
    "DMAR remapping fault": "DMAR fault",
    "DMAR fault interrupt": "DMAR fault",
    "DMAR invalidation error": "DMAR fault",
    "DMA-API report": "DMA-API",
    "DMA-API report without a device": "DMA-API",
    "DMA-API off": "DMA-API",
}

results = []


def check(name, cond):
    results.append((name, bool(cond)))


check("clean log has no splat", splat.scan_lines(CLEAN.splitlines()) == [])
for kind, line in SPLATS.items():
    found = splat.scan_lines(CLEAN.splitlines() + [line])
    check(f"splat scanner flags {kind}", len(found) == 1)
    if kind in KINDS:
        check(f"splat scanner names {kind} {KINDS[kind]}",
              found[:1] and found[0].startswith(KINDS[kind] + ": "))

log = CLEAN.splitlines()
check("excerpt starts just before the first splat",
      splat.excerpt(log + [SPLATS["BUG"], SPLATS["WARNING"]], before=1)[:2]
      == [log[-1], SPLATS["BUG"]])
check("excerpt of a clean log is its tail",
      splat.excerpt(log, after=2) == log[-2:])

check("a console behind the IOMMU shows it on",
      vm.iommu_missing(CLEAN.splitlines()) == [])
check("intel_iommu=on without an IOMMU is not on",
      vm.iommu_missing(line for line in CLEAN.splitlines()
                       if "Virtualization Technology" not in line)
      == ["DMAR: Intel(R) Virtualization Technology for Directed I/O"])
check("a test's own output does not turn the IOMMU on",
      vm.iommu_missing(line.split("] ", 1)[-1]
                       for line in CLEAN.splitlines()) == list(vm.IOMMU_MARKERS))


def verdict(problems, iommu, kmemleak=False):
    """vm.tap's result lines for a finished run with PROBLEMS"""
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "vm.tap")
        vm.write_tap(path, True, problems, 60, iommu, kmemleak)
        with open(path) as f:
            return [line.split(" ", 2)[0] for line in f
                    if line.startswith(("ok", "not ok"))]


off = f"{vm.IOMMU_OFF}: the console lacks \"DMAR: IOMMU enabled\""
check("vm.tap: an IOMMU run has a third result",
      verdict([], True) == ["ok", "ok", "ok"])
check("vm.tap: an IOMMU that is not on fails the third alone",
      verdict([off], True) == ["ok", "ok", "not"])
check("vm.tap: a DMAR fault is a splat",
      verdict(["DMAR fault: DMAR: [DMA Read NO_PASID] ..."], True)
      == ["ok", "not", "ok"])

# kmemleak in a debug guest: on from its late initcall, and never off
check("a debug console shows kmemleak on", vm.kmemleak_off(log) is None)
disabled = "[    0.000000] kmemleak: Kernel memory leak detector disabled"
check("kmemleak=off at boot: kmemleak not on",
      vm.kmemleak_off([disabled] + [line for line in log
                                    if "kmemleak" not in line])
      == f'the console shows "{vm.KMEMLEAK_DISABLED}"')
check("kmemleak switched off at run time: not on",
      vm.kmemleak_off(log + [disabled.replace("0.000000", "40.000000")])
      == f'the console shows "{vm.KMEMLEAK_DISABLED}"')
check("a kernel without kmemleak: not on",
      vm.kmemleak_off(line for line in log if "kmemleak" not in line)
      == f'the console lacks "{vm.KMEMLEAK_ON}"')
check("a test's own output does not turn kmemleak on",
      vm.kmemleak_off(line.split("] ", 1)[-1] for line in log)
      == f'the console lacks "{vm.KMEMLEAK_ON}"')
check("a finished guest that never scanned: not on",
      vm.kmemleak_off(log, done=True)
      == f'the guest finished without "{vm.KMEMLEAK_SCANNED}"')
check("a finished guest that scanned: on",
      vm.kmemleak_off(log + [vm.KMEMLEAK_SCANNED + "\n"], done=True) is None)
leak_off = f"{vm.KMEMLEAK_OFF}: the console lacks \"{vm.KMEMLEAK_ON}\""
check("vm.tap: a debug run has a kmemleak result",
      verdict([], True, kmemleak=True) == ["ok", "ok", "ok", "ok"])
check("vm.tap: kmemleak not on fails its result alone",
      verdict([leak_off], True, kmemleak=True) == ["ok", "ok", "ok", "not"])
check("vm.tap: kmemleak's result without the IOMMU's is the third",
      verdict([leak_off], False, kmemleak=True) == ["ok", "ok", "not"])


def qemu_cmdline(**kw):
    """vm.build_cmdline() of a debug guest with two ports, as main()
    would call it, against a stand-in QEMU and kernel"""
    with tempfile.TemporaryDirectory() as d:
        os.makedirs(os.path.join(d, "arch/x86/boot"))
        open(os.path.join(d, "arch/x86/boot/bzImage"), "w").close()
        saved = vm.QEMU, dict(vm.OWN_KERNELS), vm.qemu_has_model
        vm.QEMU = "/bin/true"
        vm.OWN_KERNELS.update(debug=d, dma=d)
        vm.qemu_has_model = lambda: True
        args = dict(kernel="debug", mode="run", ports=2, ixgbe=None,
                    iommu=True, smp=2, cpu="max", memory="1G", qemu_arg=[],
                    root="/")
        args.update(kw)
        try:
            return vm.build_cmdline(argparse.Namespace(**args), d,
                                    "hostctl", "qmp")
        finally:
            vm.QEMU, kernels, vm.qemu_has_model = saved
            vm.OWN_KERNELS.update(kernels)


cmd = qemu_cmdline()
devices = [cmd[i + 1] for i, a in enumerate(cmd) if a == "-device"]
append = cmd[cmd.index("-append") + 1].split()
check("debug guest: intel-iommu is the first device",
      devices[0] == "intel-iommu,intremap=off" and
      any(d.startswith("ixgbe-82599") for d in devices))
check("debug guest: strict IOMMU on the kernel command line",
      {"intel_iommu=on", "iommu.strict=1"} <= set(append))
check("debug guest: boots the debug build's bzImage",
      cmd[cmd.index("-kernel") + 1].endswith("/arch/x86/boot/bzImage") and
      "bifurc.kernel=debug" in append and "swiotlb=force" not in append)
cmd = qemu_cmdline(kernel="dma", iommu=False)
check("dma guest: its own bzImage, swiotlb=force, no IOMMU (its DMA ops "
      "would not bounce)",
      cmd[cmd.index("-kernel") + 1].endswith("/arch/x86/boot/bzImage") and
      "swiotlb=force" in cmd[cmd.index("-append") + 1].split() and
      not any(a.startswith("intel-iommu") for a in cmd))
cmd = qemu_cmdline()
fsdevs = [cmd[i + 1] for i, a in enumerate(cmd) if a == "-fsdev"]
check("the guest's root is the host's /, read-only",
      any(f.startswith("local,id=hostroot,path=/,") and "readonly=on" in f
          for f in fsdevs))
cmd = qemu_cmdline(root="/run/bifurc-root")
check("--root exports that directory as the guest's root, read-only",
      any(f.startswith("local,id=hostroot,path=/run/bifurc-root,") and
          "readonly=on" in f
          for f in (cmd[i + 1] for i, a in enumerate(cmd) if a == "-fsdev")))
cmd = qemu_cmdline(iommu=False)
check("--no-iommu: no intel-iommu, no intel_iommu=on",
      "intel-iommu,intremap=off" not in cmd and
      "intel_iommu=on" not in cmd[cmd.index("-append") + 1])


def summed(text, rc=None, allow=None):
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "t.tap")
        with open(path, "w") as f:
            f.write(text)
        if rc is not None:
            with open(os.path.join(d, "t.rc"), "w") as f:
                f.write(f"{rc}\n")
        return tap.parse(path, allow)[:3]


def notes(text):
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "t.tap")
        with open(path, "w") as f:
            f.write(text)
        return tap.parse(path)[3]


check("tap counts pass/fail/skip",
      summed("1..3\nok 1 a\nnot ok 2 b\nok 3 c # SKIP no hw\n") == (1, 1, 1))
check("tap ignores nested results",
      summed("1..1\n    ok 1 sub\n    not ok 2 sub\nok 1 top\n") == (1, 0, 0))
check("tap fails a short plan", summed("1..3\nok 1 a\n") == (1, 1, 0))
check("tap fails a crash that printed passes",
      summed("1..1\nok 1 a\n", rc=139) == (1, 1, 0))
check("tap counts exit 4 with no output as a skip", summed("", rc=4) == (0, 0, 1))
check("tap fails an empty file", summed("") == (0, 1, 0))
check("tap shows a failure with the last two lines it printed",
      notes("1..2\n# a said\nok 1 a\n# x\n# y\n# z\nnot ok 2 b\n") ==
      ["b", "  # y", "  # z"])
ALLOW = [("t", "KMEMLEAK", "not asked"), ("other", "*", "")]
check("tap --allow: a listed skip is a skip",
      summed("1..1\nok 1 KMEMLEAK # SKIP not asked (-K)\n",
             allow=ALLOW) == (0, 0, 1))
check("tap --allow: another test's skip fails",
      summed("1..1\nok 1 RINGS # SKIP not asked\n", allow=ALLOW) == (0, 1, 0))
check("tap --allow: the same test skipped for another reason fails",
      summed("1..1\nok 1 KMEMLEAK # SKIP no kmemleak\n",
             allow=ALLOW) == (0, 1, 0))
check("tap --allow: a whole file skipped (exit 4) fails",
      summed("", rc=4, allow=ALLOW) == (0, 1, 0))


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

def guest_run_files(listing, groups):
    """the result files check.sh's guest_run writes for each group of
    listing, with a launcher that passes a test when its group's name
    starts with "a" and fails it otherwise"""
    check_sh = os.path.join(os.path.dirname(__file__), "..", "check.sh")
    with tempfile.TemporaryDirectory() as tmp:
        with open(os.path.join(tmp, "list"), "w") as f:
            f.write(listing)
        launcher = os.path.join(tmp, "launcher")
        with open(launcher, "w") as f:
            f.write('#!/bin/bash\ndir=$2; shift 2\nmkdir -p "$dir"\n'
                    'case $dir in *-a*) v=ok ;; *) v="not ok" ;; esac\n'
                    'for t in "$@"; do printf "1..1\\n$v 1 x\\n" > '
                    '"$dir/${t##*/}.tap"; done\n')
        os.chmod(launcher, 0o755)
        script = ('eval "$(sed -n "/^list_group()/,/^}/p; /^guest_run()/,/^}/p" '
                  '"$0")"; progress() { :; }; cd "$1"; results=$1/results; '
                  'mkdir -p results build; shift; for g; do '
                  'VM_LAUNCHER=./launcher guest_run debug list "$g"; done')
        subprocess.run(["bash", "-c", script, check_sh, tmp, *groups],
                       check=True, capture_output=True)
        out = {}
        for name in sorted(os.listdir(os.path.join(tmp, "results"))):
            with open(os.path.join(tmp, "results", name)) as f:
                out[name] = f.read().splitlines()[-1]
        return out


files = guest_run_files("[abi]\nx/one.sh\n[big] --kernel dma\nx/one.sh\n",
                        ["abi", "big"])
check("check.sh keeps each group's result of a test both groups run",
      files.get("debug-abi-one.sh.tap") == "ok 1 x" and
      files.get("debug-big-one.sh.tap") == "not ok 1 x")

print("TAP version 13")
print(f"1..{len(results)}")
for i, (name, ok) in enumerate(results, 1):
    print(f"{'ok' if ok else 'not ok'} {i} {name}")
sys.exit(0 if all(ok for _, ok in results) else 1)
