#!/bin/bash
# Tears the lab down: kills every process in the lab namespaces (libvirtd, QEMU guests), removes
# the namespaces, veths and bridge, the cgroup subtrees, and the daemons' runtime state.
# The private mounts live only in the daemons' mount namespaces and vanish with them.
# Keeps tests/lab/work/{vmlinuz,initramfs.cpio.gz,*.console.log}, the daemons' logs and QEMU capability caches.
set -uo pipefail
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lab.env"
[ "$(id -u)" = 0 ] || { echo "down.sh: must run as root" >&2; exit 1; }

lab_pids() {  # pids of every process in the lab's network namespaces
  for h in "${HOSTS[@]}"; do
    ns=$(ns_of "$h")
    [ -e "/run/netns/$ns" ] && ip netns pids "$ns" 2>/dev/null
  done
  # a daemon whose namespace file is already gone: find it by its pid file
  for h in "${HOSTS[@]}"; do
    pf="$(hostdir "$h")/run/libvirtd.pid"
    if [ -s "$pf" ]; then
      p=$(cat "$pf")
      [ "$(cat /proc/$p/comm 2>/dev/null)" = libvirtd ] && [ "$(awk '{print $3}' /proc/$p/stat 2>/dev/null)" != Z ] && echo "$p"
    fi
  done
  true
}

pids=$(lab_pids | sort -u)
if [ -n "$pids" ]; then
  log "stopping lab processes: $(echo $pids)"
  kill -TERM $pids 2>/dev/null
  for i in $(seq 1 50); do
    alive=""   # zombies count as gone (PID 1 here may reap them late)
    for p in $pids; do
      st=$(awk '{print $3}' /proc/$p/stat 2>/dev/null) && [ "$st" != Z ] && alive="$alive $p"
    done
    [ -z "$alive" ] && break
    sleep 0.1
  done
  [ -n "$alive" ] && { log "killing$alive"; kill -KILL $alive 2>/dev/null; sleep 0.5; }
fi

for h in "${HOSTS[@]}"; do
  ns=$(ns_of "$h")
  ip link del "$ns-h" 2>/dev/null
  ip link del "$ns-gh" 2>/dev/null
  [ -e "/run/netns/$ns" ] && ip netns del "$ns"
  # cgroup subtrees (deepest first)
  for c in cpu cpuacct; do
    [ -d "/sys/fs/cgroup/$c/$ns" ] && find "/sys/fs/cgroup/$c/$ns" -depth -type d -exec rmdir {} \; 2>/dev/null
  done
  d=$(hostdir "$h")
  rm -rf "$d/run" "$d/lib" "$d/etc"   # keep cache/ (QEMU capabilities: saves ~8 s per up)
done
ip link show "$BRIDGE" >/dev/null 2>&1 && ip link del "$BRIDGE"
# `ip netns add` bind-mounts /run/netns over itself; drop that mount once no namespace is left
while [ -d /run/netns ] && [ -z "$(ls -A /run/netns)" ] && mountpoint -q /run/netns; do
  umount /run/netns || break
done

# report anything left over
left=""
for h in "${HOSTS[@]}"; do
  ns=$(ns_of "$h")
  [ -e "/run/netns/$ns" ] && left="$left netns:$ns"
  ip link show "$ns-h" >/dev/null 2>&1 && left="$left link:$ns-h"
  ip link show "$ns-gh" >/dev/null 2>&1 && left="$left link:$ns-gh"
  for c in cpu cpuacct; do [ -d "/sys/fs/cgroup/$c/$ns" ] && left="$left cgroup:$c/$ns"; done
done
ip link show "$BRIDGE" >/dev/null 2>&1 && left="$left link:$BRIDGE"
grep -qE " /run/netns/lab|$WORK" /proc/mounts && left="$left mounts"
[ -n "$(lab_pids)" ] && left="$left processes"
if [ -n "$left" ]; then echo "down.sh: left over:$left" >&2; exit 1; fi
log "lab is down"
