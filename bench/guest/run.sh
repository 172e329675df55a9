#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Description: the guest half of the issue 9 comparison.  The model's packet
# source offers a fixed rate of 64-byte UDP frames (60 + FCS) to port B;
# one steering rule puts them on queue Q; each method receives them there
# for a fixed time (bench-rx), which measures every CPU's busy time.  Then
# a kernel TCP stream runs on the same port: alone, next to the source
# (NIC drop action), next to a busy loop, next to bifurc receiving.
#
#   namespace bifurc-a              namespace bifurc-b
#   +-------------------+           +-------------------------------------+
#   | port A  10.77.0.1 |--- hub ---| port B  10.77.0.2  (nic1)           |
#   | iperf3 client     |           |  packet source -> Flow Director     |
#   +-------------------+           |   udp dst-port PORT -> queue Q      |
#                                   |     recvmmsg | AF_PACKET v3 |      |
#                                   |     AF_XDP zc | bifurc (irq, busy)  |
#                                   |   TCP (RSS)  -> queue 0 -> iperf3   |
#                                   +-------------------------------------+
#
# Usage: run.sh [KEY=VALUE ...]; in the test guest, which gets no
# environment, the same words come from the SMBIOS serial number
# "bifurc-bench:KEY=VALUE ..." (bench/run.py sets it).  Keys:
#   rate=PPS       fixed rate offered to every method (default 30000)
#   rates=A,B      several fixed rates instead, each with every method
#   reps=N         repetitions of every measurement (default 5)
#   secs=S         measured window per run (default 2)
#   warm=S         warm-up before the window (default 0.5)
#   methods=A,B    default recvmmsg,afpacket,afxdp,bifurc,bifurc-raw,
#                  bifurc-busy; also bifurc-mirror (the queue's mirror
#                  on, no packet tap open) and bifurc-tap (mirror on,
#                  tcpdump -w /dev/null on port B: what tcpdump on a
#                  bypassed queue costs, the kernel's copies and tcpdump)
#   tcp=0|1        the TCP phase (default 1)
#   tcp_secs=S     TCP stream length (default 10)
#   full_rate=PPS  the steered flow's rate in the TCP phase (default
#                  100000, about the most bifurc takes without loss here)
#   tcp_cpu=N      the CPU of the TCP stream in the TCP phase (default 0)
#   tcp_insns=0|1  QEMU runs bench/prof/insnprof.c with count=vcpus: each
#                  TCP run also records the instructions each CPU ran and
#                  the bytes IP received in B's namespace meanwhile
#   app_cpu=N irq_cpu=N  where the receiver and queue Q's vector run in
#                  the fixed-rate phase (default 0 and 1: every method
#                  pays the same cross-CPU wakeup)
#   sat=0|1        the saturation phase (default 0): for each of
#                  sat_methods (default bifurc,bifurc-busy,bifurc-raw,
#                  bifurc-raw-busy,afxdp,afxdp-busy,recvmmsg,
#                  recvmmsg-busy; -busy: the receiver busy-polls), the highest rate of the paced source
#                  received without losing a frame: doubling from
#                  sat_start (default 50000) up to line rate, then halving
#                  the interval until it is within 1/sat_precision
#                  (default 8) of the rate; each probe offers sat_secs
#                  (default 0.3) of frames
#   lat=0|1        the latency phase (default 0): each of lat_methods
#                  (default bifurc,bifurc-busy,kernel,kernel-busy,afxdp,
#                  afxdp-busy) echoes the paced, stamped source for
#                  lat_secs (default 2) at lat_rate (default 10000), and
#                  for lat_sat_secs (default 0.5) at half the saturation
#                  rate of the receive method it uses; the model gives the
#                  round trips' percentiles (pktgen-rtt-*)
#   lat_sat=M:R,.. saturation rates of methods this boot does not search
#                  (sat_methods, dpdk), from an earlier run, for the
#                  latency runs at half of them; a search overrides them,
#                  and a given dpdk rate skips testpmd's search
#   dpdk=0|1       last (port B then belongs to DPDK): DPDK's testpmd with
#                  the ixgbe PMD on port B (uio_pci_generic, one RX and
#                  one TX queue of 512 descriptors, forwarding lcore on
#                  CPU 1): its saturation rate in rxonly mode (as sat=1)
#                  and, with lat=1, the round trip in macswap mode
#   tx=0|1         the TX phase (default 0): each of tx_methods (default
#                  bifurc,afxdp,sendmmsg) sends 60-byte UDP frames from
#                  queue Q of port B (bench-tx) for tx_secs (default 1)
#                  after tx_warm (default 0.2), at tx_rate (default
#                  100000) and at saturation; port A's Flow Director
#                  drops them and its NIC counter counts them; with
#                  dpdk=1 or tx_dpdk=1, last, DPDK's testpmd txonly too
#                  (saturation only: it cannot pace)
#   tx_dpdk=0|1    testpmd txonly without the rest of dpdk=1
#   prof=0|1       QEMU runs bench/prof/insnprof.c: keep what maps its
#                  instruction counts to symbols (kallsyms, the receiver's
#                  memory map) and which snapshot ends each run's window
#
# Output: one JSON object per run in $BIFURC_RESULTS/bench.jsonl, progress
# in $BIFURC_RESULTS/bench.log; bench/run.py turns them into the report.
cd "$(dirname "$0")" || exit 1
TOP=$(cd ../.. && pwd)
. "$TOP/selftests/lib/ktap.sh"
. "$TOP/selftests/lib/model.sh"

BIN=${BIFURC_BENCH_BIN:-$TOP/build/bench/bench-rx}
ECHO_BIN=$TOP/build/bench/bench-echo
XDP_ECHO_BIN=$TOP/build/bench/bench-xdp-echo
TX_BIN=$TOP/build/bench/bench-tx
UDP_ECHO=$TOP/lib/libbifurc/build/examples/udp-echo
RESULTS=${BIFURC_RESULTS:-/tmp}
OUT=$RESULTS/bench.jsonl
LOG=$RESULTS/bench.log
PORT=9200
TCP_PORT=5201
SRC_IP=10.77.0.100
SOURCE=nic1	# port B, the second emulated port (testbed/vm.py)

declare -A P=([rate]=30000 [rates]= [reps]=5 [secs]=2 [warm]=0.5
	[methods]=recvmmsg,afpacket,afxdp,bifurc,bifurc-raw,bifurc-busy
	[tcp]=1 [tcp_secs]=10 [full_rate]=100000 [tcp_cpu]=0 [tcp_insns]=0
	[app_cpu]=0 [irq_cpu]=1 [prof]=0 [rx_usecs]=
	[sat]=0
	[sat_methods]=bifurc,bifurc-busy,bifurc-raw,bifurc-raw-busy,afxdp,afxdp-busy,recvmmsg,recvmmsg-busy
	[sat_start]=50000 [sat_secs]=0.3 [sat_warm]=0 [sat_precision]=8
	[lat]=0 [lat_methods]=bifurc,bifurc-busy,kernel,kernel-busy,afxdp,afxdp-busy
	[lat_sat]= [lat_rate]=10000 [lat_secs]=2 [lat_sat_secs]=0.5 [dpdk]=0
	[tx]=0 [tx_methods]=bifurc,afxdp,sendmmsg [tx_rate]=100000
	[tx_secs]=1 [tx_warm]=0.2 [tx_dpdk]=0)
words=("$@")
serial=$(cat /sys/class/dmi/id/product_serial 2>/dev/null)
if [ ${#words[@]} -eq 0 ] && [[ $serial == bifurc-bench:* ]]; then
	read -ra words <<< "${serial#bifurc-bench:}"
fi
for w in "${words[@]}"; do
	[[ $w == *=* ]] && [ -n "${P[${w%%=*}]+set}" ] ||
		{ echo "run.sh: unknown setting '$w'" >&2; exit 2; }
	P[${w%%=*}]=${w#*=}
done
IFS=, read -ra METHODS <<< "${P[methods]}"

log()
{
	echo "# $*"
	printf '[%(%T)T] %s\n' -1 "$*" >> "$LOG"
}

die()
{
	log "FAILED: $*"
	echo "Bail out! $*"
	exit 1
}

RESERVED=
cleanup()
{
	[ -n "${HC:-}" ] && qom set run false >/dev/null 2>&1
	[ -n "$RESERVED" ] && echo "$QUEUE" > "$CD/release" 2>/dev/null
	ip netns exec $NS_B pkill -x iperf3 2>/dev/null
	[ -n "${DPDK_PCI:-}" ] && "$DEVBIND" -b ixgbe "$DPDK_PCI" >/dev/null 2>&1
	join_ports
}
trap cleanup EXIT
trap 'exit 130' INT TERM

in_b()
{
	ip netns exec $NS_B "$@"
}

# ---- setup --------------------------------------------------------------

: > "$OUT"
: > "$LOG"
ktap_print_header
[ -x "$BIN" ] || die "$BIN not built (make -C bench)"
load_ixgbe || die "ixgbe does not load"
mapfile -t ports < <(ixgbe_ports)
A=${ports[0]} B=${ports[1]}
[ -d "/sys/class/net/$B/device/bifurc" ] || die "$B: ixgbe without bifurc"
CD=$(readlink -f /sys/class/net/"$B"/device/bifurc/bifurc-*)
split_ports "$A" "$B" || die "ports $A and $B do not come up"
NQ=$(max_queues $NS_B "$B")
[ "$NQ" -ge 2 ] || die "needs 2 queues, the driver offers $NQ"
in_b ethtool -L "$B" combined "$NQ" || die "ethtool -L combined $NQ"
in_b ethtool -K "$B" ntuple on || die "ethtool -K ntuple on"
# a static interrupt throttle instead of ixgbe's adaptive one (rx-usecs 1)
if [ -n "${P[rx_usecs]}" ]; then
	in_b ethtool -C "$B" rx-usecs "${P[rx_usecs]}" ||
		die "ethtool -C rx-usecs ${P[rx_usecs]}"
fi
wait_for 100 link_is_up $NS_B "$B" || die "$B down after ethtool"
QUEUE=$((NQ - 1))
# the XDP program's instructions under its own name in the profile
[ "${P[prof]}" = 1 ] && echo 1 > /proc/sys/net/core/bpf_jit_kallsyms
log "guest $(uname -r), $(nproc) CPUs; port $B queue $QUEUE of $NQ;" \
	"settings: $(for k in "${!P[@]}"; do printf '%s=%s ' "$k" "${P[$k]}"; done)"

# The host's monitor, through the org.bifurc.hostctl port that
# testbed/guest/hostctl uses, opened once: the same request and reply
# lines, without a process per request (each costs ~0.1 s under TCG).
hostctl_open()
{
	local name

	for name in /sys/class/virtio-ports/*/name; do
		[ "$(cat "$name" 2>/dev/null)" = org.bifurc.hostctl ] || continue
		exec {HC}<> "/dev/$(basename "$(dirname "$name")")" && return 0
	done
	return 1
}

# hc REQUEST: print the reply; fails if the monitor said "error:".
hc()
{
	local line status=0

	echo "$*" >&"$HC"
	while IFS= read -r line <&"$HC"; do
		[ "$line" = . ] && break
		case "$line" in error:*) status=1 ;; esac
		echo "$line"
	done
	return $status
}

qom()
{
	hc "qom-$1" $SOURCE "pktgen-$2" ${3:+"$3"}
}

source_running()
{
	[ "$(qom get run)" = true ]
}

FIFO=/tmp/bench-rx.fifo
rm -f "$FIFO" && mkfifo "$FIFO" || die "mkfifo $FIFO"
hostctl_open || die "no org.bifurc.hostctl port (not a test-bed guest?)"
qom set dst-ip $ADDR_B && qom set src-ip $SRC_IP && qom set dst-port $PORT &&
	qom set flows 1 && qom set size 60 && qom set count 0 &&
	qom set paced false && qom set stamp false >/dev/null ||
	die "cannot drive the packet source through hostctl"

# Every method gets the same placement: queue Q's vector on the CPU given,
# every other vector of both ports on the other one.  XDP attach
# re-requests the vectors, so this runs before every measurement.
pin_irqs()
{
	local irq cpu

	while read -r irq cpu; do
		echo "$cpu" > /proc/irq/"$irq"/smp_affinity_list 2>/dev/null
	done < <(awk -v a="$A-TxRx-" -v b="$B-TxRx-" -v q="$B-TxRx-$QUEUE" -v c="$1" '
		index($NF, a) == 1 || index($NF, b) == 1 {
			sub(":", "", $1); print $1, ($NF == q ? c : 1 - c) }' /proc/interrupts)
}

# The one ntuple rule run.sh added ("Added rule with ID N"), if any.  XDP
# attach and detach restart the port, which drops it on its own; deleting
# a rule that is gone fails harmlessly.
RULE=
clear_rules()
{
	[ -n "$RULE" ] && in_b ethtool -N "$B" delete "$RULE" 2>/dev/null
	RULE=
}

# steer ACTION: the source's flow to queue ACTION (-1: the NIC drops it)
steer()
{
	local out

	out=$(in_b ethtool -N "$B" flow-type udp4 dst-port $PORT action "$1") || return 1
	[[ $out =~ ID\ ([0-9]+) ]] && RULE=${BASH_REMATCH[1]}
	return 0
}

reserve()
{
	[ -n "$RESERVED" ] && return 0
	echo "$QUEUE" > "$CD/reserve" || return 1
	RESERVED=1
}

release()
{
	[ -z "$RESERVED" ] && return 0
	echo "$QUEUE" > "$CD/release" || return 1
	RESERVED=
}

# prepare METHOD: the queue reserved or not, the steering rule in place
# (bifurc steers itself, with a rule its file owns; AF_XDP only once the
# port has restarted with XDP; "none" keeps the queue reserved and steers
# the flow to the NIC's drop action: a reserved queue nobody attached is
# an ordinary kernel ring, and the frames would reach the stack).
prepare()
{
	clear_rules
	case $1 in
	bifurc-mirror|bifurc-tap) reserve && echo "$QUEUE on" > "$CD/mirror" ;;
	bifurc*) reserve && { [ ! -e "$CD/mirror" ] || echo "$QUEUE off" > "$CD/mirror"; } ;;
	none) reserve && steer -1 ;;
	afxdp*) release ;;
	*) release && steer $QUEUE ;;
	esac
	busy_defer "$1"
}

# busy_defer METHOD: for the kernel's preferred busy polling (AF_XDP and
# socket busy-poll), the port's NAPI keeps its interrupt masked while the
# application polls (napi_defer_hard_irqs, gro_flush_timeout 200 us as in
# the kernel's documentation); every other method runs with both at 0.
busy_defer()
{
	local defer=0 timeout=0

	case $1 in afxdp-busy|recvmmsg-busy) defer=2 timeout=200000 ;; esac
	in_b sh -c "echo $defer > /sys/class/net/$B/napi_defer_hard_irqs &&
		echo $timeout > /sys/class/net/$B/gro_flush_timeout"
}

# tap_start / tap_stop: tcpdump on port B writing every frame of the
# steered flow to /dev/null, as an operator's tcpdump on the bypassed
# queue would (bifurc-tap)
TAP=
tap_start()
{
	ip netns exec $NS_B tcpdump -i "$B" -n -w /dev/null "udp port $PORT" 2> /tmp/tap.err &
	TAP=$!
	wait_for 150 grep -q "listening on" /tmp/tap.err ||
		{ log "bifurc-tap: tcpdump did not start: $(tr '\n' ' ' < /tmp/tap.err)"; tap_stop; return 1; }
}

tap_stop()
{
	kill -INT $TAP 2> /dev/null
	wait $TAP 2> /dev/null
	TAP=
}

# tcp_cpu_work: what interrupts TCP_CPU so far: all its interrupts, those
# of the flow's vector (queue Q of port B), its NET_RX softirqs.
tcp_cpu_work()
{
	awk -v c=$((P[tcp_cpu] + 2)) -v q="$B-TxRx-$QUEUE" '
		FILENAME ~ /interrupts/ && FNR > 1 { irq += $c; if ($NF == q) vec += $c }
		FILENAME ~ /softirqs/ && $1 == "NET_RX:" { rx = $c }
		END { print irq + 0, vec + 0, rx + 0 }' /proc/interrupts /proc/softirqs
}

# cpu_insns: a profile mark from the receiver's CPU (the stream's pays
# nothing for it), then the instruction count of every CPU since boot
# ("cpu N insns" lines) from the newest snapshot.  A receiver's own marks
# may land in between: any snapshot of that instant does as well.
cpu_insns()
{
	local marks

	taskset -c "$RX_CPU" "$BIN" -M || return
	marks=$(ls -v "$RESULTS"/prof-*.txt 2>/dev/null | tail -1)
	[ -n "$marks" ] || { log "tcp_insns=1 but no snapshot: no plugin?" >&2; return; }
	awk '$1 == "cpu" { printf "%s ", $3 }' "$marks"
}

# in_octets: the bytes IP took in, in B's namespace so far
in_octets()
{
	in_b awk '$1 == "IpExt:" && !n { for (i = 2; i <= NF; i++) if ($i == "InOctets") c = i; n = 1; next }
		$1 == "IpExt:" { print $c }' /proc/net/netstat
}

# tcp_side SECS: the kernel TCP stream from A to B, both ends and port B's
# queue 0 on TCP_CPU, for SECS seconds after one omitted second.  Sets
# SIDE_JSON to its throughput and to what interrupted TCP_CPU meanwhile;
# with tcp_insns=1, to each CPU's instructions and IP's bytes too.
tcp_side()
{
	local secs=$1 bps start end irq0 vec0 rx0 irq1 vec1 rx1 ins0 ins1 oct0

	read -r start _ < /proc/uptime
	read -r irq0 vec0 rx0 < <(tcp_cpu_work)
	if [ "${P[tcp_insns]}" = 1 ]; then
		oct0=$(in_octets)
		ins0=$(cpu_insns)
	fi
	ip netns exec $NS_A iperf3 -c $ADDR_B -p $TCP_PORT -t "$secs" \
		-O 1 -A ${P[tcp_cpu]},${P[tcp_cpu]} -J > /tmp/iperf3.json 2>/dev/null
	read -r end _ < /proc/uptime
	read -r irq1 vec1 rx1 < <(tcp_cpu_work)
	[ "${P[tcp_insns]}" = 1 ] && ins1=$(cpu_insns)
	if [ -n "$ins0" ] && [ -n "$ins1" ]; then
		SIDE_JSON+=$(awk -v a="$ins0" -v b="$ins1" -v o0="$oct0" -v o1="$(in_octets)" \
			-v t="${P[tcp_cpu]}" 'BEGIN {
				n = split(a, x); split(b, y)
				printf ", \"tcp_insns\": {\"stream_cpu\": %d, \"in_octets\": %.0f, \"cpu\": [", t, o1 - o0
				for (i = 1; i <= n; i++)
					printf "%s%.0f", (i > 1 ? ", " : ""), y[i] - x[i]
				printf "]}" }')
	fi
	# the average, and each second's Mbit/s (a stall shows as a hole)
	bps=$(python3 -c 'import json, sys
try:
	j = json.load(sys.stdin)
	print(int(j["end"]["sum_received"]["bits_per_second"]), "[" + ", ".join(
		"%.0f" % (i["sum"]["bits_per_second"] / 1e6) for i in j["intervals"]) + "]")
except Exception:
	print(0, "[]")' < /tmp/iperf3.json)
	# CLOCK_MONOTONIC, as bench-rx's window_start_s: do they overlap?
	SIDE_JSON+=", \"tcp_bps\": ${bps%% *}, \"tcp_mbps\": ${bps#* }"
	SIDE_JSON+=", \"tcp_start_s\": $start, \"tcp_end_s\": $end"
	SIDE_JSON+=", \"tcp_cpu\": {\"irqs\": $((irq1 - irq0)), \"flow_vec_irqs\": $((vec1 - vec0)), \"net_rx\": $((rx1 - rx0))}"
}

# spin_side SECS: a busy loop on the receiver's CPU instead of a receiver:
# what any guest load on that CPU takes from the stream, since the
# emulator runs both vCPUs and the packet source on two host cores.
spin_side()
{
	taskset -c "$RX_CPU" timeout "$(($1 + 1))" sh -c 'while :; do :; done' &
	tcp_side "$1"
	wait $!
}

# host_cpu_json BEFORE AFTER: what the emulator spent between two answers
# to hostctl's host-cpu (testbed/vm.py), in host seconds by thread kind:
# the main loop (the device model and its packet source), each vCPU, the
# rest, and the host's wall clock.
host_cpu_json()
{
	awk 'NR == FNR { t0[$1] = $2; next }
		$1 in t0 { s = s sep sprintf("\"%s\": %.3f", $1, ($2 - t0[$1]) / 1e9); sep = ", " }
		END { printf ", \"host_s\": {%s}", s }' <(printf '%s\n' "$1") <(printf '%s\n' "$2")
}

# The profile (prof=1): the plugin writes $RESULTS/prof-N.txt at the N-th
# mark, two per run (bench-rx's window).  The receiver's memory map and the
# JIT'd XDP program's address are only there while it runs.
prof_keep_maps()
{
	local rx

	rx=$(pgrep -n -x bench-rx) || return
	cp "/proc/$rx/maps" "$RESULTS/maps-$rx.txt"
	# the symbols of this very binary (bench/prof/report.py)
	nm --defined-only "$BIN" > "$RESULTS/nm-${BIN##*/}.txt"
	grep ' bpf_prog_' /proc/kallsyms >> "$RESULTS/kallsyms-bpf.txt"
	PROF_MAPS=maps-$rx.txt
}

prof_json()
{
	local marks=("$RESULTS"/prof-*.txt)

	[ -e "${marks[0]}" ] || marks=()
	printf ', "prof": {"marks": %d, "maps": "%s"}' "${#marks[@]}" "${PROF_MAPS:-}"
}

# measure PHASE METHOD REP RATE SECS WARM APP_CPU IRQ_CPU [SIDE ARGS...]:
# one run of bench-rx against the source at RATE (0: as fast as the model
# goes).  METHOD "none" runs no receiver (the NIC's drop action takes the
# source's frames), and with RATE 0 no source either.  SIDE ARGS, a
# function and its arguments, runs in the foreground once the source is
# on.  Appends one line to OUT.
measure()
{
	local phase=$1 method=$2 rep=$3 rate=$4 secs=$5 warm=$6 app_cpu=$7 irq_cpu=$8
	local opts=() res=null line offered=0 delivered=0 dropped=0 pid= src=1 rx host0 rc

	shift 8
	SIDE_JSON=
	case $method in
	bifurc-busy) opts=(-m bifurc -b) ;;
	bifurc-raw) opts=(-m bifurc -r) ;;
	bifurc-raw-busy) opts=(-m bifurc -r -b) ;;
	bifurc-mirror|bifurc-tap) opts=(-m bifurc) ;;
	afxdp-busy|recvmmsg-busy) opts=(-m "${method%-busy}" -b) ;;
	none) [ "$rate" -eq 0 ] && src= ;;
	*) opts=(-m "$method") ;;
	esac
	prepare "$method" || { log "$method: cannot prepare the queue"; return 1; }
	[ "$method" = bifurc-tap ] && { tap_start || return 1; }
	if [ -n "$src" ] && [ "$rate/$secs/$warm" != "${SOURCE_SET:-}" ]; then
		# the source outlasts the window: warm-up + window + 0.5 s for
		# the first frame to arrive and the window to close
		# (-W: the source's run is the window)
		qom set rate "$rate" >/dev/null &&
			qom set duration-ms "$(awk -v w="$warm" -v s="$secs" -v x="${RX_WHOLE:+1}" \
				'BEGIN { printf "%d", (x ? s : w + s + 0.5) * 1000 }')" >/dev/null ||
			return 1
		SOURCE_SET=$rate/$secs/$warm
	fi
	if [ "$method" != none ]; then
		# bench-rx talks through a FIFO: "ready", later "result {...}";
		# the shell blocks on it instead of polling a file
		in_b "$BIN" "${opts[@]}" ${RX_WHOLE:+-W} -i "$B" -q $QUEUE -p $PORT -c "$app_cpu" \
			-w "$warm" -t "$secs" -s 60 > "$FIFO" 2> /tmp/rx.err &
		pid=$!
		exec {rx}< "$FIFO"
		if ! read -r -t 120 line <&$rx || [ "$line" != ready ]; then
			kill $pid 2>/dev/null; wait $pid; exec {rx}<&-
			log "$method: bench-rx did not start: $(tr '\n' ' ' < /tmp/rx.err)"
			return 1
		fi
	fi
	[ "${P[prof]}" = 1 ] && [ -n "$pid" ] && prof_keep_maps
	if [[ $method == afxdp* ]]; then
		PINNED=	# XDP attach re-requested the vectors
		# The XDP program hands the socket everything that arrives on
		# queue Q, and RSS spreads other flows over every queue: a TCP
		# stream whose SYN hashed to Q never connected (SYNs eaten, 20
		# s and more of backoff).  Keep Q out of RSS while the socket
		# is there, as a bifurc reservation does.
		wait_for 150 link_is_up $NS_B "$B" &&
			in_b ethtool -X "$B" equal "$QUEUE" && steer $QUEUE ||
			log "afxdp: cannot set up RSS and steer after the XDP restart"
	fi
	if [ "${PINNED:-}" != "$irq_cpu" ]; then
		pin_irqs "$irq_cpu"
		PINNED=$irq_cpu
	fi
	if [ -n "$src" ]; then
		qom set run true >/dev/null ||
			{ [ -n "$pid" ] && kill $pid; wait; exec {rx}<&-; return 1; }
	fi
	if [ $# -gt 0 ]; then
		host0=$(hc host-cpu)
		"$@"
		SIDE_JSON+=$(host_cpu_json "$host0" "$(hc host-cpu)")
	fi
	if [ -n "$pid" ]; then
		# RX_TIMEOUT (guest seconds): a receiver that has not ended by
		# then is killed and the run fails (AF_XDP stopped for good at
		# 3.2 Mpps under icount)
		while :; do
			read -r -t "${RX_TIMEOUT:-86400}" line <&$rx
			rc=$?
			if [ $rc -gt 128 ]; then
				log "$method: no result after ${RX_TIMEOUT}s: killed"
				kill -9 $pid
				[[ $method == afxdp* ]] && in_b ip link set dev "$B" xdp off
				break
			fi
			[ $rc -eq 0 ] || break
			[[ $line == "result "* ]] && res=${line#result }
		done
		exec {rx}<&-
		wait $pid
	fi
	[ "$method" = bifurc-tap ] && tap_stop
	if [ -n "$src" ]; then
		wait_for 100 eval '! source_running' || qom set run false >/dev/null
		offered=$(qom get offered) delivered=$(qom get delivered) dropped=$(qom get dropped)
	fi
	if [ -n "$pid" ] && [ "$res" = null ]; then
		log "$phase $method rep $rep: no result: $(tr '\n' ' ' < /tmp/rx.err)"
		return 1
	fi
	if [ "${P[prof]}" = 1 ]; then
		SIDE_JSON+=$(prof_json)
		PROF_MAPS=
	fi
	printf '{"phase": "%s", "method": "%s", "rep": %d, "rate": %d, "source": {"offered": %d, "delivered": %d, "nic_dropped": %d}, "rx": %s%s}\n' \
		"$phase" "$method" "$rep" "$rate" "$offered" "$delivered" "$dropped" "$res" "$SIDE_JSON" >> "$OUT"
	line="$phase $method rep $rep rate $rate: offered $offered, NIC dropped $dropped"
	[[ $res =~ \"total_pkts\":\ ([0-9]+) ]] && line+=", received ${BASH_REMATCH[1]}"
	[[ $res =~ \"ns_per_pkt\":\ ([0-9.]+) ]] && line+=", ${BASH_REMATCH[1]} ns/pkt"
	log "$line$SIDE_JSON"
	if [[ $method == afxdp* ]]; then
		# XDP detach restarted the port: its vectors are new and
		# unpinned, and the next run's stream must not find its queue
		# on the other CPU
		PINNED=
		wait_for 150 link_is_up $NS_B "$B"
		in_b ethtool -X "$B" default
	fi
	return 0
}

# ---- phase 1: the fixed-rate comparison ---------------------------------

IFS=, read -ra RATES <<< "${P[rates]:-${P[rate]}}"
for rate in "${RATES[@]}"; do
	for rep in $(seq 1 "${P[reps]}"); do
		for m in "${METHODS[@]}"; do
			measure rate "$m" "$rep" "$rate" "${P[secs]}" "${P[warm]}" \
				"${P[app_cpu]}" "${P[irq_cpu]}" ||
				log "rate $m rep $rep: FAILED"
		done
	done
done
ktap_print_msg "fixed-rate phase done"
[ "${P[prof]}" = 1 ] && cp /proc/kallsyms "$RESULTS/kallsyms.txt"

# ---- phase 2: a kernel TCP stream on the same port ----------------------
#
# The stream (iperf3 from A to B; B's RSS queue 0) and the bypass receiver
# get a CPU each: TCP_CPU for both iperf3 ends and queue 0's vector,
# the other one for the receiver and queue Q's vector.  Configurations,
# each rep in this order: the stream alone; next to the source at
# full_rate steered to the NIC's drop action (what the model's own work,
# done on the host's CPUs, takes from the stream); next to a busy loop on
# the other CPU and no flow (what a busy vCPU takes from it: the control
# for busy-poll); next to bifurc receiving full_rate (interrupt mode, then
# busy-poll); next to AF_XDP receiving it (its XDP program runs on every
# queue, the stream's too: what the alternative costs the kernel).

if [ "${P[tcp]}" = 1 ]; then
	FULL=${P[full_rate]}
	# the receiver's window opens this long after its first frame, when
	# the stream, started with the source, has connected and taken the
	# snapshots before it (a stream of the window's length needs that
	# much of a head start to cover it)
	TCP_WARM=2
	RX_CPU=$((1 - ${P[tcp_cpu]}))
	ip netns exec $NS_B iperf3 -s -p $TCP_PORT -A "${P[tcp_cpu]}" > /dev/null 2>&1 &
	IPERF=$!
	sleep 1
	for rep in $(seq 1 "${P[reps]}"); do
		measure tcp none "$rep" 0 "${P[tcp_secs]}" $TCP_WARM \
			"$RX_CPU" "$RX_CPU" tcp_side "${P[tcp_secs]}"
		measure tcp none "$rep" "$FULL" "${P[tcp_secs]}" $TCP_WARM \
			"$RX_CPU" "$RX_CPU" tcp_side "${P[tcp_secs]}"
		measure tcp-spin none "$rep" 0 "${P[tcp_secs]}" $TCP_WARM \
			"$RX_CPU" "$RX_CPU" spin_side "${P[tcp_secs]}"
		for m in bifurc bifurc-busy afxdp; do
			measure tcp "$m" "$rep" "$FULL" "${P[tcp_secs]}" \
				$TCP_WARM "$RX_CPU" "$RX_CPU" tcp_side "${P[tcp_secs]}"
		done
	done
	kill $IPERF 2>/dev/null
	wait $IPERF 2>/dev/null
	ktap_print_msg "TCP phase done"
fi

# ---- phase 3: saturation ------------------------------------------------
#
# The source paced (frames evenly spaced, as on a wire, no 1 ms bursts);
# a probe at RATE passes when the method received every frame offered.
# bench-rx measures the whole probe (-W): busy time of all CPUs from
# before the first frame to the end of the tail, per frame.  A polling
# method keeps its CPU busy however few frames come, so at its
# saturation rate that is 1e9 / rate ns plus the others' work.

LINE_RATE=14880952	# 60-byte frames on 10 Gb/s: the model's cap when paced
declare -A SAT
IFS=, read -ra given <<< "${P[lat_sat]}"
for w in "${given[@]}"; do
	[[ $w =~ ^([a-z-]+):([0-9]+)$ ]] || die "lat_sat: '$w' is not METHOD:RATE"
	SAT[${BASH_REMATCH[1]}]=${BASH_REMATCH[2]}
done

# sat_probe METHOD RATE: true if one run at RATE lost nothing
sat_probe()
{
	local last

	measure sat "$1" 1 "$2" "${P[sat_secs]}" "${P[sat_warm]}" \
		"${P[app_cpu]}" "${P[irq_cpu]}" || return 1
	last=$(tail -n 1 "$OUT")
	[[ $last =~ \"offered\":\ ([0-9]+) ]] || return 1
	local offered=${BASH_REMATCH[1]}
	[[ $last =~ \"total_pkts\":\ ([0-9]+) ]] || return 1
	[ "$offered" -gt 0 ] && [ "${BASH_REMATCH[1]}" -eq "$offered" ]
}

# sat_search METHOD [PROBE]: SAT[METHOD] = the highest lossless rate
# PROBE METHOD RATE found (default sat_probe)
sat_search()
{
	local m=$1 probe=${2:-sat_probe} good=0 bad=0 rate=${P[sat_start]} mid

	while [ "$bad" -eq 0 ]; do
		if $probe "$m" "$rate"; then
			good=$rate
			[ "$rate" -ge $LINE_RATE ] && break
			rate=$((rate * 2 > LINE_RATE ? LINE_RATE : rate * 2))
		else
			bad=$rate
		fi
	done
	while [ "$bad" -gt 0 ] && [ $(((bad - good) * P[sat_precision])) -gt "$bad" ]; do
		mid=$(((good + bad) / 2))
		if $probe "$m" "$mid"; then good=$mid; else bad=$mid; fi
	done
	SAT[$m]=$good
	printf '{"phase": "sat-result", "method": "%s", "rate": %d, "lost_at": %d}\n' \
		"$m" "$good" "$bad" >> "$OUT"
	log "saturation $m: $good pps without loss$([ "$bad" -gt 0 ] && echo ", loss at $bad")"
}

if [ "${P[sat]}" = 1 ]; then
	qom set paced true >/dev/null || die "the source cannot be paced"
	SOURCE_SET=
	# bench-rx -W: no snapshot while frames arrive (see guest/rx.c)
	RX_WHOLE=1 RX_TIMEOUT=5
	IFS=, read -ra SAT_METHODS <<< "${P[sat_methods]}"
	for m in "${SAT_METHODS[@]}"; do
		sat_search "$m"
	done
	qom set paced false >/dev/null
	SOURCE_SET= RX_WHOLE= RX_TIMEOUT=
	ktap_print_msg "saturation phase done"
fi

# ---- phase 4: latency ----------------------------------------------------
#
# An echo on port B answers each stamped frame of the paced source out of
# port B; the model times each echo from the stamp to the wire.  bifurc:
# libbifurc's udp-echo (TX on the reserved queue's ring, interrupt or -b
# busy-poll).  kernel: bench-echo, a UDP socket (recvmmsg/sendmmsg; -b
# busy-polls the queue).  afxdp: bench-xdp-echo, an AF_XDP socket in
# zero-copy mode that sends each frame back from the UMEM frame it came in
# (-b busy-polls).  The source's address needs no ARP answer.

# nic_counters: port B's ethtool -S counters that say where frames went
# (per queue, Flow Director, no-buffer drops), one "name value" a line
nic_counters()
{
	in_b ethtool -S "$B" | awk -F': *' '{ sub(/^ +/, "", $1) }
		$1 ~ /^(rx_queue_[0-9]+_packets|tx_queue_[0-9]+_packets|fdir_(match|miss)|rx_no_dma_resources|rx_missed_errors|bifurc_q[0-9]+_(rx_packets|rx_no_buf|tx_packets))$/ { print $1, $2 }' | sort
}

# lat_run METHOD RATE SECS
lat_run()
{
	local m=$1 rate=$2 secs=$3 pid out echo_rx cmd=() count p50 p99 p999 max offered dropped nic0 nic1 moved miss

	case $m in
	bifurc) prepare bifurc; cmd=("$UDP_ECHO" -i "$B" -q $QUEUE -p $PORT) ;;
	bifurc-busy) prepare bifurc; cmd=("$UDP_ECHO" -i "$B" -q $QUEUE -p $PORT -b) ;;
	kernel) prepare recvmmsg; cmd=("$ECHO_BIN" -p $PORT) ;;
	kernel-busy) prepare recvmmsg-busy; cmd=("$ECHO_BIN" -p $PORT -b) ;;
	afxdp) prepare afxdp; cmd=("$XDP_ECHO_BIN" -i "$B" -q $QUEUE) ;;
	afxdp-busy) prepare afxdp-busy; cmd=("$XDP_ECHO_BIN" -i "$B" -q $QUEUE -b) ;;
	*) log "latency: unknown method $m"; return 1 ;;
	esac
	pin_irqs "${P[irq_cpu]}"
	PINNED=${P[irq_cpu]}
	# not through in_b: $! must be the echo itself, for the kill below
	ip netns exec $NS_B env LD_LIBRARY_PATH="$TOP/lib/libbifurc/build" \
		taskset -c "${P[app_cpu]}" "${cmd[@]}" > /tmp/echo.out 2>&1 &
	pid=$!
	if ! wait_for 150 test -s /tmp/echo.out || ! kill -0 $pid 2>/dev/null; then
		log "latency $m: the echo did not start: $(tr '\n' ' ' < /tmp/echo.out)"
		kill $pid 2>/dev/null; wait $pid
		return 1
	fi
	# XDP attach restarted the port: steer as measure() does, pin anew
	if [[ $m == afxdp* ]] && ! { wait_for 150 link_is_up $NS_B "$B" &&
		in_b ethtool -X "$B" equal "$QUEUE" && steer $QUEUE &&
		pin_irqs "${P[irq_cpu]}"; }; then
		log "latency $m: cannot steer after the XDP restart"
		kill $pid; wait $pid
		return 1
	fi
	# Right after an attachment of the queue closed, the first 15-20 ms
	# of the flow reached queue 0 (150-220 frames at 10,000 pps, with
	# the echo's rule already added): start the source once that passed.
	nic0=$(nic_counters)
	sleep 0.5
	qom set rate "$rate" >/dev/null &&
		qom set duration-ms "$(awk -v s="$secs" 'BEGIN { printf "%d", s * 1000 }')" >/dev/null &&
		qom set run true >/dev/null || { kill $pid; wait $pid; return 1; }
	# Sleep through the run: under icount the vCPUs take turns on one
	# host thread, and a shell polling on CPU 0 would delay CPU 1's echo.
	sleep "$(awk -v s="$secs" 'BEGIN { print s + 0.3 }')"
	source_running && { log "latency $m: the source outlasted its run"; qom set run false; }
	# what changed, before the echo's exit restarts an XDP port
	nic1=$(nic_counters)
	moved=$(join <(echo "$nic0") <(echo "$nic1") |
		awk '$3 != $2 { printf " %s +%d", $1, $3 - $2 }')
	# frames that another queue of port B received (the kernel's)
	miss=$(join <(echo "$nic0") <(echo "$nic1") | awk -v q="rx_queue_${QUEUE}_packets" '
		$1 ~ /^rx_queue_[0-9]+_packets$/ && $1 != q { n += $3 - $2 }
		END { print n + 0 }')
	kill -TERM $pid; wait $pid
	if [[ $m == afxdp* ]]; then
		# XDP detach restarted the port (see measure)
		PINNED=
		wait_for 150 link_is_up $NS_B "$B"
		in_b ethtool -X "$B" default
	fi
	echo_rx=$(tr '\n' ' ' < /tmp/echo.out)
	offered=$(qom get offered) dropped=$(qom get dropped) count=$(qom get rtt-count)
	p50=$(qom get rtt-p50-ns) p99=$(qom get rtt-p99-ns)
	p999=$(qom get rtt-p999-ns) max=$(qom get rtt-max-ns)
	if [ $((miss * 100)) -gt "$offered" ]; then
		# the test bed's fault, not the echo's: the steering rule was
		# not in force (seen after XDP restarts), and RSS put the flow
		# on another queue
		printf '{"phase": "lat-miss", "method": "%s", "rate": %d, "other_queues": %d, "echoed": %d}\n' \
			"$m" "$rate" "$miss" "$count" >> "$OUT"
		log "latency $m at $rate pps: $miss frames went to another queue (echoed $count); port B:$moved"
		return 2
	fi
	printf '{"phase": "lat", "method": "%s", "rate": %d, "offered": %d, "nic_dropped": %d, "echoed": %d, "p50_ns": %d, "p99_ns": %d, "p999_ns": %d, "max_ns": %d}\n' \
		"$m" "$rate" "$offered" "$dropped" "$count" "$p50" "$p99" "$p999" "$max" >> "$OUT"
	log "latency $m at $rate pps: offered $offered, NIC dropped $dropped, echoed $count, p50 $p50 p99 $p99 p999 $p999 max $max ns ($echo_rx); port B:$moved"
	[ "$count" -gt 0 ]
}

# lat_try METHOD RATE SECS: lat_run, once more if the flow missed its rule
lat_try()
{
	local rc

	lat_run "$@"
	rc=$?
	[ $rc -eq 2 ] || return $rc
	lat_run "$@"
}

if [ "${P[lat]}" = 1 ]; then
	[ -x "$UDP_ECHO" ] && [ -x "$ECHO_BIN" ] && [ -x "$XDP_ECHO_BIN" ] ||
		die "no $UDP_ECHO, $ECHO_BIN or $XDP_ECHO_BIN"
	in_b ip neigh replace $SRC_IP lladdr 02:00:00:00:00:01 dev "$B" nud permanent ||
		die "cannot add the source's neighbour entry"
	qom set paced true && qom set stamp true && qom set count 0 >/dev/null ||
		die "the source cannot be paced and stamped"
	SOURCE_SET=
	IFS=, read -ra LAT_METHODS <<< "${P[lat_methods]}"
	for m in "${LAT_METHODS[@]}"; do
		lat_try "$m" "${P[lat_rate]}" "${P[lat_secs]}" || log "latency $m: FAILED"
		# at half of what its receive side takes without loss
		case $m in
		kernel*) sat=${SAT[recvmmsg]:-0} ;;
		*) sat=${SAT[$m]:-0} ;;
		esac
		[ "$sat" -gt $((2 * P[lat_rate])) ] &&
			{ lat_try "$m" $((sat / 2)) "${P[lat_sat_secs]}" || log "latency $m: FAILED"; }
	done
	qom set paced false && qom set stamp false >/dev/null
	ktap_print_msg "latency phase done"
fi

# ---- phase 4b: TX ----------------------------------------------------------
#
# bench-tx sends from queue Q of port B to port A's address and MAC; port
# A's Flow Director drops the flow (no guest CPU handles the frames) and
# its good-frames counter, which bench-tx reads at both ends of its
# window, counts them.  The sender and Q's vector share CPU app_cpu, as
# in the sat mode, under the same static interrupt throttle.  sendmmsg's
# socket reaches queue Q through XPS (CPU app_cpu -> Q, the other CPU ->
# the other queues) and A's MAC through a permanent neighbour entry.

# tx_setup: port A drops and counts the flow; B knows A's MAC
tx_setup()
{
	local i mask

	A_MAC=$(ip netns exec $NS_A cat /sys/class/net/"$A"/address) || return 1
	ip netns exec $NS_A ethtool -K "$A" ntuple on || return 1
	wait_for 100 link_is_up $NS_A "$A" || return 1
	ip netns exec $NS_A ethtool -N "$A" flow-type udp4 dst-port $PORT action -1 >/dev/null ||
		return 1
	in_b ip neigh replace $ADDR_A lladdr "$A_MAC" dev "$B" nud permanent || return 1
	for ((i = 0; i < NQ; i++)); do
		mask=$((1 << (i == QUEUE ? P[app_cpu] : 1 - P[app_cpu])))
		in_b sh -c "echo $mask > /sys/class/net/$B/queues/tx-$i/xps_cpus" || return 1
	done
}

# tx_result: the result object of the bench-tx output on stdin, or null
tx_result()
{
	local line res=null

	while IFS= read -r line; do
		[[ $line == "result "* ]] && res=${line#result }
	done
	echo "$res"
}

# tx_run METHOD RATE (0: saturation)
tx_run()
{
	local m=$1 rate=$2 res line mapsopt=() side=

	case $m in
	bifurc) prepare bifurc ;;
	*) release && clear_rules && busy_defer "$m" ;;
	esac || { log "tx $m: cannot prepare the queue"; return 1; }
	pin_irqs "${P[irq_cpu]}"
	PINNED=${P[irq_cpu]}
	[ "${P[prof]}" = 1 ] && mapsopt=(-M "$RESULTS/maps-tx-$m-$rate.txt")
	res=$(in_b "$TX_BIN" -m "$m" -i "$B" -q $QUEUE -A $NS_A:"$A" -D "$A_MAC" \
		-d $ADDR_A -s $ADDR_B -p $PORT -r "$rate" -c "${P[app_cpu]}" \
		-P "${P[irq_cpu]}" -w "${P[tx_warm]}" -t "${P[tx_secs]}" "${mapsopt[@]}" \
		2> /tmp/tx.err | tx_result)
	if [ "$m" = afxdp ]; then
		# XDP detach restarted the port: new, unpinned vectors
		PINNED=
		wait_for 150 link_is_up $NS_B "$B"
	fi
	if [ "$res" = null ]; then
		log "tx $m rate $rate: no result: $(tr '\n' ' ' < /tmp/tx.err)"
		return 1
	fi
	if [ "${P[prof]}" = 1 ]; then
		nm --defined-only "$TX_BIN" > "$RESULTS/nm-${TX_BIN##*/}.txt"
		PROF_MAPS=maps-tx-$m-$rate.txt
		side=$(prof_json)
	fi
	printf '{"phase": "tx", "method": "%s", "rate": %d, "tx": %s%s}\n' "$m" "$rate" "$res" \
		"$side" >> "$OUT"
	line="tx $m rate $rate:"
	[[ $res =~ \"sent\":\ ([0-9]+) ]] && line+=" sent ${BASH_REMATCH[1]},"
	[[ $res =~ \"delivered\":\ ([0-9]+) ]] && line+=" delivered ${BASH_REMATCH[1]},"
	[[ $res =~ \"pps\":\ ([0-9]+) ]] && line+=" ${BASH_REMATCH[1]} pps,"
	[[ $res =~ \"ns_per_pkt\":\ ([0-9.]+) ]] && line+=" ${BASH_REMATCH[1]} ns/pkt"
	log "$line"
}

if [ "${P[tx]}" = 1 ]; then
	[ -x "$TX_BIN" ] || die "$TX_BIN not built (make -C bench)"
	tx_setup || die "TX: cannot set up port A's drop rule or B's XPS"
	IFS=, read -ra TX_METHODS <<< "${P[tx_methods]}"
	for m in "${TX_METHODS[@]}"; do
		for rate in "${P[tx_rate]}" 0; do
			tx_run "$m" "$rate" || log "tx $m rate $rate: FAILED"
		done
	done
	ktap_print_msg "TX phase done"
fi

# ---- phase 5: DPDK's testpmd on port B ----------------------------------
#
# Port B leaves the kernel for uio_pci_generic, so this runs last.  One
# testpmd process per run: EAL init, "Press enter to exit" (forwarding
# has started), the source's run, then a newline stops it and it prints
# the port's statistics.  A run is lossless when the NIC dropped nothing
# and testpmd received every frame offered.  Its forwarding lcore polls
# without pause: at the saturation rate its CPU per packet is 1e9 / rate
# ns under icount, whatever the rate.

TESTPMD=$(command -v dpdk-testpmd)
DEVBIND=$(command -v dpdk-devbind.py)

dpdk_setup()
{
	local pci

	[ -n "$TESTPMD" ] && [ -n "$DEVBIND" ] ||
		{ log "dpdk: no dpdk-testpmd or dpdk-devbind.py (bench/install-deps.sh)"; return 1; }
	pci=$(basename "$(in_b readlink -f /sys/class/net/"$B"/device)")
	release
	mkdir -p /dev/hugepages &&
		{ mountpoint -q /dev/hugepages || mount -t hugetlbfs none /dev/hugepages; } || return 1
	echo 256 > /sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages
	[ "$(cat /sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages)" -ge 150 ] ||
		{ log "dpdk: no hugepages"; return 1; }
	modprobe uio_pci_generic && "$DEVBIND" -b uio_pci_generic "$pci" ||
		{ log "dpdk: cannot bind $pci to uio_pci_generic"; return 1; }
	DPDK_PCI=$pci
}

# dpdk_run MODE RATE SECS: testpmd in MODE (rxonly, macswap) while the
# source runs at RATE for SECS; sets DPDK_RX to the frames it received
dpdk_run()
{
	local mode=$1 rate=$2 secs=$3 fifo=/tmp/testpmd.in out=/tmp/testpmd.out pid fd

	rm -f $fifo && mkfifo $fifo
	# line-buffered: its prompt must reach the file while it runs
	stdbuf -oL "$TESTPMD" -l 0-1 -n 1 -m 300 --iova-mode=pa --file-prefix=bench \
		-a "$DPDK_PCI" -- --forward-mode="$mode" --port-topology=loop \
		--rxq=1 --txq=1 --rxd=512 --txd=512 < $fifo > $out 2>&1 &
	pid=$!
	exec {fd}> $fifo
	if ! wait_for 600 grep -q "Press enter to exit" $out; then
		log "dpdk: testpmd did not start: $(tail -n 5 $out | tr '\n' ' ')"
		kill $pid; wait $pid; exec {fd}>&-
		return 1
	fi
	qom set rate "$rate" >/dev/null &&
		qom set duration-ms "$(awk -v s="$secs" 'BEGIN { printf "%d", s * 1000 }')" >/dev/null &&
		qom set run true >/dev/null || { kill $pid; wait $pid; exec {fd}>&-; return 1; }
	sleep "$(awk -v s="$secs" 'BEGIN { print s + 0.3 }')"
	source_running && qom set run false >/dev/null
	echo >&$fd
	exec {fd}>&-
	wait $pid
	# the forward statistics' "RX-packets: N" of the port
	DPDK_RX=$(awk '/RX-packets:/ { print $2; exit }' $out)
	[ -n "$DPDK_RX" ] || { log "dpdk: no statistics: $(tail -n 5 $out | tr '\n' ' ')"; return 1; }
}

# dpdk_probe METHOD RATE: sat_search's probe for testpmd rxonly
dpdk_probe()
{
	local offered dropped
	dpdk_run rxonly "$2" "${P[sat_secs]}" || return 1
	offered=$(qom get offered) dropped=$(qom get dropped)
	printf '{"phase": "sat", "method": "dpdk", "rep": 1, "rate": %d, "source": {"offered": %d, "delivered": %d, "nic_dropped": %d}, "rx": {"total_pkts": %d, "pkts": %d, "ns_per_pkt": %.1f, "syscalls": 0, "vec_irqs": 0, "ctxt": 0}}\n' \
		"$2" "$offered" "$((offered - dropped))" "$dropped" "$DPDK_RX" "$DPDK_RX" \
		"$(awk -v r="$2" 'BEGIN { print 1e9 / r }')" >> "$OUT"
	log "sat dpdk rate $2: offered $offered, NIC dropped $dropped, received $DPDK_RX"
	[ "$dropped" -eq 0 ] && [ "$DPDK_RX" -eq "$offered" ]
}

if [ "${P[dpdk]}" = 1 ]; then
	dpdk_setup || die "DPDK cannot take port B"
	qom set paced true && qom set stamp false >/dev/null
	[ -n "${SAT[dpdk]:-}" ] || sat_search dpdk dpdk_probe
	if [ "${P[lat]}" = 1 ]; then
		qom set stamp true >/dev/null
		for rate in "${P[lat_rate]}" $((SAT[dpdk] / 2)); do
			[ "$rate" -gt 0 ] || continue
			secs=${P[lat_sat_secs]}
			[ "$rate" = "${P[lat_rate]}" ] && secs=${P[lat_secs]}
			dpdk_run macswap "$rate" "$secs" || { log "latency dpdk: FAILED"; continue; }
			printf '{"phase": "lat", "method": "dpdk", "rate": %d, "offered": %d, "nic_dropped": %d, "echoed": %d, "p50_ns": %d, "p99_ns": %d, "p999_ns": %d, "max_ns": %d}\n' \
				"$rate" "$(qom get offered)" "$(qom get dropped)" "$(qom get rtt-count)" \
				"$(qom get rtt-p50-ns)" "$(qom get rtt-p99-ns)" "$(qom get rtt-p999-ns)" \
				"$(qom get rtt-max-ns)" >> "$OUT"
			log "latency dpdk at $rate pps: $(tail -n 1 "$OUT")"
		done
	fi
	qom set paced false && qom set stamp false >/dev/null
	ktap_print_msg "DPDK phase done"
fi

# ---- phase 6: DPDK's testpmd txonly on port B ---------------------------
#
# testpmd sends 60-byte frames of the same flow (addresses, ports, A's MAC)
# from one queue as fast as its forwarding lcore (CPU 1) goes: it has no
# pacing, so saturation only.  bench-tx -m none, on CPU 0, measures the
# machine and port A's counter meanwhile.

if [ "${P[tx]}" = 1 ] && { [ "${P[dpdk]}" = 1 ] || [ "${P[tx_dpdk]}" = 1 ]; }; then
	[ -n "${DPDK_PCI:-}" ] || dpdk_setup || die "DPDK cannot take port B"
	fifo=/tmp/testpmd.in out=/tmp/testpmd.out
	rm -f $fifo && mkfifo $fifo
	stdbuf -oL "$TESTPMD" -l 0-1 -n 1 -m 300 --iova-mode=pa --file-prefix=bench \
		-a "$DPDK_PCI" -- --forward-mode=txonly --port-topology=loop \
		--rxq=1 --txq=1 --rxd=512 --txd=512 --burst=32 --txpkts=60 \
		--tx-ip=$ADDR_B,$ADDR_A --tx-udp=9200,$PORT --eth-peer=0,"$A_MAC" \
		< $fifo > $out 2>&1 &
	pid=$!
	exec {fd}> $fifo
	if wait_for 600 grep -q "Press enter to exit" $out; then
		[ "${P[prof]}" = 1 ] && cp /proc/$pid/maps "$RESULTS/maps-tx-dpdk-0.txt"
		res=$("$TX_BIN" -m none -A $NS_A:"$A" -c 0 -w "${P[tx_warm]}" \
			-t "${P[tx_secs]}" 2> /tmp/tx.err | tx_result)
	else
		res=null
		log "dpdk txonly: testpmd did not start: $(tail -n 5 $out | tr '\n' ' ')"
	fi
	echo >&$fd
	exec {fd}>&-
	wait $pid
	# the port's forward statistics: "TX-packets: N"
	sent=$(grep -o 'TX-packets: *[0-9]*' $out | head -n 1 | grep -o '[0-9]*$')
	if [ "$res" != null ]; then
		prof=
		[ "${P[prof]}" = 1 ] && PROF_MAPS=maps-tx-dpdk-0.txt && prof=$(prof_json)
		printf '{"phase": "tx", "method": "dpdk", "rate": 0, "testpmd_tx": %d, "tx": %s%s}\n' \
			"${sent:-0}" "$res" "$prof" >> "$OUT"
		log "tx dpdk txonly: testpmd sent ${sent:-?} in all; $res"
	else
		log "tx dpdk txonly: FAILED: $(tr '\n' ' ' < /tmp/tx.err)"
	fi
	ktap_print_msg "DPDK TX phase done"
fi

ktap_print_msg "done"
exit 0
