package io.placewise.bridge.api;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;

/** {@code POST /v1/model/precopy} (API.md "Admin"; seed 003 Eqs. 1–5). */
public final class ModelDtos {
    private ModelDtos() {
    }

    public record PreCopyRequestDto(
            @NotNull @Positive Double memoryMb,
            @NotNull @Positive Double bandwidthMbps,
            @NotNull @PositiveOrZero Double dirtyRateMbps,
            @Min(2) @Max(10_000) Integer maxRounds,
            @Positive Double thresholdKb) {
    }

    /** {@code data_mb} is MiB like {@code memory_mb}; rates are Mbit/s. */
    public record PreCopyResponseDto(int rounds, double downtimeS, double totalS, double dataMb, double barrierMbps,
                                     boolean converges) {
    }
}
