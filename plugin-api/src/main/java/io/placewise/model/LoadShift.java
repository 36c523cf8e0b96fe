package io.placewise.model;

import java.util.Map;
import java.util.function.Function;

/**
 * What a completed migration does to the two hosts' measured load, before either host has
 * measured it: the VM's CPU share leaves the source and arrives on the destination rescaled to the
 * destination's vCPUs (the same CPU time on a host of another size), its memory (its flavor, as
 * the balancer's projection counts it) and its swap writes leave the source, and each NIC gains or
 * loses the VM's traffic that now crosses it or no longer does (IDC traffic never counts, API.md).
 */
public final class LoadShift {
    private LoadShift() {
    }

    /** A change of one host's utilisation fractions (and swap writes per second). */
    public record Delta(double cpu, double mem, double swapWritesPerS, double nic) {
        public static final Delta NONE = new Delta(0, 0, 0, 0);

        public Host applyTo(Host h) {
            return h.withUtilisation(unit(h.cpuUtil() + cpu), unit(h.memUtil() + mem),
                    Math.max(0, h.swapWritesPerS() + swapWritesPerS), unit(h.nicUtil() + nic));
        }

        public LoadSample applyTo(LoadSample s) {
            return new LoadSample(s.at(), unit(s.cpuUtil() + cpu), unit(s.memUtil() + mem),
                    Math.max(0, s.swapWritesPerS() + swapWritesPerS), unit(s.nicUtil() + nic));
        }
    }

    /** The moved VM (its CPU share rescaled to the destination) and each host's change. */
    public record Move(Vm moved, Delta source, Delta destination) {
    }

    /**
     * @param peers    the VM's traffic with each peer, Mbit/s (both directions)
     * @param vmLookup where each peer runs (null for a VM the cluster does not know)
     */
    public static Move of(Vm vm, Host source, Host destination, Map<String, Double> peers, Function<String, Vm> vmLookup) {
        double cpuThere = cpuShareOn(vm, source, destination);
        double extFromSource = 0;
        double idcOnSource = 0;
        double extFromDestination = 0;
        double idcOnDestination = 0;
        for (Map.Entry<String, Double> e : peers.entrySet()) {
            Vm peer = vmLookup.apply(e.getKey());
            String at = peer == null ? null : peer.host();
            double mbps = e.getValue();
            if (source.name().equals(at)) {
                idcOnSource += mbps;
            } else {
                extFromSource += mbps;
            }
            if (destination.name().equals(at)) {
                idcOnDestination += mbps;
            } else {
                extFromDestination += mbps;
            }
        }
        Delta src = new Delta(-vm.cpuUtil(), -share(vm.memoryMb(), source.capacity().memoryMb()), -vm.swapWritesPerS(),
                share(idcOnSource - extFromSource, source.capacity().nicMbps()));
        Delta dst = new Delta(cpuThere, share(vm.memoryMb(), destination.capacity().memoryMb()), 0,
                share(extFromDestination - idcOnDestination, destination.capacity().nicMbps()));
        Vm moved = new Vm(vm.id(), destination.name(), vm.vcpus(), vm.memoryMb(), vm.diskGb(), cpuThere, vm.memUtil(),
                vm.swapWritesPerS(), vm.dirtyRateMbps(), vm.workload(), vm.nonsharable(), vm.group(), vm.toleratesSlowing());
        return new Move(moved, src, dst);
    }

    /** The CPU share {@code vm} (measured on {@code from}) has on {@code to}: it scales with the hosts' vCPUs. */
    public static double cpuShareOn(Vm vm, Host from, Host to) {
        if (from == null || to == null || from.capacity().vcpus() <= 0 || to.capacity().vcpus() <= 0) {
            return vm.cpuUtil();
        }
        return vm.cpuUtil() * from.capacity().vcpus() / to.capacity().vcpus();
    }

    private static double share(double amount, double capacity) {
        return capacity <= 0 ? 0 : amount / capacity;
    }

    private static double unit(double u) {
        return Math.max(0, Math.min(1, u));
    }
}
