package io.placewise.sim.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.placewise.sim.SharedTraces;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The PlanetLab reader on the shared days as CloudSim distributes them, and on broken copies of their files. */
class PlanetLabReaderTest {
    @TempDir
    Path tmp;

    @Test
    void readsEveryVmOfEachSharedDayAtItsFullLength() throws Exception {
        for (String day : List.of("20110303", "20110306", "20110309")) {
            Path dir = SharedTraces.planetLabDay(day);
            long files;
            try (Stream<Path> s = Files.list(dir)) {
                files = s.count();
            }
            Trace t = PlanetLabReader.read(dir);
            assertThat(t.vms()).as(day).hasSize((int) files);
            assertThat(t.intervals()).isEqualTo(288);
            assertThat(t.intervalS()).isEqualTo(300);
            assertThat(t.malformedCount()).isZero();
            assertThat(t.vms()).allSatisfy(v -> {
                assertThat(v.start()).isZero();
                assertThat(v.end()).isEqualTo(288);
                assertThat(java.util.Arrays.stream(v.cpu()).allMatch(c -> c >= 0 && c <= 1)).isTrue();
            });
        }
        // The day of CloudSim's reference experiment has 1052 VMs (README of shared/traces).
        assertThat(PlanetLabReader.read(SharedTraces.planetLabDay("20110303")).vms()).hasSize(1052);
    }

    @Test
    void valuesAreTheFilesPercentagesInNameOrder() throws Exception {
        Path dir = SharedTraces.planetLabDay("20110303");
        Trace t = PlanetLabReader.read(dir);
        VmTrace first = t.vms().get(0);
        List<String> lines = Files.readAllLines(dir.resolve(first.id()));
        for (int i = 0; i < 288; i++) {
            assertThat(first.cpu()[i]).isEqualTo(Integer.parseInt(lines.get(i).trim()) / 100.0);
        }
        assertThat(t.vms()).extracting(VmTrace::id).isSorted();
    }

    @Test
    void aMalformedLineKeepsThePreviousValueAndIsReported() throws Exception {
        Path src = SharedTraces.planetLabDay("20110303");
        List<Path> three;
        try (Stream<Path> s = Files.list(src)) {
            three = s.sorted().limit(3).toList();
        }
        Path dir = Files.createDirectory(tmp.resolve("day"));
        for (Path p : three) {
            Files.copy(p, dir.resolve(p.getFileName()));
        }
        Path broken = dir.resolve(three.get(0).getFileName());
        List<String> lines = new java.util.ArrayList<>(Files.readAllLines(broken));
        String before = lines.get(9);
        lines.set(10, "abc");
        lines.set(20, "150");
        lines.set(30, "-3");
        lines.set(40, "");
        Files.write(broken, lines);
        Files.writeString(dir.resolve("empty-vm"), "x\ny\n");

        Trace t = PlanetLabReader.read(dir);
        assertThat(t.vms()).hasSize(3);
        VmTrace vm = t.vms().get(0);
        assertThat(vm.cpu()[10]).isEqualTo(Integer.parseInt(before.trim()) / 100.0);
        assertThat(vm.cpu()[20]).isEqualTo(vm.cpu()[19]);
        assertThat(vm.intervals()).isEqualTo(288);
        assertThat(t.malformedCount()).isEqualTo(4 + 2 + 1);
        assertThat(t.malformedLines()).anySatisfy(l -> assertThat(l).startsWith(three.get(0).getFileName() + ":11: 'abc'"))
                .anySatisfy(l -> assertThat(l).contains(":21: '150'"))
                .anySatisfy(l -> assertThat(l).isEqualTo("empty-vm: no usable line; the VM is left out"));
    }

    @Test
    void aMissingDirectoryOrOneWithoutUsableFilesIsAnError() throws Exception {
        assertThatThrownBy(() -> PlanetLabReader.read(tmp.resolve("nope"))).isInstanceOf(TraceException.class)
                .hasMessageContaining("not a directory");
        Files.writeString(tmp.resolve("junk"), "not a number\n");
        assertThatThrownBy(() -> PlanetLabReader.read(tmp)).isInstanceOf(TraceException.class)
                .hasMessageContaining("no VM file with a usable line");
    }
}
