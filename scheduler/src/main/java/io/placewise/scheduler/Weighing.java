package io.placewise.scheduler;

import io.placewise.model.Host;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The weighers' verdict over the surviving hosts, kept in flat arrays: total weight per host and,
 * per host and weigher, the raw score, with each weigher's min and range over the hosts (or its declared bounds), from which
 * a listed host's normalised-and-multiplied contributions are derived. Ordering is best first with
 * ties in candidate order; only what is asked for is sorted or materialised.
 */
final class Weighing {
    static final Weighing EMPTY = new Weighing(List.of(), List.of(), new double[0], new double[0], new double[0],
            new double[0], new double[0]);

    private final List<Host> hosts;
    private final List<String> names;
    private final double[] total;
    private final double[] raw;
    private final double[] mins;
    private final double[] ranges;
    private final double[] multipliers;

    Weighing(List<Host> hosts, List<String> names, double[] total, double[] raw, double[] mins, double[] ranges,
             double[] multipliers) {
        this.hosts = hosts;
        this.names = names;
        this.total = total;
        this.raw = raw;
        this.mins = mins;
        this.ranges = ranges;
        this.multipliers = multipliers;
    }

    /**
     * A raw score normalised over the hosts (min → 0, max → 1, all equal → 0) times the multiplier;
     * a score outside a weigher's declared bounds counts as the bound (Nova clamps it so).
     */
    static double contribution(double raw, double min, double range, double multiplier) {
        return range > 0 ? Math.min(Math.max(raw - min, 0.0), range) / range * multiplier : 0.0;
    }

    int size() {
        return total.length;
    }

    List<String> names() {
        return names;
    }

    /** The index of the best host (the first of equals), or -1 when there is none. */
    int best() {
        int best = -1;
        for (int i = 0; i < total.length; i++) {
            if (best < 0 || total[i] > total[best]) {
                best = i;
            }
        }
        return best;
    }

    /** The best {@code k} hosts in order, in O(n·k) for the small k an answer lists. */
    List<WeighedHost> top(int k) {
        int n = total.length;
        if (k <= 0) {
            return List.of(); // [scheduler] max_weighed = 0: list none
        }
        if (k >= n / 8) {
            List<WeighedHost> all = all();
            return all.subList(0, Math.min(k, n));
        }
        int[] best = new int[k];
        int count = 0;
        for (int i = 0; i < n; i++) {
            // Strictly greater: an equal later host never displaces an earlier one (stable).
            if (count == k && total[i] <= total[best[k - 1]]) {
                continue;
            }
            int pos = count < k ? count++ : k - 1;
            while (pos > 0 && total[i] > total[best[pos - 1]]) {
                best[pos] = best[pos - 1];
                pos--;
            }
            best[pos] = i;
        }
        List<WeighedHost> out = new ArrayList<>(count);
        for (int j = 0; j < count; j++) {
            out.add(host(best[j]));
        }
        return out;
    }

    /** Every host, best first; ties keep the candidates' order (Arrays.sort on objects is stable). */
    List<WeighedHost> all() {
        WeighedHost[] out = new WeighedHost[total.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = host(i);
        }
        Arrays.sort(out, (a, b) -> Double.compare(b.weight(), a.weight()));
        return List.of(out);
    }

    private WeighedHost host(int i) {
        int w = names.size();
        double[] contributions = new double[w];
        for (int j = 0; j < w; j++) {
            contributions[j] = contribution(raw[i * w + j], mins[j], ranges[j], multipliers[j]);
        }
        return new WeighedHost(hosts.get(i).name(), total[i], contributions, Arrays.copyOfRange(raw, i * w, i * w + w));
    }
}
