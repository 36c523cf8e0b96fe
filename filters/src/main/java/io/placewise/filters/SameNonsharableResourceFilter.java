package io.placewise.filters;

import io.placewise.plugin.Neighbours;
import io.placewise.model.ClusterSnapshot;
import io.placewise.model.FlavorExtraSpecs;
import io.placewise.model.PlacementSpec;
import io.placewise.model.Vm;
import io.placewise.model.WorkloadClass;
import io.placewise.plugin.HostFilter;
import io.placewise.plugin.ParamException;
import io.placewise.plugin.ParamSpec;
import io.placewise.plugin.PlacementContext;
import io.placewise.plugin.PolicyParams;
import io.placewise.plugin.Verdict;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Rejects a host where another VM already uses a nonsharable resource the VM needs (seed 002 §3.2,
 * observation 3); a VM's resources are its own list, the flavor's {@code placewise:nonsharable} and
 * those its workload class implies.
 */
public final class SameNonsharableResourceFilter implements HostFilter {
    static final String WORKLOAD_RESOURCES = "workload_resources";
    private static final int MAX_NAMED = 5;

    @Override
    public String description() {
        return "No two VMs on a host using the same nonsharable resource, e.g. physical disk bandwidth (seed 002 §3.2, observation 3)";
    }

    @Override
    public List<ParamSpec> parameters() {
        return List.of(ParamSpec.list(WORKLOAD_RESOURCES, "disk_io:disk",
                "nonsharable resources each workload class holds, as class:resource (a class may appear more than once)"));
    }

    @Override
    public void validate(PolicyParams params) {
        try {
            parseMapping(params.getList(WORKLOAD_RESOURCES));
        } catch (IllegalArgumentException e) {
            throw new ParamException(WORKLOAD_RESOURCES, e.getMessage());
        }
    }

    @Override
    public HostCheck prepare(PlacementContext context, PolicyParams params) {
        Map<WorkloadClass, Set<String>> byClass = params.derived(WORKLOAD_RESOURCES, p -> parseMapping(p.getList(WORKLOAD_RESOURCES)));
        Set<String> needed = needs(context.spec(), byClass);
        if (needed.isEmpty()) {
            return host -> Verdict.pass();
        }
        // For each needed resource, the classes that imply it: per host a few index lookups, no VM scan.
        String[] resources = needed.toArray(String[]::new);
        WorkloadClass[][] implying = new WorkloadClass[resources.length][];
        for (int i = 0; i < resources.length; i++) {
            String r = resources[i];
            implying[i] = byClass.entrySet().stream().filter(e -> e.getValue().contains(r)).map(Map.Entry::getKey)
                    .toArray(WorkloadClass[]::new);
        }
        Neighbours neighbours = Neighbours.of(context); // shared per-request state
        return host -> {
            String name = host.name();
            boolean claimed = neighbours.claimedOn(name) > 0;
            for (int i = 0; i < resources.length; i++) {
                boolean held = claimed || neighbours.listing(name, resources[i]) > 0;
                for (int j = 0; !held && j < implying[i].length; j++) {
                    held = neighbours.existing(name, implying[i][j]) > 0;
                }
                if (held) {
                    return reject(context, neighbours, byClass, needed, name, resources[i]);
                }
            }
            return Verdict.pass();
        };
    }

    /** Only on rejection: names the holders from the host's own VM list. */
    private static Verdict reject(PlacementContext context, Neighbours neighbours, Map<WorkloadClass, Set<String>> byClass,
                                  Set<String> needed, String host, String resource) {
        ClusterSnapshot cluster = context.cluster();
        List<String> holders = new ArrayList<>();
        for (Vm vm : context.vmsOn(host)) {
            if (neighbours.isSelf(vm)) {
                continue;
            }
            boolean claim = cluster.vm(vm.id()) == null;
            if (claim ? needed.contains(resource) : holds(vm, byClass).contains(resource)) {
                holders.add(claim ? vm.id() + " (this request)" : vm.id());
            }
        }
        String named = holders.size() > MAX_NAMED
                ? String.join(", ", holders.subList(0, MAX_NAMED)) + ", …"
                : String.join(", ", holders);
        return Verdict.reject(String.format("nonsharable resource '%s' is already used by %d VM(s) here (%s); the VM needs %s",
                resource, holders.size(), named, needed));
    }

    /** The VM being placed: its own list, the flavor's extra spec and its class's resources. */
    static Set<String> needs(PlacementSpec spec, Map<WorkloadClass, Set<String>> byClass) {
        Set<String> out = new LinkedHashSet<>();
        spec.nonsharable().forEach(r -> addResource(out, r));
        FlavorExtraSpecs.nonsharable(spec.flavor().extraSpecs()).forEach(r -> addResource(out, r));
        out.addAll(byClass.getOrDefault(spec.workload(), Set.of()));
        return out;
    }

    private static Set<String> holds(Vm vm, Map<WorkloadClass, Set<String>> byClass) {
        Set<String> out = new LinkedHashSet<>();
        vm.nonsharable().forEach(r -> addResource(out, r));
        out.addAll(byClass.getOrDefault(vm.workload(), Set.of()));
        return out;
    }

    private static void addResource(Set<String> out, String resource) {
        String r = resource.trim().toLowerCase(Locale.ROOT);
        if (!r.isEmpty()) {
            out.add(r);
        }
    }

    static Map<WorkloadClass, Set<String>> parseMapping(List<String> entries) {
        Map<WorkloadClass, Set<String>> out = new EnumMap<>(WorkloadClass.class);
        for (String entry : entries) {
            int colon = entry.indexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException("entry '" + entry + "' is not of the form class:resource");
            }
            String className = entry.substring(0, colon);
            WorkloadClass c = WorkloadClass.fromWire(className).orElseThrow(() -> new IllegalArgumentException(
                    "entry '" + entry + "': unknown workload class '" + className.trim() + "' (known: "
                            + Arrays.toString(WorkloadClass.values()) + ")"));
            String resource = entry.substring(colon + 1).trim();
            if (resource.isEmpty()) {
                throw new IllegalArgumentException("entry '" + entry + "' names no resource");
            }
            addResource(out.computeIfAbsent(c, k -> new LinkedHashSet<>()), resource);
        }
        out.replaceAll((k, v) -> Set.copyOf(v));
        return out;
    }
}
