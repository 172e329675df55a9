#!/usr/bin/python3
"""Where a receive method's instructions go: the profile mode of `make
bench` (bench/run.py --modes profile).

The QEMU plugin insnprof.c wrote RESULTS/prof-N.txt at the N-th mark,
bench-rx marks both ends of its window, and run.sh recorded after each run
how many marks there were, the receiver's memory map and the guest's
kallsyms.  The difference of a run's two snapshots, mapped to symbols and
divided by the frames received in the window, is instructions per frame
by function: under -icount shift=0, ns of guest CPU time per frame.

    report.py RESULTS     the table, from a profile run's results
"""

import bisect
import json
import os
import subprocess
import sys

KERNEL_BASE = 0xffff800000000000


def load_snapshot(path):
    """{(vaddr, insns): executions} of one snapshot"""
    snap = {}
    with open(path) as f:
        for line in f:
            vaddr, insns, execs = line.split()
            snap[(int(vaddr, 16), int(insns))] = int(execs)
    return snap


class Symbols:
    """Address to name: a sorted table of (start, name) lookups."""

    def __init__(self):
        self.starts, self.names = [], []

    def add(self, start, name):
        self.starts.append(start)
        self.names.append(name)

    def done(self):
        order = sorted(range(len(self.starts)), key=self.starts.__getitem__)
        self.starts = [self.starts[i] for i in order]
        self.names = [self.names[i] for i in order]

    def lookup(self, addr):
        i = bisect.bisect_right(self.starts, addr) - 1
        return self.names[i] if i >= 0 else None


def kernel_symbols(results):
    syms = Symbols()
    for name in ("kallsyms.txt", "kallsyms-bpf.txt"):
        try:
            with open(os.path.join(results, name)) as f:
                for line in f:
                    parts = line.split()
                    if len(parts) < 3 or parts[1] not in "tTwW":
                        continue
                    mod = parts[3] if len(parts) > 3 else ""
                    syms.add(int(parts[0], 16), parts[2] + (" " + mod if mod else ""))
        except OSError:
            pass
    syms.done()
    return syms


def elf_symbols(path, dynamic):
    """(value, name) of the defined functions of an ELF file, from nm."""
    cmd = ["nm", "--defined-only"] + (["-D"] if dynamic else []) + [path]
    res = subprocess.run(cmd, capture_output=True, text=True)
    out = []
    for line in res.stdout.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[1] in "tTwWi":
            out.append((int(parts[0], 16), parts[2]))
    return out


def run_symbols(results, path):
    """The symbols bench/guest/run.sh took of PATH when it ran, if it took
    any: the binary may have been rebuilt since."""
    try:
        with open(os.path.join(results, f"nm-{os.path.basename(path)}.txt")) as f:
            lines = f.read().splitlines()
    except OSError:
        return None
    return [(int(p[0], 16), p[2]) for p in map(str.split, lines)
            if len(p) == 3 and p[1] in "tTwWi"]


def user_symbols(results, maps_name):
    """Symbols of the receiver's executable mappings, at run-time addresses.
    A file's symbol value v sits at start + v - offset of the mapping that
    holds file offset v (true of the text segments nm's values point in)."""
    syms = Symbols()
    try:
        with open(os.path.join(results, maps_name)) as f:
            maps = [line.split() for line in f]
    except OSError:
        return syms
    cache = {}
    for m in maps:
        if len(m) < 6 or "x" not in m[1] or not m[5].startswith("/"):
            continue
        start, end = (int(x, 16) for x in m[0].split("-"))
        off, path = int(m[2], 16), m[5]
        base = os.path.basename(path)
        syms.add(start, f"{base}+?")
        if path not in cache:
            cache[path] = (run_symbols(results, path) or
                           elf_symbols(path, False) or
                           elf_symbols(path, True))
        for value, name in cache[path]:
            if off <= value < off + (end - start):
                syms.add(start + value - off, f"{name} ({base})")
        syms.add(end, "[user, other process]")
    syms.done()
    return syms


def profile_run(results, run, first, last):
    """Instructions per frame by symbol between snapshots FIRST and LAST."""
    a = load_snapshot(os.path.join(results, f"prof-{first}.txt"))
    b = load_snapshot(os.path.join(results, f"prof-{last}.txt"))
    ksyms = kernel_symbols(results)
    usyms = user_symbols(results, run["prof"].get("maps", ""))
    per = {}
    for key, execs in b.items():
        n = (execs - a.get(key, 0)) * key[1]
        if n <= 0:
            continue
        vaddr = key[0]
        if vaddr >= KERNEL_BASE:
            name = ksyms.lookup(vaddr) or "[kernel, no symbol]"
        else:
            name = usyms.lookup(vaddr) or "[user, other process]"
        per[name] = per.get(name, 0) + n
    # a receiver's frames in the window, or a sender's (bench-tx: those
    # the other port counted)
    res = run.get("rx") or run["tx"]
    pkts = res["pkts"] if "pkts" in res else res["delivered"]
    return {"pkts": pkts, "ns_per_pkt": res["ns_per_pkt"],
            "insns_per_pkt": sum(per.values()) / pkts,
            "by_symbol": {k: v / pkts for k, v in
                          sorted(per.items(), key=lambda kv: -kv[1])}}


def load(results):
    """{method: profile} of every run that has its two marks."""
    out = {}
    with open(os.path.join(results, "bench.jsonl")) as f:
        runs = [json.loads(line) for line in f if line.strip()]
    marks = 0
    for run in runs:
        prof = run.get("prof")
        if not prof or (run.get("rx") or run.get("tx")) in (None, {}):
            continue
        if prof["marks"] == marks + 2:
            name = run["method"]
            if run.get("phase") == "tx":
                name += " sat" if run["rate"] == 0 else f" {run['rate']}"
            elif run.get("phase", "rate") != "rate":
                name += f" ({run['phase']})"
            out[name] = profile_run(results, run, marks + 1, marks + 2)
        marks = prof["marks"]
    return out


def area(name):
    """The part of the system a symbol belongs to."""
    if name.startswith("bpf_prog_"):
        return "XDP program"
    if name.endswith("[ixgbe]"):
        return "ixgbe.ko"
    if name.startswith("["):
        return name
    if "(" in name or name.endswith("+?"):
        return "application (user space)"
    return "kernel"


def text(profiles, top=30):
    methods = list(profiles)
    if not methods:
        return "profile: no run with both marks\n"
    L = ["Instructions per frame by function (icount: 1 instruction = 1 ns), "
         "in the measured window of one run at the same rate",
         ""]
    # a column as wide as its name ("sendmmsg 100000"), at least 12
    w = max([12] + [len(m) + 2 for m in methods])
    head = f"{'':44}" + "".join(f"{m:>{w}}" for m in methods)
    L.append(head)
    L.append(f"{'bench ns/pkt (all CPUs busy)':44}" +
             "".join(f"{profiles[m]['ns_per_pkt']:>{w}.0f}" for m in methods))
    L.append(f"{'profiled instructions/pkt':44}" +
             "".join(f"{profiles[m]['insns_per_pkt']:>{w}.0f}" for m in methods))
    areas = {}
    for m in methods:
        for name, v in profiles[m]["by_symbol"].items():
            areas.setdefault(area(name), {}).setdefault(m, 0)
            areas[area(name)][m] += v
    L.append("")
    for a, vals in sorted(areas.items(), key=lambda kv: -sum(kv[1].values())):
        L.append(f"  {a:42}" + "".join(f"{vals.get(m, 0):>{w}.1f}" for m in methods))
    L.append("")
    names = {}
    for m in methods:
        for name, v in profiles[m]["by_symbol"].items():
            names[name] = max(names.get(name, 0), v)
    for name in sorted(names, key=lambda n: -names[n])[:top]:
        L.append(f"  {name[:42]:42}" + "".join(
            f"{profiles[m]['by_symbol'].get(name, 0):>{w}.1f}" for m in methods))
    return "\n".join(L) + "\n"


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__.strip().splitlines()[-1].strip())
    sys.stdout.write(text(load(sys.argv[1])))
