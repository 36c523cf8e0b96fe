package io.placewise.bridge.nova;

import io.placewise.bridge.nova.NovaResources.Hypervisor;
import io.placewise.bridge.nova.NovaResources.Server;
import io.placewise.bridge.nova.NovaResources.ServerGroup;
import io.placewise.model.Capacity;
import io.placewise.model.ClusterSnapshot;
import io.placewise.model.FlavorExtraSpecs;
import io.placewise.model.GroupPolicy;
import io.placewise.model.Host;
import io.placewise.model.Traffic;
import io.placewise.model.Vm;
import io.placewise.model.WorkloadClass;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the bridge's cluster from Nova's API, keeping what only Placewise measures:
 * <ul>
 * <li>one host per hypervisor, named by its compute service host (as Nova's scheduler names it),
 *     enabled when Nova would schedule to it. Its capacity is what Nova lets instances use:
 *     physical vCPU / RAM / disk less the part of Nova's flavor-based allocations on the node
 *     ({@code vcpus_used}, {@code memory_mb_used}, {@code local_gb_used}) that no listed server
 *     explains ({@code reserved_host_*}, claims of migrations in progress), as Placement counts
 *     {@code total - reserved};</li>
 * <li>one VM per server on a known host, sized by its embedded flavor (disk = root + ephemeral),
 *     with {@code placewise:workload} / {@code placewise:nonsharable} from the flavor's extra specs;</li>
 * <li>Nova's server groups, by uuid, with their policy; a member server names its group (when Nova
 *     will not list the groups, the bridge keeps the ones it has);</li>
 * <li>each host's availability zone ({@link NovaClient#availabilityZones()}; none when Nova will not tell).</li>
 * </ul>
 * Kept from the bridge's current state: measured utilisation of hosts and VMs that still exist,
 * NIC capacities (Nova has none: they come from the agents' samples or {@code PUT /v1/cluster}),
 * the profiler's workload class and nonsharable list of a VM whose flavor names none, a
 * communicating group Nova does not know, and traffic between VMs that still exist.
 */
public final class NovaClusterSync {
    private static final Logger LOG = LoggerFactory.getLogger(NovaClusterSync.class);
    private final NovaClient nova;

    /**
     * What one sync read from Nova.
     *
     * @param groups null when Nova would not list them (the bridge then keeps its own)
     * @param zones  availability zone by compute host; empty when Nova would not tell
     */
    public record Inventory(List<Hypervisor> hypervisors, List<Server> servers, List<ServerGroup> groups,
                            Map<String, String> zones) {
        public Inventory(List<Hypervisor> hypervisors, List<Server> servers, List<ServerGroup> groups) {
            this(hypervisors, servers, groups, Map.of());
        }
    }

    public NovaClusterSync(NovaClient nova) {
        this.nova = nova;
    }

    public NovaClient client() {
        return nova;
    }

    /** Reads hypervisors, servers, server groups and zones from Nova (four listings, paged). */
    public Inventory fetch() {
        List<Hypervisor> hypervisors = nova.hypervisors();
        List<Server> servers = nova.servers();
        List<ServerGroup> groups;
        try {
            groups = nova.serverGroups();
        } catch (NovaApiException e) {
            LOG.warn("Nova sync: server groups unavailable ({}); the bridge keeps the ones it has", e.getMessage());
            groups = null;
        }
        Map<String, String> zones;
        try {
            zones = nova.availabilityZones();
        } catch (NovaApiException e) {
            LOG.warn("Nova sync: availability zones unavailable ({}); hosts keep no zone", e.getMessage());
            zones = Map.of();
        }
        return new Inventory(hypervisors, servers, groups, zones);
    }

    /** Nova's inventory merged into {@code current} (see the class comment); sample windows are the store's. */
    public static ClusterSnapshot merge(Inventory nova, ClusterSnapshot current) {
        Map<String, Hypervisor> byHost = new LinkedHashMap<>();
        for (Hypervisor h : nova.hypervisors()) {
            String name = h.host() != null ? h.host() : h.hypervisorHostname();
            if (name == null || byHost.containsKey(name)) {
                // Several nodes per service host (ironic, vmware clusters) are not modelled.
                LOG.warn("hypervisor {} ({}) skipped: no host name or a second node of host {}", h.id(), h.hypervisorHostname(), name);
                continue;
            }
            byHost.put(name, h);
        }
        boolean groupsKnown = nova.groups() != null;
        Map<String, GroupPolicy> policies = new LinkedHashMap<>(groupsKnown ? Map.of() : current.groupPolicies());
        Map<String, String> groupOf = new HashMap<>();
        for (ServerGroup g : groupsKnown ? nova.groups() : List.<ServerGroup>of()) {
            var policy = g.policy() == null ? java.util.Optional.<GroupPolicy>empty() : GroupPolicy.fromWire(g.policy());
            if (policy.isEmpty()) {
                LOG.warn("server group {}: policy {} is not one Placewise applies; skipped", g.id(), g.policy());
                continue;
            }
            policies.put(g.id(), policy.get());
            g.members().forEach(m -> groupOf.put(m, g.id()));
        }

        Map<String, long[]> listed = new HashMap<>(); // host -> vcpus, memory, disk of the servers Nova lists
        List<Vm> vms = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Server s : nova.servers()) {
            if (s.host() == null || !byHost.containsKey(s.host()) || !seen.add(s.id())) {
                continue; // not scheduled yet, or on a node that is not modelled
            }
            Vm old = current.vm(s.id());
            String group = groupOf.get(s.id());
            if (group == null && old != null && old.group() != null
                    && (!groupsKnown || current.groupPolicy(old.group()).isEmpty())) {
                group = old.group(); // a communicating group of Placewise's own, or groups not listed this time
            }
            vms.add(vm(s, s.host(), old, group));
            long[] sum = listed.computeIfAbsent(s.host(), k -> new long[3]);
            sum[0] += s.vcpus();
            sum[1] += s.ramMb();
            sum[2] += s.diskGb();
        }

        List<Host> hosts = new ArrayList<>();
        for (var e : byHost.entrySet()) {
            Hypervisor h = e.getValue();
            long[] sum = listed.getOrDefault(e.getKey(), new long[3]);
            Host old = current.host(e.getKey());
            Capacity cap = new Capacity(
                    (int) Math.max(0, h.vcpus() - unexplained(h.vcpusUsed() == null ? null : (long) h.vcpusUsed(), sum[0])),
                    Math.max(0, h.memoryMb() - unexplained(h.memoryMbUsed(), sum[1])),
                    Math.max(0, h.localGb() - unexplained(h.localGbUsed(), sum[2])),
                    old == null ? 0 : old.capacity().nicMbps());
            String zone = nova.zones().get(e.getKey());
            hosts.add(old == null ? new Host(e.getKey(), cap, 0, 0, 0, 0, h.usable(), zone)
                    : new Host(e.getKey(), cap, old.cpuUtil(), old.memUtil(), old.swapWritesPerS(), old.nicUtil(), h.usable(), zone));
        }
        Set<String> ids = new HashSet<>(seen);
        List<Traffic> traffic = current.traffic().stream().filter(t -> ids.contains(t.src()) && ids.contains(t.dst())).toList();
        LOG.info("Nova sync: {} hosts, {} servers, {} server groups, {} zoned hosts", hosts.size(), vms.size(), policies.size(),
                nova.zones().size());
        return new ClusterSnapshot(hosts, vms, traffic, current.allSamples(), policies);
    }

    /** Nova's allocation on a node beyond the servers it lists; 0 when Nova does not say. */
    private static long unexplained(Long novaUsed, long listed) {
        return novaUsed == null ? 0 : Math.max(0, novaUsed - listed);
    }

    /**
     * A server as a VM on {@code host}: sizes and flavor-given workload from Nova, what Placewise
     * measured from {@code previous} (null for a new VM).
     */
    public static Vm vm(Server s, String host, Vm previous, String group) {
        String workloadSpec = s.extraSpecs().get(FlavorExtraSpecs.WORKLOAD);
        WorkloadClass workload = previous == null ? WorkloadClass.MIXED : previous.workload();
        if (workloadSpec != null) {
            var w = WorkloadClass.fromWire(workloadSpec.trim());
            if (w.isPresent()) {
                workload = w.get();
            } else {
                LOG.warn("server {}: flavor extra spec {}={} names no workload class; ignored", s.id(),
                        FlavorExtraSpecs.WORKLOAD, workloadSpec);
            }
        }
        Set<String> nonsharable = Set.copyOf(FlavorExtraSpecs.nonsharable(s.extraSpecs()));
        if (nonsharable.isEmpty() && previous != null) {
            nonsharable = previous.nonsharable();
        }
        Boolean tolerates = toleratesSlowing(s);
        if (tolerates == null && previous != null) {
            tolerates = previous.toleratesSlowing();
        }
        return previous == null
                ? new Vm(s.id(), host, s.vcpus(), s.ramMb(), s.diskGb(), 0, 0, 0, 0, workload, nonsharable, group, tolerates)
                : new Vm(s.id(), host, s.vcpus(), s.ramMb(), s.diskGb(), previous.cpuUtil(), previous.memUtil(),
                        previous.swapWritesPerS(), previous.dirtyRateMbps(), workload, nonsharable, group, tolerates);
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
}
