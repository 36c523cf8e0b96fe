package io.placewise.model;

import java.time.Instant;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Everything the snapshot knows about one host, with the per-host indexes computed from it: the
 * unit a change copies. A profiler sample replaces its host's state and nothing else.
 */
final class HostState {
    final Host host;
    /** Sorted by id. */
    final List<Vm> vms;
    final HostUsage usage;
    final int[] workloads;
    final Map<String, Integer> nonsharable;
    /** The recent samples, oldest first. */
    final List<LoadSample> samples;
    /** When the bridge received this host's last sample; null when it never reported. */
    final Instant lastSampleAt;
    /** Traffic sent by this host's VMs: sender → receiver → Mbit/s. */
    final Map<String, Map<String, Double>> sent;
    /** VMs this host reported as migrating in: not yet its VMs. */
    final Set<String> migratingIn;
    final List<MoveFence> fences;

    HostState(Host host, List<Vm> sortedVms, List<LoadSample> samples, Instant lastSampleAt,
              Map<String, Map<String, Double>> sent, Set<String> migratingIn, List<MoveFence> fences) {
        this.host = host;
        this.vms = sortedVms;
        this.samples = samples;
        this.lastSampleAt = lastSampleAt;
        this.sent = sent;
        this.migratingIn = migratingIn;
        this.fences = fences;
        HostUsage u = HostUsage.NONE;
        int[] counts = new int[WorkloadClass.values().length];
        Map<String, Integer> held = null;
        for (Vm vm : sortedVms) {
            u = u.plus(vm);
            counts[vm.workload().ordinal()]++;
            for (String r : vm.nonsharable()) {
                if (held == null) {
                    held = new HashMap<>();
                }
                held.merge(resourceKey(r), 1, Integer::sum);
            }
        }
        this.usage = u;
        this.workloads = counts;
        this.nonsharable = held == null ? Map.of() : Collections.unmodifiableMap(held);
    }

    static HostState empty(Host host) {
        return new HostState(host, List.of(), List.of(), null, Map.of(), Set.of(), List.of());
    }

    HostState withHost(Host h) {
        return new HostState(h, vms, samples, lastSampleAt, sent, migratingIn, fences);
    }

    /** The VM with this id, by binary search over the sorted list; null when not here. */
    Vm vm(String id) {
        int lo = 0;
        int hi = vms.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            Vm v = vms.get(mid);
            int c = v.id().compareTo(id);
            if (c < 0) {
                lo = mid + 1;
            } else if (c > 0) {
                hi = mid - 1;
            } else {
                return v;
            }
        }
        return null;
    }

    static String resourceKey(String resource) {
        return resource.trim().toLowerCase(Locale.ROOT);
    }

    /** Same content (the indexes follow from it). */
    boolean sameAs(HostState o) {
        return host.equals(o.host) && vms.equals(o.vms) && samples.equals(o.samples)
                && java.util.Objects.equals(lastSampleAt, o.lastSampleAt) && sent.equals(o.sent)
                && migratingIn.equals(o.migratingIn) && fences.equals(o.fences);
    }
}
