"""Map Nova's HostState and RequestSpec to the Placewise v1 request body (API.md).

Only fields that are set are serialised: RequestSpec and its nested objects are oslo versioned
objects, checked with ``obj_attr_is_set``; HostState is a plain object whose unknown numbers are
``None`` or 0 before the first compute-node update, and those are left out too.
"""

import math

from oslo_config import cfg
from oslo_serialization import jsonutils

from nova.scheduler.filters import utils as filter_utils

CONF = cfg.CONF
DATA = 'nova_object.data'

WORKLOAD_KEY = 'placewise:workload'
NONSHARABLE_KEY = 'placewise:nonsharable'
WORKLOADS = ('cpu', 'memory', 'disk_io', 'net_rx', 'web', 'mixed')
# Scheduler hint carrying expected traffic to peers: ["<peer vm>=<mbps>", ...].
TRAFFIC_HINT = 'placewise_traffic'
REBUILD_HINT = '_nova_check_type'


def _is_set(obj, name):
    """True when the versioned object ``obj`` has field ``name`` set (and it is not None)."""
    if obj is None:
        return False
    checker = getattr(obj, 'obj_attr_is_set', None)
    if checker is not None:
        try:
            if not checker(name):
                return False
        except AttributeError:
            # Not a field of this object version.
            return False
    return getattr(obj, name, None) is not None


def _get(obj, name, default=None):
    return getattr(obj, name) if _is_set(obj, name) else default


def host_name(host_state, attribute='host'):
    name = getattr(host_state, attribute, None)
    if not name:
        name = host_state.host if attribute != 'host' else host_state.nodename
    return name


def _number(value):
    if value is None or isinstance(value, bool):
        return None
    try:
        value = float(value)
    except (TypeError, ValueError):
        return None
    return value if math.isfinite(value) else None


def host_capacity(host_state, apply_ratios=False):
    """The host's capacity from Nova: vcpus_total, total_usable_ram_mb, total_usable_disk_gb.

    Placewise's capacity is physical: its CapacityFilter applies its own allocation ratios
    ([CapacityFilter] in placewise.conf), so by default the physical totals are sent. With
    ``apply_ratios`` they are multiplied by Nova's cpu/ram/disk allocation ratios first (for
    bridges whose CapacityFilter ratios are 1.0). vcpus and memory_mb are both required by the
    bridge, so no capacity is sent unless both are known.
    """
    capacity = {}
    for key, total_attr, ratio_attr in (
            ('vcpus', 'vcpus_total', 'cpu_allocation_ratio'),
            ('memory_mb', 'total_usable_ram_mb', 'ram_allocation_ratio'),
            ('disk_gb', 'total_usable_disk_gb', 'disk_allocation_ratio')):
        total = _number(getattr(host_state, total_attr, None))
        if not total or total <= 0:
            continue
        ratio = _number(getattr(host_state, ratio_attr, None)) if apply_ratios else None
        if ratio is None or ratio <= 0:
            ratio = 1.0
        capacity[key] = int(math.floor(total * ratio))
    if 'vcpus' not in capacity or 'memory_mb' not in capacity:
        return {}
    return capacity


def host_cpu_util(host_state):
    """Measured CPU utilisation in [0, 1] from Nova's compute monitor metric ``cpu.percent``.

    Nova's free_ram_mb/vcpus_used are allocations, not utilisation, so they are not sent as
    utilisation; Placewise derives utilisation from its profilers and VMs.
    """
    metrics = getattr(host_state, 'metrics', None)
    if not metrics:
        return None
    for metric in metrics:
        if getattr(metric, 'name', None) == 'cpu.percent':
            value = _number(getattr(metric, 'value', None))
            if value is None:
                return None
            return min(max(value / 100.0, 0.0), 1.0)
    return None


def host_to_api(host_state, attribute='host', with_state=True, apply_ratios=False):
    """One entry of the request's ``hosts`` list: a name, or an object overriding the bridge's
    view of the host."""
    name = host_name(host_state, attribute)
    if not with_state:
        return name
    entry = {'name': name}
    capacity = host_capacity(host_state, apply_ratios)
    if capacity:
        entry['capacity'] = capacity
    cpu_util = host_cpu_util(host_state)
    if cpu_util is not None:
        entry['cpu_util'] = cpu_util
    return entry


def _split_list(value):
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        items = value
    else:
        items = str(value).split(',')
    return [str(item).strip() for item in items if str(item).strip()]


def _flavor_to_api(flavor, volume_backed=False):
    out = {}
    for field in ('vcpus', 'memory_mb'):
        value = _get(flavor, field)
        if value is not None:
            out[field] = value
    root = _get(flavor, 'root_gb')
    ephemeral = _get(flavor, 'ephemeral_gb')
    swap = _get(flavor, 'swap')
    if root is not None or ephemeral is not None or swap:
        # Nova's own accounting (resources_from_request_spec): ephemeral + swap in whole GB, and the
        # root disk unless the instance boots from a volume.
        out['disk_gb'] = ((ephemeral or 0) + -(-(swap or 0) // 1024)
                          + (0 if volume_backed else (root or 0)))
    extra_specs = _get(flavor, 'extra_specs')
    if extra_specs is not None:
        out['extra_specs'] = {str(k): str(v) for k, v in dict(extra_specs).items()}
    return out


def _group_to_api(group, instance_uuid):
    out = {}
    name = _get(group, 'name')
    if name:
        out['name'] = name
    policy = _get(group, 'policy')
    if not policy:
        # Pre-1.11 objects carry a one-element 'policies' list instead.
        policies = _get(group, 'policies')
        policy = policies[0] if policies else None
    if not policy:
        return None
    out['policy'] = policy
    members = _get(group, 'members')
    if members is not None:
        # Nova adds the instance being scheduled to its group before scheduling; Placewise wants
        # the members already placed.
        out['members'] = [m for m in members if m != instance_uuid]
    return out


def _traffic_from_hints(hints):
    traffic = []
    for item in hints.get(TRAFFIC_HINT) or []:
        peer, sep, mbps = str(item).partition('=')
        if not sep:
            peer, sep, mbps = str(item).partition(':')
        peer = peer.strip()
        rate = _number(mbps.strip()) if sep else None
        if peer and rate is not None and rate >= 0:
            traffic.append({'peer': peer, 'mbps': rate})
    return traffic


def scheduler_hints(spec_obj):
    hints = _get(spec_obj, 'scheduler_hints')
    if not hints:
        return {}
    return {str(k): [str(v) for v in (vs if isinstance(vs, (list, tuple)) else [vs])]
            for k, vs in dict(hints).items()}


def is_rebuild(spec_obj):
    return scheduler_hints(spec_obj).get(REBUILD_HINT) == ['rebuild']


def spec_to_api(spec_obj):
    """The request's ``spec`` object."""
    spec = {}
    instance_uuid = _get(spec_obj, 'instance_uuid')
    if instance_uuid:
        spec['instance_uuid'] = instance_uuid

    flavor = _get(spec_obj, 'flavor')
    extra_specs = {}
    if flavor is not None:
        spec['flavor'] = _flavor_to_api(flavor, bool(_get(spec_obj, 'is_bfv', False)))
        extra_specs = spec['flavor'].get('extra_specs', {})

    workload = extra_specs.get(WORKLOAD_KEY)
    if workload:
        spec['workload'] = workload.strip()
    nonsharable = _split_list(extra_specs.get(NONSHARABLE_KEY))
    if nonsharable:
        spec['nonsharable'] = nonsharable

    group = _get(spec_obj, 'instance_group')
    if group is not None:
        group_out = _group_to_api(group, instance_uuid)
        if group_out:
            spec['group'] = group_out

    hints = scheduler_hints(spec_obj)
    traffic = _traffic_from_hints(hints)
    if traffic:
        spec['traffic'] = traffic
    if hints:
        # Passed through (the bridge keeps them as the spec's hints, e.g. _nova_check_type).
        spec['scheduler_hints'] = hints
    return spec


def request_spec_primitive(spec_obj):
    """``RequestSpec.obj_to_primitive()`` as JSON, without the cell's credentials (as SAP's fork
    strips them before its external-scheduler call): the bridge applies Nova's rules to it."""
    primitive = jsonutils.to_primitive(spec_obj.obj_to_primitive(), convert_instances=True)
    cell = primitive
    for key in (DATA, 'requested_destination', DATA, 'cell', DATA):
        cell = cell.get(key) if isinstance(cell, dict) else None
    if isinstance(cell, dict):
        cell.pop('database_connection', None)
        cell.pop('transport_url', None)
    return primitive


def host_availability_zone(host_state):
    """The host's zone as Nova's AvailabilityZoneFilter sees it: its aggregates' availability_zone,
    else the default zone; None when aggregates name several (the bridge then does not judge it)."""
    if getattr(host_state, 'aggregates', None) is None:
        return None
    zones = filter_utils.aggregate_metadata_get_by_host(
        host_state, key='availability_zone').get('availability_zone')
    if not zones:
        try:
            return CONF.default_availability_zone
        except cfg.NoSuchOptError:
            return None
    return next(iter(zones)) if len(zones) == 1 else None


def nova_host_view(host_state, spec_obj):
    """Nova's view of one candidate: both its names, which of the group's members (and the instance
    itself) its HostState holds -- what Nova's server-group filters count -- and its zone."""
    out = {'host': host_state.host, 'hypervisor_hostname': host_state.nodename}
    wanted = set()
    instance_uuid = _get(spec_obj, 'instance_uuid')
    if instance_uuid:
        wanted.add(instance_uuid)
    group = _get(spec_obj, 'instance_group')
    if group is not None:
        wanted.update(_get(group, 'members') or [])
    instances = getattr(host_state, 'instances', None) or {}
    out['instances'] = sorted(u for u in instances if u in wanted)
    zone = host_availability_zone(host_state)
    if zone:
        out['availability_zone'] = zone
    return out


def build_request(host_states, spec_obj, attribute='host', with_state=True,
                  apply_ratios=False, with_nova=True):
    """The whole body of POST /v1/filter and /v1/weigh."""
    host_states = list(host_states)
    body = {
        'spec': spec_to_api(spec_obj),
        'hosts': [host_to_api(h, attribute, with_state, apply_ratios) for h in host_states],
    }
    num_instances = _get(spec_obj, 'num_instances')
    if num_instances:
        body['num_instances'] = num_instances
    if with_nova and _get(spec_obj, 'flavor') is not None:
        body['nova'] = {
            'request_spec': request_spec_primitive(spec_obj),
            'hosts': [nova_host_view(h, spec_obj) for h in host_states],
        }
    return body
