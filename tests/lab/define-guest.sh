#!/bin/bash
# define-guest.sh NAME [MIB] [RATE] [MODE]
# Defines and starts a 256 MiB, 1-vCPU TCG guest on host A, booted from the lab kernel +
# initramfs, running memwriter with a MIB working set (default 64) dirtied at RATE MiB/s
# (default 0 = idle; -1 = unthrottled) in MODE word|page (default word). The serial console is
# appended to tests/lab/work/NAME.console.log (append mode on every host, so one log follows the
# guest across migrations). Waits for "GUEST READY" and memwriter's first heartbeat.
# An existing guest NAME on either host is destroyed and undefined first.
# GUEST_CMDLINE_EXTRA adds kernel parameters (e.g. memwriter.corrupt=3 for the detector self-test).
# GUEST_BALLOON=1 gives the guest a virtio balloon (stats every second) and GUEST_CURRENT_MIB
# (default 256) of its 256 MiB maximum to start with.
# GUEST_IP (e.g. 10.77.0.101/24) gives the guest an e1000 NIC on the host's guest bridge gbr0 (up.sh)
# with that address (MAC 52:54:00:4d:XX:YY from its last two octets); GUEST_PEER and GUEST_KBPS make
# its trafficgen send UDP to GUEST_PEER:5001 at GUEST_KBPS kbit/s.
set -euo pipefail
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lab.env"
NAME=${1:?usage: define-guest.sh NAME [MIB] [RATE] [MODE]}
MIB=${2:-64}; RATE=${3:-0}; MODE=${4:-word}
require_lab_up
TIMEOUT=${GUEST_BOOT_TIMEOUT:-90}
CONSOLE="$WORK/$NAME.console.log"

for uri in "$URI_A" "$URI_B"; do
  if virsh -c "$uri" dominfo "$NAME" >/dev/null 2>&1; then
    virsh -q -c "$uri" destroy "$NAME" >/dev/null 2>&1 || true
    virsh -q -c "$uri" undefine "$NAME" >/dev/null 2>&1 || true
  fi
done
NIC_XML=""
NET_CMDLINE=""
if [ -n "${GUEST_IP:-}" ]; then
  addr=${GUEST_IP%/*}; o3=$(echo "$addr" | cut -d. -f3); o4=$(echo "$addr" | cut -d. -f4)
  MAC=$(printf '52:54:00:4d:%02x:%02x' "$o3" "$o4")
  NIC_XML="<interface type='bridge'><mac address='$MAC'/><source bridge='gbr0'/><model type='e1000'/></interface>"
  NET_CMDLINE=" guestnet.ip=$GUEST_IP${GUEST_PEER:+ trafficgen.peer=$GUEST_PEER}${GUEST_KBPS:+ trafficgen.kbps=$GUEST_KBPS}"
fi
XML="$WORK/$NAME.xml"
cat > "$XML" <<XMLEOF
<domain type='qemu'>
  <name>$NAME</name>
  <memory unit='MiB'>256</memory>
  <currentMemory unit='MiB'>${GUEST_CURRENT_MIB:-256}</currentMemory>
  <vcpu placement='static'>1</vcpu>
  <os>
    <type arch='x86_64' machine='pc'>hvm</type>
    <kernel>$WORK/vmlinuz</kernel>
    <initrd>$WORK/initramfs.cpio.gz</initrd>
    <cmdline>console=ttyS0 panic=-1 mitigations=off nokaslr no_timer_check memwriter.mib=$MIB memwriter.rate=$RATE memwriter.mode=$MODE$NET_CMDLINE${GUEST_CMDLINE_EXTRA:+ $GUEST_CMDLINE_EXTRA}</cmdline>
  </os>
  <features><acpi/><apic/></features>
  <clock offset='utc'/>
  <on_poweroff>destroy</on_poweroff>
  <on_reboot>restart</on_reboot>
  <on_crash>destroy</on_crash>
  <devices>
    <emulator>/usr/bin/qemu-system-x86_64</emulator>
    <controller type='usb' model='none'/>
    <serial type='file'>
      <source path='$CONSOLE' append='on'/>
      <target port='0'/>
    </serial>
    <console type='file'>
      <source path='$CONSOLE' append='on'/>
      <target type='serial' port='0'/>
    </console>
$(if [ "${GUEST_BALLOON:-0}" = 1 ]; then echo "    <memballoon model='virtio'><stats period='1'/></memballoon>"; else echo "    <memballoon model='none'/>"; fi)
    $NIC_XML
  </devices>
</domain>
XMLEOF

# Under TCG on a loaded machine the kernel occasionally hangs early in boot, before the serial
# console prints anything (seen once in ~70 boots, CPU busy in kernel code). A boot that prints
# nothing within FIRST_OUTPUT_TIMEOUT seconds is destroyed and retried. (The kernel boots without
# `quiet`; its first lines appear 2-14 s after start, depending on the machine's load.)
FIRST_OUTPUT_TIMEOUT=${GUEST_FIRST_OUTPUT_TIMEOUT:-60}
t0=$(date +%s.%N)
virsh -q -c "$URI_A" define "$XML" >/dev/null
for attempt in 1 2 3; do
  : > "$CONSOLE"
  virsh -q -c "$URI_A" start "$NAME" >/dev/null
  log "guest $NAME started on A (mib=$MIB rate=$RATE mode=$MODE), console $CONSOLE$([ $attempt -gt 1 ] && echo " (attempt $attempt)")"
  started=$(date +%s); ready=0
  deadline=$(( started + TIMEOUT ))
  while :; do
    if grep -q 'GUEST READY' "$CONSOLE" 2>/dev/null && grep -q 'MEMWRITER hb' "$CONSOLE" 2>/dev/null; then ready=1; break; fi
    now=$(date +%s)
    if [ ! -s "$CONSOLE" ] && [ $((now - started)) -ge "$FIRST_OUTPUT_TIMEOUT" ]; then
      log "guest $NAME printed nothing in ${FIRST_OUTPUT_TIMEOUT}s (early boot hang): destroying and retrying"
      virsh -q -c "$URI_A" destroy "$NAME" >/dev/null 2>&1 || true
      break
    fi
    if [ "$now" -ge "$deadline" ]; then
      echo "define-guest.sh: $NAME not ready after ${TIMEOUT}s; console tail:" >&2
      tail -n 20 "$CONSOLE" >&2
      exit 1
    fi
    st=$(virsh -c "$URI_A" domstate "$NAME" --reason 2>&1 || true)
    if [[ "$st" != running* ]]; then
      echo "define-guest.sh: $NAME is not running: $st" >&2
      tail -n 20 "$CONSOLE" >&2
      exit 1
    fi
    sleep 0.5
  done
  [ $ready = 1 ] && break
done
[ $ready = 1 ] || { echo "define-guest.sh: $NAME did not boot in 3 attempts" >&2; exit 1; }
log "guest $NAME ready in $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}') s"
