#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The build steps of bifurc's DKMS module (see dkms.conf next to this).
#
#   bifurc-dkms.sh prepare KERNELRELEASE KERNEL_BUILD_DIR
#       Run by dkms (PRE_BUILD) in its build directory, a copy of this
#       directory.  Refuses a kernel other than 6.12.x or one without ixgbe
#       as a module; takes drivers/net/ethernet/intel/ixgbe/ from the Linux
#       6.12 source found below into ./ixgbe/ and applies the series'
#       hunks for that directory and for include/uapi/linux/bifurc.h
#       (into ./ixgbe/include/uapi/), and adds a module version (see
#       add_version).  Nothing else of the source is used, and none of it
#       is part of the package.
#   bifurc-dkms.sh build KERNELRELEASE KERNEL_BUILD_DIR
#       (MAKE[0]) ixgbe.ko with CONFIG_IXGBE_BIFURC=y against the headers
#       in KERNEL_BUILD_DIR; every other ixgbe option as that kernel has it.
#   bifurc-dkms.sh post-install|post-remove KERNELRELEASE
#       depmod, and rebuild that kernel's initramfs if it has one.
#
# The Linux source is the first found of:
#   $BIFURC_LINUX_SOURCE (from the environment or /etc/default/bifurc-dkms):
#       a tarball of a Linux 6.12 tree (any compression tar reads) or the
#       directory of one, e.g. a 6.12.y checkout
#   /usr/src/linux-source-6.12.tar.xz   (Debian's package linux-source-6.12)
#   /usr/src/linux-source-6.12/          (the same, unpacked)
# Its sublevel should be the target kernel's (Debian upgrades
# linux-source-6.12 with the kernel); a different one is built with a
# warning.
set -eu

IXGBE=drivers/net/ethernet/intel/ixgbe
UAPI=include/uapi/linux/bifurc.h
REFUSED=.bifurc-refused

say() { echo "bifurc-dkms: $*"; }

# refuse MESSAGE: fail, and leave the reason where "build" finds it (dkms
# goes on to MAKE after a failed PRE_BUILD, and puts MAKE's output in
# make.log).
refuse()
{
	echo "bifurc-dkms: error: $*" >&2
	echo "bifurc-dkms: error: $*" > "$REFUSED"
	exit 1
}

kconfig()
{
	sed -n "s/^$1=//p" "$kbuild/.config" 2>/dev/null
}

find_source()
{
	if [ -z "${BIFURC_LINUX_SOURCE:-}" ] && [ -r /etc/default/bifurc-dkms ]; then
		# shellcheck source=/dev/null
		. /etc/default/bifurc-dkms
	fi
	if [ -n "${BIFURC_LINUX_SOURCE:-}" ]; then
		[ -e "$BIFURC_LINUX_SOURCE" ] ||
			refuse "BIFURC_LINUX_SOURCE=$BIFURC_LINUX_SOURCE does not exist"
		echo "$BIFURC_LINUX_SOURCE"
		return
	fi
	for s in /usr/src/linux-source-6.12.tar.xz /usr/src/linux-source-6.12; do
		[ -e "$s" ] && { echo "$s"; return; }
	done
	refuse "no Linux 6.12 source: install Debian's linux-source-6.12" \
	       "(/usr/src/linux-source-6.12.tar.xz) or set BIFURC_LINUX_SOURCE" \
	       "in /etc/default/bifurc-dkms to a 6.12 tarball or tree"
}

# filter_series PATCH: the hunks of PATCH (git format-patch) for the
# ixgbe directory and the uapi header, with their diff headers.
filter_series()
{
	awk -v ixgbe="$IXGBE/" -v uapi="$UAPI" '
		/^diff --git / {
			p = $3; sub(/^a\//, "", p)
			keep = (index(p, ixgbe) == 1 || p == uapi)
		}
		keep { print }' "$1"
}

# add_version: a MODULE_VERSION for ixgbe.ko.  Upstream ixgbe has none,
# and DKMS refuses to install a module whose version equals the one the
# kernel already has ("exactly matches ... DKMS will not replace this
# module"), which two empty versions do.  It also tells an administrator
# which driver is loaded: modinfo -F version ixgbe.
add_version()
{
	pkgver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' dkms.conf)
	[ -n "$pkgver" ] || refuse "no PACKAGE_VERSION in $PWD/dkms.conf"
	cat > ixgbe/bifurc_version.c <<-EOF
		// SPDX-License-Identifier: GPL-2.0
		/* Written by bifurc-dkms.sh: see add_version() there. */
		#include <linux/module.h>
		MODULE_VERSION("bifurc-$pkgver");
	EOF
	echo 'ixgbe-y += bifurc_version.o' >> ixgbe/Makefile
}

prepare()
{
	rm -f "$REFUSED"
	case "$kver" in
	6.12.*) ;;
	*) refuse "bifurc's kernel series is for Linux 6.12 only; $kver is not" \
		  "a 6.12.x kernel (build for one with: dkms build bifurc/<version>" \
		  "-k <6.12 kernel release>)" ;;
	esac
	[ -f "$kbuild/.config" ] ||
		refuse "no kernel headers for $kver in $kbuild (install linux-headers-$kver)"
	case "$(kconfig CONFIG_IXGBE)" in
	m) ;;
	y) refuse "$kver has ixgbe built in (CONFIG_IXGBE=y): a module cannot" \
		  "replace it; rebuild that kernel with the series applied instead" ;;
	*) refuse "$kver is configured without ixgbe (CONFIG_IXGBE is not set)" ;;
	esac
	[ "$(kconfig CONFIG_PCI_MSI)" = y ] ||
		refuse "$kver has no CONFIG_PCI_MSI, which bifurc needs"

	local_src=$(find_source)
	say "taking $IXGBE from $local_src"
	rm -rf ixgbe src.tmp
	mkdir -p src.tmp
	if [ -d "$local_src" ]; then
		[ -d "$local_src/$IXGBE" ] || refuse "$local_src has no $IXGBE"
		cp "$local_src/Makefile" src.tmp/
		mkdir -p "src.tmp/$IXGBE"
		cp -R "$local_src/$IXGBE/." "src.tmp/$IXGBE/"
	else
		tar -xf "$local_src" -C src.tmp --strip-components=1 \
			--wildcards --no-wildcards-match-slash \
			'*/Makefile' "*/$IXGBE/*" ||
			refuse "cannot extract $IXGBE from $local_src"
	fi
	v=$(sed -n 's/^VERSION = //p' src.tmp/Makefile)
	p=$(sed -n 's/^PATCHLEVEL = //p' src.tmp/Makefile)
	s=$(sed -n 's/^SUBLEVEL = //p' src.tmp/Makefile)
	[ "$v.$p" = 6.12 ] ||
		refuse "$local_src is Linux $v.$p.$s, not 6.12"
	ksub=${kver#6.12.}
	ksub=${ksub%%[!0-9]*}
	if [ "$s" != "$ksub" ]; then
		say "warning: the source is 6.12.$s, the kernel 6.12.$ksub;" \
		    "building anyway (install the matching linux-source-6.12" \
		    "to build the driver the kernel came with)"
	fi

	n=0
	for patch in series/*.patch; do
		[ -e "$patch" ] || refuse "no patches in $PWD/series/"
		filter_series "$patch" > src.tmp/hunks.diff
		[ -s src.tmp/hunks.diff ] || continue
		# --fuzz=0: a hunk that does not fit exactly is an error, not a guess
		if ! patch -d src.tmp -p1 -N -s --batch --fuzz=0 \
			--no-backup-if-mismatch -r - < src.tmp/hunks.diff >&2; then
			refuse "${patch#series/} does not apply to $IXGBE of Linux" \
			       "6.12.$s from $local_src"
		fi
		n=$((n + 1))
	done
	mv "src.tmp/$IXGBE" ixgbe
	add_version
	mkdir -p ixgbe/include/uapi/linux
	cp "src.tmp/$UAPI" ixgbe/include/uapi/linux/ ||
		refuse "the series did not create $UAPI"
	rm -rf src.tmp
	say "applied the ixgbe and uapi hunks of $n patches (Linux 6.12.$s, for $kver)"
}

build()
{
	if [ -s "$REFUSED" ]; then
		cat "$REFUSED" >&2
		exit 1
	fi
	[ -f ixgbe/Makefile ] || {
		echo "bifurc-dkms: error: ixgbe/ was not prepared" >&2
		exit 1
	}
	# The kernel's own CONFIG_IXGBE_* (DCB, HWMON, IPSEC, DCA) come from
	# its include/config/auto.conf, as for the stock module; only bifurc's
	# symbol, which no distribution kernel knows, is given here, and its
	# uapi header, which the headers package does not have.
	make -C "$kbuild" M="$PWD/ixgbe" KERNELRELEASE="$kver" \
		CONFIG_IXGBE_BIFURC=y \
		KCFLAGS="-DCONFIG_IXGBE_BIFURC -I$PWD/ixgbe/include/uapi" \
		-j"$(nproc 2>/dev/null || echo 1)" modules
	[ -f ixgbe/ixgbe_bifurc.o ] || {
		echo "bifurc-dkms: error: ixgbe.ko was built without bifurc" >&2
		exit 1
	}
}

# post_change: dkms calls this before its own depmod, so the initramfs
# would otherwise get the old module.  From a kernel package's maintainer
# script (dkms autoinstall on a kernel upgrade, dkms remove on a kernel
# removal) initramfs-tools' own hook follows and this does nothing.
post_change()
{
	case "${DPKG_MAINTSCRIPT_PACKAGE:-}" in
	linux-image-*) return 0 ;;
	esac
	[ -d "/lib/modules/$kver" ] || return 0
	depmod -a "$kver" || true
	if [ -e "/boot/initrd.img-$kver" ] && command -v update-initramfs >/dev/null; then
		say "updating the initramfs of $kver (it loads ixgbe at boot)"
		update-initramfs -u -k "$kver" || true
	elif [ -e "/boot/initramfs-$kver.img" ] && command -v dracut >/dev/null; then
		say "updating the initramfs of $kver (it loads ixgbe at boot)"
		dracut -f --kver "$kver" || true
	fi
}

cmd=${1:-}
kver=${2:-}
kbuild=${3:-/lib/modules/$kver/build}
case "$cmd" in
prepare) prepare ;;
build) build ;;
post-install)
	post_change
	say "ixgbe.ko with bifurc is installed for $kver; it replaces the stock" \
	    "driver on every ixgbe port from the next boot, or now with" \
	    "'modprobe -r ixgbe && modprobe ixgbe' (every ixgbe link drops)"
	;;
post-remove) post_change ;;
*)
	echo "usage: $0 prepare|build|post-install|post-remove KERNELRELEASE [KERNEL_BUILD_DIR]" >&2
	exit 2
	;;
esac
