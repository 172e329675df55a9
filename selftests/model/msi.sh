#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Description: the driver's MSI fallback.  Run in a guest whose model
# hides MSI-X (x-msix=off, selftests/model.list [msi]): ixgbe must probe
# every port on one MSI vector, in the model's legacy interrupt mode
# (GPIE.MSIX_MODE clear), and bring its link up; traffic.sh then passes
# traffic over it.
cd "$(dirname "$0")" && . ../lib/ktap.sh && . ../lib/model.sh

ktap_print_header
ktap_set_plan 3

ktap_check "ixgbe loads" load_ixgbe
mapfile -t fns < <(ixgbe_functions)
mapfile -t ports < <(ixgbe_ports)

# one_msi: each function has exactly one message interrupt, an MSI
one_msi()
{
	local fn irqs

	for fn in "${fns[@]}"; do
		irqs=(/sys/bus/pci/devices/"$fn"/msi_irqs/*)
		echo "$fn: ${#irqs[@]} vector(s): $(cat "${irqs[@]}" 2>/dev/null | tr '\n' ' ')"
		[ "${#irqs[@]}" -eq 1 ] && [ "$(cat "${irqs[0]}")" = msi ] || return 1
	done
	[ "${#fns[@]}" -gt 0 ]
}
ktap_check "every port runs on one MSI vector" one_msi

# irq_count IRQ: interrupts IRQ took, summed over the CPUs
irq_count()
{
	awk -v irq="$1:" '$1 == irq { for (i = 2; i <= NF && $i ~ /^[0-9]+$/; i++) n += $i }
		END { print n + 0 }' /proc/interrupts
}

# link_up: each port's link comes up, and its MSI vector took interrupts
# meanwhile (the link change, EICR.LSC)
link_up()
{
	local i irq before

	for i in "${!ports[@]}"; do
		irq=$(basename /sys/bus/pci/devices/"${fns[i]}"/msi_irqs/*)
		before=$(irq_count "$irq")
		ip link set "${ports[i]}" up || return 1
		wait_for 100 eval '[[ $(ip -o link show dev "${ports[i]}") == *LOWER_UP* ]]' ||
			{ echo "${ports[i]}: no carrier"; return 1; }
		echo "${ports[i]}: irq $irq took $(($(irq_count "$irq") - before)) interrupts"
		[ "$(irq_count "$irq")" -gt "$before" ] || return 1
		ip link set "${ports[i]}" down
	done
}
ktap_check "links come up, with interrupts on the MSI vector" link_up

ktap_finished
