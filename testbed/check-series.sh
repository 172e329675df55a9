#!/bin/bash
# The kernel series in kernel/patches/, checked the way a maintainer would,
# one TAP result each:
#
#   1 applies      `git am` onto a clean checkout of Debian's tree (base)
#   2 builds       every patch in turn: ixgbe.ko out of tree against
#                  Debian's headers (as build-kernel.sh module), W=1, both
#                  with CONFIG_IXGBE_BIFURC=y and, for the last patch, =n
#   3 checkpatch   scripts/checkpatch.pl --strict: no error/warning/check
#   4 sparse       C=2 adds no warning in ixgbe_bifurc* (last patch)
#   5 copies       kernel/ in the repo equals the series' new files
#
# Logs: build/results/series-*.log (or $SERIES_LOGS).
#
# The five results depend only on the series, the repository's kernel/
# copies, Debian's source and headers and this script.  A run that passed
# stores its TAP under that key; a later run with the same inputs prints
# it again, marked as such, instead of building every patch twice more
# (SERIES_RECHECK=1 forces the work).  A failed run is never stored.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

LINUX=$BIFURC_CACHE/linux
SRC=$LINUX/src
TREE=$LINUX/series-check
OUT=$LINUX/series-build
LOGS=${SERIES_LOGS:-$BIFURC_TOP/build/results}
IXGBE=drivers/net/ethernet/intel/ixgbe
NEW_FILES=(
	include/uapi/linux/bifurc.h
	Documentation/networking/device_drivers/ethernet/intel/bifurc.rst
	$IXGBE/ixgbe_bifurc.h
	$IXGBE/ixgbe_bifurc.c
	$IXGBE/ixgbe_bifurc_rx.c
	$IXGBE/ixgbe_bifurc_tx.c
	$IXGBE/ixgbe_bifurc_flow.c
	$IXGBE/ixgbe_bifurc_mirror.c
	$IXGBE/ixgbe_bifurc_test.c
)
mkdir -p "$LOGS"

n=0 failed=0
result()
{
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $n $2"
	else
		echo "not ok $n $2 (log: $3)"
		failed=1
	fi
}

GIT=(git -C "$TREE" -c user.name=bifurc-check -c user.email=check@bifurc.invalid)

# 1: a clean base checkout of its own, so the developer's tree is untouched
apply()
{
	[ -d "$SRC/.git" ] || return 1
	git -C "$SRC" worktree remove --force "$TREE" 2>/dev/null
	rm -rf "$TREE"
	git -C "$SRC" worktree prune
	git -C "$SRC" worktree add -q --detach "$TREE" base || return 1
	ls "$BIFURC_TOP"/kernel/patches/*.patch | grep -v /0000-cover-letter.patch |
		xargs "${GIT[@]}" am -q || return 1
	"${GIT[@]}" log --oneline base..HEAD
}

# sync_file SRC DST: copy only if the content differs, so that an
# unchanged file keeps its mtime and make does not rebuild it.
sync_file()
{
	cmp -s "$1" "$2" || cp "$1" "$2"
}

# build_module DIR [MAKE ARGS]: ixgbe.ko from $TREE/$IXGBE, rebuilding only
# what changed since the last call.
build_module()
{
	local dir=$1 kver f

	shift
	kver=$(debian_kver)
	mkdir -p "$dir/include/uapi/linux" "$dir/ixgbe"
	for f in "$dir"/ixgbe/*.[ch]; do
		[ -e "$f" ] && [ ! -e "$TREE/$IXGBE/$(basename "$f")" ] && rm -f "$f"
	done
	for f in "$TREE/$IXGBE"/*; do
		sync_file "$f" "$dir/ixgbe/$(basename "$f")" || return 1
	done
	if [ -f "$TREE/include/uapi/linux/bifurc.h" ]; then
		sync_file "$TREE/include/uapi/linux/bifurc.h" "$dir/include/uapi/linux/bifurc.h"
	fi
	make -s -C "/lib/modules/$kver/build" M="$dir/ixgbe" W=1 \
		CONFIG_IXGBE=m CONFIG_IXGBE_HWMON=y CONFIG_IXGBE_DCA=y \
		CONFIG_IXGBE_DCB=y CONFIG_IXGBE_IPSEC=y -j"$(nproc)" "$@" modules 2>&1
}

# 2: every commit builds, W=1, with no compiler output at all
builds()
{
	local c out bad=0

	for c in $("${GIT[@]}" rev-list --reverse base..HEAD); do
		"${GIT[@]}" checkout -q "$c" || return 1
		echo "== $("${GIT[@]}" log --oneline -1)"
		out=$(build_module "$OUT/y" CONFIG_IXGBE_BIFURC=y \
			KCFLAGS="-DCONFIG_IXGBE_BIFURC -I$OUT/y/include/uapi")
		if [ $? -ne 0 ] || [ -n "$out" ]; then
			echo "$out"
			bad=1
		fi
	done
	echo "== last patch, CONFIG_IXGBE_BIFURC=n"
	out=$(build_module "$OUT/n" KCFLAGS="-I$OUT/n/include/uapi")
	if [ $? -ne 0 ] || [ -n "$out" ]; then
		echo "$out"
		bad=1
	fi
	return $bad
}

# 3: checkpatch --strict on every patch of the series
checkpatch()
{
	local p out bad=0

	for p in "$BIFURC_TOP"/kernel/patches/0*.patch; do
		case $p in */0000-cover-letter.patch) continue ;; esac
		# from inside the tree, so checkpatch sees MAINTAINERS and git
		# Debian's python3 has ply for spdxcheck.py, a pyenv one may not
		out=$(cd "$TREE" && PATH=/usr/bin:$PATH ./scripts/checkpatch.pl --strict --show-types \
			--no-summary --quiet "$p" 2>&1)
		echo "== $(basename "$p")"
		if [ -n "$out" ]; then
			echo "$out"
			bad=1
		fi
	done
	return $bad
}

# 4: sparse on the last patch; only our files count
sparse_check()
{
	local out

	touch "$OUT"/y/ixgbe/ixgbe_bifurc*.c
	out=$(build_module "$OUT/y" C=2 CONFIG_IXGBE_BIFURC=y \
		KCFLAGS="-DCONFIG_IXGBE_BIFURC -I$OUT/y/include/uapi") || return 1
	echo "$out"
	grep -c '^  CHECK' <<< "$out" > /dev/null
	! grep -E 'ixgbe_bifurc[^ :]*:[0-9]+:[0-9]+: (warning|error)' <<< "$out"
}

# 5: the repository's readable copies are the series' final state
copies()
{
	local f bad=0

	for f in "${NEW_FILES[@]}"; do
		if ! "${GIT[@]}" show "$LAST:$f" | cmp -s - "$BIFURC_TOP/kernel/$f"; then
			echo "kernel/$f differs from the series"
			bad=1
		fi
	done
	return $bad
}

# a fresh machine has no tree yet (build-kernel.sh takes the lock itself)
[ -d "$SRC/.git" ] || "$BIFURC_TOP/testbed/build-kernel.sh" source > "$LOGS/series-source.log" 2>&1
cache_lock linux

key=$(dpkg-query -W -f='${Version}' linux-source-6.12 2>/dev/null)-$(debian_kver)-$(inputs_hash "$BIFURC_TOP/kernel/patches" "$BIFURC_TOP/kernel/drivers" "$BIFURC_TOP/kernel/include" "$BIFURC_TOP/kernel/Documentation" "$0")
stored=$LINUX/series-results/$key.tap
if [ -z "${SERIES_RECHECK:-}" ] && [ -f "$stored" ]; then
	sed "1a # identical inputs checked on $(date -r "$stored" '+%F %T'): stored result ($stored)" "$stored"
	exit 0
fi
exec 3>&1 > "$LOGS/series.tap.tmp"
echo "TAP version 13"
echo "1..5"
if apply > "$LOGS/series-apply.log" 2>&1; then
	result 0 "series applies to Debian linux-source-6.12 with git am"
	LAST=$("${GIT[@]}" rev-parse HEAD)
	builds > "$LOGS/series-build.log" 2>&1
	result $? "every patch builds, W=1 (CONFIG_IXGBE_BIFURC=y, and =n at the end)" "$LOGS/series-build.log"
	checkpatch > "$LOGS/series-checkpatch.log" 2>&1
	result $? "checkpatch --strict: no error, warning or check" "$LOGS/series-checkpatch.log"
	"${GIT[@]}" checkout -q "$LAST"
	sparse_check > "$LOGS/series-sparse.log" 2>&1
	result $? "sparse C=2: no warning in ixgbe_bifurc*" "$LOGS/series-sparse.log"
	copies > "$LOGS/series-copies.log" 2>&1
	result $? "kernel/ holds the series' final new files" "$LOGS/series-copies.log"
else
	result 1 "series applies to Debian linux-source-6.12 with git am" "$LOGS/series-apply.log"
	for t in "patches build" "checkpatch" "sparse" "repository copies"; do
		n=$((n + 1))
		echo "not ok $n $t # series does not apply"
	done
	failed=1
fi
exec 1>&3
cat "$LOGS/series.tap.tmp"
if [ "$failed" = 0 ]; then
	mkdir -p "$(dirname "$stored")"
	cp "$LOGS/series.tap.tmp" "$stored"
fi
rm -f "$LOGS/series.tap.tmp"
exit $failed
