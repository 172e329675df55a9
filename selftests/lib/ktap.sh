# KTAP output for the shell selftests (sourced): the same lines kselftest's
# ktap_helpers.sh prints, so a kselftest runner and our harness read them.

KSFT_PASS=0
KSFT_FAIL=1
KSFT_SKIP=4

ktap_num=0
ktap_pass=0
ktap_fail=0
ktap_skip=0

ktap_print_header()
{
	echo "TAP version 13"
}

ktap_set_plan()
{
	echo "1..$1"
}

ktap_print_msg()
{
	echo "# $*"
}

ktap_test_pass()
{
	ktap_num=$((ktap_num + 1)) ktap_pass=$((ktap_pass + 1))
	echo "ok $ktap_num $*"
}

ktap_test_fail()
{
	ktap_num=$((ktap_num + 1)) ktap_fail=$((ktap_fail + 1))
	echo "not ok $ktap_num $*"
}

ktap_test_skip()
{
	local name=$1

	shift
	ktap_num=$((ktap_num + 1)) ktap_skip=$((ktap_skip + 1))
	echo "ok $ktap_num $name # SKIP $*"
}

# ktap_check NAME COMMAND...: one result line from a command's exit status;
# the command's output is kept as diagnostics.
ktap_check()
{
	local name=$1 out

	shift
	if out=$("$@" 2>&1); then
		ktap_test_pass "$name"
	else
		[ -n "$out" ] && printf '%s\n' "$out" | sed 's/^/# /'
		ktap_test_fail "$name"
	fi
}

ktap_finished()
{
	echo "# Totals: pass:$ktap_pass fail:$ktap_fail xfail:0 xpass:0 skip:$ktap_skip error:0"
	[ "$ktap_fail" -eq 0 ] || exit $KSFT_FAIL
	[ "$ktap_pass" -gt 0 ] || exit $KSFT_SKIP
	exit $KSFT_PASS
}

ktap_exit_fail_msg()
{
	echo "Bail out! $*"
	exit $KSFT_FAIL
}
