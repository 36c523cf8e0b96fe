"""Start and stop the real Placewise bridge jar for the functional test."""

import atexit
import json
import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
# nova-bridge/python/tests/functional -> nova-bridge
NOVA_BRIDGE_DIR = os.path.abspath(os.path.join(HERE, '..', '..', '..'))
DEFAULT_JAR = os.path.join(NOVA_BRIDGE_DIR, 'target', 'placewise-bridge.jar')

ADMIN_TOKEN = 'pw-functional-admin-' + os.urandom(6).hex()
SERVICE_TOKEN = 'pw-functional-service-' + os.urandom(6).hex()
READER_TOKEN = 'pw-functional-reader-' + os.urandom(6).hex()


def bridge_jar():
    jar = os.environ.get('PLACEWISE_BRIDGE_JAR', DEFAULT_JAR)
    return os.path.abspath(jar)


def free_port():
    s = socket.socket()
    try:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]
    finally:
        s.close()


class BridgeError(Exception):
    pass


class Bridge(object):
    """The real bridge: ``java -jar JAR --config-file FILE`` on an ephemeral port."""

    def __init__(self, jar=None, startup_timeout=90.0, extra_conf=''):
        self.jar = jar or bridge_jar()
        # More placewise.conf sections, e.g. "[nova_external]\nallow_unauthenticated_from = 127.0.0.1\n".
        self.extra_conf = extra_conf
        self.startup_timeout = startup_timeout
        self.proc = None
        self.workdir = None
        self.port = None
        self.url = None
        self.log_path = None
        self._log = None
        self._opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

    def start(self):
        if not os.path.isfile(self.jar):
            raise BridgeError(
                'Placewise bridge jar not found at %s (build it with '
                '"mvn -B -o -DskipTests package -pl nova-bridge -am" or set '
                'PLACEWISE_BRIDGE_JAR)' % self.jar)
        self.workdir = tempfile.mkdtemp(prefix='placewise-nova-ft-')
        self.port = free_port()
        self.url = 'http://127.0.0.1:%d' % self.port
        conf_path = os.path.join(self.workdir, 'placewise.conf')
        db = os.path.join(self.workdir, 'placewise-db')
        with open(conf_path, 'w') as f:
            f.write('[DEFAULT]\n'
                    'bind_host = 127.0.0.1\n'
                    'bind_port = %d\n'
                    'database_url = jdbc:h2:file:%s\n'
                    '\n'
                    '[auth]\n'
                    'admin_tokens = %s\n'
                    'service_tokens = %s\n'
                    'reader_tokens = %s\n'
                    % (self.port, db, ADMIN_TOKEN, SERVICE_TOKEN, READER_TOKEN))
            f.write('\n' + self.extra_conf)
        self.log_path = os.path.join(self.workdir, 'bridge.log')
        self._log = open(self.log_path, 'wb')
        java = os.environ.get('JAVA', shutil.which('java') or 'java')
        self.proc = subprocess.Popen(  # noqa: S603
            [java, '-Xmx256m', '-XX:TieredStopAtLevel=1', '-jar', self.jar,
             '--config-file', conf_path],
            stdout=self._log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            cwd=self.workdir)
        # Safety net: never leave the bridge running after the test process ends.
        atexit.register(self.stop)
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise BridgeError('bridge exited with %s during startup:\n%s'
                                  % (self.proc.returncode, self.log_tail()))
            try:
                status, _ = self.request('GET', '/healthz')
                if status == 200:
                    return self
            except (OSError, urllib.error.URLError):
                pass
            time.sleep(0.25)
        self.stop()
        raise BridgeError('bridge did not answer GET /healthz = 200 within %ss:\n%s'
                          % (self.startup_timeout, self.log_tail()))

    def log_tail(self, lines=40):
        if not self.log_path or not os.path.exists(self.log_path):
            return ''
        with open(self.log_path, 'rb') as f:
            return b'\n'.join(f.read().splitlines()[-lines:]).decode('utf-8', 'replace')

    def request(self, method, path, body=None, token=None, accept='application/json'):
        data = None if body is None else json.dumps(body).encode('utf-8')
        req = urllib.request.Request(self.url + path, data=data, method=method)
        req.add_header('Accept', accept)
        if data is not None:
            req.add_header('Content-Type', 'application/json')
        if token:
            req.add_header('X-Auth-Token', token)
        try:
            with self._opener.open(req, timeout=10) as resp:
                raw = resp.read()
                status = resp.status
        except urllib.error.HTTPError as e:
            raw = e.read()
            status = e.code
        if 'json' not in accept:
            return status, raw.decode('utf-8', 'replace')
        try:
            answer = json.loads(raw) if raw else None
        except ValueError:
            answer = raw.decode('utf-8', 'replace')
        return status, answer

    def admin(self, method, path, body=None):
        status, answer = self.request(method, path, body, ADMIN_TOKEN)
        if status >= 400:
            raise BridgeError('%s %s -> %s %s' % (method, path, status, answer))
        return answer

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=5)
        self.proc = None
        if self._log is not None:
            self._log.close()
            self._log = None
        if self.workdir and not os.environ.get('PLACEWISE_KEEP_BRIDGE_DIR'):
            shutil.rmtree(self.workdir, ignore_errors=True)
