#!/usr/bin/python3
"""Boot a Linux 6.12 guest under QEMU (TCG) on the host's root file system and
run tests inside it, or give a developer a shell.

The guest sees the host's / read-only over 9p (so it has the host's tools and
this checkout at the same path), a writable 9p share for results, and a
number of emulated 82599 ports wired back to back on QEMU hubs.  Tests write
TAP into the results share; the serial console is kept as an artefact and
scanned for kernel splats, any of which fails the run.

A debug guest runs behind QEMU's intel-iommu in strict mode (--no-iommu
drops it), so that a device DMA outside a live mapping is a DMAR fault,
one more splat; a run that asked for the IOMMU fails if the console does
not show it on.  A debug guest's run fails likewise if kmemleak is not on
throughout: its scan at the end would find no leak.

A virtio-serial port lets guest tests ask the host for monitor actions
(link flaps, packet source settings) through testbed/guest/hostctl; only
the commands in HOSTCTL_ALLOWED are relayed.
"""

import argparse
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(TOP, "testbed"))
import splat  # noqa: E402

CACHE = os.environ.get("BIFURC_CACHE") or os.path.join(
    os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "bifurc")
QEMU = os.path.join(CACHE, "qemu/tree/build/qemu-system-x86_64")
# Our own builds (testbed/build-kernel.sh): the debug kernel, and the same
# with CONFIG_DMA_API_DEBUG, which boots with swiotlb=force
OWN_KERNELS = {k: os.path.join(CACHE, f"linux/build-{k}")
               for k in ("debug", "dma")}
GUEST_INIT = os.path.join(TOP, "testbed/guest/init.sh")
DONE_MARKER = "bifurc-guest: done"

# What a guest behind QEMU's intel-iommu in strict mode prints, each of
# which an IOMMU run must show: the command line took, the IOMMU was found
# and translates, DMA domains are translated and every unmap invalidates
# the IOTLB at once.  The first alone proves nothing: the kernel prints it
# while parsing intel_iommu=on, with or without an IOMMU.
IOMMU_MARKERS = ("DMAR: IOMMU enabled",
                 "DMAR: Intel(R) Virtualization Technology for Directed I/O",
                 "iommu: Default domain type: Translated",
                 "iommu: DMA domain TLB invalidation policy: strict mode")

# What a kernel prints when kmemleak starts (its late initcall), and when it
# is off: "kmemleak=off" at boot, "echo off > /sys/kernel/debug/kmemleak",
# or kmemleak giving up at run time (e.g. its object pool ran out). A debug
# guest's console must show the first and not the second: otherwise the
# guest's kmemleak scan at the end (testbed/guest/init.sh) finds nothing,
# whatever the tests leaked, and its silence reads as a clean report.
KMEMLEAK_ON = "kmemleak: Kernel memory leak detector initialized"
KMEMLEAK_DISABLED = "kmemleak: Kernel memory leak detector disabled"
# what testbed/guest/init.sh prints once its closing scan ran
KMEMLEAK_SCANNED = "bifurc-guest: kmemleak scanned"

HOSTCTL_ALLOWED = ("set_link ", "qom-set ", "qom-get ", "info network",
                   "info qtree")
# answered by vm.py itself, not the monitor
HOST_CPU = "host-cpu"


def debian_kver():
    vers = [v for v in os.listdir("/lib/modules")
            if re.match(r"6\.12\..*-amd64$", v)]
    if not vers:
        sys.exit("vm.py: no Debian 6.12 kernel installed "
                 "(run testbed/install-deps.sh)")
    return sorted(vers, key=lambda v: [int(x) if x.isdigit() else x
                                       for x in re.split(r"(\d+)", v)])[-1]


def debian_initramfs(kver):
    """A busybox initramfs that loads Debian's 9p modules (they are =m) and
    switch_roots to the host's root.  Cached per kernel version."""
    out = os.path.join(CACHE, f"initramfs-{kver}.cpio.gz")
    gen = os.path.join(TOP, "testbed/guest/mkinitramfs.sh")
    if not os.path.exists(out) or os.path.getmtime(out) < os.path.getmtime(gen):
        subprocess.run(["bash", gen, kver, out], check=True)
    return out


def qemu_has_model():
    res = subprocess.run([QEMU, "-device", "help"], capture_output=True,
                         text=True)
    return '"ixgbe-82599"' in res.stdout


def build_cmdline(args, rundir, hostctl_sock, qmp_sock):
    if not os.access(QEMU, os.X_OK):
        sys.exit(f"vm.py: {QEMU} missing (run make testbed)")

    root = ("root=hostroot rootfstype=9p "
            "rootflags=trans=virtio,version=9p2000.L,cache=loose ro")
    append = [f"console=ttyS0 {root} init={GUEST_INIT}",
              "panic=-1 oops=panic", f"bifurc.mode={args.mode}",
              f"bifurc.cache={CACHE}",
              f"bifurc.kernel={args.kernel}",
              # RCU's default 21 s stall limit assumes a CPU of its own.
              # Under TCG three guests share two host cores, and CI saw
              # an RCU stall twice in init.sh's first seconds, before any
              # test (never in 21 boots under load here). Use syzkaller's
              # limit for emulated guests. A real stall is still reported
              # and fails the run.
              "rcupdate.rcu_cpu_stall_timeout=300"]
    if args.kernel in OWN_KERNELS:
        kernel = os.path.join(OWN_KERNELS[args.kernel],
                              "arch/x86/boot/bzImage")
        if not os.path.exists(kernel):
            sys.exit(f"vm.py: {kernel} missing (run make testbed)")
        initrd = None
        append.append("bifurc.modules=" + os.path.join(
            CACHE, f"linux/mods-{args.kernel}/lib/modules"))
        # kmemleak needs a quiet start to report only what the tests leak.
        append.append("kmemleak=on")
        # The soft-lockup (2 x watchdog_thresh, default 20 s) and hung-task
        # (120 s) limits assume a CPU of its own, like RCU's above. Use
        # syzkaller's limits for emulated guests too: a CPU stuck in a loop
        # is an RCU stall at 300 s, a soft lockup at 330 s, and a task
        # stuck in D state a hung task at 420 s, each well before a test's
        # own timeout. Both are still reported and fail the run.
        append += ["watchdog_thresh=165",
                   "sysctl.kernel.hung_task_timeout_secs=420"]
        if args.kernel == "dma":
            # Every streaming mapping bounces through the swiotlb, so a
            # missing or misdirected sync shows as stale data, and DMA-API
            # debugging reports a misuse of the API as a WARNING (a splat).
            append.append("swiotlb=force")
    else:
        kver = debian_kver()
        kernel = f"/boot/vmlinuz-{kver}"
        initrd = debian_initramfs(kver)
        append.append(f"bifurc.init={GUEST_INIT}")
    if args.ixgbe:
        append.append(f"bifurc.ixgbe={os.path.abspath(args.ixgbe)}")
    if args.iommu:
        # The DMA-safety oracle (issue 17): every device DMA goes through
        # QEMU's intel-iommu, and strict mode invalidates the IOTLB at each
        # unmap, so a DMA outside a live mapping is a DMAR fault in the
        # log, which fails the run. (virtio devices bypass it: they do not
        # negotiate VIRTIO_F_ACCESS_PLATFORM.)
        append.append("intel_iommu=on iommu.strict=1")

    cmd = [QEMU, "-L", "/usr/share/qemu", "-L", "/usr/share/seabios",
           # 4-level paging: with TCG's LA57 an interrupt taken this early in
           # a KASAN kernel's boot can hit a direct-map address whose shadow
           # is not there yet (seen as a KASAN wild-memory-access in
           # handle_edge_irq at 0.007 s, before any of our code ran).
           "-M", "q35", "-accel", "tcg", "-cpu", args.cpu, "-nodefaults",
           # thread names ("CPU 0/TCG") for HOST_CPU
           "-name", "bifurc,debug-threads=on",
           "-smp", str(args.smp), "-m", args.memory, "-no-reboot",
           "-kernel", kernel, "-append", " ".join(append)]
    if args.iommu:
        # Before every PCI device: QEMU gives a device its DMA address
        # space when it is created, so one created earlier bypasses the
        # IOMMU. Interrupt remapping is not what the oracle checks.
        cmd += ["-device", "intel-iommu,intremap=off"]
    cmd += ["-fsdev", f"local,id=hostroot,path={args.root},security_model=none,"
                     "readonly=on,multidevs=remap",
           "-device", "virtio-9p-pci,fsdev=hostroot,mount_tag=hostroot",
           "-fsdev", f"local,id=results,path={rundir},security_model=none",
           "-device", "virtio-9p-pci,fsdev=results,mount_tag=results",
           "-device", "virtio-serial-pci",
           "-chardev", f"socket,id=hostctl,path={hostctl_sock},server=on,"
                       "wait=off",
           "-device", "virtserialport,chardev=hostctl,name=org.bifurc.hostctl",
           "-qmp", f"unix:{qmp_sock},server=on,wait=off"]
    if initrd:
        cmd += ["-initrd", initrd]
    if args.ports:
        if not qemu_has_model():
            sys.exit("vm.py: this QEMU has no ixgbe-82599 device model")
        # Ports 2k and 2k+1 share hub k: two NICs wired back to back.
        for i in range(args.ports):
            cmd += ["-netdev", f"hubport,id=n{i},hubid={i // 2}",
                    "-device", f"pcie-root-port,id=rp{i},chassis={i + 1}",
                    "-device", f"ixgbe-82599,bus=rp{i},netdev=n{i},"
                               f"mac=52:54:00:b1:f0:{i:02x},id=nic{i}"]
    cmd += ["-display", "none"]
    if args.mode == "shell":
        cmd += ["-serial", "mon:stdio"]
    else:
        cmd += ["-serial", "stdio"]
    return cmd + args.qemu_arg


class Monitor:
    """A QMP client on the VM's socket, used to relay hostctl requests."""

    def __init__(self, path, proc, deadline):
        while True:
            try:
                self.sock = socket.socket(socket.AF_UNIX)
                self.sock.connect(path)
                break
            except OSError:
                if time.time() > deadline or proc.poll() is not None:
                    sys.exit("vm.py: QEMU did not start: " +
                             proc.stdout.read().decode(errors="replace"))
                time.sleep(0.1)
        self.file = self.sock.makefile("rw")
        self.file.readline()  # greeting
        self.call("qmp_capabilities")

    def call(self, execute, **arguments):
        self.file.write(json.dumps({"execute": execute,
                                    "arguments": arguments}) + "\n")
        self.file.flush()
        while True:
            reply = json.loads(self.file.readline())
            if "return" in reply or "error" in reply:
                return reply

    def hmp(self, line):
        reply = self.call("human-monitor-command", **{"command-line": line})
        if "error" in reply:
            return "error: " + reply["error"]["desc"]
        return reply["return"]


def host_cpu(pid):
    """What the emulator has spent so far, for the guest to take the
    difference over a window: host CPU ns by thread kind (main: the main
    loop, where the device model and its packet source run; cpuN: vCPU N;
    other: QEMU's helpers), and the host's monotonic clock as "wall"."""
    spent = {"wall": time.monotonic_ns(), "main": 0, "other": 0}
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{tid}/comm") as f:
                comm = f.read().strip()
            with open(f"/proc/{pid}/task/{tid}/schedstat") as f:
                ns = int(f.read().split()[0])
        except (OSError, ValueError, IndexError):
            continue        # a helper thread that just ended
        m = re.match(r"CPU (\d+)/TCG$", comm)
        kind = (f"cpu{m.group(1)}" if m else
                "main" if int(tid) == pid else "other")
        spent[kind] = spent.get(kind, 0) + ns
    return "\n".join(f"{k} {v}" for k, v in spent.items())


def relay_hostctl(path, monitor, pid, log, deadline):
    """Serve line-based requests from the guest's org.bifurc.hostctl port:
    each request line is answered with the monitor's output (or vm.py's
    own, for HOST_CPU) and a line holding a single '.'."""
    while True:
        try:
            sock = socket.socket(socket.AF_UNIX)
            sock.connect(path)
            break
        except OSError:
            if time.time() > deadline:
                return
            time.sleep(0.1)
    f = sock.makefile("rw")
    for line in f:
        line = line.strip()
        if not line:
            continue
        if line == HOST_CPU:
            out = host_cpu(pid)
        elif line.startswith(HOSTCTL_ALLOWED):
            out = monitor.hmp(line)
            # HMP reports a refused command as text ("Error: ..."); the
            # guest's hostctl exits 1 on a line "error: ..."
            if out.startswith("Error: "):
                out = "error: " + out[len("Error: "):]
        else:
            out = f"error: hostctl command not allowed: {line}"
        out = out.replace("\r", "").strip("\n")
        if line != HOST_CPU:    # numbers only, several per bench run
            log.write(f"hostctl: {line} -> {out}\n")
        f.write((out + "\n" if out else "") + ".\n")
        f.flush()


def iommu_missing(lines):
    """The IOMMU_MARKERS that no kernel line of a console shows."""
    seen = set()
    for line in lines:
        m = splat.KERNEL_LINE.match(line.rstrip("\n"))
        if m:
            seen.update(k for k in IOMMU_MARKERS if m.group(1).startswith(k))
    return [k for k in IOMMU_MARKERS if k not in seen]


def kmemleak_off(lines, done=False):
    """Why a console shows kmemleak not on, or None if it was on; for a
    guest that finished (done), also if its closing scan never ran."""
    on = scanned = False
    for line in lines:
        scanned = scanned or line.startswith(KMEMLEAK_SCANNED)
        m = splat.KERNEL_LINE.match(line.rstrip("\n"))
        if not m:
            continue
        if m.group(1).startswith(KMEMLEAK_DISABLED):
            return f'the console shows "{KMEMLEAK_DISABLED}"'
        on = on or m.group(1).startswith(KMEMLEAK_ON)
    if not on:
        return f'the console lacks "{KMEMLEAK_ON}"'
    if done and not scanned:
        return f'the guest finished without "{KMEMLEAK_SCANNED}"'
    return None


# a run's problems come in four kinds: how the guest ended ("guest ..."),
# an IOMMU that was asked for and is not on (IOMMU_OFF ...), a debug
# guest's kmemleak not on (KMEMLEAK_OFF ...), and splats (splat.py's
# "kind: line", anything else)
IOMMU_OFF = "IOMMU not on"
KMEMLEAK_OFF = "kmemleak not on"


def problem_kind(p):
    return ("guest" if p.startswith("guest") else
            "iommu" if p.startswith(IOMMU_OFF) else
            "kmemleak" if p.startswith(KMEMLEAK_OFF) else "splat")


def write_tap(path, done, problems, timeout, iommu=False, kmemleak=False):
    """The run's own verdict, summed with the guest tests' TAP; with
    IOMMU, a third result says the IOMMU oracle was on, and with KMEMLEAK
    one more says kmemleak was."""
    by_kind = {k: [p for p in problems if problem_kind(p) == k]
               for k in ("guest", "splat", "iommu", "kmemleak")}
    with open(path, "w") as f:
        f.write(f"TAP version 13\n1..{2 + iommu + kmemleak}\n")
        missing = by_kind["guest"]
        for p in missing:
            f.write(f"# {p}\n")
        f.write(f"{'ok' if done and not missing else 'not ok'} 1 guest ran "
                f"all its tests within {timeout} s\n")
        for p in by_kind["splat"]:
            f.write(f"# {p}\n")
        f.write(f"{'not ok' if by_kind['splat'] else 'ok'} 2 guest console "
                f"free of kernel splats\n")
        if iommu:
            for p in by_kind["iommu"]:
                f.write(f"# {p}\n")
            f.write(f"{'not ok' if by_kind['iommu'] else 'ok'} 3 guest ran "
                    f"behind the IOMMU in strict mode\n")
        if kmemleak:
            for p in by_kind["kmemleak"]:
                f.write(f"# {p}\n")
            f.write(f"{'not ok' if by_kind['kmemleak'] else 'ok'} "
                    f"{3 + iommu} guest ran with kmemleak on\n")


def run(args):
    rundir = os.path.abspath(args.results)
    shutil.rmtree(rundir, ignore_errors=True)
    os.makedirs(rundir)
    with open(os.path.join(rundir, "tests.txt"), "w") as f:
        for t in args.tests:
            f.write(os.path.abspath(t) + "\n")
    sockdir = os.path.join(rundir, ".sock")
    os.makedirs(sockdir)
    hostctl_sock = os.path.join(sockdir, "hostctl")
    qmp_sock = os.path.join(sockdir, "qmp")
    cmd = build_cmdline(args, rundir, hostctl_sock, qmp_sock)
    console_path = args.console or os.path.join(rundir, "console.log")
    with open(os.path.join(rundir, "qemu-cmdline.txt"), "w") as f:
        f.write(" ".join(cmd) + "\n")

    if args.mode == "shell":
        return subprocess.call(cmd)

    start = time.time()
    deadline = start + args.timeout
    console = open(console_path, "w")
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    monitor = Monitor(qmp_sock, proc, start + 30)
    threading.Thread(target=relay_hostctl, daemon=True,
                     args=(hostctl_sock, monitor, proc.pid, console,
                           start + 60)).start()

    timer = threading.Timer(args.timeout, proc.kill)
    timer.start()
    done = False
    for raw in proc.stdout:
        line = raw.decode("utf-8", "replace").replace("\r", "")
        console.write(line)
        console.flush()
        if args.verbose:
            sys.stdout.write(line)
        if DONE_MARKER in line:
            done = True
    proc.wait()
    timer.cancel()
    console.close()
    elapsed = time.time() - start

    problems = splat.scan_file(console_path)
    with open(console_path, errors="replace") as f:
        lines = f.readlines()
    iommu_off = iommu_missing(lines)
    if args.iommu and iommu_off:
        problems.append(f"{IOMMU_OFF}: the console lacks " +
                        "; ".join(f'"{k}"' for k in iommu_off))
    # kmemleak: the debug kernel has it and vm.py turns it on
    kmemleak = args.kernel in OWN_KERNELS
    kmemleak_why = kmemleak_off(lines, done)
    if kmemleak and kmemleak_why:
        problems.append(f"{KMEMLEAK_OFF}: {kmemleak_why}")
    for t in args.tests:
        if not os.path.exists(os.path.join(rundir, os.path.basename(t) + ".rc")):
            problems.append(f"guest never ran {t}")
    if not done:
        problems.append(f"guest did not finish within {args.timeout} s"
                        if time.time() >= deadline else
                        "guest stopped before finishing its tests (QEMU "
                        + (f"killed by signal {-proc.returncode})"
                           if proc.returncode < 0 else
                           f"exited {proc.returncode})"))
    # iommu: asked for on the command line, and on (the console shows
    # every IOMMU_MARKERS line); kmemleak likewise (KMEMLEAK_ON, never
    # KMEMLEAK_DISABLED)
    report = {"elapsed": round(elapsed, 1), "done": done,
              "iommu": {"requested": args.iommu, "on": not iommu_off},
              "kmemleak": {"requested": kmemleak, "on": not kmemleak_why},
              "problems": problems, "console": console_path}
    with open(os.path.join(rundir, "vm.json"), "w") as f:
        json.dump(report, f, indent=1)
    write_tap(os.path.join(rundir, "vm.tap"), done, problems, args.timeout,
              args.iommu, kmemleak)
    # for a log's tail: how the guest ended, whether the IOMMU or kmemleak
    # was off, its first splats, one line for the tests that never ran
    never = [p for p in problems if p.startswith("guest never ran")]
    ended = [p for p in problems
             if problem_kind(p) in ("guest", "iommu", "kmemleak")
             and p not in never]
    splats = [p for p in problems if problem_kind(p) == "splat"]
    for p in ended + splats[:3]:
        print(f"vm.py: {p}", file=sys.stderr)
    if len(splats) > 3:
        print(f"vm.py: ... and {len(splats) - 3} more splat lines",
              file=sys.stderr)
    if never:
        print(f"vm.py: {len(never)} test(s) never ran: " +
              " ".join(os.path.basename(p.split()[-1]) for p in never),
              file=sys.stderr)
    if problems:
        print(f"vm.py: console log: {console_path}", file=sys.stderr)
    # a test's own failures are counted from its TAP (vm.tap keeps to the
    # guest); the exit status says whether anything at all went wrong
    failed = []
    for t in args.tests:
        try:
            with open(os.path.join(rundir, os.path.basename(t) + ".rc")) as f:
                rc = int(f.read().strip() or -1)
        except (OSError, ValueError):
            continue
        if rc not in (0, 4):        # 4: kselftest's skip
            failed.append(f"{os.path.basename(t)} exited {rc}")
    for f in failed:
        print(f"vm.py: {f}", file=sys.stderr)
    print(f"vm.py: guest ran {elapsed:.0f} s, "
          f"{'clean' if not problems else 'FAILED'}"
          f"{f', {len(failed)} test(s) failed' if failed else ''}",
          file=sys.stderr)
    return 1 if problems or failed else 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--kernel", choices=("debug", "dma", "debian"),
                    default="debug",
                    help="debug: our KASAN+lockdep build; dma: the same with "
                         "DMA-API debugging, booted with swiotlb=force; "
                         "debian: Debian's 6.12 kernel (fast boot)")
    ap.add_argument("--mode", choices=("run", "shell"), default="run")
    ap.add_argument("--ports", type=int, default=2,
                    help="emulated 82599 ports (pairs share a hub)")
    ap.add_argument("--ixgbe", help="ixgbe.ko to insmod instead of the "
                                    "kernel's own module")
    ap.add_argument("--iommu", action=argparse.BooleanOptionalAction,
                    help="put the guest behind QEMU's intel-iommu in strict "
                         "mode, and fail the run if it is not on (default: "
                         "on for --kernel debug, off for dma and debian: "
                         "the IOMMU's DMA ops would not bounce)")
    ap.add_argument("--root", default="/",
                    help="the directory the guest gets as its read-only root "
                         "(default: the host's /; testbed/install-guest.sh "
                         "gives an overlay of it with packages installed)")
    ap.add_argument("--smp", type=int, default=2)
    ap.add_argument("--cpu", default="max,la57=off")
    ap.add_argument("--memory", default="2G")
    ap.add_argument("--timeout", type=int, default=900)
    ap.add_argument("--results", default=os.path.join(TOP, "build/vm"))
    ap.add_argument("--console", help="console log path "
                                      "(default RESULTS/console.log)")
    ap.add_argument("-v", "--verbose", action="store_true",
                    help="echo the console")
    ap.add_argument("--qemu-arg", action="append", default=[])
    ap.add_argument("tests", nargs="*", help="guest test programs to run")
    args = ap.parse_args()
    if args.iommu is None:
        args.iommu = args.kernel == "debug"
    sys.exit(run(args))


if __name__ == "__main__":
    main()
