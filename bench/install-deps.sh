#!/bin/bash
# The packages only "make bench" needs, on top of testbed/install-deps.sh:
# gnuplot (without X) draws build/bench/guest.png; dpdk-dev has testpmd,
# the sat mode's DPDK baseline (dpdk: devbind).  Idempotent.
set -euo pipefail

packages=(gnuplot-nox dpdk dpdk-dev)
missing=()
for p in "${packages[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
done
[ "${#missing[@]}" -eq 0 ] && exit 0
echo "bench: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
