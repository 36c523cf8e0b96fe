package io.placewise.bridge.service;

import io.placewise.bridge.api.NovaSpecMapper.NovaQuestion;
import io.placewise.model.ClusterSnapshot;
import io.placewise.model.Host;
import io.placewise.scheduler.PlacementPipeline;
import io.placewise.scheduler.PlacementRequest;
import io.placewise.scheduler.PlacementResult;
import io.placewise.scheduler.PolicySet;
import io.placewise.scheduler.Rejection;
import io.placewise.scheduler.WeighedHost;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers SAP's Nova fork: Placewise's enabled filters drop hosts, the survivors are ordered by
 * Placewise's weight plus Nova's weight (normalised to [0, 1] over the survivors, min→0, max→1,
 * all equal→0, exactly like one more weigher) times {@code nova_weight_multiplier}. Ties keep
 * Nova's order. Hosts Placewise does not know follow, in Nova's order: Placewise cannot judge
 * them, and Nova's own filters already passed them.
 */
public final class NovaExternalScheduler {
    private static final Logger LOG = LoggerFactory.getLogger(NovaExternalScheduler.class);
    private final PlacementPipeline pipeline = new PlacementPipeline();
    private final double novaMultiplier;

    public NovaExternalScheduler(double novaMultiplier) {
        this.novaMultiplier = novaMultiplier;
    }

    /** The decision and why hosts were dropped (host → "filter: reason"). */
    public record Decision(List<String> hosts, Map<String, String> dropped) {
    }

    public Decision decide(NovaQuestion q, ClusterSnapshot cluster, PolicySet policies) {
        Map<String, String> dropped = new java.util.LinkedHashMap<>(q.excluded());
        if (q.rebuild()) {
            // Like Nova's own filters (RUN_ON_REBUILD = False): a rebuild stays where it is.
            List<String> keep = q.novaOrder().stream().filter(h -> !q.excluded().containsKey(h)).toList();
            return new Decision(keep, dropped);
        }
        PlacementRequest ask = new PlacementRequest(cluster, q.spec(), q.known(), 1, List.of());
        PlacementPipeline.FilterOutcome filtered = pipeline.filter(ask, policies);
        for (Rejection r : filtered.rejected()) {
            dropped.put(q.novaName().get(r.host()), r.filter() + ": " + r.reason());
        }
        PlacementResult weighed = pipeline.weigh(
                new PlacementRequest(cluster, q.spec(), filtered.passed(), 1, List.of()), policies);
        List<String> ordered = combine(filtered.passed(), weighed.weighed(), q);
        List<String> out = new ArrayList<>(ordered.size() + q.unknown().size());
        ordered.forEach(h -> out.add(q.novaName().get(h)));
        out.addAll(byNovaWeight(q.unknown(), q));
        if (!dropped.isEmpty()) {
            LOG.info("nova external [{}] dropped {}", q.requestId(), dropped.entrySet().stream()
                    .map(e -> e.getKey() + " (" + e.getValue() + ")").collect(Collectors.joining("; ")));
        }
        return new Decision(out, dropped);
    }

    /** Survivors by Placewise weight + normalised Nova weight × multiplier; ties in Nova's order. */
    private List<String> combine(List<Host> passed, List<WeighedHost> weighed, NovaQuestion q) {
        int n = passed.size();
        Map<String, Double> placewise = new HashMap<>();
        weighed.forEach(w -> placewise.put(w.host(), w.weight()));
        double[] nova = new double[n];
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            nova[i] = novaWeight(q, q.novaName().get(passed.get(i).name()));
            min = Math.min(min, nova[i]);
            max = Math.max(max, nova[i]);
        }
        double range = max - min;
        double[] total = new double[n];
        for (int i = 0; i < n; i++) {
            double norm = range > 0 ? (nova[i] - min) / range : 0.0;
            total[i] = placewise.getOrDefault(passed.get(i).name(), 0.0) + novaMultiplier * norm;
        }
        Map<String, Integer> novaRank = rank(q.novaOrder());
        Integer[] idx = new Integer[n];
        Arrays.setAll(idx, i -> i);
        Arrays.sort(idx, Comparator.comparingDouble((Integer i) -> -total[i])
                .thenComparing(i -> novaRank.getOrDefault(q.novaName().get(passed.get(i).name()), Integer.MAX_VALUE)));
        List<String> out = new ArrayList<>(n);
        for (int i : idx) {
            out.add(passed.get(i).name());
        }
        return out;
    }

    /** Nova's order for hosts Placewise cannot judge: Nova's weight, then the order Nova listed them. */
    private static List<String> byNovaWeight(List<String> hosts, NovaQuestion q) {
        Map<String, Integer> rank = rank(q.novaOrder());
        return hosts.stream().sorted(Comparator.comparingDouble((String h) -> -novaWeight(q, h))
                .thenComparing(h -> rank.getOrDefault(h, Integer.MAX_VALUE))).toList();
    }

    /** A host Nova sent no weight for counts as Nova's lowest. */
    private static double novaWeight(NovaQuestion q, String novaHost) {
        Double w = q.weights().get(novaHost);
        if (w != null) {
            return w;
        }
        return q.weights().values().stream().mapToDouble(Double::doubleValue).min().orElse(0.0);
    }

    private static Map<String, Integer> rank(List<String> order) {
        Map<String, Integer> m = new HashMap<>();
        for (int i = 0; i < order.size(); i++) {
            m.putIfAbsent(order.get(i), i);
        }
        return m;
    }
}
