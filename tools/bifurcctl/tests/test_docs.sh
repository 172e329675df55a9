#!/bin/bash
# Description: the man page renders with groff without a warning and
# documents every object, command and keyword; "make install" puts the
# binary, man page and completion under PREFIX.
. "${SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"
mkfake
SRC=${SRCDIR:-$(dirname "$0")/..}

t_groff() {
	local w
	w=$(groff -man -ww -z "$SRC/bifurcctl.8" "$SRC/bifurc.conf.5" 2>&1) && [ -z "$w" ] ||
		{ echo "$w"; return 1; }
}

t_covers() {
	local text word
	text=$(groff -man -Tutf8 -P-c "$SRC/bifurcctl.8" 2>/dev/null | sed 's/\x1b\[[0-9;]*m//g; s/.\x08//g')
	for word in dev reserve release steer add del list stats grant \
		udp4 tcp4 udp6 tcp6 src-ip dst-ip src-port dst-port queue drop loc \
		rule force user group none ports -w --json --pretty --sysfs-root BIFURC_SYSFS_ROOT \
		apply dump-config bifurc.conf bifurc@.service ntuple top -d -n rx_pps \
		granted reserved_queues ip_unprivileged_port_start EADDRINUSE \
		BIFURC_STATUS_REVOKED \
		"ONE FLOW MASK PER PORT" "EXIT STATUS"; do
		contains "$text" "$word" || return 1
	done
}

t_install() {
	make -s -C "$SRC" install DESTDIR="$TMP/inst" PREFIX=/usr >/dev/null || return 1
	[ -x "$TMP/inst/usr/sbin/bifurcctl" ] &&
	[ -f "$TMP/inst/usr/share/man/man8/bifurcctl.8" ] &&
	[ -f "$TMP/inst/usr/share/man/man5/bifurc.conf.5" ] &&
	[ -f "$TMP/inst/usr/share/bash-completion/completions/bifurcctl" ] &&
	"$TMP/inst/usr/sbin/bifurcctl" -V | grep -q '^bifurcctl '
}

plan 3 "Description: man page and install"
ok MAN_GROFF_CLEAN t_groff
ok MAN_COVERS_SYNTAX t_covers
ok INSTALL t_install
done_testing
