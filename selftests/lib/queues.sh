# Per-queue receive counters (sourced after model.sh).

# rx_queue_packets NS IF: "n0 n1 ..." from ethtool -S rx_queue_<i>_packets,
# for the queues in use.
rx_queue_packets()
{
	local n i out=""

	n=$(ip netns exec "$1" ethtool -l "$2" | awk '/^Current/ { c = 1 } c && /^Combined:/ { print $2; exit }')
	for ((i = 0; i < n; i++)); do
		out+="$(ethtool_stat "$1" "$2" rx_queue_${i}_packets) "
	done
	echo "${out% }"
}

# queue_deltas "BEFORE" "AFTER": element-wise difference.
queue_deltas()
{
	local -a b=($1) a=($2)
	local i out=""

	for i in "${!a[@]}"; do
		out+="$((a[i] - b[i])) "
	done
	echo "${out% }"
}
