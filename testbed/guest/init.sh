#!/bin/bash
# PID 1 of a test-bed guest: the host's root is mounted read-only over 9p,
# so make the writable places a test needs, load the right modules, run the
# tests named in the results share (or give a shell), report kmemleak's
# findings and power off.
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/tmp TERM=${TERM:-linux}

param()
{
	sed -n "s/.* bifurc\.$1=\([^ ]*\).*/\1/p" /proc/cmdline
}

say()
{
	echo "bifurc-guest: $*" > /dev/ttyS0
}

mount -t proc proc /proc
mount -t sysfs sys /sys
mountpoint -q /dev || mount -t devtmpfs dev /dev
mkdir -p /dev/pts /dev/shm
# what udev would add: bash's process substitution needs /dev/fd
ln -sf /proc/self/fd /dev/fd
ln -sf /proc/self/fd/0 /dev/stdin
ln -sf /proc/self/fd/1 /dev/stdout
ln -sf /proc/self/fd/2 /dev/stderr
mount -t devpts devpts /dev/pts
for d in /tmp /run /var/tmp /dev/shm /var/lib /var/log; do
	mount -t tmpfs tmpfs "$d"
done
mount -t debugfs debugfs /sys/kernel/debug
mount -t bpf bpf /sys/fs/bpf 2>/dev/null
mount -t cgroup2 cgroup2 /sys/fs/cgroup 2>/dev/null

export BIFURC_TOP=$(cd "$(dirname "$0")/../.." && pwd)
export BIFURC_KERNEL=$(param kernel)
export BIFURC_RESULTS=/run/results
export BIFURC_IXGBE_KO=$(param ixgbe)
export PATH=$BIFURC_TOP/testbed/guest:$PATH
mkdir -p "$BIFURC_RESULTS"
mount -t 9p -o trans=virtio,version=9p2000.L,cache=none results "$BIFURC_RESULTS" ||
	say "cannot mount the results share"
mods=$(param modules)
[ -n "$mods" ] && mount --bind "$mods" /lib/modules
hostname bifurc-guest
ip link set lo up
kmemleak=/sys/kernel/debug/kmemleak
[ -w $kmemleak ] && echo clear > $kmemleak

if [ "$(param mode)" = shell ]; then
	say "shell on $(uname -r); tests: $BIFURC_TOP/selftests; exit to power off"
	cd "$BIFURC_TOP" && setsid -c bash -i < /dev/ttyS0 > /dev/ttyS0 2>&1
else
	while read -r test; do
		[ -n "$test" ] || continue
		name=$(basename "$test")
		say "running $name"
		start=$(date +%s)
		(cd "$(dirname "$test")" && timeout -k 10 "${BIFURC_TEST_TIMEOUT:-1200}" "$test") \
			> "$BIFURC_RESULTS/$name.tap" 2>&1
		rc=$?
		echo "$rc" > "$BIFURC_RESULTS/$name.rc"
		say "$name exited $rc after $(($(date +%s) - start)) s"
	done < "$BIFURC_RESULTS/tests.txt"
fi

if [ -w $kmemleak ]; then
	# kmemleak ignores objects younger than 5 s; two scans confirm a leak.
	sleep 6
	echo scan > $kmemleak
	echo scan > $kmemleak
	sed 's/^/bifurc-guest: kmemleak: /' $kmemleak > /dev/ttyS0
fi
say done
sync
# reboot(2) powers off synchronously; nothing may be exec'd after it starts
# (the 9p root goes away), and PID 1 must never exit.
busybox poweroff -f
while :; do read -r -t 60 _ < /dev/ttyS0; done
