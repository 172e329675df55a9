#!/bin/bash
# PID 1 of a test-bed guest: the host's root is mounted read-only over 9p,
# so make the writable places a test needs, load the right modules, run the
# tests named in the results share (or give a shell), report kmemleak's
# findings and power off.
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/tmp TERM=${TERM:-linux}

say()
{
	echo "bifurc-guest: [${SECONDS}s] $*" > /dev/ttyS0
}

mount -t proc proc /proc

# Busy time of all CPUs so far in USER_HZ ticks (user, nice, system, irq,
# softirq, steal of /proc/stat): what a test cost, as opposed to how long
# it slept, when guests share the host's cores.
cpu_busy()
{
	local cpu user nice system idle iowait irq softirq steal

	read -r cpu user nice system idle iowait irq softirq steal _ < /proc/stat
	echo $((user + nice + system + irq + softirq + steal))
}

# bifurc.NAME=VALUE kernel parameters, parsed without a process per lookup.
declare -A param
for word in $(< /proc/cmdline); do
	case "$word" in bifurc.*=*) word=${word#bifurc.}; param[${word%%=*}]=${word#*=} ;; esac
done
export BIFURC_TOP=${0%/testbed/guest/init.sh}
export BIFURC_KERNEL=${param[kernel]}
export BIFURC_CACHE=${param[cache]}

# The guest's own tmpfs on /tmp would hide a checkout or a cache that lives
# under the host's /tmp (CI may clone there): keep a view of the host's
# /tmp on /mnt and bind those two back after the mounts.
mount --bind /tmp /mnt
mount -a --fstab "$(dirname "$0")/fstab"
for path in "$BIFURC_TOP" "$BIFURC_CACHE"; do
	case "$path" in
	/tmp/?*) mkdir -p "$path" && mount --bind "/mnt/${path#/tmp/}" "$path" ;;
	esac
done
umount -l /mnt

# What udev would add: /dev/pts, /dev/shm, and /dev/fd for bash's process
# substitution.
mkdir /dev/pts /dev/shm
mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /dev/shm
ln -s /proc/self/fd /dev/fd

export BIFURC_RESULTS=/run/results
export BIFURC_IXGBE_KO=${param[ixgbe]}
export PATH=$BIFURC_TOP/testbed/guest:$PATH
mkdir "$BIFURC_RESULTS"
mount -t 9p -o trans=virtio,version=9p2000.L,cache=none results "$BIFURC_RESULTS" ||
	say "cannot mount the results share"
[ -n "${param[modules]}" ] && mount --bind "${param[modules]}" /lib/modules
echo bifurc-guest > /proc/sys/kernel/hostname
ip link set lo up
kmemleak=/sys/kernel/debug/kmemleak
[ -w $kmemleak ] && echo clear > $kmemleak
say "ready"

if [ "${param[mode]}" = shell ]; then
	say "shell on $(uname -r); tests: $BIFURC_TOP/selftests; exit to power off"
	cd "$BIFURC_TOP" && setsid -c bash -i < /dev/ttyS0 > /dev/ttyS0 2>&1
else
	while read -r test; do
		[ -n "$test" ] || continue
		name=${test##*/}
		say "running $name"
		start=$SECONDS busy=$(cpu_busy)
		# 1800 s: multiq.sh took 1082 s in a quiet make check and
		# 1202 s (killed at the end of its last case) on a loaded host;
		# the guest's own --timeout still bounds the whole group
		(cd "${test%/*}" && timeout -k 10 "${BIFURC_TEST_TIMEOUT:-1800}" "$test") \
			> "$BIFURC_RESULTS/$name.tap" 2>&1
		rc=$?
		echo "$rc" > "$BIFURC_RESULTS/$name.rc"
		busy=$(( $(cpu_busy) - busy ))
		say "$name exited $rc after $((SECONDS - start)) s, CPU busy $((busy / 100)).$((busy / 10 % 10)) s"
	done < "$BIFURC_RESULTS/tests.txt"
fi

if [ -w $kmemleak ]; then
	# kmemleak ignores objects younger than 5 s, and a scan that finds an
	# object's contents changed since the last one (the first scan always
	# does) holds it back: two scans report what the last test leaked.
	sleep 6
	echo scan > $kmemleak
	echo scan > $kmemleak
	sed 's/^/bifurc-guest: kmemleak: /' $kmemleak > /dev/ttyS0
	# a clean scan prints nothing: say that it ran (testbed/vm.py)
	echo "bifurc-guest: kmemleak scanned" > /dev/ttyS0
fi
echo "bifurc-guest: done" > /dev/ttyS0
sync
# reboot(2) powers off synchronously; nothing may be exec'd after it starts
# (the 9p root goes away), and PID 1 must never exit.
busybox poweroff -f
while :; do read -r -t 60 _ < /dev/ttyS0; done
