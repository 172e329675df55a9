#!/usr/bin/python3
"""Sum TAP results: `tap.py FILE...` prints one line per file and a closing
"N passed, N failed, N skipped" line, and exits 1 if anything failed.

A file counts its top-level "ok"/"not ok" lines (a "# SKIP" directive is a
skip).  A file that ends short of its plan, or whose program's exit status
(FILE without .tap + .rc, written by the guest) is a failure with no
failing line to show for it, adds one failure: a test that crashed must
not pass by having printed nothing.
"""

import os
import re
import sys

RESULT = re.compile(r"^(ok|not ok)\s+(\d+)\s*-?\s*(.*)$")
PLAN = re.compile(r"^1\.\.(\d+)")


def parse(path):
    passed, failed, skipped, notes, plan = 0, 0, 0, [], None
    with open(path, errors="replace") as f:
        for line in f:
            line = line.rstrip("\n")
            m = PLAN.match(line)
            if m and plan is None:
                plan = int(m.group(1))
                continue
            m = RESULT.match(line)
            if not m:
                continue
            if re.search(r"#\s*SKIP", m.group(3), re.I):
                skipped += 1
            elif m.group(1) == "ok":
                passed += 1
            else:
                failed += 1
                notes.append(m.group(3))
    total = passed + failed + skipped
    if plan is not None and total != plan:
        failed += 1
        notes.append(f"planned {plan} results, got {total}")
    rc_path = path[:-4] + ".rc" if path.endswith(".tap") else None
    if rc_path and os.path.exists(rc_path):
        rc = int(open(rc_path).read().strip() or "1")
        if rc == 4 and total == 0:
            skipped += 1
        elif rc not in (0, 4) and failed == 0:
            failed += 1
            notes.append(f"exited with status {rc}")
    if total == 0 and failed == 0 and skipped == 0:
        failed += 1
        notes.append("no TAP results")
    return passed, failed, skipped, notes


def main(paths):
    tp = tf = ts = 0
    for path in paths:
        p, f, s, notes = parse(path)
        tp, tf, ts = tp + p, tf + f, ts + s
        name = os.path.relpath(path)
        print(f"{'FAIL' if f else 'ok  '} {name}: {p} passed, {f} failed, "
              f"{s} skipped")
        for n in notes:
            print(f"       {n}")
    print(f"{tp} passed, {tf} failed, {ts} skipped")
    return 1 if tf or not paths else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
