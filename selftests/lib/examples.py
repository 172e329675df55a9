#!/usr/bin/python3
"""examples.py pcap FILE SRC DST PORT COUNTxSIZE...
   examples.py echo DST PORT COUNT [--timeout SECONDS]

Checks for the libbifurc examples' guest test (examples.sh), with the
payloads of flows.py, so what is compared is exactly what flows.py sent.

pcap  reads FILE as a classic pcap (LINKTYPE_ETHERNET, nanosecond
      timestamps as libpcap writes them for dump since libbifurc 0.3, or
      microsecond ones, snaplen 65535) and checks that it holds exactly the
      datagrams of "flows.py send DST PORT COUNT --size SIZE" from SRC, one
      such group after the other, in order: every frame an intact UDP/IPv4
      frame (header checksums valid), every payload byte-exact.  Prints
      "frames <n> exact <n> bad <n>" and the first few problems.
echo  sends COUNT datagrams of varied sizes to DST:PORT, one at a time,
      and waits up to SECONDS (default 3) for each answer, which must come
      from DST:PORT and repeat the payload byte for byte.  Prints
      "sent <n> replies <n> exact <n> lost <n> bad <n>".

Both exit 0 only if everything matched.
"""

import os
import socket
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from flows import payload  # noqa: E402

PCAP_MAGIC_US = 0xA1B2C3D4
PCAP_MAGIC_NS = 0xA1B23C4D
LINKTYPE_ETHERNET = 1
# payload sizes the echo client cycles through: tiny (padded frame),
# ordinary, and the largest datagram that fits a 1500-byte MTU
ECHO_SIZES = (4, 18, 64, 200, 1000, 1472)


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return s


def read_pcap(path):
    """(header fields, timestamp fractions per second,
    [(ts_sec, ts_fraction, incl_len, orig_len, data)])"""
    with open(path, "rb") as f:
        raw = f.read()
    if len(raw) < 24:
        raise ValueError(f"{path}: {len(raw)} bytes, no pcap header")
    for end in "<>":
        magic = struct.unpack(end + "I", raw[:4])[0]
        if magic in (PCAP_MAGIC_US, PCAP_MAGIC_NS):
            break
    else:
        raise ValueError(f"{path}: magic {raw[:4].hex()} is not a "
                         "classic pcap")
    per_sec = 10**9 if magic == PCAP_MAGIC_NS else 10**6
    hdr = struct.unpack(end + "IHHiIII", raw[:24])
    recs, off = [], 24
    while off < len(raw):
        if off + 16 > len(raw):
            raise ValueError(f"record header cut short at offset {off}")
        sec, frac, incl, orig = struct.unpack(end + "IIII", raw[off:off + 16])
        off += 16
        if off + incl > len(raw):
            raise ValueError(f"record data cut short at offset {off}")
        recs.append((sec, frac, incl, orig, raw[off:off + incl]))
        off += incl
    return hdr, per_sec, recs


def check_frame(frame, src, dst, port):
    """The UDP payload of an intact frame src -> dst:port, or a complaint."""
    if len(frame) < 42:
        return None, f"{len(frame)} bytes, too short"
    if frame[12:14] != b"\x08\x00":
        return None, f"ethertype {frame[12:14].hex()}"
    ip = frame[14:]
    ihl = (ip[0] & 15) * 4
    tot = struct.unpack("!H", ip[2:4])[0]
    if ip[0] >> 4 != 4 or ihl < 20 or tot > len(ip):
        return None, "bad IPv4 header"
    if csum(ip[:ihl]) != 0xFFFF:
        return None, "bad IPv4 header checksum"
    if ip[9] != socket.IPPROTO_UDP:
        return None, f"IP protocol {ip[9]}"
    if ip[12:16] != socket.inet_aton(src) or ip[16:20] != socket.inet_aton(dst):
        return None, (f"{socket.inet_ntoa(ip[12:16])} > "
                      f"{socket.inet_ntoa(ip[16:20])}")
    udp = ip[ihl:tot]
    dport, ulen, ucsum = struct.unpack("!HHH", udp[2:8])
    if dport != port:
        return None, f"dst port {dport}"
    if ulen != len(udp):
        return None, f"UDP length {ulen}, IP says {len(udp)}"
    if ucsum:
        pseudo = ip[12:20] + struct.pack("!BBH", 0, socket.IPPROTO_UDP, ulen)
        if csum(pseudo + udp) != 0xFFFF:
            return None, "bad UDP checksum"
    return udp[8:], None


def pcap(path, src, dst, port, groups):
    expect = []
    for g in groups:
        count, size = (int(x) for x in g.split("x"))
        expect += [payload(seq, size) for seq in range(count)]
    problems = []
    try:
        hdr, per_sec, recs = read_pcap(path)
    except (OSError, ValueError) as e:
        print(f"frames 0 exact 0 bad 0\n{e}")
        return 1
    _, major, minor, _, _, snaplen, linktype = hdr
    if (major, minor, snaplen, linktype) != (2, 4, 65535, LINKTYPE_ETHERNET):
        problems.append(f"header: version {major}.{minor} snaplen {snaplen} "
                        f"linktype {linktype}")
    exact = bad = 0
    for i, (_, frac, incl, orig, data) in enumerate(recs):
        why = None
        if incl != orig or frac >= per_sec:
            why = f"incl_len {incl} orig_len {orig} fraction {frac}"
        else:
            body, why = check_frame(data, src, dst, port)
            if why is None and i >= len(expect):
                why = "more frames than sent"
            elif why is None and body != expect[i]:
                why = (f"payload {len(body)} bytes differs from datagram "
                       f"{i} ({len(expect[i])} bytes) as sent")
        if why:
            bad += 1
            problems.append(f"frame {i}: {why}")
        else:
            exact += 1
    print(f"frames {len(recs)} exact {exact} bad {bad}")
    if len(recs) < len(expect):
        problems.append(f"{len(expect) - len(recs)} of {len(expect)} "
                        "datagrams missing")
    for p in problems[:8]:
        print(p)
    return 0 if not problems and exact == len(expect) else 1


def echo(dst, port, count, timeout=3.0):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(timeout)
    sent = replies = exact = lost = bad = 0
    problems = []
    for seq in range(count):
        data = payload(seq, ECHO_SIZES[seq % len(ECHO_SIZES)])
        s.sendto(data, (dst, port))  # a failed send raises: the test fails
        sent += 1
        while True:
            try:
                got, peer = s.recvfrom(65536)
            except socket.timeout:
                lost += 1
                problems.append(f"datagram {seq}: no reply in {timeout} s")
                break
            replies += 1
            if peer != (dst, port):
                bad += 1
                problems.append(f"datagram {seq}: reply from {peer}")
            elif got != data:
                # a late reply to an earlier datagram is a mismatch too
                bad += 1
                problems.append(f"datagram {seq}: reply of {len(got)} bytes "
                                f"differs from the {len(data)} sent")
            else:
                exact += 1
                break
    print(f"sent {sent} replies {replies} exact {exact} lost {lost} bad {bad}")
    for p in problems[:8]:
        print(p)
    return 0 if exact == count and replies == count else 1


def main(argv):
    if len(argv) >= 7 and argv[1] == "pcap":
        return pcap(argv[2], argv[3], argv[4], int(argv[5]), argv[6:])
    if len(argv) in (5, 7) and argv[1] == "echo":
        timeout = float(argv[6]) if len(argv) == 7 and \
            argv[5] == "--timeout" else 3.0
        return echo(argv[2], int(argv[3]), int(argv[4]), timeout)
    sys.exit(__doc__)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
