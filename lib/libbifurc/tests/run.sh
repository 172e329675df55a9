#!/bin/bash
# run.sh TAP_DIR PROGRAM...: run each test program (or check script), write
# its TAP to TAP_DIR/<name>.tap and its stderr to TAP_DIR/<name>.log, echo
# the TAP, and finish with one "N passed, N failed, N skipped" line.
# Exits 1 if any result failed, a plan came up short, or a program exited
# non-zero.
set -u
dir=$1
shift
mkdir -p "$dir"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export TSAN_OPTIONS=${TSAN_OPTIONS:-halt_on_error=1}
pass=0 fail=0 skip=0 bad=0
for prog in "$@"; do
	name=$(basename "$prog")
	name=${name%.sh}
	case $name in libbifurc-*) ;; *) name=libbifurc-$name ;; esac
	# Another build of a test program (tsan/): its own TAP and log.
	v=$(basename "$(dirname "$prog")")
	case $v in test|tests|.) ;; *) name=$name-$v ;; esac
	tap=$dir/$name.tap
	"$prog" > "$tap" 2> "$dir/$name.log"
	rc=$?
	cat "$tap"
	p=$(grep -cE '^ok [0-9]+' "$tap" | tr -d ' ')
	s=$(grep -cE '^ok [0-9]+.*# *SKIP' "$tap" | tr -d ' ')
	f=$(grep -cE '^not ok [0-9]+' "$tap" | tr -d ' ')
	plan=$(sed -n 's/^1\.\.\([0-9]*\).*/\1/p' "$tap" | head -n 1)
	p=$((p - s))
	if [ -z "$plan" ] || [ $((p + s + f)) -ne "$plan" ] || [ "$rc" -ne 0 ]; then
		echo "# $name: exit status $rc, plan '${plan:-none}', $((p + s + f)) results (log: $dir/$name.log)"
		tail -n 20 "$dir/$name.log" | sed 's/^/#   /'
		[ "$f" -eq 0 ] && f=1
		bad=1
	fi
	pass=$((pass + p)) fail=$((fail + f)) skip=$((skip + s))
done
echo "libbifurc: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ] && [ "$bad" -eq 0 ]
