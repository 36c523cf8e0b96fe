package io.placewise.sim.trace;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Reads a PlanetLab (CoMon) day as CloudSim distributes it: one file per VM, one integer CPU utilisation in percent
 * (0–100) per 5-minute interval. Files are taken in name order (CloudSim takes {@code File.listFiles()} order, which
 * is the file system's). A line that is not such a percentage keeps the VM's previous value, so the grid stays
 * aligned, and is reported.
 */
public final class PlanetLabReader {
    public static final int INTERVAL_S = 300;

    private PlanetLabReader() {
    }

    public static Trace read(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new TraceException("planetlab:" + dir + ": not a directory", null);
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith("."))
                    .sorted().toList();
        } catch (IOException e) {
            throw new TraceException("planetlab:" + dir + ": cannot list: " + e.getMessage(), e);
        }
        List<VmTrace> vms = new ArrayList<>();
        List<String> bad = new ArrayList<>();
        int[] badCount = {0};
        for (Path f : files) {
            VmTrace vm = readVm(f, bad, badCount);
            if (vm != null) {
                vms.add(vm);
            }
        }
        if (vms.isEmpty()) {
            throw new TraceException("planetlab:" + dir + ": no VM file with a usable line", null);
        }
        return new Trace(List.of("planetlab:" + dir), INTERVAL_S, vms, bad, badCount[0]);
    }

    private static VmTrace readVm(Path f, List<String> bad, int[] badCount) {
        List<String> lines;
        try {
            lines = Files.readAllLines(f, StandardCharsets.UTF_8);
        } catch (IOException e) {
            note(bad, badCount, f + ": cannot read: " + e.getMessage());
            return null;
        }
        // A trailing empty line is the file's last newline, not a sample.
        int n = lines.size();
        while (n > 0 && lines.get(n - 1).isBlank()) {
            n--;
        }
        double[] cpu = new double[n];
        double last = 0;
        int good = 0;
        for (int i = 0; i < n; i++) {
            String text = lines.get(i).trim();
            Double v = percentage(text);
            if (v == null) {
                note(bad, badCount, String.format(Locale.ROOT, "%s:%d: '%s' is not a CPU percentage (0-100); the previous "
                        + "value is kept", f.getFileName(), i + 1, abbreviate(text)));
                cpu[i] = last;
            } else {
                cpu[i] = v;
                last = v;
                good++;
            }
        }
        if (good == 0) {
            note(bad, badCount, f.getFileName() + ": no usable line; the VM is left out");
            return null;
        }
        return new VmTrace(f.getFileName().toString(), "planetlab", 0, 0, 0, cpu, null, null, null, null, 0, n);
    }

    private static Double percentage(String text) {
        try {
            int p = Integer.parseInt(text);
            return p < 0 || p > 100 ? null : p / 100.0;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static void note(List<String> bad, int[] count, String line) {
        count[0]++;
        if (bad.size() < Trace.MAX_REPORTED) {
            bad.add(line);
        }
    }

    static String abbreviate(String s) {
        String clean = s.replaceAll("\\p{Cntrl}", "?");
        return clean.length() > 40 ? clean.substring(0, 40) + "…" : clean;
    }
}
