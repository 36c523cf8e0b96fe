package io.placewise.bridge.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.placewise.bridge.api.SchedulingDtos.SchedulingRequestDto;
import io.placewise.model.ClusterSnapshot;
import io.placewise.model.Host;
import io.placewise.model.HistoryRecord;
import io.placewise.model.PeerTraffic;
import io.placewise.model.WorkloadClass;
import io.placewise.scheduler.PlacementRequest;
import io.placewise.service.api.Problem;
import io.placewise.service.http.ApiProblem;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** SchedulingMapper without HTTP: a hook body to a placement request, with every problem named by its field. */
class SchedulingMapperTest {
    private final ClusterSnapshot cluster = ClusterMapper.toSnapshot(MapperFixtures.twoHosts());

    private static SchedulingRequestDto body(String json) {
        return MapperFixtures.read(json, SchedulingRequestDto.class);
    }

    private static List<Problem.FieldError> errorsOf(Runnable r) {
        try {
            r.run();
        } catch (ApiProblem p) {
            assertThat(p.status()).isEqualTo(422);
            return p.toProblem().errors();
        }
        throw new AssertionError("no problem reported");
    }

    @Test
    void theFlavorsExtraSpecsGiveTheWorkloadAndNonsharableResources() {
        PlacementRequest r = SchedulingMapper.toRequest(body("""
                {'spec': {'instance_uuid': 'new', 'flavor': {'vcpus': 2, 'memory_mb': 2048,
                  'extra_specs': {'placewise:workload': 'disk_io', 'placewise:nonsharable': 'disk, gpu'}},
                  'nonsharable': ['llc'], 'traffic': [{'peer': 'a', 'mbps': 40}]},
                 'num_instances': 2}
                """), cluster, List.of());
        assertThat(r.spec().workload()).isEqualTo(WorkloadClass.DISK_IO);
        assertThat(r.spec().nonsharable()).containsExactlyInAnyOrder("llc", "disk", "gpu");
        assertThat(r.spec().flavor().diskGb()).isZero();
        assertThat(r.spec().traffic()).containsExactly(new PeerTraffic("a", 40));
        assertThat(r.numInstances()).isEqualTo(2);
        // No host list: every enabled host is a candidate.
        assertThat(r.candidates()).extracting(Host::name).containsExactly("pm1", "pm2");
    }

    @Test
    void theHistoryGoesWithTheRequest() {
        List<HistoryRecord> history = List.of(new HistoryRecord(1, Instant.now(), Map.of("pm1", 0.4), "a", "pm1", "pm2"));
        PlacementRequest r = SchedulingMapper.toRequest(body("{'spec': {'flavor': {'vcpus': 1, 'memory_mb': 512}}}"),
                cluster, history);
        assertThat(r.history()).isEqualTo(history);
    }

    @Test
    void anExistingVmIsMovedFromWhereItRuns() {
        PlacementRequest r = SchedulingMapper.toRequest(body(
                "{'spec': {'instance_uuid': 'b', 'flavor': {'vcpus': 2, 'memory_mb': 4096}}}"), cluster, List.of());
        assertThat(r.spec().sourceHost()).isEqualTo("pm2");
    }

    @Test
    void aHostObjectOverridesOnlyTheFieldsItGives() {
        PlacementRequest r = SchedulingMapper.toRequest(body("""
                {'spec': {'flavor': {'vcpus': 1, 'memory_mb': 512}},
                 'hosts': ['pm2', {'name': 'pm1', 'cpu_util': 0.9}, {'name': 'pm9', 'capacity': {'vcpus': 4, 'memory_mb': 4096}}]}
                """), cluster, List.of());
        Host pm1 = r.candidates().get(1);
        Host known = cluster.host("pm1");
        assertThat(pm1).isEqualTo(new Host("pm1", known.capacity(), 0.9, known.memUtil(), known.swapWritesPerS(),
                known.nicUtil(), known.enabled(), "az1"));
        assertThat(r.candidates().get(2).capacity().vcpus()).isEqualTo(4);
        assertThat(r.candidates().get(2).cpuUtil()).isZero();
    }

    @Test
    void everyProblemIsNamedByItsField() {
        List<Problem.FieldError> errors = errorsOf(() -> SchedulingMapper.toRequest(body("""
                {'spec': {'flavor': {'vcpus': 1, 'memory_mb': 512, 'extra_specs': {'placewise:workload': 'gpu'}},
                  'group': {'name': 'g', 'policy': 'together'}, 'traffic': [{'peer': 'ghost', 'mbps': 1}],
                  'source_host': 'pm7'},
                 'hosts': ['pm1', 'pm1', 'nowhere', 7, {'name': 'pm8'}]}
                """), cluster, List.of()));
        assertThat(errors).extracting(Problem.FieldError::field).containsExactlyInAnyOrder(
                "spec.flavor.extra_specs.placewise:workload", "spec.group.policy", "spec.traffic[0].peer",
                "spec.source_host", "hosts[1]", "hosts[2]", "hosts[3]", "hosts[4].capacity");
        assertThat(errors).filteredOn(e -> e.field().equals("hosts[1]")).singleElement()
                .satisfies(e -> assertThat(e.message()).isEqualTo("host 'pm1' is listed twice"));
    }

    @Test
    void noBodyIsA400() {
        assertThatThrownBy(() -> SchedulingMapper.toRequest(null, cluster, List.of()))
                .isInstanceOfSatisfying(ApiProblem.class, p -> assertThat(p.status()).isEqualTo(400));
    }
}
