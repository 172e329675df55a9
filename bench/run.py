#!/usr/bin/python3
"""The guest comparison of issue 9: boot the test-bed guest (Debian's 6.12
kernel, our ixgbe.ko, two emulated 82599 ports), run bench/guest/run.sh in
it, and turn its runs into build/bench/guest.{json,txt,png}.

One boot per mode (--modes):

  icount  QEMU counts guest instructions and derives the guest's clock from
          them (-icount shift=0: one instruction is one ns).  CPU time is
          then a deterministic count of the work done, untouched by what
          else the host runs, and every method pays for the same kind of
          work at the same price.  vCPUs take turns on one host thread, so
          the receiver and its queue's vector share one CPU (two busy vCPUs
          would each see the other's turns as their own time).
  wall    the test bed's usual multi-threaded TCG: guest time is host time,
          so CPU time includes the emulator's price for MMIO, interrupts
          and halts and whatever the host's other threads (the packet
          source among them) take from the vCPUs.  Receiver on CPU 0, its
          queue's vector on CPU 1.
  tcp     the TCP phase, on wall's clock (its two CPUs must run in
          parallel, as real cores do), with QEMU's insnprof plugin
          counting each vCPU's instructions: the stream's throughput,
          and its CPU's instructions per byte, which the host's noise
          hardly changes.

icount and wall offer every method the same fixed rate; icount
adds a second, higher rate (--sweep-rate) to show how the costs scale.

sat     on icount's clock, with the packet source paced (frames evenly
          spaced, as on a wire): each method's saturation rate, the
          highest it receives without losing a frame, and its CPU per
          packet there; then the round trip of stamped frames through an
          echo on port B (bifurc's udp-echo, a kernel UDP socket), which
          the model times from the stamp to the wire: p50/p99/p999.

tx      on icount's clock: each TX method (bifurc's tx_burst, AF_XDP
          zero-copy TX, sendmmsg, DPDK testpmd txonly) sends 60-byte
          frames from queue 1 of port B at a fixed rate and at
          saturation; port A's NIC counts the frames delivered, and the
          CPU per frame is all CPUs' busy time (instructions) over them.

A sixth boot, profile, repeats one icount run of bifurc and of AF_XDP at
the higher rate with QEMU's insnprof plugin (bench/prof/), and says in
which functions their instructions per frame go.
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CACHE = os.environ.get("BIFURC_CACHE") or os.path.join(
    os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "bifurc")
GUEST_SCRIPT = os.path.join(TOP, "bench/guest/run.sh")
RESULTS = os.path.join(TOP, "bench/results")
BENCH_RX = os.path.join(TOP, "build/bench/bench-rx")
BENCH_TX = os.path.join(TOP, "build/bench/bench-tx")
INSNPROF = os.path.join(TOP, "build/bench/insnprof.so")
sys.path.insert(0, os.path.join(TOP, "bench/prof"))
import report as prof_report  # noqa: E402
import tables  # noqa: E402
MODES = ("icount", "sat", "tx", "wall", "tcp", "profile", "txprof")
PROF_METHODS = "bifurc,bifurc-raw,afxdp"

# one instruction = 2^0 ns of guest time; an idle guest does not wait for
# the host's clock but jumps to its next timer (the packet source's tick
# among them), which keeps a run short without changing any count
ICOUNT = os.environ.get("BENCH_ICOUNT", "shift=0,sleep=off")

METHODS = ["bifurc", "bifurc-raw", "bifurc-busy", "recvmmsg", "afpacket",
           "afxdp"]
# icount only: tcpdump on a bypassed queue (issue 22), against "bifurc"
MIRROR_METHODS = ["bifurc-mirror", "bifurc-tap"]
ALL_METHODS = METHODS + MIRROR_METHODS
LABEL = {
    "bifurc": "bifurc (interrupt)",
    "bifurc-raw": "bifurc (raw desc)",
    "bifurc-busy": "bifurc (busy-poll)",
    "recvmmsg": "UDP recvmmsg x32",
    "afpacket": "AF_PACKET TPACKET_V3",
    "afxdp": "AF_XDP zero-copy",
    "afxdp-busy": "AF_XDP zc busy-poll",
    "recvmmsg-busy": "recvmmsg busy-poll",
    "bifurc-raw-busy": "bifurc (raw, busy)",
    "dpdk": "DPDK testpmd rxonly",
    "bifurc-mirror": "bifurc mirror, no tap",
    "bifurc-tap": "bifurc mirror+tcpdump",
}
SAT_METHODS = ["bifurc", "bifurc-busy", "bifurc-raw", "bifurc-raw-busy",
               "afxdp", "afxdp-busy", "recvmmsg", "recvmmsg-busy"]
LAT_METHODS = ["bifurc", "bifurc-busy", "kernel", "kernel-busy", "afxdp",
               "afxdp-busy"]
# run last in the boot: port B then belongs to DPDK
DPDK_METHODS = ["dpdk"]
LAT_LABEL = {
    "bifurc": "bifurc udp-echo (interrupt)",
    "bifurc-busy": "bifurc udp-echo (busy-poll)",
    "kernel": "kernel UDP echo",
    "kernel-busy": "kernel UDP echo (busy-poll)",
    "afxdp": "AF_XDP echo (zero-copy)",
    "afxdp-busy": "AF_XDP echo (busy-poll)",
    "dpdk": "DPDK testpmd macswap",
}
# the TX mode (issue 21): DPDK runs last, at saturation only (testpmd
# txonly cannot pace)
TX_METHODS = ["bifurc", "afxdp", "sendmmsg", "dpdk"]
TX_LABEL = {
    "bifurc": "bifurc tx_burst",
    "afxdp": "AF_XDP zero-copy TX",
    "sendmmsg": "UDP sendmmsg x32",
    "dpdk": "DPDK testpmd txonly",
}
# issue 21's TX targets: bifurc's instructions per frame at most this
# share of the other's, at the fixed rate and at saturation alike
TX_TARGETS = [("afxdp", 0.5), ("sendmmsg", 0.1)]
# issue 21's targets, as ratios of saturation rates (at saturation a CPU
# has no idle time, so the inverse ratio of instructions per packet):
# bifurc interrupt at least 2x AF_XDP's rate; raw busy-poll at most 0.5x
# AF_XDP busy-poll's instructions per packet, and within 1.25x of DPDK's
SAT_TARGETS = [("bifurc", "afxdp", 2.0), ("bifurc-raw-busy", "afxdp-busy", 2.0),
               ("bifurc-raw-busy", "dpdk", 0.8)]
# and of p99 round trips at the low rate: bifurc interrupt at most 0.5x
# the kernel UDP echo's, bifurc busy-poll within 1.2x of DPDK's
LAT_TARGETS = [("bifurc", "kernel", 0.5), ("bifurc-busy", "dpdk", 1.2)]
# the targets: bifurc's CPU per packet at most this share of ...
TARGETS = [("recvmmsg", 1 / 10), ("afpacket", 1 / 3), ("afxdp", 1 / 2)]
TCP_TARGET = 0.05     # the TCP stream loses at most 5 % while bifurc runs
# QEMU's threads by kind (testbed/vm.py's host-cpu): the main loop runs the
# device model and its packet source; cpuN is vCPU N.
HOST_KINDS = ("main", "cpu0", "cpu1", "other")


def log(start, msg):
    print(f"[{time.time() - start:6.0f}s] {msg}", flush=True)


def module_has_bifurc(path):
    """A patched ixgbe.ko built with CONFIG_IXGBE_BIFURC carries the
    bifurc functions; an unpatched one (or one built without the option)
    does not, and the bifurc methods could not run."""
    try:
        with open(path, "rb") as f:
            return b"ixgbe_bifurc_" in f.read()
    except OSError:
        return False


def mode_settings(args, mode):
    s = {"reps": args.reps, "secs": args.secs, "warm": args.warm}
    if args.rx_usecs is not None:
        s["rx_usecs"] = args.rx_usecs
    if mode == "profile":
        s.update(rates=str(args.sweep_rate or args.rate), reps=1,
                 methods=PROF_METHODS, app_cpu=1, irq_cpu=1, tcp=0, prof=1)
    elif mode == "icount":
        s.update(rates=f"{args.rate},{args.sweep_rate}" if args.sweep_rate
                 else str(args.rate), app_cpu=1, irq_cpu=1, tcp=0,
                 methods=",".join(METHODS + MIRROR_METHODS))
    elif mode == "sat":
        s.update(rates=str(args.rate), methods="", app_cpu=1, irq_cpu=1,
                 tcp=0, sat=1, lat=1, dpdk=1, rx_usecs=args.sat_rx_usecs,
                 sat_methods=args.sat_methods, lat_methods=args.lat_methods,
                 lat_rate=args.lat_rate)
        if args.lat_sat:
            s["lat_sat"] = args.lat_sat
    elif mode in ("tx", "txprof"):
        s.update(prof=int(mode == "txprof"),rates=str(args.rate), methods="", app_cpu=1, irq_cpu=1,
                 tcp=0, tx=1, tx_dpdk=int("dpdk" in args.tx_methods.split(",")),
                 rx_usecs=args.sat_rx_usecs,
                 tx_methods=",".join(m for m in args.tx_methods.split(",")
                                     if m != "dpdk"),
                 tx_rate=args.tx_rate, tx_secs=args.tx_secs,
                 tx_warm=args.tx_warm)
    elif mode == "tcp":
        s.update(rates=str(args.rate), methods="", app_cpu=0, irq_cpu=1,
                 tcp=1, tcp_insns=1, tcp_secs=args.tcp_secs,
                 full_rate=args.full_rate, tcp_cpu=0)
    else:
        s.update(rates=str(args.rate), app_cpu=0, irq_cpu=1, tcp=0)
    return s


def other_guests():
    """QEMU processes on the host besides ours: they take host CPU from
    the vCPUs and make the wall-clock figures worthless (icount's are not
    affected)."""
    n = 0
    for pid in os.listdir("/proc"):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                n += f.read().split(b"\0")[0].endswith(b"qemu-system-x86_64")
        except OSError:
            pass
    return n


def boot(args, mode, start):
    """One guest run; returns the results directory."""
    rundir = os.path.join(args.vm_results, mode)
    words = " ".join(f"{k}={v}" for k, v in mode_settings(args, mode).items())
    # QEMU's option syntax: a comma inside a value is written twice
    serial = "bifurc-bench:" + words.replace(",", ",,")
    cmd = [sys.executable, os.path.join(TOP, "testbed/vm.py"),
           "--kernel", "debian", "--ixgbe", args.ixgbe, "--ports", "2",
           "--results", rundir, "--timeout", str(args.timeout),
           "--qemu-arg=-smbios", f"--qemu-arg=type=1,serial={serial}"]
    if mode in ("icount", "sat", "tx", "profile", "txprof"):
        cmd += ["--qemu-arg=-icount", f"--qemu-arg={ICOUNT}"]
    if mode in ("profile", "txprof"):
        cmd += ["--qemu-arg=-plugin", f"--qemu-arg={INSNPROF},dir={rundir}"]
    if mode == "tcp":
        cmd += ["--qemu-arg=-plugin",
                f"--qemu-arg={INSNPROF},dir={rundir},count=vcpus"]
    cmd.append(GUEST_SCRIPT)
    log(start, f"{mode}: booting the guest ({words})")
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    out = []
    reader = threading.Thread(target=lambda: out.extend(proc.stdout),
                              daemon=True)
    reader.start()
    time.sleep(5)
    others = max(other_guests() - 1, 0)
    # vm.py recreates rundir first; follow the guest's progress log there
    logpath = os.path.join(rundir, "bench.log")
    seen = 0
    while proc.poll() is None:
        time.sleep(2)
        seen = follow(logpath, seen, start, mode)
        others = max(others, other_guests() - 1)
    reader.join()
    follow(logpath, seen, start, mode)
    for line in out:
        if line.strip():
            log(start, f"{mode}: {line.rstrip()}")
    if proc.returncode:
        sys.exit(f"bench: the {mode} guest run failed; see {rundir}/ "
                 "(console.log, run.sh.tap)")
    with open(os.path.join(rundir, "host.json"), "w") as f:
        json.dump({"other_guests": others, "ixgbe": args.ixgbe,
                   "lat_sat_from": mode == "sat" and args.lat_sat_from and
                   os.path.relpath(os.path.abspath(args.lat_sat_from), TOP)},
                  f)
    if others:
        log(start, f"{mode}: WARNING: {others} other QEMU guest(s) shared "
            "the host during this run")
    return rundir


def follow(path, seen, start, mode):
    try:
        with open(path) as f:
            lines = f.readlines()
    except OSError:
        return seen
    for line in lines[seen:]:
        if line.endswith("\n"):
            log(start, f"{mode}: {line.rstrip()[11:]}")
            seen += 1
    return seen


def load_runs(rundir):
    runs = []
    path = os.path.join(rundir, "bench.jsonl")
    if os.path.exists(path):
        with open(path) as f:
            runs = [json.loads(line) for line in f if line.strip()]
    return runs


def spread(values):
    """median, min, max and (max - min) / median of a list."""
    med = statistics.median(values)
    return {"median": med, "min": min(values), "max": max(values),
            "spread": (max(values) - min(values)) / med if med else 0.0,
            "n": len(values)}


def summarize_rate(runs):
    """Per (rate, method): medians and spreads of the fixed-rate runs."""
    groups = {}
    for r in runs:
        if r["phase"] == "rate" and r["rx"]:
            groups.setdefault((r["rate"], r["method"]), []).append(r)
    out = []
    for (rate, method), rs in sorted(groups.items(),
                                     key=lambda kv: (kv[0][0],
                                                     ALL_METHODS.index(kv[0][1]))):
        def per_pkt(key, rs=rs):
            return [x["rx"][key] / max(x["rx"]["pkts"], 1) for x in rs]
        ns = [x["rx"]["ns_per_pkt"] for x in rs]
        lost = [x["source"]["offered"] - x["rx"]["total_pkts"] for x in rs]
        offered = [x["source"]["offered"] for x in rs]
        pps = [x["rx"]["pkts"] / (x["rx"]["window_ns"] / 1e9) for x in rs]
        # where the time goes: the tick samples' shares of the busy time
        fields = ("user", "system", "softirq", "irq")
        tick = {f: sum(x["rx"]["cpu_ns"][f] for x in rs) for f in fields}
        tick_total = sum(tick.values()) or 1
        percpu = [statistics.median(x["rx"]["percpu_busy_ns"][c] /
                                    max(x["rx"]["pkts"], 1) for x in rs)
                  for c in range(len(rs[0]["rx"]["percpu_busy_ns"]))]
        out.append({
            "rate": rate, "method": method, "label": LABEL[method],
            "cpu_ns_per_pkt": spread(ns),
            "rx_pps": spread(pps),
            "lost": spread(lost),
            "lost_share_max": max(lo / of if of else 0
                                  for lo, of in zip(lost, offered)),
            "thread_ns_per_pkt": spread([x["rx"]["thread_ns_per_pkt"]
                                         for x in rs]),
            # frame-handling calls of the receive loop (None: recvmmsg,
            # whose call sleeps for its first datagram)
            "work_ns_per_pkt": (None if rs[0]["rx"].get("work_ns_per_pkt")
                                is None else statistics.median(
                                    x["rx"]["work_ns_per_pkt"] for x in rs)),
            "syscalls_per_pkt": statistics.median(per_pkt("syscalls")),
            "vector_irqs_per_pkt": statistics.median(
                [max(v, 0) for v in per_pkt("vec_irqs")]),
            "ctxt_per_pkt": statistics.median(per_pkt("ctxt")),
            "percpu_ns_per_pkt": percpu,
            "tick_share": {f: tick[f] / tick_total for f in fields},
            "reps": [x["rx"]["ns_per_pkt"] for x in rs],
        })
    return out


def summarize_sat(runs):
    """Per method: the saturation rate run.sh found, and what the probe at
    that rate cost (in icount, CPU ns are instructions)."""
    out = []
    for res in (r for r in runs if r["phase"] == "sat-result"):
        m, rate = res["method"], res["rate"]
        probe = [r for r in runs if r["phase"] == "sat" and
                 r["method"] == m and r["rate"] == rate and r["rx"]]
        row = {"method": m, "label": LABEL[m], "rate": rate,
               "lost_at": res["lost_at"] or None,
               "probes": sum(r["phase"] == "sat" and r["method"] == m
                             for r in runs)}
        if probe:
            rx = probe[-1]["rx"]
            pkts = max(rx["pkts"], 1)
            row.update(cpu_ns_per_pkt=rx["ns_per_pkt"],
                       syscalls_per_pkt=rx["syscalls"] / pkts,
                       vector_irqs_per_pkt=max(rx["vec_irqs"], 0) / pkts,
                       ctxt_per_pkt=rx["ctxt"] / pkts)
        out.append(row)
    order = SAT_METHODS + DPDK_METHODS
    return sorted(out, key=lambda r: order.index(r["method"]))


def summarize_lat(runs):
    """The latency runs as recorded, ordered by method then rate."""
    rows = [dict(r, label=LAT_LABEL[r["method"]],
                 lost=r["offered"] - r["echoed"])
            for r in runs if r["phase"] == "lat"]
    order = LAT_METHODS + DPDK_METHODS
    return sorted(rows, key=lambda r: (order.index(r["method"]), r["rate"]))


def given_sat_rates(report, searched):
    """From a kept report: the saturation rates of the methods this boot
    does not search (searched: its --sat-methods, and dpdk if it runs
    testpmd's search), as run.sh's lat_sat setting (METHOD:RATE,...)."""
    sat = report["modes"].get("sat", {}).get("sat", [])
    return ",".join(f"{r['method']}:{r['rate']}" for r in sat
                    if r["method"] not in searched and r["rate"] > 0)


def sat_lat_targets(sat, lat, lat_rate):
    """The issue's two targets these phases can judge; None if a side is
    missing."""
    out = []
    rate = {r["method"]: r["rate"] for r in sat}
    for a, b, want in SAT_TARGETS:
        if rate.get(a) and rate.get(b):
            x = rate[a] / rate[b]
            out.append({"what": f"saturation rate {LABEL[a]} / {LABEL[b]}",
                        "ratio": x, "target": f">= {want}",
                        "met": x >= want})
    p99 = {r["method"]: r["p99_ns"] for r in lat if r["rate"] == lat_rate}
    for a, b, want in LAT_TARGETS:
        if p99.get(a) and p99.get(b):
            x = p99[a] / p99[b]
            out.append({"what": f"p99 round trip at {lat_rate} pps "
                                f"{LAT_LABEL[a]} / {LAT_LABEL[b]}",
                        "ratio": x, "target": f"<= {want}",
                        "met": x <= want})
    return out


def summarize_tx(runs):
    """Per method and rate (0: saturation): what bench-tx measured.  Frames
    are those port A's NIC counted in the window; CPU ns (icount:
    instructions), interrupts (all of them, every CPU), system calls (of
    the sender's loop; None for testpmd, which counts none) and context
    switches (every CPU) per frame delivered."""
    rows = []
    for r in runs:
        if r["phase"] != "tx" or not r.get("tx"):
            continue
        t = r["tx"]
        pkts = t["delivered"]
        d = max(pkts, 1)
        rows.append({
            "method": r["method"], "label": TX_LABEL[r["method"]],
            "rate": r["rate"], "pps": pkts / (t["window_ns"] / 1e9),
            "sent": t["sent"], "delivered": pkts,
            "cpu_ns_per_pkt": t["busy_ns"] / d,
            "irqs_per_pkt": t["intr"] / d,
            "vector_irqs_per_pkt": (max(t["vec_irqs"], 0) / d
                                    if r["method"] != "dpdk" else None),
            "syscalls_per_pkt": (t["syscalls"] / d
                                 if r["method"] != "dpdk" else None),
            "ctxt_per_pkt": t["ctxt"] / d,
            # frames the sender queued in the whole run that port A never
            # counted (testpmd's own count covers more than bench-tx's run)
            "lost": (t["total_sent"] - t["total_delivered"]
                     if r["method"] != "dpdk" else None),
        })
    return sorted(rows, key=lambda x: (x["rate"] == 0,
                                       TX_METHODS.index(x["method"])))


def tx_targets(rows):
    """bifurc against AF_XDP and sendmmsg, instructions per frame, at each
    rate both ran; None-free list of verdicts."""
    out = []
    by = {(r["method"], r["rate"]): r["cpu_ns_per_pkt"] for r in rows
          if r["delivered"] > 0}
    for rate in sorted({r["rate"] for r in rows}, key=lambda x: (x == 0, x)):
        b = by.get(("bifurc", rate))
        for other, want in TX_TARGETS:
            o = by.get((other, rate))
            if b is None or not o:
                continue
            out.append({"rate": rate, "vs": other, "ratio": b / o,
                        "target": want, "met": b / o <= want,
                        "what": f"TX {'saturation' if rate == 0 else f'at {rate:,} pps'}: "
                                f"{TX_LABEL['bifurc']} / {TX_LABEL[other]} "
                                f"instructions per frame"})
    return out


def tcp_overlap(r):
    """The share of the receiver's window during which the TCP stream moved
    data: iperf's data phase is the last tcp_secs + 1 s (one omitted)
    before it returned; connecting may take longer (None: not recorded)."""
    rx = r["rx"]
    if not rx or "tcp_end_s" not in r or "window_start_s" not in rx:
        return None
    secs = len(r.get("tcp_mbps", [])) or 11
    ws, we = rx["window_start_s"], rx["window_start_s"] + rx["window_ns"] / 1e9
    ds, de = r["tcp_end_s"] - secs, r["tcp_end_s"]
    return max(0.0, min(de, we) - max(ds, ws)) / (we - ws)


def summarize_tcp(runs):
    groups = {}
    for r in runs:
        if not r["phase"].startswith("tcp"):
            continue
        if r["phase"] == "tcp-spin":
            name = "cpu-spin"
        elif r["method"] == "none":
            name = "alone" if r["rate"] == 0 else "source-dropped"
        else:
            name = r["method"]
        groups.setdefault(name, []).append(r)
    out = {}
    for name, rs in groups.items():
        # a stream that did not run next to the receiver says nothing
        # about the receiver's cost to it: such runs are left out
        ov = [tcp_overlap(r) for r in rs]
        entry = {"rate": rs[0]["rate"], "runs": len(rs),
                 "overlap": [None if o is None else round(o, 2) for o in ov]}
        rs = [r for r, o in zip(rs, ov) if o is None or o >= 0.9]
        out[name] = entry
        if not rs:
            continue
        entry["tcp_bps"] = spread([r.get("tcp_bps", 0) for r in rs])
        # the emulator's threads, in host cores busy over the stream's run
        # ("other" loses the time of helper threads that ended meanwhile)
        host = [r["host_s"] for r in rs if r.get("host_s", {}).get("wall")]
        if host:
            entry["host_cores"] = {
                k: statistics.median(max(h.get(k, 0), 0) / h["wall"]
                                     for h in host)
                for k in HOST_KINDS}
        # what interrupted the stream's CPU, per second of the stream
        work = [(r["tcp_cpu"], r["tcp_end_s"] - r["tcp_start_s"])
                for r in rs if "tcp_cpu" in r and r["tcp_end_s"] > r["tcp_start_s"]]
        if work:
            entry["tcp_cpu_per_s"] = {
                k: statistics.median(w[k] / secs for w, secs in work)
                for k in ("irqs", "flow_vec_irqs", "net_rx")}
        # the stream CPU's instructions per KiB IP received (tcp mode)
        ins = [t for t in (r.get("tcp_insns") for r in rs)
               if t and t["in_octets"] > 0 and
               len(t["cpu"]) > t.get("stream_cpu", 0)]
        if ins:
            entry["stream_insns_per_kib"] = spread(
                [t["cpu"][t.get("stream_cpu", 0)] * 1024 / t["in_octets"]
                 for t in ins])
        with_rx = [r for r in rs if r["rx"]]
        if with_rx:
            entry["rx_pps"] = spread([r["rx"]["pkts"] /
                                      (r["rx"]["window_ns"] / 1e9)
                                      for r in with_rx])
            entry["lost_share"] = spread([
                (r["source"]["offered"] - r["rx"]["total_pkts"]) /
                max(r["source"]["offered"], 1) for r in with_rx])
            entry["thread_ns_per_pkt"] = spread(
                [r["rx"]["thread_ns_per_pkt"] for r in with_rx])
    if "tcp_bps" in out.get("alone", {}):
        base = out["alone"]["tcp_bps"]["median"]
        for entry in out.values():
            if "tcp_bps" in entry:
                entry["loss"] = (1 - entry["tcp_bps"]["median"] / base
                                 if base else None)
    # with a CPU of fixed speed (a real core), a stream bound by its CPU
    # moves 1 / (instructions per byte): more instructions, less data
    if "stream_insns_per_kib" in out.get("alone", {}):
        base = out["alone"]["stream_insns_per_kib"]["median"]
        for entry in out.values():
            if "stream_insns_per_kib" in entry:
                entry["work_loss"] = 1 - base / entry[
                    "stream_insns_per_kib"]["median"]
    return out


def ratios(rows, rate):
    """bifurc's interrupt modes (comp ring, raw descriptors) against the
    target methods."""
    by = {r["method"]: r for r in rows if r["rate"] == rate}
    out = []
    for mine in ("bifurc", "bifurc-raw"):
        if mine not in by:
            continue
        b = by[mine]["cpu_ns_per_pkt"]["median"]
        for other, limit in TARGETS:
            if other in by:
                o = by[other]["cpu_ns_per_pkt"]["median"]
                out.append({"bifurc": mine, "vs": other,
                            "ratio": b / o if o else None, "target": limit,
                            "met": bool(o) and b / o <= limit})
    return out


def mirror_cost(rows, rate):
    """What tcpdump on a bypassed queue costs: bifurc (interrupt) with the
    queue's mirror on and no tap, and with tcpdump -w /dev/null, against
    the mirror off; CPU ns per packet (icount: instructions), medians."""
    by = {r["method"]: r["cpu_ns_per_pkt"]["median"]
          for r in rows if r["rate"] == rate}
    if "bifurc" not in by or not any(m in by for m in MIRROR_METHODS):
        return None
    off = by["bifurc"]
    out = {"off": off}
    for key, method in (("no_tap", "bifurc-mirror"), ("tap", "bifurc-tap")):
        if method in by:
            out[key] = by[method]
            out[key + "_extra"] = by[method] - off
            out[key + "_ratio"] = by[method] / off if off else None
    return out


# ---- the report ----------------------------------------------------------

def fmt_ns(v):
    return f"{v:,.0f}"


def text_report(report):
    L = []
    meta = report["meta"]
    L.append("bifurc guest comparison (issue 9)")
    L.append(f"guest: {meta['guest']}; module {meta['ixgbe']}; host: "
             f"{meta.get('host_cores', '?')} cores")
    L.append(f"source: the model's packet source, 60-byte frames (64 on the "
             f"wire with FCS), one UDP flow, steered to queue 1 of 2; "
             f"{meta['reps']} reps of {meta['secs']} s windows after "
             f"{meta['warm']} s warm-up")
    L.append("CPU ns/pkt: busy time of all CPUs (user, system, irq, softirq: "
             "everything not idle) in the window / frames received in it")
    for mode in report["modes"]:
        m = report["modes"][mode]
        L.append("")
        L.append(f"== mode {mode}: {m['about']}")
        if m.get("other_guests"):
            L.append(f"   WARNING: {m['other_guests']} other QEMU guest(s) "
                     "ran on the host during this mode's boot"
                     + ("; wall-clock figures are disturbed by them"
                        if mode == "wall" else
                        "; icount figures are instruction counts, unaffected"))
        for rate in m["rates"]:
            L.append("")
            L.append(f"rate {rate} pps offered to every method")
            L.append(f"  {'method':21} {'rx pps':>7} {'lost/run':>14}  "
                     f"{'CPU ns/pkt: median':>18} {'[min..max]':>17} "
                     f"{'spread':>6} | {'thread':>6} {'work':>5} "
                     f"{'outside':>7} | {'sys/pkt':>7} {'irq/pkt':>7} "
                     f"{'ctx/pkt':>7}")
            for r in m["rows"]:
                if r["rate"] != rate:
                    continue
                c = r["cpu_ns_per_pkt"]
                thr = r["thread_ns_per_pkt"]["median"]
                work = r["work_ns_per_pkt"]
                L.append(
                    f"  {r['label']:21} {r['rx_pps']['median']:7.0f} "
                    f"{r['lost']['median']:7.0f} ({r['lost_share_max']:4.1%})  "
                    f"{fmt_ns(c['median']):>18} "
                    f"{'[' + fmt_ns(c['min']) + '..' + fmt_ns(c['max']) + ']':>17} "
                    f"{c['spread']:6.1%} | {thr:6.0f} "
                    f"{'-' if work is None else f'{work:.0f}':>5} "
                    f"{max(c['median'] - thr, 0):7.0f} | "
                    f"{r['syscalls_per_pkt']:7.3f} "
                    f"{r['vector_irqs_per_pkt']:7.3f} {r['ctxt_per_pkt']:7.3f}")
            mc = m.get("mirror", {}).get(str(rate))
            if mc:
                line = f"  mirror (issue 22): off {fmt_ns(mc['off'])}"
                for key, what in (("no_tap", "on, no tap"),
                                  ("tap", "on, tcpdump -w /dev/null")):
                    if key in mc:
                        line += (f"; {what} {fmt_ns(mc[key])} "
                                 f"({mc[key + '_extra']:+,.0f}, "
                                 f"x{mc[key + '_ratio']:.2f})")
                L.append(line + " CPU ns/pkt")
            for x in m["ratios"].get(str(rate), []):
                L.append(f"  {LABEL[x.get('bifurc', 'bifurc')]} / "
                         f"{LABEL[x['vs']]}: "
                         f"{x['ratio']:.3f} (target <= {x['target']:.3f}): "
                         f"{'met' if x['met'] else 'MISSED'}")
        if m.get("sat"):
            L.append("")
            L.append("saturation: the highest paced rate received without "
                     "losing a frame (probes double from 50,000 pps, then "
                     "halve the interval to 1/8)")
            L.append(f"  {'method':21} {'zero-loss pps':>13} {'loss at':>10} "
                     f"{'probes':>6} | {'CPU ns/pkt':>10} {'sys/pkt':>7} "
                     f"{'irq/pkt':>7} {'ctx/pkt':>7}")
            for r in m["sat"]:
                cost = (f"{fmt_ns(r['cpu_ns_per_pkt']):>10} "
                        f"{r['syscalls_per_pkt']:7.3f} "
                        f"{r['vector_irqs_per_pkt']:7.3f} "
                        f"{r['ctxt_per_pkt']:7.3f}"
                        if "cpu_ns_per_pkt" in r else "")
                lost_at = ("-" if r["lost_at"] is None
                           else f"{r['lost_at']:,}")
                L.append(f"  {r['label']:21} {r['rate']:13,} {lost_at:>10} "
                         f"{r['probes']:6} | {cost}")
        if m.get("lat"):
            L.append("")
            L.append("round trip of stamped frames through an echo on port "
                     "B, timed by the model from the stamp to the wire (ns)")
            L.append(f"  {'echo':28} {'rate pps':>9} {'echoed':>8} "
                     f"{'lost':>6} {'p50':>8} {'p99':>8} {'p999':>8} "
                     f"{'max':>9}")
            L += ["  " + n for n in tables.lat_notes(m)]
            for r in m["lat"]:
                p = " ".join(f"{r[k]:{w},}" if r["echoed"] else f"{'-':>{w}}"
                             for k, w in (("p50_ns", 8), ("p99_ns", 8),
                                          ("p999_ns", 8), ("max_ns", 9)))
                L.append(f"  {r['label']:28} {r['rate']:9,} {r['echoed']:8} "
                         f"{r['lost']:6} {p}")
        if m.get("tx"):
            L.append("")
            L.append("TX: 60-byte frames (64 on the wire) from queue 1 of "
                     "port B, counted by port A's NIC; rate 0 = saturation "
                     "(as fast as the sender goes); per frame delivered")
            L.append(f"  {'method':21} {'rate':>8} {'pps delivered':>13} "
                     f"{'lost':>5} | {'CPU ns/pkt':>10} {'irq/pkt':>7} "
                     f"{'vec/pkt':>7} {'sys/pkt':>7} {'ctx/pkt':>7}")
            for r in m["tx"]:
                def opt(v):
                    return "-" if v is None else f"{v:.3f}"
                rate = "sat" if r["rate"] == 0 else f"{r['rate']:,}"
                L.append(f"  {r['label']:21} {rate:>8} "
                         f"{r['pps']:13,.0f} "
                         f"{'-' if r['lost'] is None else r['lost']:>5} | "
                         f"{fmt_ns(r['cpu_ns_per_pkt']):>10} "
                         f"{r['irqs_per_pkt']:7.3f} "
                         f"{opt(r['vector_irqs_per_pkt']):>7} "
                         f"{opt(r['syscalls_per_pkt']):>7} "
                         f"{r['ctxt_per_pkt']:7.3f}")
            for x in m.get("tx_targets", []):
                L.append(f"  {x['what']}: {x['ratio']:.3f} (target <= "
                         f"{x['target']}): {'met' if x['met'] else 'MISSED'}")
            L.append("  (lost = frames queued in the whole run that port A "
                     "did not count; irq/pkt = all interrupts, all CPUs; "
                     "vec/pkt = queue 1's vector; sys/pkt = system calls "
                     "of the sender's loop, testpmd's not counted; ctx/pkt "
                     "= context switches, all CPUs)")
        for x in m.get("sat_lat_targets", []):
            L.append(f"  {x['what']}: {x['ratio']:.3f} (target "
                     f"{x['target']}): {'met' if x['met'] else 'MISSED'}")
        if m.get("tcp"):
            L.append("")
            L.append(f"kernel TCP stream (iperf3 A -> B, RSS queue 0, CPU 0) "
                     f"next to a steered flow at {m['full_rate']} pps "
                     f"(receiver on CPU 1)")
            L.append(f"  {'configuration':38} {'TCP Mbit/s median [min..max]':>30} "
                     f"{'loss':>7} {'flow rx pps':>12} {'flow lost':>10}"
                     f"   host cores: {' '.join(f'{k:>5}' for k in HOST_KINDS)}"
                     f" {'sum':>5}")
            names = {"alone": "TCP alone",
                     "source-dropped": "source on, NIC drop action",
                     "cpu-spin": "busy loop on CPU 1, no flow",
                     "bifurc": "bifurc (interrupt) receiving",
                     "bifurc-busy": "bifurc (busy-poll) receiving",
                     "afxdp": "AF_XDP zero-copy receiving"}
            for key in ("alone", "source-dropped", "cpu-spin", "bifurc",
                        "bifurc-busy", "afxdp"):
                e = m["tcp"].get(key)
                if not e:
                    continue
                if "tcp_bps" not in e:
                    L.append(f"  {names[key]:38} the stream was not running "
                             f"during the receiver's window in any of "
                             f"{e['runs']} runs (overlap {e['overlap']})")
                    continue
                b = e["tcp_bps"]
                loss = e.get("loss")
                rx = (f"{e['rx_pps']['median']:12.0f} "
                      f"{e['lost_share']['median']:10.1%}"
                      if "rx_pps" in e else " " * 23)
                h = e.get("host_cores")
                if h:
                    rx += (" " * 15 + " ".join(f"{h[k]:5.2f}" for k in HOST_KINDS) +
                           f" {sum(h.values()):5.2f}")
                kept = sum(o is None or o >= 0.9 for o in e["overlap"])
                label = names[key] + (f" ({kept} of {e['runs']} runs)"
                                       if kept < e["runs"] else "")
                L.append(f"  {label:40} {b['median'] / 1e6:8.0f} "
                         f"[{b['min'] / 1e6:.0f}..{b['max'] / 1e6:.0f}]".ljust(71) +
                         f" {'' if loss is None else f'{loss:7.1%}'} {rx}")
            if any("tcp_cpu_per_s" in e for e in m["tcp"].values()):
                L.append(f"  what interrupted CPU 0 (the stream's), per second: "
                         f"{'interrupts':>10} {'flow vector':>12} {'NET_RX':>8}")
                for key in names:
                    w = m["tcp"].get(key, {}).get("tcp_cpu_per_s")
                    if w:
                        L.append(f"  {names[key]:50} {w['irqs']:10.0f} "
                                 f"{w['flow_vec_irqs']:12.0f} {w['net_rx']:8.0f}")
            if any("stream_insns_per_kib" in e for e in m["tcp"].values()):
                L.append(f"  the stream CPU's instructions per KiB received: "
                         f"{'median':>8} {'[min..max]':>15} {'spread':>6} "
                         f"{'loss on a real core':>20}")
                for key in names:
                    e = m["tcp"].get(key, {})
                    w = e.get("stream_insns_per_kib")
                    if w:
                        L.append(f"  {names[key]:48} {w['median']:8,.0f} "
                                 f"{'[' + fmt_ns(w['min']) + '..' + fmt_ns(w['max']) + ']':>15} "
                                 f"{w['spread']:6.1%} {e['work_loss']:20.1%}")
            t = m.get("tcp_target")
            if t:
                L.append(f"  TCP loss while bifurc (interrupt) runs: "
                         f"{t['loss']:.1%} (target <= {TCP_TARGET:.0%}): "
                         f"{'met' if t['met'] else 'MISSED'}; with the "
                         f"model's own share (source on, NIC drops) "
                         f"taken out: {t['loss_beyond_source']:.1%}")
            if t and t.get("work_loss") is not None:
                L.append(f"  the same from the stream CPU's instructions per "
                         f"byte: {t['work_loss']:.1%} (target <= "
                         f"{TCP_TARGET:.0%}): "
                         f"{'met' if t['work_met'] else 'MISSED'}")
    L.append("")
    L.append("columns: rx pps = frames received per second in the window; "
             "lost/run = frames offered in the whole run and not received "
             "(NIC no-buffer and socket drops), median and the worst run's "
             "share; spread = (max - min) / median; thread = the receiving "
             "thread's own run time per frame (schedstat), of which work = "
             "inside the receive calls that returned frames (ring handling "
             "or syscall, never sleeping); outside = CPU ns/pkt - thread "
             "(interrupts, NAPI/softirq, idle entry and exit on any CPU); "
             "sys/pkt = system calls of the receive loop; irq/pkt = "
             "interrupts of the queue's vector; ctx/pkt = context switches, "
             "all CPUs; host cores (TCP phase) = QEMU's host CPU time over "
             "the stream's run per wall second, by thread: main loop (device "
             "model and packet source), vCPU 0 (stream), vCPU 1 (receiver), "
             "other")
    if "profile" in report:
        L.append("")
        L.append("== mode profile: one icount run each, QEMU's insnprof plugin")
        L.append(prof_report.text(report["profile"]).rstrip("\n"))
    if "tx_profile" in report:
        L.append("")
        L.append("== mode txprof: one icount run of each TX method, QEMU's "
                 "insnprof plugin; per frame port A counted")
        L.append(prof_report.text(report["tx_profile"]).rstrip("\n"))
    return "\n".join(L) + "\n"


def run_gnuplot(script):
    res = subprocess.run(["gnuplot"], input=script, text=True,
                         capture_output=True)
    if res.returncode:
        print(f"bench: gnuplot failed: {res.stderr}", file=sys.stderr)
        return False
    return True


def gnuplot_chart(report, path):
    """Grouped bars: CPU ns/pkt per method, one bar per mode and rate, with
    min..max error bars; log scale (busy-poll spins a whole CPU)."""
    if not shutil.which("gnuplot"):
        print("bench: gnuplot not installed, no chart "
              "(bench/install-deps.sh)", file=sys.stderr)
        return False
    series = []
    for mode, m in report["modes"].items():
        for rate in m["rates"]:
            series.append((f"{mode}, {rate} pps", mode, rate))
    if not series:
        return False
    datpath = path[:-4] + ".dat"
    with open(datpath, "w") as f:
        f.write("# method " + " ".join(
            f'"{s[0]}" min max' for s in series) + "\n")
        for method in METHODS:
            cols = []
            for _, mode, rate in series:
                row = [r for r in report["modes"][mode]["rows"]
                       if r["method"] == method and r["rate"] == rate]
                if row:
                    c = row[0]["cpu_ns_per_pkt"]
                    cols += [c["median"], c["min"], c["max"]]
                else:
                    cols += ["NaN", "NaN", "NaN"]
            f.write(f'"{LABEL[method]}" ' +
                    " ".join(str(v) for v in cols) + "\n")
    plots = []
    for i, (title, _, _) in enumerate(series):
        c = 2 + 3 * i
        plots.append(f"'{datpath}' using {c}:{c + 1}:{c + 2}:xtic(1) "
                     f"title '{title}'")
    script = f"""
set terminal pngcairo size 1100,620 font ',10'
set output '{path}'
set title 'Guest CPU per received packet (emulated 82599, 64-byte UDP): median, min..max of {report["meta"]["reps"]} reps'
set ylabel 'CPU ns per packet, all CPUs (log scale)'
set logscale y
set yrange [100:*]
set grid ytics
set style data histogram
set style histogram errorbars gap 2 lw 1
set style fill solid 0.8 border -1
set boxwidth 0.9
set key top left
set xtics noenhanced
plot {', '.join(plots)}
"""
    return run_gnuplot(script)


def sat_lat_chart(report, path):
    """Two panels from the sat mode: each method's zero-loss rate, and the
    echoes' p50/p99/p999 round trips at the low rate (both log scale)."""
    m = report["modes"].get("sat")
    if not m or not shutil.which("gnuplot") or not (m["sat"] or m["lat"]):
        return False
    base = path[:-4]
    with open(base + "-rate.dat", "w") as f:
        for r in m["sat"]:
            f.write(f'"{r["label"]}" {r["rate"]}\n')
    low = min((r["rate"] for r in m["lat"]), default=0)
    with open(base + "-lat.dat", "w") as f:
        for r in m["lat"]:
            if r["rate"] == low:
                f.write(f'"{r["label"]}" {r["p50_ns"] / 1e3} '
                        f'{r["p99_ns"] / 1e3} {r["p999_ns"] / 1e3}\n')
    # a boot that searched no rate (--sat-methods "") has no rate panel
    panels = 2 if m["sat"] else 1
    rates = f"""
set title 'Saturation: highest paced rate received without loss (icount guest, 64-byte frames)'
set ylabel 'frames per second (log scale)'
plot '{base}-rate.dat' using 2:xtic(1) notitle""" if m["sat"] else ""
    script = f"""
set terminal pngcairo size 1100,{450 * panels} font ',10'
set output '{path}'
set multiplot layout {panels},1
set style data histogram
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set xtics noenhanced rotate by -20
set grid ytics
set logscale y{rates}
set title 'Round trip through an echo on port B at {low:,} pps, timed by the model'
set ylabel 'microseconds (log scale)'
plot '{base}-lat.dat' using 2:xtic(1) title 'p50', '' using 3 title 'p99', '' using 4 title 'p999'
unset multiplot
"""
    return run_gnuplot(script)


def tx_chart(report, path):
    """The tx mode: instructions per frame delivered per sender, at the
    fixed rate and at saturation (log scale)."""
    m = report["modes"].get("tx")
    if not m or not m.get("tx") or not shutil.which("gnuplot"):
        return False
    rates = sorted({r["rate"] for r in m["tx"]}, key=lambda x: (x == 0, x))
    dat = path[:-4] + ".dat"
    with open(dat, "w") as f:
        for method in TX_METHODS:
            by = {r["rate"]: r["cpu_ns_per_pkt"] for r in m["tx"]
                  if r["method"] == method}
            if by:
                f.write(f'"{TX_LABEL[method]}" ' + " ".join(
                    f"{by[r]:.1f}" if r in by else "NaN" for r in rates) +
                    "\n")
    titles = ["saturation" if r == 0 else f"{r:,} pps" for r in rates]
    plots = [f"'{dat}' using {i + 2}:xtic(1) title '{t}'" if i == 0 else
             f"'' using {i + 2} title '{t}'" for i, t in enumerate(titles)]
    script = f"""
set terminal pngcairo size 1000,520 font ',10'
set output '{path}'
set title 'Sending 64-byte frames (icount guest): CPU per frame port A counted'
set ylabel 'instructions (ns) per frame, all CPUs (log scale)'
set logscale y
set grid ytics
set style data histogram
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set xtics noenhanced
set key top right
plot {', '.join(plots)}
"""
    return run_gnuplot(script)


def build_report(args, rundirs):
    report = {"meta": {
        "issue": 9, "date": time.strftime("%Y-%m-%d %H:%M:%S"),
        "ixgbe": args.ixgbe, "reps": args.reps, "secs": args.secs,
        "warm": args.warm, "frame_bytes": 60, "queue": 1,
        "targets": {o: t for o, t in TARGETS}, "tcp_target": TCP_TARGET,
        "guest": "Debian 6.12 kernel, 2 vCPUs, QEMU TCG, emulated 82599",
        "host_cores": os.cpu_count(),
    }, "modes": {}}
    about = {
        "icount": "guest time = instructions executed (1 ns each); "
                  "receiver and queue vector both on CPU 1",
        "wall": "multi-threaded TCG, guest time = host time; receiver on "
                "CPU 0, queue vector on CPU 1",
        "tcp": "multi-threaded TCG with QEMU's insnprof plugin counting "
               "each vCPU's instructions",
        "sat": "icount, the packet source paced, the same static interrupt "
               "throttle for every method; receiver (or echo) and queue "
               "vector both on CPU 1",
        "tx": "icount, the same static interrupt throttle for every "
              "method; sender and queue vector both on CPU 1 (testpmd: its "
              "forwarding lcore); frames counted by port A's NIC",
    }
    for mode, rundir in rundirs.items():
        if mode in ("profile", "txprof"):
            report[{"profile": "profile",
                    "txprof": "tx_profile"}[mode]] = prof_report.load(rundir)
            continue
        runs = load_runs(rundir)
        rows = summarize_rate(runs)
        rates = sorted({r["rate"] for r in rows})
        m = {"about": about[mode], "results": rundir, "rates": rates,
             "rows": rows,
             "ratios": {str(rate): ratios(rows, rate) for rate in rates},
             "mirror": {str(rate): mc for rate in rates
                        if (mc := mirror_cost(rows, rate))}}
        sat, lat = summarize_sat(runs), summarize_lat(runs)
        if sat or lat:
            m.update(sat=sat, lat=lat, sat_lat_targets=sat_lat_targets(
                sat, lat, args.lat_rate),
                lat_steer_misses=[dict(r, label=LAT_LABEL[r["method"]])
                                  for r in runs if r["phase"] == "lat-miss"])
        tx = summarize_tx(runs)
        if tx:
            m.update(tx=tx, tx_targets=tx_targets(tx))
        tcp = summarize_tcp(runs)
        if tcp:
            m["tcp"] = tcp
            m["full_rate"] = args.full_rate
            if "bifurc" in tcp and tcp["bifurc"].get("loss") is not None:
                loss = tcp["bifurc"]["loss"]
                src = tcp.get("source-dropped", {}).get("tcp_bps", {})
                base = src.get("median")
                beyond = (1 - tcp["bifurc"]["tcp_bps"]["median"] / base
                          if base else None)
                m["tcp_target"] = {"loss": loss, "met": loss <= TCP_TARGET,
                                   "loss_beyond_source": beyond}
                work = tcp["bifurc"].get("work_loss")
                if work is not None:
                    m["tcp_target"].update(work_loss=work,
                                           work_met=work <= TCP_TARGET)
        try:
            with open(os.path.join(rundir, "bench.log")) as f:
                m["guest_log"] = f.readline().strip()[11:]
            with open(os.path.join(rundir, "host.json")) as f:
                host = json.load(f)
            m["other_guests"] = host["other_guests"]
            if host.get("lat_sat_from"):
                m["lat_sat_from"] = host["lat_sat_from"]
            # --report-only: the module the guest really loaded
            report["meta"]["ixgbe"] = host.get("ixgbe",
                                               report["meta"]["ixgbe"])
        except (OSError, ValueError, KeyError):
            pass
        report["modes"][mode] = m
    return report


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--ixgbe", default=os.path.join(
        CACHE, "linux/ixgbe-debian/ixgbe.ko"),
        help="ixgbe.ko for Debian's kernel, built with CONFIG_IXGBE_BIFURC")
    ap.add_argument("--modes", default=",".join(MODES))
    ap.add_argument("--rate", type=int, default=30000,
                    help="the fixed rate every method is offered (pps)")
    ap.add_argument("--sweep-rate", type=int, default=100000,
                    help="a second, higher rate in icount mode (0: none)")
    ap.add_argument("--sat-rx-usecs", type=int, default=50,
                    help="the sat mode's static interrupt throttle for "
                         "every method (ethtool -C rx-usecs; 1: ixgbe's "
                         "adaptive one, which bifurc's traffic does not "
                         "feed); 50 us is ixgbe's starting value")
    ap.add_argument("--sat-methods", default=",".join(SAT_METHODS),
                    help="the methods whose saturation rate the sat mode "
                         "searches (DPDK's runs last, on its own)")
    ap.add_argument("--lat-rate", type=int, default=10000,
                    help="the low fixed rate of the latency runs (pps)")
    ap.add_argument("--lat-methods", default=",".join(LAT_METHODS),
                    help="the sat mode's echoes (DPDK's macswap runs last, "
                         "on its own)")
    ap.add_argument("--lat-sat-from", metavar="JSON",
                    help="a kept report (bench/results/...): the saturation "
                         "rates of the methods --sat-methods leaves out, "
                         "DPDK's included, for the latency runs at half of "
                         "them; the report names the file")
    ap.add_argument("--tx-rate", type=int, default=100000,
                    help="the TX mode's fixed rate (pps); each method also "
                         "runs at saturation")
    ap.add_argument("--tx-secs", type=float, default=1,
                    help="the TX mode's measured window per run")
    ap.add_argument("--tx-warm", type=float, default=0.2,
                    help="the TX mode's sending before the window")
    ap.add_argument("--tx-methods", default=",".join(TX_METHODS),
                    help="the TX mode's senders (dpdk runs last)")
    ap.add_argument("--full-rate", type=int, default=100000,
                    help="the steered flow's rate next to the TCP stream")
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--rx-usecs", type=int,
                    help="a static interrupt throttle on the receiving port "
                         "(ethtool -C rx-usecs) for every method; default: "
                         "ixgbe's adaptive one")
    ap.add_argument("--secs", type=float, default=2)
    ap.add_argument("--warm", type=float, default=0.5)
    ap.add_argument("--tcp-secs", type=int, default=10,
                    help="TCP stream length; 3 s left a +-25 %% spread")
    ap.add_argument("--timeout", type=int, default=1500,
                    help="per guest boot, seconds")
    ap.add_argument("--vm-results", default=os.path.join(TOP, "build/bench-vm"))
    ap.add_argument("--out", default=os.path.join(TOP, "build/bench"))
    ap.add_argument("--report-only", action="store_true",
                    help="rebuild the report from the last guest runs")
    args = ap.parse_args()
    args.ixgbe = os.path.abspath(args.ixgbe)
    args.lat_sat = None
    if args.lat_sat_from:
        with open(args.lat_sat_from) as f:
            args.lat_sat = given_sat_rates(
                json.load(f), set(args.sat_methods.split(",")))
    modes = [m for m in args.modes.split(",") if m]
    if any(m not in MODES for m in modes) or args.reps < 1:
        sys.exit(f"bench: --modes takes {', '.join(MODES)}; --reps >= 1")
    start = time.time()
    rundirs = {m: os.path.join(args.vm_results, m) for m in modes}
    if not args.report_only:
        if not module_has_bifurc(args.ixgbe):
            sys.exit(f"bench: {args.ixgbe} has no bifurc (not built with "
                     "CONFIG_IXGBE_BIFURC=y from the patched tree); give "
                     "one with --ixgbe (make bench BENCH_IXGBE=...)")
        plugin = any(m in ("tcp", "profile", "txprof") for m in modes)
        for path in ([BENCH_RX] + ([BENCH_TX] if {"tx", "txprof"} & set(modes)
                                   else []) +
                     ([INSNPROF] if plugin else [])):
            if not os.access(path, os.R_OK):
                sys.exit(f"bench: {path} missing (make -C bench)")
        for mode in modes:
            boot(args, mode, start)
    report = build_report(args, rundirs)
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "guest.json"), "w") as f:
        json.dump(report, f, indent=1)
    text = text_report(report)
    with open(os.path.join(args.out, "guest.txt"), "w") as f:
        f.write(text)
    if not args.report_only:
        # kept in the tree: the README's tables come from such a file
        # (bench/tables.py); commit it with them
        os.makedirs(RESULTS, exist_ok=True)
        keep = os.path.join(RESULTS, time.strftime("guest-%Y%m%d-%H%M-") +
                            "-".join(modes) + ".json")
        shutil.copyfile(os.path.join(args.out, "guest.json"), keep)
        log(start, f"bench: kept {keep}")
    print(text, end="")
    chart = os.path.join(args.out, "guest.png")
    if gnuplot_chart(report, chart):
        print(f"bench: {chart}")
    chart = os.path.join(args.out, "guest-sat.png")
    if sat_lat_chart(report, chart):
        print(f"bench: {chart}")
    chart = os.path.join(args.out, "guest-tx.png")
    if tx_chart(report, chart):
        print(f"bench: {chart}")
    log(start, f"bench: {os.path.join(args.out, 'guest.json')}, guest.txt")
    incomplete = [f"{mode} {rate} {r['method']}: {r['cpu_ns_per_pkt']['n']} "
                  f"of {args.reps} runs"
                  for mode, m in report["modes"].items()
                  for rate in m["rates"] for r in m["rows"]
                  if r["rate"] == rate and r["cpu_ns_per_pkt"]["n"] < args.reps]
    if incomplete:
        sys.exit("bench: runs missing: " + "; ".join(incomplete))


if __name__ == "__main__":
    main()
