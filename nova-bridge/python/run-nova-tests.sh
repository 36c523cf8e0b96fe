#!/usr/bin/env bash
# Runs the Placewise Nova shim's unit tests and the functional test inside Nova's own functional
# harness against the REAL Placewise bridge jar. Uses Debian's /usr/bin/python3 (python3-nova).
#
# Needs: apt-get install -y python3-nova python3-oslotest python3-wsgi-intercept python3-placement
#        java 17; the bridge jar (built here if missing).
# Env:   PLACEWISE_BRIDGE_JAR  (default ../target/placewise-bridge.jar)
#        NOVA_API_PASTE_INI    (default: extracted from the nova-common .deb into NOVA_COMMON_DIR)
#        NOVA_COMMON_DIR       (default /tmp/placewise-nova-common)
#        ONLY=unit|functional  (run one part only)
# Last line: "N passed, N failed".
set -u
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
PY=/usr/bin/python3
ONLY="${ONLY:-all}"
export PLACEWISE_BRIDGE_JAR="${PLACEWISE_BRIDGE_JAR:-$REPO/nova-bridge/target/placewise-bridge.jar}"
export PYTHONDONTWRITEBYTECODE=1 PYTHONWARNINGS="ignore::DeprecationWarning"
# The bridge runs on 127.0.0.1; never send that through a proxy.
export no_proxy="127.0.0.1,localhost${no_proxy:+,$no_proxy}" NO_PROXY="127.0.0.1,localhost${NO_PROXY:+,$NO_PROXY}"

passed=0; failed=0; skipped=0

fail_setup() {  # a setup step failed: count it as one failed test, keep going
  echo "SETUP FAILED: $*" >&2
  failed=$((failed + 1))
}

run_suite() {  # name, args for tests/run_suite.py
  local name="$1"; shift
  local log; log="$(mktemp)"
  local t0=$SECONDS
  echo "=== $name ==="
  (cd "$HERE" && "$PY" -m tests.run_suite "$@") 2>&1 | tee "$log" | grep -E '^(PASS|FAIL|ERROR|SKIP) |^Ran |^SUITE-RESULT|^placewise scenario' || true
  local line; line="$(grep '^SUITE-RESULT' "$log" | tail -1)"
  if [ -z "$line" ]; then
    echo "--- $name crashed; last output:"; tail -40 "$log"
    failed=$((failed + 1))
  else
    eval "$(echo "$line" | sed 's/^SUITE-RESULT //; s/\([a-z]*\)=/s_\1=/g')"
    passed=$((passed + s_passed)); failed=$((failed + s_failed)); skipped=$((skipped + s_skipped))
    if [ "$s_failed" != 0 ]; then
      echo "--- $name failures (full output):"
      sed -n '/^======/,$p' "$log" | head -300
    fi
  fi
  echo "=== $name took $((SECONDS - t0)) s"
  rm -f "$log"
}

if ! "$PY" -c 'import nova, oslotest, wsgi_intercept, placement' 2>/dev/null; then
  fail_setup "Nova test dependencies missing: apt-get install -y python3-nova python3-oslotest python3-wsgi-intercept python3-placement"
  echo "$passed passed, $failed failed"; exit 1
fi

if [ "$ONLY" != functional ]; then
  run_suite "unit tests" discover tests/unit
fi

if [ "$ONLY" != unit ]; then
  ok=1
  # api-paste.ini is not in python3-nova; it ships in the nova-common .deb.
  if [ -z "${NOVA_API_PASTE_INI:-}" ]; then
    NOVA_COMMON_DIR="${NOVA_COMMON_DIR:-/tmp/placewise-nova-common}"
    NOVA_API_PASTE_INI="$NOVA_COMMON_DIR/root/usr/share/nova-common/api-paste.ini"
    if [ ! -f "$NOVA_API_PASTE_INI" ]; then
      mkdir -p "$NOVA_COMMON_DIR" && chmod 777 "$NOVA_COMMON_DIR"
      (cd "$NOVA_COMMON_DIR" && apt-get download nova-common >/dev/null 2>&1 \
        && dpkg -x nova-common_*.deb root) || { fail_setup "could not extract api-paste.ini from nova-common"; ok=0; }
    fi
  fi
  export NOVA_API_PASTE_INI
  if [ "$ok" = 1 ] && [ ! -f "$PLACEWISE_BRIDGE_JAR" ]; then
    echo "=== building the bridge jar ($PLACEWISE_BRIDGE_JAR missing)"
    (cd "$REPO" && { mvn -B -q -o -DskipTests package -pl nova-bridge -am || mvn -B -q -DskipTests package -pl nova-bridge -am; }) \
      || { fail_setup "mvn package -pl nova-bridge failed"; ok=0; }
    [ "$ok" = 1 ] && [ ! -f "$PLACEWISE_BRIDGE_JAR" ] && { fail_setup "no jar at $PLACEWISE_BRIDGE_JAR after the build"; ok=0; }
  fi
  if [ "$ok" = 1 ]; then
    echo "bridge jar: $PLACEWISE_BRIDGE_JAR"
    run_suite "SAP's fork client (both generations) against Nova's own filters + real bridge" \
      module tests.functional.test_external_scheduler
    run_suite "functional test (Nova harness + real bridge)" module tests.functional.test_placewise_nova
  fi
fi

[ "$skipped" != 0 ] && echo "($skipped skipped)"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
