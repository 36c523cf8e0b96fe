package io.placewise.model;

import java.time.Instant;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.RandomAccess;
import java.util.Set;

/**
 * The cluster at one moment: hosts, VMs, inter-VM traffic and each host's recent load window.
 * Immutable, so readers take no lock. Every index a plugin needs (VMs by host, usage, workload and
 * nonsharable counts, traffic, group members) is answered in O(1) or O(log n).
 *
 * <p>It is stored per host: each host's state (its VMs, their indexes, its window, the traffic its
 * VMs send) is one immutable object, and the cluster-wide indexes (where a VM runs, a group's
 * members, who sends to a VM) are persistent maps. A change made through {@link #edit()} copies only
 * the hosts it touches and the index entries whose keys it changes; everything else is shared with
 * this snapshot. A profiler sample therefore costs the work on its own host (O(that host's VMs) and
 * O(log n) per index entry it changes) plus one copy of the array of host references (O(hosts), no
 * per-VM work), and nothing proportional to the VMs of other hosts. What does cost O(cluster): the
 * flat {@link #vms()}, {@link #traffic()} and {@link #allSamples()} views, materialised on first use
 * (GET /v1/cluster, persisting a whole snapshot), and building a snapshot from lists.
 */
public final class ClusterSnapshot {
    public static final ClusterSnapshot EMPTY = new ClusterSnapshot(List.of(), List.of(), List.of(), Map.of());

    /** Host states in host order (by name when {@link #sorted}). */
    final HostState[] slots;
    /** Host name → slot; shared between versions while the set of hosts is unchanged. */
    final Map<String, Integer> slotOf;
    final boolean sorted;
    final LayeredMap<String, String> vmHost;
    /** Group → member ids, sorted. */
    final LayeredMap<String, String[]> groups;
    /** Receiver → ids of the VMs that send to it, sorted. */
    final LayeredMap<String, String[]> inbound;
    /** VM → the hosts that report it as migrating in (usually one). */
    final Map<String, Set<String>> migratingInto;
    final Staleness staleness;
    /** The moment staleness is judged at; null: nothing is stale. */
    final Instant asOf;
    /** Policies of the server groups the cloud defined (Nova's), by group name; see {@link #groupPolicy}. */
    final Map<String, GroupPolicy> groupPolicies;
    /**
     * {@link #asOf} minus {@link Staleness#after()}, computed once per snapshot: a host whose last sample
     * is before it is stale ({@code asOf > last + after}). Null: nothing is stale.
     */
    private final Instant staleBefore;

    private final List<Host> hostList;
    /** Materialised on first use (O(VMs)); given order for a snapshot built from lists. */
    private volatile List<Vm> vmList;
    private volatile List<Traffic> trafficList;
    private volatile Map<String, List<LoadSample>> sampleMap;
    /** The VM and traffic lists are the ones given (not canonical order). */
    private boolean givenOrder;

    /**
     * @throws IllegalArgumentException on duplicate names, a VM on an unknown host, traffic from an
     *         unknown VM or a duplicate traffic pair; the message names the offending entry.
     */
    public ClusterSnapshot(List<Host> hosts, List<Vm> vms, List<Traffic> traffic,
                           Map<String, List<LoadSample>> samples) {
        this(hosts, vms, traffic, samples, Map.of());
    }

    /** As {@link #ClusterSnapshot(List, List, List, Map)}, with the policies of the cloud's server groups. */
    public ClusterSnapshot(List<Host> hosts, List<Vm> vms, List<Traffic> traffic,
                           Map<String, List<LoadSample>> samples, Map<String, GroupPolicy> groupPolicies) {
        this(new Builder().addAll(hosts, vms, traffic, samples).parts(), List.copyOf(vms), List.copyOf(traffic),
                Map.copyOf(groupPolicies));
    }

    private ClusterSnapshot(Parts p, List<Vm> vmList, List<Traffic> trafficList, Map<String, GroupPolicy> groupPolicies) {
        this(p.slots, p.slotOf, p.sorted, p.vmHost, p.groups, p.inbound, p.migratingInto, Staleness.NEVER, null,
                groupPolicies);
        this.vmList = vmList;
        this.trafficList = trafficList;
        this.givenOrder = true;
    }

    ClusterSnapshot(HostState[] slots, Map<String, Integer> slotOf, boolean sorted, LayeredMap<String, String> vmHost,
                    LayeredMap<String, String[]> groups, LayeredMap<String, String[]> inbound,
                    Map<String, Set<String>> migratingInto, Staleness staleness, Instant asOf,
                    Map<String, GroupPolicy> groupPolicies) {
        this.slots = slots;
        this.slotOf = slotOf;
        this.sorted = sorted;
        this.vmHost = vmHost;
        this.groups = groups;
        this.inbound = inbound;
        this.migratingInto = migratingInto;
        this.staleness = staleness;
        this.asOf = asOf;
        this.groupPolicies = groupPolicies;
        this.hostList = new HostList(slots);
        this.staleBefore = asOf == null || staleness.after().isZero() ? null : asOf.minus(staleness.after());
    }

    // ---- hosts -------------------------------------------------------------------------------

    public List<Host> hosts() {
        return hostList;
    }

    public Host host(String name) {
        HostState s = state(name);
        return s == null ? null : s.host;
    }

    /**
     * The host's state. Plugins ask about the candidates one after another in host order, so the slot
     * after the last one found is tried first, by identity of the name (the candidate's own string):
     * no hashing, no map nodes, no boxed index for most lookups at 10,000 hosts. {@link #hint} is only
     * a guess, checked before use, so threads sharing this snapshot can race on it harmlessly.
     */
    HostState state(String name) {
        HostState[] s = slots;
        int h = hint;
        for (int i = h, end = Math.min(s.length, h + HINT_SCAN); i < end; i++) {
            if (s[i].host.name() == name) {
                hint = i;
                return s[i];
            }
        }
        Integer i = slotOf.get(name);
        if (i == null) {
            return null;
        }
        hint = i;
        return s[i];
    }

    /** How many slots from the last one found {@link #state} tries before hashing the name. */
    private static final int HINT_SCAN = 4;
    /** The slot {@link #state} found last (a racy hint; see there). */
    private int hint;

    public List<Vm> vmsOn(String host) {
        HostState s = state(host);
        return s == null ? List.of() : s.vms;
    }

    public HostUsage usage(String host) {
        HostState s = state(host);
        return s == null || s.vms.isEmpty() ? HostUsage.NONE : s.usage;
    }

    /** How many VMs of the given workload class the host runs; O(1). */
    public int workloadCount(String host, WorkloadClass workload) {
        HostState s = state(host);
        return s == null ? 0 : s.workloads[workload.ordinal()];
    }

    /**
     * How many VMs of each of {@code classes} the host runs, into {@code out} (same positions): several
     * classes for one index lookup, nothing allocated (a weigher asks this of every host).
     */
    public void workloadCounts(String host, WorkloadClass[] classes, int[] out) {
        HostState s = state(host);
        for (int i = 0; i < classes.length; i++) {
            out[i] = s == null ? 0 : s.workloads[classes[i].ordinal()];
        }
    }

    /**
     * How many VMs on the host list {@code resource} in their {@link Vm#nonsharable()} set
     * (names compared trimmed and case-insensitively); O(1).
     */
    public int nonsharableCount(String host, String resource) {
        HostState s = state(host);
        return s == null ? 0 : s.nonsharable.getOrDefault(HostState.resourceKey(resource), 0);
    }

    /** The host's recent samples, oldest first. */
    public List<LoadSample> samples(String host) {
        HostState s = state(host);
        return s == null ? List.of() : s.samples;
    }

    /** When the bridge received the host's last profiler sample; null when it never reported. */
    public Instant lastSampleAt(String host) {
        HostState s = state(host);
        return s == null ? null : s.lastSampleAt;
    }

    /**
     * Whether the host's agent stopped reporting: it reported before, and not for longer than
     * {@link Staleness#after()} before {@link #asOf()}. See {@link Staleness}.
     */
    public boolean isStale(String host) {
        if (staleBefore == null) {
            return false;
        }
        Instant last = lastSampleAt(host);
        return last != null && last.isBefore(staleBefore);
    }

    public Staleness staleness() {
        return staleness;
    }

    /** The moment {@link #isStale} is judged at; null when staleness is not judged. */
    public Instant asOf() {
        return asOf;
    }

    /** This snapshot judging staleness by {@code rule}. */
    public ClusterSnapshot withStaleness(Staleness rule) {
        return new ClusterSnapshot(slots, slotOf, sorted, vmHost, groups, inbound, migratingInto, rule, asOf,
                groupPolicies).sharingListsOf(this);
    }

    /** This snapshot with staleness judged at {@code now}: O(1), everything is shared. */
    public ClusterSnapshot observedAt(Instant now) {
        return new ClusterSnapshot(slots, slotOf, sorted, vmHost, groups, inbound, migratingInto, staleness, now,
                groupPolicies).sharingListsOf(this);
    }

    private ClusterSnapshot sharingListsOf(ClusterSnapshot other) {
        this.vmList = other.vmList;
        this.trafficList = other.trafficList;
        this.sampleMap = other.sampleMap;
        this.givenOrder = other.givenOrder;
        return this;
    }

    /** VMs the host's last sample reported as migrating in (not yet its VMs). */
    public Set<String> migratingIn(String host) {
        HostState s = state(host);
        return s == null ? Set.of() : s.migratingIn;
    }

    /** The hosts that report {@code vmId} as migrating in (usually none or one). */
    public Set<String> reportedMigratingInto(String vmId) {
        return migratingInto.getOrDefault(vmId, Set.of());
    }

    /** Completed migrations the host's samples taken before them must not undo. */
    public List<MoveFence> fences(String host) {
        HostState s = state(host);
        return s == null ? List.of() : s.fences;
    }

    // ---- VMs, groups, traffic -----------------------------------------------------------------

    /** How many VMs the cluster runs; O(1), unlike {@code vms().size()} the first time. */
    public int vmCount() {
        return vmHost.size();
    }

    /** Every VM; by id unless this snapshot was built from lists (then in their order). */
    public List<Vm> vms() {
        List<Vm> v = vmList;
        if (v == null) {
            List<Vm> all = new ArrayList<>(vmHost.size());
            for (HostState s : slots) {
                all.addAll(s.vms);
            }
            all.sort(Comparator.comparing(Vm::id));
            v = Collections.unmodifiableList(all);
            vmList = v;
        }
        return v;
    }

    public Vm vm(String id) {
        String host = vmHost.get(id);
        if (host == null) {
            return null;
        }
        HostState s = state(host);
        return s == null ? null : s.vm(id);
    }

    public List<Vm> groupMembers(String group) {
        String[] ids = group == null ? null : groups.get(group);
        if (ids == null) {
            return List.of();
        }
        List<Vm> out = new ArrayList<>(ids.length);
        for (String id : ids) {
            Vm v = vm(id);
            if (v != null) {
                out.add(v);
            }
        }
        return Collections.unmodifiableList(out);
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
        return new ClusterSnapshot(slots, slotOf, sorted, vmHost, groups, inbound, migratingInto, staleness, asOf,
                Map.copyOf(policies)).sharingListsOf(this);
    }

    /** Every traffic record; by pair unless this snapshot was built from lists. */
    public List<Traffic> traffic() {
        List<Traffic> t = trafficList;
        if (t == null) {
            List<Traffic> all = new ArrayList<>();
            for (HostState s : slots) {
                s.sent.forEach((src, to) -> to.forEach((dst, mbps) -> all.add(new Traffic(src, dst, mbps))));
            }
            all.sort(BY_PAIR);
            t = Collections.unmodifiableList(all);
            trafficList = t;
        }
        return t;
    }

    private static final Comparator<Traffic> BY_PAIR = Comparator.comparing(Traffic::src).thenComparing(Traffic::dst);

    /** What {@code vmId} sends, receiver → Mbit/s. */
    public Map<String, Double> trafficFrom(String vmId) {
        String host = vmHost.get(vmId);
        HostState s = host == null ? null : state(host);
        Map<String, Double> m = s == null ? null : s.sent.get(vmId);
        return m == null ? Map.of() : m;
    }

    /** Traffic of a VM with each peer, Mbit/s, both directions summed. */
    public Map<String, Double> peersOf(String vmId) {
        Map<String, Double> out = null;
        for (Map.Entry<String, Double> e : trafficFrom(vmId).entrySet()) {
            if (!e.getKey().equals(vmId)) {
                out = out == null ? new HashMap<>() : out;
                out.merge(e.getKey(), e.getValue(), Double::sum);
            }
        }
        String[] senders = inbound.get(vmId);
        if (senders != null) {
            for (String src : senders) {
                Double mbps = src.equals(vmId) ? null : trafficFrom(src).get(vmId);
                if (mbps != null) {
                    out = out == null ? new HashMap<>() : out;
                    out.merge(src, mbps, Double::sum);
                }
            }
        }
        return out == null ? Map.of() : Collections.unmodifiableMap(out);
    }

    /** Every host's window, by host; hosts without samples are left out. */
    public Map<String, List<LoadSample>> allSamples() {
        Map<String, List<LoadSample>> m = sampleMap;
        if (m == null) {
            Map<String, List<LoadSample>> all = new HashMap<>();
            for (HostState s : slots) {
                if (!s.samples.isEmpty()) {
                    all.put(s.host.name(), s.samples);
                }
            }
            m = Collections.unmodifiableMap(all);
            sampleMap = m;
        }
        return m;
    }

    // ---- derived snapshots ----------------------------------------------------------------------

    /** An editor of this snapshot: its changes copy only what they touch. */
    public ClusterEditor edit() {
        return new ClusterEditor(this);
    }

    /**
     * This snapshot in canonical order (hosts by name, VMs by id, traffic by pair), the order in
     * which it is stored; host order also breaks ties between equal weights, so a restart must not
     * change it.
     */
    public ClusterSnapshot canonical() {
        if (sorted && !givenOrder) {
            return this;
        }
        HostState[] s = slots.clone();
        Arrays.sort(s, Comparator.comparing(x -> x.host.name()));
        return new ClusterSnapshot(s, slotIndex(s), true, vmHost, groups, inbound, migratingInto, staleness, asOf,
                groupPolicies);
    }

    static Map<String, Integer> slotIndex(HostState[] slots) {
        Map<String, Integer> m = new HashMap<>(Math.max(16, slots.length * 4 / 3 + 1));
        for (int i = 0; i < slots.length; i++) {
            m.put(slots[i].host.name(), i);
        }
        return Collections.unmodifiableMap(m);
    }

    /**
     * This snapshot with some hosts' load and some VMs' placement or size changed, and new sample
     * windows ({@code newSamples} is every host's window); traffic is unchanged. Costs O(changes)
     * plus a scan of the windows (O(hosts)): what lets the balancer re-plan on a projected 200,000-VM cluster
     * after every move.
     *
     * @throws IllegalArgumentException for a host or VM this snapshot does not have
     */
    public ClusterSnapshot withChanges(Collection<Host> changedHosts, Collection<Vm> changedVms,
                                       Map<String, List<LoadSample>> newSamples) {
        ClusterEditor e = edit();
        for (Host h : changedHosts) {
            if (host(h.name()) == null) {
                throw new IllegalArgumentException("unknown host '" + h.name() + "'");
            }
            e.putHost(h);
        }
        for (Vm v : changedVms) {
            if (vm(v.id()) == null) {
                throw new IllegalArgumentException("unknown VM '" + v.id() + "'");
            }
            e.putVm(v);
        }
        for (HostState s : slots) {
            List<LoadSample> w = newSamples.getOrDefault(s.host.name(), List.of());
            if (w != s.samples && !w.equals(s.samples)) {
                e.setSamples(s.host.name(), w);
            }
        }
        return e.build();
    }

    /**
     * This snapshot with hosts and VMs changed as {@link #withChanges(Collection, Collection, Map)} does, and the
     * sample windows of {@code windowsDropped} hosts gone (their load is then only the projected value); the other
     * windows are shared, so this costs O(changes) plus the copy of the host array, not O(samples).
     */
    public ClusterSnapshot withChanges(Collection<Host> changedHosts, Collection<Vm> changedVms, Set<String> windowsDropped) {
        ClusterEditor e = edit();
        for (Host h : changedHosts) {
            if (host(h.name()) == null) {
                throw new IllegalArgumentException("unknown host '" + h.name() + "'");
            }
            e.putHost(h);
        }
        for (Vm v : changedVms) {
            if (vm(v.id()) == null) {
                throw new IllegalArgumentException("unknown VM '" + v.id() + "'");
            }
            e.putVm(v);
        }
        for (String h : windowsDropped) {
            if (!samples(h).isEmpty()) {
                e.setSamples(h, List.of());
            }
        }
        return e.build();
    }

    /**
     * This snapshot (hosts, VMs, traffic) with the history {@code before} has of the same hosts: their
     * sample windows and last report times. What replacing a whole cluster keeps; O(hosts), the VM
     * indexes of this snapshot are shared.
     */
    public ClusterSnapshot withHistoryOf(ClusterSnapshot before) {
        HostState[] s = slots.clone();
        for (int i = 0; i < s.length; i++) {
            HostState old = before.state(s[i].host.name());
            if (old != null) {
                HostState cur = s[i];
                s[i] = new HostState(cur.host, cur.vms, old.samples, old.lastSampleAt, cur.sent, cur.migratingIn, cur.fences);
            }
        }
        ClusterSnapshot out = new ClusterSnapshot(s, slotOf, sorted, vmHost, groups, inbound, migratingInto, staleness, asOf,
                groupPolicies);
        out.vmList = vmList;
        out.trafficList = trafficList;
        out.givenOrder = givenOrder;
        return out;
    }

    public ClusterSnapshot withSamples(Map<String, List<LoadSample>> newSamples) {
        return new ClusterSnapshot(hosts(), vms(), traffic(), newSamples, groupPolicies).withStaleness(staleness);
    }

    public ClusterSnapshot with(Collection<Host> newHosts, Collection<Vm> newVms, Collection<Traffic> newTraffic) {
        return new ClusterSnapshot(List.copyOf(newHosts), List.copyOf(newVms), List.copyOf(newTraffic), allSamples(),
                groupPolicies).withStaleness(staleness);
    }

    /**
     * Whether {@code host} is the same in both snapshots: the host, its VMs, window, the traffic its
     * VMs send and its reports. O(that host): what a store compares to write only the hosts a
     * whole-snapshot change touched.
     */
    public boolean sameHost(String host, ClusterSnapshot other) {
        HostState a = state(host);
        HostState b = other.state(host);
        return a == b || (a != null && b != null && a.sameAs(b));
    }

    /** Same hosts, VMs, traffic and per-host state (windows, last report, migrations in, fences). */
    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ClusterSnapshot c) || !hosts().equals(c.hosts()) || !vms().equals(c.vms())
                || !traffic().equals(c.traffic()) || !groupPolicies.equals(c.groupPolicies)) {
            return false;
        }
        for (HostState s : slots) {
            HostState t = c.state(s.host.name());
            if (!s.samples.equals(t.samples) || !Objects.equals(s.lastSampleAt, t.lastSampleAt)
                    || !s.migratingIn.equals(t.migratingIn) || !s.fences.equals(t.fences)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        return hosts().hashCode();
    }

    @Override
    public String toString() {
        return "ClusterSnapshot[" + slots.length + " hosts, " + vmHost.size() + " VMs]";
    }

    /** The hosts in slot order, read through the slots (no copy). */
    private static final class HostList extends AbstractList<Host> implements RandomAccess {
        private final HostState[] slots;

        HostList(HostState[] slots) {
            this.slots = slots;
        }

        @Override
        public Host get(int index) {
            return slots[index].host;
        }

        @Override
        public int size() {
            return slots.length;
        }
    }

    // ---- building from parts ------------------------------------------------------------------

    record Parts(HostState[] slots, Map<String, Integer> slotOf, boolean sorted, LayeredMap<String, String> vmHost,
                 LayeredMap<String, String[]> groups, LayeredMap<String, String[]> inbound,
                 Map<String, Set<String>> migratingInto) {
    }

    /**
     * Builds a snapshot in one pass (O(cluster)): from lists, or host by host as a store loads it.
     * Hosts keep the order they are added in.
     */
    public static final class Builder {
        private final Map<String, Host> hosts = new LinkedHashMap<>();
        private final Map<String, List<Vm>> vmsByHost = new HashMap<>();
        private final HashMap<String, String> vmHost = new HashMap<>();
        private final Map<String, Map<String, Map<String, Double>>> sentByHost = new HashMap<>();
        private final Map<String, List<LoadSample>> samples = new HashMap<>();
        private final Map<String, Instant> lastSampleAt = new HashMap<>();
        private final Map<String, Set<String>> migratingIn = new HashMap<>();
        private final Map<String, List<MoveFence>> fences = new HashMap<>();
        private final List<Traffic> traffic = new ArrayList<>();
        private Staleness staleness = Staleness.NEVER;
        private Map<String, GroupPolicy> groupPolicies = Map.of();

        /** The policies of the cloud's server groups, by group name. */
        public Builder groupPolicies(Map<String, GroupPolicy> policies) {
            this.groupPolicies = policies;
            return this;
        }

        /** @throws IllegalArgumentException on a duplicate host */
        public Builder host(Host h) {
            if (hosts.putIfAbsent(h.name(), h) != null) {
                throw new IllegalArgumentException("duplicate host '" + h.name() + "'");
            }
            return this;
        }

        /** The host's report state: when it last reported, VMs it reports migrating in, its fences. */
        public Builder reports(String host, Instant lastSample, Set<String> migratingInVms, List<MoveFence> hostFences) {
            if (lastSample != null) {
                lastSampleAt.put(host, lastSample);
            }
            if (!migratingInVms.isEmpty()) {
                migratingIn.put(host, Set.copyOf(migratingInVms));
            }
            if (!hostFences.isEmpty()) {
                fences.put(host, List.copyOf(hostFences));
            }
            return this;
        }

        /** @throws IllegalArgumentException on a duplicate VM */
        public Builder vm(Vm v) {
            if (vmHost.put(v.id(), v.host()) != null) {
                throw new IllegalArgumentException("duplicate VM '" + v.id() + "'");
            }
            vmsByHost.computeIfAbsent(v.host(), k -> new ArrayList<>()).add(v);
            return this;
        }

        public Builder traffic(Traffic t) {
            traffic.add(t);
            return this;
        }

        public Builder samples(String host, List<LoadSample> window) {
            if (!window.isEmpty()) {
                samples.put(host, List.copyOf(window));
            }
            return this;
        }

        public Builder staleness(Staleness rule) {
            this.staleness = rule;
            return this;
        }

        Builder addAll(List<Host> hs, List<Vm> vs, List<Traffic> ts, Map<String, List<LoadSample>> ss) {
            hs.forEach(this::host);
            vs.forEach(this::vm);
            ts.forEach(this::traffic);
            ss.forEach(this::samples);
            return this;
        }

        /**
         * @throws IllegalArgumentException on a VM on an unknown host, traffic from an unknown VM
         *         or a duplicate traffic pair
         */
        public ClusterSnapshot build() {
            Parts p = parts();
            return new ClusterSnapshot(p.slots, p.slotOf, p.sorted, p.vmHost, p.groups, p.inbound, p.migratingInto,
                    staleness, null, Map.copyOf(groupPolicies));
        }

        Parts parts() {
            for (Map.Entry<String, List<Vm>> e : vmsByHost.entrySet()) {
                if (!hosts.containsKey(e.getKey())) {
                    throw new IllegalArgumentException("VM '" + e.getValue().get(0).id() + "' is on unknown host '"
                            + e.getKey() + "'");
                }
            }
            HashMap<String, List<String>> receivers = new HashMap<>();
            for (Traffic t : traffic) {
                String host = vmHost.get(t.src());
                if (host == null) {
                    throw new IllegalArgumentException("traffic from unknown VM '" + t.src() + "'");
                }
                Map<String, Double> to = sentByHost.computeIfAbsent(host, k -> new HashMap<>())
                        .computeIfAbsent(t.src(), k -> new HashMap<>());
                if (to.put(t.dst(), t.mbps()) != null) {
                    throw new IllegalArgumentException("duplicate traffic pair " + t.src() + " → " + t.dst());
                }
                receivers.computeIfAbsent(t.dst(), k -> new ArrayList<>()).add(t.src());
            }
            HostState[] slots = new HostState[hosts.size()];
            int i = 0;
            boolean sorted = true;
            String previous = null;
            HashMap<String, List<String>> members = new HashMap<>();
            for (Host h : hosts.values()) {
                String name = h.name();
                if (previous != null && previous.compareTo(name) > 0) {
                    sorted = false;
                }
                previous = name;
                List<Vm> vms = vmsByHost.getOrDefault(name, new ArrayList<>());
                vms.sort(Comparator.comparing(Vm::id));
                for (Vm v : vms) {
                    if (v.group() != null) {
                        members.computeIfAbsent(v.group(), k -> new ArrayList<>()).add(v.id());
                    }
                }
                Map<String, Map<String, Double>> sent = sentByHost.getOrDefault(name, Map.of());
                if (!sent.isEmpty()) {
                    sent.replaceAll((src, to) -> Collections.unmodifiableMap(to));
                }
                slots[i++] = new HostState(h, List.copyOf(vms), samples.getOrDefault(name, List.of()),
                        lastSampleAt.get(name), sent.isEmpty() ? Map.of() : Collections.unmodifiableMap(sent),
                        migratingIn.getOrDefault(name, Set.of()), fences.getOrDefault(name, List.of()));
            }
            Map<String, Set<String>> into = ClusterEditor.reporters(Map.of(), migratingIn);
            return new Parts(slots, slotIndex(slots), sorted, LayeredMap.of(vmHost), LayeredMap.of(sortedArrays(members)),
                    LayeredMap.of(sortedArrays(receivers)), Collections.unmodifiableMap(into));
        }

        private static HashMap<String, String[]> sortedArrays(HashMap<String, List<String>> lists) {
            HashMap<String, String[]> out = new HashMap<>(Math.max(16, lists.size() * 4 / 3 + 1));
            lists.forEach((k, v) -> {
                String[] a = v.toArray(String[]::new);
                Arrays.sort(a);
                out.put(k, a);
            });
            return out;
        }
    }

    /** Sorted-array set helpers for the member and receiver indexes. */
    static String[] plus(String[] set, String id) {
        if (set == null) {
            return new String[] {id};
        }
        int at = Arrays.binarySearch(set, id);
        if (at >= 0) {
            return set;
        }
        int pos = -at - 1;
        String[] out = new String[set.length + 1];
        System.arraycopy(set, 0, out, 0, pos);
        out[pos] = id;
        System.arraycopy(set, pos, out, pos + 1, set.length - pos);
        return out;
    }

    /** {@code set} without {@code id}; null when that leaves it empty. */
    static String[] minus(String[] set, String id) {
        if (set == null) {
            return null;
        }
        int at = Arrays.binarySearch(set, id);
        if (at < 0) {
            return set;
        }
        if (set.length == 1) {
            return null;
        }
        String[] out = new String[set.length - 1];
        System.arraycopy(set, 0, out, 0, at);
        System.arraycopy(set, at + 1, out, at, set.length - at - 1);
        return out;
    }
}
