"""SAP's Nova fork calling Placewise's external-scheduler hook, checked against Nova's own filters.

SAP's fork (github.com/sapcc/nova, ``nova/scheduler/external.py``) calls the hook after Nova's own
filters and weighers, per instance, and reorders its weighed hosts by the answer's names with a
plain dict lookup (a name it did not send would raise). Two client generations exist:

* older (e.g. ``stable/2023.2-m3``): ``{"spec", "rebuild", "resize", "live", "vmware", "hosts",
  "weights"}``, no ``context``; any error falls back to Nova's order at once;
* newer: adds ``context`` (``RequestContext.to_dict()`` without ``auth_token``), strips the cell
  mapping's credentials from ``requested_destination``, and retries every error except a 400
  ``external_scheduler_retries`` times before falling back.

``ForkClient`` rebuilds those bodies from Nova 26's own objects (RequestSpec, Flavor,
InstanceGroup, Destination, HostState, RequestContext) and follows the same error rules. Every
host is sent, and the answer must be what Nova's own rules give for the same objects:
``HostManager.get_filtered_hosts`` (requested destination, ignored and forced hosts) with
ServerGroupAntiAffinityFilter, ServerGroupAffinityFilter and AvailabilityZoneFilter, and
Placement's disk request (``ResourceRequest.from_request_spec``), in Nova's weight order.
"""

import logging
import re
import types
import unittest
import uuid

import jsonschema
import requests

import nova.conf
from nova import context as nova_context
from nova import objects
from nova.scheduler import filters as nova_filters
from nova.scheduler import host_manager
from nova.scheduler import utils as scheduler_utils
from nova.scheduler.filters import affinity_filter
from nova.scheduler.filters import availability_zone_filter

from tests.functional import bridge_process

objects.register_all()
CONF = nova.conf.CONF
SELF = '9e8d7c6b-5a49-4382-b1a0-f9e8d7c6b5a4'
PEER = '0b7c5e2a-9d1f-4e3b-8a6c-7d2e1f0a9b84'
PEER2 = '5d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a'
HOSTS = ('cmp-1', 'cmp-2', 'cmp-3')
RESPONSE_SCHEMA = {  # the fork's response schema
    'type': 'object',
    'properties': {'hosts': {'type': 'array', 'items': {'type': 'string'}}},
    'required': ['hosts'],
    'additionalProperties': False,
}
BRIDGE = None


def setUpModule():
    global BRIDGE
    CONF([], project='nova', default_config_files=[])  # Nova's defaults, no nova.conf
    # The fork sends no token: let the scheduler host in by address, as docs/nova.md says.
    BRIDGE = bridge_process.Bridge(
        extra_conf='[nova_external]\nallow_unauthenticated_from = 127.0.0.1\n').start()


def tearDownModule():
    if BRIDGE is not None:
        BRIDGE.stop()


class ForkClient(object):
    """The fork's external-scheduler call, rebuilt: the same body, the same error handling."""

    def __init__(self, url, generation, retries=0, token=None):
        self.url = url
        self.generation = generation
        self.retries = retries
        self.token = token  # the fork sends none; only set to provoke a 401
        self.attempts = 0
        self.log = []

    def body(self, ctxt, weighed_hosts, weights, spec_obj):
        spec_data = spec_obj.obj_to_primitive()
        check_type = (spec_obj.get_scheduler_hint('_nova_check_type')
                      if 'scheduler_hints' in spec_obj else None)
        body = {
            'spec': spec_data,
            'rebuild': check_type == 'rebuild',
            'resize': check_type == 'resize',
            'live': check_type == 'live_migrate',
            'vmware': False,
            'hosts': [{'host': h.host, 'hypervisor_hostname': h.hypervisor_hostname}
                      for h in weighed_hosts],
            'weights': weights,
        }
        if self.generation == 'newer':
            cell = spec_data
            for key in ('nova_object.data', 'requested_destination', 'nova_object.data', 'cell',
                        'nova_object.data'):
                cell = cell.get(key) if isinstance(cell, dict) else None
            if cell:
                del cell['database_connection']
                del cell['transport_url']
            context_data = ctxt.to_dict()
            context_data.pop('auth_token', None)
            body['context'] = context_data
        return body

    def schedule(self, ctxt, weighed_hosts, weights, spec_obj, mutate=None):
        """The hosts in the order the fork continues with (its fallback: ``weighed_hosts``)."""
        body = self.body(ctxt, weighed_hosts, weights, spec_obj)
        if mutate:
            mutate(body)
        tries = (self.retries if self.generation == 'newer' else 0) + 1
        headers = {'X-Auth-Token': self.token} if self.token else {}
        for attempt in range(1, tries + 1):
            self.attempts += 1
            try:
                response = requests.post(self.url, json=body, timeout=10, headers=headers)
                response.raise_for_status()
                answer = response.json()
                break
            except requests.RequestException as e:
                self.log.append('Failed to call external scheduler API: %s' % e)
                status = getattr(getattr(e, 'response', None), 'status_code', None)
                if self.generation == 'older' or status == 400:
                    return weighed_hosts
        else:
            return weighed_hosts
        try:
            jsonschema.validate(answer, RESPONSE_SCHEMA)
        except jsonschema.ValidationError as e:
            self.log.append('External scheduler response is invalid: %s' % e)
            return weighed_hosts
        by_name = {h.host: h for h in weighed_hosts}
        return [by_name[h] for h in answer['hosts']]


def nova_answer(spec_obj, host_states):
    """What Nova itself would keep: its host selection and group/zone filters, then Placement's disk."""
    scheduler = types.SimpleNamespace(
        filter_handler=nova_filters.HostFilterHandler(),
        enabled_filters=[affinity_filter.ServerGroupAntiAffinityFilter(),
                         affinity_filter.ServerGroupAffinityFilter(),
                         availability_zone_filter.AvailabilityZoneFilter()])
    passed = list(host_manager.HostManager.get_filtered_hosts(scheduler, host_states, spec_obj))
    disk = scheduler_utils.ResourceRequest.from_request_spec(spec_obj).merged_resources().get(
        'DISK_GB', 0)
    return [h.host for h in passed if h.free_disk_mb / 1024 >= disk]


def host_state(name, disk_gb=1000, zone=None):
    hs = host_manager.HostState(name, name + '.node', 'cell1')
    hs.hypervisor_hostname = hs.nodename  # as HostState.update() sets it from the compute node
    hs.vcpus_total = 16
    hs.total_usable_ram_mb = hs.free_ram_mb = 65536
    hs.total_usable_disk_gb = disk_gb
    hs.free_disk_mb = disk_gb * 1024
    hs.instances = {}
    hs.aggregates = [] if zone is None else [objects.Aggregate(
        id=1, name='agg-' + zone, metadata={'availability_zone': zone})]
    return hs


def request_spec(check_type=None, group=None, **fields):
    flavor = objects.Flavor(vcpus=2, memory_mb=2048, root_gb=20, ephemeral_gb=0, swap=0,
                            extra_specs={})
    for key in ('root_gb', 'ephemeral_gb', 'swap'):
        if key in fields:
            setattr(flavor, key, fields.pop(key))
    hints = {'_nova_check_type': [check_type]} if check_type else {}
    spec = objects.RequestSpec(instance_uuid=SELF, flavor=flavor, num_instances=1,
                               scheduler_hints=hints, project_id='p-1', user_id='u-1',
                               is_bfv=False, ignore_hosts=None, force_hosts=None,
                               force_nodes=None, availability_zone=None, instance_group=group)
    for key, value in fields.items():
        setattr(spec, key, value)
    return spec


def anti_affinity(members, hosts, max_per_host=None):
    rules = {'max_server_per_host': str(max_per_host)} if max_per_host else {}
    # As Nova loads a group from its database: policies mirrors policy (the affinity filter reads it).
    return objects.InstanceGroup(uuid=str(uuid.uuid4()), name='web-tier', policy='anti-affinity',
                                 policies=['anti-affinity'], members=list(members),
                                 hosts=list(hosts), rules=rules)


class _ForkCases(object):
    """Each case of issue 16, for one client generation (set by the subclasses)."""

    GENERATION = None

    def setUp(self):
        super().setUp()
        self.client = ForkClient(BRIDGE.url + '/scheduler/nova/external', self.GENERATION,
                                 retries=2)
        self.context = nova_context.RequestContext(
            user_id='u-1', project_id='p-1', auth_token='secret-token-' + uuid.uuid4().hex,
            request_id='req-' + str(uuid.uuid4()))

    # --- what Placewise knows ---------------------------------------------------------------

    def load(self, host_states, by_node=False, unknown_vms=()):
        """Placewise's cluster mirrors Nova's HostStates (named by service, or by node)."""
        hosts, vms = [], []
        for hs in host_states:
            name = hs.nodename if by_node else hs.host
            zone = hs.aggregates[0].metadata['availability_zone'] if hs.aggregates else 'nova'
            hosts.append({'name': name, 'availability_zone': zone,
                          'capacity': {'vcpus': hs.vcpus_total, 'memory_mb': hs.total_usable_ram_mb,
                                       'disk_gb': hs.total_usable_disk_gb}})
            for instance in hs.instances:
                if instance not in unknown_vms:
                    vms.append({'id': instance, 'host': name, 'vcpus': 2, 'memory_mb': 2048,
                                'disk_gb': 20})
        BRIDGE.admin('PUT', '/v1/cluster', {'hosts': hosts, 'vms': vms})

    def ask(self, spec_obj, host_states, expected):
        """Nova's answer is ``expected``, and the fork continues with exactly that from Placewise."""
        nova = nova_answer(spec_obj, host_states)
        self.assertEqual(expected, nova, "Nova's own rules")
        weights = {h.host: float(len(host_states) - i) for i, h in enumerate(host_states)}
        got = self.client.schedule(self.context, host_states, weights, spec_obj)
        self.assertEqual([], self.client.log)
        self.assertEqual(nova, [h.host for h in got], 'Placewise through the fork')
        return got

    @staticmethod
    def put(host, *instances):
        for i in instances:
            host.instances[i] = objects.Instance(uuid=i)

    # --- the cases ------------------------------------------------------------------------------

    def test_resize_to_the_same_host_in_an_anti_affinity_group(self):
        hosts = [host_state(h) for h in HOSTS]
        self.put(hosts[0], SELF)
        self.put(hosts[1], PEER)
        spec = request_spec('resize', anti_affinity([PEER, SELF], ['cmp-1', 'cmp-2']))
        self.load(hosts)
        self.ask(spec, hosts, ['cmp-1', 'cmp-3'])
        self.ask(spec, hosts[:1], ['cmp-1'])

    def test_resize_when_placewise_does_not_know_the_instance(self):
        hosts = [host_state(h) for h in HOSTS]
        self.put(hosts[0], SELF)
        self.put(hosts[1], PEER)
        self.load(hosts, unknown_vms=[SELF])
        self.ask(request_spec('resize', anti_affinity([PEER, SELF], ['cmp-1', 'cmp-2'])),
                 hosts[:1], ['cmp-1'])

    def test_max_server_per_host(self):
        hosts = [host_state(h) for h in HOSTS]
        self.put(hosts[1], PEER)
        self.load(hosts)
        self.ask(request_spec(None, anti_affinity([PEER, SELF], ['cmp-2'], 2)), hosts,
                 ['cmp-1', 'cmp-2', 'cmp-3'])
        self.put(hosts[1], PEER2)
        self.load(hosts)
        self.ask(request_spec(None, anti_affinity([PEER, PEER2, SELF], ['cmp-2'], 2)), hosts,
                 ['cmp-1', 'cmp-3'])

    def test_volume_backed_disk_and_swap(self):
        hosts = [host_state(h, disk_gb=100) for h in HOSTS]
        self.load(hosts)
        self.ask(request_spec(root_gb=500, is_bfv=True), hosts, list(HOSTS))
        self.ask(request_spec(root_gb=500, is_bfv=False), hosts, [])
        self.ask(request_spec(root_gb=500, is_bfv=True, ephemeral_gb=90, swap=12 * 1024), hosts, [])
        self.ask(request_spec(root_gb=500, is_bfv=True, ephemeral_gb=90, swap=10 * 1024), hosts,
                 list(HOSTS))

    def test_group_hosts_by_service_name_where_placewise_knows_nodes(self):
        hosts = [host_state(h) for h in HOSTS]
        self.put(hosts[1], PEER)
        # Only the group's hosts (service names) tell where PEER is; Placewise knows nodes.
        self.load(hosts, by_node=True, unknown_vms=[PEER])
        # The answer names Nova's hosts (the fork's dict lookup would fail on a node name).
        self.ask(request_spec(None, anti_affinity([PEER, SELF], ['cmp-2'])), hosts,
                 ['cmp-1', 'cmp-3'])

    def test_availability_zone(self):
        hosts = [host_state('cmp-1', zone='az-a'), host_state('cmp-2', zone='az-a'),
                 host_state('cmp-3')]
        self.load(hosts)
        self.ask(request_spec(availability_zone='az-a'), hosts, ['cmp-1', 'cmp-2'])
        self.ask(request_spec(availability_zone=CONF.default_availability_zone), hosts, ['cmp-3'])

    def test_forced_hosts_and_nodes(self):
        hosts = [host_state(h) for h in HOSTS]
        self.put(hosts[1], PEER)
        self.load(hosts)
        group = anti_affinity([PEER, SELF], ['cmp-2'])
        # Forcing skips Nova's filters: the anti-affinity member on cmp-2 does not matter.
        self.ask(request_spec(None, group, force_hosts=['CMP-2']), hosts, ['cmp-2'])
        self.ask(request_spec(None, group, force_nodes=['cmp-3.node']), hosts, ['cmp-3'])

    def test_requested_destination(self):
        hosts = [host_state(h) for h in HOSTS]
        self.load(hosts)
        self.ask(request_spec(requested_destination=objects.Destination(host='cmp-2', node=None)),
                 hosts, ['cmp-2'])
        self.ask(request_spec(requested_destination=objects.Destination(host='cmp-2',
                                                                        node='cmp-2.node')),
                 hosts, ['cmp-2'])
        self.ask(request_spec(requested_destination=objects.Destination(host='cmp-2',
                                                                        node='cmp-3.node')),
                 hosts, [])

    def test_several_instances_per_request(self):
        """Nova's own loop: after each pick it appends the host to the group and stubs the
        instance into the HostState; each call must then answer as Nova's filters do."""
        hosts = [host_state(h) for h in HOSTS]
        self.load(hosts)
        members = [str(uuid.uuid4()) for _ in range(3)]
        spec = request_spec(None, anti_affinity(members, [], 2), num_instances=3)
        expected = [list(HOSTS), list(HOSTS), ['cmp-2', 'cmp-3']]
        for i, member in enumerate(members):
            spec.instance_uuid = member
            chosen = self.ask(spec, hosts, expected[i])[0]
            spec.instance_group.hosts.append(chosen.host)
            self.put(chosen, member)

    def test_evacuation(self):
        hosts = [host_state(h) for h in HOSTS]
        self.put(hosts[0], SELF)
        self.put(hosts[1], PEER)
        self.load(hosts)
        # Nova's conductor ignores the failed host of an evacuation.
        self.ask(request_spec('evacuate', anti_affinity([PEER, SELF], ['cmp-1', 'cmp-2']),
                              ignore_hosts=['cmp-1']), hosts, ['cmp-3'])

    def test_live_migration(self):
        hosts = [host_state(h) for h in HOSTS]
        self.put(hosts[0], SELF)
        self.load(hosts)
        self.ask(request_spec('live_migrate', ignore_hosts=['cmp-1']), hosts, ['cmp-2', 'cmp-3'])

    def test_rebuild(self):
        hosts = [host_state(h) for h in HOSTS]
        self.put(hosts[0], SELF)
        self.put(hosts[1], PEER)
        self.load(hosts)
        # Nova's API asks for the instance's own host; no filter runs on a rebuild.
        self.ask(request_spec('rebuild', anti_affinity([PEER, SELF], ['cmp-1', 'cmp-2']),
                              requested_destination=objects.Destination(host='cmp-1',
                                                                        node='cmp-1.node')),
                 hosts, ['cmp-1'])

    def test_an_unusable_spec_is_a_400_the_fork_logs_and_does_not_retry(self):
        hosts = [host_state(h) for h in HOSTS]
        self.load(hosts)

        def corrupt(body):
            body['spec']['nova_object.data']['flavor']['nova_object.data']['vcpus'] = 'two'

        got = self.client.schedule(self.context, hosts, {}, request_spec(), mutate=corrupt)
        self.assertEqual(hosts, got, "the fork falls back to Nova's order")
        self.assertEqual(1, self.client.attempts)
        self.assertEqual(1, len(self.client.log))
        # The fork logs only the status line: its reason phrase names the field.
        self.assertIn('400 Client Error: Bad Request', self.client.log[0])
        self.assertIn('spec.flavor.vcpus', self.client.log[0])

    def test_the_token_never_reaches_the_bridge_and_no_request_logs_a_null_id(self):
        hosts = [host_state(h) for h in HOSTS]
        self.put(hosts[1], PEER)
        self.load(hosts)
        spec = request_spec(None, anti_affinity([PEER, SELF], ['cmp-2']))
        self.assertNotIn('auth_token', self.client.body(self.context, hosts, {}, spec).get('context', {}))
        self.assertEqual(['cmp-1', 'cmp-3'],
                         [h.host for h in self.client.schedule(self.context, hosts, {}, spec)])
        log = BRIDGE.log_tail(2000)
        # Nova's request id when the client sends a context, else the instance.
        label = self.context.request_id if self.GENERATION == 'newer' else 'instance ' + SELF
        self.assertIn('nova external [%s] dropped cmp-2' % label, log)
        self.assertNotIn('[null]', log)
        self.assertNotIn(self.context.auth_token, log)


class OlderForkClientTest(_ForkCases, unittest.TestCase):
    """No ``context`` (e.g. the fork's stable/2023.2-m3 branch)."""

    GENERATION = 'older'


class NewerForkClientTest(_ForkCases, unittest.TestCase):
    """``context`` without the token, cell credentials stripped, retries."""

    GENERATION = 'newer'

    def test_a_refused_call_is_retried_then_falls_back_and_every_answer_is_counted(self):
        hosts = [host_state(h) for h in HOSTS]
        self.load(hosts)

        def fallbacks():
            status, text = BRIDGE.request('GET', '/metrics', accept='text/plain')
            m = re.search(r'^placewise_nova_external_answers_total\{outcome="fallback",'
                          r'status="401"\} ([0-9.]+)$', text, re.M)
            return float(m.group(1)) if m else 0.0

        before = fallbacks()
        client = ForkClient(BRIDGE.url + '/scheduler/nova/external', 'newer', retries=2,
                            token='not-a-token')
        self.assertEqual(hosts, client.schedule(self.context, hosts, {}, request_spec()))
        self.assertEqual(3, client.attempts)
        self.assertEqual(before + 3, fallbacks())


logging.getLogger('placewise_nova').addHandler(logging.NullHandler())
