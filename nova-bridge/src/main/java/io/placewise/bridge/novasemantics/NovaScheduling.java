package io.placewise.bridge.novasemantics;

import io.placewise.model.ClusterSnapshot;
import io.placewise.model.Flavor;
import io.placewise.model.Host;
import io.placewise.model.PlacementSpec;
import io.placewise.model.ServerGroup;
import io.placewise.model.Vm;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns a Nova request into the question Placewise's pipeline answers, the way Nova's scheduler
 * would frame it (Nova 26 {@code host_manager.get_filtered_hosts}, {@code affinity_filter},
 * {@code availability_zone_filter}, {@code scheduler/utils.resources_from_request_spec}):
 * <ul>
 * <li>hosts outside {@code requested_destination}, in {@code ignore_hosts} (any case), or outside
 *     {@code force_hosts} (any case) / {@code force_nodes} are out; a live migration or an evacuation
 *     never returns to the instance's host;</li>
 * <li>forcing a host without a {@code _nova_check_type}, and a rebuild, skip the filters, as Nova does;</li>
 * <li>a host in another availability zone than the requested one is out (unknown zones pass);</li>
 * <li>the disk asked for is ephemeral + swap, plus root unless the instance boots from a volume;</li>
 * <li>the server group's hosts are renamed from Nova's service names to Placewise's names, counted
 *     once per listing, and the instance's own host is known so that anti-affinity exempts it;
 *     {@code max_server_per_host} travels with the group.</li>
 * </ul>
 */
public final class NovaScheduling {
    private NovaScheduling() {
    }

    /** A candidate as Nova sent it, with Placewise's view of it (null: Placewise does not know the host). */
    public record Candidate(NovaHost nova, Host host) {
    }

    /**
     * The framed question. {@code judged} are the candidates Placewise knows and may judge, in Nova's
     * order; {@code unknown} are Nova names Placewise has never heard of; {@code excluded} maps Nova
     * names to why the request itself rules them out; {@code runFilters} is false where Nova runs no
     * filters (a rebuild, a forced host).
     */
    public record Plan(NovaIntent intent, PlacementSpec spec, List<Candidate> judged, List<String> unknown,
                       Map<String, String> excluded, boolean runFilters) {
        /** Each judged host's Nova name, by its Placewise name. */
        public Map<String, String> novaNames() {
            Map<String, String> out = new HashMap<>();
            judged.forEach(c -> out.putIfAbsent(c.host().name(), c.nova().host()));
            return out;
        }

        public List<Host> judgedHosts() {
            return judged.stream().map(Candidate::host).toList();
        }
    }

    /**
     * The candidate's Placewise host: the one named like its service, else like its node (where
     * Placewise knows hosts by hypervisor hostname); null when neither is known.
     */
    public static Host resolve(NovaHost nova, ClusterSnapshot cluster) {
        Host h = nova.host() == null ? null : cluster.host(nova.host());
        if (h == null && nova.node() != null) {
            h = cluster.host(nova.node());
        }
        return h;
    }

    /**
     * @param base the spec as the generic mapping read it (workload and nonsharable resources from the
     *             extra specs, traffic from the hints, the instance's host if Placewise knows the VM)
     */
    public static Plan plan(NovaRequestSpec nova, NovaIntent intent, PlacementSpec base, List<Candidate> candidates,
                            ClusterSnapshot cluster) {
        String self = nova.instanceUuid();
        OwnHost own = intent.movesAnInstance() ? ownHost(nova, base, candidates, cluster) : new OwnHost(base.sourceHost(), null);
        PlacementSpec spec = new PlacementSpec(base.instanceUuid(),
                new Flavor(nova.flavor().vcpus(), nova.flavor().memoryMb(), nova.flavor().localDiskGb(nova.volumeBacked()),
                        nova.flavor().extraSpecs()),
                base.workload(), base.nonsharable(), group(nova, base, candidates), base.traffic(), own.placewise(), base.hints());

        boolean forced = !nova.forceHosts().isEmpty() || !nova.forceNodes().isEmpty();
        boolean runFilters = intent != NovaIntent.REBUILD && !(forced && nova.checkType().isEmpty());
        Set<String> ignore = lower(nova.ignoreHosts());
        Set<String> forceHosts = lower(nova.forceHosts());
        Set<String> forceNodes = new HashSet<>(nova.forceNodes());
        String zone = nova.availabilityZone();

        List<Candidate> judged = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        Map<String, String> excluded = new LinkedHashMap<>();
        for (Candidate c : candidates) {
            String name = c.nova().host();
            String why = null;
            if (nova.destinationHost() != null && !nova.destinationHost().equals(name)) {
                why = "requested_destination is host " + nova.destinationHost();
            } else if (nova.destinationNode() != null && !nova.destinationNode().equals(c.nova().node())) {
                why = "requested_destination is node " + nova.destinationNode();
            } else if (ignore.contains(name.toLowerCase(Locale.ROOT))) {
                why = "listed in ignore_hosts";
            } else if (!forceHosts.isEmpty() && !forceHosts.contains(name.toLowerCase(Locale.ROOT))) {
                why = "not in force_hosts " + nova.forceHosts();
            } else if (!forceNodes.isEmpty() && !forceNodes.contains(c.nova().node())) {
                why = "not in force_nodes " + nova.forceNodes();
            } else if (intent.leavesItsHost() && own.is(c, self)) {
                why = intent == NovaIntent.LIVE_MIGRATE ? "live migration: the instance runs here now"
                        : "evacuation: the instance's host has failed";
            } else if (runFilters && zone != null) {
                String hostZone = c.nova().availabilityZone() != null ? c.nova().availabilityZone()
                        : c.host() == null ? null : c.host().availabilityZone();
                if (hostZone != null && !hostZone.equals(zone)) {
                    why = "availability zone " + hostZone + ", not the requested " + zone;
                }
            }
            if (why != null) {
                excluded.put(name, why);
            } else if (c.host() == null) {
                unknown.add(name);
            } else {
                judged.add(c);
            }
        }
        return new Plan(intent, spec, judged, unknown, excluded, runFilters);
    }

    /** The instance's current host: Placewise's name for the spec, Nova's name for hosts Placewise does not know. */
    private record OwnHost(String placewise, String nova) {
        boolean is(Candidate c, String self) {
            if (self != null && c.nova().instances() != null && c.nova().instances().contains(self)) {
                return true;
            }
            return (placewise != null && c.host() != null && c.host().name().equals(placewise))
                    || (nova != null && nova.equals(c.nova().host()));
        }
    }

    /**
     * Where the instance runs now: Nova's own view of a candidate's instances, else Placewise's VM,
     * else the one group host that no other member explains (when Placewise knows every other member).
     */
    private static OwnHost ownHost(NovaRequestSpec nova, PlacementSpec base, List<Candidate> candidates, ClusterSnapshot cluster) {
        String self = nova.instanceUuid();
        if (self != null) {
            for (Candidate c : candidates) {
                if (c.nova().instances() != null && c.nova().instances().contains(self)) {
                    return new OwnHost(c.host() == null ? null : c.host().name(), c.nova().host());
                }
            }
        }
        if (base.sourceHost() != null) {
            return new OwnHost(base.sourceHost(), null);
        }
        NovaServerGroup g = nova.group();
        if (g == null || self == null || g.hosts().isEmpty()) {
            return new OwnHost(null, null);
        }
        Set<String> explained = new HashSet<>();
        for (String member : g.members()) {
            if (member.equals(self)) {
                continue;
            }
            Vm vm = cluster.vm(member);
            if (vm == null) {
                return new OwnHost(null, null); // an unknown member could be the one on any group host
            }
            explained.add(vm.host());
        }
        Map<String, String> renamed = serviceToPlacewise(candidates);
        Set<String> left = new LinkedHashSet<>();
        for (String h : g.hosts()) {
            if (!explained.contains(renamed.getOrDefault(h, h))) {
                left.add(h);
            }
        }
        if (left.size() != 1) {
            return new OwnHost(null, null);
        }
        String novaName = left.iterator().next();
        String placewise = renamed.containsKey(novaName) ? renamed.get(novaName)
                : cluster.host(novaName) != null ? novaName : null;
        return new OwnHost(placewise, novaName);
    }

    /** The group with Nova's hosts in Placewise's names, one entry per member Nova reports there. */
    private static ServerGroup group(NovaRequestSpec nova, PlacementSpec base, List<Candidate> candidates) {
        ServerGroup g = base.group();
        NovaServerGroup ng = nova.group();
        if (g == null || ng == null) {
            return g;
        }
        String self = nova.instanceUuid();
        Set<String> members = new LinkedHashSet<>(g.members());
        if (self != null) {
            members.remove(self);
        }
        Map<String, String> renamed = serviceToPlacewise(candidates);
        Map<String, Integer> listed = new LinkedHashMap<>();
        ng.hosts().forEach(h -> listed.merge(renamed.getOrDefault(h, h), 1, Integer::sum));
        // Nova's HostState knows exactly which members a candidate holds (the shim sends it).
        for (Candidate c : candidates) {
            if (c.host() == null || c.nova().instances() == null) {
                continue;
            }
            int here = (int) c.nova().instances().stream().filter(members::contains).count();
            if (here > 0) {
                listed.merge(c.host().name(), here, Math::max);
            }
        }
        List<String> hosts = new ArrayList<>();
        listed.forEach((h, n) -> {
            for (int i = 0; i < n; i++) {
                hosts.add(h);
            }
        });
        int max = ng.maxServerPerHost() == null ? 1 : Math.max(1, ng.maxServerPerHost());
        return new ServerGroup(g.name(), g.policy(), members, hosts, max);
    }

    private static Map<String, String> serviceToPlacewise(List<Candidate> candidates) {
        Map<String, String> out = new HashMap<>();
        for (Candidate c : candidates) {
            if (c.host() != null && c.nova().host() != null) {
                out.putIfAbsent(c.nova().host(), c.host().name());
            }
        }
        return out;
    }

    private static Set<String> lower(List<String> names) {
        Set<String> out = new HashSet<>();
        names.forEach(n -> out.add(n.toLowerCase(Locale.ROOT)));
        return out;
    }
}
