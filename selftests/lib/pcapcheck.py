#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Check the frames dump wrote of flows.py's datagrams.

    pcapcheck.py FILE COUNT SIZE [--vlan ID]

FILE must hold COUNT frames of UDP/IPv4, in order, the datagram of
sequence number s carrying flows.py's payload(s, SIZE) for s = 0..COUNT-1.
Each IPv4 header checksum must hold; each whole datagram's UDP checksum
too, which proves a frame gathered from several buffers came out whole.
With --vlan, each frame carries an 802.1Q tag of VLAN ID after the MAC
addresses (as the wire had it).  Prints one line; exit status 0 when
everything holds.
"""
import argparse
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from examples import csum, read_pcap  # noqa: E402
from flows import payload  # noqa: E402


def check(frame, seq, size, vlan):
    """None if frame is datagram seq as it should be, else what is wrong"""
    off = 12
    if vlan is not None:
        if frame[12:14] != b"\x81\x00":
            return "no 802.1Q tag"
        tci = struct.unpack("!H", frame[14:16])[0]
        if tci & 0xFFF != vlan:
            return f"VLAN {tci & 0xFFF}, want {vlan}"
        off = 16
    if frame[off:off + 2] != b"\x08\x00":
        return f"ethertype {frame[off:off + 2].hex()}"
    ip = frame[off + 2:]
    ihl = (ip[0] & 15) * 4
    total, frag = struct.unpack("!H2xH", ip[2:8])
    if ip[9] != 17 or csum(ip[:ihl]) != 0xFFFF:
        return "not UDP/IPv4, or a bad IPv4 header checksum"
    if total > len(ip):
        return f"IPv4 total length {total}, {len(ip)} bytes captured"
    ip = ip[:total]
    udp = ip[ihl:]
    want = payload(seq, size)
    if frag & 0x3FFF:
        return f"a fragment ({frag:#x})"
    pseudo = ip[12:20] + struct.pack("!BBH", 0, 17, len(udp))
    if struct.unpack("!H", udp[6:8])[0] and csum(pseudo + udp) != 0xFFFF:
        return "bad UDP checksum"
    if udp[8:] == want:
        return None
    # a whole datagram in the wrong place says reordered, not corrupted
    got = struct.unpack("!I", udp[8:12])[0] if len(udp) >= 12 else None
    if got is not None and udp[8:] == payload(got, size):
        return f"datagram {got}, intact, where {seq} belongs"
    return f"payload of {len(udp) - 8} bytes differs from payload({seq}, {size})"


def main(argv):
    ap = argparse.ArgumentParser(usage=__doc__.strip().splitlines()[2].strip())
    ap.add_argument("file")
    ap.add_argument("count", type=int)
    ap.add_argument("size", type=int)
    ap.add_argument("--vlan", type=int)
    a = ap.parse_args(argv[1:])
    recs = read_pcap(a.file)[2]
    bad = [(i, check(r[4], i, a.size, a.vlan))
           for i, r in enumerate(recs)]
    bad = [(i, why) for i, why in bad if why]
    lens = "/".join(str(n) for n in sorted({r[3] for r in recs})[:4])
    print(f"{len(recs)} frames of {lens or 'no'} bytes, {len(bad)} wrong"
          + (f"; frame {bad[0][0]}: {bad[0][1]}" if bad else ""))
    return 0 if len(recs) == a.count and not bad else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
