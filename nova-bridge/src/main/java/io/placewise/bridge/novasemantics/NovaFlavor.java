package io.placewise.bridge.novasemantics;

import java.util.Map;

/** A Nova flavor's sizes ({@code swapMb} in MB, as Nova keeps it) and extra specs. */
public record NovaFlavor(int vcpus, long memoryMb, long rootGb, long ephemeralGb, long swapMb, Map<String, String> extraSpecs) {
    public NovaFlavor {
        extraSpecs = extraSpecs == null ? Map.of() : Map.copyOf(extraSpecs);
    }

    /**
     * The local disk an instance of this flavor takes, as Nova counts it
     * ({@code resources_from_request_spec}): ephemeral plus swap rounded up to whole GB, plus the root
     * disk unless the instance boots from a volume.
     */
    public long localDiskGb(boolean volumeBacked) {
        long swapGb = (Math.max(0, swapMb) + 1023) / 1024;
        return Math.max(0, ephemeralGb) + swapGb + (volumeBacked ? 0 : Math.max(0, rootGb));
    }
}
