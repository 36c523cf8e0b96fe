package io.placewise.bridge.resources;

import io.placewise.service.auth.Roles;
import jakarta.annotation.security.RolesAllowed;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.placewise.bridge.api.PolicyDtos.ParameterDto;
import io.placewise.bridge.api.PolicyDtos.PolicyDto;
import io.placewise.bridge.api.PolicyDtos.PolicyPatchDto;
import io.placewise.service.api.Problem;
import io.placewise.service.http.ApiProblem;
import io.placewise.service.http.JsonMapperProvider;
import io.placewise.bridge.service.PolicyStore;
import io.placewise.plugin.Policy;
import io.placewise.scheduler.PolicyOverride;
import io.placewise.scheduler.PolicySet;
import io.placewise.scheduler.PolicySettings;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/** {@code /v1/policies}: what runs, and run-time changes to it (persisted). */
@Path("/v1/policies")
@Produces(MediaType.APPLICATION_JSON)
public final class PoliciesResource {
    private final PolicyStore policies;
    private final Supplier<List<PolicyDto>> services;

    public PoliciesResource(PolicyStore policies) {
        this(policies, List::of);
    }

    /** @param services entries for parts of the service that are not filters or weighers (the balancer) */
    public PoliciesResource(PolicyStore policies, Supplier<List<PolicyDto>> services) {
        this.policies = policies;
        this.services = services;
    }

    @GET
    @RolesAllowed(Roles.READER)
    public List<PolicyDto> list() {
        PolicySet set = policies.current();
        List<PolicyDto> out = new ArrayList<>(set.all().stream().map(s -> dto(set, s)).toList());
        out.addAll(services.get());
        return out;
    }

    @GET
    @Path("{name}")
    @RolesAllowed(Roles.READER)
    public PolicyDto get(@PathParam("name") String name) {
        PolicySet set = policies.current();
        Optional<PolicyDto> service = services.get().stream().filter(p -> p.name().equals(name)).findFirst();
        if (service.isPresent()) {
            return service.get();
        }
        return dto(set, set.settings(name).orElseThrow(() -> unknown(name)));
    }

    @PATCH
    @Path("{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.ADMIN)
    public PolicyDto patch(@PathParam("name") String name, JsonNode json) throws JsonProcessingException {
        if (json == null || !json.isObject()) {
            throw ApiProblem.badRequest("a JSON object is required");
        }
        if (services.get().stream().anyMatch(p -> p.name().equals(name))) {
            throw new ApiProblem(409, "Conflict", name + " is configured in its section of placewise.conf, not at run time", null);
        }
        // A typo in an admin's PATCH must not be silently ignored: Jackson refuses unknown fields here.
        PolicyPatchDto body = JsonMapperProvider.STRICT.treeToValue(json, PolicyPatchDto.class);
        PolicySet set = policies.current();
        if (set.settings(name).isEmpty()) {
            throw unknown(name);
        }
        Map<String, String> params = new LinkedHashMap<>();
        List<Problem.FieldError> errors = new ArrayList<>();
        if (body.params() != null) {
            body.params().forEach((k, v) -> {
                if (v == null || v.isNull() || v.isContainerNode()) {
                    errors.add(new Problem.FieldError("params." + k, "expected a string, number or boolean"));
                } else {
                    params.put(k, v.asText());
                }
            });
        }
        if (!errors.isEmpty()) {
            throw ApiProblem.invalid("the policy change is not valid; nothing was changed", errors);
        }
        PolicySet next = policies.patch(name, new PolicyOverride(body.enabled(), body.multiplier(), params));
        return dto(next, next.settings(name).orElseThrow());
    }

    private static ApiProblem unknown(String name) {
        return ApiProblem.notFound("no policy named '" + name + "'");
    }

    private static PolicyDto dto(PolicySet set, PolicySettings s) {
        Policy p = set.catalog().find(s.name()).orElseThrow();
        List<ParameterDto> params = p.parameters().stream().map(ps -> new ParameterDto(ps.name(),
                ps.type().name().toLowerCase(), ps.defaultValue(), ps.description())).toList();
        return new PolicyDto(s.name(), s.kind().wireName(), s.enabled(), s.multiplier(), s.params().asMap(),
                p.description(), params);
    }

}
