package io.placewise.migrator;

import io.placewise.precopy.DataUnits;

/**
 * One poll of a migration job's statistics, as libvirt's {@code virDomainGetJobStats} reports them
 * (LAB.md): {@code memory_iteration}, {@code memory_dirty_rate} in pages/s (0 until the first pass
 * ends), {@code memory_page_size}, {@code memory_bps}, {@code memory_remaining},
 * {@code memory_processed}, {@code memory_total}, {@code downtime} (expected while running, actual
 * when completed) and {@code time_elapsed}. Raw units; the accessors convert to {@link DataUnits}.
 */
public record JobStats(boolean active, long iteration, long dirtyRatePagesPerS, long pageSizeBytes,
                       long transferBytesPerS, long remainingBytes, long processedBytes, long totalBytes,
                       long downtimeMs, long elapsedMs) {
    public static final JobStats NONE = new JobStats(false, 0, 0, 4096, 0, 0, 0, 0, 0, 0);

    public double dirtyRateMbps() {
        return DataUnits.bytesPerSecondToMbps((double) dirtyRatePagesPerS * pageSizeBytes);
    }

    public double transferRateMbps() {
        return DataUnits.bytesPerSecondToMbps(transferBytesPerS);
    }

    public double remainingMib() {
        return DataUnits.bytesToMib(remainingBytes);
    }

    public double processedMib() {
        return DataUnits.bytesToMib(processedBytes);
    }
}
