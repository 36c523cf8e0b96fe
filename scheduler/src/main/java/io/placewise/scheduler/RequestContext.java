package io.placewise.scheduler;

import io.placewise.model.ClusterSnapshot;
import io.placewise.model.HistoryRecord;
import io.placewise.model.HostUsage;
import io.placewise.model.PlacementSpec;
import io.placewise.model.Vm;
import io.placewise.plugin.PlacementContext;
import io.placewise.plugin.StateKey;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One request's view of the cluster: the snapshot plus the instances this request has placed so
 * far. Group membership is computed once per request and updated as instances are claimed.
 */
final class RequestContext implements PlacementContext {
    private final ClusterSnapshot cluster;
    private final PlacementSpec spec;
    private final Map<String, List<Vm>> claims = new HashMap<>();
    private final Map<String, Integer> groupCount;
    private final List<HistoryRecord> history;
    /** Per-request state by key (keys compare by identity), filled on first use. */
    private final Map<StateKey<?>, Object> state = new IdentityHashMap<>();

    RequestContext(PlacementRequest request) {
        this.cluster = request.cluster();
        this.spec = request.spec();
        this.history = request.history();
        this.groupCount = spec.group() == null ? new HashMap<>() : countGroupMembers();
    }

    private Map<String, Integer> countGroupMembers() {
        Set<String> seen = new HashSet<>();
        Map<String, Integer> count = new HashMap<>();
        String self = spec.instanceUuid();
        for (String id : spec.group().members()) {
            Vm vm = cluster.vm(id);
            if (vm != null && !id.equals(self) && seen.add(id)) {
                count.merge(vm.host(), 1, Integer::sum);
            }
        }
        if (spec.group().name() != null) {
            for (Vm vm : cluster.groupMembers(spec.group().name())) {
                if (!vm.id().equals(self) && seen.add(vm.id())) {
                    count.merge(vm.host(), 1, Integer::sum);
                }
            }
        }
        // Hosts the cloud says hold members (Nova's InstanceGroup.hosts): at least one member per
        // listing, even when those members never reached Placewise's snapshot. Nova lists a host
        // again for each instance it places there within one request.
        Map<String, Integer> reported = new HashMap<>();
        spec.group().hosts().forEach(h -> reported.merge(h, 1, Integer::sum));
        reported.forEach((h, n) -> count.merge(h, n, Math::max));
        return count;
    }

    /** Records that this request placed one more instance on {@code host}. */
    void claim(String host, Vm vm) {
        claims.computeIfAbsent(host, k -> new ArrayList<>()).add(vm);
        if (spec.group() != null) {
            groupCount.merge(host, 1, Integer::sum);
        }
    }

    @Override
    public PlacementSpec spec() {
        return spec;
    }

    @Override
    public ClusterSnapshot cluster() {
        return cluster;
    }

    @Override
    public List<Vm> vmsOn(String host) {
        List<Vm> claimed = claims.get(host);
        if (claimed == null) {
            return cluster.vmsOn(host);
        }
        List<Vm> all = new ArrayList<>(cluster.vmsOn(host));
        all.addAll(claimed);
        return Collections.unmodifiableList(all);
    }

    @Override
    public HostUsage usage(String host) {
        HostUsage u = cluster.usage(host);
        if (claims.isEmpty()) {
            return u;
        }
        for (Vm vm : claims.getOrDefault(host, List.of())) {
            u = u.plus(vm);
        }
        return u;
    }

    /** No lookup at all until this request has placed an instance (most requests place one). */
    @Override
    public int claimedOn(String host) {
        if (claims.isEmpty()) {
            return 0;
        }
        List<Vm> claimed = claims.get(host);
        return claimed == null ? 0 : claimed.size();
    }

    @Override
    public Set<String> groupHosts() {
        return Collections.unmodifiableSet(groupCount.keySet());
    }

    @Override
    public List<HistoryRecord> history() {
        return history;
    }

    /**
     * Computed on first use, once per request, and shared by its plugins and instances (Kubernetes'
     * CycleState). Not computeIfAbsent: one key's value may read another's (traffic by host reads the
     * traffic), and a map must not be changed while it computes.
     */
    @Override
    public <T> T state(StateKey<T> key) {
        @SuppressWarnings("unchecked")
        T value = (T) state.get(key);
        if (value == null) {
            value = key.computeFor(this);
            state.put(key, value);
        }
        return value;
    }

    @Override
    public int groupMembersOn(String host) {
        return groupCount.getOrDefault(host, 0);
    }
}
