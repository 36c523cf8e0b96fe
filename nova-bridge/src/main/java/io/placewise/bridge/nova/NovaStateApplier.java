package io.placewise.bridge.nova;

import io.placewise.bridge.nova.NovaResources.Server;
import io.placewise.bridge.service.ClusterStore;
import io.placewise.model.ClusterSnapshot;
import io.placewise.model.GroupPolicy;
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
 * server group is defined or deleted). A sync merges whole snapshots ({@link ClusterStore#update});
 * a notification is one incremental change through the store's editor ({@link ClusterStore#apply}),
 * O(the VMs it names), so a boot costs the same at 10 hosts as at 10,000.
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
        Outcome outcome = change(e -> {
            if (server.host() == null || e.host(server.host()) == null) {
                return Outcome.UNKNOWN_HOST;
            }
            Vm old = e.vm(server.id());
            String group = pending != null ? pending : old == null ? null : old.group();
            Vm next = NovaClusterSync.vm(server, server.host(), old, group);
            if (next.equals(old)) {
                return Outcome.UNCHANGED;
            }
            e.putVm(next);
            return Outcome.APPLIED;
        });
        if (outcome != Outcome.UNKNOWN_HOST) {
            pendingGroup.remove(server.id());
        }
        return outcome;
    }

    /** The server was deleted: it leaves the cluster with its traffic. */
    public Outcome serverGone(String serverId) {
        lock.lock();
        try {
            pendingGroup.remove(serverId);
            return change(e -> e.removeVm(serverId) ? Outcome.APPLIED : Outcome.UNCHANGED);
        } finally {
            lock.unlock();
        }
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
        lock.lock();
        try {
            List<String> unplaced = new ArrayList<>();
            Outcome outcome = change(e -> {
                Map<String, GroupPolicy> policies = new HashMap<>(e.groupPolicies());
                boolean changed = !policy.equals(policies.put(groupId, policy));
                if (changed) {
                    e.setGroupPolicies(policies);
                }
                for (String m : members) {
                    Vm vm = e.vm(m);
                    if (vm == null) {
                        unplaced.add(m);
                    } else if (!groupId.equals(vm.group())) {
                        e.putVm(withGroup(vm, groupId));
                        changed = true;
                    }
                }
                return changed ? Outcome.APPLIED : Outcome.UNCHANGED;
            });
            unplaced.forEach(m -> pendingGroup.put(m, groupId));
            return outcome;
        } finally {
            lock.unlock();
        }
    }

    /** The server group was deleted: its rule goes, its members are in no group. */
    public Outcome groupGone(String groupId) {
        lock.lock();
        try {
            pendingGroup.values().removeIf(groupId::equals);
            return change(e -> {
                boolean changed = false;
                if (e.groupPolicies().containsKey(groupId)) {
                    Map<String, GroupPolicy> policies = new HashMap<>(e.groupPolicies());
                    policies.remove(groupId);
                    e.setGroupPolicies(policies);
                    changed = true;
                }
                for (Vm v : e.groupMembers(groupId)) {
                    e.putVm(withGroup(v, null));
                    changed = true;
                }
                return changed ? Outcome.APPLIED : Outcome.UNCHANGED;
            });
        } finally {
            lock.unlock();
        }
    }

    /** Applies one change under the lock, through the store's editor: it sees (and lands on) the newest state. */
    private Outcome change(ClusterStore.ClusterChange<Outcome> change) {
        lock.lock();
        try {
            return cluster.apply(change);
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
}
