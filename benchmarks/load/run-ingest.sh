#!/usr/bin/env bash
# Ingestion load run against the real bridge over loopback (issue 10 item 7).
#   benchmarks/load/run-ingest.sh HOSTS [SECONDS] [PUSHERS] [SELECT_RATE]
# Needs the build (mvn -DskipTests package). Starts bin/placewise-bridge on a temporary H2 file,
# then io.placewise.benchmarks.IngestLoad: PUT /v1/cluster of a SyntheticCluster of HOSTS hosts x 20
# VMs (timed), 20 s warm-up, then PUSHERS agents pushing samples (each with its host's 20 VMs and
# their traffic) as fast as answered, while /v1/select runs at SELECT_RATE requests/s. Then it stops
# the bridge and times its start-up on the loaded database. Prints RESULT lines and the load average.
set -euo pipefail
hosts=${1:?hosts}; seconds=${2:-30}; pushers=${3:-8}; rate=${4:-20}
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d); pid=
trap '[ -n "$pid" ] && kill $pid 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat > "$work/placewise.conf" <<CONF
[DEFAULT]
bind_host = 127.0.0.1
bind_port = $port
database_url = jdbc:h2:file:$work/db
[auth]
admin_tokens = load-admin
service_tokens = load-service
CONF
export JAVA_OPTS="${JAVA_OPTS:--Xms2g -Xmx4g}"
start_bridge() {
  JAVA_OPTS="$JAVA_OPTS ${1:-}" "$root/bin/placewise-bridge" --config-file "$work/placewise.conf" >> "$work/bridge.log" 2>&1 &
  pid=$!
  for _ in $(seq 1200); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && return 0; sleep 0.05; done
  echo "bridge did not start" >&2; tail -20 "$work/bridge.log" >&2; exit 1
}
echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) CPUs; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
# BRIDGE_JFR=FILE records a JFR profile of the bridge under load (the first run only).
start_bridge "${BRIDGE_JFR:+-XX:StartFlightRecording=filename=$BRIDGE_JFR,settings=profile,dumponexit=true}"
java -cp "$root/benchmarks/target/benchmarks.jar" io.placewise.benchmarks.IngestLoad --url="http://127.0.0.1:$port" \
  --hosts="$hosts" --pushers="$pushers" --seconds="$seconds" --select-rate="$rate" --bridge-pid="$(pgrep -P $pid java || echo $pid)"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
kill -TERM $pid; wait $pid 2>/dev/null || true; pid=
t0=$(date +%s.%N)
start_bridge
t1=$(date +%s.%N)
loaded=$(grep -o 'cluster state loaded: .*' "$work/bridge.log" | tail -1)
printf 'RESULT_STARTUP hosts=%s startup_s=%.2f (%s)\n' "$hosts" "$(echo "$t1 - $t0" | bc)" "$loaded"
