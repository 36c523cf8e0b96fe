package io.placewise.model;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Changes a {@link ClusterSnapshot} in O(what changes): the hosts a change touches are copied
 * (their VMs, window and sent traffic), the cluster-wide indexes get new entries for the keys that
 * change, and {@link #build()} shares everything else with the base.
 *
 * <p>Edits come in changes: {@link #begin()} starts one, {@link #rollback()} undoes it whole (a
 * refused profiler sample changes nothing), {@link #commit()} keeps it. {@link #delta()} then says
 * which hosts the kept changes touched, which is all a store needs to write.
 *
 * <p>Reads see the edits made so far. Not thread-safe: one writer edits at a time.
 */
public final class ClusterEditor {
    private final ClusterSnapshot base;

    // ---- kept changes
    /** Host → its state after the kept changes; a null value: removed. */
    private final HashMap<String, HostState> states = new HashMap<>();
    /** Host names in slot order, once the set of hosts changed. */
    private ArrayList<String> order;
    private LayeredMap<String, String> vmHost;
    private LayeredMap<String, String[]> groups;
    private LayeredMap<String, String[]> inbound;
    private Map<String, Set<String>> migratingInto;
    private Map<String, GroupPolicy> groupPolicies;
    private final Set<String> changed = new LinkedHashSet<>();
    private final Set<String> everRemoved = new HashSet<>();

    // ---- the change in progress
    private final HashMap<String, Draft> drafts = new HashMap<>();
    private LayeredMap<String, String> savedVmHost;
    private LayeredMap<String, String[]> savedGroups;
    private LayeredMap<String, String[]> savedInbound;
    private Map<String, Set<String>> savedMigratingInto;
    private Map<String, GroupPolicy> savedGroupPolicies;
    private ArrayList<String> savedOrder;
    private boolean orderSaved;

    private Delta delta;

    ClusterEditor(ClusterSnapshot base) {
        this.base = base;
        this.vmHost = base.vmHost;
        this.groups = base.groups;
        this.inbound = base.inbound;
        this.migratingInto = base.migratingInto;
        this.groupPolicies = base.groupPolicies;
        begin();
    }

    /**
     * What the kept changes did, host by host, as a store writes it.
     *
     * @param inserted hosts new to the base (or removed and added again): insert
     * @param updated  other hosts whose state changed: rewrite
     * @param deleted  hosts of the base that were removed
     * @param groupPoliciesChanged whether the server groups' policies changed
     */
    public record Delta(Set<String> inserted, Set<String> updated, Set<String> deleted, boolean groupPoliciesChanged) {
        public boolean isEmpty() {
            return inserted.isEmpty() && updated.isEmpty() && deleted.isEmpty() && !groupPoliciesChanged;
        }
    }

    // ---- changes ------------------------------------------------------------------------------

    /** Keeps the change in progress and starts the next one. */
    public void begin() {
        commit();
    }

    /** Keeps the change in progress. */
    public void commit() {
        for (Draft d : drafts.values()) {
            String name = d.name;
            if (d.removed) {
                states.put(name, null);
                changed.remove(name);
                if (base.state(name) != null) {
                    everRemoved.add(name);
                }
            } else {
                states.put(name, d.freeze());
                changed.add(name);
                if (d.recreated && base.state(name) != null) {
                    everRemoved.add(name);
                }
            }
        }
        drafts.clear();
        savedVmHost = vmHost;
        savedGroups = groups;
        savedInbound = inbound;
        savedMigratingInto = migratingInto;
        savedGroupPolicies = groupPolicies;
        savedOrder = null;
        orderSaved = false;
    }

    /** Undoes the change in progress: every edit since {@link #begin()}. */
    public void rollback() {
        drafts.clear();
        vmHost = savedVmHost;
        groups = savedGroups;
        inbound = savedInbound;
        migratingInto = savedMigratingInto;
        groupPolicies = savedGroupPolicies;
        if (orderSaved) {
            order = savedOrder;
        }
        orderSaved = false;
        savedOrder = null;
    }

    /** Keeps the change in progress and returns the snapshot; {@link #delta()} says what changed. */
    public ClusterSnapshot build() {
        commit();
        Set<String> inserted = new LinkedHashSet<>();
        Set<String> updated = new LinkedHashSet<>();
        Set<String> deleted = new LinkedHashSet<>();
        for (String name : changed) {
            if (base.state(name) == null || everRemoved.contains(name)) {
                inserted.add(name);
            } else {
                updated.add(name);
            }
        }
        deleted.addAll(everRemoved);
        delta = new Delta(Collections.unmodifiableSet(inserted), Collections.unmodifiableSet(updated),
                Collections.unmodifiableSet(deleted), !groupPolicies.equals(base.groupPolicies));
        if (states.isEmpty() && order == null && groupPolicies == base.groupPolicies) {
            return base;
        }
        HostState[] slots;
        Map<String, Integer> slotOf;
        if (states.isEmpty() && order == null) {
            return base.withGroupPolicies(groupPolicies);
        }
        if (order == null) {
            slots = base.slots.clone();
            for (Map.Entry<String, HostState> e : states.entrySet()) {
                slots[base.slotOf.get(e.getKey())] = e.getValue();
            }
            slotOf = base.slotOf;
        } else {
            slots = new HostState[order.size()];
            for (int i = 0; i < slots.length; i++) {
                slots[i] = kept(order.get(i));
            }
            slotOf = ClusterSnapshot.slotIndex(slots);
        }
        return new ClusterSnapshot(slots, slotOf, base.sorted, vmHost.compacted(), groups.compacted(),
                inbound.compacted(), migratingInto, base.staleness, base.asOf, groupPolicies);
    }

    /** What the kept changes touched; after {@link #build()}. */
    public Delta delta() {
        if (delta == null) {
            throw new IllegalStateException("build() first");
        }
        return delta;
    }

    // ---- reads --------------------------------------------------------------------------------

    public ClusterSnapshot base() {
        return base;
    }

    public Host host(String name) {
        Draft d = drafts.get(name);
        if (d != null) {
            return d.removed ? null : d.host;
        }
        HostState s = kept(name);
        return s == null ? null : s.host;
    }

    public Vm vm(String id) {
        String h = vmHost.get(id);
        if (h == null) {
            return null;
        }
        Draft d = drafts.get(h);
        if (d != null) {
            return d.vms != null ? d.vms.get(id) : d.origin.vm(id);
        }
        HostState s = kept(h);
        return s == null ? null : s.vm(id);
    }

    /** The VM if it runs on {@code host} (a lookup in that host alone), else null. */
    public Vm vmOn(String host, String id) {
        Draft d = drafts.get(host);
        if (d != null) {
            return d.removed ? null : d.vms != null ? d.vms.get(id) : d.origin.vm(id);
        }
        HostState s = kept(host);
        return s == null ? null : s.vm(id);
    }

    /** Whether the cluster has this VM (one index lookup). */
    public boolean hasVm(String id) {
        return vmHost.get(id) != null;
    }

    /** The host's VMs; sorted by id. */
    public List<Vm> vmsOn(String host) {
        Draft d = drafts.get(host);
        if (d != null) {
            if (d.removed) {
                return List.of();
            }
            return d.vms == null ? d.origin.vms : sortedById(d.vms.values());
        }
        HostState s = kept(host);
        return s == null ? List.of() : s.vms;
    }

    public List<LoadSample> samples(String host) {
        Draft d = drafts.get(host);
        if (d != null) {
            return d.removed ? List.of() : Collections.unmodifiableList(d.samples);
        }
        HostState s = kept(host);
        return s == null ? List.of() : s.samples;
    }

    public Instant lastSampleAt(String host) {
        Draft d = drafts.get(host);
        if (d != null) {
            return d.removed ? null : d.lastSampleAt;
        }
        HostState s = kept(host);
        return s == null ? null : s.lastSampleAt;
    }

    public Set<String> migratingIn(String host) {
        Draft d = drafts.get(host);
        if (d != null) {
            return d.removed ? Set.of() : d.migratingIn;
        }
        HostState s = kept(host);
        return s == null ? Set.of() : s.migratingIn;
    }

    /** The hosts that report {@code vmId} as migrating in (usually none or one). */
    public Set<String> reportedMigratingInto(String vmId) {
        return migratingInto.getOrDefault(vmId, Set.of());
    }

    /** The policies of the cloud's server groups, by group name. */
    public Map<String, GroupPolicy> groupPolicies() {
        return groupPolicies;
    }

    /** All VMs naming the group, sorted by id. */
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
        return out;
    }

    public List<MoveFence> fences(String host) {
        Draft d = drafts.get(host);
        if (d != null) {
            return d.removed ? List.of() : d.fences;
        }
        HostState s = kept(host);
        return s == null ? List.of() : s.fences;
    }

    /** What {@code vmId} sends, receiver → Mbit/s. */
    public Map<String, Double> trafficFrom(String vmId) {
        String h = vmHost.get(vmId);
        if (h == null) {
            return Map.of();
        }
        Map<String, Double> m = sentOf(h).get(vmId);
        return m == null ? Map.of() : m;
    }

    /** Traffic of a VM with each peer, Mbit/s, both directions summed. */
    public Map<String, Double> peersOf(String vmId) {
        Map<String, Double> out = new HashMap<>();
        trafficFrom(vmId).forEach((peer, mbps) -> {
            if (!peer.equals(vmId)) {
                out.merge(peer, mbps, Double::sum);
            }
        });
        String[] senders = inbound.get(vmId);
        if (senders != null) {
            for (String src : senders) {
                Double mbps = src.equals(vmId) ? null : trafficFrom(src).get(vmId);
                if (mbps != null) {
                    out.merge(src, mbps, Double::sum);
                }
            }
        }
        return out;
    }

    // ---- writes -------------------------------------------------------------------------------

    /** Adds the host, or replaces what is known of it (its VMs, window and reports stay). */
    public void putHost(Host h) {
        Draft d = draft(h.name());
        if (d != null) {
            d.host = h;
            return;
        }
        Draft prev = drafts.get(h.name());
        Draft fresh = new Draft(h);
        fresh.recreated = prev != null && prev.removed;
        drafts.put(h.name(), fresh);
        List<String> names = orderForChange();
        if (base.sorted) {
            int at = Collections.binarySearch(names, h.name());
            names.add(at < 0 ? -at - 1 : at, h.name());
        } else {
            names.add(h.name());
        }
    }

    /** Removes the host with its VMs (and their traffic), its window and its reports. */
    public boolean removeHost(String name) {
        Draft d = draft(name);
        if (d == null) {
            return false;
        }
        for (Vm v : vmsOn(name)) {
            removeVm(v.id());
        }
        setMigratingIn(name, Set.of());
        d.removed = true;
        orderForChange().remove(name);
        return true;
    }

    /**
     * Adds the VM, or changes it; a VM on another host than before has moved (the traffic it sends
     * moves with it). Its load is taken as given: see {@link LoadShift} for a migration's.
     *
     * @throws IllegalArgumentException when its host is unknown
     */
    public void putVm(Vm v) {
        Draft to = draft(v.host());
        if (to == null) {
            throw new IllegalArgumentException("VM '" + v.id() + "' is on unknown host '" + v.host() + "'");
        }
        // Usually the VM was on this host already: no cluster-wide lookup then.
        Vm here = to.vms().get(v.id());
        String oldHost = here != null ? v.host() : vmHost.get(v.id());
        Vm old = here != null ? here : oldHost == null ? null : vm(v.id());
        if (old != null && !oldHost.equals(v.host())) {
            Draft from = draft(oldHost);
            from.vms().remove(v.id());
            Map<String, Double> sends = from.sent().remove(v.id());
            if (sends != null) {
                to.sent().put(v.id(), sends);
            }
        }
        to.vms().put(v.id(), v);
        if (old == null || !oldHost.equals(v.host())) {
            vmHost = vmHost.plus(v.id(), v.host());
        }
        String oldGroup = old == null ? null : old.group();
        if (!Objects.equals(oldGroup, v.group())) {
            if (oldGroup != null) {
                groups = without(groups, oldGroup, v.id());
            }
            if (v.group() != null) {
                groups = groups.plus(v.group(), ClusterSnapshot.plus(groups.get(v.group()), v.id()));
            }
        }
    }

    /** Removes the VM and the traffic it sends and receives; false when it is unknown. */
    public boolean removeVm(String id) {
        String h = vmHost.get(id);
        if (h == null) {
            return false;
        }
        Draft d = draft(h);
        Vm old = d.vms().remove(id);
        Map<String, Double> sends = d.sent().remove(id);
        if (sends != null) {
            for (String dst : sends.keySet()) {
                inbound = without(inbound, dst, id);
            }
        }
        String[] senders = inbound.get(id);
        if (senders != null) {
            for (String src : senders) {
                String sh = vmHost.get(src);
                if (sh == null || src.equals(id)) {
                    continue;
                }
                Draft sd = draft(sh);
                Map<String, Double> to = sd.sent().get(src);
                if (to != null && to.containsKey(id)) {
                    Map<String, Double> rest = new HashMap<>(to);
                    rest.remove(id);
                    if (rest.isEmpty()) {
                        sd.sent().remove(src);
                    } else {
                        sd.sent().put(src, Map.copyOf(rest));
                    }
                }
            }
            inbound = inbound.minus(id);
        }
        vmHost = vmHost.minus(id);
        if (old != null && old.group() != null) {
            groups = without(groups, old.group(), id);
        }
        return true;
    }

    /**
     * Replaces the traffic {@code src} sends: receiver → Mbit/s (empty: none).
     *
     * @throws IllegalArgumentException when {@code src} is unknown
     */
    public void setTrafficFrom(String src, Map<String, Double> toPeers) {
        String h = vmHost.get(src);
        if (h == null) {
            throw new IllegalArgumentException("traffic from unknown VM '" + src + "'");
        }
        setTrafficFrom(h, src, toPeers);
    }

    /**
     * {@link #setTrafficFrom(String, Map)} for a VM the caller knows runs on {@code host}.
     *
     * @throws IllegalArgumentException when it does not
     */
    public void setTrafficFrom(String host, String src, Map<String, Double> toPeers) {
        Draft d = draft(host);
        if (d == null || !d.vms().containsKey(src)) {
            throw new IllegalArgumentException("'" + src + "' is not a VM of '" + host + "'");
        }
        Map<String, Double> old = d.sent().getOrDefault(src, Map.of());
        for (String dst : old.keySet()) {
            if (!toPeers.containsKey(dst)) {
                inbound = without(inbound, dst, src);
            }
        }
        for (String dst : toPeers.keySet()) {
            if (!old.containsKey(dst)) {
                inbound = inbound.plus(dst, ClusterSnapshot.plus(inbound.get(dst), src));
            }
        }
        if (toPeers.isEmpty()) {
            d.sent().remove(src);
        } else {
            d.sent().put(src, Map.copyOf(toPeers));
        }
    }

    /**
     * Adds a sample to the host's window in time order (after samples of the same time) and keeps
     * the newest {@code window}.
     */
    public void appendSample(String host, LoadSample s, int window) {
        Draft d = existing(host);
        List<LoadSample> w = d.samples();
        int at = w.size();
        while (at > 0 && w.get(at - 1).at().isAfter(s.at())) {
            at--;
        }
        w.add(at, s);
        if (w.size() > window) {
            w.subList(0, w.size() - window).clear();
        }
    }

    /** Replaces the host's whole window (oldest first). */
    public void setSamples(String host, List<LoadSample> window) {
        Draft d = existing(host);
        d.samples = new ArrayList<>(window);
        d.samplesCopied = true;
    }

    public void setLastSampleAt(String host, Instant at) {
        existing(host).lastSampleAt = at;
    }

    /** The VMs the host's latest sample reported as migrating in. */
    public void setMigratingIn(String host, Set<String> vms) {
        Draft d = existing(host);
        if (d.migratingIn.equals(vms)) {
            return;
        }
        Map<String, Set<String>> into = new HashMap<>(migratingInto);
        for (String id : d.migratingIn) {
            Set<String> rest = new HashSet<>(into.getOrDefault(id, Set.of()));
            rest.remove(host);
            if (rest.isEmpty()) {
                into.remove(id);
            } else {
                into.put(id, Set.copyOf(rest));
            }
        }
        migratingInto = Collections.unmodifiableMap(reporters(into, Map.of(host, vms)));
        d.migratingIn = Set.copyOf(vms);
    }

    /** {@code index} (VM → reporting hosts) with each host's reported VMs added. */
    static Map<String, Set<String>> reporters(Map<String, Set<String>> index, Map<String, Set<String>> byHost) {
        Map<String, Set<String>> out = new HashMap<>(index);
        byHost.forEach((host, ids) -> ids.forEach(id -> {
            Set<String> hosts = new HashSet<>(out.getOrDefault(id, Set.of()));
            hosts.add(host);
            out.put(id, Set.copyOf(hosts));
        }));
        return out;
    }

    /** Replaces the policies of the cloud's server groups (the VMs naming a group are unchanged). */
    public void setGroupPolicies(Map<String, GroupPolicy> policies) {
        groupPolicies = Map.copyOf(policies);
    }

    public void setFences(String host, List<MoveFence> fences) {
        existing(host).fences = List.copyOf(fences);
    }

    // ---- internals ----------------------------------------------------------------------------

    /** The host's state after the kept changes (null: unknown or removed). */
    private HostState kept(String name) {
        if (states.containsKey(name)) {
            return states.get(name);
        }
        return base.state(name);
    }

    private Map<String, Map<String, Double>> sentOf(String host) {
        Draft d = drafts.get(host);
        if (d != null) {
            return d.sent != null ? d.sent : d.origin == null ? Map.of() : d.origin.sent;
        }
        HostState s = kept(host);
        return s == null ? Map.of() : s.sent;
    }

    /** The host's draft in this change, made on first use; null when the host is unknown. */
    private Draft draft(String name) {
        Draft d = drafts.get(name);
        if (d != null) {
            return d.removed ? null : d;
        }
        HostState s = kept(name);
        if (s == null) {
            return null;
        }
        d = new Draft(s);
        drafts.put(name, d);
        return d;
    }

    private Draft existing(String host) {
        Draft d = draft(host);
        if (d == null) {
            throw new IllegalArgumentException("unknown host '" + host + "'");
        }
        return d;
    }

    private List<String> orderForChange() {
        if (order == null) {
            order = new ArrayList<>(base.slots.length + 1);
            for (HostState s : base.slots) {
                order.add(s.host.name());
            }
            orderSaved = true;
            savedOrder = null;
        } else if (!orderSaved) {
            savedOrder = new ArrayList<>(order);
            orderSaved = true;
        }
        return order;
    }

    private static LayeredMap<String, String[]> without(LayeredMap<String, String[]> index, String key, String id) {
        String[] rest = ClusterSnapshot.minus(index.get(key), id);
        return rest == null ? index.minus(key) : index.plus(key, rest);
    }

    private static List<Vm> sortedById(Collection<Vm> vms) {
        List<Vm> out = new ArrayList<>(vms);
        out.sort(Comparator.comparing(Vm::id));
        return List.copyOf(out);
    }

    /** One host's state while a change edits it. */
    private static final class Draft {
        final String name;
        /** What the host was before this change; null for a host this change added. */
        final HostState origin;
        Host host;
        HashMap<String, Vm> vms;
        List<LoadSample> samples;
        boolean samplesCopied;
        Instant lastSampleAt;
        HashMap<String, Map<String, Double>> sent;
        Set<String> migratingIn;
        List<MoveFence> fences;
        boolean removed;
        /** Added again after this change removed it. */
        boolean recreated;

        Draft(HostState origin) {
            this.name = origin.host.name();
            this.origin = origin;
            this.host = origin.host;
            this.samples = origin.samples;
            this.lastSampleAt = origin.lastSampleAt;
            this.migratingIn = origin.migratingIn;
            this.fences = origin.fences;
        }

        Draft(Host host) {
            this.name = host.name();
            this.origin = null;
            this.host = host;
            this.vms = new HashMap<>();
            this.samples = new ArrayList<>();
            this.samplesCopied = true;
            this.sent = new HashMap<>();
            this.migratingIn = Set.of();
            this.fences = List.of();
        }

        HashMap<String, Vm> vms() {
            if (vms == null) {
                vms = new HashMap<>(origin.vms.size() * 2 + 2);
                for (Vm v : origin.vms) {
                    vms.put(v.id(), v);
                }
            }
            return vms;
        }

        HashMap<String, Map<String, Double>> sent() {
            if (sent == null) {
                sent = new HashMap<>(origin.sent);
            }
            return sent;
        }

        List<LoadSample> samples() {
            if (!samplesCopied) {
                samples = new ArrayList<>(samples);
                samplesCopied = true;
            }
            return samples;
        }

        HostState freeze() {
            List<Vm> sortedVms = vms == null ? origin.vms : sortedById(vms.values());
            Map<String, Map<String, Double>> s = sent == null ? origin.sent
                    : sent.isEmpty() ? Map.of() : Collections.unmodifiableMap(new HashMap<>(sent));
            List<LoadSample> w = samplesCopied ? List.copyOf(samples) : samples;
            return new HostState(host, sortedVms, w, lastSampleAt, s, migratingIn, fences);
        }
    }
}
