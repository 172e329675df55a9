#!/bin/bash
# TAP: the man pages' examples (.nf/.fi blocks outside SYNOPSIS) compile
# against <bifurc.h> with -Wall -Wextra -Werror and run to completion
# against the simulated kernel, under ASan and UBSan, within EX_TIMEOUT
# seconds.  Each block becomes the body of example(), example_fd(fd) if
# it opens a queue from a descriptor fd, or, if it opens no queue itself,
# example_q(q); tests/example.c is the main and the
# world: frames arrive while the example sleeps, then a reset, then a
# removal.  Needs $BUILD/test/example.o and libbifurc-sim.a (make test).
set -u
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# Block k: its text in $tmp/k.c.in, "file line (section)" in $tmp/k.where.
awk -v dir="$tmp" '
	FNR == 1 { sh = ""; ss = ""; out = "" }
	/^\.SH/ { sh = substr($0, 5); ss = ""; next }
	/^\.SS/ { ss = substr($0, 5); next }
	/^\.nf/ && sh !~ /SYNOPSIS/ {
		k++; out = dir "/" k ".c.in"
		printf "%s %d (%s)\n", FILENAME, FNR + 1, ss != "" ? ss : sh \
			> (dir "/" k ".where")
		close(dir "/" k ".where")
		next
	}
	/^\.fi/ { if (out != "") close(out); out = ""; next }
	out != "" {
		gsub(/\\-/, "-"); gsub(/\\&/, ""); gsub(/\\e/, "\\\\")
		print > out
	}' man/*.3 man/*.7
blocks=$(ls "$tmp" | sed -n 's/\.where$//p' | sort -n)
echo "TAP version 13"
echo "1..$(echo "$blocks" | grep -c .)"
n=0 fail=0
for k in $blocks; do
	n=$((n + 1))
	read -r file line section < "$tmp/$k.where"
	name="$file:$line $section"
	if grep -q 'bifurc_open_fd(' "$tmp/$k.c.in"; then
		fn='void example_fd(int fd)'
	elif grep -q 'bifurc_open(' "$tmp/$k.c.in"; then
		fn='void example(void)'
	else
		fn='void example_q(struct bifurc_queue *q)'
	fi
	# example_uses: what tests/example.c then requires (EX_USES_*).
	uses=0
	grep -q 'bifurc_rx_burst(' "$tmp/$k.c.in" && uses=$((uses | 1))
	grep -q 'bifurc_flow_add(' "$tmp/$k.c.in" && uses=$((uses | 2))
	{
		printf '#define _GNU_SOURCE\n'
		printf '#include <%s>\n' errno.h poll.h stdio.h stdlib.h \
			string.h arpa/inet.h netinet/in.h bifurc.h
		printf 'extern const unsigned int example_uses;\n'
		printf 'const unsigned int example_uses = %u;\n' $uses
		printf '%s;\n%s\n{\n#line %d "%s"\n' "$fn" "$fn" "$line" "$file"
		cat "$tmp/$k.c.in"
		printf '}\n'
	} > "$tmp/$k.c"
	if ! ${CC:-cc} -std=c11 -Wall -Wextra -Werror -Iinclude $SAN \
		"$tmp/$k.c" "$BUILD/test/example.o" "$BUILD/test/libbifurc-sim.a" \
		$WRAP -o "$tmp/$k" > "$tmp/out" 2>&1; then
		echo "not ok $n - $name (does not compile)"
		sed 's/^/# /' "$tmp/out" | head -n 20
		fail=1
		continue
	fi
	timeout "${EX_TIMEOUT:-20}" "$tmp/$k" > "$tmp/out" 2>&1
	rc=$?
	if [ $rc -ne 0 ]; then
		[ $rc -eq 124 ] && why="did not finish in ${EX_TIMEOUT:-20} s" ||
			why="exit status $rc"
		echo "not ok $n - $name ($why)"
		sed 's/^#* */# /' "$tmp/out" | tail -n 20
		fail=1
		continue
	fi
	echo "ok $n - $name"
	grep '^# ' "$tmp/out"
done
exit $fail
