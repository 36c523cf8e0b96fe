package io.placewise.bridge.resources;

import io.placewise.service.auth.Roles;
import jakarta.annotation.security.RolesAllowed;
import io.placewise.bridge.api.ModelDtos.PreCopyRequestDto;
import io.placewise.bridge.api.ModelDtos.PreCopyResponseDto;
import io.placewise.service.api.RequestValidator;
import io.placewise.precopy.PreCopyEstimate;
import io.placewise.precopy.PreCopyInput;
import io.placewise.precopy.PreCopyModel;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** {@code /v1/model/precopy}: the pre-copy model of seed 003, for planning a migration. */
@Path("/v1/model")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public final class ModelResource {
    @POST
    @Path("precopy")
    @RolesAllowed(Roles.SERVICE)
    public PreCopyResponseDto precopy(PreCopyRequestDto body) {
        RequestValidator.require(body);
        PreCopyInput in = new PreCopyInput(body.memoryMb(), body.bandwidthMbps(), body.dirtyRateMbps(),
                body.maxRounds() == null ? PreCopyInput.DEFAULT_MAX_ROUNDS : body.maxRounds(),
                body.thresholdKb() == null ? PreCopyInput.DEFAULT_THRESHOLD_KIB : body.thresholdKb());
        PreCopyEstimate e = PreCopyModel.estimate(in);
        return new PreCopyResponseDto(e.rounds(), e.downtimeS(), e.totalS(), e.dataMib(), e.barrierMbps(), e.converges());
    }
}
