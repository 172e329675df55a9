#!/bin/bash
# TAP: examples/dump against the simulator (tests/dump-sim.c): a
# nanosecond pcap that tcpdump -r reads, holding every frame as the
# simulated NIC received it, in one buffer or two, to a file or to
# standard output; the command line as before.  Needs
# $BUILD/test/libbifurc-sim.a and dump-sim.o (make test).
set -u
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0 fail=0
t() { n=$((n + 1)); if "$@" > "$tmp/out" 2>&1; then echo "ok $n - $name"; else
	echo "not ok $n - $name"; sed 's/^/# /' "$tmp/out" | tail -n 20; fail=1; fi; }
skip() { n=$((n + 1)); echo "ok $n - $name # SKIP $1"; }
echo "TAP version 13"
echo "1..9"
dump=$tmp/dump
name=BUILD; t ${CC:-cc} -std=c11 -Wall -Wextra -Werror -Iinclude $SAN \
	examples/dump.c "$BUILD/test/dump-sim.o" "$BUILD/test/libbifurc-sim.a" \
	$WRAP -lpcap -o "$dump"

# 20 frames: three rounds of 4 x 100 + 2 x 3000 bytes, then 2 x 100.
name=DUMP_FILE; t bash -c "'$dump' -i eth0 -q 3 -c 20 -w '$tmp/a.pcap' udp 53 \
	2> '$tmp/a.err' && cat '$tmp/a.err' &&
	grep -q '^dump: capturing eth0 queue 3, udp dst-port 53 steered' '$tmp/a.err' &&
	grep -q '^dump: 20 frames 19400 bytes written to $tmp/a.pcap,' '$tmp/a.err'"

# libpcap's nanosecond magic, in host order (this test runs little endian).
name=DUMP_NANOSECONDS; t bash -c "od -A n -t x1 -N 4 '$tmp/a.pcap' |
	tee /dev/stderr | grep -q '4d 3c b2 a1'"

name=DUMP_CONTENT; t python3 - "$tmp/a.pcap" <<'PY'
import struct, sys
raw = open(sys.argv[1], "rb").read()
magic, vmaj, vmin, _, _, snap, link = struct.unpack("<IHHiIII", raw[:24])
assert (vmaj, vmin, link) == (2, 4, 1), (vmaj, vmin, link)
pattern = [(100, i) for i in range(4)] + [(3000, i) for i in range(2)]
off, k = 24, 0
while off < len(raw):
    sec, frac, incl, orig = struct.unpack("<IIII", raw[off:off + 16])
    off += 16
    size, i = pattern[k % 6]
    want = struct.pack("<I", i) + bytes([i & 0xFF]) * (size - 4)
    assert frac < 10**9, f"record {k}: fraction {frac}"
    assert (incl, orig) == (size, size), f"record {k}: {incl}/{orig}, want {size}"
    assert raw[off:off + incl] == want, f"record {k}: bytes differ"
    off += incl
    k += 1
assert k == 20, f"{k} records"
print(f"{k} records as received")
PY

# A tag the NIC stripped is back in the record, after the MAC addresses,
# in a frame of one buffer and one of two.
name=DUMP_VLAN_TAG; t bash -c "DUMP_SIM_VLAN=1 '$dump' -i eth0 -q 3 -c 4 \
	-w '$tmp/v.pcap' 2> /dev/null && python3 - '$tmp/v.pcap'" <<'PY'
import struct, sys
raw = open(sys.argv[1], "rb").read()
off, k = 24, 0
while off < len(raw):
    sec, frac, incl, orig = struct.unpack("<IIII", raw[off:off + 16])
    off += 16
    size = (100, 3000)[k % 2]
    want = b"\xab" * 12 + b"\x81\x00\x20\x64" + b"\xab" * (size - 12)
    assert (incl, orig) == (size + 4, size + 4), f"record {k}: {incl}/{orig}"
    assert raw[off:off + incl] == want, f"record {k}: bytes differ"
    off += incl
    k += 1
assert k == 4, f"{k} records"
print(f"{k} records, tag back in place")
PY

# tcpdump prints a line per frame, starting with its time, and may add
# hex lines for these frames, which are not IP.
if command -v tcpdump > /dev/null; then
	name=DUMP_TCPDUMP; t bash -c "set -o pipefail; tcpdump -r '$tmp/a.pcap' -n \
		2> '$tmp/td.err' | grep -c '^[0-9][0-9]:' | grep -qx 20 &&
		grep -q 'link-type EN10MB' '$tmp/td.err'"
	name=DUMP_STDOUT; t bash -c "set -o pipefail; '$dump' -i eth0 -q 3 -c 7 \
		2> /dev/null | tcpdump -r - -n 2> /dev/null | grep -c '^[0-9][0-9]:' |
		grep -qx 7"
else
	name=DUMP_TCPDUMP; skip "no tcpdump"
	name=DUMP_STDOUT; skip "no tcpdump"
fi

# A reader that goes away is a write error: exit 1, not 100000 frames.
name=DUMP_PIPE_CLOSED; t bash -c "'$dump' -i eth0 -q 3 -c 100000 2> '$tmp/p.err' |
	head -c 10 > /dev/null; rc=\${PIPESTATUS[0]}; cat '$tmp/p.err'; [ \$rc -eq 1 ] &&
	grep -q '^dump: -: Broken pipe' '$tmp/p.err'"

name=DUMP_USAGE; t bash -c "for args in '' '-i eth0' '-i eth0 -q 3 udp' \
	'-i eth0 -q 3 icmp 1' '-i eth0 -q 3 -c 0' '-i eth0 -q x'; do
	'$dump' \$args 2> /dev/null; [ \$? -eq 2 ] || { echo \"'\$args': not 2\"; exit 1; }
	done"
exit $fail
