package io.placewise.bridge.api;

import io.placewise.bridge.api.ClusterDtos.SampleDto;
import io.placewise.bridge.api.ClusterDtos.TrafficDto;
import io.placewise.bridge.api.ClusterDtos.VmDto;
import io.placewise.service.api.FieldErrors;
import io.placewise.service.http.ApiProblem;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Maps one profiler report ({@code POST /v1/hosts/{host}/samples}) from the wire and checks what
 * needs no cluster state, on the request's thread; {@link io.placewise.bridge.service.SampleApplier}
 * applies it to the cluster (the state transition) on the cluster store's writer.
 */
public final class SampleMapper {
    private SampleMapper() {
    }

    /** A listed VM that is to run on the reporting host, with its position in the report. */
    public record Placed(int index, VmDto vm) {
    }

    /**
     * A report checked as far as it can be without the cluster.
     *
     * @param placed      the VMs it places on its host; null when it lists none ({@code vms} absent)
     * @param migratingIn the VMs it reports migrating in
     */
    public record Report(String host, SampleDto dto, Instant receivedAt, List<Placed> placed, Set<String> migratingIn) {
    }

    /**
     * @throws ApiProblem 400 without a body, 422 listing every problem the report has on its own
     */
    public static Report parse(String host, SampleDto dto, Instant receivedAt) {
        WireChecks.require(dto);
        FieldErrors errors = new FieldErrors();
        List<Placed> placed = null;
        Set<String> migratingIn = Set.of();
        if (dto.vms() != null) {
            placed = new ArrayList<>(dto.vms().size());
            Set<String> seen = new HashSet<>();
            Set<String> in = new HashSet<>();
            for (int i = 0; i < dto.vms().size(); i++) {
                VmDto v = dto.vms().get(i);
                String at = "vms[" + i + "]";
                if (!seen.add(v.id())) {
                    errors.add(at + ".id", "duplicate VM '" + v.id() + "'");
                } else if (v.host() != null && !v.host().equals(host)) {
                    errors.add(at + ".host", "a report of " + host + " cannot place a VM on " + v.host());
                } else if (Boolean.TRUE.equals(v.migratingIn())) {
                    in.add(v.id());
                } else {
                    placed.add(new Placed(i, v));
                }
            }
            migratingIn = in;
        }
        if (dto.traffic() != null) {
            Set<List<String>> pairs = new HashSet<>();
            for (int i = 0; i < dto.traffic().size(); i++) {
                TrafficDto t = dto.traffic().get(i);
                if (t.src().equals(t.dst())) {
                    errors.add("traffic[" + i + "]", "a VM does not send traffic to itself");
                } else if (!pairs.add(List.of(t.src(), t.dst()))) {
                    errors.add("traffic[" + i + "]", "duplicate pair " + t.src() + " → " + t.dst());
                }
            }
        }
        errors.throwIfAny();
        // Times as the database keeps them (microseconds), so that a restart loads the same state.
        return new Report(host, dto, receivedAt.truncatedTo(ChronoUnit.MICROS), placed, migratingIn);
    }
}
