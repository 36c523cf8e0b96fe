package io.placewise.bridge.api;

import io.placewise.service.api.Problem;
import io.placewise.service.api.RequestValidator;
import io.placewise.service.api.FieldErrors;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.placewise.bridge.api.SchedulingDtos.SchedulingRequestDto;
import io.placewise.bridge.api.SchedulingDtos.SpecDto;
import io.placewise.service.http.ApiProblem;
import io.placewise.service.http.JsonMapperProvider;
import io.placewise.model.Capacity;
import io.placewise.model.ClusterSnapshot;
import io.placewise.bridge.novasemantics.NovaHost;
import io.placewise.bridge.novasemantics.NovaIntent;
import io.placewise.bridge.novasemantics.NovaScheduling;
import io.placewise.model.Flavor;
import io.placewise.model.FlavorExtraSpecs;
import io.placewise.model.GroupPolicy;
import io.placewise.model.HistoryRecord;
import io.placewise.model.Host;
import io.placewise.model.PeerTraffic;
import io.placewise.model.PlacementSpec;
import io.placewise.model.ServerGroup;
import io.placewise.model.Vm;
import io.placewise.model.WorkloadClass;
import io.placewise.scheduler.PlacementRequest;
import io.placewise.scheduler.PlacementResult;
import io.placewise.scheduler.Rejection;
import io.placewise.scheduler.WeighedHost;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Turns a scheduling-hook body into a {@link PlacementRequest}, and results into answers. */
public final class SchedulingMapper {
    /** The filter named in rejections of hosts that Nova's request spec itself rules out. */
    public static final String NOVA_REQUEST_SPEC = "NovaRequestSpec";

    private SchedulingMapper() {
    }

    /**
     * A hook body ready for the pipeline: the request over the hosts it may judge, the hosts Nova's
     * request spec itself rules out, and whether filters run (Nova runs none on a rebuild or for a
     * forced host).
     */
    public record Framed(PlacementRequest request, List<Rejection> excluded, boolean runFilters) {
    }

    /**
     * As {@link #toRequest}, and with a {@code nova} object in the body, framed by Nova's rules
     * ({@link NovaScheduling}) from Nova's own request spec.
     *
     * @throws ApiProblem 400 without a body, 422 listing every invalid field, unknown host or VM
     */
    public static Framed frame(SchedulingRequestDto dto, ClusterSnapshot cluster, List<HistoryRecord> history) {
        RequestValidator.require(dto);
        if (dto.nova() == null) {
            return new Framed(toRequest(dto, cluster, history), List.of(), true);
        }
        List<Problem.FieldError> structural = NovaSpecMapper.structure(dto.nova().requestSpec(), "nova.request_spec");
        if (!structural.isEmpty()) {
            throw ApiProblem.invalid("nova.request_spec is not a Nova RequestSpec primitive; nothing was decided", structural);
        }
        FieldErrors errors = new FieldErrors();
        NovaSpecMapper.ParsedSpec parsed = NovaSpecMapper.parse(dto.nova().requestSpec(), "nova.request_spec", cluster, errors);
        List<Host> hosts = candidates(dto.hosts(), cluster, errors);
        errors.throwIfAny();
        PlacementSpec base = toSpec(parsed.generic(), cluster, errors);
        errors.throwIfAny();
        List<NovaExternalDtos.NovaHostDto> facts = dto.nova().hosts() == null ? List.of() : dto.nova().hosts();
        List<NovaScheduling.Candidate> candidates = new ArrayList<>(hosts.size());
        Map<String, String> placewiseName = new LinkedHashMap<>();
        for (Host h : hosts) {
            NovaHost nova = facts.stream().map(NovaSpecMapper::novaHost).filter(f -> f.isNamed(h.name())).findFirst()
                    .orElse(new NovaHost(h.name(), null));
            candidates.add(new NovaScheduling.Candidate(nova, h));
            placewiseName.putIfAbsent(nova.host(), h.name());
        }
        NovaIntent intent = NovaIntent.of(parsed.nova().checkType(), false, false, false);
        NovaScheduling.Plan plan = NovaScheduling.plan(parsed.nova(), intent, base, candidates, cluster);
        List<Rejection> excluded = new ArrayList<>();
        plan.excluded().forEach((nova, why) -> excluded.add(new Rejection(placewiseName.getOrDefault(nova, nova), NOVA_REQUEST_SPEC, why)));
        int n = dto.numInstances() == null ? 1 : dto.numInstances();
        return new Framed(new PlacementRequest(cluster, plan.spec(), plan.judgedHosts(), n, history), excluded, plan.runFilters());
    }

    /**
     * @throws ApiProblem 400 without a body, 422 listing every invalid field, unknown host or VM
     */
    public static PlacementRequest toRequest(SchedulingRequestDto dto, ClusterSnapshot cluster, List<HistoryRecord> history) {
        RequestValidator.require(dto);
        FieldErrors errors = new FieldErrors();
        PlacementSpec spec = toSpec(dto.spec(), cluster, errors);
        List<Host> candidates = candidates(dto.hosts(), cluster, errors);
        errors.throwIfAny();
        int n = dto.numInstances() == null ? 1 : dto.numInstances();
        return new PlacementRequest(cluster, spec, candidates, n, history);
    }

    /** The spec of a hook body; problems go to {@code errors} (also used by {@link NovaSpecMapper}). */
    static PlacementSpec toSpec(SpecDto s, ClusterSnapshot cluster, FieldErrors errors) {
        Map<String, String> extra = s.flavor().extraSpecs() == null ? Map.of() : s.flavor().extraSpecs();
        WorkloadClass workload = WorkloadClass.MIXED;
        String w = s.workload() != null ? s.workload() : extra.get(FlavorExtraSpecs.WORKLOAD);
        if (w != null) {
            var parsed = WorkloadClass.fromWire(w);
            if (parsed.isEmpty()) {
                errors.add(s.workload() != null ? "spec.workload" : "spec.flavor.extra_specs." + FlavorExtraSpecs.WORKLOAD,
                        "unknown workload '" + w + "' (one of cpu, memory, disk_io, net_rx, web, mixed)");
            } else {
                workload = parsed.get();
            }
        }
        Set<String> nonsharable = new LinkedHashSet<>();
        if (s.nonsharable() != null) {
            nonsharable.addAll(s.nonsharable());
        }
        nonsharable.addAll(FlavorExtraSpecs.nonsharable(extra));
        ServerGroup group = null;
        if (s.group() != null) {
            var policy = GroupPolicy.fromWire(s.group().policy());
            if (policy.isEmpty()) {
                errors.add("spec.group.policy", "unknown policy '" + s.group().policy()
                        + "' (one of affinity, anti-affinity, soft-affinity, soft-anti-affinity)");
            } else {
                group = new ServerGroup(s.group().name(), policy.get(),
                        s.group().members() == null ? Set.of() : new HashSet<>(s.group().members()));
            }
        }
        List<PeerTraffic> traffic = new ArrayList<>();
        if (s.traffic() != null) {
            for (int i = 0; i < s.traffic().size(); i++) {
                var t = s.traffic().get(i);
                if (cluster.vm(t.peer()) == null) {
                    errors.add("spec.traffic[" + i + "].peer", "unknown VM '" + t.peer() + "'");
                } else {
                    traffic.add(new PeerTraffic(t.peer(), t.mbps()));
                }
            }
        }
        String source = s.sourceHost();
        if (source != null && cluster.host(source) == null) {
            errors.add("spec.source_host", "unknown host '" + source + "'");
        }
        if (source == null && s.instanceUuid() != null) {
            Vm existing = cluster.vm(s.instanceUuid());
            source = existing == null ? null : existing.host();
        }
        Flavor flavor = new Flavor(s.flavor().vcpus(), s.flavor().memoryMb(),
                s.flavor().diskGb() == null ? 0 : s.flavor().diskGb(), extra);
        return new PlacementSpec(s.instanceUuid(), flavor, workload, nonsharable, group, traffic, source, hints(s.schedulerHints()));
    }

    private static Map<String, List<String>> hints(Map<String, JsonNode> raw) {
        if (raw == null) {
            return Map.of();
        }
        Map<String, List<String>> out = new LinkedHashMap<>();
        raw.forEach((k, v) -> {
            List<String> values = new ArrayList<>();
            if (v == null || v.isNull()) {
                return;
            }
            if (v.isArray()) {
                v.forEach(x -> values.add(x.isTextual() ? x.asText() : x.toString()));
            } else {
                values.add(v.isTextual() ? v.asText() : v.toString());
            }
            out.put(k, values);
        });
        return out;
    }

    /** The enabled hosts; the list itself (no copy of 10,000 references) when every host is. */
    private static List<Host> enabled(List<Host> hosts) {
        int n = hosts.size();
        int first = 0;
        while (first < n && hosts.get(first).enabled()) {
            first++;
        }
        if (first == n) {
            return hosts;
        }
        List<Host> out = new ArrayList<>(hosts.subList(0, first));
        for (int i = first + 1; i < n; i++) {
            Host h = hosts.get(i);
            if (h.enabled()) {
                out.add(h);
            }
        }
        return Collections.unmodifiableList(out);
    }

    private static List<Host> candidates(List<JsonNode> entries, ClusterSnapshot cluster, FieldErrors errors) {
        if (entries == null) {
            return enabled(cluster.hosts());
        }
        List<Host> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < entries.size(); i++) {
            JsonNode e = entries.get(i);
            String at = "hosts[" + i + "]";
            Host h = null;
            if (e.isTextual()) {
                h = cluster.host(e.asText());
                if (h == null) {
                    errors.add(at, "unknown host '" + e.asText() + "'");
                }
            } else if (e.isObject()) {
                h = override(e, cluster, at, errors);
            } else {
                errors.add(at, "expected a host name or a host object");
            }
            if (h != null && !seen.add(h.name())) {
                errors.add(at, "host '" + h.name() + "' is listed twice");
            } else if (h != null) {
                out.add(h);
            }
        }
        return out;
    }

    /** A host object in the request: its fields override what the bridge knows of that host. */
    private static Host override(JsonNode node, ClusterSnapshot cluster, String at, FieldErrors errors) {
        ClusterDtos.HostDto dto;
        try {
            dto = JsonMapperProvider.MAPPER.treeToValue(node, ClusterDtos.HostDto.class);
        } catch (JsonProcessingException e) {
            errors.add(at, "not a host object: " + e.getOriginalMessage());
            return null;
        }
        List<Problem.FieldError> invalid = RequestValidator.check(dto);
        invalid.forEach(f -> errors.add(at + "." + f.field(), f.message()));
        if (!invalid.isEmpty()) {
            return null;
        }
        Host known = cluster.host(dto.name());
        if (known == null && dto.capacity() == null) {
            errors.add(at + ".capacity", "host '" + dto.name() + "' is unknown to Placewise: give its capacity");
            return null;
        }
        Capacity capacity = dto.capacity() != null
                ? ClusterMapper.mergeCapacity(dto.capacity(), known == null ? null : known.capacity()) : known.capacity();
        return ClusterMapper.mergeHost(known, dto.name(), capacity, dto.cpuUtil(), dto.memUtil(), dto.swapWritesPerS(),
                dto.nicUtil(), dto.enabled(), dto.availabilityZone());
    }

    public static List<SchedulingDtos.RejectionDto> rejections(List<Rejection> rejected) {
        return rejected.stream().map(r -> new SchedulingDtos.RejectionDto(r.host(), r.filter(), r.reason())).toList();
    }

    /** Weighed hosts as answered; raw scores only where asked (the Nova shim needs them). */
    public static List<SchedulingDtos.WeighedDto> weighed(PlacementResult r, List<WeighedHost> hosts, boolean withRaw) {
        List<SchedulingDtos.WeighedDto> out = new ArrayList<>(hosts.size());
        for (WeighedHost w : hosts) {
            out.add(new SchedulingDtos.WeighedDto(w.host(), w.weight(), w.by(r.weigherNames()),
                    withRaw ? w.rawBy(r.weigherNames()) : null));
        }
        return out;
    }
}
