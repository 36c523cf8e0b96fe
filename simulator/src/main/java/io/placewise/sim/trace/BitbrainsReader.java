package io.placewise.sim.trace;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Reads Bitbrains GWA-T-12 VM files ({@code fastStorage}/{@code rnd}): one CSV per VM, fields separated by
 * {@code ;} and a tab, with a header. The timestamp column says [ms] but holds Unix seconds (values above 10^11 are
 * taken as milliseconds). Rows are resampled onto one grid of {@code intervalS} seconds from the earliest timestamp
 * of all files, so VMs keep their real-time alignment: a slot takes the mean of its rows; a slot without a row inside
 * the VM's lifetime keeps the previous slot's values. Rows reporting no provisioned CPU (a VM that is down) are gaps,
 * not load. Lines with the wrong number of fields, a non-number, a negative value or a timestamp that goes back are
 * skipped and reported.
 */
public final class BitbrainsReader {
    private static final int FIELDS = 11;

    private BitbrainsReader() {
    }

    private record Row(long at, double cores, double capacityMhz, double usageMhz, double usagePct, double memKb,
                       double memUsedKb, double diskReadKbs, double diskWriteKbs, double netRxKbs, double netTxKbs) {
    }

    public static Trace read(Path dir, int intervalS) {
        if (!Files.isDirectory(dir)) {
            throw new TraceException("bitbrains:" + dir + ": not a directory", null);
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.getFileName().toString().endsWith(".csv"))
                    .sorted(Comparator.comparing((Path p) -> numericName(p)).thenComparing(Path::toString)).toList();
        } catch (IOException e) {
            throw new TraceException("bitbrains:" + dir + ": cannot list: " + e.getMessage(), e);
        }
        List<String> bad = new ArrayList<>();
        int[] badCount = {0};
        List<String> names = new ArrayList<>();
        List<List<Row>> rows = new ArrayList<>();
        long t0 = Long.MAX_VALUE;
        long t1 = Long.MIN_VALUE;
        for (Path f : files) {
            List<Row> r = readRows(f, bad, badCount);
            if (r.isEmpty()) {
                PlanetLabReader.note(bad, badCount, f.getFileName() + ": no usable row; the VM is left out");
                continue;
            }
            names.add(f.getFileName().toString().replaceFirst("\\.csv$", ""));
            rows.add(r);
            t0 = Math.min(t0, r.get(0).at());
            t1 = Math.max(t1, r.get(r.size() - 1).at());
        }
        if (rows.isEmpty()) {
            throw new TraceException("bitbrains:" + dir + ": no VM file with a usable row", null);
        }
        int slots = (int) ((t1 - t0) / intervalS) + 1;
        List<VmTrace> vms = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            vms.add(resample("bb-" + names.get(i), rows.get(i), t0, intervalS, slots));
        }
        return new Trace(List.of("bitbrains:" + dir), intervalS, vms, bad, badCount[0]);
    }

    private static long numericName(Path p) {
        String n = p.getFileName().toString().replaceFirst("\\.csv$", "");
        try {
            return Long.parseLong(n);
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }

    private static List<Row> readRows(Path f, List<String> bad, int[] badCount) {
        List<Row> out = new ArrayList<>();
        String name = f.getFileName().toString();
        try (BufferedReader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
            String line;
            int no = 0;
            long lastAt = Long.MIN_VALUE;
            while ((line = r.readLine()) != null) {
                no++;
                if (line.isBlank() || (no == 1 && line.startsWith("Timestamp"))) {
                    continue;
                }
                String[] parts = line.split(";");
                if (parts.length != FIELDS) {
                    PlanetLabReader.note(bad, badCount, String.format(Locale.ROOT, "%s:%d: %d fields, %d expected",
                            name, no, parts.length, FIELDS));
                    continue;
                }
                double[] v = new double[FIELDS];
                String problem = null;
                for (int i = 0; i < FIELDS && problem == null; i++) {
                    String text = parts[i].trim();
                    try {
                        v[i] = Double.parseDouble(text);
                        if (!Double.isFinite(v[i]) || v[i] < 0) {
                            problem = "field " + (i + 1) + " '" + PlanetLabReader.abbreviate(text) + "' is not a non-negative number";
                        }
                    } catch (NumberFormatException e) {
                        problem = "field " + (i + 1) + " '" + PlanetLabReader.abbreviate(text) + "' is not a number";
                    }
                }
                long at = (long) (v[0] > 1e11 ? v[0] / 1000 : v[0]);
                if (problem == null && at < lastAt) {
                    problem = "timestamp " + at + " goes back from " + lastAt;
                }
                if (problem != null) {
                    PlanetLabReader.note(bad, badCount, String.format(Locale.ROOT, "%s:%d: %s", name, no, problem));
                    continue;
                }
                lastAt = at;
                out.add(new Row(at, v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10]));
            }
        } catch (IOException e) {
            PlanetLabReader.note(bad, badCount, name + ": cannot read: " + e.getMessage());
            return List.of();
        }
        return out;
    }

    private static VmTrace resample(String id, List<Row> rows, long t0, int intervalS, int slots) {
        double[] cpu = new double[slots];
        double[] mem = new double[slots];
        double[] disk = new double[slots];
        double[] rx = new double[slots];
        double[] tx = new double[slots];
        int[] n = new int[slots];
        double cores = 0;
        double mhz = 0;
        double memMb = 0;
        int first = Integer.MAX_VALUE;
        int last = -1;
        for (Row r : rows) {
            if (r.cores() <= 0 || r.capacityMhz() <= 0) {
                continue;
            }
            int s = (int) ((r.at() - t0) / intervalS);
            cores = Math.max(cores, r.cores());
            mhz = Math.max(mhz, r.capacityMhz());
            memMb = Math.max(memMb, r.memKb() / 1024);
            double busy = r.usageMhz() > 0 ? r.usageMhz() / r.capacityMhz() : r.usagePct() / 100;
            cpu[s] += Math.min(1, busy);
            mem[s] += r.memUsedKb() / 1024;
            disk[s] += (r.diskReadKbs() + r.diskWriteKbs()) / 1024;
            rx[s] += r.netRxKbs() * 8 / 1000;
            tx[s] += r.netTxKbs() * 8 / 1000;
            n[s]++;
            first = Math.min(first, s);
            last = Math.max(last, s);
        }
        if (last < 0) {
            return new VmTrace(id, "bitbrains", 0, 0, 0, cpu, mem, disk, rx, tx, 0, 0);
        }
        for (int s = first; s <= last; s++) {
            if (n[s] > 0) {
                cpu[s] /= n[s];
                mem[s] /= n[s];
                disk[s] /= n[s];
                rx[s] /= n[s];
                tx[s] /= n[s];
            } else {
                cpu[s] = cpu[s - 1];
                mem[s] = mem[s - 1];
                disk[s] = disk[s - 1];
                rx[s] = rx[s - 1];
                tx[s] = tx[s - 1];
            }
        }
        return new VmTrace(id, "bitbrains", (int) Math.round(cores), mhz, Math.round(memMb), cpu, mem, disk, rx, tx,
                first, last + 1);
    }
}
