package io.placewise.scheduler;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A surviving host with its total weight. {@code contributions[i]} is weigher i's normalised score
 * times its multiplier and {@code raw[i]} its raw score, for the weighers named in the result.
 */
public record WeighedHost(String host, double weight, double[] contributions, double[] raw) {

    /** Weigher name → normalised score × multiplier. */
    public Map<String, Double> by(List<String> weigherNames) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (int i = 0; i < weigherNames.size(); i++) {
            m.put(weigherNames.get(i), contributions[i]);
        }
        return m;
    }

    /** Weigher name → raw score, as Nova's weighers return before normalisation. */
    public Map<String, Double> rawBy(List<String> weigherNames) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (int i = 0; i < weigherNames.size(); i++) {
            m.put(weigherNames.get(i), raw[i]);
        }
        return m;
    }
}
