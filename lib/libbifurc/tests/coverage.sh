#!/bin/bash
# coverage.sh OBJDIR MIN SRC...: line coverage of the library sources by
# gcov (no lcov needed), per function and per file, then the total.
# Exits 1 if the total is below MIN percent.
set -eu
objdir=$1 min=$2
shift 2
total=0 hit=0
for src in "$@"; do
	out=$(gcov -f -n -o "$objdir" "$src" 2>/dev/null)
	# Per-function lines: "Function 'x'" followed by "Lines executed:P% of N"
	echo "$out" | awk -v f="$src" '
		/^Function / { fn = $2; gsub(/\x27/, "", fn) }
		/^File / { fn = "" }
		/^Lines executed:/ && fn != "" {
			split($2, a, ":"); sub(/%/, "", a[2]);
			printf "  %-34s %6.1f%% of %s\n", f ":" fn, a[2], $4; fn = "" }'
	line=$(echo "$out" | awk -v f="$src" '
		$0 ~ "^File .*" f "\x27" { want = 1; next }
		want && /^Lines executed:/ { print; exit }')
	pct=$(echo "$line" | sed -n 's/Lines executed:\([0-9.]*\)% of \([0-9]*\)/\1 \2/p')
	read -r p n <<< "$pct"
	h=$(awk -v p="$p" -v n="$n" 'BEGIN { printf "%d", p * n / 100 + 0.5 }')
	printf "%-36s %6s%% of %s lines\n" "$src" "$p" "$n"
	total=$((total + n)) hit=$((hit + h))
done
pct=$(awk -v h=$hit -v t=$total 'BEGIN { printf "%.1f", t ? 100 * h / t : 0 }')
echo "libbifurc line coverage: $pct% ($hit of $total lines)"
awk -v p="$pct" -v m="$min" 'BEGIN { exit !(p >= m) }' || {
	echo "coverage below $min%"
	exit 1
}
