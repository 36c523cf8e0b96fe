#!/bin/bash
# End-to-end check of the lab: brings it up, then
#  1. an idle guest: live pre-copy migration A->B and back B->A (virsh --live --p2p);
#  2. a dirty guest (64 MiB dirtied at 100 MiB/s, whole random pages), bandwidth capped at
#     50 MiB/s, which plain pre-copy cannot converge: post-copy A->B and back B->A, switched to
#     post-copy (virsh migrate-postcopy) once the first pre-copy round is over.
# After every migration: the guest runs on the destination only, its console log shows new
# memwriter heartbeats written by the destination, and no "MEMWRITER CORRUPTION".
# Prints `virsh domjobinfo --completed` figures. Exits non-zero on any failure.
# SMOKE_EXTENDED=1 adds: plain pre-copy of the dirty guest (must not converge; aborted),
# auto-converge, and XBZRLE on a word-mode writer. KEEP=1 leaves the last guest running.
set -euo pipefail
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lab.env"
T0=$(date +%s.%N)
elapsed() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}'; }
fail() { echo "SMOKE FAIL: $*" >&2; exit 1; }
SUMMARY=()

"$LAB/up.sh"
require_lab_up

hb_count() { grep -c 'MEMWRITER hb' "$WORK/$1.console.log" || true; }

check_guest() {  # NAME DEST_URI SRC_URI: running on DEST only, fresh heartbeats, no corruption
  local name=$1 dst=$2 src=$3 st n0 i
  st=$(virsh -c "$dst" domstate "$name" 2>&1 || true)
  [ "$st" = running ] || fail "$name on $dst is '$st', expected running"
  if virsh -c "$src" dominfo "$name" >/dev/null 2>&1; then
    fail "$name still defined on source $src: $(virsh -c "$src" domstate "$name" 2>&1)"
  fi
  n0=$(hb_count "$name")
  for i in $(seq 1 40); do
    [ "$(hb_count "$name")" -ge $((n0 + 2)) ] && break
    sleep 0.5
  done
  [ "$(hb_count "$name")" -ge $((n0 + 2)) ] || fail "$name: no new heartbeats after migration"
  if grep -q 'MEMWRITER CORRUPTION\|MEMWRITER EXITED\|MEMWRITER FATAL\|Kernel panic' "$WORK/$name.console.log"; then
    grep -m5 'MEMWRITER CORRUPTION\|MEMWRITER EXITED\|MEMWRITER FATAL\|Kernel panic' "$WORK/$name.console.log" >&2
    fail "$name: corruption or crash in the console log"
  fi
  local last; last=$(grep 'MEMWRITER hb' "$WORK/$name.console.log" | tail -n1)
  [[ "$last" == *" errors=0"* ]] || fail "$name: last heartbeat reports errors: $last"
  echo "   guest OK on $dst: $last"
}

jobinfo() {  # NAME SRC_URI LABEL: print and record the completed job statistics, undefine on SRC
  local name=$1 src=$2 label=$3 info
  info=$(virsh -c "$src" domjobinfo "$name" --completed 2>&1) || fail "$name: domjobinfo --completed on $src: $info"
  [[ "$info" == *"Job type:"*Completed* ]] || fail "$name: no completed job statistics on $src: $info"
  virsh -q -c "$src" undefine "$name" >/dev/null || fail "$name: undefine on source $src"
  grep -E 'Time elapsed:|Total downtime:|Data processed:|Memory bandwidth:|Iteration:|Postcopy requests:|Compress' <<<"$info" | sed 's/^/   /' || true
  SUMMARY+=("$(printf '%-26s time=%sms downtime=%sms data=%sMiB iterations=%s postcopy_requests=%s' "$label" \
    "$(echo "$info" | awk -F: '/^Time elapsed:/ {split($2,a," "); print a[1]}')" \
    "$(echo "$info" | awk -F: '/^Total downtime:/ {split($2,a," "); print a[1]}')" \
    "$(echo "$info" | awk -F: '/^Data processed:/ {split($2,a," "); v=a[1]; if (a[2]=="GiB") v*=1024; if (a[2]=="KiB") v/=1024; print v}')" \
    "$(echo "$info" | awk -F: '/^Iteration:/ {gsub(/ /,"",$2); print $2}')" \
    "$(echo "$info" | awk -F: '/^Postcopy requests:/ {gsub(/ /,"",$2); print $2}')")")
}

cleanup_guest() {
  local name=$1
  for uri in "$URI_A" "$URI_B"; do
    virsh -q -c "$uri" destroy "$name" >/dev/null 2>&1 || true
    virsh -q -c "$uri" undefine "$name" >/dev/null 2>&1 || true
  done
}

# --persistent without --undefinesource: the source keeps the shut-off definition, and with it the
# completed job statistics (after a post-copy migration the destination keeps none); the smoke
# reads them from the source and then undefines the guest there.
MIGRATE_FLAGS=(--live --p2p --persistent --verbose)

# on failure, don't leave a busy guest running on the shared machine (unless KEEP=1)
on_exit() {
  local rc=$?
  if [ $rc != 0 ] && [ "${KEEP:-0}" != 1 ]; then
    echo "smoke.sh: failed (rc=$rc); destroying the smoke guests (console logs kept in $WORK)" >&2
    for g in smoke-selftest smoke-idle smoke-dirty smoke-xbzrle; do cleanup_guest "$g"; done
  fi
}
trap on_exit EXIT

# ---- 0. the corruption detector fires (memwriter flips one of its own bits) ------------------------
if [ "${SMOKE_SELFTEST:-1}" = 1 ]; then
  G=smoke-selftest
  log "0. detector self-test $G (memwriter.corrupt=1)"
  GUEST_CMDLINE_EXTRA="memwriter.corrupt=1" "$LAB/define-guest.sh" "$G" 16 0 word
  for i in $(seq 1 40); do grep -q 'MEMWRITER CORRUPTION' "$WORK/$G.console.log" && break; sleep 0.5; done
  grep -m1 'MEMWRITER CORRUPTION' "$WORK/$G.console.log" | sed 's/^/   detected: /' || fail "$G: self-inflicted corruption not reported"
  cleanup_guest "$G"
fi

# ---- 1. idle guest, plain pre-copy ------------------------------------------------------------
G=smoke-idle
log "1. idle guest $G"
"$LAB/define-guest.sh" "$G" 64 0 word
for dir in AB BA; do
  if [ $dir = AB ]; then src=$URI_A; dst=$URI_B; else src=$URI_B; dst=$URI_A; fi
  log "   migrate $G ${dir:0:1}->${dir:1:1}: virsh -c $src migrate ${MIGRATE_FLAGS[*]} $G $dst"
  t=$(date +%s.%N)
  virsh -c "$src" migrate "${MIGRATE_FLAGS[@]}" "$G" "$dst" || fail "migration of $G ${dir:0:1}->${dir:1:1}"
  echo; log "   migrated in $(elapsed "$t") s (wall, virsh)"
  jobinfo "$G" "$src" "idle pre-copy ${dir:0:1}->${dir:1:1}"
  check_guest "$G" "$dst" "$src"
done
cleanup_guest "$G"

# ---- 2. dirty guest, post-copy ------------------------------------------------------------------
G=smoke-dirty
log "2. dirty guest $G (64 MiB at 100 MiB/s, page mode), bandwidth 50 MiB/s, post-copy"
"$LAB/define-guest.sh" "$G" 64 100 page
for dir in AB BA; do
  if [ $dir = AB ]; then src=$URI_A; dst=$URI_B; else src=$URI_B; dst=$URI_A; fi
  log "   migrate $G ${dir:0:1}->${dir:1:1}: virsh -c $src migrate ${MIGRATE_FLAGS[*]} --postcopy --bandwidth 50 $G $dst"
  t=$(date +%s.%N)
  virsh -c "$src" migrate "${MIGRATE_FLAGS[@]}" --postcopy --bandwidth 50 "$G" "$dst" &
  mpid=$!
  # switch to post-copy once pre-copy has finished its first full round (iteration >= 2)
  switched=0
  for i in $(seq 1 300); do
    kill -0 $mpid 2>/dev/null || break
    it=$({ virsh -c "$src" domjobinfo "$G" 2>/dev/null || true; } | awk -F: '/^Iteration:/ {gsub(/ /,"",$2); print $2}')
    if [ -n "$it" ] && [ "$it" -ge 2 ]; then
      log "   pre-copy iteration $it after $(elapsed "$t") s: virsh migrate-postcopy $G"
      virsh -c "$src" migrate-postcopy "$G" && switched=1
      break
    fi
    sleep 0.2
  done
  if [ $switched = 0 ] && kill -0 $mpid 2>/dev/null; then
    virsh -c "$src" domjobabort "$G" || true; wait $mpid || true
    fail "$G: pre-copy never reached iteration 2 (or migrate-postcopy failed); migration aborted"
  fi
  wait $mpid || fail "post-copy migration of $G ${dir:0:1}->${dir:1:1}"
  echo; log "   migrated in $(elapsed "$t") s (wall, virsh)"
  [ $switched = 1 ] || fail "$G: never switched to post-copy"
  jobinfo "$G" "$src" "dirty post-copy ${dir:0:1}->${dir:1:1}"
  check_guest "$G" "$dst" "$src"
done

# ---- 3-5. optional: the seed-003 barrier and two ways through it (SMOKE_EXTENDED=1, ~2 min) -------
live_field() {  # URI NAME FIELD-LABEL: one field of the live job statistics, or nothing
  { virsh -c "$1" domjobinfo "$2" 2>/dev/null || true; } | awk -F: -v f="$3" '$1==f {v=$2; gsub(/^ +| +$/,"",v); gsub(/ +/," ",v); print v; exit}'
}
if [ "${SMOKE_EXTENDED:-0}" = 1 ]; then
  # 3. plain pre-copy of the 100 MiB/s writer at 50 MiB/s never converges: watch it, abort it
  src=$URI_A; dst=$URI_B
  log "3. $G plain pre-copy A->B at 50 MiB/s for 15 s, then domjobabort"
  virsh -c "$src" migrate --live --p2p --persistent --bandwidth 50 "$G" "$dst" 2>/tmp/lab-abort.$$ &
  mpid=$!
  t=$(date +%s.%N); it=""; rem=""
  while [ "$(awk -v a="$t" -v b="$(date +%s.%N)" 'BEGIN{print (b-a>=15)}')" = 0 ]; do
    kill -0 $mpid 2>/dev/null || break
    it=$(live_field "$src" "$G" "Iteration"); rem=$(live_field "$src" "$G" "Memory remaining")
    sleep 0.5
  done
  kill -0 $mpid 2>/dev/null || fail "$G: plain pre-copy ended on its own (expected it not to converge)"
  echo "   after 15 s: iteration $it, memory remaining $rem"
  [ -n "$it" ] && [ "$it" -ge 5 ] || fail "$G: only ${it:-0} pre-copy iterations in 15 s"
  virsh -c "$src" domjobabort "$G" || fail "$G: domjobabort"
  if wait $mpid; then fail "$G: migration succeeded despite domjobabort"; fi
  echo "   virsh migrate: $(tr -d '\r' </tmp/lab-abort.$$ | grep -v '^$' | tail -n1)"; rm -f /tmp/lab-abort.$$
  SUMMARY+=("$(printf '%-26s aborted after 15 s at iteration %s, %s remaining' "dirty plain pre-copy A->B" "$it" "$rem")")
  check_guest "$G" "$src" "$dst"

  # 4. auto-converge: QEMU throttles the vCPU until pre-copy converges
  log "4. $G auto-converge A->B at 50 MiB/s"
  t=$(date +%s.%N)
  virsh -c "$src" migrate --live --p2p --persistent --auto-converge --bandwidth 50 "$G" "$dst" &
  mpid=$!; thr=""
  while kill -0 $mpid 2>/dev/null; do
    v=$(live_field "$src" "$G" "Auto converge throttle"); [ -n "$v" ] && thr=${v% %}
    sleep 0.5
    [ "$(awk -v a="$t" -v b="$(date +%s.%N)" 'BEGIN{print (b-a>=120)}')" = 1 ] && { virsh -c "$src" domjobabort "$G"; fail "$G: auto-converge did not finish in 120 s"; }
  done
  wait $mpid || fail "auto-converge migration of $G"
  echo; log "   migrated in $(elapsed "$t") s (wall, virsh), last throttle seen ${thr:-?} %"
  jobinfo "$G" "$src" "dirty auto-converge A->B"
  check_guest "$G" "$dst" "$src"
  cleanup_guest "$G"

  # 5. XBZRLE on a word-mode writer (one word per page changes: tiny deltas)
  G=smoke-xbzrle
  log "5. $G (64 MiB at 100 MiB/s, word mode) XBZRLE A->B at 50 MiB/s"
  "$LAB/define-guest.sh" "$G" 64 100 word
  t=$(date +%s.%N)
  timeout 120 virsh -c "$src" migrate --live --p2p --persistent --compressed --comp-methods xbzrle --bandwidth 50 "$G" "$dst" \
    || fail "XBZRLE migration of $G"
  log "   migrated in $(elapsed "$t") s (wall, virsh)"
  jobinfo "$G" "$src" "word-mode XBZRLE A->B"
  check_guest "$G" "$dst" "$src"
fi
[ "${KEEP:-0}" = 1 ] || cleanup_guest "$G"

echo
echo "SMOKE SUMMARY"
for s in "${SUMMARY[@]}"; do echo "  $s"; done
log "SMOKE PASS in $(elapsed "$T0") s"
