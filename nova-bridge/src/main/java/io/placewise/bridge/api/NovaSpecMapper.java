package io.placewise.bridge.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.placewise.bridge.api.NovaExternalDtos.NovaExternalRequestDto;
import io.placewise.bridge.api.NovaExternalDtos.NovaHostDto;
import io.placewise.bridge.api.SchedulingDtos.FlavorDto;
import io.placewise.bridge.api.SchedulingDtos.GroupDto;
import io.placewise.bridge.api.SchedulingDtos.PeerTrafficDto;
import io.placewise.bridge.api.SchedulingDtos.SpecDto;
import io.placewise.model.ClusterSnapshot;
import io.placewise.model.Host;
import io.placewise.model.PlacementSpec;
import io.placewise.model.ServerGroup;
import io.placewise.service.api.FieldErrors;
import io.placewise.service.api.Problem;
import io.placewise.service.api.RequestValidator;
import io.placewise.service.http.ApiProblem;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns SAP's Nova fork's external-scheduler body into a {@link NovaQuestion}: the Nova
 * {@code RequestSpec} primitive (fields under {@code nova_object.data}) becomes the same
 * {@link SpecDto} the {@code /v1} hooks take, so both paths share {@link SchedulingMapper}'s rules.
 */
public final class NovaSpecMapper {
    static final String DATA = "nova_object.data";
    /** Scheduler hint with the request's intent: rebuild, resize, live_migrate, ... */
    public static final String CHECK_TYPE_HINT = "_nova_check_type";
    /** Scheduler hint with expected traffic to peers, "peer=mbps" per item (as the Python shim reads it). */
    public static final String TRAFFIC_HINT = "placewise_traffic";

    private NovaSpecMapper() {
    }

    /**
     * The question Nova asks. {@code known} are the candidates Placewise knows (named as Placewise
     * names them), {@code novaName} maps those names back to Nova's {@code host}; {@code unknown}
     * are Nova hosts Placewise has never heard of, in Nova's order; {@code excluded} are hosts the
     * request itself rules out (ignore_hosts, requested_destination, a live migration's source),
     * with the reason.
     */
    public record NovaQuestion(PlacementSpec spec, List<Host> known, Map<String, String> novaName,
                               List<String> unknown, Map<String, String> excluded, Map<String, Double> weights,
                               boolean rebuild, boolean live, String requestId, List<String> novaOrder) {
    }

    /**
     * @throws ApiProblem 400 when the body or its spec is not what the fork sends (no RequestSpec
     *                    primitive, no flavor, no hosts), 422 listing every invalid field
     */
    public static NovaQuestion toQuestion(NovaExternalRequestDto dto, ClusterSnapshot cluster) {
        if (dto == null) {
            throw ApiProblem.badRequest("a JSON body is required");
        }
        JsonNode spec = dto.spec();
        List<Problem.FieldError> structural = new ArrayList<>();
        JsonNode data = null;
        if (spec == null || !spec.isObject()) {
            structural.add(new Problem.FieldError("spec", "required: a Nova RequestSpec primitive (RequestSpec.obj_to_primitive())"));
        } else {
            JsonNode name = spec.get("nova_object.name");
            if (name != null && !"RequestSpec".equals(name.asText())) {
                structural.add(new Problem.FieldError("spec.nova_object.name", "expected RequestSpec, got '" + name.asText() + "'"));
            }
            data = spec.get(DATA);
            if (data == null || !data.isObject()) {
                structural.add(new Problem.FieldError("spec." + DATA, "required: the RequestSpec's fields"));
                data = null;
            } else if (objectData(data.get("flavor")) == null) {
                structural.add(new Problem.FieldError("spec.flavor", "required: a Flavor primitive"));
            }
        }
        if (dto.hosts() == null) {
            structural.add(new Problem.FieldError("hosts", "required: [{\"host\", \"hypervisor_hostname\"}, ...]"));
        }
        if (!structural.isEmpty()) {
            throw new ApiProblem(400, "Bad Request", "not a Nova external-scheduler request; nothing was decided", structural);
        }

        FieldErrors errors = new FieldErrors();
        Map<String, JsonNode> hints = hints(data.get("scheduler_hints"), errors);
        List<String> checkType = texts(hints.get(CHECK_TYPE_HINT));
        boolean rebuild = Boolean.TRUE.equals(dto.rebuild()) || checkType.equals(List.of("rebuild"));
        boolean live = Boolean.TRUE.equals(dto.live()) || checkType.equals(List.of("live_migrate"));

        String instanceUuid = text(data.get("instance_uuid"));
        FlavorDto flavor = flavor(objectData(data.get("flavor")), errors);
        GroupDto group = null;
        Set<String> groupHosts = Set.of();
        JsonNode g = objectData(data.get("instance_group"));
        if (g != null) {
            String policy = text(g.get("policy"));
            if (policy == null) {
                // InstanceGroup before 1.11 carries a one-element 'policies' list instead.
                List<String> policies = texts(g.get("policies"));
                policy = policies.isEmpty() ? null : policies.get(0);
            }
            if (policy != null) {
                group = new GroupDto(text(g.get("name")), policy, texts(g.get("members")));
                groupHosts = new LinkedHashSet<>(texts(g.get("hosts")));
            }
        }
        List<PeerTrafficDto> traffic = traffic(texts(hints.get(TRAFFIC_HINT)), cluster);
        // workload / nonsharable come from the flavor's placewise:* extra specs, read by SchedulingMapper.
        SpecDto specDto = new SpecDto(instanceUuid, flavor, null, null, group, traffic, null, hints);
        RequestValidator.check(specDto).forEach(f -> errors.add("spec." + f.field(), f.message()));
        Map<String, Double> weights = weights(dto.weights(), errors);
        List<NovaHostDto> hosts = dto.hosts();
        for (int i = 0; i < hosts.size(); i++) {
            if (hosts.get(i) == null || hosts.get(i).host() == null || hosts.get(i).host().isBlank()) {
                errors.add("hosts[" + i + "].host", "required: the compute service's host name");
            }
        }
        errors.throwIfAny();
        PlacementSpec parsed = SchedulingMapper.toSpec(specDto, cluster, errors);
        errors.throwIfAny();
        if (parsed.group() != null && !groupHosts.isEmpty()) {
            ServerGroup sg = parsed.group();
            parsed = new PlacementSpec(parsed.instanceUuid(), parsed.flavor(), parsed.workload(), parsed.nonsharable(),
                    new ServerGroup(sg.name(), sg.policy(), sg.members(), groupHosts), parsed.traffic(),
                    parsed.sourceHost(), parsed.hints());
        }

        Set<String> ignore = new HashSet<>(texts(data.get("ignore_hosts")));
        JsonNode dest = objectData(data.get("requested_destination"));
        String destHost = dest == null ? null : text(dest.get("host"));

        List<Host> known = new ArrayList<>();
        Map<String, String> novaName = new LinkedHashMap<>();
        List<String> unknown = new ArrayList<>();
        Map<String, String> excluded = new LinkedHashMap<>();
        List<String> order = new ArrayList<>();
        for (NovaHostDto h : hosts) {
            String name = h.host();
            if (novaName.containsValue(name) || unknown.contains(name) || excluded.containsKey(name)) {
                continue;
            }
            order.add(name);
            Host match = cluster.host(name);
            if (match == null && h.hypervisorHostname() != null) {
                match = cluster.host(h.hypervisorHostname());
            }
            String placewiseName = match == null ? name : match.name();
            if (ignore.contains(name)) {
                excluded.put(name, "listed in the request's ignore_hosts");
            } else if (destHost != null && !destHost.equals(name)) {
                excluded.put(name, "the request's requested_destination is " + destHost);
            } else if (live && parsed.sourceHost() != null && parsed.sourceHost().equals(placewiseName)) {
                excluded.put(name, "live migration: the instance runs here now");
            } else if (match == null) {
                unknown.add(name);
            } else {
                known.add(match);
                novaName.put(match.name(), name);
            }
        }
        String requestId = dto.context() == null ? null : text(dto.context().get("request_id"));
        return new NovaQuestion(parsed, known, novaName, unknown, excluded, weights, rebuild, live, requestId, order);
    }

    /** A nested Nova object's fields, or the object itself when it is already plain; null if absent. */
    static JsonNode objectData(JsonNode node) {
        if (node == null || !node.isObject()) {
            return null;
        }
        JsonNode d = node.get(DATA);
        return d != null && d.isObject() ? d : node;
    }

    private static FlavorDto flavor(JsonNode f, FieldErrors errors) {
        Integer vcpus = integer(f, "vcpus", errors);
        Long memory = longValue(f, "memory_mb", errors);
        Long root = longValue(f, "root_gb", errors);
        Long ephemeral = longValue(f, "ephemeral_gb", errors);
        Map<String, String> extra = new LinkedHashMap<>();
        JsonNode specs = f.get("extra_specs");
        if (specs != null && !specs.isNull()) {
            if (!specs.isObject()) {
                errors.add("spec.flavor.extra_specs", "expected an object of strings");
            } else {
                specs.fields().forEachRemaining(e -> extra.put(e.getKey(), e.getValue().isTextual() ? e.getValue().asText() : e.getValue().toString()));
            }
        }
        Long disk = root == null && ephemeral == null ? null : (root == null ? 0 : root) + (ephemeral == null ? 0 : ephemeral);
        return new FlavorDto(vcpus, memory, disk, extra);
    }

    private static Integer integer(JsonNode obj, String field, FieldErrors errors) {
        Long l = longValue(obj, field, errors);
        if (l != null && (l > Integer.MAX_VALUE || l < Integer.MIN_VALUE)) {
            errors.add("spec.flavor." + field, "out of range");
            return null;
        }
        return l == null ? null : l.intValue();
    }

    private static Long longValue(JsonNode obj, String field, FieldErrors errors) {
        JsonNode v = obj.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            errors.add("spec.flavor." + field, "expected an integer, got " + v);
            return null;
        }
        return v.asLong();
    }

    private static Map<String, JsonNode> hints(JsonNode node, FieldErrors errors) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return out;
        }
        JsonNode d = objectData(node);
        if (d == null) {
            errors.add("spec.scheduler_hints", "expected an object of lists");
            return out;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = d.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            out.put(e.getKey(), e.getValue());
        }
        return out;
    }

    private static Map<String, Double> weights(Map<String, JsonNode> raw, FieldErrors errors) {
        Map<String, Double> out = new LinkedHashMap<>();
        if (raw == null) {
            return out;
        }
        raw.forEach((host, v) -> {
            if (v == null || v.isNull()) {
                return;
            }
            if (!v.isNumber() || !Double.isFinite(v.asDouble())) {
                errors.add("weights." + host, "expected a number, got " + v);
            } else {
                out.put(host, v.asDouble());
            }
        });
        return out;
    }

    /** "peer=mbps" items naming VMs Placewise knows; others are skipped, as the shim does. */
    private static List<PeerTrafficDto> traffic(List<String> items, ClusterSnapshot cluster) {
        List<PeerTrafficDto> out = new ArrayList<>();
        for (String item : items) {
            int at = item.indexOf('=') >= 0 ? item.indexOf('=') : item.indexOf(':');
            if (at <= 0) {
                continue;
            }
            String peer = item.substring(0, at).trim();
            try {
                double mbps = Double.parseDouble(item.substring(at + 1).trim());
                if (mbps >= 0 && Double.isFinite(mbps) && cluster.vm(peer) != null) {
                    out.add(new PeerTrafficDto(peer, mbps));
                }
            } catch (NumberFormatException e) {
                // A malformed hint is the user's typo, not a reason to refuse scheduling.
            }
        }
        return out;
    }

    private static String text(JsonNode n) {
        return n == null || n.isNull() || !n.isValueNode() ? null : n.asText();
    }

    private static List<String> texts(JsonNode n) {
        List<String> out = new ArrayList<>();
        if (n == null || n.isNull()) {
            return out;
        }
        if (n.isArray()) {
            n.forEach(x -> {
                if (x.isValueNode() && !x.isNull()) {
                    out.add(x.asText());
                }
            });
        } else if (n.isValueNode()) {
            out.add(n.asText());
        }
        return out;
    }
}
