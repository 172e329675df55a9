#!/usr/bin/python3
"""ethtool -x IF | rss.py SRC DST SPORTS DPORTS [COUNT]
   rss.py --verify

Where RSS puts IPv4 TCP/UDP flows, so a test can compare a NIC's per-queue
counts with an exact prediction instead of hoping a random key spreads its
flows.  Reads the indirection table and the key from `ethtool -x`, hashes
each flow with the Toeplitz function over (source address, destination
address, source port, destination port) (82599 datasheet 7.1.2.8.1), takes
the hash's 7 low bits as the table index (7.1.2.8.3) and prints how many of
the flows' packets each queue gets: "n0 n1 ...".

SPORTS and DPORTS are ports or ranges "A-B" of one length (or one port):
flow i runs from the i-th source port to the i-th destination port.  COUNT
packets (default: one per flow) go to the flows in turn, as `flows.py send`
sends them, so with a COUNT that is not a multiple of the flows the first
flows weigh more and a flow on the wrong queue shows in the counts.

--verify checks the hash against Microsoft's published RSS verification
vectors and exits non-zero on a mismatch.
"""

import ipaddress
import re
import sys

# Microsoft's "Verifying the RSS Hash Calculation" key and IPv4 TCP vectors:
# (source, destination, source port, destination port, hash)
MS_KEY = bytes.fromhex("6d5a56da255b0ec24167253d43a38fb0d0ca2bcbae7b30b4"
                       "77cb2da38030f20c6a42b73bbeac01fa")
MS_VECTORS = [
    ("66.9.149.187", "161.142.100.80", 2794, 1766, 0x51ccc178),
    ("199.92.111.2", "65.69.140.83", 14230, 4739, 0xc626b0ea),
    ("24.19.198.95", "12.22.207.184", 12898, 38024, 0x5c2b394a),
    ("38.27.205.30", "209.142.163.6", 48228, 2217, 0xafc7327f),
    ("153.39.163.191", "202.188.127.2", 44251, 1303, 0x10e828a2),
]


def toeplitz(key, data):
    """The 32-bit Toeplitz hash of DATA: for each set bit of the input,
    XOR in the 32 key bits that start at that bit's position."""
    k = int.from_bytes(key, "big")
    width = len(key) * 8
    h = 0
    for i in range(len(data) * 8):
        if data[i // 8] & (0x80 >> (i % 8)):
            h ^= (k >> (width - 32 - i)) & 0xFFFFFFFF
    return h


def flow_hash(key, src, dst, sport, dport):
    data = (ipaddress.IPv4Address(src).packed +
            ipaddress.IPv4Address(dst).packed +
            sport.to_bytes(2, "big") + dport.to_bytes(2, "big"))
    return toeplitz(key, data)


def parse_ethtool_x(text):
    """(queues, indirection table, key) from `ethtool -x` output."""
    table = []
    key = None
    queues = 0
    lines = text.splitlines()
    for n, line in enumerate(lines):
        m = re.match(r"^\s*\d+:\s+([\d\s]+)$", line)
        r = re.search(r"with (\d+) RX ring", line)
        if r:
            queues = int(r.group(1))
        elif m:
            table += [int(x) for x in m.group(1).split()]
        elif line.startswith("RSS hash key:") and n + 1 < len(lines):
            key = bytes.fromhex(lines[n + 1].strip().replace(":", ""))
    if not table or key is None or not queues:
        sys.exit("rss.py: no indirection table or key in the input")
    return queues, table, key


def ports(arg):
    lo, _, hi = arg.partition("-")
    return list(range(int(lo), int(hi or lo) + 1))


def predict(queues, table, key, src, dst, sports, dports, count=None):
    if len(sports) == 1:
        sports = sports * len(dports)
    if len(dports) == 1:
        dports = dports * len(sports)
    if len(sports) != len(dports):
        sys.exit("rss.py: SPORTS and DPORTS differ in length")
    flows = list(zip(sports, dports))
    counts = [0] * queues
    for seq in range(len(flows) if count is None else count):
        h = flow_hash(key, src, dst, *flows[seq % len(flows)])
        counts[table[(h & 0x7F) % len(table)]] += 1
    return counts


def verify():
    bad = 0
    for src, dst, sport, dport, want in MS_VECTORS:
        got = flow_hash(MS_KEY, src, dst, sport, dport)
        if got != want:
            print(f"{src}:{sport} -> {dst}:{dport}: {got:#010x}, "
                  f"want {want:#010x}")
            bad += 1
    print(f"{len(MS_VECTORS) - bad} of {len(MS_VECTORS)} vectors match")
    return 1 if bad else 0


def main(argv):
    if argv[1:] == ["--verify"]:
        return verify()
    if len(argv) not in (5, 6):
        sys.exit(__doc__)
    queues, table, key = parse_ethtool_x(sys.stdin.read())
    count = int(argv[5]) if len(argv) == 6 else None
    counts = predict(queues, table, key, argv[1], argv[2], ports(argv[3]),
                     ports(argv[4]), count)
    print(" ".join(str(c) for c in counts))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
