package io.placewise.filters;

import io.placewise.model.Flavor;
import io.placewise.model.Host;
import io.placewise.model.HostUsage;
import io.placewise.plugin.HostFilter;
import io.placewise.plugin.ParamSpec;
import io.placewise.plugin.PlacementContext;
import io.placewise.plugin.PolicyParams;
import io.placewise.plugin.Verdict;
import java.util.List;
import java.util.Map;

/**
 * Passes hosts with room for the flavor's vCPU, RAM and disk under the allocation ratios, and NIC
 * headroom for the VM's traffic with peers on other hosts (Nova's Compute/Ram/DiskFilter; SPEC.md).
 * Runs for every instance (the request's claims use up room); the traffic by peer host is the
 * request's shared state, computed once for this filter and IdcNetworkBenefitWeigher.
 */
public final class CapacityFilter implements HostFilter {
    @Override
    public String description() {
        return "Room for vCPU, RAM and disk under the allocation ratios, and NIC headroom (Nova's resource filters)";
    }

    @Override
    public List<ParamSpec> parameters() {
        return List.of(
                ParamSpec.number("cpu_allocation_ratio", 4.0, 0.0, 1000.0, "virtual CPUs per physical CPU"),
                ParamSpec.number("ram_allocation_ratio", 1.0, 0.0, 100.0, "virtual RAM per physical RAM"),
                ParamSpec.number("disk_allocation_ratio", 1.0, 0.0, 100.0, "virtual disk per physical disk"),
                ParamSpec.number("max_nic_util", 1.0, 0.0, 1.0,
                        "NIC utilisation a host may reach with the VM's traffic to peers on other hosts"));
    }

    @Override
    public HostCheck prepare(PlacementContext context, PolicyParams params) {
        Flavor flavor = context.spec().flavor();
        double cpuRatio = params.getDouble("cpu_allocation_ratio");
        double ramRatio = params.getDouble("ram_allocation_ratio");
        double diskRatio = params.getDouble("disk_allocation_ratio");
        double maxNic = params.getDouble("max_nic_util");
        // The request's one traffic view (measured for an existing VM, declared ones on top), by peer host.
        Map<String, Double> peerTrafficByHost = context.peerTrafficByHost();
        double traffic = context.peerTrafficTotal();
        return host -> {
            HostUsage used = context.usage(host.name());
            double vcpuLimit = host.capacity().vcpus() * cpuRatio;
            if (used.vcpus() + flavor.vcpus() > vcpuLimit) {
                return Verdict.reject(String.format("needs %d vCPU, %s free of %s (%d × ratio %s)",
                        flavor.vcpus(), fmt(vcpuLimit - used.vcpus()), fmt(vcpuLimit), host.capacity().vcpus(), fmt(cpuRatio)));
            }
            double ramLimit = host.capacity().memoryMb() * ramRatio;
            if (used.memoryMb() + flavor.memoryMb() > ramLimit) {
                return Verdict.reject(String.format("needs %d MB RAM, %s MB free of %s MB",
                        flavor.memoryMb(), fmt(ramLimit - used.memoryMb()), fmt(ramLimit)));
            }
            double diskLimit = host.capacity().diskGb() * diskRatio;
            if (used.diskGb() + flavor.diskGb() > diskLimit) {
                return Verdict.reject(String.format("needs %d GB disk, %s GB free of %s GB",
                        flavor.diskGb(), fmt(diskLimit - used.diskGb()), fmt(diskLimit)));
            }
            return nicVerdict(host, traffic - peerTrafficByHost.getOrDefault(host.name(), 0.0), maxNic);
        };
    }

    private static Verdict nicVerdict(Host host, double externalMbps, double maxNic) {
        double nic = host.capacity().nicMbps();
        if (externalMbps <= 0 || nic <= 0) {
            return Verdict.pass();
        }
        double after = host.nicUtil() + externalMbps / nic;
        if (after > maxNic) {
            return Verdict.reject(String.format("NIC would reach %.0f%% (now %.0f%% + %s Mbit/s to peers on other hosts), limit %.0f%%",
                    after * 100, host.nicUtil() * 100, fmt(externalMbps), maxNic * 100));
        }
        return Verdict.pass();
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format("%.1f", v);
    }
}
