package io.placewise.bridge.api;

import io.placewise.service.api.Limits;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;

/** {@code POST /v1/model/precopy} (API.md "Admin", service or admin; seed 003 Eqs. 1–5). */
public final class ModelDtos {
    private ModelDtos() {
    }

    public record PreCopyRequestDto(
            @NotNull @Positive @DecimalMax("1099511627776") Double memoryMb,
            @NotNull @DecimalMin("0.001") @DecimalMax(Limits.MBPS) Double bandwidthMbps,
            @NotNull @PositiveOrZero @DecimalMax(Limits.MBPS) Double dirtyRateMbps,
            @Min(2) @Max(10_000) Integer maxRounds,
            @Positive @DecimalMax("1099511627776") Double thresholdKb) {
    }

    /** {@code data_mb} is MiB like {@code memory_mb}; rates are Mbit/s. */
    public record PreCopyResponseDto(int rounds, double downtimeS, double totalS, double dataMb, double barrierMbps,
                                     boolean converges) {
    }
}
