"""oslo.config options of the Placewise Nova shim, section ``[placewise]``.

They are registered on the global ``oslo_config.cfg.CONF`` (the object nova-scheduler uses as
``nova.conf.CONF``) when :mod:`placewise_nova` is imported, so they are read from the same
nova.conf as every other scheduler option.
"""

from oslo_config import cfg

GROUP_NAME = 'placewise'

placewise_group = cfg.OptGroup(
    GROUP_NAME,
    title='Placewise scheduler shim',
    help='Options of the PlacewiseFilter and PlacewiseWeigher, which ask the Placewise bridge '
         '(POST /v1/filter, POST /v1/weigh) once per scheduling pass.')

placewise_opts = [
    cfg.URIOpt(
        'bridge_url',
        default='http://127.0.0.1:8790',
        schemes=['http', 'https'],
        help='Base URL of the Placewise bridge; /v1/filter and /v1/weigh are appended.'),
    cfg.StrOpt(
        'token',
        secret=True,
        help='Token sent in X-Auth-Token. The bridge must give it the "service" role '
             '([auth] service_tokens in placewise.conf). Never logged.'),
    cfg.FloatOpt(
        'timeout',
        default=2.0,
        min=0.1,
        help='Seconds to wait for the bridge (connect and read) before treating it as '
             'unreachable.'),
    cfg.BoolOpt(
        'fail_open',
        default=True,
        help='What the PlacewiseFilter does when the bridge is unreachable or answers with an '
             'error: True passes every host (Nova\'s own filters still apply) and logs a '
             'warning; False rejects every host, so scheduling fails with NoValidHost. The '
             'PlacewiseWeigher always weighs every host 0 in that case (it cannot reject).'),
    cfg.FloatOpt(
        'weight_multiplier',
        default=1.0,
        help='Multiplier of the PlacewiseWeigher. Nova normalises the weigher\'s weights to '
             '[0, 1] and multiplies them by this. Host aggregates may override it with the '
             'metadata key "placewise_weight_multiplier".'),
    cfg.StrOpt(
        'host_attribute',
        default='host',
        choices=[('host', 'the compute service host name (HostState.host)'),
                 ('nodename', 'the hypervisor node name (HostState.nodename)')],
        help='Which HostState attribute names a host towards Placewise. It must match the '
             'host names the bridge knows from PUT /v1/cluster or the profilers.'),
    cfg.BoolOpt(
        'send_host_state',
        default=True,
        help='Send each host as an object carrying Nova\'s view of its physical capacity '
             '(vcpus_total, total_usable_ram_mb, total_usable_disk_gb) and measured CPU '
             'utilisation (compute monitor metric cpu.percent when collected), which override '
             'what the bridge knows and let it consider hosts it has not heard of yet. False '
             'sends host names only; the bridge then answers 422 for hosts it does not know.'),
    cfg.BoolOpt(
        'send_request_spec',
        default=True,
        help='Also send Nova\'s own view of the pass: the RequestSpec primitive (without the '
             'cell\'s credentials) and, per host, its service and node names, the server '
             'group\'s members its HostState holds and its availability zone. The bridge then '
             'applies Nova\'s scheduling rules (the instance\'s own host in anti-affinity, '
             'max_server_per_host, volume-backed disks, zones, forced hosts). False sends only '
             'the plain hook body, for bridges older than that.'),
    cfg.BoolOpt(
        'apply_allocation_ratios',
        default=False,
        help='Multiply the capacity sent by Nova\'s cpu/ram/disk allocation ratios. Leave '
             'False when the bridge\'s [CapacityFilter] applies its own ratios (the default), '
             'else the ratios count twice.'),
]


def register_opts(conf=None):
    conf = cfg.CONF if conf is None else conf
    conf.register_group(placewise_group)
    conf.register_opts(placewise_opts, group=placewise_group)


def list_opts():
    """Entry point for oslo-config-generator."""
    return {placewise_group: placewise_opts}
