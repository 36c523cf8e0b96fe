package io.placewise.scheduler;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The answer to one placement question. {@code selected} is one host per instance (empty when any
 * instance found no host, as Nova refuses a partial multi-create). {@link #passed()},
 * {@link #weighed()} and {@link #rejected()} describe one round of filtering and weighing: for a
 * single instance, that instance's; for several, the last round run, i.e. the last instance's, judged
 * with the earlier instances' claims applied (or the instance that found no host). Earlier instances'
 * rounds are not kept.
 */
public final class PlacementResult {
    private final List<String> selected;
    private final List<String> passed;
    private final Weighing weighing;
    private final List<Rejection> rejected;
    private final double decisionMs;
    private volatile List<WeighedHost> sorted;

    PlacementResult(List<String> selected, List<String> passed, Weighing weighing, List<Rejection> rejected, double decisionMs) {
        this.selected = List.copyOf(selected);
        this.passed = passed;
        this.weighing = weighing;
        this.rejected = rejected;
        this.decisionMs = decisionMs;
    }

    public List<String> selected() {
        return selected;
    }

    /** The hosts that passed every filter in the last round (see the class comment), in candidate order. */
    public List<String> passed() {
        return passed;
    }

    /** Every host that survived the last round, with its weight, best first (sorted on first use). */
    public List<WeighedHost> weighed() {
        List<WeighedHost> s = sorted;
        if (s == null) {
            s = weighing.all();
            sorted = s;
        }
        return s;
    }

    /** The best {@code k} weighed hosts, without sorting the rest. */
    public List<WeighedHost> top(int k) {
        return sorted != null ? sorted.subList(0, Math.min(k, sorted.size())) : weighing.top(k);
    }

    /** The hosts the last round's filters rejected, and why. */
    public List<Rejection> rejected() {
        return rejected;
    }

    /** The enabled weighers, in the order of {@link WeighedHost}'s arrays. */
    public List<String> weigherNames() {
        return weighing.names();
    }

    public double decisionMs() {
        return decisionMs;
    }

    /** The next-best hosts after the selected ones, at most {@code limit}. */
    public List<String> alternates(int limit) {
        Set<String> chosen = new HashSet<>(selected);
        return top(selected.size() + limit).stream().map(WeighedHost::host).filter(h -> !chosen.contains(h))
                .limit(limit).toList();
    }
}
