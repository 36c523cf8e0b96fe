package io.placewise.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WorkloadClassifierTest {
    @ParameterizedTest(name = "cpu {0}, dirty {1}, swap {2}, disk {3}, rx {4}, tx {5} -> {6}")
    @CsvSource({
            // SPEC CPU: busy vCPU, nothing else
            "0.95, 5,   0,  0,  0,   0,   CPU",
            // OLTP / SPECjbb: a high dirty rate wins over busy vCPUs
            "0.90, 400, 0,  0,  0,   0,   MEMORY",
            // swapping is memory pressure even with a low dirty rate
            "0.10, 5,   50, 0,  0,   0,   MEMORY",
            "0.20, 5,   0,  80, 0,   0,   DISK_IO",
            // webbench serves: more out than in
            "0.40, 5,   0,  0,  20,  200, WEB",
            "0.10, 5,   0,  0,  300, 10,  NET_RX",
            "0.10, 5,   0,  0,  1,   1,   MIXED",
            // just under every threshold
            "0.59, 99,  9,  9,  24,  25,  MIXED",
    })
    void namesTheCostliestBehaviour(double cpu, double dirty, double swap, double disk, double rx, double tx,
                                    WorkloadClass expected) {
        assertThat(WorkloadClassifier.DEFAULT.classify(new WorkloadClassifier.Usage(cpu, dirty, swap, disk, rx, tx)))
                .isEqualTo(expected);
    }
}
