#!/bin/bash
# TAP: <linux/bifurc.h> is a well-formed uapi header: compiles alone as
# C90 (what UAPI_HEADER_TEST does) and as C++, uses only kernel uapi types,
# no C99 comments, no libc headers.
set -u
h=$UAPI/linux/bifurc.h
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0 fail=0
t() { n=$((n + 1)); if "$@" > "$tmp/out" 2>&1; then echo "ok $n - $name"; else
	echo "not ok $n - $name"; sed 's/^/# /' "$tmp/out"; fail=1; fi; }
echo "TAP version 13"
echo "1..4"
printf '#include <linux/bifurc.h>\n' > "$tmp/a.c"
cp "$tmp/a.c" "$tmp/a.cc"
name=C90_ALONE; t ${CC:-cc} -std=c90 -pedantic -Wall -Wextra -Werror -I"$UAPI" -c "$tmp/a.c" -o "$tmp/a.o"
name=CXX_ALONE; t ${CXX:-g++} -std=c++11 -Wall -Wextra -Werror -I"$UAPI" -c "$tmp/a.cc" -o "$tmp/b.o"
name=UAPI_TYPES_ONLY; t bash -c "! grep -nE '\\b(u?int(8|16|32|64)_t|size_t|bool)\\b' '$h' | grep -v '^\\S*: \\*'"
name=NO_LIBC_INCLUDES; t bash -c "! grep -nE '#include <(std|sys/|unistd)' '$h'"
exit $fail
