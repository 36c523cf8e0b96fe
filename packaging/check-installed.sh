#!/usr/bin/env bash
# Installs placewise-bridge_*.deb and placewise-migrator_*.deb with dpkg -i and proves the installed
# bridge runs with its packaged configuration: the unit's ExecStart (with its Environment and
# WorkingDirectory) started as the unit's User, /healthz, the dashboard, the API with the generated
# tokens and the installed CLI, then SIGTERM. No systemd needed (CI containers have none).
#   packaging/check-installed.sh      (as root, after: mvn -Pdeb -DskipTests package)
set -euo pipefail
cd "$(dirname "$0")/.."
debs=(packaging/target/placewise-bridge_*_all.deb packaging/target/placewise-migrator_*_all.deb)
dpkg -i "${debs[@]}" || { apt-get install -y -f -qq >/dev/null; dpkg -i "${debs[@]}"; }

unit=/lib/systemd/system/placewise-bridge.service
conf=/etc/placewise/placewise.conf
user=$(sed -n 's/^User=//p' "$unit")
id "$user" >/dev/null
test "$(stat -c '%U:%G %a' "$conf")" = "root:$user 640" || { echo "bad owner/mode of $conf: $(stat -c '%U:%G %a' "$conf")"; exit 1; }
test "$(stat -c '%U %a' /var/lib/placewise)" = "$user 750"
grep -q '^database_url = jdbc:h2:file:/var/lib/placewise/placewise$' "$conf"
admin=$(sed -n 's/^admin_tokens = //p' "$conf"); reader=$(sed -n 's/^reader_tokens = //p' "$conf")
[ ${#admin} -ge 32 ] && [ "$admin" != devadmin-change-me ] || { echo "postinst did not generate tokens"; exit 1; }
port=$(sed -n 's/^bind_port = //p' "$conf")
if command -v systemd-analyze >/dev/null; then
  systemd-analyze verify "$unit" /lib/systemd/system/placewise-migrator.service 2>&1 | grep -v 'libvirtd\|virtqemud' || true
fi

exec_start=$(sed -n 's/^ExecStart=//p' "$unit")
workdir=$(sed -n 's/^WorkingDirectory=//p' "$unit")
mapfile -t envs < <(sed -n 's/^Environment=//p' "$unit")
log=$(mktemp)
(cd "$workdir" && exec runuser -u "$user" -- env "${envs[@]}" $exec_start) >"$log" 2>&1 &
pid=$!
stop() { kill -TERM "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; }
trap stop EXIT
for _ in $(seq 120); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.5; done
if ! curl -sf "http://127.0.0.1:$port/healthz"; then echo; echo "the installed bridge did not answer /healthz:"; cat "$log"; exit 1; fi
echo
curl -sf -o /dev/null "http://127.0.0.1:$port/dashboard/"
curl -sf -o /dev/null "http://127.0.0.1:$port/openapi.json"
test "$(curl -s -o /dev/null -w '%{http_code}' -H "X-Auth-Token: $reader" "http://127.0.0.1:$port/v1/policies")" = 200
test "$(curl -s -o /dev/null -w '%{http_code}' -H "X-Auth-Token: devadmin-change-me" "http://127.0.0.1:$port/v1/policies")" = 401
PLACEWISE_URL="http://127.0.0.1:$port" PLACEWISE_TOKEN="$admin" placewise policy show BalanceWeigher -f value -c enabled | grep -qx true
runuser -u "$user" -- env $(sed -n 's/^Environment=//p' /lib/systemd/system/placewise-migrator.service) \
  /usr/bin/placewise-migrator --version
test -f /etc/placewise/placewise-migrator.conf
test -f /var/lib/placewise/placewise.mv.db
kill -TERM "$pid"; set +e; wait "$pid"; code=$?; set -e; trap - EXIT
case $code in 0|143) ;; *) echo "the bridge exited $code on SIGTERM"; cat "$log"; exit 1 ;; esac
grep -q 'Placewise bridge stopped' "$log" || { echo "no clean stop in the log:"; tail -20 "$log"; exit 1; }
echo "installed packages OK: the bridge ran as $user with $conf and stopped on SIGTERM"
