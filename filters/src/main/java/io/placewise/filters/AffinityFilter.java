package io.placewise.filters;

import io.placewise.plugin.WorkloadAffinityParam;
import io.placewise.plugin.Neighbours;
import io.placewise.model.GroupPolicy;
import io.placewise.model.ServerGroup;
import io.placewise.model.WorkloadAffinityMatrix;
import io.placewise.model.WorkloadClass;
import io.placewise.plugin.HostFilter;
import io.placewise.plugin.ParamSpec;
import io.placewise.plugin.PlacementContext;
import io.placewise.plugin.PolicyParams;
import io.placewise.plugin.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Hard affinity: server groups as in Nova ({@code affinity} keeps a group on its members' hosts,
 * {@code anti-affinity} joins no host with {@code max_server_per_host} members, the instance's own
 * host excepted) and workload affinity (seed 002 §3.2, Table 2: no
 * neighbour whose class pairs with the VM's below the floor of the affinity matrix).
 */
public final class AffinityFilter implements HostFilter {
    static final String FLOOR = "floor";

    @Override
    public String description() {
        return "Server-group affinity and anti-affinity (Nova's ServerGroup(Anti)AffinityFilter) and workload affinity"
                + " below a floor of the class matrix (seed 002 §3.2, Table 2), hard";
    }

    @Override
    public List<ParamSpec> parameters() {
        return List.of(
                WorkloadAffinityParam.spec(),
                ParamSpec.number(FLOOR, -0.8, -1.0, 1.0,
                        "a host is rejected when the VM would share it with a neighbour whose pair score is below this"));
    }

    @Override
    public void validate(PolicyParams params) {
        WorkloadAffinityParam.validate(params);
    }

    @Override
    public HostCheck prepare(PlacementContext context, PolicyParams params) {
        HostCheck group = groupCheck(context);
        HostCheck workload = workloadCheck(context, params);
        if (workload == null) {
            return group;
        }
        return host -> {
            Verdict v = group.test(host);
            return v.passed() ? workload.test(host) : v;
        };
    }

    /** The classes the VM may not share a host with, found once; per host one index lookup per class. */
    private static HostCheck workloadCheck(PlacementContext context, PolicyParams params) {
        WorkloadAffinityMatrix matrix = WorkloadAffinityParam.of(params);
        double floor = params.getDouble(FLOOR);
        WorkloadClass mine = context.spec().workload();
        List<WorkloadClass> forbidden = new ArrayList<>();
        for (WorkloadClass c : WorkloadClass.values()) {
            if (matrix.score(mine, c) < floor) {
                forbidden.add(c);
            }
        }
        if (forbidden.isEmpty()) {
            return null;
        }
        WorkloadClass[] classes = forbidden.toArray(WorkloadClass[]::new);
        Neighbours neighbours = Neighbours.of(context); // shared per-request state
        double[] ones = new double[classes.length];
        java.util.Arrays.fill(ones, 1.0);
        return host -> {
            // One index lookup for all forbidden classes; only a host with such a neighbour is asked which.
            if (neighbours.weightedCount(host.name(), classes, ones) <= 0) {
                return Verdict.pass();
            }
            for (WorkloadClass c : classes) {
                int n = neighbours.ofClass(host.name(), c);
                if (n > 0) {
                    return Verdict.reject(String.format(
                            "workload affinity: a %s VM would share the host with %d %s VM(s); pair score %s is below the floor %s",
                            mine, n, c, matrix.score(mine, c), floor));
                }
            }
            return Verdict.pass();
        };
    }

    private static HostCheck groupCheck(PlacementContext context) {
        ServerGroup group = context.spec().group();
        if (group == null) {
            return host -> Verdict.pass();
        }
        Set<String> memberHosts = context.groupHosts();
        String label = group.name() == null ? "the server group" : "server group '" + group.name() + "'";
        if (group.policy() == GroupPolicy.AFFINITY) {
            if (memberHosts.isEmpty()) {
                return host -> Verdict.pass();
            }
            return host -> memberHosts.contains(host.name()) ? Verdict.pass()
                    : Verdict.reject("affinity: " + label + " runs on " + sorted(memberHosts) + ", not here");
        }
        if (group.policy() == GroupPolicy.ANTI_AFFINITY) {
            // Nova's ServerGroupAntiAffinityFilter: the host the instance runs on now always passes
            // (a resize may stay there), others while fewer than max_server_per_host members are on them.
            String own = context.spec().sourceHost();
            int max = group.maxPerHost();
            String limit = max == 1 ? "" : " (max_server_per_host " + max + ")";
            return host -> {
                int members = context.groupMembersOn(host.name());
                if (members < max || host.name().equals(own)) {
                    return Verdict.pass();
                }
                return Verdict.reject("anti-affinity: " + members + " member(s) of " + label + " already here" + limit);
            };
        }
        return host -> Verdict.pass();
    }

    private static String sorted(Set<String> hosts) {
        return hosts.stream().sorted().toList().toString();
    }
}
