#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Compare what a mirrored queue showed tcpdump with what crossed the wire.

    mirror.py MIRROR.pcap WIRE.pcap PORT COUNT

MIRROR.pcap is tcpdump -w on the port whose reserved queue is mirrored,
WIRE.pcap tcpdump -w on the peer, both filtered to "udp port PORT".  The
peer's kernel sent COUNT datagrams to PORT (the requests) and received
COUNT from it (the app's replies, sent through bifurc TX).  Passes when the
mirror holds exactly the COUNT requests and the COUNT replies, in order and
byte for byte as the peer saw them: Ethernet header and IPv4 datagram
(the frame up to the IPv4 total length, since the sender's capture has no
padding to the 60-byte minimum and the receiver's has).
"""
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from examples import read_pcap  # noqa: E402

ETH_HLEN = 14


def l3(frame):
    """(udp source port, udp destination port, frame cut to the datagram)"""
    if len(frame) < ETH_HLEN + 28 or frame[12:14] != b"\x08\x00":
        return None
    ip = frame[ETH_HLEN:]
    total = struct.unpack("!H", ip[2:4])[0]
    ihl = (ip[0] & 15) * 4
    if ip[9] != 17 or total > len(ip):
        return None
    sport, dport = struct.unpack("!HH", ip[ihl:ihl + 4])
    return sport, dport, frame[:ETH_HLEN + total]


def split(path, port):
    to_port, from_port, other = [], [], 0
    for rec in read_pcap(path)[2]:
        x = l3(rec[4])
        if x and x[1] == port:
            to_port.append(x[2])
        elif x and x[0] == port:
            from_port.append(x[2])
        else:
            other += 1
    return to_port, from_port, other


def main(argv):
    if len(argv) != 5:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    port, count = int(argv[3]), int(argv[4])
    m_rx, m_tx, m_other = split(argv[1], port)
    w_req, w_rep, _ = split(argv[2], port)
    print(f"mirror: {len(m_rx)} received, {len(m_tx)} sent, {m_other} other; "
          f"wire: {len(w_req)} requests, {len(w_rep)} replies")
    ok = True
    for what, got, want in (("received", m_rx, w_req), ("sent", m_tx, w_rep)):
        if len(want) != count:
            print(f"the wire has {len(want)} {what} frames, not {count}")
            ok = False
        if got != want:
            same = sum(a == b for a, b in zip(got, want))
            print(f"{what}: {len(got)} mirrored, {same} equal to the wire's "
                  f"{len(want)}")
            ok = False
    return 0 if ok and not m_other else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
