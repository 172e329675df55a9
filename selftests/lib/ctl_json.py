#!/usr/bin/python3
"""ctl_json.py dev JSON IFNAME ETHTOOL_S [KEY=VALUE]...
   ctl_json.py stats JSON IFNAME ETHTOOL_S [KEY=VALUE]...
   ctl_json.py rules JSON [KEY=VALUE]...

Checks bifurcctl's JSON (a file holding its standard output) against the
kernel's own figures, for the guest test bifurcctl.sh.  ETHTOOL_S is a
file holding "ethtool -S IFNAME".

dev    the output of "bifurcctl -j dev [IFNAME]": IFNAME appears exactly
       once, its "reserved" list is the set of queues that have
       bifurc_q<N>_* counters in ETHTOOL_S, and every KEY=VALUE holds
       (lists are written 1,3 and empty as "", booleans true/false).
stats  the output of "bifurcctl -j stats IFNAME [queue N]": "ifname" is
       IFNAME, and the queues and counters are exactly the bifurc_q<N>_*
       counters of ETHTOOL_S, value for value (with "queue=N": only queue
       N's); KEY=VALUE as q<N>.<counter>=<value>.
rules  the output of "bifurcctl -j steer list IF": "count=<n>" rules,
       a "table_size" above "table_size_above=<n>", and for "loc=<L>"
       that rule's fields KEY=VALUE.

Several checks may follow one another, separated by "--": one Python
start instead of several (each costs the debug guest a second).  Prints
what it compared; exits 0 only if everything matched.
"""

import json
import re
import sys


def fmt(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, list):
        return ",".join(fmt(x) for x in v)
    if v is None:
        return "null"
    return str(v)


def ethtool_stats(path):
    """{name: value} of an ethtool -S listing."""
    out = {}
    with open(path) as f:
        for line in f:
            m = re.match(r"\s*([^:\s]+):\s*(\d+)\s*$", line)
            if m:
                out[m.group(1)] = int(m.group(2))
    return out


def bifurc_counters(stats, only=None):
    """{(queue, counter): value} of the bifurc_q<N>_<counter> entries."""
    out = {}
    for name, value in stats.items():
        m = re.match(r"bifurc_q(\d+)_(.+)$", name)
        if m and (only is None or int(m.group(1)) == only):
            out[(int(m.group(1)), m.group(2))] = value
    return out


def compare(obj, pairs, problems, prefix=""):
    for kv in pairs:
        key, want = kv.split("=", 1)
        if key not in obj:
            problems.append(f"{prefix}{key}: missing")
        elif fmt(obj[key]) != want:
            problems.append(f"{prefix}{key}: {fmt(obj[key])}, expected {want}")


def check_dev(doc, ifname, stats, pairs):
    problems = []
    if not isinstance(doc, list):
        return ["dev -j is not a JSON array"]
    mine = [d for d in doc if d.get("ifname") == ifname]
    if len(mine) != 1:
        return [f"{ifname} appears {len(mine)} times in {len(doc)} entries"]
    d = mine[0]
    from_ethtool = sorted({q for q, _ in bifurc_counters(stats)})
    if d.get("reserved") != from_ethtool:
        problems.append(f"reserved {d.get('reserved')}, ethtool -S has "
                        f"bifurc counters of queues {from_ethtool}")
    compare(d, pairs, problems)
    print(f"{ifname}: " + " ".join(f"{k}={fmt(v)}" for k, v in d.items()))
    return problems


def check_stats(doc, ifname, stats, pairs):
    problems = []
    only = None
    rest = []
    for kv in pairs:
        if kv.startswith("queue="):
            only = int(kv.split("=", 1)[1])
        else:
            rest.append(kv)
    if not isinstance(doc, dict) or doc.get("ifname") != ifname:
        return [f"stats -j is not an object for {ifname}"]
    got = {}
    for q in doc.get("queues", []):
        for name, value in q.get("counters", {}).items():
            if (q["queue"], name) in got:
                problems.append(f"queue {q['queue']} {name} twice")
            got[(q["queue"], name)] = value
    want = bifurc_counters(stats, only)
    if not want:
        problems.append("ethtool -S has no bifurc counters to compare")
    for key in sorted(set(got) | set(want)):
        if got.get(key) != want.get(key):
            problems.append(f"queue {key[0]} {key[1]}: bifurcctl "
                            f"{got.get(key)}, ethtool -S {want.get(key)}")
    for kv in rest:
        key, value = kv.split("=", 1)
        q, counter = key.split(".", 1)
        have = got.get((int(q.lstrip("q")), counter))
        if fmt(have) != value:
            problems.append(f"{key}: {fmt(have)}, expected {value}")
    print(f"{len(got)} counters: " + " ".join(
        f"q{q}.{c}={v}" for (q, c), v in sorted(got.items())))
    return problems


def check_rules(doc, pairs):
    problems = []
    rules = doc.get("rules") if isinstance(doc, dict) else None
    if not isinstance(rules, list):
        return ["steer list -j has no rules array"]
    loc = None
    fields = []
    for kv in pairs:
        key, value = kv.split("=", 1)
        if key == "count":
            if len(rules) != int(value):
                problems.append(f"{len(rules)} rules, expected {value}")
        elif key == "table_size_above":
            if not doc.get("table_size", 0) > int(value):
                problems.append(f"table_size {doc.get('table_size')}, "
                                f"expected more than {value}")
        elif key == "loc":
            loc = int(value)
        else:
            fields.append(kv)
    if loc is not None:
        mine = [r for r in rules if r.get("loc") == loc]
        if len(mine) != 1:
            problems.append(f"rule {loc} appears {len(mine)} times")
        else:
            compare(mine[0], fields, problems, f"rule {loc} ")
    print(json.dumps(rules))
    return problems


def run_check(args):
    if len(args) < 2 or args[0] not in ("dev", "stats", "rules"):
        sys.exit(__doc__)
    try:
        with open(args[1]) as f:
            doc = json.load(f)
    except (OSError, ValueError) as e:
        return [f"{args[1]}: not JSON: {e}"]
    if args[0] == "rules":
        return check_rules(doc, args[2:])
    if len(args) < 4:
        sys.exit(__doc__)
    check = check_dev if args[0] == "dev" else check_stats
    return check(doc, args[2], ethtool_stats(args[3]), args[4:])


def main(argv):
    checks = [[]]
    for arg in argv[1:]:
        if arg == "--":
            checks.append([])
        else:
            checks[-1].append(arg)
    problems = []
    for args in checks:
        problems += run_check(args)
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
