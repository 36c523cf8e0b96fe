package io.placewise.balancer;

import io.placewise.model.Host;
import java.util.Collection;

/**
 * Imbalance trigger of seed 000 §3.1 step 2 as SPEC.md reads it: {@code C_m = (|C_diff_max| + |C_diff_min|) / 2},
 * half the spread of the hosts' CPU utilisation around their mean; trigger when {@code C_m > T}.
 */
public final class ImbalanceDetector {
    private ImbalanceDetector() {
    }

    /** The measure over the given hosts (the caller passes the enabled ones). */
    public record Imbalance(double cAvg, double cDiffMax, double cDiffMin, double cM, String maxHost, String minHost) {
        public static final Imbalance NONE = new Imbalance(0, 0, 0, 0, null, null);

        public boolean triggers(double threshold) {
            return cM > threshold;
        }
    }

    public static Imbalance measure(Collection<Host> hosts) {
        if (hosts.isEmpty()) {
            return Imbalance.NONE;
        }
        double sum = 0;
        Host max = null;
        Host min = null;
        for (Host h : hosts) {
            sum += h.cpuUtil();
            if (max == null || h.cpuUtil() > max.cpuUtil()) {
                max = h;
            }
            if (min == null || h.cpuUtil() < min.cpuUtil()) {
                min = h;
            }
        }
        double avg = sum / hosts.size();
        double diffMax = max.cpuUtil() - avg;
        double diffMin = min.cpuUtil() - avg;
        // The paper's signed sum would cancel out (one hot node of four never triggers); SPEC.md takes distances.
        double cm = (Math.abs(diffMax) + Math.abs(diffMin)) / 2;
        return new Imbalance(avg, diffMax, diffMin, cm, max.name(), min.name());
    }

    /** C_m from just the extremes: half the spread {@code (max − min) / 2}, whatever the mean. */
    public static double cmOfSpread(double max, double min) {
        return (max - min) / 2;
    }
}
