package io.placewise.migrator;

import io.placewise.precopy.DataUnits;
import java.util.concurrent.CompletableFuture;

/**
 * A domain and its libvirt migration job as the test hypervisors ({@code FakeHypervisor} for the
 * runner, {@code ScriptedHypervisor} for the agent) simulate them, one model for both: each poll is
 * one whole pre-copy pass of seed 003 (the pages dirtied while a pass is sent, at a rate proportional
 * to the CPU share, Eq. 8, capped at the memory size), or post-copy's single pull of the rest; the job
 * ends when the expected pause fits the max downtime. Not thread-safe: the hypervisors lock.
 */
public class SimulatedDomain {
    public long memoryMib = 1024;
    public boolean here = true;
    /** A definition of the domain is kept on this host (inactive once it migrated away). */
    public boolean defined = true;
    public boolean atDestination;
    public CpuShare share = new CpuShare(100_000, -1);
    public CpuShare destinationShare;
    // the libvirt migration job
    public boolean jobActive;
    public boolean postCopy;
    public long iteration;
    public double remainingMib;
    public double processedMib;
    public long downtimeMs;
    public MigrationParams params;
    /** The migrate call of the agent that started the job; null when that agent died. */
    public CompletableFuture<Void> handle;

    /** The dirty rate now, of a workload dirtying {@code atFullShareMbps} at 100 % CPU. */
    public double dirtyRateMbps(double atFullShareMbps) {
        return atFullShareMbps * share.pct() / 100;
    }

    /** Starts a job: the whole memory is the first pass. */
    public CompletableFuture<Void> startJob(MigrationParams p) {
        params = p;
        jobActive = true;
        postCopy = false;
        iteration = 1;
        remainingMib = memoryMib;
        processedMib = 0;
        handle = new CompletableFuture<>();
        return handle;
    }

    /**
     * One poll's progress: a whole pre-copy pass at {@code bandwidthMbps}, or post-copy's pull of the rest.
     *
     * @return the dirty rate during the pass (0 in post-copy)
     */
    public double pass(double dirtyAtFullShareMbps, double bandwidthMbps) {
        if (postCopy) {
            // Post-copy: the rest is pulled once; the pause was only the switch.
            processedMib += remainingMib;
            remainingMib = 0;
            downtimeMs = 5;
            return 0;
        }
        double seconds = DataUnits.mibToMbit(remainingMib) / bandwidthMbps;
        processedMib += remainingMib;
        double dirtyMbps = dirtyRateMbps(dirtyAtFullShareMbps);
        remainingMib = Math.min(DataUnits.mbitToMib(dirtyMbps * seconds), memoryMib);
        iteration++;
        downtimeMs = Math.round(DataUnits.mibToMbit(remainingMib) / bandwidthMbps * 1000);
        return dirtyMbps;
    }

    /** The job's statistics after a pass, as libvirt reports a running job. */
    public JobStats stats(double dirtyMbps, double bandwidthMbps) {
        return new JobStats(true, iteration, Math.round(dirtyMbps * 1_000_000 / 8 / 4096), 4096,
                Math.round(bandwidthMbps * 1_000_000 / 8), Math.round(remainingMib * DataUnits.BYTES_PER_MIB),
                Math.round(processedMib * DataUnits.BYTES_PER_MIB), memoryMib * DataUnits.BYTES_PER_MIB, downtimeMs, 0);
    }

    /**
     * Ends the job when the pause it now expects fits {@code maxDowntimeMs} (post-copy always ends): the last
     * pages are sent, the domain runs at the destination, {@code onEnd} runs, then the migrate call returns.
     *
     * @return whether it ended
     */
    public boolean endIfPauseFits(long maxDowntimeMs, Runnable onEnd) {
        if (!postCopy && downtimeMs > maxDowntimeMs) {
            return false;
        }
        processedMib += remainingMib;
        remainingMib = 0;
        jobActive = false;
        here = false;
        atDestination = true;
        onEnd.run();
        if (handle != null) {
            handle.complete(null);
        }
        return true;
    }

    /** The finished job's statistics, as libvirt keeps them for a completed job. */
    public JobStats completedStats() {
        return new JobStats(false, iteration, 0, 4096, 0, 0, Math.round(processedMib * DataUnits.BYTES_PER_MIB),
                memoryMib * DataUnits.BYTES_PER_MIB, downtimeMs, 0);
    }

    /** libvirt's abort: refused without a job or in post-copy; {@code onEnd} runs, then the migrate call fails as cancelled. */
    public void abort(Runnable onEnd) {
        if (!jobActive) {
            throw new HypervisorException("Requested operation is not valid: no job is active on the domain");
        }
        if (postCopy) {
            throw new HypervisorException("cannot abort migration in post-copy mode");
        }
        jobActive = false;
        onEnd.run();
        if (handle != null) {
            handle.completeExceptionally(new HypervisorException("operation aborted: migration job: canceled by client"));
        }
    }

    /** Switches the job to post-copy; refused when the job was not started with it allowed. */
    public void startPostCopy() {
        if (params == null || !params.postCopyAllowed()) {
            throw new HypervisorException("post-copy migration was not enabled");
        }
        postCopy = true;
    }
}
