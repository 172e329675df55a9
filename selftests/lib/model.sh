# Helpers for the tests that run on the emulated 82599 ports (sourced after
# ktap.sh).  Ports come in back-to-back pairs (testbed/vm.py --ports).

NS_A=bifurc-a
NS_B=bifurc-b
ADDR_A=10.77.0.1
ADDR_B=10.77.0.2

# load_ixgbe: the module under test: $BIFURC_IXGBE_KO when the harness was
# given one, otherwise the running kernel's own (unmodified) ixgbe.  A
# module left loaded by an earlier test is unloaded first, so every test
# starts from the driver's defaults (RSS fields, ntuple, channels, rules).
load_ixgbe()
{
	local dep

	[ -d /sys/module/ixgbe ] && { unload_ixgbe || return 1; }
	if [ -n "$BIFURC_IXGBE_KO" ]; then
		for dep in $(modinfo -F depends "$BIFURC_IXGBE_KO" | tr , ' '); do
			modprobe "$dep" || return 1
		done
		insmod "$BIFURC_IXGBE_KO" || return 1
	else
		modprobe ixgbe || return 1
	fi
	# only where udevd runs (a test-bed guest has none)
	[ -S /run/udev/control ] && udevadm settle
	# probe is asynchronous to nothing here, but netdev registration of
	# every port must be visible before a test looks for them
	wait_for 50 ports_registered
}

# ports_registered: every emulated 82599 function has its netdev, in the
# init namespace.
ports_registered()
{
	local -a fns ports

	mapfile -t fns < <(ixgbe_functions)
	mapfile -t ports < <(ixgbe_ports)
	[ ${#fns[@]} -gt 0 ] && [ ${#ports[@]} -eq ${#fns[@]} ]
}

unload_ixgbe()
{
	rmmod ixgbe
}

# kernel_complaints: warnings and errors in the kernel log that are not
# the two lines an out-of-tree module always earns, nor the one the kernel
# prints when a timer interrupt ran long, which under TCG means a busy host
# (the splat check still fails a guest on any real WARNING).
kernel_complaints()
{
	dmesg -l emerg,alert,crit,err,warn |
		grep -vE 'loading out-of-tree module taints|module verification failed|hrtimer: interrupt took [0-9]+ ns'
}

# PCI functions of emulated 82599s, in bus order.  Read from sysfs with
# builtins: each process costs a debug guest a good part of a second, and
# the helpers below run in polling loops.
ixgbe_functions()
{
	local dev vendor device

	for dev in /sys/bus/pci/devices/*; do
		read -r vendor < "$dev/vendor" && read -r device < "$dev/device" ||
			continue
		[ "$vendor" = 0x8086 ] || continue
		case $device in
		0x10f7|0x1517|0x10f8) echo "${dev##*/}" ;;
		esac
	done
}

# Interface names bound to ixgbe, in PCI bus order (init namespace only).
ixgbe_ports()
{
	local pci net

	for pci in $(ixgbe_functions); do
		for net in "/sys/bus/pci/devices/$pci/net/"*; do
			[ -e "$net" ] && echo "${net##*/}"
		done
	done
}

# wait_for COUNT CMD...: retry CMD every 0.2 s, at most COUNT times.
wait_for()
{
	local n=$1

	shift
	while [ "$n" -gt 0 ]; do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.2
		n=$((n - 1))
	done
	return 1
}

# link_is_up NS IF: carrier (LOWER_UP); one process, where reading sysfs
# in the namespace would take three.
link_is_up()
{
	[[ $(ip -n "$1" -o link show dev "$2" 2>/dev/null) == *LOWER_UP* ]]
}

# split_ports A B: port A into namespace NS_A as ADDR_A, port B into NS_B as
# ADDR_B, both up with carrier, IPv6 off.  "ip -batch" saves a process per
# command.
split_ports()
{
	ip -batch - <<-EOF || return 1
		netns add $NS_A
		netns add $NS_B
	EOF
	# IPv4 only: no IPv6 neighbour or multicast chatter in the counters;
	# before the ports move in, which gives them the namespace's default
	ip netns exec $NS_A sysctl -qw net.ipv6.conf.default.disable_ipv6=1 &&
	ip netns exec $NS_B sysctl -qw net.ipv6.conf.default.disable_ipv6=1 &&
	ip -batch - <<-EOF &&
		link set $1 netns $NS_A
		link set $2 netns $NS_B
	EOF
	ip -n $NS_A -batch - <<-EOF &&
		addr add $ADDR_A/24 dev $1
		link set $1 up
		link set lo up
	EOF
	ip -n $NS_B -batch - <<-EOF &&
		addr add $ADDR_B/24 dev $2
		link set $2 up
		link set lo up
	EOF
	wait_for 100 link_is_up $NS_A "$1" && wait_for 100 link_is_up $NS_B "$2"
}

join_ports()
{
	ip -force -batch - 2>/dev/null <<-EOF
		netns del $NS_A
		netns del $NS_B
	EOF
	# netdevs return to the init namespace asynchronously
	wait_for 50 ports_registered
}

# ethtool_stat NS IF NAME: one counter of `ethtool -S`.
ethtool_stat()
{
	ip netns exec "$1" ethtool -S "$2" | awk -v k="$3:" '$1 == k { print $2 }'
}

# max_queues NS IF: the most combined channels the driver offers, at most 4
# (ixgbe caps it at the number of online CPUs).
max_queues()
{
	local n

	n=$(ip netns exec "$1" ethtool -l "$2" | awk '/^Combined:/ { print $2; exit }')
	echo $((n > 4 ? 4 : n))
}

# Our Python scripts need only the standard library, so they run with
# "python3 -S": the site module's .pth processing costs 2.5 s of TCG time
# per start in the debug guest (1.1 s instead of 3.7 s).
FLOWS=$BIFURC_TOP/selftests/lib/flows.py

# start_receiver NS PORT SECONDS OUT [flows.py recv options]: a UDP sink in
# the background, returning once its socket is bound; `wait` collects it
# and OUT holds "<received> <bad>".
start_receiver()
{
	local ns=$1 port=$2 seconds=$3 out=$4 ready

	shift 4
	ready=$(mktemp -u)
	ip netns exec "$ns" python3 -S "$FLOWS" recv "$port" "$seconds" --ready "$ready" "$@" > "$out" &
	wait_for 100 test -e "$ready"
	rm -f "$ready"
}

# send_udp NS DST PORT COUNT [flows.py send options]
send_udp()
{
	local ns=$1

	shift
	ip netns exec "$ns" python3 -S "$FLOWS" send "$@"
}

# setup_pair: load ixgbe, put the first two ports in NS_A/NS_B as $A and $B
# and arrange for them to come back at exit; bails out on failure.
setup_pair()
{
	local -a ports

	trap join_ports EXIT
	load_ixgbe || ktap_exit_fail_msg "ixgbe does not load"
	mapfile -t ports < <(ixgbe_ports)
	A=${ports[0]} B=${ports[1]}
	split_ports "$A" "$B" || ktap_exit_fail_msg "ports $A and $B do not come up"
}

# bifurc_pair: load ixgbe and put its first two ports in NS_A/NS_B as $A
# and $B, up; exits 4 (skip, which make check counts a failure unless
# testbed/skips.allow names it) when this ixgbe has no bifurc.  Bails out
# on failure.
bifurc_pair()
{
	local -a ports

	load_ixgbe || ktap_exit_fail_msg "ixgbe does not load"
	mapfile -t ports < <(ixgbe_ports)
	A=${ports[0]:-} B=${ports[1]:-}
	[ -n "$B" ] || ktap_exit_fail_msg "needs two emulated ports (vm.py --ports 2)"
	if [ ! -d "/sys/class/net/$B/device/bifurc" ]; then
		echo "# ixgbe without bifurc (CONFIG_IXGBE_BIFURC=n)"
		exit $KSFT_SKIP
	fi
	split_ports "$A" "$B" || ktap_exit_fail_msg "ports $A and $B do not come up"
}

# last_queue: ntuple on for B; sets NQ, QUEUE (B's last queue) and CD
# (B's bifurc class device).  Bails out on failure.
last_queue()
{
	ip netns exec $NS_B ethtool -K "$B" ntuple on || ktap_exit_fail_msg "ethtool -K $B ntuple on"
	wait_for 100 link_is_up $NS_B "$B" || ktap_exit_fail_msg "$B has no carrier after ntuple on"
	NQ=$(ip netns exec $NS_B ethtool -l "$B" |
		awk '/^Current/ { c = 1 } c && /^Combined:/ { print $2; exit }')
	[ "${NQ:-1}" -ge 2 ] || ktap_exit_fail_msg "$B has ${NQ:-no} queues: nothing to reserve"
	QUEUE=$((NQ - 1))
	CD=$(ip netns exec $NS_B sh -c "readlink -f /sys/class/net/$B/device/bifurc/bifurc-*")
}

# reserve_queue: last_queue, reserved for bifurc.
reserve_queue()
{
	last_queue
	echo "$QUEUE" > "$CD/reserve" || ktap_exit_fail_msg "cannot reserve queue $QUEUE of $B"
}

# release_queue: the end of a test that called reserve_queue: its
# background jobs get SIGINT, the queue goes back to the stack, the ports
# rejoin the init namespace and $TMP goes
release_queue()
{
	local pid

	for pid in $(jobs -p); do kill -INT "$pid" 2>/dev/null; done
	wait 2>/dev/null
	[ -n "${CD:-}" ] && [ -n "${QUEUE:-}" ] && echo "$QUEUE" > "$CD/release" 2>/dev/null
	join_ports
	[ -n "${TMP:-}" ] && rm -rf "$TMP"
}

# setup_queues [ntuple]: give B every queue the driver offers (at least two,
# at most four) as $NQ, optionally with ntuple filters on.
setup_queues()
{
	NQ=$(max_queues $NS_B "$B")
	[ "$NQ" -ge 2 ] || ktap_exit_fail_msg "needs 2 queues, the driver offers $NQ"
	ip netns exec $NS_B ethtool -L "$B" combined "$NQ" ||
		ktap_exit_fail_msg "ethtool -L combined $NQ"
	if [ "${1:-}" = ntuple ]; then
		ip netns exec $NS_B ethtool -K "$B" ntuple on ||
			ktap_exit_fail_msg "ethtool -K ntuple on"
	fi
	wait_for 100 link_is_up $NS_B "$B"
}

# drop_to UID: the command prefix that runs a command as UID, in UID's own
# group, with no capabilities (a granted user, in the tests)
drop_to() { echo setpriv --reuid="$1" --regid="$1" --clear-groups --inh-caps=-all; }

# bind_udp UID PORT: can UID bind UDP PORT in NS_B?  "bound", or the errno
# name (EADDRINUSE while a bifurc rule holds the port)
bind_udp()
{
	ip netns exec $NS_B $(drop_to "$1") python3 -S -c '
import errno, socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
try:
    s.bind(("0.0.0.0", int(sys.argv[1])))
    print("bound")
except OSError as e:
    print(errno.errorcode[e.errno])' "$2"
}
