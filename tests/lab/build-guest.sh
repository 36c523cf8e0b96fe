#!/bin/bash
# Builds the lab guest into tests/lab/work/:
#   vmlinuz          - the Debian kernel (from the package linux-image-amd64 depends on)
#   modules/          - the same package's kernel modules of GUEST_MODULES (below)
#   initramfs.cpio.gz - busybox-static + /init + memwriter and trafficgen (static C, built here from
#                       source) + the modules
set -euo pipefail
LAB="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
WORK="$LAB/work"
mkdir -p "$WORK"
cd "$WORK"

# Kernel modules the guest loads at boot (the Debian kernel builds virtio and e1000 as modules), with
# their dependencies; virtio_pci carries every virtio device, virtio_balloon serves the balloon of
# define-guest.sh's GUEST_BALLOON=1, e1000 drives the NIC of its GUEST_IP. Add to the list (e.g.
# virtio_net) for more devices.
GUEST_MODULES=${GUEST_MODULES:-"virtio_pci virtio_balloon e1000"}

# kernel: apt-get download the image package linux-image-amd64 depends on, extract boot/vmlinuz-*
# and the modules above (work/modules/, in load order in work/modules/order)
KPKG=$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/ && !f {print $2; f=1}')
[ -n "$KPKG" ] || { echo "build-guest.sh: cannot resolve linux-image-amd64's kernel package" >&2; exit 1; }
if [ ! -s vmlinuz ] || [ "$(cat vmlinuz.pkg 2>/dev/null)" != "$KPKG $GUEST_MODULES" ]; then
  kdl=$(mktemp -d /tmp/lab-kernel.XXXXXX)   # world-traversable so apt's _apt user can write
  chmod 755 "$kdl"; chown _apt "$kdl" 2>/dev/null || true
  (cd "$kdl" && apt-get download -q "$KPKG")
  deb=$(ls "$kdl"/*.deb | head -n1)
  rm -rf kx modules && mkdir kx modules
  dpkg-deb --fsys-tarfile "$deb" | tar -x -C kx --wildcards './boot/vmlinuz-*' './lib/modules/*.ko'
  cp kx/boot/vmlinuz-* vmlinuz.tmp && mv vmlinuz.tmp vmlinuz
  # dependencies first; a module's dependencies are in its .modinfo section ("depends=a,b")
  add_module() {
    local name=$1 f dep
    grep -qx "$name" modules/order 2>/dev/null && return 0
    f=$(find kx/lib/modules -name "$name.ko" -o -name "${name//_/-}.ko" | head -n1)
    [ -n "$f" ] || { echo "build-guest.sh: no module $name in $KPKG" >&2; exit 1; }
    for dep in $(tr '\0' '\n' < "$f" | sed -n 's/^depends=//p' | tr ',' ' '); do add_module "$dep"; done
    cp "$f" "modules/$name.ko"
    echo "$name" >> modules/order
  }
  : > modules/order
  for m in $GUEST_MODULES; do add_module "$m"; done
  echo "$KPKG $GUEST_MODULES" > vmlinuz.pkg
  rm -rf "$kdl" kx
  echo "build-guest.sh: kernel $KPKG -> $WORK/vmlinuz, modules: $(tr '\n' ' ' < modules/order)"
fi

# initramfs
BUSYBOX=/bin/busybox
[ -x "$BUSYBOX" ] || { echo "busybox-static missing" >&2; exit 1; }
file_static() { ! ldd "$1" >/dev/null 2>&1; }
file_static "$BUSYBOX" || { echo "build-guest.sh: $BUSYBOX is not static (install busybox-static)" >&2; exit 1; }
rm -rf rootfs && mkdir -p rootfs/{bin,sbin,proc,sys,dev,tmp,etc,lib/modules}
cp modules/*.ko rootfs/lib/modules/ && cp modules/order rootfs/etc/modules
gcc -O2 -Wall -Wextra -static -o rootfs/bin/memwriter "$LAB/guest/memwriter.c"
gcc -O2 -Wall -Wextra -static -o rootfs/bin/trafficgen "$LAB/guest/trafficgen.c"
cp "$BUSYBOX" rootfs/bin/busybox
for a in sh mount echo cat sleep hostname uname awk ls dmesg poweroff ip insmod sed arping; do ln -s busybox "rootfs/bin/$a"; done
cp "$LAB/guest/init" rootfs/init && chmod 755 rootfs/init
mknod -m 600 rootfs/dev/console c 5 1 2>/dev/null || true
mknod -m 666 rootfs/dev/null c 1 3 2>/dev/null || true
(cd rootfs && find . -print0 | cpio --null -o -H newc --quiet) | gzip -9 > initramfs.cpio.gz.tmp
mv initramfs.cpio.gz.tmp initramfs.cpio.gz
rm -rf rootfs
echo "build-guest.sh: $WORK/initramfs.cpio.gz ($(stat -c %s initramfs.cpio.gz) bytes)"
