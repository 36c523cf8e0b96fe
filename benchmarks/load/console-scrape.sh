#!/usr/bin/env bash
# What the console costs the bridge at a given cluster size: GET /metrics (per-host gauges) and
# GET /v1/cluster/loads (the dashboard's heat-map poll), each timed over N calls with curl.
#   benchmarks/load/console-scrape.sh HOSTS [CALLS]
# Needs: the build (mvn -DskipTests package). Starts the bridge from bin/placewise-bridge on a
# temporary H2 file and loads a SyntheticCluster of HOSTS hosts x 20 VMs with PUT /v1/cluster.
set -euo pipefail
hosts=${1:?hosts}; calls=${2:-50}
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d); trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$work"' EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat > "$work/placewise.conf" <<CONF
[DEFAULT]
bind_host = 127.0.0.1
bind_port = $port
database_url = jdbc:h2:file:$work/db
[auth]
admin_tokens = load-admin
reader_tokens = load-reader
CONF
java -cp "$root/benchmarks/target/benchmarks.jar" io.placewise.benchmarks.SyntheticCluster "$work" "$hosts"
JAVA_OPTS="${JAVA_OPTS:--Xmx2g}" "$root/bin/placewise-bridge" --config-file "$work/placewise.conf" > "$work/bridge.log" 2>&1 &
pid=$!
for _ in $(seq 120); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.5; done
curl -sf -X PUT -H "X-Auth-Token: load-admin" -H "Content-Type: application/json" \
  --data-binary @"$work/cluster.json" "http://127.0.0.1:$port/v1/cluster" -o /dev/null
echo "loaded $hosts hosts"
measure() { # name path [token]
  local name=$1 path=$2 token=${3:-}
  for _ in 1 2 3 4 5; do curl -s ${token:+-H "X-Auth-Token: $token"} "http://127.0.0.1:$port$path" -o /dev/null; done
  for _ in $(seq "$calls"); do
    curl -s ${token:+-H "X-Auth-Token: $token"} -o /dev/null -w '%{time_total} %{size_download}\n' "http://127.0.0.1:$port$path"
  done | sort -n | awk -v n="$name" -v h="$hosts" '{t[NR]=$1; s=$2} END {
    printf "RESULT %s hosts=%d calls=%d median=%.1fms p95=%.1fms max=%.1fms bytes=%d\n", n, h, NR, t[int(NR/2)+1]*1000, t[int(NR*0.95)]*1000, t[NR]*1000, s}'
}
measure metrics /metrics
measure loads /v1/cluster/loads load-reader
series=$(curl -s "http://127.0.0.1:$port/metrics" | grep -c '^placewise_host_')
echo "RESULT per-host series lines: $series"
