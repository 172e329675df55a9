#!/bin/bash
# TAP: one section-3 page per exported function, the section-7 overview,
# each renders with groff without a warning, and its .TH line names the
# libbifurc version that introduced the function (the first map node that
# lists it; for the overview, the current VERSION), as does its NOTES line.
set -u
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mapfile -t syms < <(sed -n 's/^\t\t\(bifurc_[a-z_]*\);$/\1/p' libbifurc.map |
	awk '!seen[$0]++')
pages=("${syms[@]/%/.3}" libbifurc.7)
# page -> "x.y": the version node that introduced the function.
declare -A since
while read -r sym ver; do since[$sym.3]=$ver; done < <(awk '
	/^LIBBIFURC_[0-9.]+ \{/ { node = $1; sub(/^LIBBIFURC_/, "", node) }
	/^\t\tbifurc_[a-z_]*;$/ { s = $1; sub(/;$/, "", s)
		if (!(s in seen)) print s, node; seen[s] = 1 }' libbifurc.map)
since[libbifurc.7]=${VERSION%.*}
echo "TAP version 13"
echo "1..${#pages[@]}"
n=0 fail=0
for p in "${pages[@]}"; do
	n=$((n + 1))
	f=man/$p
	if [ ! -f "$f" ]; then
		echo "not ok $n - $p (missing)"; fail=1; continue
	fi
	if ! groff -man -ww -z "$f" > "$tmp/out" 2>&1 || [ -s "$tmp/out" ]; then
		echo "not ok $n - $p (groff)"; sed 's/^/# /' "$tmp/out"; fail=1; continue
	fi
	v=${since[$p]}
	if ! grep -q "^\.TH .*\"libbifurc ${v//./\\.}\"" "$f"; then
		echo "not ok $n - $p (.TH lacks \"libbifurc $v\")"; fail=1; continue
	fi
	if [ "$p" != libbifurc.7 ] && ! grep -q "^Added in libbifurc ${v//./\\.}\." "$f"; then
		echo "not ok $n - $p (no \"Added in libbifurc $v.\")"; fail=1; continue
	fi
	echo "ok $n - $p"
done
exit $fail
