#!/bin/bash
# TAP: make install into a staging root puts the library, header,
# pkg-config file and man pages in place (under /opt/bifurc: pkgconf drops
# -I/usr/include from --cflags), and an example builds against
# the installed copy through pkg-config.
set -u
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0 fail=0
t() { n=$((n + 1)); if "$@" > "$tmp/out" 2>&1; then echo "ok $n - $name"; else
	echo "not ok $n - $name"; sed 's/^/# /' "$tmp/out" | tail -n 20; fail=1; fi; }
echo "TAP version 13"
echo "1..3"
root=$tmp/root
name=MAKE_INSTALL; t make -s install BUILD="$BUILD" DESTDIR="$root" PREFIX=/opt/bifurc
name=INSTALLED_FILES; t bash -c "cd '$root/opt/bifurc' && ls lib/libbifurc.so.$VERSION lib/libbifurc.so.${VERSION%%.*} lib/libbifurc.so lib/libbifurc.a include/bifurc.h lib/pkgconfig/libbifurc.pc share/man/man3/bifurc_open.3 share/man/man7/libbifurc.7"
name=BUILD_AGAINST_INSTALLED; t bash -c "PKG_CONFIG_SYSROOT_DIR='$root' PKG_CONFIG_LIBDIR='$root/opt/bifurc/lib/pkgconfig' ${CC:-cc} -std=c11 -Wall -Werror examples/rxdrop.c -o '$tmp/rxdrop' \$(PKG_CONFIG_SYSROOT_DIR='$root' PKG_CONFIG_LIBDIR='$root/opt/bifurc/lib/pkgconfig' pkg-config --cflags --libs libbifurc) && readelf -d '$tmp/rxdrop' | grep -q 'NEEDED.*libbifurc.so.${VERSION%%.*}'"
exit $fail
