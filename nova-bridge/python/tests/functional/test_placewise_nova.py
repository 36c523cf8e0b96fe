"""Placewise inside Nova's own functional harness, against the REAL Placewise bridge.

The path exercised in one process: REST ``POST /servers`` -> nova-api -> conductor -> the real
nova-scheduler (filters loaded from nova.conf) -> in-process Placement -> PlacewiseFilter ->
HTTP ``POST /v1/filter`` to the Placewise bridge jar on 127.0.0.1 -> fake-driver computes.

Needs Debian's python3-nova, python3-oslotest, python3-wsgi-intercept, python3-placement, the
api-paste.ini of the nova-common .deb (env NOVA_API_PASTE_INI) and the bridge jar (env
PLACEWISE_BRIDGE_JAR, default nova-bridge/target/placewise-bridge.jar). run-nova-tests.sh
prepares all of it.
"""

# Nova's test base monkey-patches eventlet on import: import it before anything else.
from nova.tests import fixtures as nova_fixtures  # noqa: I100
from nova.tests.functional import integrated_helpers

import os
import re
import sys

import placewise_nova  # noqa: F401  (registers [placewise] options)

from tests.functional import bridge_process

NONSHARABLE_FILTER = 'SameNonsharableResourceFilter'
PLACEWISE_FILTER = 'placewise_nova.filters.PlacewiseFilter'
PLACEWISE_WEIGHER = 'placewise_nova.weighers.PlacewiseWeigher'
HOST_NAME_WEIGHER = 'nova.tests.fixtures.nova.HostNameWeigher'

# MediumFakeDriver: every fake compute has 10 vCPU, 8192 MB RAM, 1028 GB disk.
FAKE_DRIVER_TOTALS = {'vcpus': 10, 'memory_mb': 8192, 'disk_gb': 1028}


def api_paste_ini():
    candidates = [os.environ.get('NOVA_API_PASTE_INI'),
                  '/etc/nova/api-paste.ini',
                  '/usr/share/nova-common/api-paste.ini']
    for path in candidates:
        if path and os.path.isfile(path):
            return path
    raise RuntimeError(
        'api-paste.ini of nova-common not found; run "apt-get download nova-common && '
        'dpkg -x nova-common_*.deb DIR" and set NOVA_API_PASTE_INI='
        'DIR/usr/share/nova-common/api-paste.ini (run-nova-tests.sh does this)')


class PlacewiseNovaFunctionalTest(integrated_helpers.ProviderUsageBaseTestCase):
    """Two fake computes; Nova prefers host1 (HostNameWeigher), Placewise decides."""

    compute_driver = 'fake.MediumFakeDriver'
    bridge = None

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.bridge = bridge_process.Bridge().start()
        try:
            policies = cls.bridge.admin('GET', '/v1/policies')
        except Exception:
            # tearDownClass does not run when setUpClass fails: do not leak the bridge.
            cls.bridge.stop()
            raise
        cls.policies = {p['name']: p for p in policies}
        nonsharable = cls.policies.get(NONSHARABLE_FILTER)
        # Prefer the disk_io scenario; fall back to capacity while the non-sharable resource
        # filter is not in the bridge (or disabled).
        cls.scenario = 'disk_io' if nonsharable and nonsharable.get('enabled') else 'capacity'
        sys.stderr.write('placewise scenario: %s (%s %s in the bridge)\n' % (
            cls.scenario, NONSHARABLE_FILTER,
            'enabled' if cls.scenario == 'disk_io' else 'not available/enabled'))

    @classmethod
    def tearDownClass(cls):
        if cls.bridge is not None:
            cls.bridge.stop()
        super().tearDownClass()

    def setUp(self):
        # All of this must be in place before the parent starts the scheduler service.
        self.flags(api_paste_config=api_paste_ini(), group='wsgi')
        # Nova prefers host1 over host2, so landing on host2 is Placewise's doing.
        self.useFixture(nova_fixtures.HostNameWeigherFixture())
        # ... and Placewise weighs too, strongly enough to overrule it when it has an opinion
        # (HostNameWeigher normalises to 1.0 for host1, 0.0 for host2).
        self.flags(weight_classes=[HOST_NAME_WEIGHER, PLACEWISE_WEIGHER],
                   group='filter_scheduler')
        self.flags(available_filters=['nova.scheduler.filters.all_filters',
                                      PLACEWISE_FILTER],
                   group='filter_scheduler')
        self.flags(enabled_filters=['ComputeFilter', 'ComputeCapabilitiesFilter',
                                    'ImagePropertiesFilter',
                                    'ServerGroupAntiAffinityFilter',
                                    'ServerGroupAffinityFilter',
                                    'PlacewiseFilter'],
                   group='filter_scheduler')
        self.flags(bridge_url=self.bridge.url, token=bridge_process.SERVICE_TOKEN,
                   timeout=10.0, fail_open=False, weight_multiplier=10.0, group='placewise')
        super().setUp()
        self._start_compute('host1')
        self._start_compute('host2')
        self.flavor_io = self._create_flavor(
            name='io.small', memory_mb=2048, vcpu=1, disk=10, ephemeral=0,
            extra_spec={'placewise:workload': 'disk_io'})
        self.flavor_plain = self._create_flavor(
            name='plain.small', memory_mb=512, vcpu=1, disk=10, ephemeral=0)
        self.addCleanup(self._dump_bridge_log_on_failure)

    def _dump_bridge_log_on_failure(self):
        # Attach the bridge's recent log to the test's details (shown on failure only).
        try:
            from testtools import content
            self.addDetail('placewise-bridge-log', content.text_content(
                self.bridge.log_tail(60)))
        except Exception:  # noqa: B902 - diagnostics only
            pass

    # --- cluster state loaded into the bridge ----------------------------------------------

    def _hook_calls(self, hook):
        """How often the bridge answered a scheduling hook (its Prometheus /metrics)."""
        status, text = self.bridge.request('GET', '/metrics', accept='text/plain')
        self.assertEqual(200, status)
        m = re.search(r'^placewise_decision_seconds_count\{hook="%s"\} ([0-9.eE+]+)$' % hook,
                      text if isinstance(text, str) else '', re.M)
        return int(float(m.group(1))) if m else 0

    def _vm(self, vm_id, host, workload, memory_mb=512, cpu_util=0.05):
        return {'id': vm_id, 'host': host, 'vcpus': 1, 'memory_mb': memory_mb,
                'disk_gb': 10, 'cpu_util': cpu_util, 'mem_util': 0.05,
                'workload': workload, 'nonsharable': []}

    def _host_capacity(self):
        """What the shim reports for a fake compute: its physical totals (the bridge's
        CapacityFilter applies its own allocation ratios)."""
        return dict(FAKE_DRIVER_TOTALS, nic_mbps=1000)

    def _load_cluster(self, busy_hosts, extra_vms=()):
        """host1/host2 in the bridge; every host in ``busy_hosts`` can't take the new VM.

        disk_io scenario: a busy host already runs a disk_io VM, so the non-sharable resource
        filter (disk_io => disk) rejects another disk_io VM there.
        capacity scenario: a busy host's RAM is fully used, so the capacity filter rejects it.
        """
        capacity = self._host_capacity()
        vms = list(extra_vms)
        for host in busy_hosts:
            if self.scenario == 'disk_io':
                vms.append(self._vm('io-on-' + host, host, 'disk_io'))
            else:
                vms.append(self._vm('full-on-' + host, host, 'mixed',
                                    memory_mb=capacity['memory_mb']))
        hosts = [{'name': name, 'capacity': dict(capacity), 'enabled': True}
                 for name in ('host1', 'host2')]
        self.bridge.admin('PUT', '/v1/cluster', {'hosts': hosts, 'vms': vms, 'traffic': []})
        live = self.bridge.admin('GET', '/v1/cluster')
        self.assertEqual(sorted(v['id'] for v in vms),
                         sorted(v['id'] for v in live.get('vms', [])))

    def _boot(self, flavor_id, expected_state):
        return self._create_server(flavor_id=flavor_id, networks='none',
                                   expected_state=expected_state)

    # --- tests ------------------------------------------------------------------------------

    def test_control_nova_prefers_host1(self):
        """Without a Placewise objection or preference Nova's order stands: host1."""
        self._load_cluster(busy_hosts=[])
        filter_calls = self._hook_calls('filter')
        server = self._boot(self.flavor_io, 'ACTIVE')
        self.assertEqual('host1', server['OS-EXT-SRV-ATTR:host'])
        self.assertGreater(self._hook_calls('filter'), filter_calls)

    def test_placewise_rejects_host1_server_lands_on_host2(self):
        """disk_io scenario: host1 already runs a disk_io VM, so Placewise rejects it for a
        disk_io server (capacity scenario: host1 is full). The server lands on host2."""
        self._load_cluster(busy_hosts=['host1'])
        filter_calls = self._hook_calls('filter')
        server = self._boot(self.flavor_io, 'ACTIVE')
        self.assertEqual('host2', server['OS-EXT-SRV-ATTR:host'],
                         'scenario %s' % self.scenario)
        self.assertGreater(self._hook_calls('filter'), filter_calls)
        # And it is the scenario's Placewise filter that rules host1 out.
        status, answer = self.bridge.request('POST', '/v1/filter', {
            'spec': {'flavor': {'vcpus': 1, 'memory_mb': 2048, 'disk_gb': 10,
                                'extra_specs': {'placewise:workload': 'disk_io'}}},
            'hosts': ['host1', 'host2']}, token=bridge_process.SERVICE_TOKEN)
        self.assertEqual(200, status, answer)
        self.assertEqual(['host2'], answer['passed'])
        self.assertEqual(['host1'], [r['host'] for r in answer['rejected']], answer)
        rejection = answer['rejected'][0]
        if self.scenario == 'disk_io':
            # The first Placewise filter to object wins: the non-sharable resource filter
            # (disk_io => disk) or, when the bridge has workload affinity, AffinityFilter
            # (disk_io next to disk_io is below its floor). Either way: the disk_io neighbour.
            self.assertIn(rejection['filter'], (NONSHARABLE_FILTER, 'AffinityFilter'))
            self.assertIn('disk', rejection['reason'])
        else:
            self.assertEqual('CapacityFilter', rejection['filter'])

    def test_no_valid_host_when_placewise_rejects_all(self):
        """Both hosts are ruled out by Placewise: Nova reports No valid host."""
        self._load_cluster(busy_hosts=['host1', 'host2'])
        filter_calls = self._hook_calls('filter')
        server = self._boot(self.flavor_io, 'ERROR')
        self.assertIn('No valid host', server['fault']['message'])
        self.assertIsNone(server.get('OS-EXT-SRV-ATTR:host'))
        self.assertGreater(self._hook_calls('filter'), filter_calls)

    def test_weigher_prefers_less_loaded_host(self):
        """Both hosts pass; host1 is busy (80 % CPU) in Placewise's view, so
        PlacewiseWeigher (x10) overrules Nova's preference for host1."""
        self._load_cluster(busy_hosts=[], extra_vms=[
            self._vm('busy-on-host1', 'host1', 'cpu', cpu_util=0.8)])
        weigh_calls = self._hook_calls('weigh')
        server = self._boot(self.flavor_plain, 'ACTIVE')
        self.assertEqual('host2', server['OS-EXT-SRV-ATTR:host'])
        self.assertGreater(self._hook_calls('weigh'), weigh_calls)

    def test_max_server_per_host_as_novas_own_filter_allows_it(self):
        """An anti-affinity group with max_server_per_host 2: Nova's own filter lets the second
        member join the first on host1 (its preferred host), and so must Placewise, which knows
        the first member is there. Without the group's rules Placewise would count one member
        as the limit and push the server to host2."""
        self.flags(weight_multiplier=0.0, group='placewise')
        self.api.microversion = '2.64'
        group = self.api.post_server_groups({'name': 'pair', 'policy': 'anti-affinity',
                                             'rules': {'max_server_per_host': 2}})
        self._load_cluster(busy_hosts=[])
        first = self._boot_in_group(self.flavor_plain, group['id'])
        self.assertEqual('host1', first['OS-EXT-SRV-ATTR:host'])
        # Placewise learns where the first member runs (as its Nova sync would).
        self._load_cluster(busy_hosts=[], extra_vms=[
            dict(self._vm(first['id'], 'host1', 'mixed', cpu_util=0.0), group='pair')])
        filter_calls = self._hook_calls('filter')
        second = self._boot_in_group(self.flavor_plain, group['id'])
        self.assertEqual('host1', second['OS-EXT-SRV-ATTR:host'])
        self.assertGreater(self._hook_calls('filter'), filter_calls)
        # A third member would exceed the limit on host1: Nova and Placewise send it to host2.
        self._load_cluster(busy_hosts=[], extra_vms=[
            dict(self._vm(s['id'], 'host1', 'mixed', cpu_util=0.0), group='pair')
            for s in (first, second)])
        third = self._boot_in_group(self.flavor_plain, group['id'])
        self.assertEqual('host2', third['OS-EXT-SRV-ATTR:host'])

    def _boot_in_group(self, flavor_id, group_id):
        request = self._build_server(flavor_id=flavor_id, networks='none')
        server = self.api.post_server({'server': request,
                                       'os:scheduler_hints': {'group': group_id}})
        return self._wait_for_state_change(server, 'ACTIVE')

    def test_bridge_unreachable_fail_open_then_closed(self):
        """[placewise] is read per call: with the bridge unreachable, fail_open=True leaves
        Nova's decision (host1), fail_open=False makes it No valid host."""
        self.flags(bridge_url='http://127.0.0.1:%d' % bridge_process.free_port(),
                   timeout=1.0, fail_open=True, group='placewise')
        server = self._boot(self.flavor_io, 'ACTIVE')
        self.assertEqual('host1', server['OS-EXT-SRV-ATTR:host'])
        self.flags(fail_open=False, group='placewise')
        server = self._boot(self.flavor_io, 'ERROR')
        self.assertIn('No valid host', server['fault']['message'])
