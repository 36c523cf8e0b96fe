#!/bin/bash
# Idempotent setup of the Placewise two-host libvirt/QEMU lab on a Debian 12 machine.
# Installs QEMU 10 + libvirt 11.3 from bookworm-backports (named per package, so nothing
# else gets upgraded), busybox-static and a C compiler, creates the libvirt-qemu user/group,
# then builds the guest (kernel + initramfs) into tests/lab/work/.
set -euo pipefail
LAB="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
[ "$(id -u)" = 0 ] || { echo "setup.sh: must run as root" >&2; exit 1; }
export DEBIAN_FRONTEND=noninteractive
APT=(apt-get -o DPkg::Lock::Timeout=600 -y -q)

# 1. bookworm-backports apt source, from this machine's own Debian mirror URI.
BP_LIST=/etc/apt/sources.list.d/placewise-lab-backports.list
MIRROR=""
if [ -f /etc/apt/sources.list.d/debian.sources ]; then
  # first URIs: line of the stanza whose Suites: contains "bookworm " (not -security)
  MIRROR=$(awk '
    /^[[:space:]]*$/ { if (uri != "" && suites ~ /(^| )bookworm( |$)/) { print uri; exit } uri=""; suites=""; next }
    /^URIs:/ { uri=$2 }
    /^Suites:/ { suites=$0; sub(/^Suites:[[:space:]]*/, "", suites) }
    END { if (uri != "" && suites ~ /(^| )bookworm( |$)/) print uri }' /etc/apt/sources.list.d/debian.sources | head -n1)
fi
if [ -z "$MIRROR" ] && [ -f /etc/apt/sources.list ]; then
  MIRROR=$(awk '$1=="deb" && $3=="bookworm" {print $2; exit}' /etc/apt/sources.list)
fi
[ -n "$MIRROR" ] || { echo "setup.sh: cannot find the Debian mirror URI" >&2; exit 1; }
WANT="deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $MIRROR bookworm-backports main"
NEED_UPDATE=0
if [ ! -f "$BP_LIST" ] || [ "$(cat "$BP_LIST")" != "$WANT" ]; then
  echo "$WANT" > "$BP_LIST"; NEED_UPDATE=1
fi
POLICY=$(apt-cache policy 2>/dev/null || true)   # captured: `| grep -q` + pipefail = SIGPIPE
if [ "$NEED_UPDATE" = 1 ] || [[ "$POLICY" != *bookworm-backports* ]]; then
  "${APT[@]}" update
fi

# 2. packages
BP_PKGS=(qemu-system-x86 qemu-system-common qemu-system-data seabios libvirt0 libvirt-common
         libvirt-daemon libvirt-daemon-common libvirt-daemon-log libvirt-daemon-driver-qemu
         libvirt-clients)
STOCK_PKGS=(busybox-static gcc libc6-dev iproute2 cpio gzip util-linux procps nftables)
need=()
for p in "${BP_PKGS[@]}"; do
  inst=$(dpkg-query -W -f='${Status} ${Version}' "$p" 2>/dev/null || true)
  case "$inst" in *"install ok installed"*bpo*) ;; *) need+=("$p/bookworm-backports");; esac
done
for p in "${STOCK_PKGS[@]}"; do
  inst=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$inst" == *"install ok installed"* ]] || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
  echo "setup.sh: installing ${need[*]}"
  "${APT[@]}" install --no-install-recommends "${need[@]}"
fi
# The Debian packages may start a system-wide libvirtd via systemd; the lab runs its own
# per-namespace daemons, so make sure no root-namespace daemon holds the stock sockets.
if command -v systemctl >/dev/null && [ -d /run/systemd/system ]; then
  systemctl disable --now libvirtd.service libvirtd.socket libvirtd-ro.socket libvirtd-admin.socket \
    virtlogd.service virtlogd.socket >/dev/null 2>&1 || true
fi

# 3. libvirt-qemu user and group (libvirt wants them even when QEMU runs as root)
getent group libvirt-qemu >/dev/null || groupadd --system libvirt-qemu
getent passwd libvirt-qemu >/dev/null || useradd --system -g libvirt-qemu -d /var/lib/libvirt -s /usr/sbin/nologin libvirt-qemu

# 4. guest
"$LAB/build-guest.sh"
echo "setup.sh: done ($(qemu-system-x86_64 --version | head -n1); $(libvirtd --version))"
