"""Unit tests of the Placewise Nova shim: mapping, one call per pass, fail-open/closed.

Run with Debian's python3 (it has python3-nova): /usr/bin/python3 -m unittest discover -s tests/unit -t .
"""

import io
import json
import logging
import socket
import unittest

from oslo_config import cfg
from oslo_config import fixture as config_fixture

import placewise_nova
from placewise_nova import client as pw_client
from placewise_nova import mapping
from placewise_nova.filters import PlacewiseFilter
from placewise_nova.weighers import PlacewiseWeigher

import nova.conf  # noqa: F401 - registers default_availability_zone, as in nova-scheduler
from nova import objects
from nova.scheduler import host_manager
from nova.scheduler import weights as nova_weights
from nova.scheduler.weights import ram

from tests.unit.stub_bridge import StubBridge

objects.register_all()
CONF = cfg.CONF
TOKEN = 'sekrit-service-token-0123'
INSTANCE = '9e8d7c6b-5a49-4382-b1a0-f9e8d7c6b5a4'
PEER = '0b7c5e2a-9d1f-4e3b-8a6c-7d2e1f0a9b84'


def make_host(name, vcpus=8, ram_mb=16384, disk_gb=500, free_ram_mb=None, node=None):
    hs = host_manager.HostState(name, node or name + '.example', 'cell1')
    hs.vcpus_total = vcpus
    hs.total_usable_ram_mb = ram_mb
    hs.free_ram_mb = ram_mb if free_ram_mb is None else free_ram_mb
    hs.total_usable_disk_gb = disk_gb
    hs.cpu_allocation_ratio = 4.0
    hs.ram_allocation_ratio = 1.5
    hs.disk_allocation_ratio = 1.0
    return hs


def make_spec(extra_specs=None, group=True, hints=None):
    flavor = objects.Flavor(vcpus=2, memory_mb=2048, root_gb=20, ephemeral_gb=5, swap=0,
                            extra_specs=extra_specs if extra_specs is not None else {
                                'placewise:workload': 'disk_io',
                                'placewise:nonsharable': 'disk, nic',
                                'hw:cpu_policy': 'shared'})
    spec = objects.RequestSpec(instance_uuid=INSTANCE, flavor=flavor, num_instances=1,
                               scheduler_hints=hints if hints is not None else {})
    if group:
        spec.instance_group = objects.InstanceGroup(
            name='web-tier', policy='anti-affinity', members=[PEER, INSTANCE],
            hosts=['cmp-002'])
    return spec


class _Metric(object):
    def __init__(self, name, value):
        self.name = name
        self.value = value


class MappingTest(unittest.TestCase):

    def test_spec_full(self):
        hints = {'placewise_traffic': ['%s=150' % PEER, 'bad'], 'same_host': ['x']}
        spec = make_spec(hints=hints)
        self.assertEqual({
            'instance_uuid': INSTANCE,
            'flavor': {'vcpus': 2, 'memory_mb': 2048, 'disk_gb': 25,
                       'extra_specs': {'placewise:workload': 'disk_io',
                                       'placewise:nonsharable': 'disk, nic',
                                       'hw:cpu_policy': 'shared'}},
            'workload': 'disk_io',
            'nonsharable': ['disk', 'nic'],
            # the instance itself is not an already-placed member
            'group': {'name': 'web-tier', 'policy': 'anti-affinity', 'members': [PEER]},
            'traffic': [{'peer': PEER, 'mbps': 150.0}],
            'scheduler_hints': hints,
        }, mapping.spec_to_api(spec))

    def test_only_set_fields(self):
        spec = objects.RequestSpec(flavor=objects.Flavor(vcpus=1, memory_mb=512))
        self.assertEqual({'flavor': {'vcpus': 1, 'memory_mb': 512}},
                         mapping.spec_to_api(spec))
        self.assertEqual({}, mapping.spec_to_api(objects.RequestSpec()))
        body = mapping.build_request([make_host('h1')], objects.RequestSpec())
        self.assertNotIn('num_instances', body)

    def test_group_without_policy_is_left_out(self):
        spec = make_spec(extra_specs={})
        spec.instance_group = objects.InstanceGroup(name='g')
        self.assertNotIn('group', mapping.spec_to_api(spec))
        self.assertNotIn('workload', mapping.spec_to_api(spec))

    def test_fixture_primitive(self):
        """The RequestSpec primitive Nova 26 produced (docs fixture) maps as expected."""
        import json
        import os
        path = os.path.join(os.path.dirname(__file__), 'fixtures',
                            'nova-external-scheduler-request.json')
        with open(path) as f:
            primitive = json.load(f)['spec']
        spec = objects.RequestSpec.obj_from_primitive(primitive)
        out = mapping.spec_to_api(spec)
        self.assertEqual('disk_io', out['workload'])
        self.assertEqual({'vcpus': 2, 'memory_mb': 2048, 'disk_gb': 20},
                         {k: out['flavor'][k] for k in ('vcpus', 'memory_mb', 'disk_gb')})
        self.assertEqual({'name': 'web-tier', 'policy': 'anti-affinity', 'members': [PEER]},
                         out['group'])
        self.assertFalse(mapping.is_rebuild(spec))

    def test_volume_backed_and_swap_disk_as_nova_counts_it(self):
        spec = make_spec(extra_specs={})
        spec.flavor.root_gb = 500
        spec.flavor.swap = 1025
        spec.is_bfv = True
        # ephemeral 5 + swap 1025 MB -> 2 GB; no root disk for a volume-backed instance.
        self.assertEqual(7, mapping.spec_to_api(spec)['flavor']['disk_gb'])
        spec.is_bfv = False
        self.assertEqual(507, mapping.spec_to_api(spec)['flavor']['disk_gb'])

    def test_nova_view(self):
        """The RequestSpec primitive and, per host, what Nova's own filters look at."""
        spec = make_spec()
        spec.requested_destination = objects.Destination(
            host='h2', cell=objects.CellMapping(uuid=PEER, name='cell1',
                                                database_connection='mysql://u:secret@db/nova',
                                                transport_url='rabbit://u:secret@mq/'))
        h1, h2 = make_host('h1'), make_host('h2')
        h1.instances = {PEER: objects.Instance(uuid=PEER), 'other': objects.Instance(uuid='other')}
        h2.instances = {INSTANCE: objects.Instance(uuid=INSTANCE)}
        h2.aggregates = [objects.Aggregate(id=1, name='a', metadata={'availability_zone': 'az-b'})]
        body = mapping.build_request([h1, h2], spec)
        nova = body['nova']
        self.assertEqual('RequestSpec', nova['request_spec']['nova_object.name'])
        cell = nova['request_spec']['nova_object.data']['requested_destination'][
            'nova_object.data']['cell']['nova_object.data']
        self.assertNotIn('database_connection', cell)
        self.assertNotIn('transport_url', cell)
        self.assertNotIn('secret', json.dumps(body))
        self.assertEqual([
            {'host': 'h1', 'hypervisor_hostname': 'h1.example', 'instances': [PEER],
             'availability_zone': CONF.default_availability_zone},
            {'host': 'h2', 'hypervisor_hostname': 'h2.example', 'instances': [INSTANCE],
             'availability_zone': 'az-b'}], nova['hosts'])
        self.assertNotIn('nova', mapping.build_request([h1], spec, with_nova=False))

    def test_host_with_ratios_and_metrics(self):
        hs = make_host('h1')
        # Physical capacity by default: the bridge's CapacityFilter applies its own ratios.
        self.assertEqual({'name': 'h1',
                          'capacity': {'vcpus': 8, 'memory_mb': 16384, 'disk_gb': 500}},
                         mapping.host_to_api(hs))
        self.assertEqual({'vcpus': 32, 'memory_mb': 24576, 'disk_gb': 500},
                         mapping.host_to_api(hs, apply_ratios=True)['capacity'])
        hs.metrics = [_Metric('cpu.frequency', 2400), _Metric('cpu.percent', 42)]
        self.assertAlmostEqual(0.42, mapping.host_to_api(hs)['cpu_util'])
        self.assertEqual('h1.example', mapping.host_to_api(hs, 'nodename')['name'])
        self.assertEqual('h1', mapping.host_to_api(hs, with_state=False))

    def test_host_not_yet_updated(self):
        hs = host_manager.HostState('fresh', 'fresh', 'cell1')
        self.assertEqual({'name': 'fresh'}, mapping.host_to_api(hs))
        # vcpus and memory_mb are both required in a capacity object: none rather than half.
        hs.vcpus_total = 4
        self.assertEqual({'name': 'fresh'}, mapping.host_to_api(hs))

    def test_rebuild(self):
        self.assertTrue(mapping.is_rebuild(make_spec(hints={'_nova_check_type': ['rebuild']})))
        self.assertFalse(mapping.is_rebuild(make_spec(hints={'_nova_check_type': ['resize']})))


class _BridgeTestBase(unittest.TestCase):

    def setUp(self):
        super().setUp()
        self.stub = StubBridge().start()
        self.addCleanup(self.stub.stop)
        self.conf = config_fixture.Config(CONF)
        self.conf.setUp()
        self.addCleanup(self.conf.cleanUp)
        self.conf.config(group='placewise', bridge_url=self.stub.url, token=TOKEN,
                         timeout=1.0)
        self.hosts = [make_host('h1'), make_host('h2'), make_host('h3')]
        self.log = io.StringIO()
        handler = logging.StreamHandler(self.log)
        handler.setLevel(logging.DEBUG)
        root = logging.getLogger('placewise_nova')
        root.addHandler(handler)
        root.setLevel(logging.DEBUG)
        self.addCleanup(root.removeHandler, handler)

    def assertTokenNotLogged(self):
        self.assertNotIn(TOKEN, self.log.getvalue())

    def dead_url(self):
        s = socket.socket()
        s.bind(('127.0.0.1', 0))
        port = s.getsockname()[1]
        s.close()
        return 'http://127.0.0.1:%d' % port


class FilterTest(_BridgeTestBase):

    def test_one_call_per_pass(self):
        self.stub.responses['/v1/filter'] = (200, {
            'passed': ['h2', 'h3'],
            'rejected': [{'host': 'h1', 'filter': 'SameNonsharableResourceFilter',
                          'reason': 'disk already used by a disk_io VM'}]})
        result = list(PlacewiseFilter().filter_all(iter(self.hosts), make_spec()))
        self.assertEqual(['h2', 'h3'], [h.host for h in result])
        self.assertEqual(1, len(self.stub.requests))
        req = self.stub.requests[0]
        self.assertEqual('/v1/filter', req['path'])
        self.assertEqual(TOKEN, req['headers']['X-Auth-Token'])
        self.assertEqual(['h1', 'h2', 'h3'], [h['name'] for h in req['body']['hosts']])
        self.assertEqual('disk_io', req['body']['spec']['workload'])
        self.assertEqual(1, req['body']['num_instances'])
        self.assertIn('SameNonsharableResourceFilter', self.log.getvalue())
        self.assertTokenNotLogged()

    def test_nova_filter_handler(self):
        """Through Nova's own filter handler, as nova-scheduler runs it."""
        from nova.scheduler import filters as nova_filters
        self.stub.responses['/v1/filter'] = (200, {'passed': ['h3'], 'rejected': []})
        handler = nova_filters.HostFilterHandler()
        classes = handler.get_matching_classes(['placewise_nova.filters.PlacewiseFilter'])
        result = handler.get_filtered_objects([c() for c in classes], self.hosts, make_spec())
        self.assertEqual(['h3'], [h.host for h in result])

    def test_host_names_only(self):
        self.conf.config(group='placewise', send_host_state=False)
        self.stub.responses['/v1/filter'] = (200, {'passed': ['h1']})
        PlacewiseFilter().filter_all(self.hosts, make_spec())
        self.assertEqual(['h1', 'h2', 'h3'], self.stub.requests[0]['body']['hosts'])

    def test_rebuild_passes_without_call(self):
        spec = make_spec(hints={'_nova_check_type': ['rebuild']})
        self.assertEqual(self.hosts, list(PlacewiseFilter().filter_all(self.hosts, spec)))
        self.assertEqual([], self.stub.requests)

    def test_empty_list_no_call(self):
        self.assertEqual([], list(PlacewiseFilter().filter_all([], make_spec())))
        self.assertEqual([], self.stub.requests)

    def test_unreachable_fail_open(self):
        self.conf.config(group='placewise', bridge_url=self.dead_url(), fail_open=True)
        self.assertEqual(self.hosts,
                         list(PlacewiseFilter().filter_all(self.hosts, make_spec())))
        self.assertIn('fail_open=True', self.log.getvalue())
        self.assertTokenNotLogged()

    def test_unreachable_fail_closed(self):
        self.conf.config(group='placewise', bridge_url=self.dead_url(), fail_open=False)
        self.assertEqual([], list(PlacewiseFilter().filter_all(self.hosts, make_spec())))
        self.assertIn('fail_open=False', self.log.getvalue())
        self.assertTokenNotLogged()

    def test_timeout_fail_closed(self):
        self.conf.config(group='placewise', fail_open=False, timeout=0.2)
        self.stub.delay = 1.0
        self.stub.responses['/v1/filter'] = (200, {'passed': ['h1']})
        self.assertEqual([], list(PlacewiseFilter().filter_all(self.hosts, make_spec())))

    def test_error_answer(self):
        self.stub.responses['/v1/filter'] = (401, {
            'type': 'about:blank', 'title': 'Unauthorized', 'status': 401,
            'detail': 'unknown token'})
        self.conf.config(group='placewise', fail_open=False)
        self.assertEqual([], list(PlacewiseFilter().filter_all(self.hosts, make_spec())))
        self.assertIn('401 Unauthorized: unknown token', self.log.getvalue())
        self.conf.config(group='placewise', fail_open=True)
        self.assertEqual(3, len(list(PlacewiseFilter().filter_all(self.hosts, make_spec()))))
        self.assertTokenNotLogged()

    def test_malformed_answer(self):
        self.conf.config(group='placewise', fail_open=False)
        self.stub.responses['/v1/filter'] = (200, b'not json')
        self.assertEqual([], list(PlacewiseFilter().filter_all(self.hosts, make_spec())))
        self.stub.responses['/v1/filter'] = (200, {'hosts': []})
        self.assertEqual([], list(PlacewiseFilter().filter_all(self.hosts, make_spec())))

    def test_host_passes(self):
        self.stub.responses['/v1/filter'] = (200, {'passed': ['h2']})
        f = PlacewiseFilter()
        self.assertFalse(f.host_passes(self.hosts[0], make_spec()))
        self.assertTrue(f.host_passes(self.hosts[1], make_spec()))


class WeigherTest(_BridgeTestBase):

    def weigh(self, weighers, spec=None):
        handler = nova_weights.HostWeightHandler()
        return handler.get_weighed_objects(weighers, self.hosts, spec or make_spec())

    def test_returns_bridge_weight(self):
        self.stub.responses['/v1/weigh'] = (200, {'weighed': [
            {'host': 'h2', 'weight': 1.7, 'by': {'BalanceWeigher': 0.9}},
            {'host': 'h3', 'weight': 0.5, 'by': {'BalanceWeigher': 0.2}},
            {'host': 'h1', 'weight': -0.3, 'by': {'BalanceWeigher': 0.0}}]})
        weigher = PlacewiseWeigher()
        raw = weigher.weigh_objects([nova_weights.WeighedHost(h, 0.0) for h in self.hosts],
                                    make_spec())
        self.assertEqual([-0.3, 1.7, 0.5], raw)
        self.assertEqual(1, len(self.stub.requests))
        self.assertEqual('/v1/weigh', self.stub.requests[0]['path'])
        self.assertEqual(1.7, weigher._weigh_object(self.hosts[1], make_spec()))

    def test_in_nova_handler_normalised_and_multiplied(self):
        self.conf.config(group='placewise', weight_multiplier=10.0)
        self.stub.responses['/v1/weigh'] = (200, {'weighed': [
            {'host': 'h3', 'weight': 3.0}, {'host': 'h1', 'weight': 2.0},
            {'host': 'h2', 'weight': 1.0}]})
        # RAM weigher favours h1 (most free RAM); Placewise (x10) must win.
        self.hosts[1].free_ram_mb = 1000
        self.hosts[2].free_ram_mb = 1000
        result = self.weigh([ram.RAMWeigher(), PlacewiseWeigher()])
        self.assertEqual(['h3', 'h1', 'h2'], [w.obj.host for w in result])
        # RAMWeigher has minval=0: h3 scores 1000/16384 from RAM plus 10 * 1.0 from Placewise.
        self.assertAlmostEqual(10.0 + 1000.0 / 16384, result[0].weight)
        self.assertEqual(1, len(self.stub.requests))

    def test_single_host_not_called(self):
        self.hosts = self.hosts[:1]
        self.weigh([PlacewiseWeigher()])
        self.assertEqual([], self.stub.requests)

    def test_missing_host_gets_lowest(self):
        self.stub.responses['/v1/weigh'] = (200, {'weighed': [
            {'host': 'h1', 'weight': 2.0}, {'host': 'h2', 'weight': 1.0}]})
        raw = PlacewiseWeigher().weigh_objects(
            [nova_weights.WeighedHost(h, 0.0) for h in self.hosts], make_spec())
        self.assertEqual([2.0, 1.0, 1.0], raw)

    def test_unreachable_weighs_zero(self):
        for fail_open in (True, False):
            self.conf.config(group='placewise', bridge_url=self.dead_url(),
                             fail_open=fail_open)
            raw = PlacewiseWeigher().weigh_objects(
                [nova_weights.WeighedHost(h, 0.0) for h in self.hosts], make_spec())
            self.assertEqual([0.0, 0.0, 0.0], raw)
        self.assertIn('weighing all 3 host(s) 0', self.log.getvalue())
        self.assertTokenNotLogged()

    def test_aggregate_multiplier(self):
        self.conf.config(group='placewise', weight_multiplier=2.0)
        self.hosts[0].aggregates = [objects.Aggregate(
            id=1, name='a', metadata={'placewise_weight_multiplier': '5'})]
        w = PlacewiseWeigher()
        self.assertEqual(5.0, w.weight_multiplier(self.hosts[0]))
        self.assertEqual(2.0, w.weight_multiplier(self.hosts[1]))


class ConfTest(unittest.TestCase):

    def test_options(self):
        opts = {o.name: o for o in placewise_nova.conf.placewise_opts}
        self.assertTrue(opts['token'].secret)
        self.assertEqual('http://127.0.0.1:8790', opts['bridge_url'].default)
        for name in ('bridge_url', 'token', 'timeout', 'fail_open', 'weight_multiplier'):
            self.assertIn(name, opts)

    def test_client_repr_hides_token(self):
        c = pw_client.BridgeClient('http://x:1/', TOKEN)
        self.assertNotIn(TOKEN, repr(c))
        self.assertEqual('http://x:1', c.base_url)
        c = pw_client.BridgeClient('http://user:pw@127.0.0.1:9/', TOKEN, timeout=0.5)
        self.assertNotIn('pw@', repr(c))
        with self.assertRaises(pw_client.PlacewiseError) as e:
            c.filter({})
        self.assertNotIn('pw@', str(e.exception))
        self.assertNotIn(TOKEN, str(e.exception))


if __name__ == '__main__':
    unittest.main()
