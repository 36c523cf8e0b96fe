#!/bin/bash
# Builds the lab guest into tests/lab/work/:
#   vmlinuz          - the Debian kernel (from the package linux-image-amd64 depends on)
#   e1000.ko         - the same package's e1000 NIC driver (guests defined with GUEST_IP get an e1000 NIC)
#   initramfs.cpio.gz - busybox-static + /init + memwriter and trafficgen (static C, built here from source)
set -euo pipefail
LAB="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
WORK="$LAB/work"
mkdir -p "$WORK"
cd "$WORK"

# kernel: apt-get download the image package linux-image-amd64 depends on, extract boot/vmlinuz-*
KPKG=$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/ && !f {print $2; f=1}')
[ -n "$KPKG" ] || { echo "build-guest.sh: cannot resolve linux-image-amd64's kernel package" >&2; exit 1; }
if [ ! -s vmlinuz ] || [ ! -s e1000.ko ] || [ "$(cat vmlinuz.pkg 2>/dev/null)" != "$KPKG" ]; then
  kdl=$(mktemp -d /tmp/lab-kernel.XXXXXX)   # world-traversable so apt's _apt user can write
  chmod 755 "$kdl"; chown _apt "$kdl" 2>/dev/null || true
  (cd "$kdl" && apt-get download -q "$KPKG")
  deb=$(ls "$kdl"/*.deb | head -n1)
  rm -rf kx && mkdir kx
  dpkg-deb --fsys-tarfile "$deb" | tar -x -C kx --wildcards './boot/vmlinuz-*' './lib/modules/*/kernel/drivers/net/ethernet/intel/e1000/e1000.ko'
  cp kx/boot/vmlinuz-* vmlinuz.tmp && mv vmlinuz.tmp vmlinuz
  cp kx/lib/modules/*/kernel/drivers/net/ethernet/intel/e1000/e1000.ko e1000.ko
  echo "$KPKG" > vmlinuz.pkg
  rm -rf "$kdl" kx
  echo "build-guest.sh: kernel $KPKG -> $WORK/vmlinuz"
fi

# initramfs
BUSYBOX=/bin/busybox
[ -x "$BUSYBOX" ] || { echo "busybox-static missing" >&2; exit 1; }
file_static() { ! ldd "$1" >/dev/null 2>&1; }
file_static "$BUSYBOX" || { echo "build-guest.sh: $BUSYBOX is not static (install busybox-static)" >&2; exit 1; }
rm -rf rootfs && mkdir -p rootfs/{bin,sbin,proc,sys,dev,tmp,etc,lib/modules}
gcc -O2 -Wall -Wextra -static -o rootfs/bin/memwriter "$LAB/guest/memwriter.c"
gcc -O2 -Wall -Wextra -static -o rootfs/bin/trafficgen "$LAB/guest/trafficgen.c"
cp e1000.ko rootfs/lib/modules/e1000.ko
cp "$BUSYBOX" rootfs/bin/busybox
for a in sh mount echo cat sleep hostname uname awk ls dmesg poweroff ip insmod sed arping; do ln -s busybox "rootfs/bin/$a"; done
cp "$LAB/guest/init" rootfs/init && chmod 755 rootfs/init
mknod -m 600 rootfs/dev/console c 5 1 2>/dev/null || true
mknod -m 666 rootfs/dev/null c 1 3 2>/dev/null || true
(cd rootfs && find . -print0 | cpio --null -o -H newc --quiet) | gzip -9 > initramfs.cpio.gz.tmp
mv initramfs.cpio.gz.tmp initramfs.cpio.gz
rm -rf rootfs
echo "build-guest.sh: $WORK/initramfs.cpio.gz ($(stat -c %s initramfs.cpio.gz) bytes)"
