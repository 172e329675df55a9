#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Description: the unmodified ixgbe driver probes every emulated 82599 port
# without an error or warning, reads the MAC QEMU was given from the EEPROM,
# brings each link up at 10 Gb/s, and unloads and reloads cleanly.
cd "$(dirname "$0")" && . ../lib/ktap.sh && . ../lib/model.sh

ktap_print_header
ktap_set_plan 6

dmesg -C
ktap_check "ixgbe loads" load_ixgbe
mapfile -t ports < <(ixgbe_ports)
ktap_print_msg "ports: ${ports[*]} on $(ixgbe_functions | tr '\n' ' ')"
ktap_check "every 82599 function has a netdev" \
	test "${#ports[@]}" -gt 0 -a "${#ports[@]}" -eq "$(ixgbe_functions | wc -l)"
[ "${#ports[@]}" -gt 0 ] || ktap_exit_fail_msg "no ixgbe netdev to test"

complaints=$(kernel_complaints)
[ -n "$complaints" ] && printf '%s\n' "$complaints" | sed 's/^/# /'
ktap_check "probe logs no error or warning" test -z "$complaints"

macs_ok()
{
	local i=0 p

	for p in "${ports[@]}"; do
		[ "$(cat /sys/class/net/$p/address)" = "52:54:00:b1:f0:$(printf %02x $i)" ] || return 1
		i=$((i + 1))
	done
}
ktap_check "EEPROM MAC addresses are QEMU's" macs_ok

links_10g()
{
	local p

	for p in "${ports[@]}"; do
		ip link set "$p" up || return 1
	done
	for p in "${ports[@]}"; do
		wait_for 100 grep -qx 1 /sys/class/net/$p/carrier || return 1
		ethtool "$p" | grep -q 'Speed: 10000Mb/s' || return 1
		ethtool "$p" | grep -q 'Link detected: yes' || return 1
	done
}
ktap_check "every link comes up at 10000Mb/s" links_10g
for p in "${ports[@]}"; do ethtool "$p" | grep -E 'Speed|Duplex|Link detected' | sed 's/^/# /'; done

reload()
{
	unload_ixgbe && load_ixgbe && [ "$(ixgbe_ports | wc -l)" -eq "${#ports[@]}" ]
}
ktap_check "rmmod ixgbe and load again" reload

ktap_finished
