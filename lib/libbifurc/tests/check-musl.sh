#!/bin/bash
# TAP: the library and the examples that need only the C library build
# with musl (musl-gcc, Debian's musl-tools) and warnings as errors, and
# the examples run there as they do with glibc.  A missing musl-gcc fails
# the check: a portability check that skips itself checks nothing.
# dump is left out: it needs libpcap, which has no musl build here.
#
# musl ships no kernel headers, so <linux/bifurc.h>'s <linux/types.h> and
# <linux/ioctl.h> come from the host's linux-libc-dev: its linux/, asm/
# and asm-generic/ directories only, none of glibc's own headers, and as
# system headers (-isystem), where a musl system such as Alpine has them.
set -u
musl=${MUSL_CC:-musl-gcc}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "TAP version 13"
if ! command -v "$musl" > /dev/null; then
	echo "1..1"
	echo "not ok 1 - MUSL_GCC: $musl not found: install musl-tools" \
		"(apt-get install musl-tools; testbed/install-deps.sh does)" \
		"or set MUSL_CC"
	exit 1
fi
n=0 fail=0
t() { n=$((n + 1)); if "$@" > "$tmp/out" 2>&1; then echo "ok $n - $name"; else
	echo "not ok $n - $name"; sed 's/^/# /' "$tmp/out" | tail -n 20; fail=1; fi; }
examples=(rxdrop udp-echo l2fwd)
echo "1..$((4 + ${#examples[@]}))"
warn="-std=c11 -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes
	-Wformat=2 -Wundef -Wpointer-arith -Werror -O2"

kernel_headers() {
	local arch asm d

	arch=$(${CC:-cc} -print-multiarch 2> /dev/null)
	for d in ${arch:+/usr/include/$arch/asm} /usr/include/asm; do
		[ -f "$d/types.h" ] && { asm=$d; break; }
	done
	[ -f /usr/include/linux/types.h ] && [ -n "${asm:-}" ] &&
		[ -d /usr/include/asm-generic ] || {
		echo "no kernel headers (linux-libc-dev) in /usr/include"; return 1; }
	mkdir -p "$tmp/khdr" &&
	ln -s /usr/include/linux "$tmp/khdr/linux" &&
	ln -s /usr/include/asm-generic "$tmp/khdr/asm-generic" &&
	ln -s "$asm" "$tmp/khdr/asm"
}
name=KERNEL_HEADERS; t kernel_headers

lib() {
	local f

	for f in src/*.c; do
		"$musl" $warn -Iinclude -Isrc -I"$UAPI" -isystem "$tmp/khdr" -c "$f" \
			-o "$tmp/$(basename "$f" .c).o" || return 1
	done
	ar rcs "$tmp/libbifurc.a" "$tmp"/*.o
}
name=LIBRARY; t lib

# Every function of the header links from the archive (the default
# symbol version, as with glibc's).
syms() {
	{
		echo "#include <bifurc.h>"
		echo "void (*const fns[])(void) = {"
		sed -n 's/^[a-z].* \**\(bifurc_[a-z_]*\)(.*/\t(void (*)(void))\1,/p' \
			include/bifurc.h
		echo "};"
		echo "int main(void) { return fns[0] == 0; }"
	} > "$tmp/syms.c" &&
	"$musl" $warn -static -Iinclude "$tmp/syms.c" "$tmp/libbifurc.a" \
		-o "$tmp/syms" && "$tmp/syms"
}
name=SYMBOLS; t syms

# Static, so that the run below needs no musl loader; without arguments
# each prints its usage and exits 2.
for ex in "${examples[@]}"; do
	name=EXAMPLE_$ex; t bash -c "'$musl' $(echo $warn) -static -Iinclude \
		examples/$ex.c '$tmp/libbifurc.a' -o '$tmp/$ex' &&
		'$tmp/$ex' 2> '$tmp/$ex.err'; rc=\$?; cat '$tmp/$ex.err';
		[ \$rc -eq 2 ] && grep -q '^usage: $ex ' '$tmp/$ex.err'"
done

# rxdrop's documented order, options after the operands, needs glibc's
# getopt permutation unless rxdrop collects operands itself: here it must
# get as far as the (missing) interface, not stop at a usage message.
name=RXDROP_OPTIONS_LAST; t bash -c "'$tmp/rxdrop' bifurc-none0 3 -t 1 \
	2> '$tmp/r.err'; rc=\$?; cat '$tmp/r.err'; [ \$rc -eq 1 ] &&
	grep -q '^rxdrop: bifurc-none0 queue 3: no such interface' '$tmp/r.err'"
exit $fail
