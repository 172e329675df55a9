#!/bin/bash
# TAP: the shared library exports exactly the symbols of libbifurc.map,
# each at the version of the node that lists it (a function listed again
# in a later node, because it changed, is the default version "@@" there
# and an old version "@" in the earlier ones), the newest node is the
# VERSION file's major.minor, it has the soname, links with -z defs, and
# every function the public header declares is exported.
set -u
so=$BUILD/libbifurc.so.$VERSION
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0 fail=0
t() { n=$((n + 1)); if "$@" > "$tmp/out" 2>&1; then echo "ok $n - $name"; else
	echo "not ok $n - $name"; sed 's/^/# /' "$tmp/out"; fail=1; fi; }
echo "TAP version 13"
echo "1..6"
sed -n 's/^\t\t\(bifurc_[a-z_]*\);$/\1/p' libbifurc.map | sort > "$tmp/map"
awk '/^LIBBIFURC_[0-9.]+ \{/ { node = $1 }
     /^\t\tbifurc_[a-z_]*;$/ { s = $1; sub(/;$/, "", s)
	if (s in last) print s "@" last[s]
	last[s] = node }
     END { for (s in last) print s "@@" last[s] }' \
	libbifurc.map | sort > "$tmp/mapv"
newest=$(sed -n 's/^\(LIBBIFURC_[0-9.]*\) {.*/\1/p' libbifurc.map | tail -n 1)
nm -D --defined-only "$so" | awk '$2 == "T" { print $3 }' | sort > "$tmp/exp"
sed -n 's/^[a-z].* \**\(bifurc_[a-z_]*\)(.*/\1/p' include/bifurc.h | sort > "$tmp/hdr"
name=EXPORTS_EQUAL_MAP; t bash -c "sed 's/@.*//' '$tmp/exp' | diff -u '$tmp/map' -"
name=VERSIONED_AS_MAP; t diff -u "$tmp/mapv" "$tmp/exp"
name=NEWEST_NODE_IS_VERSION; t test "$newest" = "LIBBIFURC_${VERSION%.*}"
name=HEADER_EQUALS_MAP; t bash -c "sort -u '$tmp/map' | diff -u - '$tmp/hdr'"
name=SONAME; t bash -c "readelf -d '$so' | grep -q 'SONAME.*libbifurc.so.${VERSION%%.*}\\]'"
name=STATIC_ARCHIVE; t bash -c "nm '$BUILD/libbifurc.a' | grep -q ' T bifurc_open'"
exit $fail
