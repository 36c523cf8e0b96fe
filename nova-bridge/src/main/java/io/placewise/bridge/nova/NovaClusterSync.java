package io.placewise.bridge.nova;

import io.placewise.bridge.api.ClusterDtos.CapacityDto;
import io.placewise.bridge.api.ClusterDtos.ClusterDto;
import io.placewise.bridge.api.ClusterDtos.HostDto;
import io.placewise.bridge.api.ClusterDtos.VmDto;
import io.placewise.bridge.api.ClusterMapper;
import io.placewise.bridge.api.SchedulingMapper;
import io.placewise.bridge.nova.NovaResources.Hypervisor;
import io.placewise.bridge.nova.NovaResources.Server;
import io.placewise.model.ClusterSnapshot;
import io.placewise.model.WorkloadClass;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the bridge's cluster snapshot from Nova: one host per hypervisor, named by its compute
 * service host (as Nova's scheduler names it), physical vCPU / RAM / disk, enabled when Nova
 * would schedule to it; one VM per server on it, sized by its embedded flavor (disk = root +
 * ephemeral), with {@code placewise:workload} / {@code placewise:nonsharable} from the flavor's
 * extra specs. Utilisation is not Nova's to tell: the profilers report it; until they do it is
 * derived from the VMs (0). NIC capacity is unknown to Nova (0: the NIC check passes).
 */
public final class NovaClusterSync {
    private static final Logger LOG = LoggerFactory.getLogger(NovaClusterSync.class);
    private final NovaClient nova;

    public NovaClusterSync(NovaClient nova) {
        this.nova = nova;
    }

    public ClusterSnapshot snapshot() {
        return ClusterMapper.toSnapshot(cluster());
    }

    /** The same as {@link #snapshot()} in the {@code PUT /v1/cluster} shape. */
    public ClusterDto cluster() {
        Map<String, HostDto> hosts = new LinkedHashMap<>();
        for (Hypervisor h : nova.hypervisors()) {
            String name = h.host() != null ? h.host() : h.hypervisorHostname();
            if (name == null || hosts.containsKey(name)) {
                // Several nodes per service host (ironic, vmware clusters) are not modelled.
                LOG.warn("hypervisor {} ({}) skipped: no host name or a second node of host {}", h.id(), h.hypervisorHostname(), name);
                continue;
            }
            hosts.put(name, new HostDto(name, new CapacityDto(h.vcpus(), h.memoryMb(), h.localGb(), 0.0),
                    null, null, null, null, h.usable()));
        }
        List<VmDto> vms = new ArrayList<>();
        for (String host : hosts.keySet()) {
            for (Server s : nova.serversOnHost(host)) {
                if (s.host() != null && !s.host().equals(host)) {
                    continue;
                }
                vms.add(vm(s, host));
            }
        }
        LOG.info("Nova sync: {} hosts, {} servers", hosts.size(), vms.size());
        return new ClusterDto(new ArrayList<>(hosts.values()), vms, List.of());
    }

    private static VmDto vm(Server s, String host) {
        String workload = s.extraSpecs().get(SchedulingMapper.WORKLOAD_SPEC);
        if (workload != null && WorkloadClass.fromWire(workload).isEmpty()) {
            LOG.warn("server {}: flavor extra spec {}={} names no workload class; using mixed", s.id(),
                    SchedulingMapper.WORKLOAD_SPEC, workload);
            workload = null;
        }
        String ns = s.extraSpecs().get(SchedulingMapper.NONSHARABLE_SPEC);
        List<String> nonsharable = ns == null ? List.of()
                : Arrays.stream(ns.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList();
        return new VmDto(s.id(), host, s.vcpus(), s.ramMb(), s.diskGb(), null, null, null, null,
                workload == null ? null : workload.trim(), nonsharable, null);
    }
}
