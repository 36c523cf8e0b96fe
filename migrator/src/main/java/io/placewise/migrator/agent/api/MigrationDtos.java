package io.placewise.migrator.agent.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.placewise.precopy.MigrationStrategy;
import io.placewise.service.api.Limits;
import io.placewise.service.api.WireName;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;

/** The agent's migration wire shapes (API.md "Migrator agent"). */
public final class MigrationDtos {
    private MigrationDtos() {
    }

    /**
     * {@code POST /v1/migrations}. {@code strategy} defaults to {@code auto}; {@code max_downtime_ms}
     * to {@code [migrator] max_downtime_ms}; {@code bandwidth_mbps} to no cap.
     * {@code guest_tolerates_slowing} (an extension) lets {@code auto} choose CPU throttling.
     */
    public record MigrationRequest(
            @NotBlank @Size(max = Limits.NAME) String domain,
            @NotBlank @Size(max = Limits.URI)
            @Pattern(regexp = "[a-z][a-z0-9+.-]*://.*", message = "must be a libvirt URI such as qemu+tcp://host/system")
            String destinationUri,
            @WireName(MigrationStrategy.class) String strategy,
            @Positive @Max(86_400_000) Long maxDowntimeMs,
            @Positive @DecimalMax(Limits.MBPS) Double bandwidthMbps,
            Boolean guestToleratesSlowing) {
    }

    /** {@code 202} to a POST. */
    public record Accepted(String id, String state) {
    }

    public record RoundView(long iteration, double dirtyRateMbps, double transferRateMbps, double remainingMb,
                            double cpuSharePct) {
    }

    /** {@code GET /v1/migrations/{id}}; result fields are null until the migration is over. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record MigrationView(String id, String domain, String destinationUri, String strategy, String state,
                                String strategyUsed, String reason, List<RoundView> rounds, Long maxDowntimeMs,
                                Double bandwidthMbps, Long downtimeMs, Long totalMs, Double dataMb, String error,
                                Instant createdAt, Instant updatedAt) {
    }
}
