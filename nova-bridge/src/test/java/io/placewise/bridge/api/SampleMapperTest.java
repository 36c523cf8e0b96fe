package io.placewise.bridge.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.placewise.bridge.api.ClusterDtos.SampleDto;
import io.placewise.bridge.service.SampleApplier;
import io.placewise.model.ClusterEditor;
import io.placewise.model.ClusterSnapshot;
import io.placewise.model.Host;
import io.placewise.service.api.Problem;
import io.placewise.service.http.ApiProblem;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A profiler report without HTTP: SampleMapper checks it alone, SampleApplier applies it to the cluster. */
class SampleMapperTest {
    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
    private final ClusterSnapshot cluster = ClusterMapper.toSnapshot(MapperFixtures.twoHosts());

    private static SampleDto sample(String json) {
        return MapperFixtures.read(json, SampleDto.class);
    }

    private static ClusterSnapshot apply(ClusterSnapshot on, String host, String json) {
        ClusterEditor e = on.edit();
        SampleApplier.apply(e, SampleMapper.parse(host, sample(json), NOW), 3);
        return e.build();
    }

    @Test
    void aReportAloneIsCheckedBeforeTheClusterIsTouched() {
        assertThatThrownBy(() -> SampleMapper.parse("pm1", sample("""
                {'vms': [{'id': 'a'}, {'id': 'a'}, {'id': 'c', 'host': 'pm2'}],
                 'traffic': [{'src': 'a', 'dst': 'a', 'mbps': 1}, {'src': 'a', 'dst': 'b', 'mbps': 1}, {'src': 'a', 'dst': 'b', 'mbps': 2}]}
                """), NOW)).isInstanceOfSatisfying(ApiProblem.class, p -> assertThat(p.toProblem().errors())
                .extracting(Problem.FieldError::field).containsExactly("vms[1].id", "vms[2].host", "traffic[0]", "traffic[2]"));
        SampleMapper.Report r = SampleMapper.parse("pm1", sample("{'vms': [{'id': 'a'}, {'id': 'z', 'migrating_in': true}]}"), NOW);
        assertThat(r.placed()).extracting(p -> p.vm().id()).containsExactly("a");
        assertThat(r.migratingIn()).containsExactly("z");
    }

    @Test
    void fieldsTheReportOmitsKeepTheirValues() {
        ClusterSnapshot after = apply(cluster, "pm1", "{'cpu_util': 0.7}");
        Host before = cluster.host("pm1");
        assertThat(after.host("pm1")).isEqualTo(new Host("pm1", before.capacity(), 0.7, before.memUtil(),
                before.swapWritesPerS(), before.nicUtil(), before.enabled(), "az1"));
        assertThat(after.samples("pm1")).singleElement().satisfies(s -> {
            assertThat(s.cpuUtil()).isEqualTo(0.7);
            assertThat(s.at()).isEqualTo(NOW);
        });
        assertThat(after.lastSampleAt("pm1")).isEqualTo(NOW);
        assertThat(after.vmsOn("pm1")).extracting(v -> v.id()).containsExactly("a");
    }

    @Test
    void anUnknownHostRegistersOnlyWithItsCapacity() {
        assertThatThrownBy(() -> apply(cluster, "pm3", "{'cpu_util': 0.1}"))
                .isInstanceOfSatisfying(ApiProblem.class, p -> assertThat(p.status()).isEqualTo(404));
        ClusterSnapshot after = apply(cluster, "pm3", "{'cpu_util': 0.1, 'capacity': {'vcpus': 4, 'memory_mb': 8192}}");
        assertThat(after.host("pm3").capacity().vcpus()).isEqualTo(4);
        assertThat(after.host("pm3").enabled()).isTrue();
    }

    @Test
    void theListedVmsAreTheHostsVms() {
        // b is listed by pm1: it moved here from pm2; a's traffic is what the report says now.
        ClusterSnapshot after = apply(cluster, "pm1",
                "{'vms': [{'id': 'a'}, {'id': 'b', 'cpu_util': 0.25}], 'traffic': [{'src': 'a', 'dst': 'b', 'mbps': 7}]}");
        assertThat(after.vm("b").host()).isEqualTo("pm1");
        assertThat(after.vm("b").cpuUtil()).isEqualTo(0.25);
        assertThat(after.vm("b").memoryMb()).isEqualTo(4096);
        assertThat(after.vmsOn("pm2")).isEmpty();
        assertThat(after.traffic()).singleElement().satisfies(t -> assertThat(t.mbps()).isEqualTo(7));
        // A VM the host no longer lists is gone; traffic to a VM the bridge does not know is refused.
        ClusterSnapshot later = apply(after, "pm1", "{'vms': [{'id': 'b'}]}");
        assertThat(later.vm("a")).isNull();
        assertThatThrownBy(() -> apply(later, "pm1", "{'traffic': [{'src': 'b', 'dst': 'ghost', 'mbps': 1}]}"))
                .isInstanceOfSatisfying(ApiProblem.class, p -> assertThat(p.toProblem().errors())
                        .containsExactly(new Problem.FieldError("traffic[0].dst", "unknown VM 'ghost'")));
    }
}
