package io.placewise.model;

import java.util.Arrays;
import java.util.List;
import java.util.StringJoiner;

/**
 * The workload-affinity matrix of seed 002 §3.2 (Table 2): a symmetric score in [-1, 1] for each pair
 * of workload classes (negative: they slow each other down when co-located; positive: they run well
 * together); pairs not listed score 0. Written in the config as a comma list of
 * {@code class:class=score} entries, e.g. {@code cpu:cpu=-0.6, disk_io:disk_io=-1.0}. Immutable.
 */
public final class WorkloadAffinityMatrix {
    /**
     * The default, shared by the hard filter and the soft weigher; etc/policies.conf.part explains
     * each entry from seed 002.
     */
    public static final String DEFAULT = "cpu:cpu=-0.6, disk_io:disk_io=-1.0, cpu:disk_io=0.5";

    private static final int N = WorkloadClass.values().length;

    private final double[][] scores;
    private final boolean[][] given;

    private WorkloadAffinityMatrix(double[][] scores, boolean[][] given) {
        this.scores = scores;
        this.given = given;
    }

    /**
     * Parses the entries of the config list.
     *
     * @throws IllegalArgumentException naming the bad entry and what is wrong with it
     */
    public static WorkloadAffinityMatrix parse(List<String> entries) {
        double[][] scores = new double[N][N];
        boolean[][] given = new boolean[N][N];
        for (String raw : entries) {
            String entry = raw.trim();
            if (entry.isEmpty()) {
                continue;
            }
            int eq = entry.indexOf('=');
            int colon = entry.indexOf(':');
            if (eq < 0 || colon < 0 || colon > eq) {
                throw new IllegalArgumentException("entry '" + entry + "' is not of the form class:class=score");
            }
            WorkloadClass a = workload(entry, entry.substring(0, colon));
            WorkloadClass b = workload(entry, entry.substring(colon + 1, eq));
            double score;
            try {
                score = Double.parseDouble(entry.substring(eq + 1).trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("entry '" + entry + "': '" + entry.substring(eq + 1).trim() + "' is not a number");
            }
            if (!Double.isFinite(score) || score < -1 || score > 1) {
                throw new IllegalArgumentException("entry '" + entry + "': score " + score + " is outside [-1, 1]");
            }
            int i = a.ordinal();
            int j = b.ordinal();
            if (given[i][j] && scores[i][j] != score) {
                throw new IllegalArgumentException("entry '" + entry + "': " + a + ":" + b + " is already "
                        + scores[i][j] + " (the matrix is symmetric; give each pair once)");
            }
            scores[i][j] = score;
            scores[j][i] = score;
            given[i][j] = true;
            given[j][i] = true;
        }
        return new WorkloadAffinityMatrix(scores, given);
    }

    private static WorkloadClass workload(String entry, String name) {
        return WorkloadClass.fromWire(name).orElseThrow(() -> new IllegalArgumentException("entry '" + entry
                + "': unknown workload class '" + name.trim() + "' (known: " + Arrays.toString(WorkloadClass.values()) + ")"));
    }

    /** The pair's score; symmetric; 0 for a pair the config does not list. */
    public double score(WorkloadClass a, WorkloadClass b) {
        return scores[a.ordinal()][b.ordinal()];
    }

    /** The listed pairs in the config's form, each once. */
    @Override
    public String toString() {
        StringJoiner out = new StringJoiner(", ");
        WorkloadClass[] all = WorkloadClass.values();
        for (int i = 0; i < N; i++) {
            for (int j = i; j < N; j++) {
                if (given[i][j]) {
                    out.add(all[i] + ":" + all[j] + "=" + scores[i][j]);
                }
            }
        }
        return out.toString();
    }
}
