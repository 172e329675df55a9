#!/bin/bash
# What `make demo` shows inside the guest: the emulated 82599 ports on PCI,
# our ixgbe.ko binding to them, and the links it brings up.
show()
{
	echo
	echo "\$ $*"
	"$@" 2>&1
}

echo "guest kernel $(uname -r)"
show lspci -nn -d 8086:
for dep in $(modinfo -F depends "$BIFURC_IXGBE_KO" | tr , ' '); do
	modprobe "$dep"
done
show insmod "$BIFURC_IXGBE_KO"
sleep 3
show sh -c "dmesg | grep -i ixgbe"
show ip -br link
for dev in /sys/bus/pci/drivers/ixgbe/*/net/*; do
	[ -e "$dev" ] || continue
	ifname=$(basename "$dev")
	ip link set "$ifname" up
done
sleep 3
for dev in /sys/bus/pci/drivers/ixgbe/*/net/*; do
	[ -e "$dev" ] || continue
	show ethtool "$(basename "$dev")"
done
