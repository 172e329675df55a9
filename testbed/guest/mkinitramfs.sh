#!/bin/bash
# mkinitramfs.sh KVER OUT: a tiny initramfs for Debian's own 6.12 kernel,
# whose 9p support is modular: busybox loads netfs/9pnet/9pnet_virtio/9p,
# mounts the host's root (read-only) and switch_roots to our guest init.
set -euo pipefail
kver=$1 out=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

mkdir -p "$tmp"/{bin,dev,proc,sys,newroot,modules}
cp /bin/busybox "$tmp/bin/busybox"
for m in netfs 9pnet 9pnet_virtio 9p; do
	ko=$(find "/lib/modules/$kver/kernel" -name "$m.ko*" | head -n1)
	[ -n "$ko" ] || { echo "mkinitramfs: $m.ko not found for $kver" >&2; exit 1; }
	case "$ko" in
	*.xz) xz -dc "$ko" > "$tmp/modules/$m.ko" ;;
	*.zst) zstd -qdc "$ko" > "$tmp/modules/$m.ko" ;;
	*) cp "$ko" "$tmp/modules/$m.ko" ;;
	esac
done
cat > "$tmp/init" <<'INIT'
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t devtmpfs dev /dev
for m in netfs 9pnet 9pnet_virtio 9p; do insmod /modules/$m.ko || exit 1; done
mount -t 9p -o trans=virtio,version=9p2000.L,cache=loose,ro hostroot /newroot
init=$(sed -n 's/.*bifurc\.init=\([^ ]*\).*/\1/p' /proc/cmdline)
umount /proc
exec switch_root /newroot "$init"
INIT
chmod +x "$tmp/init"
(cd "$tmp" && find . | cpio -o -H newc --quiet | gzip -1) > "$out.tmp"
mv "$out.tmp" "$out"
