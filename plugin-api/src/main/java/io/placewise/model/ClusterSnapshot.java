package io.placewise.model;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The cluster at one moment: hosts, VMs, inter-VM traffic and each host's recent load window.
 * Immutable; every index a plugin needs (VMs by host, usage, traffic adjacency, group members)
 * is built once here so that per-request and per-host work stays small.
 */
public final class ClusterSnapshot {
    public static final ClusterSnapshot EMPTY = new ClusterSnapshot(List.of(), List.of(), List.of(), Map.of());

    private final List<Host> hosts;
    private final List<Vm> vms;
    private final List<Traffic> traffic;
    private final Map<String, Host> hostsByName;
    private final Map<String, Vm> vmsById;
    /** VMs changed by {@link #withChanges}; looked up before {@code vmsById}, which is shared with the base. */
    private final Map<String, Vm> vmOverlay;
    private final Map<String, List<Vm>> vmsByHost;
    private final Map<String, HostUsage> usageByHost;
    private final Map<String, List<Vm>> vmsByGroup;
    private final Map<String, Map<String, Double>> peers;
    private final Map<String, List<LoadSample>> samples;
    private final Map<String, int[]> workloadsByHost;
    private final Map<String, Map<String, Integer>> nonsharableByHost;
    /** Policies of the server groups the cloud defined (Nova's), by group name; see {@link #groupPolicy}. */
    private final Map<String, GroupPolicy> groupPolicies;

    /**
     * @throws IllegalArgumentException on duplicate names or a VM on an unknown host; the
     *         message names the offending entry.
     */
    public ClusterSnapshot(List<Host> hosts, List<Vm> vms, List<Traffic> traffic,
                           Map<String, List<LoadSample>> samples) {
        this(hosts, vms, traffic, samples, Map.of());
    }

    /** As {@link #ClusterSnapshot(List, List, List, Map)}, with the policies of the cloud's server groups. */
    public ClusterSnapshot(List<Host> hosts, List<Vm> vms, List<Traffic> traffic,
                           Map<String, List<LoadSample>> samples, Map<String, GroupPolicy> groupPolicies) {
        this.groupPolicies = Map.copyOf(groupPolicies);
        this.hosts = List.copyOf(hosts);
        this.vms = List.copyOf(vms);
        this.traffic = List.copyOf(traffic);
        Map<String, Host> byName = new LinkedHashMap<>();
        for (Host h : this.hosts) {
            if (byName.put(h.name(), h) != null) {
                throw new IllegalArgumentException("duplicate host '" + h.name() + "'");
            }
        }
        this.hostsByName = Collections.unmodifiableMap(byName);

        Map<String, Vm> byId = new HashMap<>(this.vms.size() * 2);
        Map<String, List<Vm>> byHost = new HashMap<>();
        Map<String, List<Vm>> byGroup = new HashMap<>();
        for (Vm vm : this.vms) {
            if (byId.put(vm.id(), vm) != null) {
                throw new IllegalArgumentException("duplicate VM '" + vm.id() + "'");
            }
            if (!byName.containsKey(vm.host())) {
                throw new IllegalArgumentException("VM '" + vm.id() + "' is on unknown host '" + vm.host() + "'");
            }
            byHost.computeIfAbsent(vm.host(), k -> new ArrayList<>()).add(vm);
            if (vm.group() != null) {
                byGroup.computeIfAbsent(vm.group(), k -> new ArrayList<>()).add(vm);
            }
        }
        byHost.replaceAll((k, v) -> List.copyOf(v));
        byGroup.replaceAll((k, v) -> List.copyOf(v));
        Map<String, HostUsage> usage = new HashMap<>();
        Map<String, int[]> workloads = new HashMap<>();
        Map<String, Map<String, Integer>> nonsharable = new HashMap<>();
        byHost.forEach((host, list) -> indexHost(host, list, usage, workloads, nonsharable));
        this.vmsById = Collections.unmodifiableMap(byId);
        this.vmOverlay = Map.of();
        this.vmsByHost = Collections.unmodifiableMap(byHost);
        this.vmsByGroup = Collections.unmodifiableMap(byGroup);
        this.usageByHost = Collections.unmodifiableMap(usage);
        this.workloadsByHost = workloads;
        this.nonsharableByHost = nonsharable;

        Map<String, Map<String, Double>> adj = new HashMap<>();
        for (Traffic t : this.traffic) {
            if (t.src().equals(t.dst())) {
                continue;
            }
            adj.computeIfAbsent(t.src(), k -> new HashMap<>()).merge(t.dst(), t.mbps(), Double::sum);
            adj.computeIfAbsent(t.dst(), k -> new HashMap<>()).merge(t.src(), t.mbps(), Double::sum);
        }
        adj.replaceAll((k, v) -> Collections.unmodifiableMap(v));
        this.peers = Collections.unmodifiableMap(adj);

        Map<String, List<LoadSample>> s = new HashMap<>();
        samples.forEach((k, v) -> s.put(k, List.copyOf(v)));
        this.samples = Collections.unmodifiableMap(s);
    }

    public List<Host> hosts() {
        return hosts;
    }

    public List<Vm> vms() {
        return vms;
    }

    public List<Traffic> traffic() {
        return traffic;
    }

    public Host host(String name) {
        return hostsByName.get(name);
    }

    public Vm vm(String id) {
        Vm changed = vmOverlay.get(id);
        return changed != null ? changed : vmsById.get(id);
    }

    public List<Vm> vmsOn(String host) {
        return vmsByHost.getOrDefault(host, List.of());
    }

    public HostUsage usage(String host) {
        return usageByHost.getOrDefault(host, HostUsage.NONE);
    }

    /** How many VMs of the given workload class the host runs; O(1), from an index built once here. */
    public int workloadCount(String host, WorkloadClass workload) {
        int[] counts = workloadsByHost.get(host);
        return counts == null ? 0 : counts[workload.ordinal()];
    }

    /**
     * How many VMs on the host list {@code resource} in their {@link Vm#nonsharable()} set
     * (names compared trimmed and case-insensitively); O(1), from an index built once here.
     */
    public int nonsharableCount(String host, String resource) {
        return nonsharableByHost.getOrDefault(host, Map.of()).getOrDefault(resourceKey(resource), 0);
    }

    private static String resourceKey(String resource) {
        return resource.trim().toLowerCase(Locale.ROOT);
    }

    public List<Vm> groupMembers(String group) {
        return vmsByGroup.getOrDefault(group, List.of());
    }

    /**
     * The policy of a server group the cloud defined (e.g. a Nova server group, named by its
     * uuid); empty for a group only VMs name, which is a communicating group without a rule.
     */
    public java.util.Optional<GroupPolicy> groupPolicy(String group) {
        return group == null ? java.util.Optional.empty() : java.util.Optional.ofNullable(groupPolicies.get(group));
    }

    /** Every server group with a policy, by name. */
    public Map<String, GroupPolicy> groupPolicies() {
        return groupPolicies;
    }

    /** This snapshot with other server-group policies; nothing else changes (O(groups)). */
    public ClusterSnapshot withGroupPolicies(Map<String, GroupPolicy> policies) {
        return new ClusterSnapshot(hosts, vms, traffic, hostsByName, vmsById, vmOverlay, vmsByHost, usageByHost, vmsByGroup,
                peers, samples, workloadsByHost, nonsharableByHost, Map.copyOf(policies));
    }

    /** Traffic of a VM with each peer, Mbit/s, both directions summed. */
    public Map<String, Double> peersOf(String vmId) {
        return peers.getOrDefault(vmId, Map.of());
    }

    /** The host's recent samples, oldest first. */
    public List<LoadSample> samples(String host) {
        return samples.getOrDefault(host, List.of());
    }

    public Map<String, List<LoadSample>> allSamples() {
        return samples;
    }

    /**
     * This snapshot in canonical order (hosts by name, VMs by id, traffic by pair), the order in
     * which it is stored; host order also breaks ties between equal weights, so a restart must not
     * change it.
     */
    public ClusterSnapshot canonical() {
        Comparator<Traffic> byPair = Comparator.comparing(Traffic::src).thenComparing(Traffic::dst);
        return new ClusterSnapshot(hosts.stream().sorted(Comparator.comparing(Host::name)).toList(),
                vms.stream().sorted(Comparator.comparing(Vm::id)).toList(),
                traffic.stream().sorted(byPair).toList(), samples, groupPolicies);
    }

    /** Recomputes the per-host indexes of one host from its VM list. */
    private static void indexHost(String host, List<Vm> list, Map<String, HostUsage> usage, Map<String, int[]> workloads,
                                  Map<String, Map<String, Integer>> nonsharable) {
        HostUsage u = HostUsage.NONE;
        int[] counts = new int[WorkloadClass.values().length];
        Map<String, Integer> held = new HashMap<>();
        for (Vm vm : list) {
            u = u.plus(vm);
            counts[vm.workload().ordinal()]++;
            for (String r : vm.nonsharable()) {
                held.merge(resourceKey(r), 1, Integer::sum);
            }
        }
        if (list.isEmpty()) {
            usage.remove(host);
            workloads.remove(host);
            nonsharable.remove(host);
            return;
        }
        usage.put(host, u);
        workloads.put(host, counts);
        if (held.isEmpty()) {
            nonsharable.remove(host);
        } else {
            nonsharable.put(host, Collections.unmodifiableMap(held));
        }
    }

    private ClusterSnapshot(List<Host> hosts, List<Vm> vms, List<Traffic> traffic, Map<String, Host> hostsByName,
                            Map<String, Vm> vmsById, Map<String, Vm> vmOverlay, Map<String, List<Vm>> vmsByHost,
                            Map<String, HostUsage> usageByHost, Map<String, List<Vm>> vmsByGroup,
                            Map<String, Map<String, Double>> peers, Map<String, List<LoadSample>> samples,
                            Map<String, int[]> workloadsByHost, Map<String, Map<String, Integer>> nonsharableByHost,
                            Map<String, GroupPolicy> groupPolicies) {
        this.hosts = hosts;
        this.vms = vms;
        this.traffic = traffic;
        this.hostsByName = hostsByName;
        this.vmsById = vmsById;
        this.vmOverlay = vmOverlay;
        this.vmsByHost = vmsByHost;
        this.usageByHost = usageByHost;
        this.vmsByGroup = vmsByGroup;
        this.peers = peers;
        this.samples = samples;
        this.workloadsByHost = workloadsByHost;
        this.nonsharableByHost = nonsharableByHost;
        this.groupPolicies = groupPolicies;
    }

    /**
     * This snapshot with some hosts' load and some VMs' placement or size changed, and new sample
     * windows; traffic is unchanged. Costs O(hosts + changes) rather than a rebuild over every VM:
     * the indexes of untouched hosts and the VM index are shared, which is what lets the balancer
     * re-plan on a projected 200,000-VM cluster after every move.
     *
     * @throws IllegalArgumentException for a host or VM this snapshot does not have
     */
    public ClusterSnapshot withChanges(Collection<Host> changedHosts, Collection<Vm> changedVms,
                                       Map<String, List<LoadSample>> newSamples) {
        Map<String, List<LoadSample>> s = new HashMap<>();
        newSamples.forEach((k, v) -> s.put(k, List.copyOf(v)));
        return changed(changedHosts, changedVms, Collections.unmodifiableMap(s));
    }

    /**
     * This snapshot with hosts and VMs changed as {@link #withChanges(Collection, Collection, Map)} does, and the
     * sample windows of {@code windowsDropped} hosts gone (their load is then only the projected value); the other
     * windows are shared, so this costs O(hosts + changes), not O(samples).
     */
    public ClusterSnapshot withChanges(Collection<Host> changedHosts, Collection<Vm> changedVms, Set<String> windowsDropped) {
        if (windowsDropped.isEmpty()) {
            return changed(changedHosts, changedVms, samples);
        }
        Set<String> dropped = Set.copyOf(windowsDropped);
        Map<String, List<LoadSample>> base = samples;
        Map<String, List<LoadSample>> view = new java.util.AbstractMap<>() {
            @Override
            public List<LoadSample> get(Object key) {
                return dropped.contains(key) ? null : base.get(key);
            }

            @Override
            public boolean containsKey(Object key) {
                return !dropped.contains(key) && base.containsKey(key);
            }

            @Override
            public Set<Entry<String, List<LoadSample>>> entrySet() {
                Set<Entry<String, List<LoadSample>>> out = new java.util.LinkedHashSet<>();
                base.entrySet().forEach(e -> {
                    if (!dropped.contains(e.getKey())) {
                        out.add(e);
                    }
                });
                return Collections.unmodifiableSet(out);
            }
        };
        return changed(changedHosts, changedVms, view);
    }

    private ClusterSnapshot changed(Collection<Host> changedHosts, Collection<Vm> changedVms,
                                    Map<String, List<LoadSample>> newSamples) {
        Map<String, Host> byName = new LinkedHashMap<>(hostsByName);
        for (Host h : changedHosts) {
            if (byName.put(h.name(), h) == null) {
                throw new IllegalArgumentException("unknown host '" + h.name() + "'");
            }
        }
        Map<String, Vm> changes = new HashMap<>();
        Set<String> touchedHosts = new HashSet<>();
        Set<String> touchedGroups = new HashSet<>();
        for (Vm v : changedVms) {
            Vm old = vm(v.id());
            if (old == null) {
                throw new IllegalArgumentException("unknown VM '" + v.id() + "'");
            }
            if (!byName.containsKey(v.host())) {
                throw new IllegalArgumentException("VM '" + v.id() + "' is on unknown host '" + v.host() + "'");
            }
            changes.put(v.id(), v);
            touchedHosts.add(old.host());
            touchedHosts.add(v.host());
            if (old.group() != null) {
                touchedGroups.add(old.group());
            }
            if (v.group() != null) {
                touchedGroups.add(v.group());
            }
        }
        Map<String, Vm> overlay = new HashMap<>(vmOverlay);
        overlay.putAll(changes);
        List<Vm> newVms = changes.isEmpty() ? vms
                : vms.stream().map(v -> changes.getOrDefault(v.id(), v)).toList();

        Map<String, List<Vm>> byHost = new HashMap<>(vmsByHost);
        Map<String, HostUsage> usage = new HashMap<>(usageByHost);
        Map<String, int[]> workloads = new HashMap<>(workloadsByHost);
        Map<String, Map<String, Integer>> nonsharable = new HashMap<>(nonsharableByHost);
        for (String host : touchedHosts) {
            List<Vm> list = regroup(vmsByHost.getOrDefault(host, List.of()), changes, v -> host.equals(v.host()));
            if (list.isEmpty()) {
                byHost.remove(host);
            } else {
                byHost.put(host, list);
            }
            indexHost(host, list, usage, workloads, nonsharable);
        }
        Map<String, List<Vm>> byGroup = new HashMap<>(vmsByGroup);
        for (String group : touchedGroups) {
            List<Vm> list = regroup(vmsByGroup.getOrDefault(group, List.of()), changes, v -> group.equals(v.group()));
            if (list.isEmpty()) {
                byGroup.remove(group);
            } else {
                byGroup.put(group, list);
            }
        }
        return new ClusterSnapshot(List.copyOf(byName.values()), newVms, traffic, Collections.unmodifiableMap(byName),
                vmsById, Collections.unmodifiableMap(overlay), Collections.unmodifiableMap(byHost),
                Collections.unmodifiableMap(usage), Collections.unmodifiableMap(byGroup), peers,
                newSamples, workloads, nonsharable, groupPolicies);
    }

    /** {@code list} without the changed VMs, plus the changed VMs that now belong to it. */
    private static List<Vm> regroup(List<Vm> list, Map<String, Vm> changes, java.util.function.Predicate<Vm> belongs) {
        List<Vm> out = new ArrayList<>(list.size() + 1);
        for (Vm v : list) {
            if (!changes.containsKey(v.id())) {
                out.add(v);
            }
        }
        for (Vm v : changes.values()) {
            if (belongs.test(v)) {
                out.add(v);
            }
        }
        return List.copyOf(out);
    }

    public ClusterSnapshot withSamples(Map<String, List<LoadSample>> newSamples) {
        return new ClusterSnapshot(hosts, vms, traffic, newSamples, groupPolicies);
    }

    public ClusterSnapshot with(Collection<Host> newHosts, Collection<Vm> newVms, Collection<Traffic> newTraffic) {
        return new ClusterSnapshot(List.copyOf(newHosts), List.copyOf(newVms), List.copyOf(newTraffic), samples, groupPolicies);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClusterSnapshot c && hosts.equals(c.hosts) && vms.equals(c.vms)
                && traffic.equals(c.traffic) && samples.equals(c.samples) && groupPolicies.equals(c.groupPolicies);
    }

    @Override
    public int hashCode() {
        return Objects.hash(hosts, vms, traffic);
    }
}
