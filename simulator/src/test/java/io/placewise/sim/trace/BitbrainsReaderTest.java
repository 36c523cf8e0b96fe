package io.placewise.sim.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.placewise.sim.SharedTraces;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Bitbrains reader on real GWA-T-12 files and on broken copies of them. */
class BitbrainsReaderTest {
    @TempDir
    Path tmp;

    private Path copy(String... names) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("bb"));
        for (String n : names) {
            Files.copy(SharedTraces.bitbrains().resolve(n), dir.resolve(n));
        }
        return dir;
    }

    /** The fields of one data line of a real file. */
    private static double[] row(Path file, int line) throws Exception {
        String[] parts = Files.readAllLines(file).get(line).split(";");
        double[] v = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            v[i] = Double.parseDouble(parts[i].trim());
        }
        return v;
    }

    @Test
    void readsTheWholeSharedSetOnOneGrid() {
        Trace t = BitbrainsReader.read(SharedTraces.bitbrains(), 300);
        assertThat(t.vms()).hasSize(50);
        assertThat(t.malformedCount()).isZero();
        // About a month of 300 s slots from the earliest timestamp (README: ~8,300 rows a VM, ~300 s apart).
        assertThat(t.intervals()).isBetween(8_600, 8_700);
        assertThat(t.vms()).allSatisfy(v -> {
            assertThat(v.cores()).isPositive();
            assertThat(v.memoryMb()).isPositive();
            assertThat(v.measuresMemory()).isTrue();
            assertThat(v.measuresNetwork()).isTrue();
        });
    }

    @Test
    void aSlotHoldsTheRowsMeasurementsInTheReplaysUnits() throws Exception {
        Path dir = copy("1.csv");
        Trace t = BitbrainsReader.read(dir, 300);
        VmTrace vm = t.vms().get(0);
        double[] r = row(dir.resolve("1.csv"), 1);
        assertThat(vm.id()).isEqualTo("bb-1");
        assertThat(vm.cores()).isEqualTo((int) r[1]);
        assertThat(vm.start()).isZero();
        assertThat(vm.cpu()[0]).isCloseTo(r[3] / r[2], within(1e-9));
        assertThat(vm.memoryUsedMb()[0]).isCloseTo(r[6] / 1024, within(1e-9));
        assertThat(vm.diskMbPerS()[0]).isCloseTo((r[7] + r[8]) / 1024, within(1e-9));
        assertThat(vm.netRxMbps()[0]).isCloseTo(r[9] * 8 / 1000, within(1e-9));
        assertThat(vm.netTxMbps()[0]).isCloseTo(r[10] * 8 / 1000, within(1e-9));
    }

    @Test
    void aVmThatStartsLaterKeepsItsRealTimeAlignment() throws Exception {
        // 14.csv starts 28 days after 1.csv; its first rows report no provisioned CPU (the VM is not up yet), so
        // the VM begins at its first row with cores.
        Path dir = copy("1.csv", "14.csv");
        Trace t = BitbrainsReader.read(dir, 300);
        VmTrace late = t.vms().stream().filter(v -> v.id().equals("bb-14")).findFirst().orElseThrow();
        int line = 1;
        while (row(dir.resolve("14.csv"), line)[1] == 0) {
            line++;
        }
        assertThat(line).isGreaterThan(1);
        long first = (long) row(dir.resolve("14.csv"), line)[0];
        long t0 = (long) row(dir.resolve("1.csv"), 1)[0];
        assertThat(late.start()).isEqualTo((int) ((first - t0) / 300));
        assertThat(late.aliveAt(late.start() - 1)).isFalse();
        assertThat(late.aliveAt(late.start())).isTrue();
    }

    @Test
    void malformedLinesAreSkippedAndReported() throws Exception {
        Path dir = copy("10.csv");
        Path f = dir.resolve("10.csv");
        List<String> lines = new ArrayList<>(Files.readAllLines(f));
        lines.add(5, "1372631000;\t1;\t2600");
        lines.add(6, "1372631000;\t1;\t2600;\tNaN?;\t1.0;\t2097152;\t100;\t0;\t0;\t0;\t0");
        lines.add(7, "1372631000;\t1;\t2600;\t-5;\t1.0;\t2097152;\t100;\t0;\t0;\t0;\t0");
        lines.add(8, "1000;\t1;\t2600;\t5;\t1.0;\t2097152;\t100;\t0;\t0;\t0;\t0");
        Files.write(f, lines);
        Trace t = BitbrainsReader.read(dir, 300);
        assertThat(t.vms()).hasSize(1);
        assertThat(t.malformedCount()).isEqualTo(4);
        assertThat(t.malformedLines()).containsExactly(
                "10.csv:6: 3 fields, 11 expected",
                "10.csv:7: field 4 'NaN?' is not a number",
                "10.csv:8: field 4 '-5' is not a non-negative number",
                "10.csv:9: timestamp 1000 goes back from " + (long) row(f, 4)[0]);
    }

    @Test
    void aDirectoryWithoutAUsableFileIsAnError() throws Exception {
        Files.writeString(Files.createDirectories(tmp.resolve("x")).resolve("1.csv"), "Timestamp [ms];\n1;2;3\n");
        assertThatThrownBy(() -> BitbrainsReader.read(tmp.resolve("x"), 300)).isInstanceOf(TraceException.class)
                .hasMessageContaining("no VM file with a usable row");
    }
}
