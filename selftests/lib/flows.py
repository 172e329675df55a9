#!/usr/bin/python3
"""flows.py send DST PORT COUNT [--sports A-B] [--size N]
   flows.py recv PORT SECONDS [--expect N] [--ready FILE]
   flows.py syn DST PORT COUNT [--sport N]

Traffic for the guest tests, so they need no netcat or socat, and one
process instead of one per flow (process start-up is slow under TCG).

send  UDP datagrams whose payloads carry a sequence number;
recv  counts and checks them and prints "<received> <bad>"; it stops after
      SECONDS, once N arrived with --expect, or on SIGTERM (after reading
      what its socket still holds), and creates FILE once its socket is
      bound with --ready;
syn   one TCP connection attempt to each of COUNT ports from PORT on: COUNT
      flows of one SYN each (a closed port answers with a RST), from source
      ports N on with --sport (else the kernel's choice).
"""

import signal
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


def recv(port, seconds, expect=None, ready=None):
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(True))
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    # a Python reader under TCG falls behind a burst; a deep buffer keeps
    # the count about the wire, not about this process (root: FORCE)
    # (Python's socket module has no SO_RCVBUFFORCE: Linux's value is 33)
    try:
        s.setsockopt(socket.SOL_SOCKET, getattr(socket, "SO_RCVBUFFORCE", 33),
                     8 << 20)
    except OSError:
        pass
    s.bind(("", port))
    s.settimeout(0.2)
    if ready:
        open(ready, "w").close()
    got = bad = 0
    end = time.time() + seconds
    while time.time() < end and got != expect:
        try:
            data = s.recv(65536)
        except socket.timeout:
            if stop:
                break
            continue
        except InterruptedError:
            continue
        seq = struct.unpack("!I", data[:4])[0]
        got += 1
        if data != payload(seq, len(data)):
            bad += 1
    print(got, bad)


def syn(dst, port, count, sport=None):
    socks = []
    for p in range(port, port + count):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        if sport:
            s.bind(("", sport + p - port))
        s.setblocking(False)
        s.connect_ex((dst, p))
        socks.append(s)
    time.sleep(1)
    for s in socks:
        s.close()


def options(rest):
    opts = {}
    while rest:
        opts[rest[0].lstrip("-")] = rest[1]
        rest = rest[2:]
    return opts


def main(argv):
    if argv[1] == "send":
        opts = options(argv[5:])
        sports = None
        if "sports" in opts:
            sports = tuple(int(x) for x in opts["sports"].split("-"))
        send(argv[2], int(argv[3]), int(argv[4]), sports,
             int(opts.get("size", 64)))
    elif argv[1] == "recv":
        opts = options(argv[4:])
        expect = int(opts["expect"]) if "expect" in opts else None
        recv(int(argv[2]), float(argv[3]), expect, opts.get("ready"))
    elif argv[1] == "syn":
        opts = options(argv[5:])
        syn(argv[2], int(argv[3]), int(argv[4]),
            int(opts["sport"]) if "sport" in opts else None)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
