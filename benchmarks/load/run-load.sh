#!/usr/bin/env bash
# Load run against the real bridge over loopback: /v1/select at a given cluster size.
#   benchmarks/load/run-load.sh HOSTS [SECONDS] [CONNECTIONS]
# Needs: the build (mvn -DskipTests package) and wrk (apt-get install wrk).
# Starts the bridge from bin/placewise-bridge on a temporary H2 file, loads a SyntheticCluster of
# HOSTS hosts x 20 VMs with PUT /v1/cluster, warms up, then runs wrk and prints the RESULT line.
set -euo pipefail
hosts=${1:?hosts}; seconds=${2:-30}; conns=${3:-8}
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
service_tokens = load-service
CONF
java -cp "$root/benchmarks/target/benchmarks.jar" io.placewise.benchmarks.SyntheticCluster "$work" "$hosts"
JAVA_OPTS="${JAVA_OPTS:--Xmx2g}" "$root/bin/placewise-bridge" --config-file "$work/placewise.conf" > "$work/bridge.log" 2>&1 &
pid=$!
for _ in $(seq 120); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.5; done
curl -sf -X PUT -H "X-Auth-Token: load-admin" -H "Content-Type: application/json" \
  --data-binary @"$work/cluster.json" "http://127.0.0.1:$port/v1/cluster" -o /dev/null
echo "loaded $hosts hosts; warming up"
export SELECT_JSON="$work/select.json" PLACEWISE_TOKEN=load-service
wrk -t1 -c"$conns" -d10s -s "$root/benchmarks/load/select.lua" "http://127.0.0.1:$port/v1/select" > /dev/null
echo "measuring: wrk -t2 -c$conns -d${seconds}s --latency"
wrk -t2 -c"$conns" -d"${seconds}s" --latency -s "$root/benchmarks/load/select.lua" "http://127.0.0.1:$port/v1/select"
