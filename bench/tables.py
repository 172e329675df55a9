#!/usr/bin/python3
"""Markdown tables for the README from one make bench report (guest.json,
or a copy kept under bench/results/): the sat mode's saturation and
latency figures and the tx mode's instructions per frame sent, with the
issue's targets.

    python3 bench/tables.py bench/results/guest-2026-12-07.json
"""

import json
import sys


def sat_table(m):
    out = ["| method | zero-loss rate (pps) | lost at (pps) | CPU ns/packet "
           "there | syscalls/packet | interrupts/packet |",
           "| --- | ---: | ---: | ---: | ---: | ---: |"]
    for r in m["sat"]:
        cost = ("| {:,.0f} | {:.3f} | {:.3f} |".format(
            r["cpu_ns_per_pkt"], r["syscalls_per_pkt"],
            r["vector_irqs_per_pkt"]) if "cpu_ns_per_pkt" in r
            else "| | | |")
        lost = "-" if r["lost_at"] is None else f"{r['lost_at']:,}"
        out.append(f"| {r['label']} | {r['rate']:,} | {lost} {cost}")
    return out


def lat_table(m):
    out = ["| echo | rate (pps) | echoed / offered | p50 (us) | p99 (us) "
           "| p999 (us) |",
           "| --- | ---: | ---: | ---: | ---: | ---: |"]
    for r in m["lat"]:
        p = " | ".join(f"{r[k] / 1e3:.1f}" if r["echoed"] else "-"
                       for k in ("p50_ns", "p99_ns", "p999_ns"))
        out.append(f"| {r['label']} | {r['rate']:,} | {r['echoed']:,} / "
                   f"{r['offered']:,} | {p} |")
    return out


def lat_notes(m):
    """What the latency table's figures come from, beyond its rows (also
    in run.py's text report)."""
    out = []
    if m.get("lat_sat_from"):
        out.append(f"(saturation rates not searched in this run: from "
                   f"{m['lat_sat_from']})")
    for r in m.get("lat_steer_misses", []):
        out.append(f"({r['label']} at {r['rate']:,} pps run again: "
                   f"{r['other_queues']:,} frames reached another queue)")
    return out


def tx_table(m):
    out = ["| sender | rate (pps) | delivered (pps) | CPU ns/packet "
           "| interrupts/packet | syscalls/packet | context switches/packet |",
           "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for r in m["tx"]:
        sc = ("-" if r["syscalls_per_pkt"] is None
              else f"{r['syscalls_per_pkt']:.3f}")
        rate = "saturation" if r["rate"] == 0 else f"{r['rate']:,}"
        out.append(f"| {r['label']} | {rate} | {r['pps']:,.0f} | "
                   f"{r['cpu_ns_per_pkt']:,.0f} | {r['irqs_per_pkt']:.3f} | "
                   f"{sc} | {r['ctxt_per_pkt']:.3f} |")
    return out


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    with open(sys.argv[1]) as f:
        report = json.load(f)
    lines = []
    m = report["modes"].get("sat")
    if m:
        lines += (sat_table(m) + [""] if m["sat"] else []) + lat_table(m)
        lines += ["\n" + n for n in lat_notes(m)] + [""]
        for x in m["sat_lat_targets"]:
            lines.append(f"- {x['what']}: {x['ratio']:.3f} (target "
                         f"{x['target']}): {'met' if x['met'] else 'missed'}")
    m = report["modes"].get("tx")
    if m and m.get("tx"):
        lines += ([""] if lines else []) + tx_table(m) + [""]
        for x in m["tx_targets"]:
            lines.append(f"- {x['what']}: {x['ratio']:.3f} (target <= "
                         f"{x['target']}): {'met' if x['met'] else 'missed'}")
    if not lines:
        sys.exit(f"{sys.argv[1]}: no sat or tx mode in this report")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
