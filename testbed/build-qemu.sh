#!/bin/bash
# Build qemu-system-x86_64 from Debian's QEMU 7.2 source package with our
# 82599 model (testbed/qemu/hw/, copied over the tree) and the small
# build-system patch that hooks it in.
#
# The tree and its build directory persist in $BIFURC_CACHE/qemu: a change
# to the model recompiles only the model's files.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

QEMU=$BIFURC_CACHE/qemu
TREE=$QEMU/tree
OURS=$BIFURC_TOP/testbed/qemu
PATCH=$OURS/qemu-7.2-add-ixgbe.patch

prepare_tree()
{
	local ver have=""

	ver=$(apt-cache policy qemu-system-x86 | awk '/Candidate:/ { print $2 }')
	[ -n "$ver" ] && [ "$ver" != "(none)" ] ||
		die "no qemu source in the apt lists (run testbed/install-deps.sh)"
	[ -f "$TREE/.bifurc-base" ] && have=$(cat "$TREE/.bifurc-base")
	[ "$have" = "$ver-$(inputs_hash "$PATCH")" ] && return

	progress "qemu: fetching Debian's qemu source package ($ver)"
	rm -rf "$QEMU/dl" "$TREE"
	mkdir -p "$QEMU/dl"
	(cd "$QEMU/dl" && apt-get source -qq --download-only "qemu=${ver%%+b*}" 2>/dev/null) ||
		(cd "$QEMU/dl" && apt-get source -qq --download-only qemu) ||
		die "apt-get source qemu failed (deb-src entries missing?)"
	dpkg-source -q -x "$QEMU"/dl/qemu_*.dsc "$TREE" >/dev/null
	patch -s -d "$TREE" -p1 < "$PATCH"
	echo "$ver-$(inputs_hash "$PATCH")" > "$TREE/.bifurc-base"
}

# Copy our files in, touching only those whose content changed, so ninja
# recompiles nothing else.
install_ours()
{
	local f dst

	(cd "$OURS" && find hw tests -type f 2>/dev/null || true) | while read -r f; do
		dst=$TREE/$f
		if ! cmp -s "$OURS/$f" "$dst"; then
			mkdir -p "$(dirname "$dst")"
			cp "$OURS/$f" "$dst"
		fi
	done
}

cache_lock qemu
key=$(inputs_hash "$OURS" "$0")
if [ "$(cat "$TREE/build/.bifurc-key" 2>/dev/null)" = "$key" ] &&
   [ -x "$TREE/build/qemu-system-x86_64" ]; then
	progress "qemu: up to date ($TREE/build/qemu-system-x86_64)"
	exit 0
fi

prepare_tree
install_ours
if [ ! -f "$TREE/build/build.ninja" ]; then
	progress "qemu: configuring (x86_64-softmmu, virtfs, slirp)"
	mkdir -p "$TREE/build"
	(cd "$TREE/build" && ../configure --meson=meson --target-list=x86_64-softmmu \
		--enable-slirp --enable-virtfs --enable-attr --enable-cap-ng \
		--disable-docs --disable-install-blobs --disable-werror) > "$QEMU/configure.log" 2>&1 ||
		{ tail -20 "$QEMU/configure.log"; die "qemu configure failed"; }
fi
progress "qemu: building qemu-system-x86_64 (about 4 min from scratch)"
ninja -C "$TREE/build" qemu-system-x86_64 > "$QEMU/build.log" 2>&1 ||
	{ grep -E 'error|Error' "$QEMU/build.log" | head -40; die "qemu build failed (log: $QEMU/build.log)"; }
echo "$key" > "$TREE/build/.bifurc-key"
progress "qemu: ready ($TREE/build/qemu-system-x86_64)"
