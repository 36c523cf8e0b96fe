"""PlacewiseWeigher: one POST /v1/weigh per weighing pass."""

from oslo_config import cfg
from oslo_log import log as logging

from nova.scheduler import utils as scheduler_utils
from nova.scheduler import weights

from placewise_nova import client as pw_client
from placewise_nova import mapping

LOG = logging.getLogger(__name__)
CONF = cfg.CONF


class PlacewiseWeigher(weights.BaseHostWeigher):
    """Weighs hosts by Placewise's combined weight.

    The value returned per host is the bridge's ``weighed[].weight``: Placewise's own weighers'
    scores, already normalised and multiplied by their Placewise multipliers and summed. The
    per-weigher ``by`` scores are not summed here: each is on its own scale, and Nova normalises
    once per weigher *class* -- this whole class is one Nova weigher. Nova then normalises these
    weights to [0, 1] (min/max over the hosts) and multiplies them by
    ``[placewise] weight_multiplier`` (or the aggregate metadata key
    ``placewise_weight_multiplier``).

    When the bridge cannot be used every host weighs 0, so the other weighers decide.
    """

    minval = None
    maxval = None

    def weight_multiplier(self, host_state):
        return scheduler_utils.get_weight_multiplier(
            host_state, 'placewise_weight_multiplier', CONF.placewise.weight_multiplier)

    def _client(self):
        return pw_client.BridgeClient.from_conf(CONF)

    def _weigh_object(self, host_state, weight_properties):
        """Per-host form (one call per host); Nova calls weigh_objects instead."""
        return self._weigh_hosts([host_state], weight_properties)[0]

    def weigh_objects(self, weighed_obj_list, weight_properties):
        return self._weigh_hosts([w.obj for w in weighed_obj_list], weight_properties)

    def _weigh_hosts(self, hosts, spec_obj):
        if not hosts:
            return []
        conf = CONF.placewise
        attribute = conf.host_attribute
        body = mapping.build_request(hosts, spec_obj, attribute, conf.send_host_state,
                                      conf.apply_allocation_ratios, conf.send_request_spec)
        try:
            answer = self._client().weigh(body)
            weighed = answer.get('weighed')
            if not isinstance(weighed, list):
                raise pw_client.PlacewiseError('POST /v1/weigh answer has no "weighed" list')
        except pw_client.PlacewiseError as e:
            LOG.warning('Placewise bridge unusable for instance %(inst)s, weighing all '
                        '%(n)d host(s) 0: %(err)s',
                        {'inst': body['spec'].get('instance_uuid'), 'n': len(hosts),
                         'err': e})
            return [0.0] * len(hosts)
        by_host = {}
        for entry in weighed:
            if not isinstance(entry, dict):
                continue
            weight = mapping._number(entry.get('weight'))
            if entry.get('host') is not None and weight is not None:
                by_host[str(entry['host'])] = weight
        # A host the bridge left out (unknown to it) gets the lowest weight it gave, so it is
        # neither favoured nor singled out.
        floor = min(by_host.values()) if by_host else 0.0
        return [by_host.get(mapping.host_name(h, attribute), floor) for h in hosts]
