package io.placewise.migrator.agent.resources;

import io.placewise.migrator.DomainMemory;
import io.placewise.migrator.HypervisorException;
import io.placewise.migrator.HypervisorRefusedException;
import io.placewise.migrator.NoSuchDomainException;
import io.placewise.migrator.agent.api.DomainDtos.MemoryRequest;
import io.placewise.migrator.agent.api.DomainDtos.MemoryView;
import io.placewise.migrator.agent.service.BalloonService;
import io.placewise.migrator.agent.service.MigrationService;
import io.placewise.service.api.Problem;
import io.placewise.service.api.RequestValidator;
import io.placewise.service.http.ApiProblem;
import io.placewise.service.auth.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.regex.Pattern;

/** {@code /v1/domains/{domain}/memory} (API.md "Migrator agent"): the balloon of a VM running here. */
@Path("/v1/domains")
@Produces(MediaType.APPLICATION_JSON)
public final class DomainsResource {
    /** libvirt names: anything but '/' and control characters (which would also forge log lines). */
    private static final Pattern DOMAIN_NAME = Pattern.compile("[^/\\p{Cntrl}]{1,255}");

    private final BalloonService balloon;

    public DomainsResource(BalloonService balloon) {
        this.balloon = balloon;
    }

    /**
     * Role: service (the bridge's executor runs {@code grow_memory} steps with its service token).
     * 200 once libvirt has the new target (live and in the definition); 422 above the domain's
     * maximum, 404 for a domain not running here, 409 while it migrates or when the hypervisor
     * refuses (no balloon device), 503 when the hypervisor does not answer. Nothing changes on a 4xx.
     */
    @POST
    @RolesAllowed(Roles.SERVICE)
    @Path("{domain}/memory")
    @Consumes(MediaType.APPLICATION_JSON)
    public MemoryView setMemory(@PathParam("domain") String domain, MemoryRequest body) {
        if (!DOMAIN_NAME.matcher(domain).matches()) {
            throw notHere("that is not a domain name");
        }
        RequestValidator.require(body);
        try {
            DomainMemory m = balloon.setCurrentMemory(domain, body.targetMb());
            return new MemoryView(domain, body.targetMb(), m.currentMib(), m.maxMib());
        } catch (BalloonService.BeyondMaximumException e) {
            throw ApiProblem.invalid(e.getMessage(), List.of(new Problem.FieldError("target_mb",
                    "must be at most " + e.memory().maxMib() + " (the domain's maximum memory, MiB)")));
        } catch (NoSuchDomainException e) {
            throw notHere("domain '" + domain + "' is not running on this host");
        } catch (MigrationService.DomainBusyException e) {
            throw new ApiProblem(409, "Conflict", e.getMessage(), null);
        } catch (HypervisorRefusedException e) {
            throw new ApiProblem(409, "Conflict", "the hypervisor refuses to change the memory of '" + domain + "': "
                    + e.getMessage(), null);
        } catch (HypervisorException e) {
            throw new ApiProblem(503, "Service Unavailable", "the hypervisor did not answer; nothing was changed: "
                    + e.getMessage(), null);
        }
    }

    private static ApiProblem notHere(String detail) {
        return new ApiProblem(404, "Not Found", detail, List.of(new Problem.FieldError("domain", "not running on this host")));
    }
}
