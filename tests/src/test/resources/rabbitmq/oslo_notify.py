"""Publishes notifications exactly as Nova does: through oslo.messaging's Notifier (driver
messagingv2, Nova's control_exchange 'nova'), on the transport URL given as argv[1] and the
topic argv[2]. Reads one JSON object per line from stdin -- {"publisher_id", "event_type",
"priority", "payload"}, i.e. one of Nova's notification samples -- publishes it and answers
"ok" (or "error: ...") on stdout. Runs with Debian's python3-oslo.messaging."""
import json
import sys

from oslo_config import cfg
import oslo_messaging


def main():
    url, topic = sys.argv[1], sys.argv[2]
    conf = cfg.ConfigOpts()
    conf([])
    oslo_messaging.set_transport_defaults('nova')  # Nova's control_exchange
    transport = oslo_messaging.get_notification_transport(conf, url=url)
    notifiers = {}
    print("ready", flush=True)
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        try:
            m = json.loads(line)
            publisher = m.get("publisher_id", "nova-compute:compute")
            n = notifiers.get(publisher)
            if n is None:
                n = oslo_messaging.Notifier(transport, publisher_id=publisher, driver='messagingv2', topics=[topic])
                notifiers[publisher] = n
            getattr(n, m.get("priority", "INFO").lower())({}, m["event_type"], m["payload"])
            print("ok", flush=True)
        except Exception as e:  # report, keep serving
            print("error: %s" % e, flush=True)
    transport.cleanup()


if __name__ == '__main__':
    main()
