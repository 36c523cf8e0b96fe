#!/bin/sh
# Throughput of single durable commits: PATCH /v1/policies and POST /v1/hosts/{name}/samples
# with wrk (2 connections, 15 s each) on a fresh H2 file. SUFFIX is appended to database_url:
# "" for the shipped setting (WRITE_DELAY=0), ";WRITE_DELAY=500" for H2's default (before issue 9).
# Needs wrk and the built jar (mvn -DskipTests package).
# usage: commit-throughput.sh SUFFIX LABEL
SUFFIX="$1"; LABEL="$2"; D=${TMPDIR:-/tmp}/placewise-commit-$LABEL; rm -rf $D; mkdir -p $D
P=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
cat > $D/b.conf <<CONF
[DEFAULT]
bind_host = 127.0.0.1
bind_port = $P
database_url = jdbc:h2:file:$D/db$SUFFIX
[auth]
admin_tokens = a
service_tokens = s
reader_tokens = r
CONF
java -cp "$(cd "$(dirname "$0")/../.." && pwd)/nova-bridge/target/placewise-bridge.jar" io.placewise.bridge.BridgeMain --config-file $D/b.conf > $D/b.log 2>&1 &
BP=$!
for i in $(seq 90); do curl -s localhost:$P/healthz >/dev/null && break; sleep 1; done
curl -s -X PUT -H 'X-Auth-Token: a' -H 'Content-Type: application/json' localhost:$P/v1/cluster -d '{"hosts": [{"name": "pm1", "capacity": {"vcpus": 8, "memory_mb": 16384}}]}' >/dev/null
wrk -t1 -c2 -d5s -s "$(dirname "$0")/commit-patch.lua" http://127.0.0.1:$P >/dev/null
echo "== $LABEL PATCH"; wrk -t1 -c2 -d15s --latency -s "$(dirname "$0")/commit-patch.lua" http://127.0.0.1:$P | grep -E "Requests/sec|50%|99%|Non-2xx"
echo "== $LABEL samples"; wrk -t1 -c2 -d15s --latency -s "$(dirname "$0")/commit-sample.lua" http://127.0.0.1:$P | grep -E "Requests/sec|50%|99%|Non-2xx"
kill $BP
