#!/usr/bin/python3
"""udp.py send DST PORT COUNT [--sports A-B] [--size N]
   udp.py recv PORT SECONDS       (prints the number of datagrams received)

A tiny UDP source and sink for the model tests, so they need no netcat or
socat in the guest.  Payloads carry a sequence number and are checked on
receipt: `recv` prints "<received> <bad>" where bad counts corrupt payloads.
"""

import socket
import struct
import sys
import time


def payload(seq, size):
    body = struct.pack("!I", seq)
    pattern = bytes((seq + i) & 0xFF for i in range(size - 4))
    return body + pattern


def send(dst, port, count, sports=None, size=64):
    lo, hi = sports or (0, 0)
    socks = {}
    for seq in range(count):
        sport = lo + seq % (hi - lo + 1) if sports else 0
        s = socks.get(sport)
        if s is None:
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            if sport:
                s.bind(("", sport))
            socks[sport] = s
        s.sendto(payload(seq, size), (dst, port))
        if seq % 32 == 31:
            time.sleep(0.001)  # let a TCG guest's RX keep up


def recv(port, seconds):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("", port))
    s.settimeout(0.2)
    got = bad = 0
    end = time.time() + seconds
    while time.time() < end:
        try:
            data = s.recv(65536)
        except socket.timeout:
            continue
        seq = struct.unpack("!I", data[:4])[0]
        got += 1
        if data != payload(seq, len(data)):
            bad += 1
    print(got, bad)


def main(argv):
    if argv[1] == "send":
        sports = None
        size = 64
        rest = argv[5:]
        while rest:
            if rest[0] == "--sports":
                a, b = rest[1].split("-")
                sports = (int(a), int(b))
            elif rest[0] == "--size":
                size = int(rest[1])
            rest = rest[2:]
        send(argv[2], int(argv[3]), int(argv[4]), sports, size)
    elif argv[1] == "recv":
        recv(int(argv[2]), float(argv[3]))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
