package io.placewise.scheduler;

import io.placewise.model.Host;
import io.placewise.model.PlacementSpec;
import io.placewise.plugin.HostFilter;
import io.placewise.plugin.HostWeigher;
import io.placewise.plugin.Verdict;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalDouble;

/**
 * Nova's filter-scheduler semantics: enabled filters in order, each seeing only the previous one's
 * survivors; then each enabled weigher's raw scores normalised to [0, 1] over the survivors
 * (min→0, max→1, all equal→0; a weigher's declared {@code minval}/{@code maxval} replace the
 * observed bounds, scores beyond them clamped), times its multiplier, summed; best first, ties in
 * candidate order. For a multi-instance request a filter that runs once per request is prepared and
 * tests each host once; its verdicts hold for the later instances (Nova's
 * {@code run_filter_once_per_request}).
 */
public final class PlacementPipeline {

    /** Runs the enabled filters. */
    public FilterOutcome filter(PlacementRequest request, PolicySet policies) {
        return runFilters(new RequestContext(request), request.candidates(), policies, new OncePerRequest[policies.filters().size()]);
    }

    /** Weighs the given hosts without filtering them (Nova calls its weighers on survivors). */
    public PlacementResult weigh(PlacementRequest request, PolicySet policies) {
        return weigh(request, policies, List.of());
    }

    /**
     * As {@link #weigh(PlacementRequest, PolicySet)}, with weighers the request brings along (such
     * as the weights Nova already gave), run after the enabled ones and normalised the same way.
     */
    public PlacementResult weigh(PlacementRequest request, PolicySet policies,
                                 List<PolicySet.Configured<HostWeigher>> requestWeighers) {
        long start = System.nanoTime();
        Weighing weighing = runWeighers(new RequestContext(request), request.candidates(), active(policies, requestWeighers));
        List<String> all = request.candidates().stream().map(Host::name).toList();
        return new PlacementResult(List.of(), all, weighing, List.of(), millisSince(start));
    }

    /**
     * Filters, weighs and picks one host per instance. Each pick claims the flavor on its host
     * before the next instance is placed, so later instances see it (and its group membership).
     */
    public PlacementResult select(PlacementRequest request, PolicySet policies) {
        long start = System.nanoTime();
        PlacementSpec spec = request.spec();
        List<Host> candidates = request.candidates();
        int numInstances = request.numInstances();
        RequestContext context = new RequestContext(request);
        List<String> selected = new ArrayList<>();
        FilterOutcome outcome = null;
        Weighing weighing = Weighing.EMPTY;
        OncePerRequest[] once = new OncePerRequest[policies.filters().size()];
        for (int i = 0; i < Math.max(1, numInstances); i++) {
            outcome = runFilters(context, candidates, policies, once);
            weighing = runWeighers(context, outcome.passed(), active(policies, List.of()));
            int best = weighing.best();
            if (best < 0) {
                selected.clear();
                break;
            }
            String chosen = outcome.passed().get(best).name();
            selected.add(chosen);
            String id = spec.instanceUuid() == null ? "instance-" + i : spec.instanceUuid() + "#" + i;
            context.claim(chosen, spec.asVm(id, chosen));
        }
        return new PlacementResult(selected, names(outcome.passed()), weighing, outcome.rejected(), millisSince(start));
    }

    /** The hosts' names, read through the list (no copy): most callers only count them. */
    private static List<String> names(List<Host> hosts) {
        return new java.util.AbstractList<>() {
            @Override
            public String get(int index) {
                return hosts.get(index).name();
            }

            @Override
            public int size() {
                return hosts.size();
            }
        };
    }

    /** The hosts that passed (in candidate order) and every rejection. */
    public record FilterOutcome(List<Host> passed, List<Rejection> rejected) {
    }

    /**
     * A once-per-request filter's check, prepared for the request's first instance, and each host's
     * verdict, reused for the later instances. A host the first instance's earlier filters rejected
     * reaches it later only if they let it through then; it is tested then, once.
     */
    private record OncePerRequest(HostFilter.HostCheck check, Verdict[] verdicts) {
    }

    /** {@code once} holds, by the filter's position, what a once-per-request filter decided for this request. */
    private static FilterOutcome runFilters(RequestContext context, List<Host> candidates, PolicySet policies,
                                            OncePerRequest[] once) {
        // One array of survivors, compacted in place by each filter (not a new list per filter), with
        // each survivor's position among the candidates: what a once-per-request verdict is kept by.
        Host[] alive = candidates.toArray(new Host[0]);
        int n = alive.length;
        int[] position = new int[n];
        for (int i = 0; i < n; i++) {
            position[i] = i;
        }
        List<Rejection> rejected = new ArrayList<>();
        List<PolicySet.Configured<HostFilter>> filters = policies.filters();
        for (int f = 0; f < filters.size(); f++) {
            PolicySet.Configured<HostFilter> c = filters.get(f);
            if (!c.settings().enabled() || n == 0) {
                continue;
            }
            String name = c.settings().name();
            OncePerRequest remembered = once[f];
            HostFilter.HostCheck check;
            if (remembered != null) {
                check = remembered.check();
            } else {
                try {
                    check = c.policy().prepare(context, c.settings().params());
                } catch (RuntimeException e) {
                    throw new PolicyFailureException(name, "prepare: " + e, e);
                }
                if (c.policy().runOncePerRequest()) {
                    remembered = new OncePerRequest(check, new Verdict[alive.length]);
                    once[f] = remembered;
                }
            }
            int kept = 0;
            for (int i = 0; i < n; i++) {
                Host host = alive[i];
                Verdict v = remembered == null ? null : remembered.verdicts()[position[i]];
                if (v == null) {
                    try {
                        v = check.test(host);
                    } catch (RuntimeException e) {
                        throw new PolicyFailureException(name, "host " + host.name() + ": " + e, e);
                    }
                    if (remembered != null) {
                        remembered.verdicts()[position[i]] = v;
                    }
                }
                if (v.passed()) {
                    position[kept] = position[i];
                    alive[kept++] = host;
                } else {
                    rejected.add(new Rejection(host.name(), name, v.reason()));
                }
            }
            n = kept;
        }
        return new FilterOutcome(n == alive.length ? candidates : List.of(Arrays.copyOf(alive, n)), rejected);
    }

    private static List<PolicySet.Configured<HostWeigher>> active(PolicySet policies,
                                                                  List<PolicySet.Configured<HostWeigher>> requestWeighers) {
        List<PolicySet.Configured<HostWeigher>> active = new ArrayList<>();
        policies.weighers().stream().filter(c -> c.settings().enabled()).forEach(active::add);
        requestWeighers.stream().filter(c -> c.settings().enabled()).forEach(active::add);
        return active;
    }

    private static Weighing runWeighers(RequestContext context, List<Host> hosts, List<PolicySet.Configured<HostWeigher>> active) {
        int n = hosts.size();
        int w = active.size();
        // One flat [host][weigher] array of raw scores; a host's contributions are derived from it (and
        // each weigher's min and range) only for the hosts an answer lists.
        double[] raw = new double[n * w];
        double[] total = new double[n];
        double[] mins = new double[w];
        double[] ranges = new double[w];
        double[] multipliers = new double[w];
        for (int j = 0; j < w; j++) {
            PolicySet.Configured<HostWeigher> c = active.get(j);
            String name = c.settings().name();
            HostWeigher.HostScorer scorer;
            try {
                scorer = c.policy().prepare(context, c.settings().params());
            } catch (RuntimeException e) {
                throw new PolicyFailureException(name, "prepare: " + e, e);
            }
            OptionalDouble minval = c.policy().minval(c.settings().params());
            OptionalDouble maxval = c.policy().maxval(c.settings().params());
            if (minval.isPresent() && maxval.isPresent() && !(minval.getAsDouble() < maxval.getAsDouble())) {
                throw new PolicyFailureException(name, "declares minval " + minval.getAsDouble() + " not below maxval "
                        + maxval.getAsDouble(), null);
            }
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < n; i++) {
                double s;
                try {
                    s = scorer.score(hosts.get(i));
                } catch (RuntimeException e) {
                    throw new PolicyFailureException(name, "host " + hosts.get(i).name() + ": " + e, e);
                }
                if (!Double.isFinite(s)) {
                    throw new PolicyFailureException(name, "host " + hosts.get(i).name() + " scored " + s, null);
                }
                raw[i * w + j] = s;
                min = Math.min(min, s);
                max = Math.max(max, s);
            }
            // Declared bounds replace the observed ones (Nova's normalize(weights, minval, maxval));
            // Weighing.contribution clamps a score beyond them. One host alone gets 0, as in Nova.
            min = minval.orElse(min);
            max = maxval.orElse(max);
            double range = n > 1 ? Math.max(0, max - min) : 0;
            double multiplier = c.settings().multiplier();
            mins[j] = min;
            ranges[j] = range;
            multipliers[j] = multiplier;
            if (range > 0) {
                for (int i = 0; i < n; i++) {
                    total[i] += Weighing.contribution(raw[i * w + j], min, range, multiplier);
                }
            }
        }
        List<String> names = active.stream().map(c -> c.settings().name()).toList();
        return new Weighing(hosts, names, total, raw, mins, ranges, multipliers);
    }

    private static double millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000.0;
    }
}
