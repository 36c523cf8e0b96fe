package io.placewise.scheduler;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A surviving host with its total weight. {@code contributions[i]} is weigher i's normalised score
 * times its multiplier and {@code raw[i]} its raw score, for the weighers named in the result.
 * Equal by content (the arrays element by element).
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

    @Override
    public boolean equals(Object o) {
        return o instanceof WeighedHost w && w.host.equals(host) && Double.compare(w.weight, weight) == 0
                && Arrays.equals(w.contributions, contributions) && Arrays.equals(w.raw, raw);
    }

    @Override
    public int hashCode() {
        return (host.hashCode() * 31 + Double.hashCode(weight)) * 31 * 31 + Arrays.hashCode(contributions) * 31
                + Arrays.hashCode(raw);
    }

    @Override
    public String toString() {
        return "WeighedHost[" + host + ", " + weight + ", contributions=" + Arrays.toString(contributions) + ", raw="
                + Arrays.toString(raw) + "]";
    }
}
