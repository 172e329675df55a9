#!/bin/bash
# Build the Linux pieces of the test bed from Debian's linux-source-6.12 with
# kernel/patches/ applied:
#
#   build-kernel.sh source   patched tree in $BIFURC_CACHE/linux/src
#   build-kernel.sh debug    debug guest kernel (KASAN, lockdep, KUnit, 9p)
#   build-kernel.sh dma      the same with DMA-API debugging (dma.config),
#                            for the guest that boots with swiotlb=force
#   build-kernel.sh module   patched ixgbe.ko for Debian's own 6.12 kernel
#   build-kernel.sh patches  export branch "bifurc" of the tree to
#                            kernel/patches/ (format-patch, cover letter from
#                            kernel/cover-letter.txt) and its new files to
#                            kernel/ at the same paths
#
# The tree is one git repository: Debian's source is commit "base", the
# series is re-applied with `git am` on branch "bifurc" only when it changes,
# and the object directory persists, so an edit rebuilds only what it touched.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

LINUX=$BIFURC_CACHE/linux
SRC=$LINUX/src
GIT=(git -C "$SRC" -c user.name=bifurc-testbed -c user.email=testbed@bifurc.invalid)
series_hash=$(inputs_hash "$BIFURC_TOP/kernel/patches")

source_version()
{
	dpkg-query -W -f='${Version}' linux-source-6.12 2>/dev/null ||
		die "linux-source-6.12 is not installed (run testbed/install-deps.sh)"
}

prepare_base()
{
	local want have="" tmp

	want=$(source_version)
	[ -f "$SRC/.git/bifurc-base" ] && have=$(cat "$SRC/.git/bifurc-base")
	[ "$have" = "$want" ] && return

	progress "linux: unpacking linux-source-6.12 $want"
	rm -rf "$SRC" "$LINUX/build-debug" "$LINUX/build-dma" "$LINUX"/src.tmp
	tmp=$LINUX/src.tmp
	mkdir -p "$tmp"
	tar -C "$tmp" -xf /usr/src/linux-source-6.12.tar.xz
	mv "$tmp"/linux-source-6.12 "$SRC"
	rmdir "$tmp"
	progress "linux: committing the pristine tree as 'base'"
	"${GIT[@]}" init -q
	"${GIT[@]}" add -A -f  # Debian's .gitignore ignores the whole top level
	"${GIT[@]}" commit -q -m "Debian linux-source-6.12 $want"
	"${GIT[@]}" tag base
	echo "$want" > "$SRC/.git/bifurc-base"
	rm -f "$SRC/.git/bifurc-series"
}

apply_series()
{
	local patches p

	prepare_base
	if [ "$(cat "$SRC/.git/bifurc-series" 2>/dev/null)" = "$series_hash" ]; then
		return
	fi
	shopt -s nullglob
	patches=("$BIFURC_TOP"/kernel/patches/*.patch)
	shopt -u nullglob
	# the cover letter carries no diff
	for p in "${!patches[@]}"; do
		case ${patches[p]} in */0000-cover-letter.patch) unset "patches[p]" ;; esac
	done
	patches=(${patches[@]+"${patches[@]}"})
	progress "linux: applying ${#patches[@]} patches from kernel/patches/"
	"${GIT[@]}" am --abort >/dev/null 2>&1 || true
	"${GIT[@]}" checkout -q -f -B bifurc base
	if [ "${#patches[@]}" -gt 0 ]; then
		"${GIT[@]}" am -q "${patches[@]}" ||
			die "kernel/patches/ does not apply to Debian linux-source-6.12"
	fi
	echo "$series_hash" > "$SRC/.git/bifurc-series"
}

# build_own KIND FRAGMENT...: $LINUX/build-KIND from defconfig,
# kvm_guest.config and the fragments, its modules in $LINUX/mods-KIND
build_own()
{
	local kind=$1 out=$LINUX/build-$1 mods=$LINUX/mods-$1 key frag
	local -a frags=("${@:2}")

	key=$(source_version)-$series_hash-$(inputs_hash "${frags[@]}" "$0")
	if [ "$(cat "$out/.bifurc-key" 2>/dev/null)" = "$key" ]; then
		progress "linux: $kind kernel up to date ($out)"
		return
	fi
	apply_series
	mkdir -p "$out"
	progress "linux: configuring the $kind kernel"
	make -s -C "$SRC" O="$out" defconfig
	make -s -C "$SRC" O="$out" kvm_guest.config
	(cd "$out" && "$SRC"/scripts/kconfig/merge_config.sh -m -O "$out" .config "${frags[@]}") >/dev/null
	make -s -C "$SRC" O="$out" olddefconfig
	for frag in "${frags[@]}"; do
		check_config "$out/.config" "$frag"
	done
	progress "linux: building bzImage and modules (about 13 min from scratch)"
	make -s -C "$SRC" O="$out" -j"$(nproc)" bzImage modules 2>&1 | grep -v '^\s*$' || true
	[ "${PIPESTATUS[0]}" -eq 0 ] || die "$kind kernel build failed"
	rm -rf "$mods"
	make -s -C "$SRC" O="$out" INSTALL_MOD_PATH="$mods" modules_install
	echo "$key" > "$out/.bifurc-key"
	progress "linux: $kind kernel ready ($out/arch/x86/boot/bzImage)"
}

# Every option the fragment asks for must have survived olddefconfig: a
# silently dropped KASAN or lockdep would make every later test weaker.
check_config()
{
	local cfg=$1 frag=$2 line bad=0

	while read -r line; do
		case "$line" in CONFIG_*=*) ;; *) continue ;; esac
		if ! grep -qx "$line" "$cfg"; then
			echo "$(basename "$frag"): '$line' did not take" >&2
			bad=1
		fi
	done < "$frag"
	[ "$bad" -eq 0 ] || die "a kernel config lost requested options"
}

# The series is developed as commits on branch "bifurc" of $SRC (one per
# logical change, fixups squashed with `git rebase -i --autosquash base`);
# this writes it back into the repository.
export_patches()
{
	local f

	prepare_base
	[ -n "$("${GIT[@]}" rev-list base..bifurc)" ] ||
		die "branch bifurc of $SRC has no commits over base"
	"${GIT[@]}" config branch.bifurc.description \
		"$(cat "$BIFURC_TOP/kernel/cover-letter.txt")"
	rm -f "$BIFURC_TOP"/kernel/patches/*.patch
	mkdir -p "$BIFURC_TOP/kernel/patches"
	# the cover letter is from the repository's own identity
	git -C "$SRC" -c user.name="$(git -C "$BIFURC_TOP" config user.name)" \
		-c user.email="$(git -C "$BIFURC_TOP" config user.email)" \
		format-patch -q --cover-letter --cover-from-description=subject \
		--no-signature -o "$BIFURC_TOP/kernel/patches" base..bifurc
	# readable copies of every file the series adds
	for f in $("${GIT[@]}" diff --name-only --diff-filter=A base bifurc); do
		mkdir -p "$BIFURC_TOP/kernel/$(dirname "$f")"
		"${GIT[@]}" show "bifurc:$f" > "$BIFURC_TOP/kernel/$f"
	done
	# what the tree now holds is what kernel/patches/ describes
	inputs_hash "$BIFURC_TOP/kernel/patches" > "$SRC/.git/bifurc-series"
	progress "linux: $(ls "$BIFURC_TOP"/kernel/patches/*.patch | wc -l) files in kernel/patches/"
}

build_module()
{
	local kver key out

	kver=$(debian_kver)
	key=$(source_version)-$series_hash-$kver-$(inputs_hash "$0")
	out=$LINUX/ixgbe-debian
	if [ "$(cat "$out/.bifurc-key" 2>/dev/null)" = "$key" ]; then
		progress "linux: ixgbe.ko for $kver up to date"
		return
	fi
	apply_series
	progress "linux: building ixgbe.ko out of tree for Debian's $kver"
	rm -rf "$out"
	mkdir -p "$out"
	cp -a "$SRC"/drivers/net/ethernet/intel/ixgbe/. "$out"/
	# Debian's headers know neither bifurc's Kconfig symbol nor its uapi
	# header: both come with the module (as in check-series.sh)
	mkdir -p "$out/include/uapi/linux"
	cp "$SRC/include/uapi/linux/bifurc.h" "$out/include/uapi/linux/"
	make -s -C "/lib/modules/$kver/build" M="$out" CONFIG_IXGBE=m \
		CONFIG_IXGBE_HWMON=y CONFIG_IXGBE_DCA=y CONFIG_IXGBE_DCB=y \
		CONFIG_IXGBE_IPSEC=y CONFIG_IXGBE_BIFURC=y \
		KCFLAGS="-DCONFIG_IXGBE_BIFURC -I$out/include/uapi" \
		-j"$(nproc)" modules
	[ -f "$out/ixgbe_bifurc.o" ] || die "ixgbe.ko was built without bifurc"
	echo "$key" > "$out/.bifurc-key"
	progress "linux: $out/ixgbe.ko ready"
}

mkdir -p "$LINUX"
cache_lock linux
case "${1:-}" in
source) apply_series ;;
debug) build_own debug "$BIFURC_TOP/testbed/kernel/debug.config" ;;
dma) build_own dma "$BIFURC_TOP/testbed/kernel/debug.config" \
	"$BIFURC_TOP/testbed/kernel/dma.config" ;;
module) build_module ;;
patches) export_patches ;;
*) die "usage: $0 source|debug|dma|module|patches" ;;
esac
