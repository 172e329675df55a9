#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Description: bifurc installed the way an administrator installs it, in a
# guest of Debian's 6.12 kernel whose root is an overlay of the host's
# (testbed/install-guest.sh): dpkg -i of the packages from `make deb` ran
# in a chroot of that root before the guest booted (on the host's CPU:
# DKMS's compile takes 12 minutes under TCG), so nothing of the host
# changed.  Here, on a tmpfs overlay of that root for the guest's own
# writes, as on a real machine:
#   INSTALL      dpkg -i exited 0 and all four packages are installed
#   DKMS         bifurc-dkms's postinst built ixgbe.ko for this kernel from
#                Debian's linux-source-6.12 and the series, into
#                updates/dkms, and modprobe ixgbe loads it
#   UDEV         with udevd running the installed rules: the device nodes
#                are group bifurc, mode 0660, and each ixgbe interface
#                wants bifurc@IF.service
#   APPLY        bifurc@IF.service's ExecStart brings /etc/bifurc/bifurc.conf
#                into force (ntuple, reserve, grant, an admin rule), and
#                dump-config shows exactly that state
#   APP          an example installed by libbifurc-dev, built with
#                pkg-config --cflags --libs libbifurc, run by a user in
#                group bifurc without capabilities: it steers its own flow
#                and receives N of N frames of it and N of N of the admin
#                rule's flow from the model's packet source
#   RELOAD       the driver unloaded and loaded again (what a reboot does to
#                the kernel's state): udev gives the nodes back, the unit
#                brings the same state back, the app receives N of N again
#   AGAIN        the unit run once more changes nothing
#   PURGE        dpkg --purge removes the module: modprobe finds the stock
#                ixgbe again
# Needs: testbed/install-guest.sh's root, the test bed's hostctl.
cd "$(dirname "$0")" || exit 1
export BIFURC_TOP=${BIFURC_TOP:-$(cd ../.. && pwd)}
. ../lib/ktap.sh && . ../lib/model.sh

R=/run/bifurc-install		# tmpfs: upper, work, root (the overlay)
ROOT=$R/root
LOG=$ROOT/var/log/bifurc-install	# install-guest.sh's dpkg output, status
USER_NAME=bifurc-app
N=1000				# frames per flow
RATE=2000			# frames/s
KVER=$(uname -r)

cleanup()
{
	hostctl qom-set nic1 pktgen-run false > /dev/null 2>&1
	[ -S /run/udev/control ] && udevadm control --exit 2>/dev/null
	mountpoint -q /run/udev && umount /run/udev
	[ -d /sys/module/ixgbe ] && rmmod ixgbe 2>/dev/null
	for m in run tmp dev/pts dev sys proc ""; do
		mountpoint -q "$ROOT/$m" && umount -l "$ROOT/$m"
	done
	mountpoint -q "$R" && umount -l "$R"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

show() { [ -s "$1" ] && sed 's/^/# /' "$1"; }
carrier() { [[ $(ip -o link show dev "$1") == *LOWER_UP* ]]; }

# inroot COMMAND...: in the installed root, with a clean environment
# (exec_root=exec: in place of the calling shell)
inroot()
{
	$exec_root chroot "$ROOT" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
		HOME=/root LANG=C.UTF-8 "$@"
}

ktap_print_header
ktap_set_plan 8

# --- the root: the installed one, under a tmpfs upper for writes -----------
[ -d /sys/module/ixgbe ] && ktap_exit_fail_msg "ixgbe is loaded before the test"
mkdir -p "$R" && mount -t tmpfs -o size=512M bifurc-install "$R" &&
	mkdir "$R/upper" "$R/work" "$ROOT" &&
	mount -t overlay overlay -o "lowerdir=/,upperdir=$R/upper,workdir=$R/work" "$ROOT" ||
	ktap_exit_fail_msg "cannot mount the overlay root"
for m in proc sys dev dev/pts; do
	mount --bind "/$m" "$ROOT/$m" || ktap_exit_fail_msg "cannot bind /$m"
done
# fresh /run and /tmp: no host daemon's sockets, no systemd (so package
# scripts start no units)
mount -t tmpfs tmpfs "$ROOT/run" && mount -t tmpfs tmpfs "$ROOT/tmp" ||
	ktap_exit_fail_msg "cannot mount /run and /tmp in the root"
[ -f "$LOG/dpkg.rc" ] ||
	ktap_exit_fail_msg "no ${LOG#"$ROOT"}/dpkg.rc: boot this through testbed/install-guest.sh"

# --- INSTALL, DKMS ------------------------------------------------------------
rc=$(cat "$LOG/dpkg.rc")
versions=$(inroot dpkg-query -W -f='${Package} ${Version} ${Status}\n' \
	bifurc-dkms libbifurc0 libbifurc-dev bifurcctl 2>/dev/null)
if [ "$rc" = 0 ] && [ "$(grep -c ' install ok installed$' <<< "$versions")" -eq 4 ]; then
	ktap_test_pass "INSTALL: dpkg -i exit 0: $(awk '{ printf "%s %s; ", $1, $2 }' <<< "$versions")"
else
	tail -n 40 "$LOG/dpkg.log" | sed 's/^/# /'
	ktap_exit_fail_msg "INSTALL: dpkg -i exit $rc"
fi

status=$(inroot dkms status bifurc 2>/dev/null | grep "^bifurc/")
ko=$(inroot modinfo -k "$KVER" -F filename ixgbe 2>&1)
grep -E '^Building (for|initial)|bifurc-dkms: (applied|warning)' "$LOG/dpkg.log" | sed 's/^/# /'
grep -q "bifurc-dkms: updating the initramfs of $KVER" "$LOG/dpkg.log" &&
	ktap_print_msg "bifurc-dkms asked for the initramfs of $KVER (update_initramfs=no here)"
if [[ $status == *"$KVER"*installed* ]] && [[ $ko == */updates/dkms/ixgbe.ko* ]] &&
	inroot modprobe ixgbe && [ -d /sys/module/ixgbe ] &&
	wait_for 50 ports_registered; then
	ktap_test_pass "DKMS: $status; modprobe loads $ko"
else
	ktap_print_msg "dkms status: $status"
	ktap_print_msg "modinfo: $ko"
	grep -A20 -i "error" "$LOG/dpkg.log" | head -n 30 | sed 's/^/# /'
	ktap_exit_fail_msg "DKMS: no bifurc ixgbe.ko for $KVER"
fi
rmmod ixgbe || ktap_exit_fail_msg "rmmod ixgbe"

# --- UDEV ------------------------------------------------------------------
# udevd from the root, with the packages' rules; then the driver, so that
# its events meet the rules (and the interfaces get udev's names)
# (udevadm ignores settle and control requests in a chroot: it runs from
# outside, on the root's /run/udev)
inroot /lib/systemd/systemd-udevd --daemon > /dev/null 2>&1 &&
	wait_for 50 test -S "$ROOT/run/udev/control" &&
	mkdir -p /run/udev && mount --bind "$ROOT/run/udev" /run/udev ||
	ktap_exit_fail_msg "systemd-udevd does not start in the root"

# load: modprobe in the root, udev done with every event, every port named
load()
{
	inroot modprobe ixgbe && udevadm settle -t 60 && wait_for 50 ports_registered
}

# nodes_ok: every bifurc node as 60-bifurc.rules leaves it
nodes_ok()
{
	local node n=0

	for node in /dev/bifurc/*; do
		[ "$(stat -c '%G %a' "$node")" = "bifurc 660" ] ||
			{ echo "$node: $(stat -c '%U:%G %a' "$node")"; return 1; }
		n=$((n + 1))
	done
	[ $n -eq 2 ] || { echo "$n device nodes, expected 2"; return 1; }
}

load || ktap_exit_fail_msg "modprobe ixgbe with udev"
mapfile -t ports < <(ixgbe_ports)
B=${ports[1]}
[ -n "$B" ] || ktap_exit_fail_msg "two ports expected, found: ${ports[*]}"
wants=$(udevadm info -q property "/sys/class/net/$B" | sed -n 's/^SYSTEMD_WANTS=//p')
why=$(nodes_ok)
if [ -z "$why" ] && [[ " $wants " == *" bifurc@$B.service "* ]]; then
	ktap_test_pass "UDEV: /dev/bifurc/* group bifurc mode 0660; $B wants $wants"
else
	udevadm info -q property "/sys/class/net/$B" | sed 's/^/# /'
	ktap_test_fail "UDEV: ${why:-nodes ok}; $B wants '${wants}'"
fi

# --- APPLY -----------------------------------------------------------------
inroot useradd --create-home --groups bifurc "$USER_NAME" ||
	ktap_exit_fail_msg "useradd $USER_NAME"
mkdir -p "$ROOT/etc/bifurc"
cat > "$ROOT/etc/bifurc/bifurc.conf" <<EOF
# the install test's: one app on queue 1 of $B
ntuple $B on
reserve $B queue 1
grant $B queue 1 user $USER_NAME ports 9000-9001
steer $B add udp4 dst-port 9001 queue 1 loc 100
EOF
unit=$ROOT/lib/systemd/system/bifurc@.service
exec_start=$(sed -n 's/^ExecStart=//p' "$unit")

# run_unit IF: what systemd runs for bifurc@IF.service (no systemd here)
run_unit()
{
	# shellcheck disable=SC2086 # the unit's command line, word by word
	inroot ${exec_start//%I/$1} > "$R/unit.out" 2>&1
}

# state_is: dump-config shows the file's statements, and only them
state_is()
{
	inroot bifurcctl dump-config "$B" | grep -v '^#' > "$R/dump" &&
	diff <(grep -v '^#' "$ROOT/etc/bifurc/bifurc.conf") "$R/dump"
}

if [ -n "$exec_start" ] && run_unit "$B" &&
	grep -q ": 4 changed, 0 already in force, 0 failed" "$R/unit.out" &&
	why=$(state_is); then
	ktap_test_pass "APPLY: $(tail -n 1 "$R/unit.out"); dump-config matches"
else
	show "$R/unit.out"
	ktap_test_fail "APPLY: ExecStart '$exec_start': ${why:-see above}"
fi

# --- APP -----------------------------------------------------------------------
example=$ROOT/usr/share/doc/libbifurc-dev/examples/rxdrop.c
[ -f "$example" ] || [ -f "$example.gz" ] || ktap_exit_fail_msg "no installed rxdrop.c example"
inroot sh -c 'cd /tmp && src=/usr/share/doc/libbifurc-dev/examples/rxdrop.c &&
	{ [ -f $src ] || { zcat $src.gz > rxdrop.c && src=rxdrop.c; }; } &&
	cc -O2 -o /tmp/rxdrop $src $(pkg-config --cflags --libs libbifurc) -lm' \
	> "$R/cc.log" 2>&1 || { show "$R/cc.log"; ktap_exit_fail_msg "the example does not build"; }

# send_flow PORT: N frames to udp PORT on B from the model's packet source;
# OFFERED, DROPPED: what it offered and dropped
send_flow()
{
	local p

	for p in "dst-ip 10.77.0.2" "src-ip 10.77.0.100" "src-port 7000" \
		 "dst-port $1" "flows 1" "size 60" "rate $RATE" "count $N" \
		 "duration-ms 0" "run true"; do
		hostctl qom-set nic1 "pktgen-${p% *}" "${p#* }" > /dev/null || return 1
	done
	wait_for 100 sh -c "[ \"\$(hostctl qom-get nic1 pktgen-offered)\" = $N ]"
	OFFERED=$(hostctl qom-get nic1 pktgen-offered)
	DROPPED=$(hostctl qom-get nic1 pktgen-dropped)
}

# app: rxdrop as $USER_NAME (group bifurc, no capabilities) on queue 1 of
# B, steering udp 9000 itself, while the source sends N frames to 9000 and
# N to 9001 (the file's rule); RECEIVED: its total
app()
{
	local pid off1 off2 drop1 drop2

	RECEIVED=''
	ip link set "$B" up && wait_for 100 carrier "$B" || return 1
	# inroot in a subshell of its own: $! is rxdrop's pid (chroot, env
	# and setpriv exec it), which the SIGINT below must reach
	(exec_root=exec inroot setpriv --reuid="$USER_NAME" --regid="$USER_NAME" \
		--init-groups --inh-caps=-all /tmp/rxdrop "$B" 1 udp 9000) \
		> "$R/app.out" 2> "$R/app.err" &
	pid=$!
	wait_for 100 grep -q steered "$R/app.out" || { kill $pid; return 1; }
	send_flow 9000 && off1=$OFFERED drop1=$DROPPED &&
		send_flow 9001 && off2=$OFFERED drop2=$DROPPED || { kill $pid; return 1; }
	sleep 1
	kill -INT $pid
	wait $pid || return 1
	RECEIVED=$(sed -n 's/^total \([0-9]*\) packets.*/\1/p' "$R/app.out")
	SENT="offered $off1 + $off2, dropped $((drop1 + drop2))"
	[ "$RECEIVED" = $((2 * N)) ] && [ $((drop1 + drop2)) -eq 0 ]
}

if app; then
	ktap_test_pass "APP: $USER_NAME (group bifurc) received $RECEIVED of $((2 * N)) ($SENT)"
else
	show "$R/app.out"; show "$R/app.err"
	ktap_test_fail "APP: received ${RECEIVED:-nothing} of $((2 * N)) (${SENT:-the source did not run})"
fi

# --- RELOAD, AGAIN ---------------------------------------------------------------
rmmod ixgbe && load || ktap_exit_fail_msg "reloading ixgbe"
why=$(nodes_ok)
ok=1
[ -z "$why" ] || ok=0
[ -z "$(inroot bifurcctl dump-config "$B" | grep -v '^#')" ] || { ok=0; why+=" state survived the reload?"; }
run_unit "$B" && grep -q ": 4 changed, 0 already in force, 0 failed" "$R/unit.out" ||
	{ ok=0; show "$R/unit.out"; }
why+=$(state_is) || ok=0
if [ $ok = 1 ] && app; then
	ktap_test_pass "RELOAD: nodes, state and app back: received $RECEIVED of $((2 * N))"
else
	show "$R/app.err"
	ktap_test_fail "RELOAD: ${why:-} received ${RECEIVED:-nothing} of $((2 * N))"
fi

if run_unit "$B" && grep -q ": 0 changed, 4 already in force, 0 failed" "$R/unit.out"; then
	ktap_test_pass "AGAIN: $(tail -n 1 "$R/unit.out")"
else
	show "$R/unit.out"
	ktap_test_fail "AGAIN: the unit changed something the second time"
fi

# --- PURGE --------------------------------------------------------------------
rmmod ixgbe
inroot dpkg --purge bifurcctl libbifurc-dev libbifurc0 bifurc-dkms > "$R/purge.log" 2>&1
rc=$?
ko=$(inroot modinfo -k "$KVER" -F filename ixgbe 2>&1)
if [ $rc -eq 0 ] && [[ $ko == */kernel/drivers/net/ethernet/intel/ixgbe/ixgbe.ko* ]] &&
	[ -z "$(inroot dkms status bifurc 2>&1)" ]; then
	ktap_test_pass "PURGE: modprobe finds $ko again"
else
	show "$R/purge.log" | tail -n 20
	ktap_test_fail "PURGE: exit $rc, modinfo $ko"
fi

ktap_finished
