package io.placewise.bridge.nova;

import io.placewise.bridge.api.ClusterDtos.CapacityDto;
import io.placewise.bridge.api.ClusterDtos.ClusterDto;
import io.placewise.bridge.api.ClusterDtos.HostDto;
import io.placewise.bridge.api.ClusterDtos.VmDto;
import io.placewise.bridge.api.ClusterMapper;
import io.placewise.bridge.nova.NovaResources.Hypervisor;
import io.placewise.bridge.nova.NovaResources.Server;
import io.placewise.model.ClusterSnapshot;
import io.placewise.model.FlavorExtraSpecs;
import io.placewise.model.WorkloadClass;
import java.util.ArrayList;
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
 * derived from the VMs (0). NIC capacity is unknown to Nova (0: the NIC check passes). Each host's
 * availability zone is Nova's ({@link NovaClient#availabilityZones()}).
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
        Map<String, String> zones = availabilityZones();
        for (Hypervisor h : nova.hypervisors()) {
            String name = h.host() != null ? h.host() : h.hypervisorHostname();
            if (name == null || hosts.containsKey(name)) {
                // Several nodes per service host (ironic, vmware clusters) are not modelled.
                LOG.warn("hypervisor {} ({}) skipped: no host name or a second node of host {}", h.id(), h.hypervisorHostname(), name);
                continue;
            }
            hosts.put(name, new HostDto(name, new CapacityDto(h.vcpus(), h.memoryMb(), h.localGb(), 0.0),
                    null, null, null, null, h.usable(), zones.get(name)));
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

    /**
     * Nova's inventory with what only Placewise knows kept from {@code current}: measured
     * utilisation of hosts and VMs that still exist, NIC capacities (Nova has none), the profiler's
     * workload class and nonsharable list of a VM whose flavor names none, groups, and traffic
     * between VMs that still exist.
     */
    public ClusterDto mergedWith(ClusterDto current) {
        ClusterDto fresh = cluster();
        Map<String, HostDto> oldHosts = new LinkedHashMap<>();
        current.hosts().forEach(h -> oldHosts.put(h.name(), h));
        Map<String, VmDto> oldVms = new LinkedHashMap<>();
        (current.vms() == null ? List.<VmDto>of() : current.vms()).forEach(v -> oldVms.put(v.id(), v));
        List<HostDto> hosts = fresh.hosts().stream().map(h -> {
            HostDto o = oldHosts.get(h.name());
            if (o == null) {
                return h;
            }
            CapacityDto c = h.capacity();
            Double nic = o.capacity() == null ? c.nicMbps() : o.capacity().nicMbps();
            return new HostDto(h.name(), new CapacityDto(c.vcpus(), c.memoryMb(), c.diskGb(), nic),
                    o.cpuUtil(), o.memUtil(), o.swapWritesPerS(), o.nicUtil(), h.enabled(), h.availabilityZone());
        }).toList();
        List<VmDto> vms = fresh.vms().stream().map(v -> {
            VmDto o = oldVms.get(v.id());
            if (o == null) {
                return v;
            }
            return new VmDto(v.id(), v.host(), v.vcpus(), v.memoryMb(), v.diskGb(), o.cpuUtil(), o.memUtil(),
                    o.swapWritesPerS(), o.dirtyRateMbps(), v.workload() != null ? v.workload() : o.workload(),
                    !v.nonsharable().isEmpty() ? v.nonsharable() : o.nonsharable(), o.group(),
                    v.toleratesSlowing() != null ? v.toleratesSlowing() : o.toleratesSlowing());
        }).toList();
        java.util.Set<String> ids = new java.util.HashSet<>();
        vms.forEach(v -> ids.add(v.id()));
        var traffic = (current.traffic() == null ? List.<io.placewise.bridge.api.ClusterDtos.TrafficDto>of() : current.traffic())
                .stream().filter(t -> ids.contains(t.src()) && ids.contains(t.dst())).toList();
        return new ClusterDto(hosts, vms, traffic);
    }

    /** Zones by compute host; none (unknown, so no zone rule applies) when Nova will not tell. */
    private Map<String, String> availabilityZones() {
        try {
            return nova.availabilityZones();
        } catch (NovaApiException e) {
            LOG.warn("Nova sync: availability zones unavailable ({}); hosts keep no zone", e.getMessage());
            return Map.of();
        }
    }

    /** {@code placewise:tolerates_slowing}; a value that is neither true nor false leaves it to the workload class. */
    private static Boolean toleratesSlowing(Server s) {
        java.util.Optional<Boolean> said = FlavorExtraSpecs.toleratesSlowing(s.extraSpecs());
        if (said.isEmpty() && s.extraSpecs().containsKey(FlavorExtraSpecs.TOLERATES_SLOWING)) {
            LOG.warn("server {}: flavor extra spec {}={} is not true or false; the workload class decides", s.id(),
                    FlavorExtraSpecs.TOLERATES_SLOWING, s.extraSpecs().get(FlavorExtraSpecs.TOLERATES_SLOWING));
        }
        return said.orElse(null);
    }

    private static VmDto vm(Server s, String host) {
        String workload = s.extraSpecs().get(FlavorExtraSpecs.WORKLOAD);
        if (workload != null && WorkloadClass.fromWire(workload).isEmpty()) {
            LOG.warn("server {}: flavor extra spec {}={} names no workload class; using mixed", s.id(),
                    FlavorExtraSpecs.WORKLOAD, workload);
            workload = null;
        }
        List<String> nonsharable = List.copyOf(FlavorExtraSpecs.nonsharable(s.extraSpecs()));
        return new VmDto(s.id(), host, s.vcpus(), s.ramMb(), s.diskGb(), null, null, null, null,
                workload == null ? null : workload.trim(), nonsharable, null, toleratesSlowing(s));
    }
}
