package io.placewise.balancer;

import io.placewise.model.ClusterSnapshot;
import io.placewise.model.Host;
import io.placewise.model.LoadShift;
import io.placewise.model.Vm;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The cluster as a plan would leave it, move by move, so that each next decision (and the trigger that
 * stops the plan) is evaluated on the projected state. A host a move touched loses its sample window:
 * its single projected value is then both its current load and its forecast.
 */
final class ProjectedCluster {
    private final ClusterSnapshot base;
    private final Map<String, Host> hosts = new LinkedHashMap<>();
    private final Map<String, Vm> changedVms = new HashMap<>();
    /** Hosts a move touched: their windows no longer describe them. */
    private final Set<String> windowless = new HashSet<>();
    private ClusterSnapshot snapshot;

    ProjectedCluster(ClusterSnapshot base) {
        this.base = base;
        base.hosts().forEach(h -> hosts.put(h.name(), h));
        this.snapshot = base;
    }

    /**
     * The projected state as a snapshot, derived from the base after a change: O(hosts + moves),
     * not a rebuild of every VM's index (that made a 200,000-VM plan cost seconds).
     */
    ClusterSnapshot snapshot() {
        if (snapshot == null) {
            List<Host> changedHosts = hosts.values().stream().filter(h -> h != base.host(h.name())).toList();
            snapshot = base.withChanges(changedHosts, changedVms.values(), windowless);
        }
        return snapshot;
    }

    Host host(String name) {
        return hosts.get(name);
    }

    /** The hosts an audit judges and moves VMs between: enabled, and not stale (their numbers are old). */
    List<Host> enabledHosts() {
        return hosts.values().stream().filter(this::live).toList();
    }

    boolean live(Host h) {
        return h.enabled() && !base.isStale(h.name());
    }

    /** Live hosts' CPU utilisation, in snapshot order. */
    Map<String, Double> loads() {
        Map<String, Double> out = new LinkedHashMap<>();
        for (Host h : hosts.values()) {
            if (live(h)) {
                out.put(h.name(), h.cpuUtil());
            }
        }
        return out;
    }

    /** The CPU share {@code vm} would have on {@code destination} (its share scales with the hosts' vCPUs). */
    double cpuOn(Vm vm, String destination) {
        return LoadShift.cpuShareOn(vm, hosts.get(vm.host()), hosts.get(destination));
    }

    /**
     * The destination as the move would leave it: the VM's CPU and memory shares arrive, and its NIC gains
     * the VM's traffic with VMs not on it. Not clamped, so a caller can see that it would overflow.
     */
    Host destinationAfter(Vm vm, String destination) {
        ClusterSnapshot now = snapshot();
        Host dst = hosts.get(destination);
        double external = 0;
        for (Map.Entry<String, Double> e : now.peersOf(vm.id()).entrySet()) {
            Vm peer = now.vm(e.getKey());
            if (peer == null || !peer.host().equals(destination)) {
                external += e.getValue();
            }
        }
        return dst.withUtilisation(dst.cpuUtil() + cpuOn(vm, destination),
                dst.memUtil() + share(vm.memoryMb(), dst.capacity().memoryMb()),
                dst.swapWritesPerS(), dst.nicUtil() + share(external, dst.capacity().nicMbps()));
    }

    /**
     * Moves the VM: CPU and memory shares leave the source and arrive on the destination; the source's NIC
     * loses the traffic the move releases ({@code benefitMbps}), the destination gains the VM's traffic
     * with VMs not on it.
     */
    void move(Vm vm, String destination, double benefitMbps) {
        Host src = hosts.get(vm.host());
        Host after = destinationAfter(vm, destination);
        double cpuThere = cpuOn(vm, destination);
        hosts.put(src.name(), src.withUtilisation(clamp(src.cpuUtil() - vm.cpuUtil()),
                clamp(src.memUtil() - share(vm.memoryMb(), src.capacity().memoryMb())),
                Math.max(0, src.swapWritesPerS() - vm.swapWritesPerS()),
                clamp(src.nicUtil() - share(benefitMbps, src.capacity().nicMbps()))));
        Host dst = after.withUtilisation(clamp(after.cpuUtil()), clamp(after.memUtil()), after.swapWritesPerS(),
                clamp(after.nicUtil()));
        hosts.put(dst.name(), dst);
        windowless.add(src.name());
        windowless.add(dst.name());
        changedVms.put(vm.id(), new Vm(vm.id(), destination, vm.vcpus(), vm.memoryMb(), vm.diskGb(), cpuThere,
                vm.memUtil(), vm.swapWritesPerS(), vm.dirtyRateMbps(), vm.workload(), vm.nonsharable(), vm.group(),
                vm.toleratesSlowing()));
        snapshot = null;
    }

    /**
     * A balloon step: the VM gets {@code mb} more memory on its host. Whether that stops the swapping is
     * only known from the next samples, so the plan assumes it does and the next audit checks.
     */
    void grow(Vm vm, long mb) {
        Host h = hosts.get(vm.host());
        hosts.put(h.name(), h.withUtilisation(h.cpuUtil(), clamp(h.memUtil() + share(mb, h.capacity().memoryMb())),
                0, h.nicUtil()));
        windowless.add(h.name());
        changedVms.put(vm.id(), new Vm(vm.id(), vm.host(), vm.vcpus(), vm.memoryMb() + mb, vm.diskGb(), vm.cpuUtil(),
                vm.memUtil(), 0, vm.dirtyRateMbps(), vm.workload(), vm.nonsharable(), vm.group(), vm.toleratesSlowing()));
        snapshot = null;
    }

    /** Switches a host on or off for placement: a host the plan frees, or one it wakes. */
    void setEnabled(String name, boolean enabled) {
        Host h = hosts.get(name);
        hosts.put(name, new Host(h.name(), h.capacity(), h.cpuUtil(), h.memUtil(), h.swapWritesPerS(), h.nicUtil(), enabled));
        snapshot = null;
    }

    /** Every host, enabled or not, in snapshot order. */
    List<Host> allHosts() {
        return List.copyOf(hosts.values());
    }

    private static double share(double amount, double capacity) {
        return capacity <= 0 ? 0 : amount / capacity;
    }

    private static double clamp(double u) {
        return Math.max(0, Math.min(1, u));
    }
}
