#!/usr/bin/python3
"""Sum TAP results: `tap.py FILE...` prints one line per file and a closing
"N passed, N failed, N skipped" line, and exits 1 if anything failed.

With `--allow LIST`, a skip is a failure unless LIST names it: each line
of LIST is "FILE<tab>TEST<tab>REASON", FILE a glob on the TAP file's base
name without .tap, TEST the test's name as printed before "# SKIP" (a
glob), REASON the start of the reason printed after it; "#" starts a
comment.  A file that skipped as a whole (exit status 4, no results) is
never on the list: nothing says what was skipped.

A failed result is shown with the last WHY_LINES diagnostic ("# ...")
lines printed before it, since CI keeps only the end of the output and a
test's name alone does not say what it saw.

A file counts its top-level "ok"/"not ok" lines (a "# SKIP" directive is a
skip).  A file that ends short of its plan, or whose program's exit status
(FILE without .tap + .rc, written by the guest) is a failure with no
failing line to show for it, adds one failure: a test that crashed must
not pass by having printed nothing.
"""

import fnmatch
import os
import re
import sys

RESULT = re.compile(r"^(ok|not ok)\s+(\d+)\s*-?\s*(.*)$")
PLAN = re.compile(r"^1\.\.(\d+)")
SKIP = re.compile(r"^(.*?)\s*#\s*SKIP\b\s*(.*)$", re.I)
DIAG = re.compile(r"^#\s*(\S.*)$")
WHY_LINES = 2


def read_allow(path):
    """The (file glob, test glob, reason prefix) entries of an allowlist."""
    entries = []
    with open(path) as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            fields = line.split("\t")
            if len(fields) != 3 or not all(x.strip() for x in fields):
                raise SystemExit(f"{path}:{n}: want FILE<tab>TEST<tab>REASON")
            entries.append(tuple(x.strip() for x in fields))
    return entries


def allowed(allow, path, name, reason):
    base = os.path.basename(path)
    base = base[:-4] if base.endswith(".tap") else base
    return any(fnmatch.fnmatchcase(base, f) and fnmatch.fnmatchcase(name, t)
               and reason.startswith(r) for f, t, r in allow)


def parse(path, allow=None):
    """passed, failed, skipped, notes of one TAP file; with allow (a list
    from read_allow()), a skip it does not name is a failure."""
    passed, failed, skipped, notes, plan = 0, 0, 0, [], None
    why = []
    with open(path, errors="replace") as f:
        for line in f:
            line = line.rstrip("\n")
            m = DIAG.match(line)
            if m:
                why = (why + [m.group(1)])[-WHY_LINES:]
                continue
            m = PLAN.match(line)
            if m and plan is None:
                plan = int(m.group(1))
                continue
            m = RESULT.match(line)
            if not m:
                continue
            seen, why = why, []
            skip = SKIP.match(m.group(3))
            if skip and allow is not None and \
                    not allowed(allow, path, *skip.groups()):
                failed += 1
                notes.append(f"skip not on the allowlist: {m.group(3)}")
            elif skip:
                skipped += 1
            elif m.group(1) == "ok":
                passed += 1
            else:
                failed += 1
                notes.append(m.group(3))
                notes.extend(f"  # {w}" for w in seen)
    total = passed + failed + skipped
    if plan is not None and total != plan:
        failed += 1
        notes.append(f"planned {plan} results, got {total}")
    rc_path = path[:-4] + ".rc" if path.endswith(".tap") else None
    if rc_path and os.path.exists(rc_path):
        rc = int(open(rc_path).read().strip() or "1")
        if rc == 4 and total == 0 and allow is not None:
            failed += 1
            notes.append("skipped as a whole (exit status 4)")
        elif rc == 4 and total == 0:
            skipped += 1
        elif rc not in (0, 4) and failed == 0:
            failed += 1
            notes.append(f"exited with status {rc}")
    if total == 0 and failed == 0 and skipped == 0:
        failed += 1
        notes.append("no TAP results")
    return passed, failed, skipped, notes


def main(args):
    allow = None
    if args[:1] == ["--allow"]:
        allow, args = read_allow(args[1]), args[2:]
    paths = args
    tp = tf = ts = 0
    for path in paths:
        p, f, s, notes = parse(path, allow)
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
