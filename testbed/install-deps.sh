#!/bin/bash
# Install every Debian package the build, the test bed and the tests need.
# Idempotent: packages already present cost one dpkg query.
set -euo pipefail

packages=(
	# kernel and module builds
	build-essential bc flex bison libelf-dev libssl-dev dwarves kmod cpio
	linux-source-6.12 linux-image-6.12-amd64 linux-headers-6.12-amd64
	sparse python3-ply python3-git
	# QEMU 7.2 from source
	dpkg-dev ninja-build meson pkg-config libglib2.0-dev libpixman-1-dev
	libslirp-dev libfdt-dev libattr1-dev libcap-ng-dev zlib1g-dev
	seabios qemu-system-data
	# guest user space (shared read-only from the host root)
	busybox-static ethtool iproute2 iputils-ping iperf3 tcpdump pciutils procps
	python3-yaml	# the kernel tree's ynl (qstats.sh)
	libbpf-dev libxdp-dev xdp-tools
	# user-space library and CLI
	libpcap-dev groff-base musl-tools
	python3
)
# make deb's tools (Debian packages, the DKMS build) only when asked:
# "install-deps.sh deb"
# packaging (make deb) and its install test (udevd in the guest)
[ "${1:-}" = deb ] && packages+=(debhelper dh-dkms dkms lintian adduser patch xz-utils udev)

sources=/etc/apt/sources.list.d/debian-src.sources
need_update=0
if ! grep -qs '^Types:.*deb-src' /etc/apt/sources.list.d/*.sources; then
	# Debian's QEMU source package comes from deb-src entries that mirror the deb ones.
	sed 's/^Types: deb$/Types: deb-src/' /etc/apt/sources.list.d/debian.sources > "$sources"
	need_update=1
fi

missing=()
for p in "${packages[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
done

if [ "${#missing[@]}" -eq 0 ] && [ "$need_update" -eq 0 ]; then
	echo "install-deps: all ${#packages[@]} packages present"
	exit 0
fi

echo "install-deps: installing ${#missing[@]} packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
[ "${#missing[@]}" -eq 0 ] || apt-get install -y -qq --no-install-recommends "${missing[@]}"
