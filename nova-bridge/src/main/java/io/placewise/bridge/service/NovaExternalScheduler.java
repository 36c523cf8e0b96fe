package io.placewise.bridge.service;

import io.placewise.bridge.api.NovaSpecMapper.NovaQuestion;
import io.placewise.bridge.novasemantics.NovaScheduling;
import io.placewise.bridge.novasemantics.NovaWeights;
import io.placewise.model.ClusterSnapshot;
import io.placewise.model.HistoryRecord;
import io.placewise.model.Host;
import io.placewise.scheduler.PlacementPipeline;
import io.placewise.scheduler.PlacementRequest;
import io.placewise.scheduler.PlacementResult;
import io.placewise.scheduler.PolicySet;
import io.placewise.scheduler.Rejection;
import io.placewise.scheduler.WeighedHost;
import io.placewise.bridge.http.LogSafe;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers SAP's Nova fork: the request framed as Nova would ({@link NovaScheduling}), Placewise's
 * enabled filters drop hosts (not on a rebuild or a forced host, where Nova runs none), and the
 * survivors are ordered by the pipeline's weighers plus Nova's own weight as one more weigher
 * ({@link NovaWeights}, × {@code nova_weight_multiplier}); ties keep Nova's order. Hosts Placewise
 * does not know follow, in Nova's order: Placewise cannot judge them, and Nova's filters passed them.
 * The answer only ever names hosts the request sent (the fork looks each one up without a guard).
 */
public final class NovaExternalScheduler {
    private static final Logger LOG = LoggerFactory.getLogger(NovaExternalScheduler.class);
    private final PlacementPipeline pipeline = new PlacementPipeline();
    private final double novaMultiplier;

    public NovaExternalScheduler(double novaMultiplier) {
        this.novaMultiplier = novaMultiplier;
    }

    /** The decision and why hosts were dropped (Nova host → "filter: reason"). */
    public record Decision(List<String> hosts, Map<String, String> dropped) {
    }

    /** @param history the balancer's history records, newest first, for the history-aware weighers */
    public Decision decide(NovaQuestion q, ClusterSnapshot cluster, PolicySet policies, List<HistoryRecord> history) {
        NovaScheduling.Plan plan = q.plan();
        Map<String, String> names = plan.novaNames();
        Map<String, String> dropped = new LinkedHashMap<>(plan.excluded());
        List<Host> survivors = plan.judgedHosts();
        if (plan.runFilters()) {
            PlacementPipeline.FilterOutcome filtered = pipeline.filter(
                    new PlacementRequest(cluster, plan.spec(), survivors, 1, history), policies);
            for (Rejection r : filtered.rejected()) {
                dropped.put(names.getOrDefault(r.host(), r.host()), r.filter() + ": " + r.reason());
            }
            survivors = filtered.passed();
        }
        NovaWeights nova = new NovaWeights(q.weights(), h -> names.getOrDefault(h, h));
        PlacementResult weighed = pipeline.weigh(new PlacementRequest(cluster, plan.spec(), survivors, 1, history),
                policies, List.of(nova.configured(novaMultiplier)));
        Set<String> answer = new LinkedHashSet<>();
        for (WeighedHost w : weighed.weighed()) {
            answer.add(names.getOrDefault(w.host(), w.host()));
        }
        answer.addAll(byNovaWeight(plan.unknown(), q.weights()));
        if (!dropped.isEmpty()) {
            LOG.info("nova external [{}] dropped {}", LogSafe.of(q.label()), dropped.entrySet().stream()
                    .map(e -> LogSafe.of(e.getKey()) + " (" + LogSafe.of(e.getValue()) + ")").collect(Collectors.joining("; ")));
        }
        return new Decision(onlySent(new ArrayList<>(answer), plan), dropped);
    }

    /** Nova's order for hosts Placewise cannot judge: Nova's weight, then the order Nova listed them. */
    private static List<String> byNovaWeight(List<String> hosts, Map<String, Double> weights) {
        double lowest = weights.values().stream().mapToDouble(Double::doubleValue).min().orElse(0.0);
        Map<String, Integer> rank = new HashMap<>();
        for (int i = 0; i < hosts.size(); i++) {
            rank.putIfAbsent(hosts.get(i), i);
        }
        return hosts.stream().sorted(Comparator.comparingDouble((String h) -> -weights.getOrDefault(h, lowest))
                .thenComparing(rank::get)).toList();
    }

    /** The fork indexes its hosts by name and fails on any other: never answer one it did not send. */
    private static List<String> onlySent(List<String> answer, NovaScheduling.Plan plan) {
        Set<String> sent = new LinkedHashSet<>(plan.unknown());
        plan.judged().forEach(c -> sent.add(c.nova().host()));
        List<String> out = new ArrayList<>(answer.size());
        for (String h : answer) {
            if (sent.contains(h)) {
                out.add(h);
            } else {
                LOG.error("nova external: left out host '{}', which the request did not send", LogSafe.of(h));
            }
        }
        return out;
    }
}
