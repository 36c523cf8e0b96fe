package io.placewise.bridge.nova;

import io.placewise.bridge.nova.NovaResources.Server;
import io.placewise.bridge.service.ClusterStore;
import io.placewise.model.ClusterSnapshot;
import io.placewise.model.GroupPolicy;
import io.placewise.model.Traffic;
import io.placewise.model.Vm;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where what Nova says changes the bridge's cluster: a full sync, and the single
 * changes its notifications announce (a server is on a host with a flavor, a server is gone, a
 * server group is defined or deleted). Every change goes through {@link ClusterStore#update}, so
 * moving to an incremental store entry point is a change of this class only.
 *
 * <p>Like Watcher's cluster data model collector, a sync holds a lock for its whole length
 * (Nova's listings and the merge) and notifications wait for it: a notification that arrives
 * while Nova is being listed is applied after the listing, on top of it, so the newer event wins.
 *
 * <p>Nova announces a server's group membership (API side) before the server reaches a host, so
 * memberships of servers the bridge does not have yet are remembered (bounded) and applied when
 * the server arrives.
 */
public final class NovaStateApplier {
    private static final Logger LOG = LoggerFactory.getLogger(NovaStateApplier.class);
    /** Memberships of servers not placed yet; the oldest are forgotten past this (the next sync restores them). */
    static final int MAX_PENDING_MEMBERS = 100_000;

    /** What one change did. */
    public enum Outcome { APPLIED, UNCHANGED, UNKNOWN_HOST }

    private final ClusterStore cluster;
    private final ReentrantLock lock = new ReentrantLock(true);
    private final Map<String, String> pendingGroup = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > MAX_PENDING_MEMBERS;
        }
    };

    public NovaStateApplier(ClusterStore cluster) {
        this.cluster = cluster;
    }

    /**
     * Reads Nova's inventory and merges it into the cluster while holding the lock.
     *
     * @throws NovaApiException when Nova cannot be read; nothing changes then
     */
    public ClusterSnapshot sync(Supplier<NovaClusterSync.Inventory> fetch) {
        lock.lock();
        try {
            NovaClusterSync.Inventory inventory = fetch.get();
            pendingGroup.clear();
            Set<String> known = new java.util.HashSet<>();
            inventory.servers().forEach(s -> known.add(s.id()));
            inventory.groups().forEach(g -> g.members().stream().filter(m -> !known.contains(m))
                    .forEach(m -> pendingGroup.put(m, g.id())));
            return cluster.update(current -> NovaClusterSync.merge(inventory, current));
        } finally {
            lock.unlock();
        }
    }

    /**
     * The server is on {@code server.host()} with its flavor (a boot, the end of a live migration or
     * of a resize): added, moved or resized; what Placewise measured of it is kept.
     */
    public Outcome serverAt(Server server) {
        lock.lock(); // reentrant: change() takes it again; pendingGroup is read and written under it
        try {
            return serverAtLocked(server);
        } finally {
            lock.unlock();
        }
    }

    private Outcome serverAtLocked(Server server) {
        String pending = pendingGroup.get(server.id());
        Outcome outcome = change(current -> {
            if (server.host() == null || current.host(server.host()) == null) {
                return null;
            }
            Vm old = current.vm(server.id());
            String group = pending != null ? pending : old == null ? null : old.group();
            Vm next = NovaClusterSync.vm(server, server.host(), old, group);
            if (next.equals(old)) {
                return current;
            }
            List<Vm> vms = new ArrayList<>(current.vms().size() + 1);
            current.vms().forEach(v -> {
                if (!v.id().equals(server.id())) {
                    vms.add(v);
                }
            });
            vms.add(next);
            return current.with(current.hosts(), vms, current.traffic());
        });
        if (outcome != Outcome.UNKNOWN_HOST) {
            pendingGroup.remove(server.id());
        }
        return outcome;
    }

    /** The server was deleted: it leaves the cluster with its traffic. */
    public Outcome serverGone(String serverId) {
        return change(current -> {
            pendingGroup.remove(serverId);
            if (current.vm(serverId) == null) {
                return current;
            }
            List<Vm> vms = current.vms().stream().filter(v -> !v.id().equals(serverId)).toList();
            List<Traffic> traffic = current.traffic().stream()
                    .filter(t -> !t.src().equals(serverId) && !t.dst().equals(serverId)).toList();
            return current.with(current.hosts(), vms, traffic);
        });
    }

    /** Where the bridge has the server now, if anywhere. */
    public String hostOf(String serverId) {
        Vm vm = cluster.current().vm(serverId);
        return vm == null ? null : vm.host();
    }

    /**
     * A server group exists with this policy and these members (Nova's {@code server_group.create}
     * and {@code add_member} carry the whole group); members not placed yet join when they arrive.
     */
    public Outcome groupDefined(String groupId, GroupPolicy policy, List<String> members) {
        return change(current -> {
            Map<String, GroupPolicy> policies = new HashMap<>(current.groupPolicies());
            boolean policyChanged = !policy.equals(policies.put(groupId, policy));
            Map<String, Vm> joined = new HashMap<>();
            for (String m : members) {
                Vm vm = current.vm(m);
                if (vm == null) {
                    pendingGroup.put(m, groupId);
                } else if (!groupId.equals(vm.group())) {
                    joined.put(m, withGroup(vm, groupId));
                }
            }
            if (!policyChanged && joined.isEmpty()) {
                return current;
            }
            ClusterSnapshot next = current.withGroupPolicies(policies);
            return joined.isEmpty() ? next : next.with(next.hosts(), replaced(next.vms(), joined), next.traffic());
        });
    }

    /** The server group was deleted: its rule goes, its members are in no group. */
    public Outcome groupGone(String groupId) {
        return change(current -> {
            pendingGroup.values().removeIf(groupId::equals);
            if (!current.groupPolicies().containsKey(groupId) && current.groupMembers(groupId).isEmpty()) {
                return current;
            }
            Map<String, GroupPolicy> policies = new HashMap<>(current.groupPolicies());
            policies.remove(groupId);
            Map<String, Vm> left = new HashMap<>();
            current.groupMembers(groupId).forEach(v -> left.put(v.id(), withGroup(v, null)));
            ClusterSnapshot next = current.withGroupPolicies(policies);
            return left.isEmpty() ? next : next.with(next.hosts(), replaced(next.vms(), left), next.traffic());
        });
    }

    /** Applies one change under the lock; {@code change} returns null for a host the bridge does not have. */
    private Outcome change(java.util.function.UnaryOperator<ClusterSnapshot> change) {
        lock.lock();
        try {
            Outcome[] outcome = {Outcome.APPLIED};
            ClusterSnapshot before = cluster.current();
            ClusterSnapshot probe = change.apply(before);
            if (probe == null) {
                return Outcome.UNKNOWN_HOST;
            }
            if (probe == before) {
                return Outcome.UNCHANGED;
            }
            // Samples may have landed since the probe: apply the change to the store's latest state.
            cluster.update(current -> {
                if (current == before) {
                    return probe;
                }
                ClusterSnapshot again = change.apply(current);
                if (again == null) {
                    outcome[0] = Outcome.UNKNOWN_HOST;
                    return current;
                }
                return again;
            });
            return outcome[0];
        } catch (RuntimeException e) {
            LOG.warn("a change from Nova was not applied: {}", e.toString());
            throw e;
        } finally {
            lock.unlock();
        }
    }

    private static Vm withGroup(Vm v, String group) {
        return new Vm(v.id(), v.host(), v.vcpus(), v.memoryMb(), v.diskGb(), v.cpuUtil(), v.memUtil(), v.swapWritesPerS(),
                v.dirtyRateMbps(), v.workload(), v.nonsharable(), group, v.toleratesSlowing());
    }

    private static List<Vm> replaced(List<Vm> vms, Map<String, Vm> changed) {
        return vms.stream().map(v -> changed.getOrDefault(v.id(), v)).toList();
    }
}
