#!/bin/bash
# testbed/vm.py for the install test (selftests/install.list): the guest's
# root is not the host's / but an overlay of it, in which the packages of
# `make deb` are installed the way an administrator installs them.
#
#   install-guest.sh VM.PY-ARGS...
#
# In a mount namespace of its own (nothing of it is seen outside, and it
# ends with the guest), an overlay with a tmpfs upper goes over the host's
# read-only /, dpkg -i installs bifurc-dkms, libbifurc0, libbifurc-dev and
# bifurcctl in a chroot of it (bifurc-dkms's postinst runs DKMS, which
# builds ixgbe.ko for the Debian 6.12 kernel the guest boots), and vm.py
# exports that root to the guest.  dpkg's output and exit status are in
# /var/log/bifurc-install/ of the root, where the guest test checks them.
# The packages are installed here rather than in the guest because DKMS's
# compile takes 12 minutes under TCG and 1 on the host; the guest then
# uses the installed root as it is: udev, the unit, an app, a reload.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

if [ "${1:-}" != --in-namespace ]; then
	dir=$(mktemp -d "${TMPDIR:-/tmp}/bifurc-root.XXXXXX")
	rc=0
	unshare --mount --propagation private "$0" --in-namespace "$dir" "$@" || rc=$?
	rmdir "$dir"
	exit $rc
fi
shift
dir=$1
shift
root=$dir/root
log=$root/var/log/bifurc-install

shopt -s nullglob
debs=()
for p in bifurc-dkms libbifurc0 libbifurc-dev bifurcctl; do
	f=("$BIFURC_TOP/build/deb/${p}_"*.deb)
	[ ${#f[@]} -eq 1 ] || die "no single $p package in build/deb (make deb)"
	debs+=("${f[0]}")
done

mount -t tmpfs -o size=2G bifurc-root "$dir"
mkdir "$dir/upper" "$dir/work" "$root"
mount -t overlay overlay -o "lowerdir=/,upperdir=$dir/upper,workdir=$dir/work" "$root"
mkdir -p "$log" "$root/root/debs"
cp "${debs[@]}" "$root/root/debs/"
# Debian's switch for "do not rebuild initramfs images": the guest boots
# none (bifurc-dkms still asks, which the log shows)
sed -i 's/^update_initramfs=.*/update_initramfs=no/' \
	"$root/etc/initramfs-tools/update-initramfs.conf"
for m in proc sys dev dev/pts; do
	mount --bind "/$m" "$root/$m"
done
# fresh /run and /tmp: no host daemon's sockets, no systemd (so package
# scripts start no units), DKMS's scratch space in the tmpfs
mount -t tmpfs tmpfs "$root/run"
mount -t tmpfs tmpfs "$root/tmp"
progress "install-guest: dpkg -i ${debs[*]##*/}"
rc=0
chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
	LANG=C.UTF-8 sh -c 'dpkg -i /root/debs/*.deb' > "$log/dpkg.log" 2>&1 || rc=$?
echo "$rc" > "$log/dpkg.rc"
progress "install-guest: dpkg -i exit $rc ($(grep -c . "$log/dpkg.log") lines of output)"
for m in tmp run dev/pts dev sys proc; do
	umount "$root/$m"
done

exec python3 "$BIFURC_TOP/testbed/vm.py" --root "$root" "$@"
