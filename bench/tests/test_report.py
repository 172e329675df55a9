#!/usr/bin/python3
"""Description: host-side tests of the benchmark's arithmetic (issue 9):
bench/run.py's medians, spreads, losses, target verdicts and TCP tables,
and bench/prof/report.py's instructions per frame by function, on
synthetic guest runs whose answers are known.  TAP output."""

import json
import os
import sys
import tempfile
from types import SimpleNamespace

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))
sys.path.insert(0, os.path.join(HERE, "..", "prof"))
import run  # noqa: E402
import report as prof  # noqa: E402

results = []


def check(name, cond):
    results.append((name, bool(cond)))


def near(a, b):
    return a is not None and abs(a - b) < 1e-9


def rate_run(method, rate, ns, rep=1, pkts=1000, lost=0):
    """One fixed-rate run as bench/guest/run.sh records it."""
    busy = ns * pkts
    return {"phase": "rate", "method": method, "rep": rep, "rate": rate,
            "source": {"offered": pkts + lost, "delivered": pkts,
                       "nic_dropped": lost},
            "rx": {"pkts": pkts, "total_pkts": pkts, "window_ns": 10**9,
                   "ns_per_pkt": ns, "thread_ns_per_pkt": ns / 2,
                   "work_ns_per_pkt": ns / 4, "syscalls": pkts // 32,
                   "vec_irqs": pkts // 16, "ctxt": pkts // 8,
                   "cpu_ns": {"user": busy / 2, "system": busy / 4,
                              "softirq": busy / 4, "irq": 0},
                   "percpu_busy_ns": [0, busy]}}


# ---- summarize_rate: medians, spread and losses of the reps ---------------

reps = [300, 310, 290, 500, 305]
runs = [rate_run("bifurc", 30000, ns, rep=i, lost=i)
        for i, ns in enumerate(reps, 1)]
rows = run.summarize_rate(runs + [rate_run("afxdp", 30000, 600)])
row = rows[0]
check("rows come in the order of METHODS",
      [r["method"] for r in rows] == ["bifurc", "afxdp"])
check("CPU ns/pkt is the median of the reps",
      row["cpu_ns_per_pkt"]["median"] == 305)
check("spread is (max - min) / median",
      near(row["cpu_ns_per_pkt"]["spread"], (500 - 290) / 305))
check("lost is offered minus received, median of the reps",
      row["lost"]["median"] == 3)
check("the worst run's lost share",
      near(row["lost_share_max"], 5 / 1005))
check("irqs per frame from the vector's count",
      near(row["vector_irqs_per_pkt"], 62 / 1000))
check("tick shares add up to one",
      near(sum(row["tick_share"].values()), 1.0))
check("a spread of a zero median is zero, not a division by zero",
      run.spread([0, 0])["spread"] == 0.0)

# ---- ratios: the issue's targets, inclusive ------------------------------


def verdicts(bifurc_ns, others):
    rs = [rate_run("bifurc", 100000, bifurc_ns)]
    rs += [rate_run(m, 100000, ns) for m, ns in others.items()]
    return {x["vs"]: x for x in run.ratios(run.summarize_rate(rs), 100000)}


v = verdicts(250, {"afxdp": 500, "recvmmsg": 2000, "afpacket": 700})
check("half of AF_XDP meets the 1/2 target", v["afxdp"]["met"])
check("ratio is bifurc's median over the other's", near(v["afxdp"]["ratio"], 0.5))
check("an eighth of recvmmsg misses the 1/10 target",
      not v["recvmmsg"]["met"] and near(v["recvmmsg"]["ratio"], 0.125))
check("more than a third of AF_PACKET misses", not v["afpacket"]["met"])
v = verdicts(251, {"afxdp": 500})
check("just above half of AF_XDP misses", not v["afxdp"]["met"])
check("a method that did not run gets no verdict", set(v) == {"afxdp"})
check("no bifurc run, no verdicts",
      run.ratios(run.summarize_rate([rate_run("afxdp", 1, 5)]), 1) == [])

# ---- summarize_tcp: throughput loss, overlap, instructions per KiB -------


def tcp_run(method, rate, mbps, insns=None, octets=10**9, overlap=True):
    r = {"phase": "tcp", "method": method, "rep": 1, "rate": rate,
         "source": {"offered": 1000, "delivered": 1000, "nic_dropped": 0},
         "tcp_bps": mbps * 1e6, "tcp_mbps": [mbps] * 10,
         "tcp_start_s": 100.0, "tcp_end_s": 111.0, "rx": None}
    if method != "none":
        # the receiver's 2 s window: inside the stream's data phase (the
        # last 10 s before iperf3 returned, 101..111), or half before it
        start = 104.0 if overlap else 100.0
        r["rx"] = {"pkts": 1000, "total_pkts": 990, "window_ns": 2 * 10**9,
                   "window_start_s": start, "thread_ns_per_pkt": 100}
    if insns is not None:
        r["tcp_insns"] = {"stream_cpu": 0, "in_octets": octets,
                          "cpu": [insns, 5]}
    return r


alone = [tcp_run("none", 0, m, insns=4000 * 10**6) for m in (300, 320, 310)]
bif = [tcp_run("bifurc", 100000, m, insns=4100 * 10**6)
       for m in (290, 280, 285)]
late = tcp_run("bifurc", 100000, 10, insns=9000 * 10**6, overlap=False)
tcp = run.summarize_tcp(alone + bif + [late])
check("overlap of a window inside the data phase is 1",
      run.tcp_overlap(bif[0]) == 1.0)
check("overlap of a window that starts 1 s before the data phase is 0.5",
      run.tcp_overlap(late) == 0.5)
check("a run that did not overlap the stream is left out",
      tcp["bifurc"]["runs"] == 4 and tcp["bifurc"]["tcp_bps"]["n"] == 3)
check("throughput loss against the stream alone",
      near(tcp["bifurc"]["loss"], 1 - 285 / 310))
check("instructions per KiB from the stream CPU's count",
      near(tcp["alone"]["stream_insns_per_kib"]["median"],
           4000 * 10**6 * 1024 / 10**9))
check("loss on a real core is 1 - alone / this",
      near(tcp["bifurc"]["work_loss"], 1 - 4000 / 4100))
check("the receiver's share of frames lost",
      near(tcp["bifurc"]["lost_share"]["median"], 0.01))

# ---- summarize_sat, summarize_lat and their targets ----------------------


def sat_probe(method, rate, ns, lost=0):
    r = rate_run(method, rate, ns, pkts=rate, lost=lost)
    r["phase"] = "sat"
    return r


def lat_run(method, rate, p99, echoed=1000):
    return {"phase": "lat", "method": method, "rate": rate, "offered": 1000,
            "echoed": echoed, "p50_ns": p99 // 2, "p99_ns": p99,
            "p999_ns": p99 * 2, "max_ns": p99 * 3}


sat_runs = [sat_probe("afxdp", 50000, 9000), sat_probe("afxdp", 100000, 0,
                                                       lost=5),
            sat_probe("afxdp", 75000, 8000),
            {"phase": "sat-result", "method": "afxdp", "rate": 75000,
             "lost_at": 87500},
            sat_probe("bifurc", 50000, 7000), sat_probe("bifurc", 150000, 4000),
            {"phase": "sat-result", "method": "bifurc", "rate": 150000,
             "lost_at": 0}]
sat = run.summarize_sat(sat_runs)
check("saturation rows in the order of SAT_METHODS",
      [r["method"] for r in sat] == ["bifurc", "afxdp"])
check("the cost is the probe's at the saturation rate, not the last probe's",
      sat[1]["cpu_ns_per_pkt"] == 8000)
check("probes counted per method", sat[1]["probes"] == 3)
check("no loss up to line rate: lost_at is None", sat[0]["lost_at"] is None)
lat = run.summarize_lat([lat_run("kernel", 10000, 40000),
                         lat_run("bifurc", 75000, 30000),
                         lat_run("bifurc", 10000, 20000, echoed=998)])
check("latency rows by method, then rate",
      [(r["method"], r["rate"]) for r in lat] ==
      [("bifurc", 10000), ("bifurc", 75000), ("kernel", 10000)])
check("latency: lost is offered minus echoed", lat[0]["lost"] == 2)
t = {x["what"].split()[0]: x for x in run.sat_lat_targets(sat, lat, 10000)}
check("2x AF_XDP's saturation rate meets the target",
      t["saturation"]["met"] and near(t["saturation"]["ratio"], 2.0))
check("half the kernel echo's p99 meets the target",
      t["p99"]["met"] and near(t["p99"]["ratio"], 0.5))
t = run.sat_lat_targets(sat[:1], [lat_run("bifurc", 10000, 20001),
                                  lat_run("kernel", 10000, 40000)], 10000)
check("no AF_XDP figure, no saturation verdict; just above half misses",
      len(t) == 1 and not t[0]["met"])
lat = run.summarize_lat([lat_run("dpdk", 10000, 1000),
                         lat_run("afxdp-busy", 10000, 3000),
                         lat_run("afxdp", 10000, 9000),
                         lat_run("kernel-busy", 10000, 18000)])
check("AF_XDP echoes after the kernel's, DPDK last",
      [r["method"] for r in lat] ==
      ["kernel-busy", "afxdp", "afxdp-busy", "dpdk"])
check("AF_XDP echo labelled", lat[2]["label"] == "AF_XDP echo (busy-poll)")

# given_sat_rates: run.sh's lat_sat from a kept report
kept = {"modes": {"sat": {"sat": [
    {"method": "bifurc", "rate": 3600000}, {"method": "afxdp", "rate": 0},
    {"method": "afxdp-busy", "rate": 2400000},
    {"method": "dpdk", "rate": 5200000}]}}}
check("rates of the methods not searched, none of rate 0",
      run.given_sat_rates(kept, {"bifurc"}) ==
      "afxdp-busy:2400000,dpdk:5200000")
check("every rate when nothing is searched",
      run.given_sat_rates(kept, set()) ==
      "bifurc:3600000,afxdp-busy:2400000,dpdk:5200000")
check("a report without a sat mode gives none",
      run.given_sat_rates({"modes": {}}, set()) == "")
notes = run.tables.lat_notes({
    "lat_sat_from": "bench/results/x.json",
    "lat_steer_misses": [{"label": "AF_XDP echo (busy-poll)", "rate": 10000,
                          "other_queues": 19999}]})
check("latency notes: where the rates come from, each repeated run",
      len(notes) == 2 and notes[0].endswith("from bench/results/x.json)")
      and "19,999 frames reached another queue" in notes[1])
check("no notes for a boot that searched its rates and missed nothing",
      run.tables.lat_notes({"lat_steer_misses": []}) == [])

# ---- summarize_tx and tx_targets: the TX mode -----------------------------


def tx_run(method, rate, busy, delivered=100000, sent=None, syscalls=3125,
           intr=6250, vec=3125, ctxt=100, total_lost=0):
    """One bench-tx run as run.sh records it (window 1 s)."""
    sent = delivered if sent is None else sent
    return {"phase": "tx", "method": method, "rate": rate,
            "tx": {"method": method, "rate": rate, "window_ns": 10**9,
                   "sent": sent, "delivered": delivered, "busy_ns": busy,
                   "syscalls": syscalls, "intr": intr, "vec_irqs": vec,
                   "ctxt": ctxt, "total_sent": sent + 500,
                   "total_delivered": sent + 500 - total_lost}}


txr = run.summarize_tx([tx_run("sendmmsg", 0, 10**9, delivered=200000),
                        tx_run("dpdk", 0, 10**9, delivered=5000000,
                               vec=-1),
                        tx_run("bifurc", 0, 10**9, delivered=2500000),
                        tx_run("afxdp", 100000, 45 * 10**6),
                        tx_run("bifurc", 100000, 25 * 10**6,
                               total_lost=3),
                        {"phase": "tx", "method": "afxdp", "rate": 0,
                         "tx": None}])
check("tx rows: the fixed rate first, then saturation, in TX_METHODS order",
      [(r["method"], r["rate"]) for r in txr] ==
      [("bifurc", 100000), ("afxdp", 100000), ("bifurc", 0),
       ("sendmmsg", 0), ("dpdk", 0)])
check("tx: CPU ns per frame delivered", txr[0]["cpu_ns_per_pkt"] == 250)
check("tx: interrupts, syscalls, context switches per frame delivered",
      near(txr[0]["irqs_per_pkt"], 0.0625) and
      near(txr[0]["syscalls_per_pkt"], 0.03125) and
      near(txr[0]["ctxt_per_pkt"], 0.001))
check("tx: pps is frames delivered over the window",
      near(txr[2]["pps"], 2500000))
check("tx: lost is sent minus delivered over the whole run",
      txr[0]["lost"] == 3 and txr[1]["lost"] == 0)
check("tx: testpmd has no syscall count, no vector, no loss figure",
      txr[4]["syscalls_per_pkt"] is None and
      txr[4]["vector_irqs_per_pkt"] is None and txr[4]["lost"] is None)
tt = {(x["rate"], x["vs"]): x for x in run.tx_targets(txr)}
check("tx targets: at the fixed rate 250 / 450 of AF_XDP misses 0.5",
      not tt[(100000, "afxdp")]["met"] and
      near(tt[(100000, "afxdp")]["ratio"], 250 / 450))
check("tx targets: at saturation 400 / 5000 of sendmmsg meets 0.1",
      tt[(0, "sendmmsg")]["met"] and near(tt[(0, "sendmmsg")]["ratio"], 0.08))
check("tx targets: none without the other side's run",
      set(tt) == {(100000, "afxdp"), (0, "sendmmsg")})
tt = run.tx_targets(run.summarize_tx([tx_run("bifurc", 0, 500),
                                      tx_run("afxdp", 0, 1000)]))
check("tx targets: exactly half of AF_XDP meets (inclusive)",
      tt[0]["met"] and near(tt[0]["ratio"], 0.5))
check("tx targets: a run with nothing delivered gives no verdict",
      run.tx_targets(run.summarize_tx([tx_run("bifurc", 0, 500),
                                       tx_run("afxdp", 0, 1000,
                                              delivered=0)])) == [])

# ---- build_report and text_report: a whole report from run directories ---

with tempfile.TemporaryDirectory() as tmp:
    icount = os.path.join(tmp, "icount")
    os.makedirs(icount)
    with open(os.path.join(icount, "bench.jsonl"), "w") as f:
        for r in (rate_run("bifurc", 100000, 300),
                  rate_run("bifurc-raw", 100000, 240),
                  rate_run("afxdp", 100000, 500),
                  rate_run("bifurc-mirror", 100000, 303),
                  rate_run("bifurc-tap", 100000, 900)):
            f.write(json.dumps(r) + "\n")
    args = SimpleNamespace(ixgbe="ixgbe.ko", reps=1, secs=2, warm=0.5,
                           full_rate=100000)
    rep = run.build_report(args, {"icount": icount})
    got = {(x["bifurc"], x["vs"]): x["met"]
           for x in rep["modes"]["icount"]["ratios"]["100000"]}
    check("report: comp ring at 0.6 of AF_XDP misses, raw at 0.48 meets",
          got == {("bifurc", "afxdp"): False, ("bifurc-raw", "afxdp"): True})
    text = run.text_report(rep)
    check("text: the missed target says MISSED",
          "bifurc (interrupt) / AF_XDP zero-copy: 0.600 (target <= 0.500): "
          "MISSED" in text)
    check("text: the met target says met",
          "/ AF_XDP zero-copy: 0.480 (target <= 0.500): met" in text)
    mc = rep["modes"]["icount"]["mirror"]["100000"]
    check("mirror cost: the tap's extra against the mirror off",
          mc["tap_extra"] == 600 and near(mc["tap_ratio"], 3.0) and
          mc["no_tap_extra"] == 3)
    check("text: the mirror line",
          "mirror (issue 22): off 300; on, no tap 303 (+3, x1.01); on, "
          "tcpdump -w /dev/null 900 (+600, x3.00) CPU ns/pkt" in text)
    check("report survives a JSON round trip",
          json.loads(json.dumps(rep))["modes"]["icount"]["rates"] == [100000])
    txdir = os.path.join(tmp, "tx")
    os.makedirs(txdir)
    with open(os.path.join(txdir, "bench.jsonl"), "w") as f:
        for r in (tx_run("bifurc", 100000, 25 * 10**6),
                  tx_run("afxdp", 100000, 55 * 10**6),
                  tx_run("sendmmsg", 100000, 500 * 10**6)):
            f.write(json.dumps(r) + "\n")
    rep = run.build_report(args, {"tx": txdir})
    text = run.text_report(rep)
    check("text: the TX row",
          "  bifurc tx_burst        100,000       100,000     0 |        250 "
          "  0.062   0.031   0.031   0.001" in text)
    check("text: the TX targets",
          "TX at 100,000 pps: bifurc tx_burst / AF_XDP zero-copy TX "
          "instructions per frame: 0.455 (target <= 0.5): met" in text and
          "/ UDP sendmmsg x32 instructions per frame: 0.050 (target <= "
          "0.1): met" in text)
    sys.path.insert(0, os.path.join(HERE, ".."))
    import tables  # noqa: E402
    md = tables.tx_table(rep["modes"]["tx"])
    check("tables: the TX markdown row",
          "| bifurc tx_burst | 100,000 | 100,000 | 250 | 0.062 | 0.031 | "
          "0.001 |" in md)

# ---- prof/report.py: instructions per frame by function ------------------

with tempfile.TemporaryDirectory() as tmp:
    def snap(n, rows):
        with open(os.path.join(tmp, f"prof-{n}.txt"), "w") as f:
            for vaddr, insns, execs in rows:
                f.write(f"{vaddr:x} {insns} {execs}\n")

    kbase = 0xffffffff81000000
    with open(os.path.join(tmp, "kallsyms.txt"), "w") as f:
        f.write(f"{kbase:x} T __schedule\n{kbase + 0x100:x} t "
                f"ixgbe_bifurc_harvest [ixgbe]\n{kbase + 0x200:x} T _etext\n")
    # blocks: (address, instructions in the block, executions so far)
    snap(1, [(kbase + 0x10, 10, 5), (kbase + 0x110, 20, 0)])
    snap(2, [(kbase + 0x10, 10, 105), (kbase + 0x110, 20, 50),
             (0x401000, 7, 100)])
    p = prof.profile_run(tmp, {"rx": {"pkts": 100, "ns_per_pkt": 25.0},
                               "prof": {"maps": "none.txt"}}, 1, 2)
    by = p["by_symbol"]
    check("profile: a block's instructions count from the first mark",
          near(by["__schedule"], 10 * 100 / 100))
    check("profile: a block first run in the window counts whole",
          near(by["ixgbe_bifurc_harvest [ixgbe]"], 20 * 50 / 100))
    check("profile: a user address outside the receiver's maps",
          near(by["[user, other process]"], 7))
    check("profile: the total is the sum per frame",
          near(p["insns_per_pkt"], 10 + 10 + 7))
    check("profile: a module symbol is ixgbe.ko's",
          prof.area("ixgbe_bifurc_harvest [ixgbe]") == "ixgbe.ko")

print("TAP version 13")
print(f"1..{len(results)}")
for i, (name, ok) in enumerate(results, 1):
    print(f"{'ok' if ok else 'not ok'} {i} {name}")
sys.exit(0 if all(ok for _, ok in results) else 1)
