#!/bin/bash
# in-host.sh X COMMAND [ARGS...]
# Runs COMMAND as a process of lab host X: in its network namespace (its addresses, conntrack, NICs)
# with its own view of the cpu and cpuacct cgroups. `ip netns exec` remounts /sys, hiding the cgroup
# mounts; a private mount namespace gets the machine's cpu and cpuacct hierarchies back, so
# `[profiler] cpu_cgroup = /sys/fs/cgroup/cpuacct/labX` and `[libvirt] cgroup_root =
# /sys/fs/cgroup/cpu/labX` resolve as on a compute node. COMMAND is exec'd (no wrapper process
# stays between the caller and it: a SIGTERM or SIGKILL of the returned process reaches it).
# It also resolves names as the host's libvirtd does (the host's private /etc/hosts and
# /etc/resolv.conf from up.sh): a compute node's agent reaches its peers by name
# (qemu+tcp://labB/system), e.g. to ask where a migration it did not see end put the VM.
set -euo pipefail
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lab.env"
H=${1:?usage: in-host.sh A|B COMMAND [ARGS...]}; shift
[ "$#" -gt 0 ] || { echo "usage: in-host.sh A|B COMMAND [ARGS...]" >&2; exit 2; }
require_lab_up
export LAB_HOST_DIR; LAB_HOST_DIR=$(hostdir "$H")
exec ip netns exec "$(ns_of "$H")" unshare --mount --propagation private /bin/sh -ec '
  mount -t tmpfs -o mode=755 lab-cgroup /sys/fs/cgroup
  for c in cpu cpuacct; do mkdir -p /sys/fs/cgroup/$c; mount -t cgroup -o $c cgroup /sys/fs/cgroup/$c; done
  for f in hosts resolv.conf; do [ -f "$LAB_HOST_DIR/$f" ] && mount --bind "$LAB_HOST_DIR/$f" /etc/$f; done
  unset LAB_HOST_DIR
  exec "$@"' in-host "$@"
