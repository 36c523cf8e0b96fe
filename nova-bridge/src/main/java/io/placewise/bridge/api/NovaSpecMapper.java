package io.placewise.bridge.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.placewise.bridge.api.NovaExternalDtos.NovaExternalRequestDto;
import io.placewise.bridge.api.NovaExternalDtos.NovaHostDto;
import io.placewise.bridge.api.SchedulingDtos.FlavorDto;
import io.placewise.bridge.api.SchedulingDtos.GroupDto;
import io.placewise.bridge.api.SchedulingDtos.PeerTrafficDto;
import io.placewise.bridge.api.SchedulingDtos.SpecDto;
import io.placewise.bridge.novasemantics.NovaFlavor;
import io.placewise.bridge.novasemantics.NovaHost;
import io.placewise.bridge.novasemantics.NovaIntent;
import io.placewise.bridge.novasemantics.NovaRequestSpec;
import io.placewise.bridge.novasemantics.NovaScheduling;
import io.placewise.bridge.novasemantics.NovaServerGroup;
import io.placewise.model.ClusterSnapshot;
import io.placewise.model.PlacementSpec;
import io.placewise.service.api.FieldErrors;
import io.placewise.service.api.Problem;
import io.placewise.service.api.RequestValidator;
import io.placewise.service.http.ApiProblem;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads Nova's {@code RequestSpec.obj_to_primitive()} (fields under {@code nova_object.data}) into
 * {@link NovaRequestSpec}, for SAP's external-scheduler body and for the upstream shim's {@code nova}
 * object alike; {@link NovaScheduling} then frames the question. Tolerates what other clients of the
 * same hook send: SAP's older client sends no {@code context}, cortex serialises unset fields as
 * empty strings and names no object ({@code "nova_object.name": ""}).
 */
public final class NovaSpecMapper {
    static final String DATA = "nova_object.data";
    static final String NAME = "nova_object.name";
    /** Scheduler hint with expected traffic to peers, "peer=mbps" per item (as the Python shim reads it). */
    public static final String TRAFFIC_HINT = "placewise_traffic";

    private NovaSpecMapper() {
    }

    /**
     * SAP's question: the framed plan, Nova's weights by host, and a label for logs (Nova's request
     * id when the client sent a context, else the instance).
     */
    public record NovaQuestion(NovaScheduling.Plan plan, Map<String, Double> weights, String label) {
    }

    /** A RequestSpec primitive read: Nova's fields, and the spec as the generic hook mapping reads it. */
    record ParsedSpec(NovaRequestSpec nova, SpecDto generic) {
    }

    /**
     * @throws ApiProblem 400 naming every field when the body is not a usable external-scheduler
     *                    request: SAP's fork retries every other error status before it falls back to
     *                    Nova's order, so a spec that cannot be used is answered with the one status it
     *                    gives up on at once
     */
    public static NovaQuestion toQuestion(NovaExternalRequestDto dto, ClusterSnapshot cluster) {
        if (dto == null) {
            throw ApiProblem.badRequest("a JSON body is required");
        }
        List<Problem.FieldError> structural = new ArrayList<>(structure(dto.spec(), "spec"));
        if (dto.hosts() == null) {
            structural.add(new Problem.FieldError("hosts", "required: [{\"host\", \"hypervisor_hostname\"}, ...]"));
        }
        if (!structural.isEmpty()) {
            throw new ApiProblem(400, "Bad Request", "not a Nova external-scheduler request; nothing was decided", structural);
        }
        FieldErrors errors = new FieldErrors();
        ParsedSpec parsed = parse(dto.spec(), "spec", cluster, errors);
        Map<String, Double> weights = weights(dto.weights(), errors);
        List<NovaHostDto> hosts = dto.hosts();
        for (int i = 0; i < hosts.size(); i++) {
            if (hosts.get(i) == null || hosts.get(i).host() == null || hosts.get(i).host().isBlank()) {
                errors.add("hosts[" + i + "].host", "required: the compute service's host name");
            }
        }
        asBadRequest(errors);
        PlacementSpec base = SchedulingMapper.toSpec(parsed.generic(), cluster, errors);
        asBadRequest(errors);

        List<NovaScheduling.Candidate> candidates = new ArrayList<>(hosts.size());
        Set<String> seen = new java.util.HashSet<>();
        for (NovaHostDto h : hosts) {
            if (!seen.add(h.host())) {
                continue; // a second node of one service host: the answer names hosts, so one suffices
            }
            NovaHost nova = novaHost(h);
            candidates.add(new NovaScheduling.Candidate(nova, NovaScheduling.resolve(nova, cluster)));
        }
        NovaIntent intent = NovaIntent.of(parsed.nova().checkType(), Boolean.TRUE.equals(dto.rebuild()),
                Boolean.TRUE.equals(dto.resize()), Boolean.TRUE.equals(dto.live()));
        NovaScheduling.Plan plan = NovaScheduling.plan(parsed.nova(), intent, base, candidates, cluster);
        return new NovaQuestion(plan, weights, label(dto.context(), parsed.nova()));
    }

    /** What is structurally wrong with a RequestSpec primitive at {@code at}; empty when it can be read. */
    static List<Problem.FieldError> structure(JsonNode spec, String at) {
        List<Problem.FieldError> out = new ArrayList<>();
        if (spec == null || !spec.isObject()) {
            out.add(new Problem.FieldError(at, "required: a Nova RequestSpec primitive (RequestSpec.obj_to_primitive())"));
            return out;
        }
        // An empty name is what clients that build the primitive themselves send (SAP's cortex).
        String name = text(spec.get(NAME));
        if (name != null && !name.isEmpty() && !"RequestSpec".equals(name)) {
            out.add(new Problem.FieldError(at + "." + NAME, "expected RequestSpec, got '" + name + "'"));
        }
        JsonNode data = spec.get(DATA);
        if (data == null || !data.isObject()) {
            out.add(new Problem.FieldError(at + "." + DATA, "required: the RequestSpec's fields"));
        } else if (objectData(data.get("flavor")) == null) {
            out.add(new Problem.FieldError(at + ".flavor", "required: a Flavor primitive"));
        }
        return out;
    }

    /** Reads a primitive {@link #structure} accepted; field problems go to {@code errors}, prefixed with {@code at}. */
    static ParsedSpec parse(JsonNode spec, String at, ClusterSnapshot cluster, FieldErrors errors) {
        JsonNode data = spec.get(DATA);
        Map<String, JsonNode> rawHints = hints(data.get("scheduler_hints"), at, errors);
        Map<String, List<String>> hints = new LinkedHashMap<>();
        rawHints.forEach((k, v) -> hints.put(k, texts(v)));
        String instanceUuid = emptyToNull(text(data.get("instance_uuid")));
        NovaFlavor flavor = flavor(objectData(data.get("flavor")), at + ".flavor", errors);
        boolean bfv = data.path("is_bfv").asBoolean(false);
        NovaServerGroup group = group(objectData(data.get("instance_group")), at + ".instance_group", errors);
        JsonNode dest = objectData(data.get("requested_destination"));
        Integer numInstances = integer(data, "num_instances", at, errors);
        NovaRequestSpec nova = new NovaRequestSpec(instanceUuid, flavor, bfv, group,
                numInstances == null ? 1 : numInstances,
                texts(data.get("ignore_hosts")), texts(data.get("force_hosts")), texts(data.get("force_nodes")),
                dest == null ? null : emptyToNull(text(dest.get("host"))), dest == null ? null : emptyToNull(text(dest.get("node"))),
                emptyToNull(text(data.get("availability_zone"))), hints);

        GroupDto groupDto = null;
        if (group != null && group.policy() != null) {
            List<String> members = group.members().stream().filter(m -> !m.equals(instanceUuid)).toList();
            groupDto = new GroupDto(group.name(), group.policy(), members);
        }
        FlavorDto flavorDto = new FlavorDto(flavor.vcpus(), flavor.memoryMb(), flavor.localDiskGb(bfv), flavor.extraSpecs());
        // workload / nonsharable come from the flavor's placewise:* extra specs, read by SchedulingMapper.
        SpecDto generic = new SpecDto(instanceUuid, flavorDto, null, null, groupDto,
                traffic(hints.getOrDefault(TRAFFIC_HINT, List.of()), cluster), null, rawHints);
        RequestValidator.check(generic).forEach(f -> errors.add(at + "." + f.field(), f.message()));
        return new ParsedSpec(nova, generic);
    }

    static NovaHost novaHost(NovaHostDto h) {
        Set<String> instances = h.instances() == null ? null : new LinkedHashSet<>(h.instances());
        return new NovaHost(h.host(), emptyToNull(h.hypervisorHostname()), instances, emptyToNull(h.availabilityZone()));
    }

    /** Nova's request id for logs (global first: it follows the request across services), else the instance. */
    static String label(JsonNode context, NovaRequestSpec spec) {
        String id = null;
        if (context != null && context.isObject()) {
            id = emptyToNull(text(context.get("global_request_id")));
            if (id == null) {
                id = emptyToNull(text(context.get("request_id")));
            }
        }
        if (id != null) {
            return id;
        }
        return spec.instanceUuid() == null ? "(no request id)" : "instance " + spec.instanceUuid();
    }

    private static void asBadRequest(FieldErrors errors) {
        try {
            errors.throwIfAny();
        } catch (ApiProblem p) {
            Problem problem = p.toProblem();
            throw new ApiProblem(400, "Bad Request", problem.detail(), problem.errors());
        }
    }

    /** A nested Nova object's fields, or the object itself when it is already plain; null if absent. */
    static JsonNode objectData(JsonNode node) {
        if (node == null || !node.isObject()) {
            return null;
        }
        JsonNode d = node.get(DATA);
        return d != null && d.isObject() ? d : node;
    }

    private static NovaFlavor flavor(JsonNode f, String at, FieldErrors errors) {
        Integer vcpus = integer(f, "vcpus", at, errors);
        Long memory = longValue(f, "memory_mb", at, errors);
        Long root = longValue(f, "root_gb", at, errors);
        Long ephemeral = longValue(f, "ephemeral_gb", at, errors);
        Long swap = longValue(f, "swap", at, errors);
        Map<String, String> extra = new LinkedHashMap<>();
        JsonNode specs = f.get("extra_specs");
        if (specs != null && !specs.isNull()) {
            if (!specs.isObject()) {
                errors.add(at + ".extra_specs", "expected an object of strings");
            } else {
                specs.fields().forEachRemaining(e -> extra.put(e.getKey(), e.getValue().isTextual() ? e.getValue().asText() : e.getValue().toString()));
            }
        }
        for (String required : List.of("vcpus", "memory_mb")) {
            if (f.path(required).isMissingNode() || f.path(required).isNull()) {
                errors.add(at + "." + required, "must not be null");
            }
        }
        return new NovaFlavor(vcpus == null ? 0 : vcpus, memory == null ? 0 : memory, root == null ? 0 : root,
                ephemeral == null ? 0 : ephemeral, swap == null ? 0 : swap, extra);
    }

    private static NovaServerGroup group(JsonNode g, String at, FieldErrors errors) {
        if (g == null) {
            return null;
        }
        String policy = emptyToNull(text(g.get("policy")));
        if (policy == null) {
            // InstanceGroup before 1.11 carries a one-element 'policies' list instead.
            List<String> policies = texts(g.get("policies"));
            policy = policies.isEmpty() ? null : policies.get(0);
        }
        Integer max = null;
        JsonNode rules = g.get("_rules");
        JsonNode limit = rules == null ? null : rules.get("max_server_per_host");
        if (limit != null && !limit.isNull()) {
            // Nova stores rules as strings (DictOfStringsField); cortex may send a number.
            try {
                max = limit.isIntegralNumber() ? limit.asInt() : Integer.parseInt(limit.asText().trim());
                if (max < 1) {
                    errors.add(at + "._rules.max_server_per_host", "must be at least 1, got " + limit);
                }
            } catch (NumberFormatException e) {
                errors.add(at + "._rules.max_server_per_host", "expected an integer, got " + limit);
            }
        }
        return new NovaServerGroup(emptyToNull(text(g.get("uuid"))), emptyToNull(text(g.get("name"))), policy,
                texts(g.get("members")), texts(g.get("hosts")), max);
    }

    private static Integer integer(JsonNode obj, String field, String at, FieldErrors errors) {
        Long l = longValue(obj, field, at, errors);
        if (l != null && (l > Integer.MAX_VALUE || l < Integer.MIN_VALUE)) {
            errors.add(at + "." + field, "out of range");
            return null;
        }
        return l == null ? null : l.intValue();
    }

    private static Long longValue(JsonNode obj, String field, String at, FieldErrors errors) {
        JsonNode v = obj.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            errors.add(at + "." + field, "expected an integer, got " + v);
            return null;
        }
        return v.asLong();
    }

    private static Map<String, JsonNode> hints(JsonNode node, String at, FieldErrors errors) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return out;
        }
        JsonNode d = objectData(node);
        if (d == null) {
            errors.add(at + ".scheduler_hints", "expected an object of lists");
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

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
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
