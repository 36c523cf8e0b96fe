package io.placewise.migrator.agent.api;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;

/** The wire shapes of {@code /v1/domains} (API.md "Migrator agent"). */
public final class DomainDtos {
    private DomainDtos() {
    }

    /** {@code POST /v1/domains/{domain}/memory}: the VM's new current memory, MiB. */
    public record MemoryRequest(@NotNull @Positive Long targetMb) {
    }

    /**
     * The answer: the target set, the domain's maximum, and its current memory as the hypervisor
     * reports it now (the guest's balloon driver reaches the target within seconds).
     */
    public record MemoryView(String domain, long targetMb, long currentMb, long maxMb) {
    }
}
