package io.placewise.scheduler;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The answer to one placement question. {@code weighed} holds every surviving host, best first;
 * {@code selected} is one host per instance (empty when any instance found no host, as Nova
 * refuses a partial multi-create).
 */
public record PlacementResult(List<String> selected, List<String> passed, List<WeighedHost> weighed,
                              List<Rejection> rejected, List<String> weigherNames, double decisionMs) {

    /** The next-best hosts after the selected ones, at most {@code limit}. */
    public List<String> alternates(int limit) {
        Set<String> chosen = new HashSet<>(selected);
        return weighed.stream().map(WeighedHost::host).filter(h -> !chosen.contains(h)).limit(limit).toList();
    }
}
