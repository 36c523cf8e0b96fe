"""A stand-in for the Placewise bridge in the shim's unit tests only (the functional test uses
the real bridge jar)."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class StubBridge(object):
    """Records every request; answers from ``self.responses[path]`` = (status, body)."""

    def __init__(self):
        self.requests = []
        self.responses = {}
        self.delay = 0.0
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                length = int(self.headers.get('Content-Length') or 0)
                raw = self.rfile.read(length)
                try:
                    body = json.loads(raw)
                except ValueError:
                    body = raw
                stub.requests.append({'path': self.path, 'headers': dict(self.headers),
                                      'body': body})
                if stub.delay:
                    threading.Event().wait(stub.delay)
                status, answer = stub.responses.get(self.path, (404, {'title': 'Not Found'}))
                data = answer if isinstance(answer, bytes) else json.dumps(answer).encode()
                try:
                    self.send_response(status)
                    self.send_header('Content-Type', 'application/json' if status < 400
                                     else 'application/problem+json')
                    self.send_header('Content-Length', str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except OSError:
                    pass  # the client gave up (timeout tests)

        self.server = ThreadingHTTPServer(('127.0.0.1', 0), Handler)
        self.server.daemon_threads = True
        self.url = 'http://127.0.0.1:%d' % self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever,
                                       kwargs={"poll_interval": 0.05}, daemon=True)

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
