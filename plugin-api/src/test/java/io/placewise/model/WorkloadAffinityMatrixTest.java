package io.placewise.model;

import static io.placewise.model.WorkloadClass.CPU;
import static io.placewise.model.WorkloadClass.DISK_IO;
import static io.placewise.model.WorkloadClass.MEMORY;
import static io.placewise.model.WorkloadClass.WEB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class WorkloadAffinityMatrixTest {
    private static WorkloadAffinityMatrix parse(String text) {
        return WorkloadAffinityMatrix.parse(Arrays.asList(text.split(",")));
    }

    @Test
    void theDefaultParsesAndIsSymmetric() {
        WorkloadAffinityMatrix m = parse(WorkloadAffinityMatrix.DEFAULT);
        assertThat(m.score(CPU, CPU)).isEqualTo(-0.6);
        assertThat(m.score(DISK_IO, DISK_IO)).isEqualTo(-1.0);
        assertThat(m.score(CPU, DISK_IO)).isEqualTo(0.5);
        assertThat(m.score(DISK_IO, CPU)).isEqualTo(0.5);
        assertThat(m.score(WEB, MEMORY)).isZero();
        assertThat(parse(m.toString()).toString()).isEqualTo(m.toString());
    }

    @Test
    void namesAreTrimmedAndCaseInsensitive() {
        assertThat(parse(" Web : MEMORY = -0.25 ").score(MEMORY, WEB)).isEqualTo(-0.25);
        assertThat(WorkloadAffinityMatrix.parse(List.of()).score(CPU, CPU)).isZero();
    }

    @Test
    void badEntriesAreNamed() {
        assertThatThrownBy(() -> parse("cpu:cpu")).hasMessageContaining("'cpu:cpu' is not of the form class:class=score");
        assertThatThrownBy(() -> parse("cpu:gpu=0.1")).hasMessageContaining("unknown workload class 'gpu'");
        assertThatThrownBy(() -> parse("cpu:cpu=high")).hasMessageContaining("'high' is not a number");
        assertThatThrownBy(() -> parse("cpu:cpu=1.01")).hasMessageContaining("outside [-1, 1]");
        assertThatThrownBy(() -> parse("cpu:web=0.5, web:cpu=0.4")).hasMessageContaining("symmetric");
        assertThat(parse("cpu:web=0.5, web:cpu=0.5").score(WEB, CPU)).isEqualTo(0.5);
    }
}
