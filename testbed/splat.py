#!/usr/bin/python3
"""Find kernel splats in a guest console log.

Only kernel lines (those carrying a printk timestamp) are matched, so a test
that prints the word "WARNING" cannot fail the run by accident; kmemleak's
report, which the guest prints itself at the end, is matched on its own
marker.
"""

import re

KERNEL_LINE = re.compile(r"^\s*(?:<\d+>)?\[\s*\d+\.\d+\]\s?(.*)$")

# (name, pattern): every one of these in a kernel line fails a run.
SPLATS = [
    ("BUG", re.compile(r"\bBUG:")),
    ("WARNING", re.compile(r"\bWARNING:")),
    ("KASAN", re.compile(r"\bKASAN:")),
    ("UBSAN", re.compile(r"\bUBSAN:")),
    ("lockdep", re.compile(r"possible (?:circular|recursive) locking"
                           r"|inconsistent lock state"
                           r"|suspicious RCU usage"
                           r"|DEBUG_LOCKS_WARN_ON")),
    ("RCU stall", re.compile(r"rcu.*detected stall|RCU stall", re.I)),
    ("hung task", re.compile(r"INFO: task .* blocked for more than")),
    ("Oops", re.compile(r"\bOops\b|general protection fault")),
    ("panic", re.compile(r"Kernel panic")),
    ("call trace", re.compile(r"^\s*Call Trace:")),
    ("kmemleak", re.compile(r"kmemleak: \d+ new suspected memory leak")),
    # hard lockups, where the guest has a detector for them (soft lockups
    # are "watchdog: BUG: soft lockup", a BUG above)
    ("lockup", re.compile(r"Watchdog detected hard LOCKUP")),
    # drivers/iommu/intel/dmar.c: a fault record ("[DMA Read NO_PASID]",
    # "[DMA Write PASID 0x1]", "[INTR-REMAP]"), the fault interrupt's own
    # line, an invalidation queue error, and fault reporting failing to
    # start (no fault would be seen)
    ("DMAR fault", re.compile(r"DMAR: \[(?:DMA (?:Read|Write)|INTR-REMAP)\b"
                              r"|DMAR: DRHD: handling fault status"
                              r"|DMAR: VT-d detected Invalidation"
                              r"|DMAR: DRHD [0-9a-f]+: failed to enable "
                              r"fault")),
    # kernel/dma/debug.c: err_printk() names driver and device before its
    # report ("DMA-API: ixgbe 0000:01:00.0: device driver frees ...");
    # DMA-API debugging switching itself off is one too.  Not its
    # "preallocated N debug entries" at boot and other notes.
    ("DMA-API", re.compile(r"DMA-API: (?:\S* \S+: |.*(?:out of memory"
                           r"|dma-debug disabled|overlapping mappings))")),
]

GUEST_KMEMLEAK = re.compile(r"bifurc-guest: kmemleak: unreferenced object")


def classify(line):
    """The kind of splat LINE reports, with its text, or None."""
    line = line.rstrip("\n")
    if GUEST_KMEMLEAK.search(line):
        return f"kmemleak: {line.strip()}"
    m = KERNEL_LINE.match(line)
    if not m:
        return None
    for name, pattern in SPLATS:
        if pattern.search(m.group(1)):
            return f"{name}: {m.group(1).strip()}"
    return None


def scan_lines(lines):
    """Return one "kind: line" string per splat found, in log order."""
    return [s for s in map(classify, lines) if s]


def excerpt(lines, before=3, after=15):
    """The lines around the first splat, or the log's tail when there is
    none (a guest that stopped early shows why in its last lines)."""
    lines = [line.rstrip("\n") for line in lines]
    first = next((i for i, line in enumerate(lines) if classify(line)), None)
    if first is None:
        return lines[-after:]
    return lines[max(0, first - before):first + after]


def scan_file(path):
    with open(path, errors="replace") as f:
        return scan_lines(f)


if __name__ == "__main__":
    # splat.py CONSOLE...: what a failed run's console shows, for a CI log
    import sys
    for path in sys.argv[1:]:
        print(f"--- {path}")
        with open(path, errors="replace") as f:
            print("\n".join(excerpt(f)))
