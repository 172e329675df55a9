# Shared helpers for the test bed scripts; sourced, not run.
#
# Everything fetched or built from upstream lives in $BIFURC_CACHE, outside
# the clone, keyed by a hash of the inputs that shaped it, so a second run
# rebuilds only what changed and a fresh machine still builds everything.

BIFURC_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BIFURC_CACHE=${BIFURC_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/bifurc}
mkdir -p "$BIFURC_CACHE"

_bifurc_t0=${_bifurc_t0:-$(date +%s)}
export _bifurc_t0

# progress MSG: one line with the elapsed time since the first script started.
progress()
{
	local s=$(($(date +%s) - _bifurc_t0))

	printf '[%3d:%02d] %s\n' $((s / 60)) $((s % 60)) "$*"
}

die()
{
	echo "error: $*" >&2
	exit 1
}

# inputs_hash FILE|DIR...: a short hash of the contents of the given paths,
# the cache key of whatever is built from them.  Names enter as a
# directory's own relative paths and a file's base name, so two checkouts
# in different places share their caches.  A path that does not exist
# (kernel/patches/ while the series is empty: git keeps no empty
# directory) hashes as empty.
inputs_hash()
{
	local p

	for p in "$@"; do
		if [ -d "$p" ]; then
			(cd "$p" && find . -type f -print0 | LC_ALL=C sort -z |
				xargs -0 -r sha256sum)
		elif [ -f "$p" ]; then
			echo "$(sha256sum < "$p" | cut -c1-64)  ${p##*/}"
		fi
	done | sha256sum | cut -c1-16
}

# The Debian 6.12 kernel version whose image, headers and source are
# installed together ("6.12.117+deb12-amd64"); derived, never hard-coded.
debian_kver()
{
	local v

	v=$(ls -1 /lib/modules | grep -E '^6\.12\..*-amd64$' | sort -V | tail -n1)
	[ -n "$v" ] || die "no Debian 6.12 kernel in /lib/modules (run testbed/install-deps.sh)"
	echo "$v"
}

# Serialise builds that share a cache directory (CI and a developer, or two
# make targets started together).
cache_lock()
{
	exec 9>"$BIFURC_CACHE/.lock-$1"
	flock 9
}
