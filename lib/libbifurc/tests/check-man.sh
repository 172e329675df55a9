#!/bin/bash
# TAP: one section-3 page per exported function, the section-7 overview,
# each renders with groff without a warning and names the libbifurc
# version in its .TH line.
set -u
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mapfile -t syms < <(sed -n 's/^\t\t\(bifurc_[a-z_]*\);$/\1/p' libbifurc.map)
pages=("${syms[@]/%/.3}" libbifurc.7)
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
	if ! grep -q "^\.TH .*\"libbifurc ${VERSION%.*}\"" "$f"; then
		echo "not ok $n - $p (.TH lacks \"libbifurc ${VERSION%.*}\")"; fail=1; continue
	fi
	echo "ok $n - $p"
done
exit $fail
