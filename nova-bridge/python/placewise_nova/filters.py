"""PlacewiseFilter: one POST /v1/filter per filtering pass."""

from oslo_config import cfg
from oslo_log import log as logging

from nova.scheduler import filters

from placewise_nova import client as pw_client
from placewise_nova import mapping

LOG = logging.getLogger(__name__)
CONF = cfg.CONF


class PlacewiseFilter(filters.BaseHostFilter):
    """Asks Placewise which of the surviving hosts may take the instance.

    Placewise runs its enabled filters (capacity, affinity, non-sharable resources, ...) on the
    hosts Nova's earlier filters left, in one HTTP call. Hosts the bridge does not list in
    ``passed`` are dropped. On a rebuild every host passes, like every Nova filter with
    ``RUN_ON_REBUILD = False``.
    """

    RUN_ON_REBUILD = False

    def _client(self):
        return pw_client.BridgeClient.from_conf(CONF)

    def filter_all(self, filter_obj_list, spec_obj):
        hosts = list(filter_obj_list)
        if not hosts:
            return hosts
        if not self.RUN_ON_REBUILD and mapping.is_rebuild(spec_obj):
            return hosts
        conf = CONF.placewise
        attribute = conf.host_attribute
        body = mapping.build_request(hosts, spec_obj, attribute, conf.send_host_state,
                                      conf.apply_allocation_ratios, conf.send_request_spec)
        instance = body['spec'].get('instance_uuid')
        try:
            answer = self._client().filter(body)
            passed = answer.get('passed')
            if not isinstance(passed, list):
                raise pw_client.PlacewiseError(
                    'POST /v1/filter answer has no "passed" list')
        except pw_client.PlacewiseError as e:
            if conf.fail_open:
                LOG.warning('Placewise bridge unusable for instance %(inst)s, passing all '
                            '%(n)d host(s) (fail_open=True): %(err)s',
                            {'inst': instance, 'n': len(hosts), 'err': e})
                return hosts
            LOG.warning('Placewise bridge unusable for instance %(inst)s, rejecting all '
                        '%(n)d host(s) (fail_open=False): %(err)s',
                        {'inst': instance, 'n': len(hosts), 'err': e})
            return []
        passed = {str(name) for name in passed}
        for rejection in answer.get('rejected') or []:
            if isinstance(rejection, dict):
                LOG.info('Placewise rejected host %(host)s for instance %(inst)s: '
                         '%(filter)s: %(reason)s',
                         {'host': rejection.get('host'), 'inst': instance,
                          'filter': rejection.get('filter'),
                          'reason': rejection.get('reason')})
        return [h for h in hosts if mapping.host_name(h, attribute) in passed]

    def host_passes(self, host_state, spec_obj):
        """Per-host form, for callers that do not use filter_all (one call per host)."""
        return bool(self.filter_all([host_state], spec_obj))
