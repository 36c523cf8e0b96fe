"""A minimal HTTP client for the Placewise bridge (stdlib only).

One ``POST`` per call, JSON in and out, token in ``X-Auth-Token``. The token is never logged and
never part of an exception message. HTTP proxies from the environment are ignored: the bridge is
a control-plane neighbour of nova-scheduler.
"""

import json
import socket
import urllib.error
import urllib.parse
import urllib.request

from oslo_config import cfg



USER_AGENT = 'placewise-nova/0.1'
_MAX_DETAIL = 300


class PlacewiseError(Exception):
    """The bridge could not be reached or did not give a usable answer."""

    def __init__(self, message, status=None):
        super().__init__(message)
        self.status = status


def _problem_detail(raw):
    """A short, log-safe description of an RFC 9457 problem body (or raw text)."""
    text = raw.decode('utf-8', 'replace') if isinstance(raw, bytes) else str(raw)
    try:
        problem = json.loads(text)
    except ValueError:
        return text[:_MAX_DETAIL]
    if isinstance(problem, dict):
        parts = [str(problem[k]) for k in ('title', 'detail') if problem.get(k)]
        if problem.get('errors'):
            parts.append('errors=%s' % json.dumps(problem['errors'])[:_MAX_DETAIL])
        if parts:
            return ': '.join(parts)[:_MAX_DETAIL]
    return text[:_MAX_DETAIL]


def _redact_url(url):
    """The URL without any user:password@ part, for messages."""
    parts = urllib.parse.urlsplit(url)
    if '@' not in parts.netloc:
        return url
    return urllib.parse.urlunsplit(parts._replace(netloc=parts.netloc.rpartition('@')[2]))


class BridgeClient(object):

    def __init__(self, bridge_url, token=None, timeout=2.0):
        self.base_url = bridge_url.rstrip('/')
        self.safe_base_url = _redact_url(self.base_url)
        self._token = token
        self.timeout = timeout
        self._opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

    def __repr__(self):
        return '<BridgeClient %s>' % self.safe_base_url

    @classmethod
    def from_conf(cls, conf=None):
        group = (cfg.CONF if conf is None else conf).placewise
        return cls(group.bridge_url, group.token, group.timeout)

    def post(self, path, body):
        url = self.base_url + path
        shown = self.safe_base_url + path
        data = json.dumps(body).encode('utf-8')
        headers = {
            'Content-Type': 'application/json',
            'Accept': 'application/json',
            'User-Agent': USER_AGENT,
        }
        if self._token:
            headers['X-Auth-Token'] = self._token
        request = urllib.request.Request(url, data=data, headers=headers, method='POST')
        try:
            with self._opener.open(request, timeout=self.timeout) as response:
                raw = response.read()
                status = response.status
        except urllib.error.HTTPError as e:
            try:
                detail = _problem_detail(e.read())
            except Exception:  # noqa: B902 - best effort only
                detail = ''
            raise PlacewiseError('POST %s answered %s %s' % (shown, e.code, detail),
                                 status=e.code)
        except (urllib.error.URLError, socket.timeout, OSError) as e:
            reason = getattr(e, 'reason', e)
            raise PlacewiseError('POST %s failed: %s' % (shown, reason))
        try:
            answer = json.loads(raw.decode('utf-8'))
        except ValueError:
            raise PlacewiseError('POST %s answered %s with a body that is not JSON'
                                 % (shown, status), status=status)
        if not isinstance(answer, dict):
            raise PlacewiseError('POST %s answered %s with a JSON %s, not an object'
                                 % (shown, status, type(answer).__name__), status=status)
        return answer

    def filter(self, body):
        return self.post('/v1/filter', body)

    def weigh(self, body):
        return self.post('/v1/weigh', body)
