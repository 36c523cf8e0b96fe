package io.placewise.balancer;

import static org.assertj.core.api.Assertions.assertThat;

import io.placewise.model.WorkloadClass;
import io.placewise.precopy.MigrationStrategy;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MigrationOrdererTest {
    private static PlannedMove move(String vm, WorkloadClass w, long mb) {
        return new PlannedMove(0, PlannedMove.Action.MIGRATE, vm, "a", "b", MigrationStrategy.PRECOPY, 0, "", w, mb, Map.of(), null);
    }

    @Test
    void seed002Sequence() {
        List<PlannedMove> plan = List.of(move("netrx", WorkloadClass.NET_RX, 512), move("bigcpu", WorkloadClass.CPU, 4096),
                move("disk", WorkloadClass.DISK_IO, 1024), move("web", WorkloadClass.WEB, 2048),
                move("smallcpu", WorkloadClass.CPU, 256), move("mem", WorkloadClass.MEMORY, 8192));
        List<PlannedMove> ordered = MigrationOrderer.order(plan);
        // memory-dirtying and web first (planned order kept between them), then CPU/disk I/O shortest
        // job first by memory, network-receive last.
        assertThat(ordered).extracting(PlannedMove::vm)
                .containsExactly("web", "mem", "smallcpu", "disk", "bigcpu", "netrx");
        assertThat(ordered).extracting(PlannedMove::order).containsExactly(1, 2, 3, 4, 5, 6);
    }

    @Test
    void balloonStepsComeBeforeMigrations() {
        PlannedMove grow = new PlannedMove(0, PlannedMove.Action.GROW_MEMORY, "swapper", "a", "a", null, 32, "", WorkloadClass.NET_RX,
                512, Map.of(), null);
        List<PlannedMove> ordered = MigrationOrderer.order(List.of(move("web", WorkloadClass.WEB, 256), grow));
        assertThat(ordered.get(0).vm()).isEqualTo("swapper");
    }
}
